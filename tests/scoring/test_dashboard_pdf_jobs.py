"""The director's meeting PDF through the background worker (scoring/jobs.py): a plan with more
units in its grid than core.jobs' direct rows is printed there with its progress page; a small
one comes at once; both read the same (pdftotext); failures are said in Vietnamese and can be
retried; only the requester reads the file; a unit head cannot queue it."""

from django.http import QueryDict
from django.urls import reverse

from awards.models import GeneratedDocument
from core import jobs as core_jobs
from scoring import jobs
from tasks.models import Assignment
from units.models import Unit, UnitKind

from ..export_jobs import (
    body,
    fails_in_vietnamese_then_retried,
    fetch,
    lower_limit,
    only_the_requester_reads,
    pdf_text,
    queued_from,
    run_saving_progress,
)


def pdf_url(scored):
    return reverse("scoring:dashboard_pdf", args=[scored.campaign.pk])


def test_small_plan_is_printed_at_once(scored, cast, client_for):
    response = client_for(cast.director).get(pdf_url(scored))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert body(response).startswith(b"%PDF")
    kept = GeneratedDocument.objects.get()
    assert (kept.kind, kept.status, kept.file_format) == (jobs.DASHBOARD, "done", "pdf")


def test_its_rows_are_the_units_in_the_grid_of_the_kind_filtered(scored, cast):
    rows = core_jobs.KINDS[jobs.DASHBOARD].rows
    every = jobs.dashboard_params(scored.campaign, QueryDict(""), base_url="http://x/")
    assert rows(every) == 2  # units A and B, whatever their number of tasks
    cast.unit_b.kind = UnitKind.CENTRE
    cast.unit_b.save(update_fields=["kind"])
    schools = jobs.dashboard_params(scored.campaign, QueryDict(f"kind={UnitKind.SCHOOL}"),
                                    base_url="http://x/")
    assert rows(schools) == 1


def test_more_units_than_two_grid_pages_go_to_the_worker_without_lowering_the_limit(
        scored, cast, client_for):
    # A printed unit costs WeasyPrint about 50 ms: the PDF's own limit is two pages of its
    # grid (56 units), not the workbooks' 300 rows.
    assert core_jobs.KINDS[jobs.DASHBOARD].direct_rows == jobs.DIRECT_UNITS == 56
    more = Unit.objects.bulk_create([Unit(name=f"Trường Tiểu học số {n}", code=f"th-{n}",
                                          parent=cast.root, kind=UnitKind.SCHOOL)
                                     for n in range(jobs.DIRECT_UNITS - 1)])
    Assignment.objects.bulk_create([Assignment(task=scored.t1, unit=unit) for unit in more])
    response = client_for(cast.director).get(pdf_url(scored))
    assert queued_from(response).kind == jobs.DASHBOARD


def test_large_plan_is_printed_by_the_worker_with_progress_and_reads_as_at_once(
        scored, cast, client_for, monkeypatch, tmp_path):
    client = client_for(cast.director)
    query = {"quarter": 2}
    direct = pdf_text(body(client.get(pdf_url(scored), query)), tmp_path, "direct.pdf")
    lower_limit(monkeypatch, jobs.DASHBOARD)

    document = queued_from(client.get(pdf_url(scored), query))
    assert document.params["query"] == "quarter=2"
    assert document.file_format == "pdf"
    assert document.title.startswith("Tổng quan Kế hoạch")
    assert client.get(reverse("awards:document", args=[document.pk]))["Refresh"] == "2"

    assert run_saving_progress(document) == [0, 30, 80, 100]
    document.refresh_from_db()
    assert (document.rows, document.pages) == (2, direct.count("\f"))
    assert document.filename.startswith(f"tong-quan-{scored.campaign.pk}-")
    printed = pdf_text(fetch(client, document), tmp_path, "worker.pdf")
    assert printed == direct
    assert "Quý 2" in printed and scored.campaign.code in printed


def test_failed_pdf_is_said_in_vietnamese_and_can_be_retried(scored, cast, client_for,
                                                             monkeypatch, settings, tmp_path):
    lower_limit(monkeypatch, jobs.DASHBOARD)
    client = client_for(cast.office)
    document = queued_from(client.get(pdf_url(scored)))
    fails_in_vietnamese_then_retried(client, document, settings, tmp_path)
    assert fetch(client, document).startswith(b"%PDF")


def test_only_the_requester_reads_the_job_and_a_head_cannot_queue_it(scored, cast, client_for,
                                                                    monkeypatch):
    lower_limit(monkeypatch, jobs.DASHBOARD)
    for query in ({}, {"background": "1"}):
        assert client_for(cast.head_a).get(pdf_url(scored), query).status_code == 403
    assert not GeneratedDocument.objects.exists()
    document = queued_from(client_for(cast.director).get(pdf_url(scored)))
    run_saving_progress(document)
    only_the_requester_reads(client_for, document, cast.director,
                             [cast.office, cast.union, cast.head_a, cast.staff])


def test_background_is_asked_for_even_a_small_pdf(scored, cast, client_for):
    response = client_for(cast.union).get(pdf_url(scored), {"background": "1"})
    assert queued_from(response).params["query"] == ""


def test_the_pdf_prints_every_unit_beyond_those_the_page_draws(scored, cast, client_for,
                                                               monkeypatch, tmp_path):
    # The page draws only the SHOWN_UNITS least complete units (60); the PDF's grid, whose rows
    # decide request or worker, has them all (at 1,000 units it printed 60 before).
    monkeypatch.setattr("scoring.dashboard.SHOWN_UNITS", 1)
    page = client_for(cast.director).get(reverse("scoring:dashboard", args=[scored.campaign.pk]))
    assert len(page.context["figures"].unit_rows) == 1
    text = pdf_text(body(client_for(cast.director).get(pdf_url(scored))), tmp_path)
    grid = text[text.index("Tỷ lệ hoàn thành theo đơn vị"):]
    assert cast.unit_a.label in grid and cast.unit_b.label in grid
