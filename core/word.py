"""Official documents as Word (.docx) files, built from the same HTML their PDFs are printed from.

The document templates (awards/templates/awards/documents/) speak a small vocabulary of classes:
the Decree 30 header table (`table.head`), a title (`h1`), a subject with its rule
(`div.subject.ruled`), paragraphs (`p.indent`, `p.center`…), list tables (`table.list`), the
signature block (`table.foot`) and an annex (`div.annex`). `convert` reads that vocabulary and
writes the Word equivalents, so the .docx says exactly what the PDF says (same wording, same
translations) in the same layout, and a change to a template changes both.

Layout (Decree 30/2020, Appendix I): A4 portrait, margins 20/20/30/15 mm, Times New Roman
13–14 pt, page numbers centred in the header from page 2, the annex numbered on its own (a new
section). The header is a borderless two-column table; a short rule under a line of text is a
paragraph with a bottom border, indented on both sides so that it is 40 % as long as the line
above (a third at least, half at most) — Word and LibreOffice both draw it where it is.
Tables are real Word tables: the header row repeats on each page, a row never splits.
"""

import functools
import io
import re

import lxml.html
from docx import Document
from docx.enum.section import WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
FONT = "Times New Roman"
BODY_PT = 14
# A4 and the Decree 30 margins (top, bottom, left, right), as the PDF's style.css.
PAGE_MM = (210, 297)
MARGINS_MM = (20, 20, 30, 15)
TEXT_MM = PAGE_MM[0] - MARGINS_MM[2] - MARGINS_MM[3]  # 165 mm
HEAD_SHARES = (0.38, 0.62)  # the header's two columns, as table.head in style.css
RULE_SHARE = 0.4  # a rule is 40 % of the line above it
RULE_PT = 0.5
CELL_PADDING_MM = 0.8  # left and right in a list table's cells, about the PDF's 3 pt
# Font sizes of the list tables, by class (style.css).
TABLE_PT = {"awardees": 11.5, "matrix": 11, "payout": 11, "proposal": 12}
FONT_FILES = {
    (False, False): "LiberationSerif-Regular.ttf", (True, False): "LiberationSerif-Bold.ttf",
    (False, True): "LiberationSerif-Italic.ttf", (True, True): "LiberationSerif-BoldItalic.ttf",
}
FONT_DIRS = ("/usr/share/fonts/truetype/liberation2", "/usr/share/fonts/truetype/liberation")
MM_PER_PT = 25.4 / 72
SPACE = re.compile(r"[ \t\r\n]+")  # HTML white space; the no-break space is kept


@functools.lru_cache(maxsize=8)
def _font(bold: bool, italic: bool, size: float):
    """Times New Roman's metrics (Liberation Serif has the same widths), or None."""
    from PIL import ImageFont

    for folder in FONT_DIRS:
        try:
            return ImageFont.truetype(f"{folder}/{FONT_FILES[bold, italic]}", size=int(size * 10))
        except OSError:
            continue
    return None


def text_mm(text: str, size: float, *, bold=False, italic=False) -> float:
    """The width of `text` on one line, in millimetres."""
    font = _font(bold, italic, size)
    if font is None:  # no metrics: an average Times glyph is half an em
        return len(text) * size * 0.5 * MM_PER_PT
    return font.getlength(text) / 10 * MM_PER_PT


def _text(value) -> str:
    return SPACE.sub(" ", value or "")


def _classes(element) -> set:
    return set((element.get("class") or "").split())


def _set_fonts(rpr, size: float | None = None):
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), FONT)
    if size:
        for tag in ("w:sz", "w:szCs"):
            element = OxmlElement(tag)
            element.set(qn("w:val"), str(round(size * 2)))
            rpr.append(element)


def _border(ppr, side: str, *, size_pt=RULE_PT):
    borders = ppr.find(qn("w:pBdr"))
    if borders is None:
        borders = OxmlElement("w:pBdr")
        # pBdr comes before spacing, ind and jc in CT_PPr's sequence.
        anchor = next((ppr.find(qn(t)) for t in ("w:shd", "w:tabs", "w:spacing", "w:ind",
                                                 "w:jc") if ppr.find(qn(t)) is not None), None)
        if anchor is not None:
            anchor.addprevious(borders)
        else:
            ppr.append(borders)
    line = OxmlElement(f"w:{side}")
    line.set(qn("w:val"), "single")
    line.set(qn("w:sz"), str(round(size_pt * 8)))
    line.set(qn("w:space"), "1")
    line.set(qn("w:color"), "000000")
    borders.append(line)


class Writer:
    """One .docx being written from a document's HTML."""

    def __init__(self):
        self.doc = Document()
        self._page_setup(self.doc.sections[0])
        style = self.doc.styles["Normal"]
        style.font.name = FONT
        style.font.size = Pt(BODY_PT)
        _set_fonts(style.element.get_or_add_rPr())
        lang = OxmlElement("w:lang")
        lang.set(qn("w:val"), "vi-VN")
        style.element.get_or_add_rPr().append(lang)
        style.paragraph_format.space_after = Pt(6)
        style.paragraph_format.space_before = Pt(0)
        style.paragraph_format.line_spacing = 1.15
        self.doc.core_properties.language = "vi-VN"

    @staticmethod
    def _page_setup(section, *, restart=False):
        section.page_width, section.page_height = Mm(PAGE_MM[0]), Mm(PAGE_MM[1])
        top, bottom, left, right = MARGINS_MM
        section.top_margin, section.bottom_margin = Mm(top), Mm(bottom)
        section.left_margin, section.right_margin = Mm(left), Mm(right)
        section.header_distance = Mm(10)
        # Page numbers from page 2, centred at the top (Decree 30).
        section.different_first_page_header_footer = True
        if restart:  # an annex is numbered on its own
            number = section._sectPr.find(qn("w:pgNumType"))
            if number is None:
                number = OxmlElement("w:pgNumType")
                section._sectPr.append(number)
            number.set(qn("w:start"), "1")
            return
        header = section.header.paragraphs[0]
        header.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = header.add_run()
        for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
            if kind:
                char = OxmlElement("w:fldChar")
                char.set(qn("w:fldCharType"), kind)
                run._r.append(char)
            else:
                instr = OxmlElement("w:instrText")
                instr.set(qn("xml:space"), "preserve")
                instr.text = text
                run._r.append(instr)
        run.font.size = Pt(13)

    # -- paragraphs ---------------------------------------------------------------------------

    def paragraph(self, container, text="", *, align=None, bold=False, italic=False, size=None,
                  indent=False, before=None, after=None):
        par = container.add_paragraph()
        if align is not None:
            par.alignment = align
        fmt = par.paragraph_format
        if indent:
            fmt.first_line_indent = Mm(10)
        if before is not None:
            fmt.space_before = Pt(before)
        if after is not None:
            fmt.space_after = Pt(after)
        if text:
            self.run(par, text, bold=bold, italic=italic, size=size)
        return par

    @staticmethod
    def run(par, text, *, bold=False, italic=False, size=None):
        run = par.add_run(text)
        if bold:
            run.bold = True
        if italic:
            run.italic = True
        if size:
            run.font.size = Pt(size)
        return run

    def rule(self, container, line_mm: float, width_mm: float, *, share=RULE_SHARE):
        """A centred rule `share` as long as a line of `line_mm` (at most `width_mm`, the room
        the line has): an empty paragraph with a bottom border, indented on both sides."""
        length = min(line_mm, width_mm) * share
        side = max((width_mm - length) / 2, 0)
        par = container.add_paragraph()
        fmt = par.paragraph_format
        fmt.left_indent = fmt.right_indent = Mm(side)
        fmt.space_before, fmt.space_after = Pt(0), Pt(0)
        fmt.line_spacing = Pt(3)
        _border(par._p.get_or_add_pPr(), "bottom")
        return par

    def inline(self, par, element, *, bold=False, italic=False, size=None):
        """The text of `element` and its inline children as runs."""
        if element.text:
            self.run(par, _text(element.text), bold=bold, italic=italic, size=size)
        for child in element:
            if not isinstance(child.tag, str):  # a comment
                pass
            elif child.tag == "br":
                par.add_run().add_break()
            else:
                classes = _classes(child)
                self.inline(par, child,
                            bold=bold or child.tag in ("b", "strong") or bool(
                                classes & {"article-no", "bold"}),
                            italic=italic or child.tag in ("i", "em") or "italic" in classes,
                            size=size)
            if child.tail:
                self.run(par, _text(child.tail), bold=bold, italic=italic, size=size)

    # -- blocks ------------------------------------------------------------------------------

    def blocks(self, container, element, width_mm=TEXT_MM, *, italic=False):
        for child in element:
            if isinstance(child.tag, str):
                self.block(container, child, width_mm, italic=italic)

    def block(self, container, element, width_mm=TEXT_MM, *, italic=False):
        tag, classes = element.tag, _classes(element)
        if tag == "table" and "head" in classes:
            self.header(element)
        elif tag == "table" and "payout-sign" in classes:
            self.signatures(container, element, width_mm)
        elif tag == "table" and "foot" in classes:
            self.signature(container, element, width_mm)
        elif tag == "table":
            self.grid(container, element, width_mm)
        elif tag == "h1":
            self.paragraph(container, _text(element.text_content()).strip(),
                           align=WD_ALIGN_PARAGRAPH.CENTER, bold=True, before=12, after=0)
        elif tag in ("h2", "h3"):
            self.paragraph(container, _text(element.text_content()).strip(), bold=True,
                           italic=tag == "h3", before=10 if tag == "h2" else 6, after=4)
        elif tag == "div" and "revoked" in classes:
            self.revoked(container, element)
        elif tag == "div" and "ruled" in classes:
            self.ruled(container, element, width_mm)
        elif tag == "div" and "annex" in classes:
            self.annex(element)
        elif tag == "div" and "rule" in classes:
            self.rule(container, width_mm, width_mm, share=0.3)
        elif tag == "p" or (tag == "div" and not any(isinstance(c.tag, str) and c.tag in (
                "div", "p", "table", "h1", "h2", "h3") for c in element)):
            self.text_block(container, element, italic=italic)
        else:  # a wrapper (div.keep, div.basis): its children in turn
            self.blocks(container, element, width_mm,
                        italic=italic or "basis" in classes or "italic" in classes)

    def text_block(self, container, element, *, italic=False):
        classes = _classes(element)
        centred = classes & {"center", "authority", "decides", "annex-title", "annex-ref"}
        if element.tag == "div" and not classes:
            centred = True  # a bare line in a centred box (e.g. a signature's)
        par = self.paragraph(
            container,
            align=WD_ALIGN_PARAGRAPH.CENTER if centred else WD_ALIGN_PARAGRAPH.JUSTIFY,
            indent="indent" in classes)
        if classes & {"authority", "decides"}:
            par.paragraph_format.space_before = Pt(8)
            par.paragraph_format.space_after = Pt(8)
        if "annex-title" in classes:
            par.paragraph_format.space_after = Pt(0)
        if "annex-ref" in classes:
            par.paragraph_format.space_after = Pt(8)
        if "words" in classes:  # the amount in words, under its table
            par.paragraph_format.space_before = Pt(6)
        gap = re.search(r"margin-top:\s*([\d.]+)pt", element.get("style") or "")
        if gap:
            par.paragraph_format.space_before = Pt(float(gap.group(1)))
        self.inline(par, element,
                    bold=bool(classes & {"authority", "decides", "annex-title", "bold"}),
                    italic=italic or bool(classes & {"muted", "italic", "annex-ref", "words"}))
        if par.runs:
            par.runs[0].text = par.runs[0].text.lstrip()
            par.runs[-1].text = par.runs[-1].text.rstrip()
        return par

    def ruled(self, container, element, width_mm):
        """A subject (bold, centred) and the rule under it."""
        text = _text("".join(element.itertext())).strip()
        self.paragraph(container, text, align=WD_ALIGN_PARAGRAPH.CENTER, bold=True, after=0)
        self.rule(container, text_mm(text, BODY_PT, bold=True), width_mm)
        container.paragraphs[-1].paragraph_format.space_after = Pt(10)

    def revoked(self, container, element):
        par = self.paragraph(container, _text(element.text).strip(),
                             align=WD_ALIGN_PARAGRAPH.CENTER, bold=True, size=16, after=0)
        why = element.find("div")
        if why is not None:
            self.run(par, "\n" + _text(why.text_content()).strip(), italic=True, size=12)
        ppr = par._p.get_or_add_pPr()
        for side in ("top", "left", "bottom", "right"):
            _border(ppr, side, size_pt=2)
        par.paragraph_format.space_after = Pt(6)

    def annex(self, element):
        """The annex starts a new page and a new section numbered from 1 (Decree 30, Art. 15)."""
        self._page_setup(self.doc.add_section(WD_SECTION.NEW_PAGE), restart=True)
        self.blocks(self.doc, element)

    # -- the header, the signatures ----------------------------------------------------------

    def header(self, element):
        """The Decree 30 header: a borderless table, the agencies and number on the left, the
        national title, motto and the place and date on the right."""
        doc = self.doc
        widths = [TEXT_MM * share for share in HEAD_SHARES]
        table = self._table(doc, 1, 2, widths)
        left, right = table.rows[0].cells
        centre = WD_ALIGN_PARAGRAPH.CENTER
        cell_left = element.find_class("left")[0]
        cell_right = element.find_class("right")[0]
        parent = _text(cell_left.find_class("parent")[0].text_content()).strip().upper()
        agency = _text(cell_left.find_class("agency")[0].text_content()).strip().upper()
        number = _text(cell_left.find_class("number")[0].text_content()).strip()
        self._first(left, parent, align=centre, size=13)
        self.paragraph(left, agency, align=centre, bold=True, size=13, after=0)
        self.rule(left, text_mm(agency, 13, bold=True), widths[0])
        self.paragraph(left, number, align=centre, size=13, before=6, after=0)
        nation = _text(cell_right.find_class("nation")[0].text_content()).strip()
        motto = _text(cell_right.find_class("motto")[0].text_content()).strip()
        date = _text(cell_right.find_class("date")[0].text_content()).strip()
        self._first(right, nation, align=centre, bold=True, size=13)
        self.paragraph(right, motto, align=centre, bold=True, after=0)
        # The motto is underlined its whole length (as the PDF's).
        self.rule(right, text_mm(motto, BODY_PT, bold=True), widths[1], share=1.0)
        self.paragraph(right, date, align=centre, italic=True, before=6, after=0)
        self.paragraph(doc, after=0).paragraph_format.line_spacing = Pt(8)

    def _first(self, cell, text, **style):
        """A cell's first paragraph (a new cell has one, empty) written with `text`."""
        par = cell.paragraphs[0]
        par.alignment = style.pop("align", None)
        par.paragraph_format.space_after = Pt(0)
        self.run(par, text, **style)
        return par

    def signature(self, container, element, width_mm):
        """Recipients on the left, the signature on the right; the table never splits, and
        takes the last lines before it along to a new page (never alone on the last page)."""
        _keep_tail_with_next(container)
        widths = [width_mm * 0.45, width_mm * 0.55]
        table = self._table(container, 1, 2, widths)
        _keep_row(table.rows[0])
        recipients, sign = table.rows[0].cells
        label = element.find_class("label")
        lines = [_text(d.text_content()).strip() for d in element.find_class("recipients")[0]
                 if d.tag == "div" and "label" not in _classes(d)]
        self._first(recipients, _text(label[0].text_content()).strip() if label else "",
                    bold=True, italic=True, size=12)
        for line in lines:
            self.paragraph(recipients, line, size=11, after=0)
        self._sign_cell(sign, element.find_class("sign")[0])
        # Word needs a paragraph after a table; 1 pt high, so that a block ending near the
        # foot of a page does not push it onto a blank page of its own.
        par = container.add_paragraph()
        par.paragraph_format.space_before = par.paragraph_format.space_after = Pt(0)
        par.paragraph_format.line_spacing = Pt(1)

    def _sign_cell(self, cell, element):
        first = True
        space = False
        for line in element:
            if not isinstance(line.tag, str):
                continue
            if "space" in _classes(line):
                space = True
                continue
            text = _text(line.text_content()).strip()
            hint = "hint" in _classes(line)
            style = {"align": WD_ALIGN_PARAGRAPH.CENTER, "bold": not hint, "italic": hint,
                     "size": 12 if hint else None}
            if first:
                par = self._first(cell, text, **style)
                first = False
            else:
                par = self.paragraph(cell, text, after=0, **style)
            if space:  # room for the signature and the seal (22 mm, as the PDF)
                par.paragraph_format.space_before = Mm(22)
                space = False

    def signatures(self, container, element, width_mm):
        """Several signatures side by side (the payout list: prepared by, accountant, head)."""
        cells = [td for td in element.iter("td")]
        widths = [width_mm / len(cells)] * len(cells)
        table = self._table(container, 1, len(cells), widths)
        _keep_row(table.rows[0])
        for cell, td in zip(table.rows[0].cells, cells, strict=True):
            self._sign_cell(cell, td)
        container.add_paragraph().paragraph_format.space_after = Pt(0)

    # -- tables ------------------------------------------------------------------------------

    def _table(self, container, rows, cols, widths_mm):
        table = container.add_table(rows=rows, cols=cols)
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.autofit = False
        for column, width in zip(table.columns, widths_mm, strict=True):
            column.width = Mm(width)
        for row in table.rows:
            for cell, width in zip(row.cells, widths_mm, strict=True):
                cell.width = Mm(width)
        _fixed_layout(table)
        return table

    def grid(self, container, element, width_mm):
        """A list table as a real Word table with lines: the header row (from thead) repeated on
        every page, rows kept whole, column widths from the template's mm widths."""
        classes = _classes(element)
        size = next((TABLE_PT[c] for c in classes if c in TABLE_PT), 12)
        head = element.find("thead")
        header_cells = head.find("tr").findall("th") if head is not None else []
        body = [tr for tr in element.iter("tr") if head is None or tr.getparent() is not head]
        cols = max([len(header_cells)] + [sum(int(c.get("colspan") or 1) for c in tr
                                              if c.tag in ("td", "th")) for tr in body[:50]])
        widths = _widths(header_cells, cols, width_mm, size)
        table = self.doc.add_table(rows=0, cols=cols) if container is self.doc \
            else container.add_table(rows=0, cols=cols)
        table.style = self.doc.styles["Table Grid"]
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.autofit = False
        for column, width in zip(table.columns, widths, strict=True):
            column.width = Mm(width)
        _fixed_layout(table, padding_mm=CELL_PADDING_MM)
        tbl = table._tbl
        if header_cells:
            row = _row([(_text(th.text_content()).strip(), 1, "center", True, False,
                          10 if "small" in _classes(th) else size) for th in header_cells],
                       widths)
            trpr = row.find(qn("w:trPr"))
            trpr.append(OxmlElement("w:tblHeader"))
            tbl.append(row)
        for tr in body:
            cells = []
            for td in tr:
                if not isinstance(td.tag, str) or td.tag not in ("td", "th"):
                    continue
                tdc = _classes(td)
                align = "center" if "n" in tdc or td.tag == "th" else (
                    "right" if "r" in tdc else "left")
                text = _cell_text(td)
                cells.append((text, int(td.get("colspan") or 1), align,
                              "bold" in tdc or td.tag == "th" or td.find("b") is not None,
                              "muted" in tdc, size))
            tbl.append(_row(cells, widths))
        return table


def _cell_text(td) -> str:
    """A cell's text with its line breaks (<br>) kept as new lines."""
    parts = [td.text or ""]
    for child in td:
        if isinstance(child.tag, str) and child.tag == "br":
            parts.append("\n")
        elif isinstance(child.tag, str):
            parts.append(_cell_text(child))
        parts.append(child.tail or "")
    return "\n".join(_text(line).strip() for line in "".join(parts).split("\n"))


def _widths(header_cells, cols, width_mm, size=12) -> list[float]:
    """Column widths: those the template gives in mm (widened to hold their heading's longest
    word on one line: "TT" in 7 mm wraps in Word), the rest share what is left."""
    given = []
    for index in range(cols):
        cell = header_cells[index] if index < len(header_cells) else None
        match = re.search(r"width:\s*([\d.]+)mm", cell.get("style", "") if cell is not None
                          else "")
        width = float(match.group(1)) if match else None
        if width is not None:
            words = _text(cell.text_content()).split() or [""]
            longest = max(text_mm(w, size, bold=True) for w in words)
            width = max(width, longest + 2 * CELL_PADDING_MM + 1)
        given.append(width)
    free = [w for w in given if w is None]
    left = max(width_mm - sum(w for w in given if w is not None), 15 * len(free))
    widths = [w if w is not None else left / len(free) for w in given] if free else given
    scale = min(1.0, width_mm / sum(widths))  # too wide: narrowed to the text width
    return [w * scale for w in widths]


def _fixed_layout(table, *, padding_mm=0.0):
    """Columns as wide as set (not fitted to their text), with `padding_mm` inside each cell
    on the left and right (Word's default 1.9 mm would wrap the header's agency)."""
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    table._tbl.tblPr.append(layout)
    margins = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        margin = OxmlElement(f"w:{side}")
        margin.set(qn("w:w"), str(round(padding_mm / 25.4 * 1440)))
        margin.set(qn("w:type"), "dxa")
        margins.append(margin)
    table._tbl.tblPr.append(margins)


def _keep_tail_with_next(container, *, paragraphs=2, rows=2):
    """Word's "keep with next" on what comes last in `container` so far: its last `paragraphs`
    paragraphs (the closing line and the one before it), or, where a table ends it, the
    paragraphs of that table's last `rows` rows (a row is kept with the next when its
    paragraphs are). The signature block that follows then never starts a page alone."""
    body = container._element.body if hasattr(container, "_element") and hasattr(
        container._element, "body") else container._element
    kept = 0
    for child in reversed(list(body)):
        if child.tag == qn("w:p"):
            child.get_or_add_pPr().get_or_add_keepNext()
            kept += 1
            if kept >= paragraphs:
                return
        elif child.tag == qn("w:tbl"):
            for tr in child.findall(qn("w:tr"))[-rows:]:
                for par in tr.iter(qn("w:p")):
                    par.get_or_add_pPr().get_or_add_keepNext()
            return
        elif child.tag != qn("w:sectPr"):
            return


def _keep_row(row):
    row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))


JC = {"center": "center", "right": "right", "left": "left"}


def _row(cells, widths):
    """A table row built as XML at once: thousands of rows stay fast (python-docx's add_row
    copies the grid for each)."""
    tr = OxmlElement("w:tr")
    trpr = OxmlElement("w:trPr")
    trpr.append(OxmlElement("w:cantSplit"))
    tr.append(trpr)
    column = 0
    for text, span, align, bold, italic, size in cells:
        tc = OxmlElement("w:tc")
        tcpr = OxmlElement("w:tcPr")
        width = OxmlElement("w:tcW")
        width.set(qn("w:w"), str(round(sum(widths[column:column + span]) / 25.4 * 1440)))
        width.set(qn("w:type"), "dxa")
        tcpr.append(width)
        if span > 1:
            grid_span = OxmlElement("w:gridSpan")
            grid_span.set(qn("w:val"), str(span))
            tcpr.append(grid_span)
        tc.append(tcpr)
        column += span
        for line in text.split("\n"):
            p = OxmlElement("w:p")
            ppr = OxmlElement("w:pPr")
            spacing = OxmlElement("w:spacing")
            spacing.set(qn("w:before"), "40")
            spacing.set(qn("w:after"), "40")
            spacing.set(qn("w:line"), "240")
            spacing.set(qn("w:lineRule"), "auto")
            ppr.append(spacing)
            jc = OxmlElement("w:jc")
            jc.set(qn("w:val"), JC[align])
            ppr.append(jc)
            p.append(ppr)
            if line:
                r = OxmlElement("w:r")
                rpr = OxmlElement("w:rPr")
                if bold:
                    rpr.append(OxmlElement("w:b"))
                if italic:
                    rpr.append(OxmlElement("w:i"))
                for tag in ("w:sz", "w:szCs"):
                    element = OxmlElement(tag)
                    element.set(qn("w:val"), str(round(size * 2)))
                    rpr.append(element)
                r.append(rpr)
                t = OxmlElement("w:t")
                t.set(qn("xml:space"), "preserve")
                t.text = line
                r.append(t)
                p.append(r)
            tc.append(p)
        tr.append(tc)
    return tr


def convert(html: str) -> bytes:
    """The .docx of a document template's HTML (see the module's docstring)."""
    root = lxml.html.document_fromstring(html)
    writer = Writer()
    body = root.find("body")
    writer.blocks(writer.doc, body if body is not None else root)
    stream = io.BytesIO()
    writer.doc.save(stream)
    return stream.getvalue()
