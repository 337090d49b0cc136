"""Writing rows into Excel files that people download.

openpyxl stores any text that starts with "=" as a formula, which Excel then runs when the file is
opened: a unit's name, a person's name or a note typed as `=HYPERLINK(...)` or `=WEBSERVICE(...)`
would become a live formula in someone else's download (OWASP "CSV injection"). The portal writes
no formulas, so every exported row goes through `append`, which keeps such text as text.
"""

from openpyxl.cell import Cell, WriteOnlyCell


def append(ws, values) -> None:
    """`ws.append(values)`, with any text that would be read as a formula kept as text."""
    ws.append([_as_text(ws, value) for value in values])


def _as_text(ws, value):
    if isinstance(value, str) and value.startswith("="):
        value = WriteOnlyCell(ws, value=value)
    if isinstance(value, Cell) and value.data_type == "f":
        value.data_type = "s"
    return value


def text_cell(ws, value) -> WriteOnlyCell:
    """A text cell that stays text, whatever it starts with (None reads as empty)."""
    cell = WriteOnlyCell(ws, value="" if value is None else str(value))
    cell.data_type = "s"
    return cell
