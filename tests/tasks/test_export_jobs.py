"""The progress export through the background worker: large plans are queued and show their
progress page, small ones come at once; failures are said in Vietnamese and can be retried;
only the requester reads the file; the streamed workbook is cell for cell the one the old writer
made (test_export_workbook.py)."""

import dataclasses
import datetime
import re
from io import BytesIO

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from awards.jobs import generate_document
from awards.models import DocumentStatus, GeneratedDocument
from campaigns.models import Campaign
from core import jobs as core_jobs
from tasks import jobs
from tasks.models import Assignment, Cadence, IndicatorKind, Task

from ..awards.test_documents_queue import queued_tasks, run_worker, vi
from ..export_jobs import fails_in_vietnamese_then_retried
from ..factories import UnitFactory
from ..helpers import LIVE


@pytest.fixture
def small_limit(monkeypatch):
    """The progress export's direct limit lowered to one row, so the two-row plan of `work`
    counts as large (the real limit is core.jobs.DIRECT_ROWS)."""
    kind = core_jobs.KINDS[jobs.PROGRESS]
    monkeypatch.setitem(core_jobs.KINDS, jobs.PROGRESS, dataclasses.replace(kind, direct_rows=1))


def export_url(campaign, **query):
    return reverse("tasks:progress_export", args=[campaign.pk]), query


# The direct path ---------------------------------------------------------------------------

def test_small_export_is_downloaded_at_once_and_kept(cast, client_for, work):
    path, query = export_url(work.campaign)
    response = client_for(cast.director).get(path, query)

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="tien-do-')
    workbook = load_workbook(BytesIO(b"".join(response.streaming_content)))
    assert len(list(workbook["ND 1"].values)) == 4  # title, header, units A and B
    assert not queued_tasks().exists()
    kept = GeneratedDocument.objects.get()
    assert (kept.kind, kept.status, kept.requested_by) == (
        jobs.PROGRESS, DocumentStatus.DONE, cast.director)


# The background path -----------------------------------------------------------------------

def test_large_export_is_queued_and_sends_to_its_progress_page(cast, client_for, work,
                                                               small_limit,
                                                               django_capture_on_commit_callbacks):
    client = client_for(cast.director)
    path, query = export_url(work.campaign)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(path, query)

    document = GeneratedDocument.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("awards:document", args=[document.pk])
    assert (document.kind, document.status, document.file_format) == (
        jobs.PROGRESS, DocumentStatus.QUEUED, "xlsx")
    assert document.params == {"campaign": work.campaign.pk, "language": "vi"}
    assert queued_tasks().get().args_kwargs["args"] == [document.pk]
    page = client.get(response["Location"])
    assert page["Refresh"] == "2"
    assert document.title == vi("Progress of plan %(code)s") % {"code": work.campaign.code}
    assert document.title in page.content.decode()


def test_background_is_asked_for_even_a_small_export(cast, client_for, work):
    path, query = export_url(work.campaign, background="1")
    response = client_for(cast.office).get(path, query)
    assert response.status_code == 302
    assert GeneratedDocument.objects.get().status == DocumentStatus.QUEUED


def _large_plan(cast, work, tasks=55, units=20):
    """`work`'s plan with tasks × units more assignments (bulk: only the export reads them)."""
    more_units = UnitFactory.create_batch(units, parent=cast.root)
    created = Task.objects.bulk_create([
        Task(item=work.task.item, title=f"Nhiệm vụ {n}", indicator_kind=IndicatorKind.COUNT,
             target_value=n, cadence=Cadence.MONTHLY, deadline=datetime.date(2022, 12, 31))
        for n in range(1, tasks + 1)])
    Assignment.objects.bulk_create([Assignment(task=task, unit=unit)
                                    for task in created for unit in more_units])
    return Assignment.objects.filter(task__item__campaign=work.campaign).count()


def test_worker_saves_progress_as_rows_are_written(cast, client_for, work, small_limit):
    total = _large_plan(cast, work)
    path, query = export_url(work.campaign)
    client = client_for(cast.director)
    client.get(path, query)
    document = GeneratedDocument.objects.get()

    with CaptureQueriesContext(connection) as queries:
        assert generate_document.call(document.pk) == DocumentStatus.DONE

    written = [int(found) for query in queries.captured_queries
               if query["sql"].startswith("UPDATE")
               for found in re.findall(r'"progress" = (\d+)', query["sql"])]
    # Claimed at 0, then every 500 rows, then the end: 0, 45, 90, 100 for 1,102 rows.
    assert written[:4] == [0, 500 * 100 // total, 1000 * 100 // total, 100]
    document.refresh_from_db()
    assert (document.status, document.progress, document.rows) == (DocumentStatus.DONE, 100,
                                                                   total)
    assert document.filename == f"tien-do-{work.campaign.number}-KH-SGDDT-2022.xlsx"
    download = client.get(reverse("awards:document_file", args=[document.pk]))
    workbook = load_workbook(BytesIO(b"".join(download.streaming_content)))
    assert sum(ws.max_row - 2 for ws in workbook.worksheets) == total
    assert workbook["ND 1"]["A2"].value == "Nhiệm vụ"  # the headers of the asker's language


def test_failed_export_is_said_in_vietnamese_and_can_be_retried(cast, client_for, work,
                                                                small_limit, settings,
                                                                tmp_path):
    client = client_for(cast.director)
    path, query = export_url(work.campaign)
    client.get(path, query)
    document = GeneratedDocument.objects.get()

    fails_in_vietnamese_then_retried(client, document, settings, tmp_path)


def test_export_of_a_plan_removed_meanwhile_fails_instead_of_hanging(cast, client_for, work,
                                                                      small_limit):
    client_for(cast.director).get(*export_url(work.campaign))
    document = GeneratedDocument.objects.get()
    GeneratedDocument.objects.filter(pk=document.pk).update(
        params={"campaign": Campaign.objects.order_by("-pk").first().pk + 1, "language": "vi"})

    assert generate_document.call(document.pk) == DocumentStatus.FAILED
    document.refresh_from_db()
    assert document.error.startswith("DoesNotExist")


@LIVE
def test_the_real_worker_builds_a_queued_export(cast, client_for, work):
    client = client_for(cast.director)
    response = client.get(*export_url(work.campaign, background="1"))
    assert response.status_code == 302
    run_worker()
    document = GeneratedDocument.objects.get()
    assert (document.status, document.rows) == (DocumentStatus.DONE, 2)
    page = client.get(response["Location"]).content.decode()
    assert vi("Download %(name)s") % {"name": document.filename} in page


# Access ------------------------------------------------------------------------------------

def test_unit_head_cannot_export_the_whole_plan_nor_queue_it(cast, client_for, work):
    # The sheet lists every unit: a head (who sees only their own unit) is refused, queued or not.
    for query in ({}, {"background": "1"}):
        response = client_for(cast.head_a).get(*export_url(work.campaign, **query))
        assert response.status_code == 403
    assert not GeneratedDocument.objects.exists()


def test_only_the_requester_reads_the_job_and_its_file(cast, client_for, work, small_limit):
    client_for(cast.director).get(*export_url(work.campaign))
    document = GeneratedDocument.objects.get()
    generate_document.call(document.pk)

    for other in (cast.office, cast.union, cast.head_a, cast.staff):
        client = client_for(other)
        assert client.get(reverse("awards:document", args=[document.pk])).status_code == 404
        assert client.get(reverse("awards:document_file", args=[document.pk])).status_code == 404
    assert client_for(cast.director).get(
        reverse("awards:document_file", args=[document.pk])).status_code == 200


# In a browser ------------------------------------------------------------------------------

@pytest.mark.browser
@LIVE
def test_director_clicks_export_and_the_page_reaches_ready(cast, work, small_limit, live_server,
                                                           page, screenshot):
    from playwright.sync_api import expect

    from ..factories import PASSWORD
    from ..helpers import sign_in

    sign_in(page, live_server.url, cast.director.username, PASSWORD)
    page.goto(live_server.url + reverse("tasks:campaign", args=[work.campaign.pk]))
    page.get_by_role("link", name="Xuất tiến độ (Excel)").click()
    title = vi("Progress of plan %(code)s") % {"code": work.campaign.code}
    expect(page.get_by_role("heading", name=title)).to_be_visible()
    screenshot("export-queued")

    run_worker()  # the worker beside the web server

    document = GeneratedDocument.objects.get()
    ready = page.get_by_role("link", name=vi("Download %(name)s") % {"name": document.filename})
    expect(ready).to_be_visible(timeout=10_000)  # the page reloads itself every 2 seconds
    screenshot("export-ready")
    with page.expect_download() as download:
        ready.click()
    assert download.value.suggested_filename == document.filename
