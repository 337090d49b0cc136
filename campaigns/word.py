"""The plan's Word version: the built-in Decree 30 layout (campaigns/plan_word.html through
core.word), or the department's own template with the named placeholders below.

The templates are uploaded on the awards app's page and stored there; this app cannot import
awards (apps flow one way), so it registers its kind and reads its template through
core.word_templates (that module says why the model was not moved).
"""

from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy

from core import word, word_templates
from units import identity
from units.templatetags.portal import doc_date, doc_long_date

KIND = "plan"
PLACEHOLDERS = {
    **word_templates.LETTERHEAD,
    "nam": gettext_lazy("The year of the campaign."),
    "ten_phong_trao": gettext_lazy("The campaign's name (without quotation marks)."),
    "can_cu": gettext_lazy("The legal bases, a list of lines (without “Căn cứ”)."),
    "muc_dich": gettext_lazy("The purposes, a list of paragraphs."),
    "yeu_cau": gettext_lazy("The requirements, a list of paragraphs."),
    "noi_dung": gettext_lazy("What the units do, each with stt and noi_dung."),
    "to_chuc_thuc_hien": gettext_lazy("Who does what, each with stt and noi_dung."),
}


def _sample() -> dict:
    # The department's own names (units.identity): a sample never prints another's.
    return {
        "co_quan_chu_quan": identity.parent_agency() or "UBND TỈNH",
        "co_quan": identity.issuing_name(), "so_hieu": "25/KH-SGDĐT",
        "dia_danh": identity.place() or "Địa danh", "ngay_ky": "ngày 15 tháng 01 năm 2026",
        "ngay": "15/01/2026", "tieu_de": "KẾ HOẠCH",
        "trich_yeu": "Phát động phong trào thi đua “Dạy tốt, học tốt” trong năm 2026",
        "quyen_han_ky": ["GIÁM ĐỐC"], "nguoi_ky": "Nguyễn Văn A", "chuc_vu_ky": "Giám đốc",
        "noi_nhan": ["Các đơn vị trực thuộc;", "Lưu: VT, VP."], "nam": 2026,
        "ten_phong_trao": "Dạy tốt, học tốt",
        "can_cu": ["Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022"],
        "muc_dich": ["Động viên cán bộ, giáo viên."], "yeu_cau": ["Thiết thực, hiệu quả."],
        "noi_dung": [{"stt": 1, "noi_dung": "Đổi mới phương pháp dạy học."}],
        "to_chuc_thuc_hien": [{"stt": 1, "noi_dung": "Văn phòng Sở theo dõi, tổng hợp."}],
    }


def register() -> None:
    word_templates.register_kind(KIND, word_templates.TemplateKind(
        title=gettext_lazy("Plan of an emulation campaign"), placeholders=PLACEHOLDERS,
        sample=_sample))


def values(campaign, data: dict) -> dict:
    """The placeholders' values for the plan of `campaign` (data: the print's context)."""
    recipients = list(data["recipients"])
    basis = [f"{b.doc_type} số {b.number} ngày {doc_date(b.date)} của {b.issuer} về việc "
             f"{b.subject}" for b in data["legal_bases"]]
    return {
        "co_quan_chu_quan": campaign.parent_agency.upper(),
        "co_quan": campaign.issuing_name.upper(), "so_hieu": campaign.code,
        "dia_danh": campaign.place, "ngay_ky": doc_long_date(campaign.issued_on),
        "ngay": doc_date(campaign.issued_on), "tieu_de": "KẾ HOẠCH",
        "trich_yeu": f"Phát động phong trào thi đua “{campaign.title}” trong năm "
                     f"{campaign.year}",
        "quyen_han_ky": [line for line in (campaign.signer_prefix,
                                           campaign.signer_title.upper()) if line],
        "nguoi_ky": campaign.signer_name, "chuc_vu_ky": campaign.signer_title,
        "noi_nhan": [r.display + ("." if i == len(recipients) - 1 else ";")
                     for i, r in enumerate(recipients)],
        "nam": campaign.year, "ten_phong_trao": campaign.title, "can_cu": basis,
        "muc_dich": campaign.purpose_paragraphs(),
        "yeu_cau": campaign.requirement_paragraphs(),
        "noi_dung": [{"stt": item.number, "noi_dung": item.text} for item in data["items"]],
        "to_chuc_thuc_hien": [{"stt": duty.number, "noi_dung": duty.text}
                              for duty in data["duties"]],
    }


def plan_docx(campaign) -> bytes:
    """The plan as .docx: the department's template filled, or the built-in layout."""
    data = {"campaign": campaign, "legal_bases": campaign.legal_bases.all(),
            "items": campaign.items.all(), "duties": campaign.duties.all(),
            "recipients": campaign.recipients.all()}
    source = word_templates.uploaded(KIND)
    if source is not None:
        return word_templates.fill(source, values(campaign, data))
    return word.convert(render_to_string("campaigns/plan_word.html", data))
