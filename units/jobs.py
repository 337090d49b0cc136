"""The audit trail's workbook as a job of the background worker (core.jobs): years of recorded
actions (every report, score and award of a province) are written there, never in a web
request; a search that finds a few hundred lines is downloaded at once."""

from tempfile import SpooledTemporaryFile

from django.utils import timezone

from core import jobs
from core.spreadsheets.styles import XLSX_CONTENT_TYPE

from .exports import write_audit
from .forms_audit import AuditFilterForm
from .models import AuditEntry

AUDIT = "units.audit"


def audit_params(query, *, last=None) -> dict:
    """The job's params: the search as typed on the page (the form reads it again where the
    file is built) and the newest line at the time of asking, so that the worker's file lists
    what the person saw, not the lines recorded while it waited in the queue."""
    search = {key: value for key, value in query.items()
              if key not in ("export", "background", "page")}
    if last is None:
        last = AuditEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    return {"search": search, "last": last}


def entries(params):
    # A search no longer valid where the file is built (a unit removed since) lists nothing
    # rather than everything (AuditFilterForm.filter).
    form = AuditFilterForm(params["search"] or None)
    return form.filter(AuditEntry.objects.for_listing()).filter(pk__lte=params["last"])


def filename() -> str:
    return f"nhat-ky-he-thong-{timezone.localdate():%Y%m%d}.xlsx"


def _rows(params) -> int:
    return entries(params).count()


def _build(params, progress) -> jobs.Built:
    found = entries(params)
    # Kept in memory up to 8 MB, then on disk, while it is written.
    with SpooledTemporaryFile(max_size=8 * 1024 * 1024) as stream:
        rows = write_audit(found, stream, progress=progress)
        stream.seek(0)
        return jobs.Built(stream.read(), filename(), XLSX_CONTENT_TYPE, rows)


def register() -> None:
    jobs.register(AUDIT, jobs.JobKind(rows=_rows, build=_build))
