"""Importing assignments (task × unit, with an optional own target and deadline) from Excel.

`parse` reads and checks every row, writing nothing; `apply` writes all rows or none. Between
the two, the preview keeps only plain values (`ImportResult.to_plain` / `from_plain`): the rows
are checked again against the database when the Office confirms.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from core.audit.trail import record
from core.dates import parse_date
from core.numbers import NumberFormatError, is_whole, parse_number
from core.spreadsheets.import_preview import (
    ERROR,
    MAX_ROWS,
    NEW,
    UNCHANGED,
    UPDATE,
    ImportFileError,
    PreviewResult,
    cell_text,
    check_header,
    read_first_sheet,
    too_many_rows,
    whole_id,
)
from core.spreadsheets.safe_text import append
from core.spreadsheets.styles import BOLD, DATE_FORMAT, sheet_title
from units.identity import stamp_workbook
from units.models import Unit, UnitKind

from . import tallies
from .models import Assignment, IndicatorKind, Task

TARGET_LIMIT = Decimal("10000000000")  # max_digits=12, decimal_places=2
CENT = Decimal("0.01")


# The six columns of the template, in order; a header is accepted in English or Vietnamese.
HEADERS = [gettext_noop("Task ID"), gettext_noop("Task"), gettext_noop("Unit code"),
           gettext_noop("Unit"), gettext_noop("Own target"), gettext_noop("Own deadline")]


def _translated_headers():
    return [_(header) for header in HEADERS]


def _reference_sheet_name():
    return _("Reference lists")


def assignable_units():
    """Units a task may be assigned to: as on the assign page (not the root, board or union)."""
    return (Unit.objects.assignable()
            .exclude(kind__in=[UnitKind.BOARD, UnitKind.UNION]))


@dataclass
class ImportRow:
    number: int
    task_ref: str = ""
    unit_ref: str = ""
    task: Task | None = None
    unit: Unit | None = None
    target: Decimal | None = None
    deadline: datetime.date | None = None
    status: str = NEW
    errors: list[str] = field(default_factory=list)
    # For an update: what the database holds now.
    old_target: Decimal | None = None
    old_deadline: datetime.date | None = None

    @property
    def key(self):
        return (self.task.pk, self.unit.pk)


@dataclass
class ImportResult(PreviewResult):
    campaign: object = None

    def to_plain(self) -> list[list]:
        """JSON-safe values of valid rows, for the session between preview and confirm."""
        if self.has_errors:
            raise ValueError("A result with errors cannot be kept for confirmation.")
        return [[row.number, row.task.pk, row.unit.code,
                 str(row.target) if row.target is not None else None,
                 row.deadline.isoformat() if row.deadline else None] for row in self.rows]

    @classmethod
    def from_plain(cls, campaign, plain) -> "ImportResult":
        """Check kept rows again against the database as it is now."""
        raw = []
        for number, task_id, unit_code, target, deadline in plain:
            raw.append((number, task_id, unit_code,
                        Decimal(target) if target is not None else None,
                        datetime.date.fromisoformat(deadline) if deadline else None))
        return validate(campaign, raw)


# Reading the file ---------------------------------------------------------------------------

def read_rows(file) -> list[tuple]:
    """(row number, task, unit code, target, deadline) as the cells hold them; blank rows skipped.

    Raises ImportFileError when the file is not a workbook or not the template.
    """
    return read_first_sheet(file, _template_rows)


def _template_rows(rows):
    check_header(next(rows, None), HEADERS)
    found = []
    for number, cells in enumerate(rows, start=2):
        cells = list(cells) + [None] * 6
        if all(cell_text(value) == "" for value in cells[:6]):
            continue
        if len(found) == MAX_ROWS:
            raise too_many_rows()
        found.append((number, cells[0], cells[2], cells[4], cells[5]))
    if not found:
        raise ImportFileError(_("The file has no rows under the headers. Fill in one row per "
                                "task and unit, then upload it again."))
    return found


# Checking the values ------------------------------------------------------------------------

def _number(value) -> Decimal:
    """A Decimal from a number cell or a text cell, read as a form reads it: "14,5" is 14.5,
    "1.200" is 1200, "95,5 %" is 95.5 (NumberFormatError otherwise)."""
    number = parse_number(value)
    if number is None or not number.is_finite():
        raise NumberFormatError(value)
    return number


def _date(value) -> datetime.date:
    """A date from a date cell or a text cell, read as a form reads it (dd/mm/yyyy…)."""
    day = parse_date(value)
    if day is None:
        raise ValueError(value)
    return day


def _check_task(row, value, tasks):
    if cell_text(value) == "":
        row.errors.append(_("Row %(row)s: the Task ID is missing. Copy it from the Reference "
                            "lists sheet.") % {"row": row.number})
        return
    task_id = whole_id(value)
    row.task = tasks.get(task_id)
    if row.task is None:
        row.errors.append(_("Row %(row)s: this plan has no task with ID '%(id)s'. Check the Task "
                            "ID column against the Reference lists sheet.")
                          % {"row": row.number, "id": row.task_ref})


def _check_unit(row, value, units, assignable):
    code = cell_text(value)
    if code == "":
        row.errors.append(_("Row %(row)s: the Unit code is missing. Copy it from the Reference "
                            "lists sheet.") % {"row": row.number})
        return
    unit = units.get(code.casefold())
    if unit is None:
        row.errors.append(_("Row %(row)s: there is no unit with code '%(code)s'. Check the Unit "
                            "code column against the Reference lists sheet.")
                          % {"row": row.number, "code": code})
    elif unit.pk not in assignable:
        row.errors.append(_("Row %(row)s: the unit '%(code)s' (%(name)s) is inactive or does not "
                            "take tasks. Choose a unit from the Reference lists sheet.")
                          % {"row": row.number, "code": unit.code, "name": unit.name})
    else:
        row.unit = unit


def _check_target(row, value):
    if cell_text(value) == "":
        return
    try:
        target = _number(value)
    except NumberFormatError:
        row.errors.append(_("Row %(row)s: the own target '%(value)s' is not a number. Write it "
                            "the Vietnamese way, such as 95, 12,5 or 1.200, or leave the cell "
                            "empty to use the task's target.")
                          % {"row": row.number, "value": cell_text(value)})
        return
    if target < 0:
        row.errors.append(_("Row %(row)s: the own target %(value)s is negative. Write 0 or more.")
                          % {"row": row.number, "value": cell_text(value)})
        return
    if target >= TARGET_LIMIT:
        row.errors.append(_("Row %(row)s: the own target %(value)s is too large.")
                          % {"row": row.number, "value": cell_text(value)})
        return
    upper = row.task.value_bounds()[1] if row.task else None
    if upper is not None and target > upper:
        row.errors.append(_("Row %(row)s: the own target of this task must be between 0 and "
                            "%(max)s.") % {"row": row.number, "max": upper})
        return
    if row.task and row.task.indicator_kind == IndicatorKind.COUNT and not is_whole(target):
        row.errors.append(_("Row %(row)s: the own target '%(value)s' of a count task must be a "
                            "whole number, without decimals (for example 12 or 1.200).")
                          % {"row": row.number, "value": cell_text(value)})
        return
    if target != target.quantize(CENT):
        row.errors.append(_("Row %(row)s: the own target '%(value)s' has more than two "
                            "decimals. Write at most two, for example 14,25.")
                          % {"row": row.number, "value": cell_text(value)})
        return
    row.target = target.quantize(CENT)


def _check_deadline(row, value, year):
    if cell_text(value) == "":
        return
    try:
        deadline = _date(value)
    except ValueError:
        row.errors.append(_("Row %(row)s: the own deadline '%(value)s' is not a date. Write it "
                            "as dd/mm/yyyy, e.g. 30/06/%(year)s, or leave the cell empty to use "
                            "the task's deadline.")
                          % {"row": row.number, "value": cell_text(value), "year": year})
        return
    if deadline.year != year:
        row.errors.append(_("Row %(row)s: the own deadline %(date)s is not in %(year)s, the "
                            "plan's year.")
                          % {"row": row.number, "date": f"{deadline:%d/%m/%Y}", "year": year})
        return
    row.deadline = deadline


def validate(campaign, raw_rows) -> "ImportResult":
    """Check (row number, task, unit code, target, deadline) values; three queries in all."""
    tasks = {t.pk: t for t in Task.objects.filter(item__campaign=campaign)}
    units = {u.code.casefold(): u for u in Unit.objects.all()}
    assignable = set(assignable_units().values_list("pk", flat=True))
    existing = {
        (a.task_id, a.unit_id): a
        for a in Assignment.objects.filter(task__item__campaign=campaign).only(
            "id", "task_id", "unit_id", "target_value", "deadline")
    }
    seen = {}
    rows = []
    for number, task_value, unit_value, target_value, deadline_value in raw_rows:
        row = ImportRow(number=number, task_ref=cell_text(task_value),
                        unit_ref=cell_text(unit_value))
        _check_task(row, task_value, tasks)
        _check_unit(row, unit_value, units, assignable)
        _check_target(row, target_value)
        _check_deadline(row, deadline_value, campaign.year)
        if row.task and row.unit:
            if row.key in seen:
                row.errors.append(_("Row %(row)s repeats task %(task)s for unit '%(code)s' "
                                    "already on row %(first)s. Delete one of the two rows.")
                                  % {"row": number, "task": row.task.pk, "code": row.unit.code,
                                     "first": seen[row.key]})
            else:
                seen[row.key] = number
        if row.errors:
            row.status = ERROR
        elif row.key in existing:
            current = existing[row.key]
            row.old_target, row.old_deadline = current.target_value, current.deadline
            same = current.target_value == row.target and current.deadline == row.deadline
            row.status = UNCHANGED if same else UPDATE
        rows.append(row)
    return ImportResult(campaign=campaign, rows=rows)


def parse(campaign, file) -> ImportResult:
    """Read and check every row of an uploaded workbook. Writes nothing.

    Raises ImportFileError when the file cannot be read as the template.
    """
    return validate(campaign, read_rows(file))


# Writing ------------------------------------------------------------------------------------

@transaction.atomic
def apply(result: ImportResult, user) -> dict[str, int]:
    """Create or update the assignments of a checked result: all rows or none.

    Compares with the rows as stored now (so a second import of the same file changes nothing),
    and records one audit line when something changed. Returns the counts.
    """
    if result.has_errors:
        raise ValidationError(_("The file has errors; nothing was saved."))
    campaign = result.campaign
    existing = {
        (a.task_id, a.unit_id): a
        for a in Assignment.objects.select_for_update().filter(task__item__campaign=campaign)
    }
    new, changed = [], []
    before = {}  # assignment id → its terms before the import
    for row in result.rows:
        current = existing.get(row.key)
        if current is None:
            new.append(Assignment(task=row.task, unit=row.unit, target_value=row.target,
                                  deadline=row.deadline))
        elif (current.target_value, current.deadline) != (row.target, row.deadline):
            before[str(current.pk)] = _terms(current)
            current.target_value, current.deadline = row.target, row.deadline
            changed.append(current)
    Assignment.objects.bulk_create(new)
    Assignment.objects.bulk_update(changed, ["target_value", "deadline"])
    if new or changed:
        tallies.recount_assignments(campaign.items.values_list("pk", flat=True))
    counts = {"created": len(new), "updated": len(changed),
              "unchanged": len(result.rows) - len(new) - len(changed)}
    if new or changed:
        # One line for the whole import (a province's file has thousands of rows), naming
        # every assignment it created or changed, with the terms before and after.
        record(actor=user, action="task.import", target=campaign,
               before={"assignments": before},
               after={**counts, "rows": len(result.rows),
                      "assignments": {str(a.pk): _terms(a) for a in changed},
                      "new": [{"task": a.task_id, "unit": a.unit_id, **_terms(a)}
                                  for a in new]})
    return counts


def _terms(assignment) -> dict:
    """An assignment's imported terms, JSON-friendly."""
    return {"target": None if assignment.target_value is None else str(assignment.target_value),
            "deadline": assignment.deadline.isoformat() if assignment.deadline else None}


# The template -------------------------------------------------------------------------------

def _bold(sheet, values):
    cells = []
    for value in values:
        cell = WriteOnlyCell(sheet, value=value)
        cell.font = BOLD
        cells.append(cell)
    return cells


def import_template(campaign, stream) -> None:
    """Write the import template of a campaign: the headers, then a sheet of tasks and units."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(sheet_title(_("Assignments")))
    for letter, width in zip("ABCDEF", (14, 48, 18, 34, 16, 14), strict=True):
        sheet.column_dimensions[letter].width = width
    # Dates typed into the deadline column become date cells shown as dd/mm/yyyy.
    sheet.column_dimensions["F"].number_format = DATE_FORMAT
    sheet.freeze_panes = "A2"
    append(sheet, _bold(sheet, _translated_headers()))

    reference = workbook.create_sheet(sheet_title(_reference_sheet_name()))
    for letter, width in zip("ABCDEFGH", (14, 10, 60, 12, 12, 4, 18, 48), strict=True):
        reference.column_dimensions[letter].width = width
    reference.freeze_panes = "A3"
    append(reference, _bold(reference, [
        _("Tasks of plan %(code)s") % {"code": campaign.code}, None, None, None, None, None,
        _("Units that take tasks"),
    ]))
    append(reference, _bold(reference, [
        _("Task ID"), _("Content item"), _("Task"), _("Task's target"), _("Task's deadline"),
        None, _("Unit code"), _("Unit"),
    ]))
    tasks = list(Task.objects.filter(item__campaign=campaign).select_related("item"))
    units = list(assignable_units().values_list("code", "name"))
    for index in range(max(len(tasks), len(units))):
        line = [None] * 8
        if index < len(tasks):
            task = tasks[index]
            deadline = WriteOnlyCell(reference, value=task.deadline)
            deadline.number_format = DATE_FORMAT
            line[:5] = [task.pk, task.item.number, task.title, task.target_value, deadline]
        if index < len(units):
            line[6:8] = units[index]
        append(reference, line)
    stamp_workbook(workbook)
    workbook.save(stream)
