"""Documents: small ones downloaded at once, long ones through the real database queue.

The kinds here are fakes registered for the test; the worker is the real `db_worker` command,
run in-process in batch mode against the django-tasks-db queue.
"""

import signal
from datetime import UTC, datetime
from io import StringIO
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation
from django_tasks_db.models import DBTaskResult

from awards import documents
from awards.jobs import generate_document
from awards.models import DocumentStatus, GeneratedDocument
from awards.services_documents import request_document
from units.access import can_view_every_unit

from ..helpers import LIVE, ROLES, expect

LARGE = documents.DIRECT_ROWS + 1


def _clean(params):
    return {"n": int(params["n"])}  # KeyError or ValueError for missing or bad input


def _build(params, fmt, progress):
    for percent in (0, 0, 25, 25, 50, 75, 75, 100):
        progress(percent)
    n = params["n"]
    if fmt == "xlsx":
        return documents.Built(content=b"PK\x03\x04fake workbook", filename=f"bang-{n}.xlsx",
                               content_type=CONTENT_TYPES["xlsx"], rows=n)
    return documents.Built(content=f"%PDF-fake {n}".encode(), filename=f"bao-cao-{n}.pdf",
                           content_type=CONTENT_TYPES["pdf"], rows=n, pages=3)


def _broken_build(params, fmt, progress):
    progress(30)
    raise RuntimeError("the year's ratings are missing")


CONTENT_TYPES = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _kind(build=_build):
    return documents.Kind(title="Báo cáo thử", clean=_clean,
                          allowed=lambda user, params: can_view_every_unit(user),
                          rows=lambda params: params["n"], build=build)


@pytest.fixture
def kinds(monkeypatch):
    monkeypatch.setitem(documents.REGISTRY, "fake", _kind())
    monkeypatch.setitem(documents.REGISTRY, "broken", _kind(_broken_build))
    return documents.REGISTRY


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


FAILED = ("The document could not be generated. Try again; if it fails again, tell the "
          "administrator and give them the details below.")  # "Không tạo được tài liệu…"


def vi(msgid):
    """The Vietnamese the page shows (the catalogue itself is checked by tests/test_site.py)."""
    with translation.override("vi"):
        return translation.gettext(msgid)


def url(**query):
    from urllib.parse import urlencode

    return f"{reverse('awards:document_get')}?{urlencode(query)}"


def run_worker():
    """Run the real worker until the queue is empty, then put the test's signal handlers back.

    Only in tests that commit (LIVE): the worker closes and reopens the database connection
    between tasks, which on PostgreSQL would end a test's enclosing transaction.
    """
    handlers = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM,
                                                        signal.SIGQUIT)}
    try:
        call_command("db_worker", batch=True, reload=False, startup_delay=False, interval=0,
                     verbosity=0, stdout=StringIO(), stderr=StringIO())
    finally:
        for sig, handler in handlers.items():
            signal.signal(sig, handler)


def queued_tasks():
    return DBTaskResult.objects.filter(task_path="awards.jobs.generate_document")


def body(response):
    return b"".join(response.streaming_content)


# Direct downloads

@pytest.mark.parametrize("fmt, filename", [("pdf", "bao-cao-5.pdf"), ("xlsx", "bang-5.xlsx")])
def test_small_document_is_downloaded_at_once(cast, client_for, kinds, fmt, filename):
    response = client_for(cast.office).get(url(kind="fake", fmt=fmt, n=5))
    assert response.status_code == 200
    assert response["Content-Type"] == CONTENT_TYPES[fmt]
    assert response["Content-Disposition"] == f'attachment; filename="{filename}"'
    assert response["X-Content-Type-Options"] == "nosniff"
    sent = body(response)
    assert sent.startswith(b"%PDF-fake 5" if fmt == "pdf" else b"PK\x03\x04")
    assert not queued_tasks().exists()
    # Kept in "My documents" as the worker keeps its files: done, with the same bytes.
    kept = GeneratedDocument.objects.get()
    assert (kept.status, kept.requested_by, kept.filename, kept.file_format, kept.rows) == (
        DocumentStatus.DONE, cast.office, filename, fmt, 5)
    assert kept.file.name.startswith("documents/") and kept.file.name.endswith(
        f"/{kept.pk}-{filename}")
    with kept.file.open("rb") as stored:
        assert stored.read() == sent


def test_document_of_exactly_direct_rows_is_still_direct(cast, client_for, kinds):
    response = client_for(cast.office).get(url(kind="fake", n=documents.DIRECT_ROWS))
    assert response.status_code == 200
    assert GeneratedDocument.objects.get().status == DocumentStatus.DONE
    assert not queued_tasks().exists()


# The queue, end to end, with real commits: the task is written only once the request commits.

@LIVE
def test_large_document_is_queued_built_by_the_worker_and_downloaded(cast, client_for, kinds,
                                                                     media):
    client = client_for(cast.office)

    response = client.get(url(kind="fake", fmt="pdf", n=5000))

    document = GeneratedDocument.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("awards:document", args=[document.pk])
    assert (document.kind, document.params, document.file_format) == ("fake", {"n": "5000"},
                                                                        "pdf")
    assert document.requested_by == cast.office
    assert document.status == DocumentStatus.QUEUED
    task = queued_tasks().get()
    assert task.status == "READY"
    assert task.args_kwargs == {"args": [document.pk], "kwargs": {}}

    page = client.get(response["Location"])
    assert '<meta http-equiv="refresh" content="2">' in page.content.decode()
    assert page["Refresh"] == "2"

    run_worker()

    document.refresh_from_db()
    assert document.status == DocumentStatus.DONE
    assert document.progress == 100
    assert (document.rows, document.pages, document.filename) == (5000, 3, "bao-cao-5000.pdf")
    assert document.finished_at is not None
    stored = Path(document.file.path)
    assert stored.is_file() and stored.is_relative_to(media)
    assert stored.read_bytes() == b"%PDF-fake 5000"
    assert queued_tasks().get().status == "SUCCESSFUL"

    page = client.get(reverse("awards:document", args=[document.pk]))
    html = page.content.decode()
    assert 'http-equiv="refresh"' not in html
    assert not page.has_header("Refresh")
    assert reverse("awards:document_file", args=[document.pk]) in html

    download = client.get(reverse("awards:document_file", args=[document.pk]))
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"] == 'attachment; filename="bao-cao-5000.pdf"'
    assert body(download) == b"%PDF-fake 5000"


def test_task_is_queued_only_when_the_request_commits(cast, kinds,
                                                      django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        document = request_document(user=cast.office, kind="fake", params={"n": "5000"},
                                    fmt="xlsx")
    assert len(callbacks) == 1
    assert not queued_tasks().exists()

    callbacks[0]()

    assert queued_tasks().get().args_kwargs["args"] == [document.pk]


@LIVE
def test_small_document_can_be_sent_to_the_queue(cast, client_for, kinds):
    response = client_for(cast.office).get(url(kind="fake", n=5, background=1))
    assert response.status_code == 302
    assert queued_tasks().count() == 1
    run_worker()
    assert GeneratedDocument.objects.get().status == DocumentStatus.DONE


def test_worker_saves_progress_only_when_the_percent_changes(
        cast, kinds, django_assert_num_queries):
    document = GeneratedDocument.objects.create(kind="fake", params={"n": "5000"},
                                                file_format="pdf", requested_by=cast.office)
    # claim, load, 25 → 50 → 75 → 100 (0 is the starting value; repeats are skipped), final save
    with django_assert_num_queries(7):
        assert generate_document.call(document.pk) == DocumentStatus.DONE


def test_a_document_no_longer_queued_is_not_built_again(cast, kinds):
    document = GeneratedDocument.objects.create(
        kind="fake", params={"n": "5000"}, file_format="pdf", requested_by=cast.office,
        status=DocumentStatus.DONE, progress=100)
    assert generate_document.call(document.pk) == "skipped"
    document.refresh_from_db()
    assert document.status == DocumentStatus.DONE and not document.file


# Failures

def queue(client, **query):
    response = client.get(url(**query))
    assert response.status_code == 302
    return GeneratedDocument.objects.latest("pk")


@LIVE
def test_failing_build_marks_the_document_failed_with_its_error(cast, client_for, kinds, caplog):
    client = client_for(cast.office)
    document = queue(client, kind="broken", n=5000)

    run_worker()

    document.refresh_from_db()
    assert document.status == DocumentStatus.FAILED
    assert document.error == "RuntimeError: the year's ratings are missing"
    assert document.progress == 30
    assert document.finished_at is not None and not document.file
    assert "could not be generated" in caplog.text
    html = client.get(reverse("awards:document", args=[document.pk])).content.decode()
    assert vi(FAILED) in html
    assert "the year&#x27;s ratings are missing" in html
    assert 'http-equiv="refresh"' not in html
    assert reverse("awards:document_retry", args=[document.pk]) in html
    assert client.get(reverse("awards:document_file", args=[document.pk])).status_code == 404


@LIVE
def test_a_kind_no_longer_registered_fails_instead_of_hanging(cast, kinds):
    document = request_document(user=cast.office, kind="gone", params={}, fmt="pdf")
    run_worker()
    document.refresh_from_db()
    assert document.status == DocumentStatus.FAILED
    assert document.error == "KeyError: 'gone'"


@LIVE
def test_retry_queues_a_failed_document_again(cast, client_for, kinds, monkeypatch):
    client = client_for(cast.office)
    document = queue(client, kind="broken", n=5000)
    run_worker()
    monkeypatch.setitem(documents.REGISTRY, "broken", _kind())  # the cause was mended

    response = client.post(reverse("awards:document_retry", args=[document.pk]))

    assert response.status_code == 302
    document.refresh_from_db()
    assert (document.status, document.error, document.progress) == ("queued", "", 0)
    run_worker()
    document.refresh_from_db()
    assert document.status == DocumentStatus.DONE


def test_only_a_failed_document_can_be_retried(cast, client_for, kinds):
    document = GeneratedDocument.objects.create(kind="fake", params={"n": "5000"},
                                                file_format="pdf", requested_by=cast.office)
    response = client_for(cast.office).post(reverse("awards:document_retry", args=[document.pk]))
    assert response.status_code == 404


# The status page and the list

def test_status_page_while_queued(cast, client_for, kinds):
    document = GeneratedDocument.objects.create(kind="fake", params={"n": "5000"},
                                                file_format="pdf", requested_by=cast.office)
    GeneratedDocument.objects.filter(pk=document.pk).update(
        requested_at=datetime(2022, 3, 1, 1, 5, tzinfo=UTC))  # 08:05 in Bình Phước

    response = client_for(cast.office).get(reverse("awards:document", args=[document.pk]))

    html = response.content.decode()
    assert html.count("<h1") == 1
    assert "Báo cáo thử" in html
    assert "01/03/2022 08:05" in html
    assert '<meta http-equiv="refresh" content="2">' in html
    assert 'aria-valuenow="0"' in html
    assert "<script>" not in html  # no inline JavaScript: the page reloads by itself


def test_status_page_while_running_shows_the_percent(cast, client_for, kinds):
    document = GeneratedDocument.objects.create(
        kind="fake", params={"n": "5000"}, file_format="pdf", requested_by=cast.office,
        status=DocumentStatus.RUNNING, progress=40)
    html = client_for(cast.office).get(
        reverse("awards:document", args=[document.pk])).content.decode()
    assert 'aria-valuenow="40"' in html and "40%" in html
    assert '<meta http-equiv="refresh" content="2">' in html


def test_list_shows_all_my_documents_a_page_at_a_time_and_none_of_others(cast, client_for,
                                                                          kinds):
    mine = [GeneratedDocument.objects.create(kind="fake", params={"n": str(n)},
                                             file_format="pdf", requested_by=cast.office)
            for n in range(55)]
    theirs = GeneratedDocument.objects.create(kind="fake", params={"n": "1"},
                                              file_format="pdf", requested_by=cast.director)
    client = client_for(cast.office)

    first = client.get(reverse("awards:documents")).content.decode()
    second = client.get(reverse("awards:documents"), {"page": 2}).content.decode()

    assert first.count("<h1") == 1
    assert reverse("awards:document", args=[mine[-1].pk]) in first  # newest first
    assert reverse("awards:document", args=[mine[0].pk]) in second  # none is left out
    assert reverse("awards:document", args=[theirs.pk]) not in first + second


@pytest.mark.parametrize("count", [1, 15])
def test_list_keeps_its_query_count(cast, client_for, kinds, django_assert_num_queries, count):
    for _ in range(count):
        GeneratedDocument.objects.create(kind="fake", params={}, file_format="pdf",
                                         requested_by=cast.office, status=DocumentStatus.DONE)
    client = client_for(cast.office)
    # session, user, staff member (the viewer), the count for the pages, the documents
    with django_assert_num_queries(5):
        client.get(reverse("awards:documents"))


# Access

@pytest.mark.parametrize("role, status", expect(404, office=200, admin=200).items())
def test_a_document_is_seen_only_by_its_requester_and_administrators(cast, client_for, kinds,
                                                                     role, status):
    document = GeneratedDocument.objects.create(
        kind="fake", params={"n": "5000"}, file_format="pdf", requested_by=cast.office,
        status=DocumentStatus.FAILED)
    client = client_for(cast.users()[role])
    assert client.get(reverse("awards:document", args=[document.pk])).status_code == status
    retry = client.post(reverse("awards:document_retry", args=[document.pk]))
    assert retry.status_code == (302 if status == 200 else 404)


@pytest.mark.parametrize("role", ROLES)
def test_someone_elses_file_is_not_found(cast, client_for, kinds, role):
    document = GeneratedDocument.objects.create(
        kind="fake", params={"n": "5000"}, file_format="pdf", requested_by=cast.director,
        status=DocumentStatus.DONE, filename="bao-cao.pdf", progress=100)
    document.file.save("bao-cao.pdf", ContentFile(b"%PDF-fake"))
    response = client_for(cast.users()[role]).get(
        reverse("awards:document_file", args=[document.pk]))
    if role in ("director", "admin"):  # the requester and administrators get the file itself
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == b"%PDF-fake"
        assert response["Content-Disposition"].startswith("attachment")
    else:  # everyone else: not found, and not a byte of it
        assert response.status_code == 404
        assert b"%PDF-fake" not in response.content


@pytest.mark.parametrize("role, status", expect(200, head_a=404, head_b=404, staff=404).items())
def test_who_may_ask_for_a_document(cast, client_for, kinds, role, status):
    # The fake kind is for readers of everything (as the year-end report is).
    response = client_for(cast.users()[role]).get(url(kind="fake", n=5))
    assert response.status_code == status


def test_an_administrator_may_look_at_any_document(cast, client_for, kinds):
    document = GeneratedDocument.objects.create(kind="fake", params={"n": "5000"},
                                                file_format="pdf", requested_by=cast.office)
    response = client_for(cast.admin).get(reverse("awards:document", args=[document.pk]))
    assert response.status_code == 200


@pytest.mark.django_db
def test_anonymous_is_sent_to_login(client):
    for path in (url(kind="fake", n=5), reverse("awards:documents"),
                 reverse("awards:document", args=[1]), reverse("awards:document_file", args=[1])):
        response = client.get(path)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_refused_to_a_unit_head_as_not_found(cast, client_for, kinds):
    # The fake kind is for readers of everything; a head of unit must not learn more.
    for n in (5, 5000):
        response = client_for(cast.head_a).get(url(kind="fake", n=n))
        assert response.status_code == 404
    assert not GeneratedDocument.objects.exists()


def test_refused_to_someone_without_a_unit_as_forbidden(db, client_for, kinds):
    user = get_user_model().objects.create_user("khach", password="x")
    response = client_for(user).get(url(kind="fake", n=5))
    assert response.status_code == 403


@pytest.mark.parametrize("query", [
    dict(kind="unknown", n=5),
    dict(n=5),
    dict(kind="fake", n=5, fmt="docx"),
    dict(kind="fake", n="many"),
    dict(kind="fake"),
])
def test_unknown_kind_format_or_bad_params_are_not_found(cast, client_for, kinds, query):
    response = client_for(cast.office).get(url(**query))
    assert response.status_code == 404
    assert not GeneratedDocument.objects.exists()


def test_download_of_an_unfinished_document_is_not_found(cast, client_for, kinds):
    document = GeneratedDocument.objects.create(
        kind="fake", params={"n": "5000"}, file_format="pdf", requested_by=cast.office,
        status=DocumentStatus.RUNNING)
    response = client_for(cast.office).get(reverse("awards:document_file", args=[document.pk]))
    assert response.status_code == 404
