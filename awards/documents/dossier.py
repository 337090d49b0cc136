"""The files of a dossier sent upward, made from the portal's data: the proposal letter of the
award (the province proposal's layout, one award), the list (Excel), the council's minutes
from the recorded votes, and each nominee's achievement report from the prescribed template
(Decree 152/2025, Appendix: the person's or the unit's data filled in, the achievements and the
awards left for the nominee to complete and sign) — and the whole dossier as one ZIP with the
uploaded parts.

The reports of a list are rendered as one PDF (one WeasyPrint pass, a page break between
nominees), not one per nominee: a 500-nominee dossier is then one render, not 500.
"""

import io
import zipfile

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import pdf
from core.spreadsheets.styles import XLSX_CONTENT_TYPE

from ..access import can_download_dossier
from ..dossiers import checklist, initiatives_by_staff, rows_of
from ..models import Conferral
from ..models_dossier import Dossier, Part, Recipient
from . import Built, Kind, layout, province_proposal

ZIP_CONTENT_TYPE = "application/zip"
# Each nominee's report is a page or two of WeasyPrint: about 0.1 s each on a busy server
# (100 reports 11 s), on top of 1.5-2 s for the letter, the list and the minutes. Above this
# many nominees the ZIP and the merged PDF are made by the background worker, so that a
# download answers in a few seconds, not half a minute.
DIRECT_NOMINEES = 20


def _head(dossier, number="", symbol="TTr"):
    campaign = layout.campaign_of_year(dossier.year)
    suffix = layout.symbol_suffix(campaign.symbol) if campaign else "SGDĐT"
    board = ([_("Provincial Emulation and Commendation Board;")]
             if dossier.recipient == Recipient.PROVINCE else [])
    return campaign, layout.letterhead(
        campaign, number=number or "\u00a0" * 8 + f"/{symbol}-{suffix}",
        date=dossier.sent_on or timezone.localdate().year,
        recipients=[_("As above;"), *board, _("Board of Directors;"), _("Archive: VT, VP.")])


def letter_pdf(dossier, found) -> bytes:
    """The proposal letter (tờ trình) of this award alone."""
    return layout.render_pdf("awards/documents/province_proposal.html",
                             letter_context(dossier))[0]


def _groups(dossier) -> list[dict]:
    """The award's one group of the province proposal, holding the dossier's nominees: as sent
    once sent (`dossiers.rows_of`), not as the lists read today."""
    rows = rows_of(dossier)
    return [{"award_id": dossier.award_id, "award": dossier.award.name,
             "collective": dossier.award.subject == "collective", "nominees": rows}]


def letter_context(dossier) -> dict:
    campaign, head = _head(dossier, dossier.sent_number)
    data = province_proposal.context(dossier.year)
    groups = _groups(dossier)
    count = len(groups[0]["nominees"])
    data.update(head=head, groups=groups,
                individuals=0 if dossier.award.subject == "collective" else count,
                collectives=count if dossier.award.subject == "collective" else 0)
    if dossier.recipient == Recipient.MINISTRY:
        data["recipient"] = _("The Minister of Education and Training")
    return data


def list_xlsx(dossier) -> bytes:
    data = province_proposal.context(dossier.year)
    groups = _groups(dossier)
    count = len(groups[0]["nominees"])
    collective = dossier.award.subject == "collective"
    data.update(groups=groups, individuals=0 if collective else count,
                collectives=count if collective else 0)
    return province_proposal.workbook(data)


def minutes_pdf(dossier, found) -> bytes:
    """The council's result per list: the meeting day, members, and each nominee's votes."""
    campaign, head = _head(dossier, symbol="BB")
    return layout.render_pdf("awards/documents/dossier_minutes.html", {
        "head": head, "dossier": dossier, "units": _by_unit(found),
        "agency_name": layout.agency_name(campaign)})[0]


def _by_unit(found) -> list[list]:
    by_unit = {}
    # A proposal outside the annual cycle had no council vote: not in the minutes.
    for row in (r for r in found.nominees if not r["special_id"]):
        by_unit.setdefault(row["proposal__unit_id"], []).append(row)
    return list(by_unit.values())


@layout.official
def reports_pdf(dossier, rows) -> bytes:
    """The achievement reports of `rows` (nominee dicts of `dossiers.nominee_rows`), one after
    the other: the template's heading and part I filled from the records, part II the summary
    the unit wrote, part III the awards the history holds, the initiatives."""
    return layout.render_pdf("awards/documents/achievement_report.html",
                             reports_context(dossier, rows))[0]


def reports_context(dossier, rows) -> dict:
    staff_ids = [r["staff_id"] for r in rows if r["staff_id"]]
    unit_ids = [r["proposal__unit_id"] for r in rows if not r["staff_id"]]
    held = {}
    for c in (Conferral.objects.standing().filter(year__lte=dossier.year)
              .filter(Q(staff_id__in=staff_ids) | Q(staff__isnull=True, unit_id__in=unit_ids))
              .select_related("award")):
        held.setdefault(("s", c.staff_id) if c.staff_id else ("u", c.unit_id), []).append(c)
    initiatives = initiatives_by_staff(staff_ids, dossier.year)
    reports = []
    for row in rows:
        key = ("s", row["staff_id"]) if row["staff_id"] else ("u", row["proposal__unit_id"])
        reports.append({"row": row, "held": sorted(held.get(key, []), key=lambda c: -c.year),
                        "initiatives": initiatives.get(row["staff_id"], [])})
    campaign = layout.campaign_of_year(dossier.year)
    return {"dossier": dossier, "award": dossier.award, "reports": reports,
            "place": layout.letterhead(campaign, number="", date=None).place,
            "date": layout.vi_date(dossier.year)}


@layout.official
def pack(dossier, progress=lambda percent: None) -> tuple[bytes, str]:
    """(the ZIP, its file name): the generated parts, numbered in filing order, then every
    uploaded file under its part. Hundreds of reports take tens of seconds: above
    DIRECT_NOMINEES the background worker packs it (KIND below, format "zip")."""
    found = checklist(dossier)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("01-to-trinh.pdf", letter_pdf(dossier, found))
        progress(15)
        archive.writestr("02-danh-sach.xlsx", list_xlsx(dossier))
        if found.needs(Part.MINUTES):
            archive.writestr("03-bien-ban-hoi-dong.pdf", minutes_pdf(dossier, found))
        progress(30)
        if found.nominees:
            archive.writestr("04-bao-cao-thanh-tich-mau.pdf",
                             reports_pdf(dossier, found.nominees))
        progress(80)
        names = {row["key"]: row["name"] for row in found.nominees}
        for attachment in found.attachments:
            folder = ("05-bao-cao-da-ky" if attachment.part == Part.REPORT
                      else "06-tai-lieu-khac")
            who = names.get(attachment.owner_key, "")
            name = layout.ascii_name(*(p for p in (who, attachment.original_name.rsplit(
                ".", 1)[0]) if p), extension=attachment.extension)
            with attachment.file.open("rb") as stored:
                archive.writestr(f"{folder}/{attachment.pk}-{name}", stored.read())
    filename = layout.ascii_name("ho-so", dossier.award.code, dossier.year, extension="zip")
    return buffer.getvalue(), filename


# -- the merged PDF, a document kind (awards.documents: at once, or by the worker) --------------


def _document(template: str, data: dict):
    from django.conf import settings
    from django.template.loader import render_to_string
    from weasyprint import HTML  # imported on use: loading Pango costs a second

    html = render_to_string(template, data)
    with pdf.rendering():
        return HTML(string=html, base_url=str(settings.BASE_DIR)).render()


def merged_pdf(dossier, progress) -> tuple[bytes, int]:
    """The generated parts as one PDF: the letter, the council's vote, every nominee's report
    (the uploaded files stay files of their own: the ZIP carries them)."""
    found = checklist(dossier)
    letter = _document("awards/documents/province_proposal.html", letter_context(dossier))
    progress(30)
    parts = [letter]
    # No council voted on a seniority medal or an extraordinary award: no minutes to print.
    if found.needs(Part.MINUTES):
        campaign, head = _head(dossier, symbol="BB")
        parts.append(_document("awards/documents/dossier_minutes.html", {
            "head": head, "dossier": dossier, "units": _by_unit(found),
            "agency_name": layout.agency_name(campaign)}))
    progress(50)
    if found.nominees:
        parts.append(_document("awards/documents/achievement_report.html",
                               reports_context(dossier, found.nominees)))
    progress(90)
    pages = [page for part in parts for page in part.pages]
    with pdf.rendering():
        return parts[0].copy(pages).write_pdf(), len(pages)


def _clean(params: dict) -> dict:
    dossier_id = layout.int_param(params, "dossier")
    if not Dossier.objects.filter(pk=dossier_id).exists():
        raise LookupError(f"dossier {dossier_id}")
    return {"dossier": dossier_id}


def _rows(params: dict) -> int:
    found = Dossier.objects.select_related("award").get(pk=params["dossier"])
    return len(rows_of(found))


def _build(params: dict, fmt: str, progress) -> Built:
    dossier = Dossier.objects.select_related("award").get(pk=params["dossier"])
    count = _rows(params)
    name = layout.ascii_name("ho-so", dossier.award.code, dossier.year, extension=fmt)
    if fmt == "pdf":
        content, pages = merged_pdf(dossier, progress)
        progress(100)
        return Built(content, name, layout.PDF_CONTENT_TYPE, count, pages)
    if fmt == "zip":
        content, name = pack(dossier, progress)
        progress(100)
        return Built(content, name, ZIP_CONTENT_TYPE, count)
    content = list_xlsx(dossier)
    progress(100)
    return Built(content, name, XLSX_CONTENT_TYPE, count)


KIND = Kind(title=gettext_lazy("Dossier sent upward"), clean=_clean,
            allowed=lambda user, params: can_download_dossier(user), rows=_rows, build=_build,
            formats=("pdf", "xlsx", "zip"), direct_rows=DIRECT_NOMINEES)
