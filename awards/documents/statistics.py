"""One statistics form of Circular 02/2023/TT-BNV for a year (awards/statistics.py counts it):
the PDF in the form's layout under the Decree 30 header, landscape where the form is wide, and
the workbook with the same header rows, merged as the circular lays them out."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from .. import statistics
from ..access import can_view_statistics
from . import Built, Kind, layout, pdf_or_workbook

CIRCULAR = "Ban hành theo Thông tư số 02/2023/TT-BNV ngày 23/3/2023"
RECEIVED = "Ngày nhận báo cáo: ngày 15 tháng 12 năm báo cáo"


def clean(params: dict) -> dict:
    year = layout.int_param(params, "year")
    if not 2000 <= year <= 2100:
        raise ValueError(year)
    number = str(params.get("form", ""))
    if number not in statistics.FORMS:
        raise ValueError(number)
    return {"year": year, "form": number}


def allowed(user, params: dict) -> bool:
    return can_view_statistics(user)


def rows(params: dict) -> int:
    return 20  # a form is a page or two whatever the year's size


def context(year: int, number: str) -> dict:
    form = statistics.form(year, number)
    campaign = layout.campaign_of_year(year)
    head = layout.letterhead(campaign, number="", date=year)
    return {"year": year, "form": form, "head": head, "agency": layout.agency_name(campaign),
            "recipient": layout.recipient_name(head.parent_agency), "circular": CIRCULAR,
            "received": RECEIVED,
            "numbering": statistics.numbering_spans(form.numbering)}


def build(params: dict, fmt: str, progress) -> Built:
    data = context(params["year"], params["form"])
    progress(20)
    return pdf_or_workbook(data, fmt, progress, template="awards/documents/statistics.html",
                           filename=lambda extension: layout.ascii_name(
                               "thong-ke-tt02", f"bieu-{data['form'].number}",
                               str(data["year"]), extension=extension),
                           rows=len(data["form"].lines), workbook=workbook)


def shown(value) -> object:
    """A figure as the cell holds it: the number, "—" for what the portal cannot tell."""
    return "—" if value is statistics.NOT_HELD else value


THIN = Side(style="thin")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
CENTRED = Alignment(horizontal="center", vertical="center", wrap_text=True)
FONT = "Times New Roman"


def workbook(data: dict) -> bytes:
    """The form on one sheet: the form's identification, title and year, its header rows
    (merged as laid out), the column numbers, the lines, the notes and the signatures."""
    form = data["form"]
    book = Workbook()
    ws = book.active
    ws.title = form.number
    width = form.width
    right = max(3, width // 2 + 1)  # where the reporting unit's lines start
    ws.column_dimensions["A"].width = 48
    for column in range(2, width + 1):
        ws.column_dimensions[get_column_letter(column)].width = 11
    regular, bold, italic = (Font(name=FONT, size=11), Font(name=FONT, size=11, bold=True),
                             Font(name=FONT, size=11, italic=True))

    def put(row, column, value, font=regular, *, to=None, align=None, box=False):
        cell = ws.cell(row=row, column=column, value=None if value == "" else value)
        cell.font = font
        if align is not None:
            cell.alignment = align
        if box:
            cell.border = BOX
        if to is not None and to > column:
            ws.merge_cells(start_row=row, start_column=column, end_row=row, end_column=to)
        return cell

    left = Alignment(horizontal="left", vertical="center", wrap_text=True)
    if form.statutory:
        put(1, 1, f"Biểu số: {form.code}", bold)
        put(2, 1, data["circular"])
        put(3, 1, data["received"])
    else:
        put(1, 1, _("Supplement (not a form of the circular)"), bold)
    put(1, right, f"Đơn vị báo cáo: {data['agency']}", to=width)
    put(2, right, f"Đơn vị nhận báo cáo: {data['recipient']}", to=width)
    put(5, 1, form.title, Font(name=FONT, size=13, bold=True), to=width, align=CENTRED)
    ws.row_dimensions[5].height = 36
    put(6, 1, f"Năm {data['year']}", italic, to=width, align=CENTRED)
    if form.measure:
        put(7, 1, form.measure, italic, to=width, align=Alignment(horizontal="right"))
    top = 8
    for r, c, head in statistics.placed(form.header):
        row, column = top + r, 1 + c
        put(row, column, head.text, bold, align=CENTRED, box=True)
        if head.rowspan > 1 or head.colspan > 1:
            ws.merge_cells(start_row=row, start_column=column,
                           end_row=row + head.rowspan - 1, end_column=column + head.colspan - 1)
            for dr in range(head.rowspan):
                for dc in range(head.colspan):
                    ws.cell(row=row + dr, column=column + dc).border = BOX
    for r in range(len(form.header)):
        ws.row_dimensions[top + r].height = 60 if r < len(form.header) - 1 else 45
    row = top + len(form.header)
    column = 1
    for text, span in data["numbering"]:
        put(row, column, text, bold, to=column + span - 1, align=CENTRED, box=True)
        for dc in range(span):
            ws.cell(row=row, column=column + dc).border = BOX
        column += span
    for line in form.lines:
        row += 1
        font = bold if line.style in ("total", "heading") else (
            italic if line.style == "part" else regular)
        put(row, 1, line.label, font, align=left, box=True)
        cells = [line.code] + ([line.unit] if len(form.numbering) - len(line.values) == 3
                               else []) + [shown(v) for v in line.values]
        for column, value in enumerate(cells, start=2):
            put(row, column, value, font, align=CENTRED, box=True)
    row += 1
    for note in form.notes:
        row += 1
        put(row, 1, f"* {note}", italic, to=width, align=left)
        ws.row_dimensions[row].height = 30
    row += 2
    head = data["head"]
    put(row, right, head.date_line, italic, to=width, align=CENTRED)
    row += 1
    put(row, 1, "Người lập biểu", bold, align=CENTRED)
    for offset, line in enumerate(head.signature_lines):
        put(row + offset, right, line, bold, to=width, align=CENTRED)
    row += len(head.signature_lines)
    put(row, 1, "(Ký, họ tên)", italic, align=CENTRED)
    put(row, right, "(Ký, họ tên, đóng dấu)", italic, to=width, align=CENTRED)
    put(row + 5, right, head.signer_name, bold, to=width, align=CENTRED)
    ws.page_setup.orientation = "landscape" if form.landscape else "portrait"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    return layout.save(book, issuer=data["agency"])


KIND = Kind(title=gettext_lazy("Statistics form (Circular 02/2023/TT-BNV)"), clean=clean,
            allowed=allowed, rows=rows, build=build)
