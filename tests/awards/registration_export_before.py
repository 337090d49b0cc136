"""The registrations workbook as awards/registration_exports.py wrote it before it became
write-only (5 Dec 2026), frozen: tests/awards/test_registration_export.py compares the new one
with it cell for cell."""

from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from awards.models_registration import StaffRegistration, UnitRegistration
from core.spreadsheets.safe_text import append
from core.spreadsheets.styles import (
    BOLD,
    DATETIME_FORMAT,
    HEADER_ALIGNMENT,
    HEADER_FILL,
    sheet_title,
)
from units.collation import person_order, unit_order
from units.identity import stamp_workbook


def _local(moment):
    """A stored moment as the Office's clock read it; Excel cells carry no time zone."""
    return timezone.localtime(moment).replace(tzinfo=None) if moment else None


def _header(sheet, headers, widths) -> None:
    append(sheet, headers)
    for cell, width in zip(sheet[1], widths, strict=True):
        cell.font, cell.fill, cell.alignment = BOLD, HEADER_FILL, HEADER_ALIGNMENT
        sheet.column_dimensions[cell.column_letter].width = width
    sheet.freeze_panes = "A2"


def _formats(sheet, columns: dict) -> None:
    for row in sheet.iter_rows(min_row=2):
        for index, number_format in columns.items():
            row[index].number_format = number_format


PROGRESS_ROWS = 500


def people_rows(year: int, units):
    return StaffRegistration.objects.filter(year=year, registration__unit__in=units)


def write_registrations(year: int, units, stream, *, progress=None) -> int:
    """Every unit of `units` (a Unit queryset) with its registration of `year`, and every
    registered person of those units, into `stream`. Returns the number of people rows.
    `progress(percent)` (the background worker's) is called as the rows are written."""
    if progress is not None:
        total = units.count() + people_rows(year, units).count()
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = sheet_title(_("Units %(year)s") % {"year": year})
    _header(sheet, [_("No."), _("Unit"), _("Collective title registered"), _("Status"),
                    _("Sent on"), _("Late"), _("Accepted on"), _("People registered"),
                    _("Reason for returning"), _("Reason for accepting late")],
            (6, 40, 34, 22, 17, 8, 17, 12, 40, 40))
    found = {r.unit_id: r for r in UnitRegistration.objects.filter(year=year, unit__in=units)
             .select_related("award").annotate(people_count=Count("people")).order_by()}
    for number, unit in enumerate(units.order_by(*unit_order()), start=1):
        r = found.get(unit.pk)
        append(sheet, [number, unit.name, r.award.name if r and r.award else None,
                       r.get_status_display() if r else _("Not started"),
                       _local(r.sent_at) if r else None,
                       (_("yes") if r.late else None) if r else None,
                       _local(r.accepted_at) if r else None,
                       r.people_count if r else 0,
                       r.return_reason or None if r else None,
                       r.late_reason or None if r else None])
    _formats(sheet, {4: DATETIME_FORMAT, 6: DATETIME_FORMAT})
    units_written = sheet.max_row - 1
    if progress is not None:
        progress(min(99, units_written * 100 // max(total, 1)))

    people = workbook.create_sheet(sheet_title(_("People %(year)s") % {"year": year}))
    _header(people, [_("No."), _("Unit"), _("Staff ID"), _("Full name"), _("Position"),
                     _("Individual title registered"), _("Status"), _("Sent on")],
            (6, 40, 12, 30, 28, 34, 22, 17))
    rows = (people_rows(year, units).select_related("staff", "award", "registration__unit")
            .order_by(*unit_order("registration__unit__"), *person_order("staff__full_name"),
                      "pk"))
    count = 0
    for count, row in enumerate(rows.iterator(chunk_size=2000), start=1):
        registration = row.registration
        append(people, [count, registration.unit.name, row.staff_id, row.staff.full_name,
                        row.staff.position, row.award.name,
                        registration.get_status_display(), _local(registration.sent_at)])
        if progress is not None and count % PROGRESS_ROWS == 0:
            # Saving the workbook takes a while after the last row: 99 until it is stored.
            progress(min(99, (units_written + count) * 100 // max(total, 1)))
    _formats(people, {7: DATETIME_FORMAT})
    stamp_workbook(workbook)
    workbook.save(stream)
    return count
