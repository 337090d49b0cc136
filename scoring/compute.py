"""Reading the task data and the registers for a whole scheme in a handful of set-based queries.

`score_data` reads every assignment of the campaign once, annotated with what its reports say,
and spreads it over the criteria in one pass; `adjustments` reads bonus and penalty per unit in
two grouped queries; `totals` sums a round's points per unit in one. Nothing here writes.

The recompute no longer calls `score_data` (and `assignment_rows`): `recompute_sql` computes
the same in the database. They are the reference that `tests/scoring/test_recompute_sql.py`
compares it with, the rules written once more in plain Python; change both together.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from django.db.models import Count, F, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce
from django.db.models.lookups import GreaterThan
from django.utils import timezone

from tasks.models import (
    Assignment,
    ProgressReport,
    ReportAction,
    ReportEvent,
    ReportStatus,
    periods_for,
)
from tasks.queries import LocalDate, end_of
from units.models import Initiative, Violation

from . import rules
from .models import Criterion, Rule, Score


@dataclass(frozen=True)
class Datum:
    """What the task data says about one unit on one criterion."""

    applicable: bool
    points: Decimal | None  # None for manual criteria
    facts: dict


def cutoff_of(scheme) -> datetime.date:
    return scheme.cutoff or timezone.localdate()


def assignment_rows(scheme, unit_ids=None):
    """One tuple per assignment of the campaign: its task, target, latest accepted value and the
    counts timeliness needs.

    Three queries whatever the number of units: the assignments with their latest accepted
    report (an index lookup each), the reports counted per assignment in one grouped scan, and
    the returns counted the same way; joined here by assignment id.
    """
    cutoff = cutoff_of(scheme)
    end = end_of(cutoff)
    work = Assignment.objects.filter(task__item__campaign_id=scheme.campaign_id)
    if unit_ids is not None:
        work = work.filter(unit_id__in=unit_ids)
    reports = ProgressReport.objects.filter(assignment__in=work.values("pk")).order_by()
    due = Q(period_due__lte=cutoff)
    counts = {
        assignment_id: (late, reported)
        for assignment_id, late, reported in reports.values_list("assignment_id").annotate(
            late=Count("pk", filter=due & Q(submitted_at__isnull=False)
                       & GreaterThan(LocalDate("submitted_at"), F("period_due"))),
            reported=Count("pk", filter=due & Q(status__in=[ReportStatus.SUBMITTED,
                                                               ReportStatus.ACCEPTED])),
        )
    }
    returned = dict(
        ReportEvent.objects.filter(report__assignment__in=work.values("pk"),
                                   action=ReportAction.RETURNED, at__lt=end).order_by()
        .values_list("report__assignment_id").annotate(n=Count("pk"))
    )
    accepted = ProgressReport.objects.filter(
        assignment=OuterRef("pk"), status=ReportStatus.ACCEPTED, submitted_at__lt=end,
    ).order_by("-period")
    # No ordering: the rows are spread over criteria, and the default one joins and sorts units.
    rows = work.order_by().annotate(
        target=Coalesce("target_value", "task__target_value"),
        due_date=Coalesce("deadline", "task__deadline"),
        accepted_period=Subquery(accepted.values("period")[:1]),
        value=Subquery(accepted.values("value")[:1]),
        value_date=Subquery(accepted.values("value_date")[:1]),
    ).values_list("pk", "unit_id", "task_id", "task__item_id", "task__indicator_kind",
                  "task__cadence", "target", "due_date", "accepted_period", "value", "value_date")
    for pk, *row in rows:
        late, reported = counts.get(pk, (0, 0))
        yield (*row, late, reported, returned.get(pk, 0))


@lru_cache(maxsize=256)
def _due_count(cadence: str, year: int, deadline: datetime.date,
               cutoff: datetime.date) -> int:
    return sum(1 for period in periods_for(cadence, year, deadline) if period.due <= cutoff)


def score_data(scheme, criteria, unit_ids=None) -> dict[tuple[int, int], Datum]:
    """(unit id, criterion id) → Datum for every unit with work in the campaign and every
    scored criterion in `criteria` (leaves, with `task_ids` set)."""
    cutoff = cutoff_of(scheme)
    year = scheme.campaign.year
    by_task = defaultdict(list)  # task id → criteria that read it
    by_item = defaultdict(list)  # item id → criteria that read all its tasks
    for criterion in criteria:
        if criterion.task_ids:
            for task_id in criterion.task_ids:
                by_task[task_id].append(criterion)
        else:
            by_item[criterion.item_id].append(criterion)

    readers = {}  # (task id, item id) → ids of the criteria that read the task
    buckets = defaultdict(list)  # (unit, criterion) → [AssignmentFacts]
    units = set()
    for (unit_id, task_id, item_id, kind, cadence, target, deadline, accepted_period, value,
         value_date, late, reported, returned) in assignment_rows(scheme, unit_ids):
        units.add(unit_id)
        due = _due_count(cadence, year, deadline, cutoff)
        facts = rules.AssignmentFacts(
            kind=kind, target=target,
            value=value if value is not None or accepted_period is None else Decimal(0),
            value_date=value_date, deadline=deadline, late=late,
            missing=max(0, due - reported), returned=returned,
        )
        if not due and not facts.accepted:
            # Nothing due yet by the cut-off and nothing reported early: not yet scored, so
            # the unit is not marked down for work that is not late.
            continue
        ids = readers.get((task_id, item_id))
        if ids is None:
            ids = readers[(task_id, item_id)] = [
                c.pk for c in by_task.get(task_id, []) + by_item.get(item_id, [])]
        for criterion_id in ids:
            buckets[(unit_id, criterion_id)].append(facts)

    keyed = [(criterion.pk, criterion) for criterion in criteria]
    return {(unit_id, criterion_id): _datum(criterion, buckets.get((unit_id, criterion_id)))
            for unit_id in units for criterion_id, criterion in keyed}


def _datum(criterion, facts) -> Datum:
    if criterion.rule == Rule.MANUAL:
        # A manual criterion applies to every unit, unless it names tasks the unit lacks.
        return Datum(applicable=bool(facts) or not criterion.task_ids, points=None, facts={})
    if not facts:
        return Datum(applicable=False, points=None, facts={})
    if criterion.rule == Rule.TIMELINESS:
        late = sum(f.late for f in facts)
        missing = sum(f.missing for f in facts)
        returned = sum(f.returned for f in facts)
        points = rules.timeliness(criterion.max_points, criterion.deduction,
                                  late + missing + returned)
        return Datum(True, points, {"assignments": len(facts), "late": late,
                                    "missing": missing, "returned": returned})
    ratio = rules.mean(rules.achievement(f) for f in facts)
    if criterion.rule == Rule.BANDS:
        points = rules.banded(criterion.max_points, criterion.bands, ratio)
    else:
        points = rules.proportional(criterion.max_points, ratio)
    return Datum(True, points, {"assignments": len(facts),
                                "accepted": sum(1 for f in facts if f.accepted),
                                "achievement": str(rules.q2(ratio * 100))})


def scored_criteria(scheme) -> list[Criterion]:
    """The scheme's leaf criteria, each with `task_ids`, in two queries."""
    criteria = list(scheme.criteria.leaves().order_by("order", "id"))
    links = defaultdict(list)
    for criterion_id, task_id in Criterion.tasks.through.objects.filter(
        criterion__scheme=scheme
    ).values_list("criterion_id", "task_id"):
        links[criterion_id].append(task_id)
    for criterion in criteria:
        criterion.task_ids = tuple(links.get(criterion.pk, ()))
    return criteria


def adjustments(scheme) -> tuple[dict[int, Decimal], dict[int, Decimal]]:
    """(bonus, penalty) per unit id from the registers of the campaign's year, each capped."""
    year = scheme.campaign.year
    bonus, penalty = defaultdict(Decimal), defaultdict(Decimal)
    for unit_id, level, n in (Initiative.objects.of_year(year).order_by()
                              .values_list("unit_id", "level").annotate(n=Count("pk"))):
        bonus[unit_id] += scheme.bonus_rate(level) * n
    for unit_id, kind, n in (Violation.objects.of_year(year).order_by()
                             .values_list("unit_id", "kind").annotate(n=Count("pk"))):
        penalty[unit_id] += scheme.penalty_rate(kind) * n
    return ({u: rules.capped(v, scheme.bonus_cap) for u, v in bonus.items()},
            {u: rules.capped(v, scheme.penalty_cap) for u, v in penalty.items()})


def totals(round_) -> dict[int, tuple[Decimal, Decimal]]:
    """unit id → (points, applicable maximum) of a round, in one grouped query."""
    rows = (Score.objects.filter(round=round_, applicable=True).order_by()
            .values_list("unit_id")
            .annotate(raw=Coalesce(Sum("points"), Decimal(0)),
                      maximum=Sum("criterion__max_points")))
    return {unit_id: (raw, maximum) for unit_id, raw, maximum in rows}


def item_breakdown(round_):
    """(item id, unit id, points, applicable maximum) of a round: the reform contribution."""
    return (Score.objects.filter(round=round_, applicable=True).order_by()
            .values_list("criterion__item_id", "unit_id")
            .annotate(raw=Coalesce(Sum("points"), Decimal(0)),
                      maximum=Sum("criterion__max_points")))


def scheme_total(scheme) -> Decimal:
    top = scheme.criteria.filter(parent__isnull=True).aggregate(total=Sum("max_points"))
    return top["total"] or Decimal(0)

