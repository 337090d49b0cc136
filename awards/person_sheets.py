"""The per-person workbook of a unit's year, shared by the ratings import (awards/imports.py)
and the registration import (awards/registration_imports.py).

One row per staff member: the Staff ID in column A (what the import matches on: a person is
found by ID, never by name), the full name and the position to read, and the value chosen in
column D (a rating, a title), picked from a list. A row with column D empty changes nothing.
Each import keeps its own checks of who belongs to the unit that year and of the value chosen;
this module reads the rows, finds the person each row names, and writes the template.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.worksheet.datavalidation import DataValidation

from core.spreadsheets.import_preview import (
    MAX_ROWS,
    ImportFileError,
    cell_text,
    check_header,
    read_first_sheet,
    too_many_rows,
    whole_id,
)
from core.spreadsheets.safe_text import append
from core.spreadsheets.styles import sheet_title
from units.identity import stamp_workbook
from units.models import StaffMember

# The first three columns; each import adds the header of its column D.
PERSON_HEADERS = [gettext_noop("Staff ID"), gettext_noop("Full name"), gettext_noop("Position")]


def read_person_rows(file, headers, nothing_chosen: str) -> list[tuple]:
    """(row number, staff id, chosen value) as the cells hold them, rows with column D empty
    skipped; ImportFileError(`nothing_chosen`) when no row chooses anything."""

    def chosen_rows(rows):
        check_header(next(rows, None), headers)
        found = []
        for number, cells in enumerate(rows, start=2):
            cells = list(cells) + [None] * 4
            if cell_text(cells[3]) == "":
                continue  # nothing chosen in this file: what is stored stays
            if len(found) == MAX_ROWS:
                raise too_many_rows()
            found.append((number, cells[0], cells[3]))
        return found

    found = read_first_sheet(file, chosen_rows)
    if not found:
        raise ImportFileError(nothing_chosen)
    return found


def people_named(raw_rows) -> tuple[set, dict]:
    """The staff ids the rows name, and the people with those ids (with their unit)."""
    ids = {whole_id(staff) for _number, staff, _value in raw_rows} - {None}
    people = StaffMember.objects.filter(pk__in=ids).select_related("unit")
    return ids, {person.pk: person for person in people}


def find_person(row, value, people):
    """The staff member the row's ID cell (`value`) names, or None with the row's error said:
    the ID missing, or no one with it. Whether they belong to the unit is the import's check."""
    if row.staff_ref == "":
        row.errors.append(_("Row %(row)s: the Staff ID is missing. Copy the row from the "
                            "template.") % {"row": row.number})
        return None
    person = people.get(whole_id(value))
    if person is None:
        row.errors.append(_("Row %(row)s: there is no staff member with ID '%(id)s'. Check the "
                            "Staff ID column against the template.")
                          % {"row": row.number, "id": row.staff_ref})
    return person


def write_person_template(stream, *, title, headers, rows, choices, error, validation_rows):
    """The workbook of `rows` ([id, name, position, chosen]) under `headers`, column D a list
    of `choices` (Excel says `error` for anything else) down to row `validation_rows`."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = sheet_title(title)
    append(sheet, [_(header) for header in headers])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for letter, width in zip("ABCD", (12, 34, 30, 34), strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "A2"
    for row in rows:
        append(sheet, row)
    validation = DataValidation(type="list", formula1='"{}"'.format(",".join(choices)),
                                allow_blank=True, showErrorMessage=True)
    validation.error = error
    validation.add(f"D2:D{validation_rows}")
    sheet.add_data_validation(validation)
    stamp_workbook(workbook)
    workbook.save(stream)
