"""Reading the organisation's workbooks (units, staff) as people fill them in: the header row
may sit under title rows and in merged cells, the columns in any order and headed in English,
Vietnamese or the usual HR words; formulas and macro-enabled files are refused with the cell to
fix. Built on the shared import framework (core.spreadsheets.import_preview)."""

import datetime
import zipfile

from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from core.spreadsheets.import_preview import (
    UNREADABLE,
    ImportFileError,
    cell_text,
    fold,
    not_a_workbook,
)

HEADER_SEARCH_ROWS = 10  # HR files put a title and a date above the header row


def read_table(file, headers, required, aliases, *, max_rows):
    """(rows, letters): (row number, {header: text}) of every non-empty row under the header
    row, and the column letter of each header found. ImportFileError for a file that cannot be
    read as the template: not a workbook, macros, a formula, no header row, a required column
    missing, too many rows, no row."""
    try:
        with zipfile.ZipFile(file) as archive:
            if any(name.lower().endswith("vbaproject.bin") for name in archive.namelist()):
                raise ImportFileError(_("This workbook contains macros. Save it as an ordinary "
                                        "Excel workbook (.xlsx, not .xlsm) and upload it "
                                        "again."))
    except zipfile.BadZipFile:
        raise not_a_workbook() from None
    file.seek(0)
    try:
        # Not data_only: a formula must be seen to be refused, not read as its last value.
        workbook = load_workbook(file, read_only=True, data_only=False)
    except UNREADABLE:
        raise not_a_workbook() from None
    try:
        if not workbook.worksheets:
            raise not_a_workbook()
        return _read(workbook.worksheets[0].iter_rows(), headers, required, aliases, max_rows)
    except UNREADABLE:
        raise not_a_workbook() from None
    finally:
        workbook.close()


def _names(header, aliases) -> set[str]:
    """The folded names a column may be headed by: English, Vietnamese, the shown language,
    and the usual HR headings."""
    with translation.override("vi"):
        vietnamese = _(header)
    return {fold(header), fold(vietnamese), fold(_(header)),
            *(fold(alias) for alias in aliases.get(header, []))}


def _find_header(rows, headers, aliases):
    """The header row among the first rows: the first naming three columns of the template or
    all of them. Merged header cells leave their other cells empty, which is fine: each column
    is found by its name."""
    wanted = {header: _names(header, aliases) for header in headers}
    for number, cells in enumerate(rows, start=1):
        texts = [fold(" ".join(cell_text(cell.value).split())) for cell in cells]
        found = {}
        for index, text in enumerate(texts):
            for header, names in wanted.items():
                if text in names and header not in found:
                    found[header] = index
        if len(found) >= min(3, len(headers)):
            return number, found
        if number == HEADER_SEARCH_ROWS:
            break
    return None, {}


def _read(rows, headers, required, aliases, max_rows):
    number, columns = _find_header(rows, headers, aliases)
    if number is None:
        raise ImportFileError(_("No row of the first %(rows)s names the template's columns: "
                                "%(headers)s. Download the template and copy your rows into it.")
                              % {"rows": HEADER_SEARCH_ROWS,
                                 "headers": ", ".join(_(h) for h in headers)})
    missing = [header for header in required if header not in columns]
    if missing:
        raise ImportFileError(_("Row %(row)s, the header row, has no column %(columns)s. Add "
                                "the column with this header (see the template) and upload the "
                                "file again.")
                              % {"row": number,
                                 "columns": ", ".join(f"“{_(h)}”" for h in missing)})
    letters = {header: get_column_letter(index + 1) for header, index in columns.items()}
    found = []
    for row_number, cells in enumerate(rows, start=number + 1):
        cells = list(cells)
        texts = {}
        for header, index in columns.items():
            cell = cells[index] if index < len(cells) else None
            if cell is None or cell.value is None:
                texts[header] = ""
                continue
            if cell.data_type == "f":
                raise ImportFileError(_("Cell %(cell)s holds a formula. Copy the column and "
                                        "paste it as values only, save, and upload the file "
                                        "again.")
                                      % {"cell": f"{letters[header]}{row_number}"})
            value = cell.value
            if isinstance(value, datetime.datetime):
                value = value.date()
            texts[header] = value.isoformat() if isinstance(value, datetime.date) \
                else cell_text(value)
        if not any(texts.values()):
            continue
        if len(found) == max_rows:
            raise ImportFileError(_("The file has more than %(max)s rows. Split it into "
                                    "several files and import them one by one.")
                                  % {"max": max_rows})
        found.append((row_number, texts))
    if not found:
        raise ImportFileError(_("The file has no row under its header row. Fill in one row "
                                "per person or unit and upload it again."))
    return found, letters
