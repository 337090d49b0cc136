"""The Word (.docx) version of a document kind: the built-in layout, or the department's own
template.

Built in: the kind's HTML template (the one its PDF is printed from) rendered and converted by
`core.word.convert`, so the .docx says what the PDF says, in the same Decree 30 layout.

The department's own: a .docx with docxtpl placeholders (Jinja in Word), uploaded by the
administrator for one kind (awards.models.WordTemplate). `placeholders` is what every template
may use; `check` renders an upload with sample data before it is stored, and says in Vietnamese
what is wrong with a broken one. The list of placeholders is shown on the upload page and in
docs/word-templates.md.
"""

import datetime
import io
import zipfile

import lxml.html
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import word
from units import identity

from . import layout

CONTENT_TYPE = word.CONTENT_TYPE

# name -> what it holds (shown on the upload page). Every kind has these.
COMMON = {
    "co_quan_chu_quan": gettext_lazy("The parent agency (e.g. UBND TỈNH …), as printed."),
    "co_quan": gettext_lazy("The issuing agency (SỞ GIÁO DỤC VÀ ĐÀO TẠO), as printed."),
    "so_hieu": gettext_lazy("The document's number and symbol (1802/QĐ-SGDĐT)."),
    "dia_danh": gettext_lazy("The place before the date."),
    "ngay_ky": gettext_lazy("The date in words: “ngày 04 tháng 01 năm 2026”."),
    "ngay": gettext_lazy("The date as dd/mm/yyyy (empty while unsigned)."),
    "tieu_de": gettext_lazy("The document's title (QUYẾT ĐỊNH, BÁO CÁO, TỜ TRÌNH…)."),
    "trich_yeu": gettext_lazy("The subject line under the title."),
    "quyen_han_ky": gettext_lazy("The lines above the signature (KT. GIÁM ĐỐC, PHÓ GIÁM ĐỐC), "
                                 "a list."),
    "nguoi_ky": gettext_lazy("The signer's full name."),
    "chuc_vu_ky": gettext_lazy("The signer's title."),
    "noi_nhan": gettext_lazy("The recipients, a list of lines."),
    "bang_tieu_de": gettext_lazy("The headings of the document's first table, a list."),
    "bang": gettext_lazy("The rows of the document's first table, each a list of cells."),
}
# The decision's own: its award and the annexed list.
DECISION = {
    "danh_hieu": gettext_lazy("The award or title conferred."),
    "nam": gettext_lazy("The year of the award."),
    "so_luong": gettext_lazy("How many are on the list."),
    "tap_the": gettext_lazy("True when the award is for collectives."),
    "can_cu": gettext_lazy("The legal bases, a list of lines (without “Căn cứ”)."),
    "dieu_1": gettext_lazy("The text of Article 1."),
    "danh_sach": gettext_lazy("The awardees, each with stt, ho_ten, chuc_vu, don_vi and "
                              "thu_hoi (true when revoked): {%tr for r in danh_sach %} in a "
                              "table row."),
}


def kinds() -> dict:
    """The kinds of document that have a Word version (and may have the department's own
    template), by their names: {"decision": "Decision with its list of awardees", …}."""
    from . import REGISTRY, WORD_FORMATS

    return {name: kind.title for name, kind in REGISTRY.items() if "docx" in kind.formats
            and kind.formats == WORD_FORMATS}


def placeholders(kind: str) -> dict:
    """Every placeholder a template of `kind` may use, with what it holds."""
    return {**COMMON, **(DECISION if kind == "decision" else {})}


def render(kind: str, template: str, data: dict, progress) -> bytes:
    """The .docx of a kind: its uploaded template if there is one, else the built-in layout."""
    from ..models import WordTemplate

    html = render_to_string(template, data)
    progress(50)
    uploaded = WordTemplate.objects.filter(kind=kind).first() if kind else None
    if uploaded is not None:
        with uploaded.file.open("rb") as stored:
            source = stored.read()
        return fill(source, values(kind, data, html))
    return word.convert(html)


def values(kind: str, data: dict, html: str) -> dict:
    """The placeholders' values for one document: from its context and its rendered HTML (the
    title, the subject and the first table read as printed)."""
    root = lxml.html.document_fromstring(html)
    head = data["head"]

    def text(element):
        return " ".join("".join(element.itertext()).split()) if element is not None else ""

    h1 = root.find(".//h1")
    subject = root.find_class("subject")
    table = next((t for t in root.iter("table") if "list" in (t.get("class") or "").split()),
                 None)
    headings, rows = [], []
    if table is not None:
        headings = [text(th) for th in table.iter("th")]
        rows = [[text(td) for td in tr.findall("td")] for tr in table.iter("tr")
                if tr.find("td") is not None]
    date = head.date if isinstance(head.date, datetime.date) else None
    result = {
        "co_quan_chu_quan": head.parent_agency.upper(), "co_quan": head.agency.upper(),
        "so_hieu": head.number, "dia_danh": head.place, "ngay_ky": head.date_text,
        "ngay": layout.short_date(date), "tieu_de": text(h1),
        "trich_yeu": text(subject[0]) if subject else "",
        "quyen_han_ky": head.signature_lines, "nguoi_ky": head.signer_name,
        "chuc_vu_ky": head.signer_title, "noi_nhan": head.recipients,
        "bang_tieu_de": headings, "bang": rows,
    }
    if kind == "decision":
        decision = data["decision"]
        result.update({
            "danh_hieu": data["award"].name, "nam": decision.year, "so_luong": len(data["rows"]),
            "tap_the": data["collective"], "can_cu": data["basis"], "dieu_1": data["article1"],
            "danh_sach": [{"stt": number, "ho_ten": row["staff__full_name"] or "",
                           "chuc_vu": row["staff__position"] or "", "don_vi": row["unit__name"],
                           "thu_hoi": bool(row["revoked_at"])}
                          for number, row in enumerate(data["rows"], start=1)],
        })
    return result


def sample(kind: str) -> dict:
    """Values to try an uploaded template with: every placeholder filled."""
    # The department's own names (units.identity), so that a sample never prints another's.
    result = {
        "co_quan_chu_quan": identity.parent_agency() or "UBND TỈNH",
        "co_quan": identity.issuing_name(),
        "so_hieu": "1802/QĐ-SGDĐT", "dia_danh": identity.place() or "Địa danh",
        "ngay_ky": "ngày 04 tháng 01 năm 2026", "ngay": "04/01/2026", "tieu_de": "QUYẾT ĐỊNH",
        "trich_yeu": "Về việc tặng Giấy khen năm học 2025", "quyen_han_ky": ["GIÁM ĐỐC"],
        "nguoi_ky": "Nguyễn Văn A", "chuc_vu_ky": "Giám đốc",
        "noi_nhan": ["Như Điều 3;", "Lưu: VT, VP."], "bang_tieu_de": ["STT", "Họ và tên"],
        "bang": [["1", "Trần Thị B"]],
    }
    if kind == "decision":
        result.update({
            "danh_hieu": "Giấy khen", "nam": 2025, "so_luong": 1, "tap_the": False,
            "can_cu": ["Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022"],
            "dieu_1": "Tặng Giấy khen cho 1 cá nhân có tên trong danh sách kèm theo.",
            "danh_sach": [{"stt": 1, "ho_ten": "Trần Thị B", "chuc_vu": "Giáo viên",
                           "don_vi": "Trường THPT Đồng Xoài", "thu_hoi": False}],
        })
    return result


class TemplateProblem(ValueError):
    """What is wrong with an uploaded template, said in Vietnamese for the administrator."""


def fill(source: bytes, context: dict) -> bytes:
    """`source` (a docxtpl template) filled with `context`; unknown names are errors. Jinja
    runs sandboxed: a template reaching for Python's internals (`{{ x.__class__ }}`) is refused,
    not run."""
    from docxtpl import DocxTemplate
    from jinja2 import StrictUndefined
    from jinja2.sandbox import SandboxedEnvironment

    template = DocxTemplate(io.BytesIO(source))
    template.render(context, SandboxedEnvironment(undefined=StrictUndefined), autoescape=True)
    stream = io.BytesIO()
    template.save(stream)
    return stream.getvalue()


def check(kind: str, source: bytes) -> None:
    """Raises TemplateProblem unless `source` is a .docx template of `kind` that renders with
    sample data: a file that is no Word document, a Jinja syntax error, a placeholder the
    portal does not fill."""
    from docx.opc.exceptions import PackageNotFoundError
    from docxtpl import DocxTemplate
    from jinja2 import TemplateSyntaxError, UndefinedError

    if not zipfile.is_zipfile(io.BytesIO(source)):
        raise TemplateProblem(_("The file is not a Word document (.docx). Save it in Word as "
                                "“Word Document (*.docx)” and upload it again."))
    try:
        template = DocxTemplate(io.BytesIO(source))
        template.init_docx()
        unknown = sorted(set(template.get_undeclared_template_variables()) -
                         set(placeholders(kind)))
    except TemplateSyntaxError as error:
        raise TemplateProblem(_syntax(error)) from error
    except (PackageNotFoundError, KeyError, zipfile.BadZipFile) as error:
        raise TemplateProblem(_("The file is not a Word document (.docx). Save it in Word as "
                                "“Word Document (*.docx)” and upload it again.")) from error
    if unknown:
        raise TemplateProblem(_("The template uses placeholders the portal does not know: "
                                "%(names)s. Use only those listed on this page.") % {
                                    "names": ", ".join("{{ " + name + " }}" for name in unknown)})
    try:
        fill(source, sample(kind))
    except TemplateSyntaxError as error:
        raise TemplateProblem(_syntax(error)) from error
    except UndefinedError as error:
        raise TemplateProblem(_("The template uses something the portal does not fill: "
                                "%(error)s. Use only the placeholders listed on this page.") % {
                                    "error": (error.message or "").rstrip(".")}) from error
    except Exception as error:  # docxtpl and Jinja raise many kinds; none may be stored
        raise TemplateProblem(_("The template could not be filled with sample data: "
                                "%(error)s.") % {"error": str(error).rstrip(".")}) from error


def _syntax(error) -> str:
    return _("The template has a placeholder written wrongly (%(error)s). Check that every "
             "{{ … }} and {%% … %%} is closed and spelt as listed on this page.") % {
                 "error": error.message}
