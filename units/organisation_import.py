"""Importing the organisation from one workbook (unit code, name, kind, parent's code): the
template, the check, and the write, with the same preview and all-or-nothing rules as the staff
import (units/staff_import.py).

A row whose code is already in the portal updates that unit (a new name is a rename, a new
parent a move, both dated the day of the import and kept in the unit's history); a new code
creates the unit. Parents may come later in the file than their units. Refused, with the cell
to fix: a missing or malformed code, the same code twice, an unknown kind, a parent code found
neither in the file nor in the portal, a unit under itself or in a loop, a second top unit.
"""

import re
import unicodedata
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from openpyxl import Workbook
from openpyxl.styles import Font

from core.audit.trail import record
from core.spreadsheets.import_preview import (
    ERROR,
    NEW,
    UNCHANGED,
    UPDATE,
    PreviewResult,
    fold,
)
from core.spreadsheets.safe_text import append

from . import organisation
from .identity import stamp_workbook
from .models import Unit, UnitChange, UnitChangeKind, UnitKind
from .workbooks import read_table

MAX_ROWS = 2000
CODE, NAME, KIND, PARENT = (gettext_noop("Unit code"), gettext_noop("Unit name"),
                            gettext_noop("Unit kind"), gettext_noop("Parent unit code"))
HEADERS = [CODE, NAME, KIND, PARENT]
REQUIRED = [CODE, NAME, KIND, PARENT]
ALIASES = {CODE: ["Mã ĐV"], NAME: ["Tên"], KIND: ["Loại"],
           PARENT: ["Mã đơn vị cấp trên", "Mã cấp trên", "Đơn vị cấp trên"]}
# The words HR lists use for the kinds, besides the portal's own labels.
KIND_WORDS = {"sở gd&đt": UnitKind.DEPARTMENT, "sở": UnitKind.DEPARTMENT,
              "văn phòng": UnitKind.OFFICE, "phòng chức năng": UnitKind.FUNCTIONAL,
              "phòng": UnitKind.FUNCTIONAL, "trường": UnitKind.SCHOOL}
CODE_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_-]*$")


def _kinds() -> dict[str, str]:
    lookup = {fold(word): kind for word, kind in KIND_WORDS.items()}
    with translation.override("vi"):
        lookup.update({fold(str(label)): value for value, label in UnitKind.choices})
    lookup.update({fold(str(label)): value for value, label in UnitKind.choices})
    lookup.update({fold(value): value for value in UnitKind.values})
    return lookup


@dataclass
class UnitRow:
    number: int
    cells: dict
    code: str = ""
    name: str = ""
    kind: str = ""
    parent_code: str = ""
    unit: Unit | None = None
    status: str = NEW
    errors: list[str] = field(default_factory=list)

    def error(self, column, message, **params):
        self.errors.append(_("Cell %(cell)s: ") % {"cell": f"{column}{self.number}"}
                           + message % params)


@dataclass
class UnitImport(PreviewResult):
    letters: dict = field(default_factory=dict)

    def to_plain(self) -> list[list]:
        if self.has_errors:
            raise ValueError("A result with errors cannot be kept for confirmation.")
        return [[0, self.letters], *([row.number, row.cells] for row in self.rows)]

    @classmethod
    def from_plain(cls, plain) -> "UnitImport":
        (_zero, letters), *rows = plain
        return validate([(number, cells) for number, cells in rows], letters)


def _text(value: str) -> str:
    return " ".join(unicodedata.normalize("NFC", value or "").split())


def parse(file) -> UnitImport:
    """Read and check every row of an uploaded workbook. Writes nothing."""
    return validate(*read_table(file, HEADERS, REQUIRED, ALIASES, max_rows=MAX_ROWS))


def validate(raw_rows, letters) -> UnitImport:
    """Check (row number, {header: text}) rows against each other and the portal (one query)."""
    existing = {unit.code.lower(): unit for unit in Unit.objects.select_related("parent")}
    kinds = _kinds()
    rows, seen = [], {}
    for number, cells in raw_rows:
        row = UnitRow(number=number, cells=cells, code=_text(cells.get(CODE, "")).lower(),
                      name=_text(cells.get(NAME, "")), parent_code=_text(
                          cells.get(PARENT, "")).lower())
        if not row.code:
            row.error(letters[CODE], _("the unit code is missing. Write a short code of "
                                       "letters without accents, digits and hyphens, e.g. "
                                       "thpt-hung-vuong."))
        elif not CODE_PATTERN.match(row.code):
            row.error(letters[CODE], _("“%(code)s” is not a unit code. Use letters without "
                                       "accents, digits and hyphens only, e.g. "
                                       "thpt-hung-vuong."), code=row.code)
        elif row.code in seen:
            row.error(letters[CODE], _("the code “%(code)s” is already on row %(first)s. One "
                                       "row per unit: delete one of the two rows."),
                      code=row.code, first=seen[row.code])
        else:
            seen[row.code] = number
        if not row.name:
            row.error(letters[NAME], _("the unit name is missing. Write the unit's full name."))
        kind_text = _text(cells.get(KIND, ""))
        row.kind = kinds.get(fold(kind_text), "")
        if not row.kind:
            with translation.override("vi"):
                labels = ", ".join(str(label) for label in UnitKind.labels)
            row.error(letters[KIND], _("“%(value)s” is not a kind of unit. Write one of: "
                                       "%(labels)s."), value=kind_text, labels=labels)
        row.unit = existing.get(row.code)
        if row.unit is not None and row.unit.is_merged:
            row.error(letters[CODE], _("“%(unit)s” was merged into another unit and cannot be "
                                       "changed by an import."), unit=row.unit.name)
        rows.append(row)
    _check_parents(rows, letters, existing, seen)
    for row in rows:
        if row.errors:
            row.status = ERROR
        elif row.unit is not None:
            parent_code = row.unit.parent.code.lower() if row.unit.parent else ""
            same = (row.unit.name, row.unit.kind, parent_code) == (row.name, row.kind,
                                                                    row.parent_code)
            row.status = UNCHANGED if same else UPDATE
    return UnitImport(rows=rows, letters=letters)


def _check_parents(rows, letters, existing, in_file):
    """Every parent found in the file or the portal; one top unit; no unit under itself."""
    parents = {code: (unit.parent.code.lower() if unit.parent else "")
               for code, unit in existing.items()}
    parents.update({row.code: row.parent_code for row in rows if row.code})
    tops = {code for code, parent in parents.items() if not parent}
    for row in rows:
        if not row.code:
            continue
        if not row.parent_code:
            if len(tops) > 1:
                row.error(letters[PARENT], _("the parent's code is missing, but the "
                                             "department already has a top unit. Write the "
                                             "code of the unit this one belongs to."))
            continue
        if row.parent_code == row.code:
            row.error(letters[PARENT], _("a unit cannot belong to itself. Write the code of "
                                         "the unit it belongs to."))
            continue
        if row.parent_code not in in_file and row.parent_code not in existing:
            row.error(letters[PARENT], _("no unit has the code “%(code)s”, in the file or in the "
                                         "portal. Add a row for it or correct the code."),
                      code=row.parent_code)
            continue
        parent = existing.get(row.parent_code)
        if parent is not None and row.parent_code not in in_file \
                and (not parent.is_active or parent.is_merged):
            row.error(letters[PARENT], _("“%(unit)s” is no longer active. Write the code of an "
                                         "active unit."), unit=parent.name)
            continue
        # Walk up: a loop comes back to this row's code.
        code, steps = row.parent_code, 0
        while code and code != row.code and steps <= len(parents):
            code, steps = parents.get(code, ""), steps + 1
        if code == row.code:
            row.error(letters[PARENT], _("“%(code)s” would be under one of its own units. "
                                         "Correct the parent's code."), code=row.code)


@transaction.atomic
def write(result: UnitImport, *, user) -> dict[str, int]:
    """Create the new units (parents first) and rename, move or re-kind the changed ones, all
    or none, with the import's day as the date of effect. Side effects: the rows, each unit's
    history (UnitChange) and audit lines, and one "unit.import" line with the counts."""
    if result.has_errors:
        raise ValueError("A result with errors cannot be written.")
    today = timezone.localdate()
    by_code = {unit.code.lower(): unit for unit in Unit.objects.all()}
    pending = [row for row in result.rows if row.status in (NEW, UPDATE)]
    added = updated = 0
    while pending:
        # Parents first: a row waits until its parent exists (in the portal or created above).
        ready = [row for row in pending if not row.parent_code or row.parent_code in by_code]
        if not ready:
            raise ValueError("Unresolvable parents: the check should have refused the file.")
        for row in ready:
            pending.remove(row)
            parent = by_code.get(row.parent_code)
            if row.status == NEW:
                by_code[row.code] = _create(row, parent, user, today)
                added += 1
            else:
                _update(by_code[row.code], row, parent, user, today)
                updated += 1
    record(actor=user, action="unit.import", after={"added": added, "updated": updated})
    return {"added": added, "updated": updated}


def _create(row, parent, user, today) -> Unit:
    if parent is not None:
        return organisation.create_unit(user=user, name=row.name, code=row.code, kind=row.kind,
                                        parent=parent, on=today)
    unit = Unit.objects.create(name=row.name, code=row.code, kind=row.kind)
    UnitChange.objects.create(unit=unit, kind=UnitChangeKind.CREATE, effective_on=today,
                              after={"name": row.name, "code": row.code, "kind": row.kind},
                              recorded_by=user)
    record(actor=user, action="unit.create", target=unit, unit=unit,
           after={"name": row.name, "code": row.code, "kind": row.kind,
                  "effective_on": today.isoformat()})
    return unit


def _update(unit, row, parent, user, today) -> None:
    if unit.name != row.name:
        organisation.rename_unit(unit=unit, user=user, name=row.name,
                                 short_name=unit.short_name, on=today)
    if parent is not None and unit.parent_id != parent.pk:
        organisation.move_unit(unit=unit, user=user, parent=parent, on=today)
    if unit.kind != row.kind:
        before = unit.kind
        unit.kind = row.kind
        unit.save(update_fields=["kind"])
        record(actor=user, action="unit.edit", target=unit, unit=unit,
               before={"kind": before}, after={"kind": row.kind})


def units_template(stream) -> None:
    """The organisation workbook: its header row only."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Units")[:31]
    append(sheet, [_(header) for header in HEADERS])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for letter, width in zip("ABCD", (18, 42, 20, 22), strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "A2"
    stamp_workbook(workbook)
    workbook.save(stream)
