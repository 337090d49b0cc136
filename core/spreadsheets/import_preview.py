"""The check-then-confirm flow every Excel import shares.

An import is two steps. The upload is read (`read_first_sheet`) and every row checked, writing
nothing, and the preview page (templates/includes/import_preview.html) shows what each row would do:
add, update, leave unchanged, or an error that says what to fix (`PreviewResult.listed`: the
rows with errors and the rows that change, a few hundred at most; unchanged rows are counted).
Only a file without errors and with something to change may be confirmed: its rows are kept
in the session as plain values under a random token (`keep`), never the file, and on "Save the
data" they are read back (`kept_rows`) and checked again against the database as it is by then.

Each import brings its own rows and checks; its result is a `PreviewResult`. Its page declares
an `ImportFlow` (what to read, how to save, which templates and links) and hands it to
`run_import`, which runs the steps the same way for every import: upload, preview, confirm.
Who may import is decided by the page before the flow runs (the app's access layer).
"""

import secrets
import unicodedata
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from xml.parsers.expat import ExpatError

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.template.defaultfilters import filesizeformat
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from core.numbers import NumberFormatError, is_whole, parse_number
from core.uploads import check_evidence

MAX_ROWS = 2000
# The preview lists at most this many rows with errors and as many rows that change; the rest
# are counted. A 20,000-row staff file listed whole was a 5 MB page that took seconds to draw.
LISTED = 200
IMPORT_MAX_BYTES = 5 * 1024 * 1024
NEW, UPDATE, UNCHANGED, ERROR = "new", "update", "unchanged", "error"
# What openpyxl raises on a file that is not a workbook, or a damaged one.
UNREADABLE = (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError,
              TypeError, IndexError, ExpatError, SyntaxError)
EXPIRED = gettext_lazy("This preview has expired or was already saved. Upload the file again.")


class ImportFileError(ValidationError):
    """The file as a whole cannot be read as the import template."""


# The forms of the two steps -----------------------------------------------------------------

class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Excel file (.xlsx)"),
        help_text=gettext_lazy("The filled-in template, at most 5 MB."),
        widget=forms.FileInput(attrs={"accept": ".xlsx"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not (upload.name or "").lower().endswith(".xlsx"):
            raise ValidationError(_("Upload an Excel workbook saved as .xlsx (Excel 2007 or "
                                    "later); other formats such as .xls or .csv are not read."))
        if upload.size > IMPORT_MAX_BYTES:
            raise ValidationError(_("The file is %(size)s; the limit is %(limit)s. Remove empty "
                                    "rows and pictures, or split the file.")
                                  % {"size": filesizeformat(upload.size),
                                     "limit": filesizeformat(IMPORT_MAX_BYTES)})
        # The content checks of evidence uploads: an Office zip, not a renamed file or zip bomb.
        check_evidence(upload)
        return upload


class ImportConfirmForm(forms.Form):
    token = forms.CharField(max_length=64, widget=forms.HiddenInput)


# The result of the check --------------------------------------------------------------------

@dataclass
class PreviewResult:
    """The checked rows of a file; each row has a `number`, a `status` (NEW, UPDATE, UNCHANGED
    or ERROR) and its `errors`. Subclasses add what they import under and `to_plain`, the
    JSON-safe values of the rows kept between preview and confirmation."""

    rows: list

    @property
    def has_errors(self) -> bool:
        return bool(self.whole_file_error) or any(row.errors for row in self.rows)

    @property
    def whole_file_error(self) -> str | None:
        """A refusal of the file as a whole although each row is right (none by default)."""
        return None

    @property
    def errors(self) -> list[str]:
        return [message for row in self.rows for message in row.errors]

    def counts(self) -> dict[str, int]:
        counts = {NEW: 0, UPDATE: 0, UNCHANGED: 0, ERROR: 0}
        for row in self.rows:
            counts[row.status] += 1
        return counts

    @property
    def changes(self) -> int:
        counts = self.counts()
        return counts[NEW] + counts[UPDATE]

    def to_plain(self) -> list[list]:
        raise NotImplementedError

    @cached_property
    def listed(self) -> "Listing":
        """The rows the preview shows: those with errors, then those that change (at most
        LISTED of each, in the file's order); unchanged rows are only counted."""
        errors = [row for row in self.rows if row.status == ERROR]
        changes = [row for row in self.rows if row.status in (NEW, UPDATE)]
        return Listing(rows=errors[:LISTED] + changes[:LISTED],
                       more_errors=max(len(errors) - LISTED, 0),
                       more_changes=max(len(changes) - LISTED, 0),
                       unchanged=len(self.rows) - len(errors) - len(changes))


@dataclass
class Listing:
    rows: list = field(default_factory=list)
    more_errors: int = 0  # rows with errors beyond those listed
    more_changes: int = 0  # rows to add or update beyond those listed
    unchanged: int = 0


# Between preview and confirmation -----------------------------------------------------------

def keep(request, key: str, result: PreviewResult, **scope) -> ImportConfirmForm | None:
    """Forget any earlier preview under `key`; keep this result's rows for confirmation if it
    may be confirmed (no errors, something to change), with what it imports under (`scope`,
    e.g. the plan's id). Returns the confirmation form, or None."""
    request.session.pop(key, None)
    if result.has_errors or not result.changes:
        return None
    token = secrets.token_urlsafe(24)
    request.session[key] = {"token": token, **scope, "rows": result.to_plain()}
    return ImportConfirmForm(initial={"token": token})


def kept_rows(request, key: str, **scope) -> list | None:
    """The rows kept for the confirmation posted, or None when the preview expired, was already
    saved, or was made for another `scope` (messages: EXPIRED)."""
    form = ImportConfirmForm(request.POST)
    kept = request.session.get(key) or {}
    if (not form.is_valid() or any(kept.get(name) != value for name, value in scope.items())
            or not secrets.compare_digest(kept.get("token", ""), form.cleaned_data["token"])):
        return None
    return kept["rows"]


def forget(request, key: str) -> None:
    """The rows were saved: the same confirmation cannot be sent twice."""
    request.session.pop(key, None)


# The pages of an import ---------------------------------------------------------------------

class ImportRefused(Exception):
    """The save was refused after the second check (a clash with someone else's write, a
    closed window): nothing was saved; `message` says what happened and what to do."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class ImportFlow:
    """What one import's page declares; `run_import` does the rest.

    `parse(file)` reads and checks the upload (ImportFileError for a file that cannot be read);
    `recheck(rows)` checks the kept rows again; `save(result, user)` writes them, all or none,
    and returns the message saying what was saved, or raises ImportRefused. `scope` is what the
    rows are imported under (a confirmation for another plan or unit is refused as expired);
    `context` goes to both pages; `changed` is said when the second check finds errors."""

    session_key: str
    parse: Callable
    recheck: Callable
    save: Callable
    changed: str
    form_template: str
    preview_template: str
    import_url: str  # the upload page: "upload another file", and where a refusal lands
    done_url: str  # where a saved import lands
    scope: dict = field(default_factory=dict)
    context: dict = field(default_factory=dict)


def run_import(request, flow: ImportFlow):
    """The upload page (GET, or a POST with errors), the preview (a POST of a readable file),
    and the confirmation (a POST of the preview's token)."""
    if request.method == "POST" and "token" in request.POST:
        return _confirm(request, flow)
    posted = request.method == "POST"
    form = ImportUploadForm(request.POST if posted else None, request.FILES if posted else None)
    if form.is_valid():
        try:
            result = flow.parse(form.cleaned_data["file"])
        except ImportFileError as error:
            form.add_error("file", error)
        else:
            return _preview(request, flow, result)
    return render(request, flow.form_template, {"form": form, **flow.context})


def _preview(request, flow, result):
    """What the file would do; its rows are kept for confirmation only if all are valid."""
    confirm = keep(request, flow.session_key, result, **flow.scope)
    return render(request, flow.preview_template, {
        **flow.context, "result": result, "counts": result.counts(), "confirm": confirm,
        "import_url": flow.import_url})


def _confirm(request, flow):
    rows = kept_rows(request, flow.session_key, **flow.scope)
    if rows is None:
        messages.error(request, EXPIRED)
        return redirect(flow.import_url)
    result = flow.recheck(rows)
    if result.has_errors:
        messages.error(request, flow.changed)
        return _preview(request, flow, result)
    try:
        done = flow.save(result, request.user)
    except ImportRefused as refused:
        messages.error(request, refused.message)
        return redirect(flow.import_url)
    forget(request, flow.session_key)
    messages.success(request, done)
    return redirect(flow.done_url)


# Reading the file ---------------------------------------------------------------------------

def not_a_workbook() -> ImportFileError:
    return ImportFileError(_("This file is not an Excel workbook (.xlsx) or it is damaged. "
                             "Download the template, fill it in Excel or LibreOffice, save it "
                             "as .xlsx and upload it again."))


def read_first_sheet(file, read):
    """`read(rows)` over the rows of the workbook's first sheet (values only); ImportFileError
    when the file is not a workbook or is damaged."""
    try:
        workbook = load_workbook(file, read_only=True, data_only=True)
    except UNREADABLE:
        raise not_a_workbook() from None
    try:
        if not workbook.worksheets:
            raise not_a_workbook()
        return read(workbook.worksheets[0].iter_rows(values_only=True))
    except UNREADABLE:
        raise not_a_workbook() from None
    finally:
        workbook.close()


def too_many_rows() -> ImportFileError:
    return ImportFileError(_("The file has more than %(max)s rows. Split it into several files "
                             "and import them one by one.") % {"max": MAX_ROWS})


def cell_text(value) -> str:
    """A cell as the text a person typed: '' for empty, 12 for a whole 12.0."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def fold(text: str) -> str:
    """Text compared as people read it: composed accents, no case, no surrounding spaces."""
    return unicodedata.normalize("NFC", text).strip().casefold()


def check_header(row, headers) -> None:
    """Row 1 must hold the template's headers (msgids), each in English or Vietnamese or the
    language shown."""
    with translation.override("vi"):
        vietnamese = [_(header) for header in headers]
    shown = [_(header) for header in headers]
    cells = list(row or ()) + [None] * len(headers)
    for cell, names in zip(cells, zip(headers, shown, vietnamese, strict=True), strict=False):
        if fold(cell_text(cell)) not in {fold(name) for name in names}:
            raise ImportFileError(
                _("Row 1 must hold the template's column headers: %(headers)s. Download the "
                  "template again and copy your rows into it.") % {"headers": ", ".join(shown)})


def whole_id(value):
    """A whole number read as every number of the portal is ("1.200" is 1200), else None: the
    id of a row's object."""
    try:
        number = parse_number(value)
    except NumberFormatError:
        return None
    if number is None or not number.is_finite() or not is_whole(number) or number < 0:
        return None
    return int(number) if number < 10**9 else None
