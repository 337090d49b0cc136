"""The audit trail's workbook through the background worker (units/jobs.py): a search finding
more lines than core.jobs' direct rows is queued with its progress page and lists what the
person saw when they asked; a small one is downloaded at once; failures are said in
Vietnamese and can be retried; only the requester reads the file."""

import pytest
from django.urls import reverse

from awards.models import GeneratedDocument
from core.audit.trail import record
from units import jobs
from units.models import AuditEntry

from ..awards.test_documents_queue import run_worker, vi
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
from ..helpers import LIVE

AUDIT = reverse("units:audit")
SEARCH = {"export": "xlsx", "action": "report.saved"}


@pytest.fixture
def lines(cast):
    """25 lines of saved reports, and one line of another action the search leaves out."""
    for number in range(25):
        record(actor=cast.head_a, action="report.saved", target=cast.unit_a,
               before={"value": str(number)}, after={"value": str(number + 1)})
    record(actor=cast.office, action="task.import", unit=cast.unit_b, after={"created": 3})


def test_small_search_is_downloaded_at_once(cast, client_for, lines):
    response = client_for(cast.director).get(AUDIT, SEARCH)

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="nhat-ky-he-thong-')
    (rows,) = sheets(body(response))
    assert len(rows) == 1 + 25
    kept = GeneratedDocument.objects.get()
    assert (kept.kind, kept.status) == (jobs.AUDIT, "done")


def test_large_search_is_built_by_the_worker_with_progress_and_reads_as_the_direct_one(
        cast, client_for, lines, monkeypatch, settings):
    client = client_for(cast.director)
    direct = sheets(body(client.get(AUDIT, SEARCH)))
    monkeypatch.setattr("units.exports.CHUNK", 10)  # progress after every ten lines
    lower_limit(monkeypatch, jobs.AUDIT)

    document = queued_from(client.get(AUDIT, SEARCH))
    assert document.params["search"] == {"action": "report.saved"}
    page = client.get(reverse("awards:document", args=[document.pk]))
    assert page["Refresh"] == "2"
    # Lines recorded while the job waits are not the ones the person searched.
    record(actor=cast.head_a, action="report.saved", target=cast.unit_a)

    assert run_saving_progress(document) == [0, 40, 80, 99, 100]
    document.refresh_from_db()
    assert document.rows == 25
    assert sheets(fetch(client, document)) == direct


def test_failed_export_is_said_in_vietnamese_and_can_be_retried(cast, client_for, lines,
                                                                monkeypatch, settings,
                                                                tmp_path):
    lower_limit(monkeypatch, jobs.AUDIT)
    client = client_for(cast.director)
    document = queued_from(client.get(AUDIT, SEARCH))
    fails_in_vietnamese_then_retried(client, document, settings, tmp_path)
    assert len(sheets(fetch(client, document))[0]) == 1 + 25


def test_only_the_director_who_asked_reads_the_job(cast, client_for, lines, monkeypatch):
    lower_limit(monkeypatch, jobs.AUDIT)
    document = queued_from(client_for(cast.director).get(AUDIT, SEARCH))
    run_saving_progress(document)
    only_the_requester_reads(client_for, document, cast.director,
                             [cast.office, cast.union, cast.head_a, cast.staff])


def test_who_may_not_read_the_trail_cannot_queue_its_export(cast, client_for, lines,
                                                            monkeypatch):
    lower_limit(monkeypatch, jobs.AUDIT)
    for user in (cast.office, cast.head_a):
        for query in (SEARCH, {**SEARCH, "background": "1"}):
            assert client_for(user).get(AUDIT, query).status_code == 403
    assert not GeneratedDocument.objects.exists()
    assert AuditEntry.objects.filter(action="access.denied").count() == 4


# In a browser, on a phone ----------------------------------------------------------------------

@pytest.mark.browser
@LIVE
def test_director_downloads_a_large_search_through_the_progress_page(cast, lines, monkeypatch,
                                                                      live_server, page,
                                                                      screenshot):
    from playwright.sync_api import expect

    from ..factories import PASSWORD
    from ..helpers import sign_in

    lower_limit(monkeypatch, jobs.AUDIT)
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, live_server.url, cast.director.username, PASSWORD)
    page.goto(f"{live_server.url}{AUDIT}?action=report.saved")
    page.get_by_role("link", name=vi("Download as Excel")).click()
    expect(page.get_by_role("heading", name=vi("Audit trail"))).to_be_visible()
    screenshot("audit-export-queued-390")

    run_worker()  # the worker beside the web server

    document = GeneratedDocument.objects.get()
    ready = page.get_by_role("link", name=vi("Download %(name)s") % {"name": document.filename})
    expect(ready).to_be_visible(timeout=10_000)  # the page reloads itself every 2 seconds
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot("audit-export-ready-390")
    with page.expect_download() as download:
        ready.click()
    assert len(sheets(download.value.path().read_bytes())[0]) == 1 + 25


def test_each_export_is_titled_with_its_search_in_my_documents(cast, client_for, lines):
    """Two exports of the trail in "My documents" are told apart by what they searched: the
    title names each filter as the page shows it, dates as dd/mm/yyyy."""
    client = client_for(cast.director)
    client.get(AUDIT, {**SEARCH, "unit": cast.unit_a.pk, "date_from": "01/03/2022",
                       "date_to": "31/12/2030"})
    client.get(AUDIT, {"export": "xlsx"})

    searched, everything = GeneratedDocument.objects.order_by("pk")
    assert searched.title == (
        f"Nhật ký hệ thống (Đơn vị: {cast.unit_a.name}; Thao tác: Lưu báo cáo tiến độ; "
        f"Từ ngày: 01/03/2022; Đến ngày: 31/12/2030)")
    assert everything.title == "Nhật ký hệ thống"
