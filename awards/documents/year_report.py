"""The year-end summary report (Báo cáo tổng kết) of a campaign.

I. the department's score on each content item (the aggregate of its units, as on the scoring
"content items" page); II. the units' ranking and classes in the round people read (the last
closed round, else the latest); III. the awards conferred for the campaign's year, by award and
by unit × award, and nominations still on their way; IV. the units that have not confirmed
disseminating the plan. A fixed number of grouped queries whatever the number of units.
"""

from collections import Counter, defaultdict
from functools import partial

from django.db.models import Count, F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook

from campaigns.models import Campaign, Dissemination
from core.spreadsheets.styles import number_format
from scoring import rules
from scoring.exports import ranking_rows
from scoring.models import Criterion, Grade, Round
from scoring.summary import item_scores
from units.access import can_view_every_unit
from units.collation import sort_key

from ..models import Conferral, Nominee, ProposalStage, Subject
from . import WORD_FORMATS, Built, Kind, layout, pdf_or_workbook

# Scores as the PDF and the score sheets print them: always two decimals ("96,60").
SCORE_FORMAT = "0.00"


def clean(params: dict) -> dict:
    campaign_id = layout.int_param(params, "campaign")
    if not Campaign.objects.filter(pk=campaign_id).exists():
        raise LookupError(f"campaign {campaign_id}")
    return {"campaign": campaign_id}


def allowed(user, params: dict) -> bool:
    """A province-wide report: for readers of every unit."""
    return can_view_every_unit(user)


def report_round(campaign) -> Round | None:
    """The round the report reads: the last closed one, else the latest opened (1 query)."""
    return (Round.objects.filter(scheme__campaign=campaign)
            .order_by(F("closed_at").desc(nulls_last=True), "-opened_at", "-pk").first())


def rows(params: dict) -> int:
    campaign = Campaign.objects.get(pk=params["campaign"])
    round_ = report_round(campaign)
    ranked = round_.sheets.count() if round_ else 0
    awarded = (Conferral.objects.filter(year=campaign.year).values("unit_id").distinct()
               .count())
    return ranked + awarded + Dissemination.objects.filter(campaign=campaign).pending().count()


def item_results(campaign, round_, items) -> list[dict]:
    """The department's score on each content item, as the scoring "content items" page and
    the dashboards compute it (`scoring.summary.item_scores`)."""
    return item_scores(Criterion.objects.filter(scheme__campaign=campaign), round_, items)


def context(campaign_id: int) -> dict:
    campaign = Campaign.objects.select_related("issuing_unit").get(pk=campaign_id)
    year = campaign.year
    round_ = report_round(campaign)
    items = list(campaign.items.all())
    results = item_results(campaign, round_, items)
    grades = {value: str(label) for value, label in Grade.choices}
    # The ranking export's rows and order, reading only the columns printed here.
    ranking = [
        {"rank": rank, "unit": unit, "final": final, "grade": grades.get(grade, "")}
        for rank, unit, final, grade in (
            ranking_rows(round_).values_list("rank", "unit__name", "final", "grade")
            if round_ else ())]
    grade_counts = Counter(row["grade"] for row in ranking)

    awards = {}  # award id → {"name", "order"}, read with the counts
    matrix = {}  # unit id → {award id: standing conferrals}
    unit_names, unit_keys = {}, {}
    by_award = defaultdict(Counter)  # award id → {"individual": n, "collective": n}
    for unit_id, unit_name, unit_order, award_id, award_name, award_order, people, collectives in (
            Conferral.objects.standing().filter(year=year).order_by()
            .values_list("unit_id", "unit__name", "unit__order", "award_id", "award__name",
                         "award__order")
            .annotate(people=Count("staff_id"), collectives=Count("pk") - Count("staff_id"))):
        if award_id not in awards:
            awards[award_id] = {"pk": award_id, "name": award_name, "order": award_order}
        cells = matrix.get(unit_id)
        if cells is None:  # one row per (unit, award): the unit's first row
            cells = matrix[unit_id] = {}
            unit_names[unit_id] = unit_name
            unit_keys[unit_id] = (unit_order, sort_key(unit_name), unit_id)
        cells[award_id] = people + collectives
        by_award[award_id][Subject.INDIVIDUAL] += people
        by_award[award_id][Subject.COLLECTIVE] += collectives
    award_list = sorted(awards.values(), key=lambda a: (a["order"], sort_key(a["name"]), a["pk"]))
    commendations = [
        {"unit": unit_names[unit_id],
         "counts": [matrix[unit_id].get(a["pk"]) or None for a in award_list],
         "total": sum(matrix[unit_id].values())}
        for unit_id in sorted(matrix, key=unit_keys.__getitem__)]
    award_totals = [{"award": a, "individuals": by_award[a["pk"]][Subject.INDIVIDUAL],
                     "collectives": by_award[a["pk"]][Subject.COLLECTIVE]} for a in award_list]

    stages = dict(ProposalStage.choices)
    pending_nominations = [
        {"award": name, "stage": stages.get(stage, stage), "count": n}
        for name, stage, n in (
            Nominee.objects.filter(proposal__year=year, decision__isnull=True)
            .exclude(passed=False).order_by("award__order", "award__name", "proposal__stage")
            .values_list("award__name", "proposal__stage").annotate(n=Count("pk")))]

    not_disseminated = sorted(
        Dissemination.objects.filter(campaign=campaign).pending().order_by()
        .values_list("unit__order", "unit__name", "unit_id"),
        key=lambda r: (r[0], sort_key(r[1]), r[2]))

    # Dated in the year its figures became final (the round closed), as it was issued then: the
    # header is the plan's, so a 2022 report printed in 2026 put the place of 2022 beside the
    # year 2026. A report on a round still open is today's.
    closed = round_.closed_at if round_ is not None else None
    head = layout.letterhead(
        campaign, number="\u00a0" * 8 + "/BC-" + layout.symbol_suffix(campaign.symbol),
        date=(timezone.localdate(closed) if closed else timezone.localdate()).year,
        recipients=[_("Provincial Emulation and Commendation Board (for report);"),
                    _("Board of Directors (for report);"), _("Archive: VT, VP.")])
    return {
        "campaign": campaign, "head": head, "round": round_, "results": results,
        "results_total": rules.q2(sum((r["score"] or 0) for r in results)),
        "max_total": sum((r["max"] or 0) for r in results),
        "ranking": ranking,
        "grade_counts": [(label, grade_counts.get(label, 0)) for label in grades.values()],
        "award_list": award_list, "award_totals": award_totals,
        # The unit's name keeps at least 55 mm of the 165 mm line; the awards share the rest.
        "award_width": min(24, (165 - 10 - 16 - 55) // max(1, len(award_list))),
        "commendations": commendations, "pending_nominations": pending_nominations,
        "not_disseminated": [name for _order, name, _pk in not_disseminated],
        "agency_name": layout.agency_name(campaign),
        "plan_date": layout.short_date(campaign.issued_on),
        # Here, not in the template: {% translate %} would look up "Achieved (%%)".
        "achieved_label": _("Achieved (%)"),
    }


def filename(campaign, extension: str) -> str:
    return layout.ascii_name("bao-cao-tong-ket", campaign.number, campaign.symbol,
                             campaign.year, extension=extension)


def row_count(data) -> int:
    return len(data["ranking"]) + len(data["commendations"]) + len(data["not_disseminated"])


def build(params: dict, fmt: str, progress) -> Built:
    data = context(params["campaign"])
    progress(20)
    return pdf_or_workbook(data, fmt, progress, kind="year_report",
                           template="awards/documents/year_report.html",
                           filename=partial(filename, data["campaign"]), rows=row_count(data),
                           workbook=workbook)


def workbook(data: dict) -> bytes:
    # Rows go through reused cells (layout.RowCells, which keeps text that would read as a
    # formula as text, as core.spreadsheets.safe_text does): the same workbook as appending
    # a cell per value, in less time than the report's queries took.
    book = Workbook(write_only=True)
    ws = layout.table(book, _("Content items"), [
        (_("No."), 6), (_("Content item"), 60), (_("Maximum"), 12), (_("Score"), 12),
        (_("Achieved (%)"), 12)], rows=len(data["results"]))
    cells = layout.RowCells(ws)
    for row in data["results"]:
        ws.append([row["item"].number, row["item"].short_title or row["item"].text,
                   *(cells.cell(column, row[key], number_format(row[key]))
                     for column, key in ((3, "max"), (4, "score"), (5, "share")))])

    ws = layout.table(book, _("Ranking"), [(_("Rank"), 8), (_("Unit"), 44),
                                           (_("Final score"), 12), (_("Class"), 16)],
                      rows=len(data["ranking"]))
    cells = layout.RowCells(ws)
    for row in data["ranking"]:
        # The final score as the PDF prints it, two decimals ("96,60"); only that cell styled.
        ws.append([row["rank"], row["unit"], cells.cell(3, row["final"], SCORE_FORMAT),
                   row["grade"]])

    awards = data["award_list"]
    ws = layout.table(book, _("Commendations"),
                      [(_("Unit"), 44), *[(a["name"], 16) for a in awards], (_("Total"), 10)],
                      rows=len(data["commendations"]))
    layout.RowCells(ws)
    for row in data["commendations"]:
        ws.append([row["unit"], *row["counts"], row["total"]])

    ws = layout.table(book, _("By award"), [(_("Award"), 44), (_("Individuals"), 12),
                                            (_("Collectives"), 12)])
    layout.RowCells(ws)
    for row in data["award_totals"]:
        ws.append([row["award"]["name"], row["individuals"], row["collectives"]])

    ws = layout.table(book, _("Nominations in progress"), [
        (_("Award"), 44), (_("Stage"), 28), (_("Nominees"), 12)])
    layout.RowCells(ws)
    for row in data["pending_nominations"]:
        ws.append([row["award"], str(row["stage"]), row["count"]])

    ws = layout.table(book, _("Not disseminated"), [(_("No."), 6), (_("Unit"), 60)],
                      rows=len(data["not_disseminated"]))
    layout.RowCells(ws)
    for number, name in enumerate(data["not_disseminated"], start=1):
        ws.append([number, name])
    return layout.save(book, issuer=layout.agency_name(data["campaign"]))


KIND = Kind(title=gettext_lazy("Year-end summary report of a campaign"), clean=clean,
            allowed=allowed, rows=rows, build=build,
            formats=WORD_FORMATS)
