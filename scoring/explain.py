"""What lies behind a unit's points on each criterion: the rule in words and the reports counted.

`explain_sheet` reads one unit's assignments, reports and returns in four queries whatever the
number of criteria, and applies to them what `compute.score_data` applies to every unit —
the latest accepted report of each assignment up to the cut-off, late and missing periods,
returns — keeping *which* reports it counted, so that the score sheet can link to each of
them. The points it finds are compared with the stored ones: a closed round is a snapshot,
and the task data may have moved since.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count
from django.utils import timezone

from tasks.models import (
    Assignment,
    ProgressReport,
    ReportAction,
    ReportEvent,
    ReportStatus,
    periods_for,
)
from tasks.queries import end_of

from . import rules
from .compute import cutoff_of
from .models import Criterion, Rule

REPORTED = (ReportStatus.SUBMITTED, ReportStatus.ACCEPTED)


@dataclass
class Counted:
    """One assignment as a proportional or banded criterion counts it."""

    assignment: Assignment
    report: ProgressReport | None  # the latest accepted report, None when none is
    target: Decimal | None
    achievement: Decimal  # 0…1

    @property
    def percent(self) -> Decimal:
        return rules.q2(self.achievement * 100)


@dataclass
class Missing:
    assignment: Assignment
    period: str
    due: datetime.date


@dataclass
class Band:
    threshold: Decimal  # % of the target
    points: Decimal
    applied: bool = False


@dataclass
class Explanation:
    """The rule of one criterion applied to one unit's data, with the reports behind it."""

    rule: str
    counted: list = field(default_factory=list)  # [Counted], proportional and bands
    late: list = field(default_factory=list)  # [ProgressReport]
    missing: list = field(default_factory=list)  # [Missing]
    returned: list = field(default_factory=list)  # [(ProgressReport, times returned)]
    points: Decimal | None = None  # what the data gives now
    bands: list = field(default_factory=list)  # [Band], highest first

    @property
    def faults(self) -> int:
        return len(self.late) + len(self.missing) + sum(n for _r, n in self.returned)


def bands_of(criterion, points) -> list[Band]:
    """The criterion's bands as points, highest first; the band whose points the unit got is
    marked applied (ties: the highest threshold, as `rules.banded` picks it)."""
    bands = [Band(threshold=Decimal(str(threshold)),
                  points=rules.q2(criterion.max_points * Decimal(str(share)) / 100))
             for threshold, share in sorted(criterion.bands, key=lambda b: Decimal(str(b[0])),
                                            reverse=True)]
    if points is not None:
        for band in bands:
            if band.points == points:
                band.applied = True
                break
    return bands


def explain_sheet(scheme, unit, criteria) -> dict[int, Explanation]:
    """criterion id → Explanation for each automatic criterion in `criteria` (Criterion rows)
    that applies to `unit`. Four queries."""
    automatic = [c for c in criteria if c.rule != Rule.MANUAL]
    if not automatic:
        return {}
    cutoff = cutoff_of(scheme)
    end = end_of(cutoff)
    year = scheme.campaign.year
    task_ids = defaultdict(list)
    for criterion_id, task_id in Criterion.tasks.through.objects.filter(
            criterion__scheme=scheme).values_list("criterion_id", "task_id"):
        task_ids[criterion_id].append(task_id)
    assignments = list(Assignment.objects.filter(
        unit=unit, task__item__campaign_id=scheme.campaign_id).select_related("task")
        .order_by("task__item__number", "task__title", "pk"))
    # By unit and campaign rather than by the ids just read: the same queries whatever was found.
    reports = defaultdict(list)
    by_pk = {a.pk: a for a in assignments}
    for report in ProgressReport.objects.filter(
            assignment__unit=unit, assignment__task__item__campaign_id=scheme.campaign_id
    ).order_by("period"):
        report.assignment = by_pk[report.assignment_id]  # the page names its task
        reports[report.assignment_id].append(report)
    returns = dict(ReportEvent.objects.filter(
        report__assignment__unit=unit,
        report__assignment__task__item__campaign_id=scheme.campaign_id,
        action=ReportAction.RETURNED, at__lt=end).order_by().values_list("report_id")
        .annotate(n=Count("pk")))

    facts = {a.pk: _assignment_facts(a, reports[a.pk], returns, year, cutoff, end)
             for a in assignments}
    result = {}
    for criterion in automatic:
        wanted = set(task_ids.get(criterion.pk, ()))
        found = [facts[a.pk] for a in assignments if facts[a.pk] is not None
                 and (a.task_id in wanted if wanted else a.task.item_id == criterion.item_id)]
        if found:
            result[criterion.pk] = _explain(criterion, found)
    return result


def _assignment_facts(assignment, reports, returns, year, cutoff, end):
    """What `compute.assignment_rows` and `score_data` read of one assignment, with the reports
    themselves; None when nothing is due by the cut-off and nothing accepted (not scored)."""
    accepted = [r for r in reports if r.status == ReportStatus.ACCEPTED
                and r.submitted_at is not None and r.submitted_at < end]
    latest = accepted[-1] if accepted else None  # reports come in period order
    due = [p for p in periods_for(assignment.task.cadence, year, assignment.effective_deadline)
           if p.due <= cutoff]
    if not due and latest is None:
        return None
    reported = {r.period for r in reports if r.period_due <= cutoff and r.status in REPORTED}
    late = [r for r in reports if r.period_due <= cutoff and r.submitted_at is not None
            and timezone.localtime(r.submitted_at).date() > r.period_due]
    value = None
    if latest is not None:
        value = latest.value if latest.value is not None else Decimal(0)
    target = assignment.effective_target
    fact = rules.AssignmentFacts(
        kind=assignment.task.indicator_kind, target=target, value=value,
        value_date=latest.value_date if latest else None,
        deadline=assignment.effective_deadline)
    return {
        "counted": Counted(assignment=assignment, report=latest, target=target,
                           achievement=rules.achievement(fact)),
        "late": late,
        # As the rule counts them: the periods due less those reported (any period key).
        "missing": [Missing(assignment, p.key, p.due) for p in due
                    if p.key not in reported][:max(0, len(due) - len(reported))],
        "returned": [(r, returns[r.pk]) for r in reports if returns.get(r.pk)],
    }


def _explain(criterion, found) -> Explanation:
    explanation = Explanation(rule=criterion.rule)
    if criterion.rule == Rule.TIMELINESS:
        for fact in found:
            explanation.late += fact["late"]
            explanation.missing += fact["missing"]
            explanation.returned += fact["returned"]
        explanation.points = rules.timeliness(criterion.max_points, criterion.deduction,
                                              explanation.faults)
        return explanation
    explanation.counted = [fact["counted"] for fact in found]
    ratio = rules.mean(c.achievement for c in explanation.counted)
    if criterion.rule == Rule.BANDS:
        explanation.points = rules.banded(criterion.max_points, criterion.bands, ratio)
    else:
        explanation.points = rules.proportional(criterion.max_points, ratio)
    return explanation
