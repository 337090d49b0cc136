"""The submission (Tờ trình) to the provincial People's Committee proposing commendations.

Lists the approved nominees of a year (their unit's list approved by the director, the council's
vote passed) for awards the province or the state decides, grouped by award, with the summary of
their achievements. Three queries whatever the number of nominees.
"""

from collections import Counter
from functools import partial

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext
from openpyxl import Workbook

from core.spreadsheets.safe_text import append
from units.access import can_view_every_unit
from units.collation import person_key, sort_key

from ..models import AwardLevel, LegalPeriod, Nominee, ProposalStage, Subject
from . import WORD_FORMATS, Built, Kind, layout, pdf_or_workbook

LEVELS = (AwardLevel.PROVINCE, AwardLevel.NATIONAL)


def clean(params: dict) -> dict:
    year = layout.int_param(params, "year")
    if not 2000 <= year <= 2100:
        raise ValueError(f"year {year}")
    return {"year": year}


def allowed(user, params: dict) -> bool:
    """A province-wide report: for readers of every unit."""
    return can_view_every_unit(user)


def nominees_of(year: int):
    return Nominee.objects.filter(proposal__year=year, proposal__stage=ProposalStage.APPROVED,
                                  passed=True, award__level__in=LEVELS)


def rows(params: dict) -> int:
    return nominees_of(params["year"]).count()


def groups(year: int) -> list[dict]:
    """[{award name, subject, nominees: [dict …]}] by award order; in each, by unit order then
    the person's name in Vietnamese order. One query."""
    values = nominees_of(year).order_by().values(
        "pk", "award_id", "award__name", "award__order", "award__subject", "staff__full_name",
        "staff__position", "proposal__unit_id", "proposal__unit__name",
        "proposal__unit__order", "summary")
    unit_keys = {}

    def key(row):
        unit_id = row["proposal__unit_id"]
        if unit_id not in unit_keys:
            unit_keys[unit_id] = (row["proposal__unit__order"],
                                  sort_key(row["proposal__unit__name"]), unit_id)
        return (row["award__order"], row["award__name"], row["award_id"], unit_keys[unit_id],
                person_key(row["staff__full_name"] or ""), row["pk"])

    result = []
    for row in sorted(values, key=key):
        if not result or result[-1]["award_id"] != row["award_id"]:
            result.append({"award_id": row["award_id"], "award": row["award__name"],
                           "collective": row["award__subject"] == Subject.COLLECTIVE,
                           "nominees": []})
        result[-1]["nominees"].append(row)
    return result


def context(year: int) -> dict:
    grouped = groups(year)
    campaign = layout.campaign_of_year(year)
    period = LegalPeriod.objects.for_year(year)
    suffix = layout.symbol_suffix(campaign.symbol) if campaign else "SGDĐT"
    head = layout.letterhead(
        campaign, number="\u00a0" * 8 + "/TTr-" + suffix, date=timezone.localdate().year,
        recipients=[_("As above;"), _("Provincial Emulation and Commendation Board;"),
                    _("Board of Directors;"), _("Archive: VT, VP.")])
    collectives = sum(len(g["nominees"]) for g in grouped if g["collective"])
    individuals = sum(len(g["nominees"]) for g in grouped if not g["collective"])
    return {
        "year": year, "head": head, "groups": grouped, "campaign": campaign,
        "individuals": individuals, "collectives": collectives,
        "basis": [line.strip().rstrip(";.") for line in (period.basis if period else "")
                  .splitlines() if line.strip()],
        "recipient": layout.recipient_name(head.parent_agency),
        "agency_name": layout.agency_name(campaign),
    }


def filename(year: int, extension: str) -> str:
    return layout.ascii_name("to-trinh-khen-thuong-tinh", year, extension=extension)


def build(params: dict, fmt: str, progress) -> Built:
    data = context(params["year"])
    progress(20)
    return pdf_or_workbook(data, fmt, progress, kind="province_proposal",
                           template="awards/documents/province_proposal.html",
                           filename=partial(filename, data["year"]),
                           rows=data["individuals"] + data["collectives"], workbook=workbook)


def workbook(data: dict) -> bytes:
    """The nominees (one row each), then counts by award and by unit and award."""
    book = Workbook(write_only=True)
    count = data["individuals"] + data["collectives"]
    # Not _("Nominees"): that one heads a count column ("Số đề nghị").
    ws = layout.table(book, pgettext("sheet", "Nominees"), [
        (_("No."), 6), (_("Award"), 30), (_("Full name"), 28), (_("Position"), 22),
        (_("Unit"), 36), (_("Achievements"), 70)], rows=count)
    by_award = Counter()
    by_unit = Counter()
    number = 0
    for group in data["groups"]:
        for row in group["nominees"]:
            number += 1
            by_award[group["award"], group["collective"]] += 1
            by_unit[row["proposal__unit__name"], group["award"]] += 1
            append(ws, [number, group["award"], row["staff__full_name"] or None,
                       row["staff__position"] or None, row["proposal__unit__name"],
                       row["summary"]])
    ws = layout.table(book, _("By award"), [(_("Award"), 40), (_("Individuals"), 12),
                                            (_("Collectives"), 12)])
    for group in data["groups"]:
        n = by_award[group["award"], group["collective"]]
        append(ws, [group["award"], 0 if group["collective"] else n,
                   n if group["collective"] else 0])
    append(ws, [layout.cell(ws, _("Total"), bold=True),
               layout.cell(ws, data["individuals"], bold=True),
               layout.cell(ws, data["collectives"], bold=True)])
    ws = layout.table(book, _("By unit"), [(_("Unit"), 40), (_("Award"), 40), (_("Count"), 10)])
    for (unit, award), n in by_unit.items():
        append(ws, [unit, award, n])
    return layout.save(book, issuer=data["agency_name"])


KIND = Kind(title=gettext_lazy("Commendation proposal to the province"), clean=clean,
            allowed=allowed, rows=rows, build=build,
            formats=WORD_FORMATS)
