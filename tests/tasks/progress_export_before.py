"""The progress export as it was before issue 19 (model instances, a cell per value): a frozen
copy, the reference the new streamed writer must match cell for cell (test_export_jobs.py)."""

import datetime

from django.db.models import Count, OuterRef, Subquery
from django.utils import timezone

# Not `_`: makemessages would list this frozen copy beside the writer for every msgid.
from django.utils.translation import gettext as frozen_
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from core.spreadsheets.safe_text import append
from core.spreadsheets.styles import (
    BOLD,
    DATE_FORMAT,
    HEADER_ALIGNMENT,
    HEADER_FILL,
    WRAP,
    number_format,
    sheet_title,
)
from tasks.models import Assignment, ProgressReport, ReportStatus, period_label
from units.collation import unit_order
from units.identity import stamp_workbook


def _columns():
    """(header, width in characters) of the progress sheets, in order."""
    return [
        (frozen_("Task"), 48),
        (frozen_("Unit"), 34),
        (frozen_("Target"), 11),
        (frozen_("Latest reporting period"), 16),
        (frozen_("Value reached in that period"), 14),
        (frozen_("Report status"), 16),
        (frozen_("Deadline"), 12),
        (frozen_("Date submitted"), 12),
        (frozen_("Date reviewed"), 12),
        (frozen_("Overdue periods"), 10),
    ]


def _status_label(status: str | None) -> str:
    return str(ReportStatus(status).label) if status else frozen_("No report yet")


def _local_date(moment: datetime.datetime | None) -> datetime.date | None:
    return timezone.localtime(moment).date() if moment else None


def progress_rows(campaign, today: datetime.date):
    """Assignments of the campaign with their latest report annotated, in sheet order (1 query)."""
    latest = ProgressReport.objects.filter(assignment=OuterRef("pk")).order_by("-period")
    return (
        Assignment.objects.filter(task__item__campaign=campaign)
        .with_progress(today)
        .annotate(
            latest_value_date=Subquery(latest.values("value_date")[:1]),
            latest_submitted_at=Subquery(latest.values("submitted_at")[:1]),
            latest_reviewed_at=Subquery(latest.values("reviewed_at")[:1]),
        )
        .order_by("task__item__number", "task_id", *unit_order("unit__"))
    )


def _cell(ws, value, number_format=None, *, header=False):
    cell = WriteOnlyCell(ws, value=value)
    if number_format and value is not None:
        cell.number_format = number_format
    if header:
        cell.font, cell.fill, cell.alignment = BOLD, HEADER_FILL, HEADER_ALIGNMENT
    return cell


def _row(ws, assignment, today, due_counts):
    reached = assignment.latest_value
    if assignment.latest_value_date is not None:
        reached = assignment.latest_value_date
    # Periods depend only on the task and the deadline: count the past-due ones once per pair
    # instead of building twelve Period objects for every row.
    key = (assignment.task_id, assignment.effective_deadline)
    if key not in due_counts:
        due_counts[key] = len(assignment.due_periods(today))
    task_cell = _cell(ws, assignment.task.title)
    task_cell.alignment = WRAP
    return [
        task_cell,
        _cell(ws, assignment.unit.name),
        _cell(ws, assignment.effective_target, number_format(assignment.effective_target)),
        _cell(ws, period_label(assignment.latest_period)),
        _cell(ws, reached,
              DATE_FORMAT if isinstance(reached, datetime.date) else number_format(reached)),
        _cell(ws, _status_label(assignment.latest_status)),
        _cell(ws, assignment.effective_deadline, DATE_FORMAT),
        _cell(ws, _local_date(assignment.latest_submitted_at), DATE_FORMAT),
        _cell(ws, _local_date(assignment.latest_reviewed_at), DATE_FORMAT),
        _cell(ws, max(0, due_counts[key] - assignment.reported_count)),
    ]


def write_progress_workbook(campaign, stream, *, today: datetime.date | None = None) -> int:
    """Write the campaign's progress as .xlsx to a binary stream; return the assignment rows.

    Headers follow the active language. Side effects: none besides writing to `stream`.
    """
    today = today or timezone.localdate()
    columns = _columns()
    last_column = get_column_letter(len(columns))
    items = list(campaign.items.all())
    # Row counts per item first (the filter range is written before the rows), then the rows
    # are streamed: holding every assignment in memory cost 340 MB at province scale.
    counts = dict(
        Assignment.objects.filter(task__item__campaign=campaign)
        .values_list("task__item").annotate(n=Count("id")).order_by()
    )

    workbook = Workbook(write_only=True)
    sheets = {}
    for item in items:
        ws = workbook.create_sheet(sheet_title(f"ND {item.number}"))
        # Write-only sheets take widths, panes and filters before the first row.
        for index, (_header, width) in enumerate(columns, start=1):
            ws.column_dimensions[get_column_letter(index)].width = width
        ws.freeze_panes = "A3"
        ws.auto_filter.ref = f"A2:{last_column}{2 + counts.get(item.pk, 0)}"
        heading = frozen_("%(code)s – content item %(number)s: %(text)s (as of %(date)s)")
        title = _cell(ws, heading % {
            "code": campaign.code, "number": item.number,
            "text": item.short_title or item.text, "date": f"{today:%d/%m/%Y}",
        })
        title.font = Font(bold=True, size=13)
        append(ws, [title])
        append(ws, [_cell(ws, header, header=True) for header, _width in columns])
        sheets[item.pk] = ws
    written = 0
    due_counts = {}
    for assignment in progress_rows(campaign, today).iterator(chunk_size=2000):
        ws = sheets[assignment.task.item_id]
        append(ws, _row(ws, assignment, today, due_counts))
        written += 1
    if not items:
        ws = workbook.create_sheet(sheet_title(frozen_("Progress")))
        append(ws, [frozen_("This plan has no content items yet.")])
    stamp_workbook(workbook)
    workbook.save(stream)
    return written
