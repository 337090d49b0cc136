"""Report downloads: small documents at once, long ones through the background worker.

`document_get` is the one link every "download" button points at. It checks the kind and its
parameters, asks the kind who may have it, then either builds the file in the request (up to
the kind's `direct_rows`, `DIRECT_ROWS` for most) or records a GeneratedDocument, queues it and
sends the person to its status page, which refreshes itself until the file is ready. A document
built at once is recorded too, done, with a copy of its file: "My documents" lists everything
made for the person.
"""

import io
import logging

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from units.documents import attachment

from .. import documents
from ..access import get_document_for, refuse_document
from ..models import DocumentStatus, GeneratedDocument
from ..services_documents import keep_document, request_document, retry_document

logger = logging.getLogger(__name__)

# Query parameters that choose how to deliver the document; all others go to the kind.
DELIVERY = {"kind", "fmt", "background"}
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "zip": "application/zip",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
PAGE_SIZE = 50
REFRESH_SECONDS = 2  # how often the status page reloads while the worker is busy


@require_GET
def document_get(request):
    """?kind=&fmt=&<params>: the file at once, or a redirect to the status page of a queued one.

    `background=1` queues even a short document.
    """
    params = {key: value for key, value in request.GET.items() if key not in DELIVERY}
    return deliver(request, request.GET.get("kind", ""), params, request.GET.get("fmt", "pdf"),
                   background=request.GET.get("background") == "1")


def deliver(request, name, params, fmt, *, background=False):
    """The document `name` of `params` in `fmt`: the file at once up to the kind's direct_rows
    (DIRECT_ROWS for most), or a
    redirect to the status page of a queued one (also what another page's download, such as
    the dossier's ZIP, answers with)."""
    kind = documents.REGISTRY.get(name)
    if kind is None or fmt not in kind.formats:
        raise Http404
    try:
        cleaned = kind.clean(params)
    except (ValueError, LookupError, TypeError, ObjectDoesNotExist, ValidationError):
        raise Http404 from None
    if not kind.allowed(request.user, cleaned):
        refuse_document(request.user)
    if kind.rows(cleaned) <= kind.direct_rows and not background:
        built = documents.build(name, params, fmt)
        try:
            keep_document(user=request.user, kind=name, params=params, fmt=fmt,
                          content=built.content, filename=built.filename, rows=built.rows,
                          pages=built.pages)
        except Exception:
            # The person still gets the file they asked for; only the copy is missing.
            logger.exception("A copy of %s for %s was not kept.", built.filename, request.user)
        return attachment(io.BytesIO(built.content), built.filename, built.content_type)
    document = request_document(user=request.user, kind=name, params=params, fmt=fmt)
    return redirect("awards:document", pk=document.pk)


@require_GET
def document_status(request, pk):
    """The status page: progress while queued or running (it reloads itself), then the file."""
    document = get_document_for(request.user, pk)
    waiting = document.status in (DocumentStatus.QUEUED, DocumentStatus.RUNNING)
    response = render(request, "awards/document.html", {
        "document": document, "title": _title(document), "waiting": waiting,
        "refresh_seconds": REFRESH_SECONDS,
    })
    if waiting:
        # The meta refresh in the page, said again as a header: neither needs JavaScript.
        response["Refresh"] = str(REFRESH_SECONDS)
        response["Cache-Control"] = "no-store"
    return response


@require_POST
def document_retry(request, pk):
    document = get_document_for(request.user, pk)
    if document.status != DocumentStatus.FAILED:
        raise Http404
    retry_document(document=document)
    return redirect("awards:document", pk=document.pk)


@require_GET
def document_file(request, pk):
    document = get_document_for(request.user, pk)
    if document.status != DocumentStatus.DONE or not document.file:
        raise Http404
    try:
        stored = document.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return attachment(stored, document.filename,
                      CONTENT_TYPES.get(document.file_format, "application/octet-stream"))


@require_GET
def document_list(request):
    """Every document made for the signed-in person, newest first, a page at a time."""
    rows = GeneratedDocument.objects.filter(requested_by=request.user).order_by(
        "-requested_at", "-pk")
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    for row in page:
        row.title = _title(row)
    return render(request, "awards/documents.html", {"page": page, "documents": page})


def _title(document):
    if document.title:
        return document.title
    kind = documents.REGISTRY.get(document.kind)
    return kind.title if kind else document.kind
