"""Asking the background worker for a document, and asking again after a failure."""

import logging
from functools import partial

from django.db import transaction

from .jobs import generate_document
from .models import DocumentStatus, GeneratedDocument

logger = logging.getLogger(__name__)


def request_document(*, user, kind: str, params: dict, fmt: str) -> GeneratedDocument:
    """Record a request for a document and queue its generation.

    Side effects: creates one GeneratedDocument (status "queued"); once the surrounding
    transaction commits, one task in the queue. Queueing after the commit means the worker
    never picks up a task whose row it cannot see yet, nor one for a row that was rolled back.
    `params` must already have passed the kind's `clean`; they are stored as given.
    """
    with transaction.atomic():
        document = GeneratedDocument.objects.create(
            kind=kind, params=params, file_format=fmt, requested_by=user)
        transaction.on_commit(partial(_enqueue, document.pk))
    return document


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
