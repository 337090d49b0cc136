"""What the printed documents share: the Decree 30/2020 header and signature, the Vietnamese date
line, rendering to PDF and the write-only workbook helpers.

Every document template extends `awards/documents/base.html`, which lays out the header (parent
agency, issuing agency, number; national title and motto; place and date), the signature block
and "Nơi nhận"; the CSS (A4, margins, Liberation Serif, page numbers from page 2) is in
`awards/documents/style.css`, included inline so no URL has to resolve.
"""

import datetime
import functools
import io
import re
import unicodedata
from dataclasses import dataclass, field

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import Workbook

from campaigns.models import Campaign, CampaignStatus
from core import pdf
from core.spreadsheets.rows import RowCells  # noqa: F401  (layout.RowCells: the documents' rows)
from core.spreadsheets.tables import (  # noqa: F401  (layout.table, layout.cell: the documents')
    cell,
    date_cell,
    table,
)
from units import identity

PDF_CONTENT_TYPE = "application/pdf"

# An official document is Vietnamese whoever asks for it: a director reading the portal in
# English still downloads "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Số:", "QUYẾT ĐỊNH", as the
# background worker (which has no screen language) always made them.
OFFICIAL_LANGUAGE = "vi"


def official(function):
    """Runs `function` (which builds a document) in the official language."""
    @functools.wraps(function)
    def in_vietnamese(*args, **kwargs):
        with translation.override(OFFICIAL_LANGUAGE):
            return function(*args, **kwargs)
    return in_vietnamese

# What the department prints today (units.identity): the header when no plan of the year names
# the agency.
_IDENTITY = {"parent_agency": "parent_agency", "issuing_name": "issuing_name", "place": "place",
             "signer_title": "director_title", "signer_name": "director_name"}


def _identity_value(attr: str, day: datetime.date | None = None) -> str:
    """What the department printed on `day` (units.identity.on: the names in force that day,
    e.g. the province before a merger), today's when undated."""
    name = _IDENTITY.get(attr)
    return getattr(identity.on(day), name, "") if name else ""


def int_param(params: dict, key: str) -> int:
    """params[key] as an int; KeyError (a LookupError) when missing, ValueError when not a
    whole number, as `Kind.clean` promises."""
    try:
        return int(params[key])
    except TypeError as error:
        raise ValueError(f"{key}: {params[key]!r}") from error


# -- dates and names --------------------------------------------------------------------------


def vi_date(day: datetime.date | int | None) -> str:
    """'ngày 04 tháng 01 năm 2023' (Decree 30: day < 10 and months 1–2 take a leading zero).

    A year alone (or None) leaves blanks for the clerk to fill in by hand on signing, as a
    draft to be signed is printed: 'ngày      tháng      năm 2023'."""
    if not isinstance(day, datetime.date):
        blank = "\u00a0" * 6
        return _("day %(day)s month %(month)s year %(year)s") % {
            "day": blank, "month": blank, "year": day or blank}
    month = f"{day.month:02d}" if day.month <= 2 else str(day.month)
    return _("day %(day)s month %(month)s year %(year)s") % {
        "day": f"{day.day:02d}", "month": month, "year": day.year}


NBSP = "\u00a0"


def unbroken(text: str) -> str:
    """`text` with no-break spaces: a title such as 'Giám đốc' is never split over two lines."""
    return NBSP.join(text.split())


def keep_last_words(text: str, words: int = 2) -> str:
    """The last `words` words kept together: a centred title never leaves '2022' alone on its
    last line (Decree 30 reviewers return a widow)."""
    parts = text.split()
    if len(parts) <= words:
        return text
    return " ".join(parts[:-words]) + " " + NBSP.join(parts[-words:])


def short_date(day: datetime.date | None) -> str:
    return f"{day:%d/%m/%Y}" if day else ""


# -- header and signature ---------------------------------------------------------------------


@dataclass(frozen=True)
class Letterhead:
    """The Decree 30 header and signature of one document."""

    parent_agency: str
    agency: str
    number: str  # "1802/QĐ-SGDĐT", or "/BC-SGDĐT" for a number the clerk writes in
    place: str
    date: datetime.date | int | None  # a year alone: day and month left blank
    signer_name: str
    signer_title: str
    signer_prefix: str = ""
    recipients: list[str] = field(default_factory=list)

    @property
    def date_line(self) -> str:
        return f"{self.place}, {vi_date(self.date)}"

    @property
    def date_text(self) -> str:
        return vi_date(self.date)

    @property
    def head_title(self) -> str:
        """The head's title without 'PHÓ': 'GIÁM ĐỐC' for a deputy director's signature."""
        return re.sub(r"^PHÓ\s+", "", self.signer_title.strip().upper()) or "GIÁM ĐỐC"

    @property
    def authority(self) -> str:
        """The authority line under a decision's subject: 'GIÁM ĐỐC SỞ GIÁO DỤC VÀ ĐÀO TẠO'."""
        return f"{self.head_title} {self.agency}".upper()

    @property
    def signature_lines(self) -> list[str]:
        """The bold caps lines above the signature: 'KT. GIÁM ĐỐC' / 'PHÓ GIÁM ĐỐC' for a deputy,
        'TM. <AGENCY>' / title for a collective body, 'TL. GIÁM ĐỐC' / title by delegation."""
        title = self.signer_title.strip().upper()
        prefix = self.signer_prefix.strip().upper().rstrip(".")
        if not prefix and title.startswith("PHÓ "):
            prefix = "KT"
        if prefix == "KT":
            return [f"KT. {self.head_title}", title]
        if prefix == "TM":
            return [f"TM. {self.agency.upper()}", title]
        if prefix == "TL":
            return ["TL. GIÁM ĐỐC", title]
        return [title]


def campaign_of_year(year: int) -> Campaign | None:
    """The plan of the year whose header a year's documents repeat (1 query)."""
    return (Campaign.objects.filter(year=year).exclude(status=CampaignStatus.DRAFT)
            .select_related("issuing_unit").order_by("-issued_on", "-pk").first())


def agency_name(campaign: Campaign | None, day: datetime.date | None = None) -> str:
    """The issuing body as written in running text: 'Sở Giáo dục và Đào tạo tỉnh X', as the
    department was named on the document's date (`day`, else the plan's date of issue):
    units.identity.on, so a 2026 document names the department after the merger of 2025 and a
    2022 one the department as it was (EarlierIdentity), whatever the root unit is called
    today. Without a stored identity, the plan's issuing unit names it."""
    if day is None and campaign is not None:
        day = campaign.issued_on
    dated = identity.on(day).name
    if dated:
        return dated
    if campaign is not None:
        return campaign.issuing_unit.name
    return "Sở Giáo dục và Đào tạo"


def symbol_suffix(symbol: str) -> str:
    """'KH-SGDĐT' → 'SGDĐT': the agency part of a document symbol."""
    return symbol.split("-", 1)[1] if "-" in symbol else symbol


def letterhead(campaign: Campaign | None, *, number: str, date, signer_name=None,
               signer_title=None, signer_prefix=None, recipients=()) -> Letterhead:
    """A letterhead from the year's plan (agency names, place, signer), defaults without one."""
    day = date if isinstance(date, datetime.date) else None

    def pick(attr):
        value = getattr(campaign, attr, "") if campaign else ""
        return value or _identity_value(attr, day)

    return Letterhead(
        parent_agency=pick("parent_agency"), agency=pick("issuing_name"), number=number,
        place=pick("place"), date=date,
        signer_name=signer_name if signer_name is not None else pick("signer_name"),
        signer_title=signer_title if signer_title is not None else pick("signer_title"),
        signer_prefix=signer_prefix if signer_prefix is not None else pick("signer_prefix"),
        recipients=list(recipients),
    )


ISSUED_FIELDS = ("parent_agency", "agency", "place")


def issued_letterhead(year: int) -> dict:
    """The header a document of `year` carries today, as a decision keeps it when issued."""
    campaign = campaign_of_year(year)
    head = letterhead(campaign, number="", date=None)
    return {**{name: getattr(head, name) for name in ISSUED_FIELDS},
            "agency_name": agency_name(campaign)}


def recipient_name(parent_agency: str) -> str:
    """'UBND TỈNH BẮC NINH' → 'Ủy ban nhân dân tỉnh Bắc Ninh' for 'Kính gửi'."""
    text = re.sub(r"\bUBND\b", "ỦY BAN NHÂN DÂN", parent_agency.strip()).lower()
    text = re.sub(r"\b(tỉnh|thành phố)\s+(.+)$",
                  lambda m: f"{m.group(1)} {m.group(2).title()}", text)
    return text[:1].upper() + text[1:]


# -- PDF ----------------------------------------------------------------------------------------


def render_pdf(template: str, context: dict, progress=None) -> tuple[bytes, int]:
    """(PDF bytes, pages) of a template extending base.html; progress at 50 and 90 %."""
    from weasyprint import HTML  # imported on use: loading Pango costs a second

    html = render_to_string(template, context)
    if progress:
        progress(50)
    with pdf.rendering():
        document = HTML(string=html, base_url=str(settings.BASE_DIR)).render()
        pages = len(document.pages)
        if progress:
            progress(90)
        return document.write_pdf(), pages


# -- Excel --------------------------------------------------------------------------------------


def save(workbook: Workbook, *, issuer: str | None = None) -> bytes:
    """The workbook's bytes, stamped with the body that issued it (units.identity)."""
    identity.stamp_workbook(workbook, issuer=issuer)
    stream = io.BytesIO()
    workbook.save(stream)
    return stream.getvalue()


def ascii_name(*parts, extension: str) -> str:
    """'quyet-dinh-1802-QD-SGDDT.pdf': ASCII only, so every browser and mail client keeps it."""
    raw = "-".join(str(p) for p in parts if p not in (None, ""))
    raw = raw.replace("Đ", "D").replace("đ", "d")
    raw = unicodedata.normalize("NFKD", raw).encode("ascii", "ignore").decode()
    raw = re.sub(r"[^A-Za-z0-9-]+", "-", raw)
    return f"{re.sub(r'-{2,}', '-', raw).strip('-') or 'document'}.{extension}"
