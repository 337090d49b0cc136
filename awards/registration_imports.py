"""Importing a unit's staff registrations from Excel, through the import framework every import
shares (core.spreadsheets.import_preview): `parse` reads and checks every row and writes
nothing; the preview keeps plain values (row number, staff id, award id); on confirmation they
are checked again and written through `registration_services.save_registration`, all or none.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from core.spreadsheets.import_preview import (
    ERROR,
    NEW,
    UNCHANGED,
    UPDATE,
    PreviewResult,
    cell_text,
    fold,
)
from units.models import StaffMember

from .models import StaffRegistration
from .person_sheets import (
    PERSON_HEADERS,
    find_person,
    people_named,
    read_person_rows,
    write_person_template,
)
from .ratings import people_of
from .registration_services import individual_titles

HEADERS = [*PERSON_HEADERS, gettext_noop("Title registered")]
VALIDATION_ROWS = 4000


@dataclass
class RegistrationRow:
    number: int
    staff_ref: str = ""
    title_ref: str = ""
    staff: StaffMember | None = None
    award: object = None
    old_award: object = None
    status: str = NEW
    errors: list[str] = field(default_factory=list)


@dataclass
class RegistrationImport(PreviewResult):
    unit: object = None
    year: int = 0

    def titles(self) -> dict:
        return {row.staff.pk: row.award for row in self.rows}

    def to_plain(self) -> list[list]:
        if self.has_errors:
            raise ValueError("A result with errors cannot be kept for confirmation.")
        return [[row.number, row.staff.pk, row.award.name] for row in self.rows]

    @classmethod
    def from_plain(cls, unit, year, plain) -> "RegistrationImport":
        """Check kept rows again against the database as it is now."""
        return validate(unit, year, [tuple(row) for row in plain])


def read_rows(file) -> list[tuple]:
    """(row number, staff id, title) as the cells hold them; rows without a title skipped."""
    return read_person_rows(file, HEADERS, _(
        "No row of the file has a title. Choose a title in the last column for each person to "
        "register, then upload the file again."))


def _check_staff(row, value, people, unit, members):
    person = find_person(row, value, people)
    if person is None:
        return
    if person.pk not in members:
        row.errors.append(_("Row %(row)s: %(name)s (ID %(id)s) does not work at %(unit)s. "
                            "Remove the row.")
                          % {"row": row.number, "name": person.full_name, "id": person.pk,
                             "unit": unit.name})
    else:
        row.staff = person


def validate(unit, year, raw_rows) -> RegistrationImport:
    """Check (row number, staff id, title) values against the unit's staff and the catalogue."""
    ids, people = people_named(raw_rows)
    members = set(people_of(unit, year).filter(pk__in=ids).values_list("pk", flat=True))
    titles = list(individual_titles())
    lookup = {fold(award.name): award for award in titles}
    registered = {r.staff_id: r for r in StaffRegistration.objects.filter(
        year=year, staff_id__in=ids).select_related("award", "registration__unit")}
    seen, rows = {}, []
    for number, staff_value, title_value in raw_rows:
        row = RegistrationRow(number=number, staff_ref=cell_text(staff_value),
                              title_ref=cell_text(title_value))
        _check_staff(row, staff_value, people, unit, members)
        row.award = lookup.get(fold(row.title_ref))
        if row.award is None:
            row.errors.append(_("Row %(row)s: '%(value)s' is not a title a person registers "
                                "for. Write one of: %(titles)s.")
                              % {"row": number, "value": row.title_ref,
                                 "titles": "; ".join(a.name for a in titles)})
        if row.staff:
            other = registered.get(row.staff.pk)
            if row.staff.pk in seen:
                row.errors.append(_("Row %(row)s repeats %(name)s (ID %(id)s), already on row "
                                    "%(first)s: a person is registered once. Delete one of the "
                                    "two rows.")
                                  % {"row": number, "name": row.staff.full_name,
                                     "id": row.staff.pk, "first": seen[row.staff.pk]})
            elif other and other.registration.unit_id != unit.pk:
                row.errors.append(_("Row %(row)s: %(name)s is already registered for %(year)s "
                                    "by %(unit)s. Remove the row.")
                                  % {"row": number, "name": row.staff.full_name,
                                     "year": year, "unit": other.registration.unit.name})
            else:
                seen[row.staff.pk] = number
                row.old_award = other.award if other else None
        if row.errors:
            row.status = ERROR
        elif row.old_award is not None:
            row.status = UNCHANGED if row.old_award.pk == row.award.pk else UPDATE
        rows.append(row)
    return RegistrationImport(unit=unit, year=year, rows=rows)


def parse(unit, year, file) -> RegistrationImport:
    """Read and check every row of an uploaded workbook. Writes nothing."""
    return validate(unit, year, read_rows(file))


def registration_template(unit, year, stream) -> None:
    """The unit's staff (ID, name, position) with each one's title so far, to fill in."""
    stored = dict(StaffRegistration.objects.filter(
        year=year, registration__unit=unit).values_list("staff_id", "award__name"))
    write_person_template(
        stream, title=_("Registration %(year)s") % {"year": year}, headers=HEADERS,
        rows=([person.pk, person.full_name, person.position, stored.get(person.pk)]
              for person in people_of(unit, year).leaders_first()),
        choices=[award.name for award in individual_titles()],
        error=_("Choose one of the titles of the list."), validation_rows=VALIDATION_ROWS)
