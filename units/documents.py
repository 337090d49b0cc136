"""Every document the portal makes for a person is kept, so that "My documents" lists it.

A page that builds a file (an Excel export, a PDF, a template to fill) sends it through
`deliver`, which announces it with `document_made` before sending it as an attachment. The awards
app, which keeps the list of generated documents, stores a copy as its background worker does
(awards.services_documents.keep_made); apps to the left of it need not know it exists.
A heavy export goes through `deliver_job` instead, which hands a large one to the background
worker (core.jobs).
"""

import io
import logging

from django.dispatch import Signal
from django.http import FileResponse
from django.shortcuts import redirect

from core import jobs

logger = logging.getLogger(__name__)

# Sent with: user, kind (a short code such as "tasks.progress"), title (what the person asked
# for, as the page named it), filename, content_type, stream (a binary file object at its start).
document_made = Signal()


def deliver(request, stream, *, kind: str, title: str, filename: str, content_type: str):
    """Keep a copy of the document for `request.user`, then send it as an attachment.

    Keeping the copy never stops the download: a failure is logged, and the person still gets
    their file.
    """
    stream.seek(0)
    for _receiver, result in document_made.send_robust(
            sender=None, user=request.user, kind=kind, title=str(title), filename=filename,
            content_type=content_type, stream=stream):
        if isinstance(result, Exception):
            logger.error("A copy of %s for %s was not kept.", filename, request.user,
                         exc_info=result)
    stream.seek(0)
    return attachment(stream, filename, content_type)


def deliver_job(request, name: str, params: dict, *, title, background: bool = False):
    """The file of the job kind `name` (core.jobs): built at once and sent through `deliver` up
    to the kind's direct rows, else queued for the background worker, with a redirect to the
    page that shows its progress. The caller has decided access already; `background` queues
    even a small file (the worker's page is then the same for every size)."""
    if jobs.wants_worker(name, params, background=background):
        return redirect(jobs.queue(user=request.user, name=name, params=params, title=title))
    built = jobs.build(name, params)
    return deliver(request, io.BytesIO(built.content), kind=name, title=title,
                   filename=built.filename, content_type=built.content_type)


def attachment(stream, filename: str, content_type: str) -> FileResponse:
    """Documents are only ever downloaded, never shown or run by the browser."""
    response = FileResponse(stream, as_attachment=True, filename=filename,
                            content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
