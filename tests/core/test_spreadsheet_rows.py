"""Rows written through reused cells (core.spreadsheets.rows.RowCells) are the XML openpyxl
writes for the same cells: every kind of value, styled and plain, empty cells, row heights, and
the rows it hands back to openpyxl's own writer (comments, hyperlinks, rich text, dates with a
time zone)."""

import datetime
import io
import zipfile
from decimal import Decimal

import pytest
from lxml import etree
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont
from openpyxl.comments import Comment
from openpyxl.styles import Font
from openpyxl.utils.exceptions import IllegalCharacterError

from core.spreadsheets.rows import RowCells

MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"

PLAIN_ROWS = [
    [1, 2.5, Decimal("14.50"), -3, 0, Decimal("1200")],
    [True, False, "Trường THPT Số 1", " lề trái", "lề phải ", ""],
    [None, "#N/A", "Không hoàn thành", None, "a\nb", "x" * 40_000],  # cut at 32,767
    [datetime.date(2022, 12, 31), datetime.datetime(2022, 1, 2, 3, 4, 5),
     datetime.time(7, 30), datetime.timedelta(days=1, hours=6)],
    [],
    ["Hết"],
]
# Styled cells: (column, value, number format).
STYLED = [(3, Decimal("96.6"), "0.00"), (4, datetime.date(2022, 5, 1), "DD/MM/YYYY"),
          (5, 1200, "#,##0")]


def _sheet_data(content, index):
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        root = etree.fromstring(archive.read(f"xl/worksheets/sheet{index}.xml"))
    return etree.tostring(root.find(f"{MAIN}sheetData"), method="c14n")


def _both(rows):
    """The same rows appended to one sheet by openpyxl and to another through RowCells, with a
    bold header first (as layout.table writes it): the workbook's bytes."""
    book = Workbook(write_only=True)
    plain, reused = book.create_sheet("plain"), book.create_sheet("reused")
    for ws in (plain, reused):
        header = WriteOnlyCell(ws, value="Tiêu đề")
        header.font = Font(bold=True)
        ws.append([header, "Cột 2"])
        ws.row_dimensions[3].height = 30
    cells = RowCells(reused)
    for row in rows:
        plain.append(row(plain, _openpyxl_cell))
        reused.append(row(reused, lambda _ws, column, value, fmt: cells.cell(column, value, fmt)))
    stream = io.BytesIO()
    book.save(stream)
    return stream.getvalue()


def _openpyxl_cell(ws, _column, value, number_format):
    if value is None:
        return None
    cell = WriteOnlyCell(ws, value=value)
    cell.number_format = number_format
    return cell


def _values(values):
    return lambda _ws, _cell: list(values)


def test_plain_and_styled_rows_are_the_xml_openpyxl_writes():
    rows = [_values(values) for values in PLAIN_ROWS]
    rows.append(lambda ws, cell: ["Điểm", None, *(cell(ws, c, v, f) for c, v, f in STYLED)])
    rows.append(lambda ws, cell: [cell(ws, 1, None, "0.00"), "sau ô trống"])
    content = _both(rows)
    written = _sheet_data(content, 2)
    assert written == _sheet_data(content, 1)
    assert b'xml:space="preserve"' in written  # " lề trái" keeps its space
    book = load_workbook(io.BytesIO(content))
    reused = book["reused"]
    assert reused.row_dimensions[3].height == 30
    assert reused["C2"].value == Decimal("14.50") or reused["C2"].value == 14.5
    assert reused["C4"].value == "Không hoàn thành"
    assert len(reused["F4"].value) == 32_767  # Excel's longest text
    assert reused["B4"].data_type == "e"
    assert reused["A5"].value == datetime.datetime(2022, 12, 31)
    # The date's format stays with the date: the text and numbers after it are not dates.
    assert reused["A7"].number_format == "General"
    assert reused["C8"].number_format == "0.00" and reused["C8"].value == 96.6
    assert reused["D8"].number_format == "DD/MM/YYYY"
    assert [[c.value for c in r] for r in reused.iter_rows()] == [
        [c.value for c in r] for r in book["plain"].iter_rows()]


def test_a_formula_stays_text_where_openpyxl_would_write_a_formula():
    book = Workbook(write_only=True)
    ws = book.create_sheet("s")
    ws.append(["Tên"])
    RowCells(ws)
    ws.append(["=1+1", '=HYPERLINK("http://x","y")'])
    stream = io.BytesIO()
    book.save(stream)
    sheet = load_workbook(stream)["s"]
    assert (sheet["A2"].value, sheet["A2"].data_type) == ("=1+1", "s")
    assert sheet["B2"].data_type == "s"


def test_rows_with_a_comment_hyperlink_or_rich_text_go_through_openpyxl():
    def commented(ws, _cell):
        cell = WriteOnlyCell(ws, value="ghi chú")
        cell.comment = Comment("Văn phòng", "Phòng GDĐT")
        return [cell, 2]

    def linked(ws, _cell):
        cell = WriteOnlyCell(ws, value="Trang")
        cell.hyperlink = "https://example.org/"
        return [1, cell]

    def rich(ws, _cell):
        return [CellRichText(["thường ", TextBlock(InlineFont(b=True), "đậm")]), 3]

    content = _both([commented, linked, rich, _values([4, "sau"])])
    assert _sheet_data(content, 2) == _sheet_data(content, 1)
    reused = load_workbook(io.BytesIO(content))["reused"]
    assert reused["A2"].comment.text == "Văn phòng"
    plain = load_workbook(io.BytesIO(content))["plain"]
    assert reused["B3"].hyperlink.ref == plain["B3"].hyperlink.ref == "B3"
    assert reused["B3"].hyperlink.target == "https://example.org/"
    assert str(reused["A4"].value) == "thường đậm"
    assert reused["B5"].value == "sau"


def test_a_date_with_a_time_zone_is_refused_as_openpyxl_refuses_it():
    book = Workbook(write_only=True)
    ws = book.create_sheet("s")
    ws.append(["Ngày"])
    RowCells(ws)
    with pytest.raises(TypeError, match="timezone"):
        ws.append([datetime.datetime(2022, 1, 1, tzinfo=datetime.UTC)])


def test_a_control_character_is_refused_as_openpyxl_refuses_it():
    book = Workbook(write_only=True)
    ws = book.create_sheet("s")
    ws.append(["Tên"])
    RowCells(ws)
    with pytest.raises(IllegalCharacterError):
        ws.append(["Trường\x07A"])
