"""A year's emulation registrations as an Excel workbook: one sheet of units (the collective
title, the status and its dates), one of people (each person's registered title)."""

from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from core.spreadsheets.rows import RowCells
from core.spreadsheets.styles import DATETIME_FORMAT
from core.spreadsheets.tables import table
from units.collation import person_order, unit_order
from units.identity import stamp_workbook

from .models_registration import RegistrationStatus, StaffRegistration, UnitRegistration


def _local(moment):
    """A stored moment as the Office's clock read it; Excel cells carry no time zone."""
    return timezone.localtime(moment).replace(tzinfo=None) if moment else None


PROGRESS_ROWS = 500


def people_rows(year: int, units):
    return StaffRegistration.objects.filter(year=year, registration__unit__in=units)


def write_registrations(year: int, units, stream, *, progress=None) -> int:
    """Every unit of `units` (a Unit queryset) with its registration of `year`, and every
    registered person of those units, into `stream`. Returns the number of people rows.
    `progress(percent)` (the background worker's) is called as the rows are written.

    Write-only, the people streamed as plain values (a server-side cursor on PostgreSQL): a
    province's 60,000 registered people are never all in memory, as model objects or as cells.
    """
    unit_total = units.count()
    people = people_rows(year, units)
    people_total = people.count()
    total = unit_total + people_total
    statuses = {value: str(label) for value, label in RegistrationStatus.choices}
    workbook = Workbook(write_only=True)
    sheet = table(workbook, _("Units %(year)s") % {"year": year}, [
        (_("No."), 6), (_("Unit"), 40), (_("Collective title registered"), 34),
        (_("Status"), 22), (_("Sent on"), 17), (_("Late"), 8), (_("Accepted on"), 17),
        (_("People registered"), 12), (_("Reason for returning"), 40),
        (_("Reason for accepting late"), 40)], rows=unit_total)
    cells = RowCells(sheet)
    found = {r.unit_id: r for r in UnitRegistration.objects.filter(year=year, unit__in=units)
             .select_related("award").annotate(people_count=Count("people")).order_by()}
    not_started = _("Not started")
    for number, (unit_id, name) in enumerate(
            units.order_by(*unit_order()).values_list("pk", "name"), start=1):
        r = found.get(unit_id)
        if r is None:
            sheet.append([number, name, None, not_started, None, None, None, 0])
            continue
        sheet.append([number, name, r.award.name if r.award else None, statuses[r.status],
                      cells.cell(5, _local(r.sent_at), DATETIME_FORMAT),
                      _("yes") if r.late else None,
                      cells.cell(7, _local(r.accepted_at), DATETIME_FORMAT), r.people_count,
                      r.return_reason or None, r.late_reason or None])
    if progress is not None:
        progress(min(99, unit_total * 100 // max(total, 1)))

    sheet = table(workbook, _("People %(year)s") % {"year": year}, [
        (_("No."), 6), (_("Unit"), 40), (_("Staff ID"), 12), (_("Full name"), 30),
        (_("Position"), 28), (_("Individual title registered"), 34), (_("Status"), 22),
        (_("Sent on"), 17)], rows=people_total)
    cells = RowCells(sheet)
    rows = (people.order_by(*unit_order("registration__unit__"),
                            *person_order("staff__full_name"), "pk")
            .values_list("registration__unit__name", "staff_id", "staff__full_name",
                         "staff__position", "award__name", "registration__status",
                         "registration__sent_at"))
    count = 0
    for count, (unit, staff_id, name, position, award, status, sent_at) in enumerate(
            rows.iterator(chunk_size=2000), start=1):
        sheet.append([count, unit, staff_id, name, position, award, statuses[status],
                      cells.cell(8, _local(sent_at), DATETIME_FORMAT)])
        if progress is not None and count % PROGRESS_ROWS == 0:
            # Saving the workbook takes a while after the last row: 99 until it is stored.
            progress(min(99, (unit_total + count) * 100 // max(total, 1)))
    stamp_workbook(workbook)
    workbook.save(stream)
    return count
