"""The audit trail, as filtered on its page, as an Excel workbook (openpyxl write-only mode:
rows are streamed, memory stays flat whatever the number of lines)."""

import json

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from core.audit.display import action_label, describe
from core.spreadsheets.safe_text import text_cell
from core.spreadsheets.styles import BOLD, DATETIME_FORMAT

from .identity import stamp_workbook

CHUNK = 2000
CELL_LENGTH = 10000  # per value: a cell holds at most 32,767 characters
# Every value is a text cell that stays text: a username typed at the sign-in page such as
# "=HYPERLINK(…)" must not become a formula in the office's spreadsheet.


def _json(value) -> str:
    return "" if value is None else json.dumps(value, ensure_ascii=False)


def _readable(entry) -> str:
    """The line's changes as the page shows them, whole: "Field: before → after", one a line."""
    return "\n".join(f"{label}: {before} → {after}" for label, before, after in entry.rows)


def _chunks(entries):
    """Lists of CHUNK lines, each read from the database in one go and described at once."""
    chunk = []
    for entry in entries.iterator(chunk_size=CHUNK):
        chunk.append(entry)
        if len(chunk) == CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def write_audit(entries, stream, *, progress=None) -> int:
    """Every line of `entries` (a queryset, newest first), one row each, into `stream`: the
    changes as people read them, then the values as recorded (JSON) for auditors. Returns the
    lines written; `progress(percent)` (the background worker's) is called after each chunk."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Audit trail")[:31])
    for letter, width in zip("ABCDEFGHIJK", (17, 24, 16, 30, 34, 40, 12, 16, 60, 50, 50),
                             strict=True):
        sheet.column_dimensions[letter].width = width
    headers = [_("Time"), _("Person"), _("Username"), _("Unit"), _("Action"), _("Object"),
               _("Object number"), _("IP address"), _("Changes"), _("Before"), _("After")]
    # The header stays in view and filters the lines (set before the rows: write-only mode).
    sheet.freeze_panes = "A2"
    total = entries.count()
    sheet.auto_filter.ref = f"A1:K{1 + max(total, 1)}"
    bold = []
    for header in headers:
        cell = WriteOnlyCell(sheet, value=header)
        cell.font = BOLD
        bold.append(cell)
    sheet.append(bold)
    written = 0
    for chunk in _chunks(entries):
        describe(chunk, length=CELL_LENGTH)
        for entry in chunk:
            _append(sheet, entry)
        written += len(chunk)
        if progress is not None:
            # Saving the file takes a while after the last row: 99 until it is stored.
            progress(min(99, written * 100 // max(total, 1)))
    stamp_workbook(workbook)
    workbook.save(stream)
    return written


def _object_number(value):
    """The object's number as a number, so the column sorts and filters as numbers; a key that
    is not a number (a code) stays text."""
    text = "" if value is None else str(value)
    return int(text) if text.isdigit() and len(text) < 16 else (text or None)


def _append(sheet, entry) -> None:
    when = WriteOnlyCell(sheet, value=timezone.localtime(entry.at).replace(tzinfo=None))
    when.number_format = DATETIME_FORMAT
    actor = entry.actor
    sheet.append([
        when,
        text_cell(sheet, entry.actor_name),
        text_cell(sheet, actor.get_username() if actor else ""),
        text_cell(sheet, entry.unit.name if entry.unit else ""),
        text_cell(sheet, action_label(entry.action)),
        text_cell(sheet, entry.object_repr),
        _object_number(entry.object_id),
        entry.ip or None,  # a validated address (GenericIPAddressField): never a formula
        text_cell(sheet, _readable(entry)),
        text_cell(sheet, _json(entry.before)),
        text_cell(sheet, _json(entry.after)),
    ])
