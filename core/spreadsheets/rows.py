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
as one lxml element a row instead, handed to the same writer (as openpyxl itself writes a cell
when lxml is missing); each cell is a copy of a small element made once per style, type and
shape, which lxml makes in C faster than Python builds one element by element. The same XML;
the year-end report's workbook took 52 ms, now 46 ms, where bare openpyxl appending the same
plain values takes 51. A row with anything but plain values (a comment, a hyperlink, rich text,
a date with a time zone) goes through openpyxl's own writer.

`RowCells(ws)` replaces a private method of that sheet instance (`_values_to_row`) and its
writer's `write_row`: tests/core/test_spreadsheet_rows.py compares the sheet's XML with
openpyxl's for every kind of value, and tests/tasks/test_export_workbook.py and
tests/awards/test_document_workbooks.py the workbooks cell for cell with what the old writers
made; they fail if an openpyxl upgrade changes what the methods do.
"""

from decimal import Decimal

from openpyxl.cell import Cell
from openpyxl.cell.cell import ERROR_CODES, TIME_TYPES
from openpyxl.cell.rich_text import CellRichText
from openpyxl.compat import safe_string
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import to_excel
from openpyxl.xml.functions import XML_NS, Element, SubElement

# Text with a space at either end keeps it (as openpyxl writes it).
PRESERVE = {f"{{{XML_NS}}}space": "preserve"}
# The data types written here; any other (a formula, which RowCells never lets through) goes
# through openpyxl's writer.
PLAIN = {"n", "s", "b", "e", "d"}


# The plain types of a row's values and their data type, bound here as openpyxl's
# Cell._bind_value binds them, without its general type lookup (3 ms of the year-end report's
# 46): text checked and cut at Excel's 32,767 characters, an error code as an error, and text
# starting with "=" as text (openpyxl would make it a formula). Any other type, a date among
# them, is bound by openpyxl.
PLAIN_TYPES = {str: "s", int: "n", float: "n", Decimal: "n", bool: "b"}


def bind(cell, value) -> None:
    """`cell.value = value`, faster for the plain types."""
    kind = PLAIN_TYPES.get(type(value))
    if kind is None:
        cell.value = value
        return
    if kind == "s":
        value = cell.check_string(value)
        if value in ERROR_CODES:
            kind = "e"
    cell._value = value
    cell.data_type = kind


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
        self.templates = {}  # (style id, type, shape) -> a cell element to copy
        ws._values_to_row = self._values_to_row
        ws._get_writer()  # made on the first append (the header); made now if there was none
        self.openpyxl_write_row = ws._writer.write_row
        ws._writer.write_row = self._write_row

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

    def cell(self, column, value, number_format=None, *, alignment=None):
        """`value` in `number_format` (and `alignment`) in `column` (1-based) of the row being
        appended; None stays an empty cell, unformatted."""
        if value is None:
            return None
        key = (column, number_format, alignment)
        cell = self.cells.get(key)
        if cell is None:
            cell = self.reused(key, number_format=number_format)
            if alignment is not None:
                cell.alignment = alignment
        bind(cell, value)
        return cell

    def _values_to_row(self, values, row_idx) -> list:
        row = []
        get = self.cells.get
        for column, value in enumerate(values, 1):
            if value is None:
                continue
            if isinstance(value, Cell):
                cell = value
            else:
                # A date, time or duration given as a plain value is formatted by openpyxl as
                # it binds it: its own cell, so the format does not stay on the column's plain
                # cell for the numbers of the rows after it.
                key = (column, type(value) if isinstance(value, TIME_TYPES) else None)
                cell = get(key) or self.reused(key)
                bind(cell, value)
            if cell.data_type == "f":  # a name starting with "=": text, never a formula
                cell.data_type = "s"
            cell.column = column
            cell.row = row_idx
            if cell._hyperlink is not None:  # a link given in a cell points at where it lands
                cell._hyperlink.ref = cell.coordinate
            row.append(cell)
        return row

    def _write_row(self, xf, cells, row_idx):
        """openpyxl's `WorksheetWriter.write_row`, one lxml element a row: the same XML. Each
        cell is a copy of a cell element made once per style, type and shape (lxml copies a
        small tree in C faster than Python builds it element by element)."""
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
            if value is None or value == "":
                shape = EMPTY
            elif kind == "s":
                shape = SPACED if value != value.strip() else TEXT
            else:
                shape = VALUE
            style = cell.style_id if styled else None
            template = self.templates.get((style, kind, shape))
            if template is None:
                template = self.templates[style, kind, shape] = _cell_element(style, kind, shape)
            letter = self.letters.get(cell.column)
            if letter is None:
                letter = self.letters[cell.column] = get_column_letter(cell.column)
            written = template.__copy__()  # copy.copy(), without its lookup per cell
            written.set("r", letter + number)
            element.append(written)
            if shape is VALUE:
                written[0].text = safe_string(value)
            elif shape is not EMPTY:
                written[0][0].text = value
        xf.write(element)


EMPTY, TEXT, SPACED, VALUE = "empty", "text", "spaced", "value"


def _cell_element(style, kind, shape):
    """A cell as openpyxl writes it (its attributes in its order: reference, style, type), the
    reference and the value left to fill in."""
    attributes = {"r": ""}
    if style is not None:
        attributes["s"] = str(style)
    attributes["t"] = "inlineStr" if kind == "s" else kind
    element = Element("c", attributes)
    if shape is VALUE:
        SubElement(element, "v")
    elif shape is not EMPTY:
        SubElement(SubElement(element, "is"), "t", PRESERVE if shape is SPACED else {})
    return element
