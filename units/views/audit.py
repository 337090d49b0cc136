"""The audit trail's page (Nhật ký hệ thống): directors and administrators search every
recorded action, and download what they found as Excel (at once up to core.jobs' direct rows,
else through the background worker and its progress page)."""

from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.translation import gettext as _

from core.audit.display import action_label, describe

from ..access import can_read_audit_trail, require
from ..documents import deliver_job
from ..forms_audit import AuditFilterForm
from ..jobs import AUDIT, audit_params
from ..models import AuditEntry
from .registers import PAGE_SIZE


def audit_trail(request):
    require(can_read_audit_trail(request.user))
    form = AuditFilterForm(request.GET or None)
    entries = form.filter(AuditEntry.objects.for_listing())
    if request.GET.get("export") == "xlsx" and (not form.is_bound or form.is_valid()):
        # "Nhật ký hệ thống (Đơn vị: …; Từ: 01/03/2022)": the search names the file in My
        # documents (a title holds 300 characters).
        search = form.summary()
        title = f"{_('Audit trail')} ({search})" if search else _("Audit trail")
        return deliver_job(request, AUDIT, audit_params(request.GET), title=title[:300],
                           background=request.GET.get("background") == "1")
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

