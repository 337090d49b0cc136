"""The year's registrations workbook through the background worker (awards/registration_jobs.py):
every unit of a province with every registered person is written there with its progress page;
a small department's, or one unit's, comes at once; both hold the same rows; failures are said
in Vietnamese and can be retried; only the requester reads the file; a head cannot queue every
unit's."""

from django.urls import reverse

from awards.models import GeneratedDocument
from awards.registration_jobs import REGISTRATIONS
from core import jobs as core_jobs

from ..export_jobs import (
    body,
    fails_in_vietnamese_then_retried,
    fetch,
    lower_limit,
    only_the_requester_reads,
    queued_from,
    run_saving_progress,
    sheets,
)
from .test_registration_export import YEAR, registered  # noqa: F401  (a fixture)

EXPORT = reverse("awards:registration_export")


def test_small_export_is_downloaded_at_once(cast, client_for, registered):  # noqa: F811
    response = client_for(cast.office).get(EXPORT, {"year": YEAR})

    assert response.status_code == 200
    units, people = sheets(body(response))
    assert len(people) == 1 + 3
    kept = GeneratedDocument.objects.get()
    assert (kept.kind, kept.status) == (REGISTRATIONS, "done")
    every = core_jobs.KINDS[REGISTRATIONS].rows({"year": YEAR, "unit": None})
    assert every == len(units) - 1 + 3
    assert core_jobs.KINDS[REGISTRATIONS].rows({"year": YEAR, "unit": cast.unit_a.pk}) == 1 + 2


def test_large_export_is_written_by_the_worker_with_progress_and_the_same_rows(
        cast, client_for, registered, monkeypatch):  # noqa: F811
    client = client_for(cast.office)
    direct = sheets(body(client.get(EXPORT, {"year": YEAR})))
    monkeypatch.setattr("awards.registration_exports.PROGRESS_ROWS", 1)
    lower_limit(monkeypatch, REGISTRATIONS)

    document = queued_from(client.get(EXPORT, {"year": YEAR}))
    assert document.params == {"year": YEAR, "unit": None, "language": "vi",
                               "filename": f"dang-ky-thi-dua-{YEAR}.xlsx"}
    assert client.get(reverse("awards:document", args=[document.pk]))["Refresh"] == "2"

    units = len(direct[0]) - 1
    total = units + 3
    # The units' sheet, then each person: 0, the units' share, each person's, 99, 100.
    assert run_saving_progress(document) == [
        0, *[(units + n) * 100 // total for n in range(0, 3)], 99, 100]
    document.refresh_from_db()
    assert document.rows == total
    assert sheets(fetch(client, document)) == direct


def test_one_units_export_goes_to_the_worker_for_its_head(cast, client_for, registered,  # noqa: F811
                                                          monkeypatch):
    query = {"unit": cast.unit_a.pk, "year": YEAR}
    client = client_for(cast.head_a)
    direct = sheets(body(client.get(EXPORT, query)))
    lower_limit(monkeypatch, REGISTRATIONS)

    document = queued_from(client.get(EXPORT, query))
    run_saving_progress(document)
    assert sheets(fetch(client, document)) == direct
    assert [row[3] for row in direct[1][1:]] == ["Trần Thị An", "Lê Văn Bình"]


def test_failed_export_is_said_in_vietnamese_and_can_be_retried(cast, client_for, registered,  # noqa: F811
                                                                monkeypatch, settings,
                                                                tmp_path):
    lower_limit(monkeypatch, REGISTRATIONS)
    client = client_for(cast.office)
    document = queued_from(client.get(EXPORT, {"year": YEAR}))
    fails_in_vietnamese_then_retried(client, document, settings, tmp_path)
    assert len(sheets(fetch(client, document))[1]) == 1 + 3


def test_only_the_requester_reads_the_job_and_a_head_cannot_queue_every_unit(
        cast, client_for, registered, monkeypatch):  # noqa: F811
    lower_limit(monkeypatch, REGISTRATIONS)
    for query in ({"year": YEAR}, {"year": YEAR, "background": "1"}):
        assert client_for(cast.head_a).get(EXPORT, query).status_code == 403
    assert not GeneratedDocument.objects.exists()
    document = queued_from(client_for(cast.office).get(EXPORT, {"year": YEAR}))
    run_saving_progress(document)
    only_the_requester_reads(client_for, document, cast.office,
                             [cast.director, cast.union, cast.head_a, cast.staff])
