"""Importing the staff from an HR workbook: the template, the check, and the write.

Goes through the import framework every import shares (core.spreadsheets.import_preview):
`parse` reads and checks every row and writes nothing; the preview keeps only plain values in
the session; on confirmation they are checked again and written all or none (`write`).

Real HR files are accepted as they come where that is safe: the header row may sit under title
rows and in merged cells, the columns in any order; text is trimmed and composed (NFC); dates
may be Excel dates or text dd/mm/yyyy. What cannot be read is refused with the cell to fix:
a missing column, a date like 31/02/1980, an unknown unit code, two rows for one person, a
formula, a macro-enabled file.

A row updates a person matched on the staff code, else on name (accents and case aside) + date
of birth + unit; a person of the same name and date of birth in another unit, without a code
to tell, is flagged, never created twice. Reading and writing are set-based: a fixed number of
queries whatever the number of rows (reading: the units, then the people; writing: one statement
per table, core.bulk).
"""

import datetime
import re
import unicodedata
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from core import bulk
from core.audit.trail import record
from core.spreadsheets.import_preview import (
    ERROR,
    NEW,
    UNCHANGED,
    UPDATE,
    ImportFileError,  # noqa: F401 (what `parse` raises, as the tests name it)
    PreviewResult,
    fold,
)
from core.spreadsheets.safe_text import append

from .collation import search_key
from .identity import stamp_workbook
from .models import Gender, StaffCategory, StaffMember, StaffTransfer, Unit, staff_date_problems
from .workbooks import read_table

# Far above a department's 3,000 people; the upload's size limit bounds the file anyway.
MAX_ROWS = 30000

FULL_NAME, BIRTH, GENDER, UNIT, POSITION, CATEGORY, RECRUITED, CODE = (
    gettext_noop("Full name"), gettext_noop("Date of birth"), gettext_noop("Gender"),
    gettext_noop("Unit code"), gettext_noop("Position"), gettext_noop("Category"),
    gettext_noop("Recruitment date"), gettext_noop("Staff code"))
# Optional: the person's own address, the source of their account's (see StaffMember.email).
EMAIL = gettext_noop("Email")
# Optional: the first day in the education sector (ngày vào ngành), read by the seniority medal.
SECTOR = gettext_noop("In the sector since")
HEADERS = [FULL_NAME, BIRTH, GENDER, UNIT, POSITION, CATEGORY, RECRUITED, CODE, EMAIL, SECTOR]
REQUIRED = [FULL_NAME, BIRTH, UNIT, CATEGORY]
FIELDS = ["full_name", "date_of_birth", "gender", "unit_id", "position", "category",
          "recruitment_date", "staff_code", "email", "sector_start_date"]
# An empty cell keeps what the portal has: many HR sheets have no codes, addresses or
# start of service in the sector.
KEPT_WHEN_EMPTY = {"staff_code", "email", "sector_start_date"}
TEXT_DATE = re.compile(r"^(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4})$")


# What HR workbooks commonly head these columns with, besides the template's own words.
ALIASES = {FULL_NAME: ["Họ tên"], BIRTH: ["Ngày, tháng, năm sinh", "Năm sinh"],
           CATEGORY: ["Ngạch", "Loại cán bộ"], UNIT: ["Mã ĐV"], CODE: ["Mã CB", "Mã số CB"],
           RECRUITED: ["Ngày tuyển dụng"],
           SECTOR: ["Ngày vào ngành", "Ngày vào ngành giáo dục", "Vào ngành",
                    "Ngày bắt đầu công tác trong ngành"],
           EMAIL: ["E-mail", "Thư điện tử", "Địa chỉ email", "Địa chỉ e-mail",
                   "Địa chỉ thư điện tử", "Hộp thư"]}


def _choice_lookup(choices) -> dict[str, str]:
    """Folded label (Vietnamese or shown language) or stored value → stored value."""
    lookup = {}
    with translation.override("vi"):
        lookup.update({fold(str(label)): value for value, label in choices.choices})
    lookup.update({fold(str(label)): value for value, label in choices.choices})
    lookup.update({fold(value): value for value in choices.values})
    return lookup


# The rows -----------------------------------------------------------------------------------

@dataclass
class StaffRow:
    number: int
    cells: dict  # header → the cell's text as written
    values: dict = field(default_factory=dict)  # field → typed value
    person: StaffMember | None = None
    status: str = NEW
    errors: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)

    def error(self, column: str | None, message: str, **params) -> None:
        cell = f"{column}{self.number}" if column else str(self.number)
        self.errors.append(_("Cell %(cell)s: ") % {"cell": cell} + message % params
                           if column else message % params)

    @property
    def unit_code(self) -> str:
        return self.cells.get(UNIT, "")


@dataclass
class StaffImport(PreviewResult):
    letters: dict = field(default_factory=dict)  # header → column letter in the file

    def to_plain(self) -> list[list]:
        if self.has_errors:
            raise ValueError("A result with errors cannot be kept for confirmation.")
        # Row "0" carries the file's column letters, which the messages name.
        return [[0, self.letters], *([row.number, row.cells] for row in self.rows)]

    @classmethod
    def from_plain(cls, plain) -> "StaffImport":
        """Check kept rows again against the database as it is now."""
        (_zero, letters), *rows = plain
        return validate([(number, cells) for number, cells in rows], letters)


# Reading the file ---------------------------------------------------------------------------

def read_rows(file) -> tuple[list[tuple[int, dict]], dict]:
    """(row number, {header: text}) of every non-empty row under the header row, and the column
    letter of each header. ImportFileError for a file that cannot be read as the template."""
    return read_table(file, HEADERS, REQUIRED, ALIASES, max_rows=MAX_ROWS)


# Checking the values ------------------------------------------------------------------------

def _text(value: str) -> str:
    return " ".join(unicodedata.normalize("NFC", value or "").split())


def _date(text: str) -> datetime.date | None:
    """An ISO date (from an Excel date cell) or dd/mm/yyyy text; ValueError if neither."""
    if not text:
        return None
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        pass
    match = TEXT_DATE.match(text)
    if not match:
        raise ValueError(text)
    day, month, year = (int(part) for part in match.groups())
    return datetime.date(year, month, day)  # ValueError for 31/02/1980


def _check_row(row, letters, units, genders, categories):
    cells = row.cells
    values = row.values
    values["full_name"] = _text(cells.get(FULL_NAME, ""))
    if not values["full_name"]:
        row.error(letters[FULL_NAME], _("the full name is missing. Write the person's full "
                                        "name, family name first."))
    for header, name, required in ((BIRTH, "date_of_birth", True),
                                   (RECRUITED, "recruitment_date", False),
                                   (SECTOR, "sector_start_date", False)):
        text = _text(cells.get(header, ""))
        try:
            values[name] = _date(text)
        except ValueError:
            row.error(letters.get(header), _("“%(value)s” is not a date. Write it as dd/mm/yyyy, "
                                             "for example 04/01/1980."), value=text)
            continue
        if values[name] is None and required:
            row.error(letters[header], _("the date of birth is missing. Write it as "
                                         "dd/mm/yyyy, for example 04/01/1980."))
    headers = {"date_of_birth": BIRTH, "recruitment_date": RECRUITED,
               "sector_start_date": SECTOR}
    for name, message in staff_date_problems(
            today=timezone.localdate(),
            **{name: values.get(name) for name in headers}).items():
        # After "Cell C4: ", as the import's other messages, in lower case.
        text = str(message)
        row.error(letters.get(headers[name]), "%(problem)s", problem=text[:1].lower() + text[1:])
    text = _text(cells.get(GENDER, ""))
    values["gender"] = genders.get(fold(text), None) if text else ""
    if values["gender"] is None:
        row.error(letters.get(GENDER), _("“%(value)s” is not a gender. Write Nam or Nữ."),
                  value=text)
    code = _text(cells.get(UNIT, ""))
    unit = units.get(fold(code))
    values["unit_id"] = unit.pk if unit else None
    if not code:
        row.error(letters[UNIT], _("the unit code is missing. Write the code of the person's "
                                   "unit as on the organisation page."))
    elif unit is None:
        row.error(letters[UNIT], _("no unit has the code “%(code)s”. Write the code of an "
                                   "existing unit (see the organisation page) or import the "
                                   "unit first."), code=code)
    elif not unit.is_active or unit.is_merged:
        row.error(letters[UNIT], _("“%(unit)s” is no longer active. Write the code of the unit "
                                   "the person works in now."), unit=unit.name)
    values["position"] = _text(cells.get(POSITION, ""))[:120]
    text = _text(cells.get(CATEGORY, ""))
    values["category"] = categories.get(fold(text))
    if values["category"] is None:
        with translation.override("vi"):
            labels = ", ".join(str(label) for label in StaffCategory.labels)
        row.error(letters[CATEGORY], _("“%(value)s” is not a staff category. Write one of: "
                                       "%(labels)s."), value=text, labels=labels)
    values["staff_code"] = _text(cells.get(CODE, ""))[:40] or None
    values["email"] = "".join(_text(cells.get(EMAIL, "")).split()).lower()
    try:
        if values["email"]:
            validate_email(values["email"])
    except ValidationError:
        row.error(letters.get(EMAIL), _("“%(value)s” is not an e-mail address. Write the "
                                        "person's own address, like ten@truong.edu.vn, or leave "
                                        "the cell empty."), value=values["email"])


def validate(raw_rows, letters) -> StaffImport:
    """Check (row number, {header: text}) rows; two queries whatever their number."""
    units = {fold(unit.code): unit for unit in Unit.objects.all()}
    genders = _choice_lookup(Gender)
    genders.update({"nam": Gender.MALE, "nu": Gender.FEMALE, "nữ": Gender.FEMALE})
    categories = _choice_lookup(StaffCategory)
    people = list(StaffMember.objects.only(
        "pk", "full_name", "name_key", "date_of_birth", "gender", "unit_id", "position",
        "category", "recruitment_date", "staff_code", "is_active", "email", "user_id",
        "sector_start_date").order_by())
    by_code = {fold(p.staff_code): p for p in people if p.staff_code}
    by_identity = {(p.name_key, p.date_of_birth, p.unit_id): p for p in people}
    by_name_birth = {}
    for person in people:
        by_name_birth.setdefault((person.name_key, person.date_of_birth), []).append(person)
    unit_names = {unit.pk: unit.name for unit in units.values()}
    by_email = {p.email.lower(): p for p in people if p.email and p.is_active}
    seen_codes, seen_identities, seen_emails, rows = {}, {}, {}, []
    for number, cells in raw_rows:
        row = StaffRow(number=number, cells=cells)
        _check_row(row, letters, units, genders, categories)
        if not row.errors:
            _match(row, letters, by_code, by_identity, by_name_birth, unit_names)
        _once(row, letters, seen_codes, seen_identities)
        _email_once(row, letters, by_email, seen_emails)
        if row.errors:
            row.status = ERROR
        elif row.person is not None:
            row.changed = [name for name in FIELDS
                           if row.values[name] != getattr(row.person, name)
                           and not (name in KEPT_WHEN_EMPTY and not row.values[name])]
            if not row.person.is_active:
                row.changed.append("is_active")
            row.status = UPDATE if row.changed else UNCHANGED
        rows.append(row)
    return StaffImport(rows=rows, letters=letters)


def _match(row, letters, by_code, by_identity, by_name_birth, unit_names):
    values = row.values
    key = search_key(values["full_name"])
    if values["staff_code"]:
        row.person = by_code.get(fold(values["staff_code"]))
        if row.person is not None:
            return
    row.person = by_identity.get((key, values["date_of_birth"], values["unit_id"]))
    if row.person is not None:
        if values["staff_code"] and row.person.staff_code \
                and fold(row.person.staff_code) != fold(values["staff_code"]):
            row.error(letters.get(CODE), _("%(name)s, born %(born)s, is already in the portal "
                                           "with the staff code “%(code)s”. Write that code, or "
                                           "leave the cell empty."),
                      name=values["full_name"], born=values["date_of_birth"].strftime("%d/%m/%Y"),
                      code=row.person.staff_code)
        return
    # Not created twice: the same name and date of birth elsewhere is likely the same person.
    elsewhere = [p for p in by_name_birth.get((key, values["date_of_birth"]), [])
                 if not (values["staff_code"] and p.staff_code)]
    if elsewhere:
        other = elsewhere[0]
        row.error(None, _("Row %(row)s: %(name)s, born %(born)s, is probably the person already "
                          "recorded at %(unit)s. To move them, write their staff code in both "
                          "the portal and the file; if they are two people, give each a staff "
                          "code."), row=row.number, name=values["full_name"],
                  born=values["date_of_birth"].strftime("%d/%m/%Y"),
                  unit=unit_names.get(other.unit_id, ""))


def _once(row, letters, seen_codes, seen_identities):
    """Two rows for one person: the same staff code, or the same name, birth date and unit."""
    values = row.values
    if values.get("staff_code"):
        code = fold(values["staff_code"])
        if code in seen_codes:
            row.error(letters.get(CODE), _("the staff code “%(code)s” is already on row "
                                           "%(first)s. One row per person: delete one of the "
                                           "two rows."),
                      code=values["staff_code"], first=seen_codes[code])
            return
        seen_codes[code] = row.number
    if values.get("full_name") and values.get("date_of_birth") and values.get("unit_id"):
        identity = (search_key(values["full_name"]), values["date_of_birth"], values["unit_id"])
        first = seen_identities.get(identity)
        # Two namesakes born the same day in one unit are told apart by their staff codes.
        if first is not None and not (values.get("staff_code") and first[1]):
            row.error(None, _("Row %(row)s repeats %(name)s, born %(born)s, already on row "
                              "%(first)s. One row per person: delete one of the two rows."),
                      row=row.number, name=values["full_name"],
                      born=values["date_of_birth"].strftime("%d/%m/%Y"), first=first[0])
        elif first is None:
            seen_identities[identity] = (row.number, values.get("staff_code"))


def _email_once(row, letters, by_email, seen_emails):
    """An address belongs to one active person (see StaffMember.email)."""
    email = row.values.get("email")
    if not email or row.errors:
        return
    holder = by_email.get(email)
    if holder is not None and holder != row.person:
        row.error(letters.get(EMAIL), _("“%(email)s” is already the address of %(name)s. Write "
                                        "this person's own address, or leave the cell empty."),
                  email=email, name=holder.full_name)
    elif email in seen_emails:
        row.error(letters.get(EMAIL), _("“%(email)s” is already on row %(first)s. Each person "
                                        "needs their own address, or leave the cell empty."),
                  email=email, first=seen_emails[email])
    else:
        seen_emails[email] = row.number


def parse(file) -> StaffImport:
    """Read and check every row of an uploaded workbook. Writes nothing."""
    return validate(*read_rows(file))


# Writing ------------------------------------------------------------------------------------

@transaction.atomic
def write(result: StaffImport, *, user) -> dict[str, int]:
    """Create the new people and update the changed ones, all or none; a person whose unit
    changed is transferred today (StaffTransfer). Side effects: the rows and one audit line
    ("staff.import") with the ids added and updated. A fixed number of queries whatever the
    number of rows: one statement per table (core.bulk), ids reserved beforehand."""
    if result.has_errors:
        raise ValueError("A result with errors cannot be written.")
    today, now = timezone.localdate(), timezone.now()
    new = [StaffMember(**row.values) for row in result.rows if row.status == NEW]
    updated, transfers = [], []
    for row in result.rows:
        if row.status != UPDATE:
            continue
        person = row.person
        if "unit_id" in row.changed:
            transfers.append(StaffTransfer(staff=person, from_unit_id=person.unit_id,
                                           to_unit_id=row.values["unit_id"], on=today,
                                           recorded_by=user, recorded_at=now))
        for name in FIELDS:
            if name not in KEPT_WHEN_EMPTY or row.values[name]:
                setattr(person, name, row.values[name])
        person.is_active, person.left_on = True, None
        updated.append(person)
    # save() keeps the search key; these statements skip it (as bulk_create does).
    for person in new + updated:
        person.name_key = search_key(person.full_name)
    bulk.insert(StaffMember, new)
    bulk.update(StaffMember, updated, [*FIELDS, "name_key", "is_active", "left_on"])
    bulk.insert(StaffTransfer, transfers)
    _sync_account_emails([row.person for row in result.rows
                          if row.status == UPDATE and "email" in row.changed
                          and row.person.user_id])
    counts = {"added": len(new), "updated": len(updated), "transferred": len(transfers)}
    record(actor=user, action="staff.import", after={
        **counts, "staff": sorted(person.pk for person in new + updated)})
    return counts


def _sync_account_emails(people) -> None:
    """A changed address reaches the person's account (StaffMember.email is its source)."""
    from django.contrib.auth import get_user_model

    User = get_user_model()
    users = [User(pk=person.user_id, email=person.email) for person in people]
    bulk.update(User, users, ["email"])


# The template -------------------------------------------------------------------------------

def staff_template(stream, *, people=()) -> None:
    """The staff workbook: the header row, an example row, and `people` if given."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Staff")[:31]
    append(sheet, [_(header) for header in HEADERS])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for index, width in enumerate((30, 14, 8, 18, 28, 20, 16, 14, 28, 16), start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    for person in people:
        append(sheet, person)
    stamp_workbook(workbook)
    workbook.save(stream)
