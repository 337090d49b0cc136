"""Every document the portal makes for a person is kept, so that "My documents" lists it.

A page that builds a file (an Excel export, a PDF, a template to fill) sends it through
`deliver`, which announces it with `document_made` before sending it as an attachment. The awards
app, which keeps the list of generated documents, stores a copy as its background worker does
(awards.services_documents.keep_made); apps to the left of it need not know it exists.
"""

import logging

from django.dispatch import Signal
from django.http import FileResponse

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


def attachment(stream, filename: str, content_type: str) -> FileResponse:
    """Documents are only ever downloaded, never shown or run by the browser."""
    response = FileResponse(stream, as_attachment=True, filename=filename,
                            content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
