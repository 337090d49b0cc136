"""The background worker's side of document generation.

`generate_document` runs in `manage.py db_worker` (a separate process, started beside the web
server by `make run`): it builds a queued GeneratedDocument through `awards.documents.build`,
the same function the views use for small documents (or, for the other apps' exports, through
`core.jobs.build`), and keeps the row's status and progress
up to date for the status page.
"""

import logging

from django.core.files.base import ContentFile
from django.utils import timezone
from django_tasks import task

from core import jobs

from . import documents
from .models import DocumentStatus, GeneratedDocument

logger = logging.getLogger(__name__)


@task()
def generate_document(document_id: int) -> str:
    """Build the document, store its file under MEDIA_ROOT and mark it done, or failed.

    Side effects: updates the GeneratedDocument row (status, progress, file, rows, pages,
    filename, error, finished_at) and writes one file. A document that is no longer queued
    (already run, or deleted) is left alone, so a task delivered twice does no harm.
    """
    claimed = GeneratedDocument.objects.filter(
        pk=document_id, status=DocumentStatus.QUEUED
    ).update(status=DocumentStatus.RUNNING, progress=0, error="")
    if not claimed:
        logger.warning("Document %s is not queued any more; nothing to do.", document_id)
        return "skipped"
    document = GeneratedDocument.objects.get(pk=document_id)
    try:
        built = _build(document, _progress_saver(document_id))
        document.file.save(f"{document_id}-{built.filename}", ContentFile(built.content),
                           save=False)
        document.filename = built.filename
        document.rows = built.rows
        document.pages = built.pages
        document.progress = 100
        document.status = DocumentStatus.DONE
        document.finished_at = timezone.now()
        document.save(update_fields=["file", "filename", "rows", "pages", "progress", "status",
                                     "finished_at"])
    except BaseException as exc:
        # Whatever happens — a bug in a kind, a full disk, the worker told to stop at once —
        # the row must not stay "running": people would wait for it forever.
        logger.exception("Document %s (%s) could not be generated.", document_id, document.kind)
        GeneratedDocument.objects.filter(pk=document_id).update(
            status=DocumentStatus.FAILED, error=_describe(exc), finished_at=timezone.now())
        if not isinstance(exc, Exception):
            raise
        return DocumentStatus.FAILED
    return DocumentStatus.DONE


def _build(document, progress):
    """The awards kinds through awards.documents; the other apps' exports through core.jobs
    (their registry lives in core so that tasks and scoring never import awards)."""
    if document.kind in jobs.KINDS:
        return jobs.build(document.kind, document.params, progress)
    return documents.build(document.kind, document.params, document.file_format, progress)


def _progress_saver(document_id: int):
    """A progress(percent) callback that writes to the database only when the percent changes."""
    last = {"percent": 0}

    def progress(percent) -> None:
        percent = max(0, min(100, int(percent)))
        if percent != last["percent"]:
            last["percent"] = percent
            GeneratedDocument.objects.filter(pk=document_id).update(progress=percent)

    return progress


def _describe(exc: BaseException) -> str:
    message = str(exc).strip()
    return f"{type(exc).__name__}: {message}" if message else type(exc).__name__
