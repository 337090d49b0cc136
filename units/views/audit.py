"""The audit trail's page (Nhật ký hệ thống): directors and administrators search every
recorded action, and download what they found as Excel."""

import tempfile

from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit.display import action_label, describe
from core.spreadsheets.styles import XLSX_CONTENT_TYPE

from ..access import can_read_audit_trail, require
from ..documents import deliver
from ..exports import write_audit
from ..forms_audit import AuditFilterForm
from ..models import AuditEntry
from .registers import PAGE_SIZE


def audit_trail(request):
    require(can_read_audit_trail(request.user))
    form = AuditFilterForm(request.GET or None)
    entries = form.filter(AuditEntry.objects.for_listing())
    if request.GET.get("export") == "xlsx" and (not form.is_bound or form.is_valid()):
        return _download(request, entries)
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    page_query = f"{query.urlencode()}&" if query else ""
    describe(page)  # each line's changes, naming every object in one query per kind
    for entry in page:
        entry.label = action_label(entry.action)
    query.pop("export", None)
    return render(request, "units/audit_trail.html",
                  {"form": form, "page": page, "page_query": page_query,
                   "export_query": query.urlencode()})


def _download(request, entries):
    stream = tempfile.TemporaryFile()
    write_audit(entries, stream)
    name = f"nhat-ky-he-thong-{timezone.localdate():%Y%m%d}.xlsx"
    return deliver(request, stream, kind="units.audit", title=_("Audit trail"), filename=name,
                   content_type=XLSX_CONTENT_TYPE)
