"""Rows of a write-only sheet written through cells reused row after row (the progress export,
the year-end report and a decision's workbook).

openpyxl's write-only `append` builds a new cell for every value, checks each one's hyperlink
and style, and takes a cell it is given only after failing to assign it as a value (formatting
the cell into the error it then swallows), and it builds a new cell after every styled one. At
province scale (60,000 rows, 300,000 styled cells) that was a fifth of the export, and for a
year-end report's 2,300 rows as much as its ten queries. Reusing a cell is safe because a
write-only sheet writes the row out inside `append`, before the next row sets the cell again.

openpyxl then writes each cell through two or three nested `xf.element` blocks of lxml's
incremental writer, half of a workbook's time. The rows appended through `RowCells` are written
as one element a row instead, built with lxml and handed to the same writer (as openpyxl itself
writes a cell when lxml is missing): the same XML, a tenth less time for the year-end report's
workbook. A row with anything but plain values (a comment, a hyperlink, rich text, a date with
a time zone) goes through openpyxl's own writer.

`RowCells(ws)` replaces a private method of that sheet instance (`_values_to_row`) and its
writer's `write_row`: tests/core/test_spreadsheet_rows.py compares the sheet's XML with
openpyxl's for every kind of value, and tests/tasks/test_export_workbook.py and
tests/awards/test_document_workbooks.py the workbooks cell for cell with what the old writers
made; they fail if an openpyxl upgrade changes what the methods do.
"""

from openpyxl.cell import Cell
from openpyxl.cell.cell import TIME_TYPES
from openpyxl.cell.rich_text import CellRichText
from openpyxl.compat import safe_string
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import to_excel
from openpyxl.xml.functions import XML_NS, Element, SubElement

# Text with a space at either end keeps it (as openpyxl writes it).
PRESERVE = {f"{{{XML_NS}}}space": "preserve"}
NO_ATTRIBUTES = {}
# The data types written here; any other (a formula, which RowCells never lets through) goes
# through openpyxl's writer.
PLAIN = {"n", "s", "b", "e", "d"}


class RowCell(Cell):
    """A write-only cell reused row after row."""

    __slots__ = ()

    def __repr__(self):
        # Short: openpyxl formats a cell given as a value into an error message.
        return "<row cell>"


class RowCells:
    """The cells of one write-only sheet, one per column and number format (or per `key`),
    reused for every row appended after the header. A row appended from then on holds plain
    values (each written through its column's plain cell), None (no cell, as openpyxl leaves
    it) or cells from `cell(...)`. Text that would read as a formula stays text, as
    core.spreadsheets.safe_text keeps it."""

    def __init__(self, ws):
        self.ws = ws
        self.cells = {}
        self.letters = {}  # column number -> "A", "B", …
        ws._values_to_row = self._values_to_row
        ws._get_writer()  # made on the first append (the header); made now if there was none
        self.writer = ws._writer
        self.openpyxl_write_row = self.writer.write_row
        self.writer.write_row = self._write_row

    def reused(self, key, *, number_format=None, style=None) -> RowCell:
        """The cell kept under `key`, made on first use with `number_format` or the named
        `style` (registered in the workbook once)."""
        cell = self.cells.get(key)
        if cell is None:
            cell = self.cells[key] = RowCell(self.ws)
            if style is not None:
                cell.style = style
            elif number_format is not None:
                cell.number_format = number_format
        return cell

    def cell(self, column, value, number_format=None):
        """`value` in `number_format` in `column` (1-based) of the row being appended; None
        stays an empty cell, unformatted."""
        if value is None:
            return None
        cell = self.reused((column, number_format), number_format=number_format)
        cell.value = value
        return cell

    def _values_to_row(self, values, row_idx):
        for column, value in enumerate(values, 1):
            if value is None:
                continue
            if isinstance(value, Cell):
                cell = value
            else:
                # A date, time or duration given as a plain value is formatted by openpyxl as
                # it binds it: its own cell, so the format does not stay on the column's plain
                # cell for the numbers of the rows after it.
                cell = self.reused((column, type(value) if isinstance(value, TIME_TYPES)
                                    else None))
                cell.value = value
            if cell.data_type == "f":  # a name starting with "=": text, never a formula
                cell.data_type = "s"
            cell.column = column
            cell.row = row_idx
            if cell._hyperlink is not None:  # a link given in a cell points at where it lands
                cell._hyperlink.ref = cell.coordinate
            yield cell

    def _write_row(self, xf, row, row_idx):
        """openpyxl's `WorksheetWriter.write_row`, one lxml element a row: the same XML."""
        cells = list(row)
        number = str(row_idx)
        attributes = {"r": number}
        dimensions = self.ws.row_dimensions.get(row_idx)
        if dimensions:
            attributes.update(dimensions)
        element = Element("row", attributes)
        for cell in cells:
            value = cell._value
            kind = cell.data_type
            if (kind not in PLAIN or cell._comment is not None or cell._hyperlink is not None
                    or isinstance(value, CellRichText)):
                return self.openpyxl_write_row(xf, cells, row_idx)
            styled = cell.has_style
            if value is None and not styled:
                continue
            if kind == "d":
                if getattr(value, "tzinfo", None) is not None or self.ws.parent.iso_dates:
                    return self.openpyxl_write_row(xf, cells, row_idx)
                value, kind = to_excel(value, self.ws.parent.epoch), "n"
            letter = self.letters.get(cell.column)
            if letter is None:
                letter = self.letters[cell.column] = get_column_letter(cell.column)
            # In openpyxl's order: reference, style, type.
            own = ({"r": letter + number, "s": str(cell.style_id)} if styled
                   else {"r": letter + number})
            own["t"] = "inlineStr" if kind == "s" else kind
            written = SubElement(element, "c", own)
            if value is None or value == "":
                continue
            if kind == "s":
                SubElement(SubElement(written, "is"), "t",
                           PRESERVE if value != value.strip() else NO_ATTRIBUTES).text = value
            else:
                SubElement(written, "v").text = safe_string(value)
        xf.write(element)
