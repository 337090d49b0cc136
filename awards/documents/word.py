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

from core import word, word_templates
from core.numbers import format_number
from units import identity

from . import layout

CONTENT_TYPE = word.CONTENT_TYPE

# name -> what it holds (shown on the upload page). Every kind has these.
COMMON = {
    **word_templates.LETTERHEAD,
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
# The year-end report of a campaign: its figures.
YEAR_REPORT = {
    "nam": gettext_lazy("The year of the campaign."),
    "ke_hoach": gettext_lazy("The campaign's plan: its number and name."),
    "ngay_ke_hoach": gettext_lazy("The plan's date, dd/mm/yyyy."),
    "xep_hang": gettext_lazy("The ranking of the units, each with hang (rank), don_vi, diem "
                             "(the final score, as printed) and xep_loai (the grade)."),
    "xep_loai": gettext_lazy("How many units had each grade, each with ten (the grade) and "
                             "so_luong."),
    "khen_thuong": gettext_lazy("The awards of the year, each with danh_hieu, ca_nhan (people) "
                                "and tap_the (collectives)."),
}
# The proposal to the province: who is proposed for what.
PROVINCE_PROPOSAL = {
    "nam": gettext_lazy("The year of the proposal."),
    "noi_gui": gettext_lazy("Whom the proposal is addressed to (the province's body)."),
    "can_cu": gettext_lazy("The legal bases, a list of lines (without “Căn cứ”)."),
    "so_ca_nhan": gettext_lazy("How many individuals are proposed."),
    "so_tap_the": gettext_lazy("How many collectives are proposed."),
    "de_nghi": gettext_lazy("The proposals by award, each with danh_hieu, tap_the (true for "
                            "collectives) and danh_sach (each with stt, ho_ten, chuc_vu, "
                            "don_vi, thanh_tich)."),
}
PER_KIND = {"decision": DECISION, "year_report": YEAR_REPORT,
            "province_proposal": PROVINCE_PROPOSAL}


def kinds() -> dict:
    """The kinds of document that have a Word version (and may have the department's own
    template), by their names: {"decision": "Decision with its list of awardees", …}."""
    from . import REGISTRY, WORD_FORMATS

    # The other apps' Word documents first (the plan comes before the year's decisions).
    return {**{name: kind.title for name, kind in word_templates.KINDS.items()},
            **{name: kind.title for name, kind in REGISTRY.items() if "docx" in kind.formats
               and kind.formats == WORD_FORMATS}}


def placeholders(kind: str) -> dict:
    """Every placeholder a template of `kind` may use, with what it holds."""
    other = word_templates.KINDS.get(kind)
    if other is not None:  # another app's document (core.word_templates)
        return dict(other.placeholders)
    return {**COMMON, **PER_KIND.get(kind, {})}


def stored(kind: str) -> bytes | None:
    """The department's uploaded template of `kind`, or None (core.word_templates reads the
    templates through this for the apps that cannot import awards)."""
    from ..models import WordTemplate

    uploaded = WordTemplate.objects.filter(kind=kind).first() if kind else None
    if uploaded is None:
        return None
    with uploaded.file.open("rb") as kept:
        return kept.read()


def render(kind: str, template: str, data: dict, progress) -> bytes:
    """The .docx of a kind: its uploaded template if there is one, else the built-in layout."""
    html = render_to_string(template, data)
    progress(50)
    source = stored(kind)
    if source is not None:
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
    elif kind == "year_report":
        campaign = data["campaign"]
        result.update({
            "nam": campaign.year, "ke_hoach": f"{campaign.code} – {campaign.title}",
            "ngay_ke_hoach": data["plan_date"],
            "xep_hang": [{"hang": row["rank"], "don_vi": row["unit"],
                          "diem": format_number(row["final"], 2), "xep_loai": row["grade"]}
                         for row in data["ranking"]],
            "xep_loai": [{"ten": label, "so_luong": count}
                         for label, count in data["grade_counts"]],
            "khen_thuong": [{"danh_hieu": row["award"]["name"], "ca_nhan": row["individuals"],
                             "tap_the": row["collectives"]} for row in data["award_totals"]],
        })
    elif kind == "province_proposal":
        result.update({
            "nam": data["year"], "noi_gui": data["recipient"], "can_cu": data["basis"],
            "so_ca_nhan": data["individuals"], "so_tap_the": data["collectives"],
            "de_nghi": [{"danh_hieu": group["award"], "tap_the": group["collective"],
                         "danh_sach": [{"stt": number, "ho_ten": row["staff__full_name"] or "",
                                        "chuc_vu": row["staff__position"] or "",
                                        "don_vi": row["proposal__unit__name"],
                                        "thanh_tich": row["summary"] or ""}
                                       for number, row in enumerate(group["nominees"], 1)]}
                        for group in data["groups"]],
        })
    return result


def sample(kind: str) -> dict:
    """Values to try an uploaded template with: every placeholder filled."""
    other = word_templates.KINDS.get(kind)
    if other is not None:
        return other.sample()
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
    elif kind == "year_report":
        result.update({
            "nam": 2025, "ke_hoach": "25/KH-SGDĐT – Thi đua dạy tốt, học tốt",
            "ngay_ke_hoach": "15/01/2025",
            "xep_hang": [{"hang": 1, "don_vi": "Trường THPT A", "diem": "96,6",
                          "xep_loai": "Xuất sắc"}],
            "xep_loai": [{"ten": "Xuất sắc", "so_luong": 1}],
            "khen_thuong": [{"danh_hieu": "Giấy khen", "ca_nhan": 3, "tap_the": 1}],
        })
    elif kind == "province_proposal":
        result.update({
            "nam": 2025, "noi_gui": "Ủy ban nhân dân tỉnh", "so_ca_nhan": 1, "so_tap_the": 0,
            "can_cu": ["Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022"],
            "de_nghi": [{"danh_hieu": "Bằng khen của Chủ tịch UBND tỉnh", "tap_the": False,
                         "danh_sach": [{"stt": 1, "ho_ten": "Trần Thị B",
                                        "chuc_vu": "Giáo viên", "don_vi": "Trường THPT A",
                                        "thanh_tich": "Hoàn thành xuất sắc nhiệm vụ"}]}],
        })
    return result


class TemplateProblem(ValueError):
    """What is wrong with an uploaded template, said in Vietnamese for the administrator."""


fill = word_templates.fill  # one filling for every app's templates (core.word_templates)


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
