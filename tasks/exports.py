"""The progress of a campaign as an Excel workbook: one sheet per content item.

Written in openpyxl's write-only mode (rows streamed to a temporary file, little memory), from
three queries whatever the number of assignments: the content items, the rows per item, then
the assignments with their latest report annotated, read as plain tuples from a cursor that
streams them (server-side on PostgreSQL). Cells share named styles registered once. Large plans
are built by the background worker (tasks/jobs.py), which shows `progress` as rows are written.
"""

import datetime
from copy import copy

from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import DEFAULT_FONT, Font, NamedStyle
from openpyxl.styles.borders import DEFAULT_BORDER
from openpyxl.utils import get_column_letter

from core.spreadsheets.rows import RowCells
from core.spreadsheets.safe_text import append
from core.spreadsheets.styles import (
    BOLD,
    DATE_FORMAT,
    DECIMAL_FORMAT,
    HEADER_ALIGNMENT,
    HEADER_FILL,
    WHOLE_FORMAT,
    WRAP,
    number_format,
    sheet_title,
)
from units.collation import unit_order
from units.identity import stamp_workbook

from .models import Assignment, ProgressReport, ReportStatus, period_label, periods_for


def _columns():
    """(header, width in characters) of the progress sheets, in order."""
    return [
        (_("Task"), 48),
        (_("Unit"), 34),
        (_("Target"), 11),
        (_("Latest reporting period"), 16),
        (_("Value reached in that period"), 14),
        (_("Report status"), 16),
        (_("Deadline"), 12),
        (_("Date submitted"), 12),
        (_("Date reviewed"), 12),
        (_("Overdue periods"), 10),
    ]


def _cell(ws, value, number_format=None, *, header=False):
    cell = WriteOnlyCell(ws, value=value)
    if number_format and value is not None:
        cell.number_format = number_format
    if header:
        cell.font, cell.fill, cell.alignment = BOLD, HEADER_FILL, HEADER_ALIGNMENT
    return cell


# The columns a row reads, as plain tuples: model instances cost more than the XML they feed
# (60,000 Assignments with their task, item and unit were a third of the export's time).
_FIELDS = ("task__item_id", "task_id", "task__title", "task__cadence", "task__deadline",
           "task__target_value", "unit__name", "target_value", "deadline", "latest_period",
           "latest_status", "latest_value", "latest_value_date", "latest_submitted_at",
           "latest_reviewed_at", "reported_count")


def _row_values(campaign, today):
    """The rows as tuples of `_FIELDS`, streamed 2,000 at a time (a server-side cursor on
    PostgreSQL unless DISABLE_SERVER_SIDE_CURSORS, for PgBouncer in transaction mode)."""
    latest = ProgressReport.objects.filter(assignment=OuterRef("pk")).order_by("-period")
    reported = (
        ProgressReport.objects.filter(
            assignment=OuterRef("pk"), period_due__lte=today,
            status__in=[ReportStatus.SUBMITTED, ReportStatus.ACCEPTED])
        .order_by().values("assignment").annotate(n=Count("pk")).values("n")
    )
    return (
        Assignment.objects.filter(task__item__campaign=campaign)
        .annotate(
            latest_period=Subquery(latest.values("period")[:1]),
            latest_status=Subquery(latest.values("status")[:1]),
            latest_value=Subquery(latest.values("value")[:1]),
            latest_value_date=Subquery(latest.values("value_date")[:1]),
            latest_submitted_at=Subquery(latest.values("submitted_at")[:1]),
            latest_reviewed_at=Subquery(latest.values("reviewed_at")[:1]),
            # The count of AssignmentQuerySet.with_progress as a subquery: no GROUP BY, which
            # on SQLite sorted every row through the Python Vietnamese collation.
            reported_count=Coalesce(Subquery(reported), 0),
        )
        .order_by("task__item__number", "task_id", *unit_order("unit__"))
        .values_list(*_FIELDS)
        .iterator(chunk_size=2000)
    )


class _Styles:
    """The sheet's cell styles, registered once per workbook as named styles, and one cell per
    sheet, column and style, reused for every row (core.spreadsheets.rows.RowCells): building a
    cell and setting its style 50,000 times a sheet cost more than writing the XML."""

    def __init__(self, workbook, sheets):
        self.sheets = sheets  # sheet -> its RowCells
        self.names = {}
        for name, number_format_, alignment in [
            ("Progress wrap", "General", WRAP),
            ("Progress date", DATE_FORMAT, None),
            ("Progress whole", WHOLE_FORMAT, None),
            ("Progress decimal", DECIMAL_FORMAT, None),
        ]:
            # The workbook's default font and border, as the old unstyled cells had.
            style = NamedStyle(name=name, number_format=number_format_,
                               font=copy(DEFAULT_FONT), border=copy(DEFAULT_BORDER))
            if alignment is not None:
                style.alignment = alignment
            workbook.add_named_style(style)
            self.names[number_format_] = name

    def cell(self, ws, column, value, number_format_=None):
        """The value in `number_format_`, or unstyled without one (None stays None: the old
        writer left empty cells unformatted too). Text is never read as a formula (RowCells
        sees to it as the row is written)."""
        if value is None:
            return None
        cell = self.sheets[ws].reused(
            (column, number_format_),
            style=None if number_format_ is None else self.names[number_format_])
        cell.value = value
        return cell


def _write_rows(sheets, rows, today, year, styles, progress, total):
    """Append every row to its item's sheet; call progress(percent) every 500 rows."""
    due_counts = {}  # (cadence, deadline) -> past-due periods: the same for every unit
    status_labels, period_labels = {}, {}  # translated once, not 60,000 times
    no_report = _("No report yet")
    zone = timezone.get_current_timezone()
    written = 0
    for (item_id, _task_id, title, cadence, task_deadline, task_target, unit_name, target,
         deadline, latest_period, latest_status, latest_value, latest_value_date,
         submitted_at, reviewed_at, reported_count) in rows:
        ws = sheets[item_id]
        deadline = deadline or task_deadline
        target = target if target is not None else task_target
        key = (cadence, deadline)
        if key not in due_counts:
            due_counts[key] = sum(1 for p in periods_for(cadence, year, deadline)
                                  if p.due <= today)
        if latest_status not in status_labels:
            status_labels[latest_status] = (str(ReportStatus(latest_status).label)
                                            if latest_status else no_report)
        if latest_period not in period_labels:
            period_labels[latest_period] = period_label(latest_period)
        reached = latest_value_date if latest_value_date is not None else latest_value
        ws.append([
            styles.cell(ws, 1, title, "General"),
            styles.cell(ws, 2, unit_name),
            styles.cell(ws, 3, target, number_format(target)),
            styles.cell(ws, 4, period_labels[latest_period]),
            styles.cell(ws, 5, reached, DATE_FORMAT if isinstance(reached, datetime.date)
                        else number_format(reached)),
            styles.cell(ws, 6, status_labels[latest_status]),
            styles.cell(ws, 7, deadline, DATE_FORMAT),
            styles.cell(ws, 8, submitted_at and submitted_at.astimezone(zone).date(),
                        DATE_FORMAT),
            styles.cell(ws, 9, reviewed_at and reviewed_at.astimezone(zone).date(),
                        DATE_FORMAT),
            styles.cell(ws, 10, max(0, due_counts[key] - reported_count)),
        ])
        written += 1
        if written % 500 == 0:
            progress(written * 100 // max(total, 1))
    return written


def progress_row_count(campaign_id) -> int:
    return Assignment.objects.filter(task__item__campaign_id=campaign_id).count()


def write_progress_workbook(campaign, stream, *, today: datetime.date | None = None,
                            progress=lambda percent: None) -> int:
    """Write the campaign's progress as .xlsx to a binary stream; return the assignment rows.

    Headers follow the active language; `progress(percent)` is called as rows are written (the
    background worker shows it). Side effects: none besides writing to `stream`.
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
    sheets, row_cells = {}, {}  # item -> its sheet; sheet -> its RowCells
    for item in items:
        ws = workbook.create_sheet(sheet_title(f"ND {item.number}"))
        # Write-only sheets take widths, panes and filters before the first row.
        for index, (_header, width) in enumerate(columns, start=1):
            ws.column_dimensions[get_column_letter(index)].width = width
        ws.freeze_panes = "A3"
        ws.auto_filter.ref = f"A2:{last_column}{2 + counts.get(item.pk, 0)}"
        title = _cell(ws, _("%(code)s – content item %(number)s: %(text)s (as of %(date)s)") % {
            "code": campaign.code, "number": item.number,
            "text": item.short_title or item.text, "date": f"{today:%d/%m/%Y}",
        })
        title.font = Font(bold=True, size=13)
        append(ws, [title])
        append(ws, [_cell(ws, header, header=True) for header, _width in columns])
        row_cells[ws] = RowCells(ws)
        sheets[item.pk] = ws
    written = _write_rows(sheets, _row_values(campaign, today), today, campaign.year,
                          _Styles(workbook, row_cells), progress, sum(counts.values()))
    if not items:
        ws = workbook.create_sheet(sheet_title(_("Progress")))
        append(ws, [_("This plan has no content items yet.")])
    stamp_workbook(workbook)
    workbook.save(stream)
    progress(100)
    return written
