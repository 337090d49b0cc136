"""Importing a unit's year-end ratings from Excel: the template, the check, and the write.

Goes through the import framework every import shares (core.spreadsheets.import_preview):
`parse` reads and checks every row and writes nothing; the preview keeps only plain values (row
number, staff id, rating) in the session; on confirmation they are checked again and written through
`ratings.save_ratings`, all or none, cap included.
"""

from dataclasses import dataclass, field

from django.utils import translation
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

from .models import Rating
from .person_sheets import (
    PERSON_HEADERS,
    find_person,
    people_named,
    read_person_rows,
    write_person_template,
)
from .ratings import cap_error, cap_for, people_of, stored, unit_staff

HEADERS = [*PERSON_HEADERS, gettext_noop("Rating")]
VALIDATION_ROWS = 1000


def vietnamese_labels() -> list[str]:
    with translation.override("vi"):
        return [str(label) for label in Rating.labels]


def _rating_lookup() -> dict[str, str]:
    """Folded label → value: the Vietnamese labels (accents required) and the shown language's."""
    lookup = {}
    for labels in (vietnamese_labels(), [str(label) for label in Rating.labels]):
        lookup.update({fold(label): value for label, value in zip(labels, Rating.values,
                                                                      strict=True)})
    return lookup


@dataclass
class RatingRow:
    number: int
    staff_ref: str = ""
    rating_ref: str = ""
    staff: StaffMember | None = None
    rating: str = ""
    old_rating: str = ""
    status: str = NEW
    errors: list[str] = field(default_factory=list)

    @property
    def rating_label(self) -> str:
        return Rating(self.rating).label if self.rating else ""

    @property
    def old_rating_label(self) -> str:
        return Rating(self.old_rating).label if self.old_rating else ""


@dataclass
class RatingImport(PreviewResult):
    unit: object = None
    year: int = 0
    cap_error: str | None = None

    @property
    def whole_file_error(self) -> str | None:
        """The file's ratings together would pass the year's cap on top ratings."""
        return self.cap_error

    def ratings(self) -> dict[int, str]:
        return {row.staff.pk: row.rating for row in self.rows}

    def to_plain(self) -> list[list]:
        if self.has_errors:
            raise ValueError("A result with errors cannot be kept for confirmation.")
        return [[row.number, row.staff.pk, row.rating] for row in self.rows]

    @classmethod
    def from_plain(cls, unit, year, plain) -> "RatingImport":
        """Check kept rows again against the database as it is now."""
        labels = dict(Rating.choices)
        return validate(unit, year, [(number, staff_id, str(labels.get(rating, rating)))
                                     for number, staff_id, rating in plain])


# Reading the file ---------------------------------------------------------------------------

def read_rows(file) -> list[tuple]:
    """(row number, staff id, rating) as the cells hold them; rows without a rating skipped."""
    return read_person_rows(file, HEADERS, _(
        "No row of the file has a rating. Choose a rating in the last column for each person "
        "to rate, then upload the file again."))


# Checking the values ------------------------------------------------------------------------

def _check_staff(row, value, people, unit, year, members):
    """`members`: the ids of the staff the unit counts for the year (ratings.people_of)."""
    person = find_person(row, value, people)
    if person is None:
        return
    if person.pk in members:
        row.staff = person
    elif not person.is_active:
        row.errors.append(_("Row %(row)s: %(name)s (ID %(id)s) no longer works at the unit. "
                            "Remove the row.")
                          % {"row": row.number, "name": person.full_name, "id": person.pk})
    elif person.unit_id == unit.pk:  # a past year: they came to the unit later
        row.errors.append(_("Row %(row)s: %(name)s (ID %(id)s) was not at %(unit)s at the end "
                            "of %(year)s. Remove the row or import it on the page of the unit "
                            "they were in that year.")
                          % {"row": row.number, "name": person.full_name, "id": person.pk,
                             "unit": unit.name, "year": year})
    else:
        row.errors.append(_("Row %(row)s: %(name)s (ID %(id)s) works at %(other)s, not at "
                            "%(unit)s. Remove the row or import it on that unit's page.")
                          % {"row": row.number, "name": person.full_name, "id": person.pk,
                             "other": person.unit.name, "unit": unit.name})


def _check_rating(row, lookup):
    rating = lookup.get(fold(row.rating_ref))
    if rating is None:
        row.errors.append(_("Row %(row)s: '%(value)s' is not a rating. Write one of: "
                            "%(labels)s (with accents).")
                          % {"row": row.number, "value": row.rating_ref,
                             "labels": "; ".join(vietnamese_labels())})
    else:
        row.rating = rating


def validate(unit, year, raw_rows) -> RatingImport:
    """Check (row number, staff id, rating) values against the unit's staff and the cap."""
    _ids, people = people_named(raw_rows)
    current = stored(unit, year)
    members = set(people_of(unit, year).values_list("pk", flat=True))
    lookup = _rating_lookup()
    seen, rows = {}, []
    for number, staff_value, rating_value in raw_rows:
        row = RatingRow(number=number, staff_ref=cell_text(staff_value),
                        rating_ref=cell_text(rating_value))
        _check_staff(row, staff_value, people, unit, year, members)
        _check_rating(row, lookup)
        if row.staff:
            if row.staff.pk in seen:
                row.errors.append(_("Row %(row)s repeats %(name)s (ID %(id)s), already on row "
                                    "%(first)s. Delete one of the two rows.")
                                  % {"row": number, "name": row.staff.full_name,
                                     "id": row.staff.pk, "first": seen[row.staff.pk]})
            else:
                seen[row.staff.pk] = number
        if row.errors:
            row.status = ERROR
        elif row.staff.pk in current:
            row.old_rating = current[row.staff.pk].rating
            row.status = UNCHANGED if row.old_rating == row.rating else UPDATE
        rows.append(row)
    result = RatingImport(unit=unit, year=year, rows=rows)
    if not any(row.errors for row in rows):
        merged = {pk: r.rating for pk, r in current.items()}
        merged.update(result.ratings())
        result.cap_error = cap_error(cap_for(year), merged.values())
    return result


def parse(unit, year, file) -> RatingImport:
    """Read and check every row of an uploaded workbook. Writes nothing."""
    return validate(unit, year, read_rows(file))


# The template -------------------------------------------------------------------------------

def ratings_template(unit, year, stream) -> None:
    """The unit's staff of the year (ratings.people_of: ID, name, position) with an empty rating
    column to fill."""
    write_person_template(
        stream, title=_("Ratings %(year)s") % {"year": year}, headers=HEADERS,
        rows=([person.pk, person.full_name, person.position, None]
              for person in unit_staff(unit, year)),
        choices=vietnamese_labels(), error=_("Choose one of the four ratings of the list."),
        validation_rows=VALIDATION_ROWS)
