"""Write-only sheets laid out as every table the portal hands out: column widths, a bold header
row kept in view and repeated on every printed page, and a filter over the rows when their
number is known beforehand (write-only sheets take all of this before their first row).

Used by the award documents (`awards.documents.layout`), the scoring export and the
registrations export; the rows are then appended through `core.spreadsheets.rows.RowCells`."""

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.utils import get_column_letter

from .safe_text import append
from .styles import BOLD, DATE_FORMAT, HEADER_ALIGNMENT, HEADER_FILL, sheet_title


def cell(ws, value, number_format=None, *, bold=False, header=False) -> WriteOnlyCell:
    """A cell for a write-only sheet: `value` in `number_format` (none for an empty cell), bold,
    or in the header's style."""
    written = WriteOnlyCell(ws, value=value)
    if number_format and value is not None:
        written.number_format = number_format
    if header:
        written.font, written.fill, written.alignment = BOLD, HEADER_FILL, HEADER_ALIGNMENT
    elif bold:
        written.font = BOLD
    return written


def date_cell(ws, value) -> WriteOnlyCell:
    return cell(ws, value, DATE_FORMAT)


def table(workbook: Workbook, title: str, columns, *, rows: int | None = None,
          freeze: str = "A2"):
    """A write-only sheet of `columns` ((header, width), …) with its header row written: the
    header frozen above `freeze`'s row (and left of its column), repeated on every printed page
    and, when `rows` is known, a filter over the table."""
    ws = workbook.create_sheet(sheet_title(title))
    for index, (_header, width) in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(index)].width = width
    ws.freeze_panes = freeze
    # A list of a thousand awardees prints on twenty pages: each shows what its columns are.
    ws.print_title_rows = "1:1"
    if rows is not None:
        ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{1 + rows}"
    append(ws, [cell(ws, header, header=True) for header, _width in columns])
    return ws
