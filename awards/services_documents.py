"""Asking the background worker for a document, and asking again after a failure; keeping the
documents made at once in the request, so that "My documents" lists every one."""

import logging
import os
from functools import partial

from django.core.files import File
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from .jobs import generate_document
from .models import DocumentStatus, GeneratedDocument

logger = logging.getLogger(__name__)


def request_document(*, user, kind: str, params: dict, fmt: str, title: str = ""
                     ) -> GeneratedDocument:
    """Record a request for a document and queue its generation.

    Side effects: creates one GeneratedDocument (status "queued"); once the surrounding
    transaction commits, one task in the queue. Queueing after the commit means the worker
    never picks up a task whose row it cannot see yet, nor one for a row that was rolled back.
    `params` must already have passed the kind's `clean`; they are stored as given. `title`
    names a kind of core.jobs on the pages (the awards kinds name themselves).
    """
    with transaction.atomic():
        document = GeneratedDocument.objects.create(
            kind=kind, title=title[:300], params=params, file_format=fmt, requested_by=user)
        transaction.on_commit(partial(_enqueue, document.pk))
    return document


def queue_job(*, user, kind: str, params: dict, fmt: str, title: str) -> str:
    """The queue of core.jobs (installed in AwardsConfig.ready): records and queues a job of
    another app and answers the URL of its status page."""
    document = request_document(user=user, kind=kind, params=params, fmt=fmt, title=title)
    return reverse("awards:document", args=[document.pk])


def retry_document(*, document: GeneratedDocument) -> GeneratedDocument:
    """Queue a failed document again.

    Side effects: resets the row to "queued" (progress, error and finish time cleared) and, after
    the commit, queues one task. Anything but a failed document is returned unchanged.
    """
    with transaction.atomic():
        updated = GeneratedDocument.objects.filter(
            pk=document.pk, status=DocumentStatus.FAILED
        ).update(status=DocumentStatus.QUEUED, progress=0, error="", finished_at=None)
        if updated:
            transaction.on_commit(partial(_enqueue, document.pk))
    document.refresh_from_db()
    return document


def _enqueue(document_id: int) -> None:
    try:
        generate_document.enqueue(document_id)
    except Exception as exc:
        # Without a task the row would wait in "queued" forever; say so on the status page.
        logger.exception("Document %s could not be queued.", document_id)
        GeneratedDocument.objects.filter(pk=document_id).update(
            status=DocumentStatus.FAILED, error=f"{type(exc).__name__}: {exc}")


@transaction.atomic
def keep_document(*, user, kind: str, content, filename: str, fmt: str, title: str = "",
                  params=None, rows=None, pages=None) -> GeneratedDocument:
    """Record a document made in the request as done, with a copy of its file.

    Side effects: one GeneratedDocument (status "done") and one file under MEDIA_ROOT, named as
    the worker names its files ("<id>-<filename>", under documents/<year>/<month>/). `content`
    is bytes or a binary file object at its start. Nothing is kept if the file cannot be written.
    """
    now = timezone.now()
    document = GeneratedDocument.objects.create(
        kind=kind, title=title[:300], params=params or {}, file_format=fmt[:5],
        requested_by=user, status=DocumentStatus.RUNNING, filename=filename, rows=rows,
        pages=pages)
    stored = ContentFile(content) if isinstance(content, bytes) else File(content)
    document.file.save(f"{document.pk}-{filename}", stored, save=False)
    document.status, document.progress, document.finished_at = DocumentStatus.DONE, 100, now
    document.save(update_fields=["file", "status", "progress", "finished_at"])
    return document


def keep_made(sender, *, user, kind, title, filename, content_type, stream, **kwargs):
    """Receiver of units.documents.document_made: the pages of the other apps' downloads."""
    if not getattr(user, "is_authenticated", False):
        return None
    fmt = os.path.splitext(filename)[1].lstrip(".").lower() or "bin"
    return keep_document(user=user, kind=kind, content=stream, filename=filename, fmt=fmt,
                         title=title)
