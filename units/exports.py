"""The audit trail, as filtered on its page, as an Excel workbook (openpyxl write-only mode:
rows are streamed, memory stays flat whatever the number of lines)."""

import json

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from .audit import action_label

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DATETIME_FORMAT = "DD/MM/YYYY HH:MM"
CHUNK = 2000


def _text(sheet, value) -> WriteOnlyCell:
    """A text cell that stays text: a username typed at the sign-in page such as
    "=HYPERLINK(…)" must not become a formula in the office's spreadsheet."""
    cell = WriteOnlyCell(sheet, value="" if value is None else str(value))
    cell.data_type = "s"
    return cell


def _json(value) -> str:
    return "" if value is None else json.dumps(value, ensure_ascii=False)


def write_audit(entries, stream) -> None:
    """Every line of `entries` (a queryset, newest first), one row each, into `stream`."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Audit trail")[:31])
    for letter, width in zip("ABCDEFGHIJ", (17, 24, 16, 30, 34, 40, 12, 16, 50, 50),
                             strict=True):
        sheet.column_dimensions[letter].width = width
    headers = [_("Time"), _("Person"), _("Username"), _("Unit"), _("Action"), _("Object"),
               _("Object number"), _("IP address"), _("Before"), _("After")]
    bold = []
    for header in headers:
        cell = WriteOnlyCell(sheet, value=header)
        cell.font = Font(bold=True)
        bold.append(cell)
    sheet.append(bold)
    for entry in entries.iterator(chunk_size=CHUNK):
        when = WriteOnlyCell(sheet, value=timezone.localtime(entry.at).replace(tzinfo=None))
        when.number_format = DATETIME_FORMAT
        actor = entry.actor
        sheet.append([
            when,
            _text(sheet, entry.actor_name),
            _text(sheet, actor.get_username() if actor else ""),
            _text(sheet, entry.unit.name if entry.unit else ""),
            _text(sheet, action_label(entry.action)),
            _text(sheet, entry.object_repr),
            _text(sheet, entry.object_id),
            _text(sheet, entry.ip or ""),
            _text(sheet, _json(entry.before)),
            _text(sheet, _json(entry.after)),
        ])
    workbook.save(stream)
