"""The figures of the campaign dashboards: the director's view of the whole department, a unit's
view of itself against the others, and several campaigns side by side.

Progress comes from `tasks.figures.campaign_progress` and scores from the round people look at
(`access.visible_round`) through `summary.department_headline` (the content-item page's
`department_summary` without its grid; tests hold them equal) — the same code the task lists,
the ranking and the content-item page use, so a figure here and on its list always agree. A
fixed number of queries whatever the number of units.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import groupby

from django.db.models import Avg, Count, Q

from campaigns.models import Campaign
from tasks.figures import CampaignProgress, Progress, campaign_progress
from units.collation import sort_key, unit_order, vi
from units.models import Unit

from . import rules
from .access import visible_round
from .models import Grade, Round, Scheme, Sheet
from .summary import DepartmentHeadline, department_headline

TOP = 5  # units shown at the top and the bottom of the ranking
MOST_LOST = 10  # units leaving the most points on the table
SHOWN_UNITS = 60  # the least complete units the page draws (the heatmap's rows)


@dataclass(frozen=True)
class Filters:
    unit_kinds: tuple = ()
    quarter: int | None = None


@dataclass
class DirectorFigures:
    campaign: Campaign
    today: datetime.date
    filters: Filters
    progress: CampaignProgress
    items: list
    units: dict  # unit id → Unit, the units shown (the least complete SHOWN_UNITS)
    unit_order: list = field(default_factory=list)  # every unit with work, least complete first
    disseminated: int = 0
    dissemination_total: int = 0
    scheme: Scheme | None = None
    round: Round | None = None
    department: DepartmentHeadline | None = None
    grade: str = ""
    top: list = field(default_factory=list)
    bottom: list = field(default_factory=list)
    ranked: int = 0

    @property
    def grade_label(self) -> str:
        return Grade(self.grade).label if self.grade else ""

    @property
    def unit_rows(self):
        """The shown units with their progress, the least complete first (unknown last)."""
        return [(self.units[u], self.progress.by_unit[u]) for u in self.unit_order
                if u in self.units]

    @property
    def unit_count(self) -> int:
        return len(self.unit_order)

    @property
    def most_lost(self):
        return self.department.most_lost if self.department else []


def director_figures(campaign, *, today, filters: Filters, every_unit=False) -> DirectorFigures:
    """`every_unit`: the grid's cells and Unit objects for every unit with work, as the meeting
    PDF's grid prints them all; the page draws only the SHOWN_UNITS least complete."""
    # Every unit's progress summed by the database, every item's likewise, and the grid's
    # cells only for the units the page draws: ten thousand (unit, item) cells crossing
    # Python to be added up were a third of the page at province scale. Same figures: the
    # slices are sums of the same tally rows (tests/scoring/test_dashboard.py holds them equal).
    kinds = filters.unit_kinds or None
    progress = campaign_progress(campaign, today=today, unit_kinds=kinds,
                                 quarter=filters.quarter, group="unit")
    progress.by_item = campaign_progress(campaign, today=today, unit_kinds=kinds,
                                         quarter=filters.quarter, trend=False,
                                         group="item").by_item
    # Every unit's place from its progress, order and name; whole Unit objects only for the
    # few the page draws (a thousand model instances cost a tenth of the page).
    by_unit = progress.by_unit
    order = _least_complete_first(
        Unit.objects.filter(pk__in=list(by_unit)).values_list("pk", "order", "name"), by_unit)
    drawn = order if every_unit else order[:SHOWN_UNITS]
    if drawn:
        progress.grid = campaign_progress(campaign, today=today, unit_kinds=kinds,
                                          unit_ids=None if every_unit else drawn,
                                          quarter=filters.quarter, trend=False).grid
    figures = DirectorFigures(campaign=campaign, today=today, filters=filters,
                              progress=progress, items=list(campaign.items.all()),
                              units=Unit.objects.in_bulk(drawn), unit_order=order)
    spread = campaign.disseminations.all()
    if filters.unit_kinds:
        spread = spread.filter(unit__kind__in=filters.unit_kinds)
    counts = spread.aggregate(total=Count("pk"), confirmed=Count(
        "pk", filter=Q(confirmed_at__isnull=False)))
    figures.dissemination_total, figures.disseminated = counts["total"], counts["confirmed"]
    figures.scheme = Scheme.objects.filter(campaign=campaign).first()
    if figures.scheme is not None:
        figures.round = visible_round(figures.scheme)
        figures.department = department_headline(figures.scheme, figures.round,
                                                  unit_kinds=filters.unit_kinds or None,
                                                  most=MOST_LOST)
        figures.grade = rules.grade(figures.department.total, **figures.scheme.bands)
        if figures.round is not None:
            sheets = figures.round.sheets.select_related("unit")
            if filters.unit_kinds:
                sheets = sheets.filter(unit__kind__in=filters.unit_kinds)
            figures.ranked = sheets.count()
            figures.top = list(sheets.order_by("rank", *unit_order("unit__"))[:TOP])
            figures.bottom = list(sheets.order_by(
                "-rank", "-unit__order", vi("unit__name").desc())[:TOP])
            figures.bottom.reverse()
    return figures


def _least_complete_first(places, by_unit) -> list:
    """The ids of (pk, order, name) rows by completion (unknown last), then order, then name
    in Vietnamese order. The name's sort key only where completion and order tie: computed
    for every one of a thousand units it was a sixth of the page's time; sorted in two steps,
    the order is the same (both sorts are stable)."""
    def head(row):
        progress = by_unit[row[0]]
        return progress.completion is None, progress.completion or 0, row[1]

    order = []
    for _head, tied in groupby(sorted(places, key=head), key=head):
        tied = list(tied)
        if len(tied) > 1:
            tied.sort(key=lambda row: sort_key(row[2]))
        order.extend(pk for pk, _order, _name in tied)
    return order


@dataclass
class UnitFigures:
    campaign: Campaign
    unit: Unit
    today: datetime.date
    progress: object  # Progress of the unit
    department: object  # Progress of every unit together
    same_kind: object  # Progress of the units of the same kind
    round: Round | None = None
    sheet: Sheet | None = None
    average: Decimal | None = None  # mean final score of all units in the round
    kind_average: Decimal | None = None
    ranked: int = 0


def unit_figures(campaign, unit, *, today) -> UnitFigures:
    """A unit against the department and against the units of its kind."""
    everyone = campaign_progress(campaign, today=today, trend=False, group="unit")
    kinds = set(Unit.objects.filter(pk__in=list(everyone.by_unit), kind=unit.kind)
                .values_list("pk", flat=True))
    same_kind = Progress()
    for unit_id, progress in everyone.by_unit.items():
        if unit_id in kinds:
            same_kind.add(progress)
    figures = UnitFigures(campaign=campaign, unit=unit, today=today,
                          progress=everyone.by_unit.get(unit.pk, Progress()),
                          department=everyone.total, same_kind=same_kind)
    scheme = Scheme.objects.filter(campaign=campaign).first()
    if scheme is not None:
        figures.round = visible_round(scheme)
    if figures.round is not None:
        sheets = figures.round.sheets
        figures.sheet = sheets.filter(unit=unit).first()
        averages = sheets.aggregate(all=Avg("final"), kind=Avg("final", filter=Q(
            unit__kind=unit.kind)), ranked=Count("pk"))
        figures.average = _q2(averages["all"])
        figures.kind_average = _q2(averages["kind"])
        figures.ranked = averages["ranked"]
    return figures


def _q2(value):
    return rules.q2(Decimal(value)) if value is not None else None


@dataclass(frozen=True)
class YearColumn:
    campaign: Campaign
    progress: object  # Progress, whole campaign
    score: Decimal | None
    grade: str
    units: int


def years(campaigns, *, today) -> list[YearColumn]:
    """The headline figures of several campaigns, oldest first: queries grow with the number
    of campaigns (a handful), not of units."""
    columns = []
    for campaign in sorted(campaigns, key=lambda c: (c.year, c.pk)):
        progress = campaign_progress(campaign, today=today, trend=False, group="unit")
        scheme = Scheme.objects.filter(campaign=campaign).first()
        score, grade = None, ""
        if scheme is not None:
            headline = department_headline(scheme, visible_round(scheme), most=0)
            if any(item["score"] is not None for item in headline.summary):
                score = headline.total
                grade = rules.grade(score, **scheme.bands)
        columns.append(YearColumn(campaign=campaign, progress=progress.total, score=score,
                                  grade=grade, units=len(progress.by_unit)))
    return columns
