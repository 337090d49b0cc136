"""Rows of a write-only sheet written through cells reused row after row (the progress export,
the year-end report and a decision's workbook).

openpyxl's write-only `append` builds a new cell for every value, checks each one's hyperlink
and style, and takes a cell it is given only after failing to assign it as a value (formatting
the cell into the error it then swallows), and it builds a new cell after every styled one. At
province scale (60,000 rows, 300,000 styled cells) that was a fifth of the export, and for a
year-end report's 2,300 rows as much as its ten queries. Reusing a cell is safe because a
write-only sheet writes the row out inside `append`, before the next row sets the cell again.

`RowCells(ws)` replaces a private method of that sheet instance (`_values_to_row`):
tests/tasks/test_export_workbook.py and tests/awards/test_document_workbooks.py compare the
workbooks cell for cell with what the old writers made, and fail if an openpyxl upgrade
changes what the method does.
"""

from openpyxl.cell import Cell


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
        ws._values_to_row = self._values_to_row

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
                cell = self.reused((column, None))
                cell.value = value
            if cell.data_type == "f":  # a name starting with "=": text, never a formula
                cell.data_type = "s"
            cell.column = column
            cell.row = row_idx
            yield cell
