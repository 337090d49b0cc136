"""Steps every test of a background export (core.jobs) takes: lower a kind's direct limit, run
the worker's task and read the percents it saved, break and mend the disk, and try the job's
pages as someone else. Shared by tests/<app>/test_*_jobs.py."""

import dataclasses
import re
import subprocess
from io import BytesIO

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from awards.jobs import generate_document
from awards.models import DocumentStatus, GeneratedDocument
from core import jobs

from .awards.test_documents_queue import FAILED, vi


def lower_limit(monkeypatch, name, rows=1):
    """The kind's direct limit lowered, so that a test's few rows count as large (the real
    limit is core.jobs.DIRECT_ROWS, read by every kind)."""
    monkeypatch.setitem(jobs.KINDS, name, dataclasses.replace(jobs.KINDS[name],
                                                              direct_rows=rows))


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def queued_from(response) -> GeneratedDocument:
    """The job a download answered with: a redirect to its status page."""
    document = GeneratedDocument.objects.latest("pk")
    assert response.status_code == 302
    assert response["Location"] == reverse("awards:document", args=[document.pk])
    assert document.status == DocumentStatus.QUEUED
    return document


def run_saving_progress(document) -> list[int]:
    """Run the worker's task on `document`; the percents it wrote to the row, in order."""
    with CaptureQueriesContext(connection) as queries:
        assert generate_document.call(document.pk) == DocumentStatus.DONE
    document.refresh_from_db()
    assert (document.status, document.progress) == (DocumentStatus.DONE, 100)
    return [int(found) for query in queries.captured_queries
            if query["sql"].startswith("UPDATE")
            for found in re.findall(r'"progress" = (\d+)', query["sql"])]


def fetch(client, document) -> bytes:
    document.refresh_from_db()
    response = client.get(reverse("awards:document_file", args=[document.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="{document.filename}"'
    return body(response)


def sheets(content: bytes) -> list[list[list]]:
    """Every sheet's rows of a workbook, as values."""
    book = load_workbook(BytesIO(content))
    return [[list(row) for row in sheet.iter_rows(values_only=True)] for sheet in book]


def pdf_text(content: bytes, tmp_path, name="file.pdf") -> str:
    path = tmp_path / name
    path.write_bytes(content)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                          text=True, check=True).stdout


def fails_in_vietnamese_then_retried(client, document, settings, tmp_path) -> None:
    """The worker cannot store the file (where it goes is not a folder: a full or broken disk):
    the job fails, its page says so in Vietnamese with a retry button; once the disk is mended
    the retry builds it."""
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("")
    settings.MEDIA_ROOT = blocked
    assert generate_document.call(document.pk) == DocumentStatus.FAILED
    document.refresh_from_db()
    assert document.status == DocumentStatus.FAILED and document.error
    html = client.get(reverse("awards:document", args=[document.pk])).content.decode()
    assert vi(FAILED) in html
    assert 'http-equiv="refresh"' not in html
    assert reverse("awards:document_retry", args=[document.pk]) in html

    settings.MEDIA_ROOT = tmp_path / "media"
    assert client.post(reverse("awards:document_retry", args=[document.pk])).status_code == 302
    document.refresh_from_db()
    assert (document.status, document.error, document.progress) == ("queued", "", 0)
    assert generate_document.call(document.pk) == DocumentStatus.DONE


def only_the_requester_reads(client_for, document, owner, others) -> None:
    """Someone else learns nothing of the job: its page and its file are 404."""
    for other in others:
        client = client_for(other)
        assert client.get(reverse("awards:document", args=[document.pk])).status_code == 404
        assert client.get(reverse("awards:document_file", args=[document.pk])).status_code \
            == 404
    assert client_for(owner).get(
        reverse("awards:document_file", args=[document.pk])).status_code == 200


def workbook_cells(content: bytes, *, named_style=True) -> list:
    """Everything a person sees in a workbook, to compare two cell for cell: sheets, panes,
    filters, widths, and each cell's value, type, number format, (named) style, font, fill,
    alignment, border and protection. `named_style=False` leaves out the style's name (the
    progress export registers named styles where the old writer set each cell's look)."""
    workbook = load_workbook(BytesIO(content))
    seen = []
    for ws in workbook.worksheets:
        seen.append((ws.title, ws.freeze_panes, ws.auto_filter.ref,
                     {key: dim.width for key, dim in ws.column_dimensions.items()}))
        for row in ws.iter_rows():
            seen.extend((cell.coordinate, cell.value, cell.data_type, cell.number_format,
                         *((cell.style,) if named_style else ()), repr(cell.font),
                         repr(cell.fill), repr(cell.alignment), repr(cell.border),
                         repr(cell.protection)) for cell in row)
    return seen
