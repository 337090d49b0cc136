"""The figures of the Office and Union dashboard: pure reads, a fixed number of queries.

`review_figures` answers four questions across launched campaigns (or one campaign):
what waits for review, which units have not reported for the current period, which returned
reports were not sent back, and which reporting deadlines fall in the next two weeks.
"""

import datetime
import operator
from collections import defaultdict
from dataclasses import dataclass, field
from functools import reduce

from django.db.models import Case, CharField, Count, Exists, F, OuterRef, Q, Sum, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from campaigns.models import CampaignStatus

from .models import Assignment, ProgressReport, ReportStatus, ReportTally, Task, periods_for

REPORTED = [ReportStatus.SUBMITTED, ReportStatus.ACCEPTED]
DEADLINE_WINDOW = datetime.timedelta(days=14)


@dataclass(frozen=True)
class WaitingReport:
    report: ProgressReport
    submitted_on: datetime.date | None
    days_waiting: int | None


@dataclass(frozen=True)
class ReturnedReport:
    report: ProgressReport
    returned_on: datetime.date | None
    days_since: int | None


@dataclass(frozen=True)
class ItemCount:
    """Reports waiting for review under one content item (the queue can filter by item)."""

    item_id: int
    number: int
    title: str
    campaign_code: str
    count: int


@dataclass(frozen=True)
class UnitGap:
    """A unit with assignments not reported for their current period."""

    unit_id: int
    name: str
    missing: int


@dataclass(frozen=True)
class UpcomingDeadline:
    task_id: int
    title: str
    item_number: int
    item_title: str
    campaign_code: str
    period_key: str
    period_label: str
    due: datetime.date
    days_left: int
    assigned: int
    reported: int


@dataclass
class ReviewFigures:
    today: datetime.date
    waiting_total: int = 0
    waiting: list[WaitingReport] = field(default_factory=list)
    waiting_by_item: list[ItemCount] = field(default_factory=list)
    returned_total: int = 0
    returned: list[ReturnedReport] = field(default_factory=list)
    units_not_reported: list[UnitGap] = field(default_factory=list)
    deadlines: list[UpcomingDeadline] = field(default_factory=list)

    @property
    def assignments_not_reported(self) -> int:
        return sum(gap.missing for gap in self.units_not_reported)

    @property
    def deadline_end(self) -> datetime.date:
        return self.today + DEADLINE_WINDOW


def _days(today, moment):
    if moment is None:
        return None, None
    day = timezone.localdate(moment)
    return day, (today - day).days


def review_figures(today: datetime.date, campaign=None, *, limit: int = 10) -> ReviewFigures:
    """The dashboard's figures as of `today`, across launched campaigns or for `campaign`.

    The *current period* of an assignment is its most recent reporting period whose due date
    is on or before `today` (the periods of `periods_for`, with the assignment's own deadline
    if it has one); an assignment none of whose periods is due yet has no current period.
    It is *not reported* when it has no submitted or accepted report for that period.
    Units no longer active are left out of "not reported" and of the deadlines' unit counts:
    nobody can report for them.

    Lists of reports hold the `limit` oldest; totals count all. Eight queries at most,
    whatever the number of units, assignments and reports.
    """
    if campaign is not None:
        scope = Q(task__item__campaign=campaign)
        reports = ProgressReport.objects.filter(assignment__task__item__campaign=campaign)
        tallies = ReportTally.objects.filter(item__campaign=campaign)
    else:
        scope = Q(task__item__campaign__status=CampaignStatus.LAUNCHED)
        reports = ProgressReport.objects.filter(
            assignment__task__item__campaign__status=CampaignStatus.LAUNCHED)
        tallies = ReportTally.objects.filter(item__campaign__status=CampaignStatus.LAUNCHED)
    figures = ReviewFigures(today=today)

    _review_lists(figures, reports, tallies, today, limit)
    _period_figures(figures, scope, today)
    return figures


def _review_lists(figures, reports, tallies, today, limit):
    """Totals and counts by item from the tallies (`tasks.tally`), the oldest reports from
    the reports themselves."""
    related = ("assignment__unit", "assignment__task__item__campaign")
    counts = tallies.aggregate(waiting=Coalesce(Sum("waiting"), 0),
                               returned=Coalesce(Sum("returned"), 0))
    figures.waiting_total = counts["waiting"]
    figures.returned_total = counts["returned"]

    waiting = (reports.filter(status=ReportStatus.SUBMITTED).select_related(*related)
               .order_by(F("submitted_at").asc(nulls_first=True), "id")[:limit])
    figures.waiting = [WaitingReport(r, *_days(today, r.submitted_at)) for r in waiting]

    by_item = (tallies.filter(waiting__gt=0)
               .values("item_id", "item__number", "item__short_title", "item__campaign__number",
                       "item__campaign__symbol")
               .annotate(n=Sum("waiting"))
               .order_by("-n", "item__campaign__number", "item__number"))
    figures.waiting_by_item = [
        ItemCount(item_id=row["item_id"], number=row["item__number"],
                  title=row["item__short_title"],
                  campaign_code=f"{row['item__campaign__number']}/"
                                f"{row['item__campaign__symbol']}",
                  count=row["n"])
        for row in by_item
    ]

    returned = (reports.filter(status=ReportStatus.RETURNED).select_related(*related)
                .order_by(F("reviewed_at").asc(nulls_first=True), "id")[:limit])
    figures.returned = [ReturnedReport(r, *_days(today, r.reviewed_at)) for r in returned]


def _period_figures(figures, scope, today):
    """Not-reported units and upcoming deadlines: periods are computed in Python once per
    (task, effective deadline) group, then matched against reports in the database."""
    assignments = Assignment.objects.filter(scope).annotate(
        effective_deadline=Coalesce("deadline", "task__deadline"))
    # Grouped by (task, deadline) alone, the tasks' details read after: carrying their titles
    # through the grouping of every assignment took three times as long.
    groups = list(assignments.filter(unit__is_active=True)
                  .values("task_id", "effective_deadline")
                  .annotate(units=Count("id"))
                  .order_by())
    details = {row["task_id"]: row for row in Task.objects.filter(
        pk__in={group["task_id"] for group in groups}).order_by().values(
        task_id=F("id"), task__cadence=F("cadence"), task__title=F("title"),
        task__item__number=F("item__number"), task__item__short_title=F("item__short_title"),
        task__item__campaign__year=F("item__campaign__year"),
        task__item__campaign__number=F("item__campaign__number"),
        task__item__campaign__symbol=F("item__campaign__symbol"))} if groups else {}
    groups = [{**details[group["task_id"]], **group} for group in groups]

    current = defaultdict(dict)  # task id → {effective deadline: current period key or None}
    upcoming = {}  # (task id, period key) → the deadline row, its unit count summed over groups
    end = today + DEADLINE_WINDOW
    for group in groups:
        periods = periods_for(group["task__cadence"], group["task__item__campaign__year"],
                              group["effective_deadline"])
        due = [p for p in periods if p.due <= today]
        current[group["task_id"]][group["effective_deadline"]] = due[-1].key if due else None
        for period in periods:
            if today <= period.due <= end:
                _add_upcoming(upcoming, group, period, today)

    figures.units_not_reported = _units_not_reported(assignments, current)
    figures.deadlines = _with_reported_counts(upcoming)


def _current_period_expression(current):
    """CASE mapping each assignment to its current period key: one WHEN per distinct key."""
    whole = defaultdict(list)  # key → tasks whose every group has that key
    partial = defaultdict(list)  # key → (task, deadline) pairs of tasks with several keys
    for task_id, by_deadline in current.items():
        keys = set(by_deadline.values())
        if len(keys) == 1:
            whole[keys.pop()].append(task_id)
        else:
            for deadline, key in by_deadline.items():
                partial[key].append((task_id, deadline))
    whens = []
    for key in sorted(set(whole) | set(partial), key=str):
        if key is None:
            continue
        conditions = [Q(task_id__in=whole[key])] if whole[key] else []
        conditions += [Q(task_id=task_id, effective_deadline=deadline)
                       for task_id, deadline in partial[key]]
        whens.append(When(reduce(operator.or_, conditions), then=Value(key)))
    return whens


def _units_not_reported(assignments, current):
    whens = _current_period_expression(current)
    if not whens:
        return []
    # Only the current periods' reports can match: saying so lets PostgreSQL read those through
    # the (period, status) index instead of hashing every report of every period.
    keys = sorted({key for by_deadline in current.values() for key in by_deadline.values()
                   if key is not None})
    reported = ProgressReport.objects.filter(assignment=OuterRef("pk"),
                                             period=OuterRef("current_period"),
                                             status__in=REPORTED, period__in=keys)
    rows = (assignments.filter(unit__is_active=True)
            .annotate(current_period=Case(*whens, default=None, output_field=CharField()))
            .filter(current_period__isnull=False)
            .filter(~Exists(reported))
            .values("unit_id", "unit__name")
            .annotate(missing=Count("id"))
            .order_by("-missing", "unit__name", "unit_id"))
    return [UnitGap(unit_id=row["unit_id"], name=row["unit__name"], missing=row["missing"])
            for row in rows]


def _add_upcoming(upcoming, group, period, today):
    key = (group["task_id"], period.key)
    found = upcoming.get(key)
    if found is not None:
        # Units with their own deadline share the period; the earliest due date is shown.
        found["assigned"] += group["units"]
        found["due"] = min(found["due"], period.due)
        found["days_left"] = (found["due"] - today).days
        return
    upcoming[key] = {
        "task_id": group["task_id"], "title": group["task__title"],
        "item_number": group["task__item__number"],
        "item_title": group["task__item__short_title"],
        "campaign_code": f"{group['task__item__campaign__number']}/"
                         f"{group['task__item__campaign__symbol']}",
        "period_key": period.key, "period_label": period.label, "due": period.due,
        "days_left": (period.due - today).days, "assigned": group["units"],
    }


def _with_reported_counts(upcoming):
    if not upcoming:
        return []
    task_ids = {task_id for task_id, _key in upcoming}
    keys = {key for _task, key in upcoming}
    counts = {
        (row["assignment__task_id"], row["period"]): row["n"]
        for row in ProgressReport.objects.filter(
            assignment__task_id__in=task_ids, period__in=keys, status__in=REPORTED,
            assignment__unit__is_active=True)
        .values("assignment__task_id", "period").annotate(n=Count("id")).order_by()
    }
    rows = [UpcomingDeadline(**row, reported=counts.get(key, 0)) for key, row in upcoming.items()]
    rows.sort(key=lambda d: (d.due, d.item_number, d.title, d.task_id))
    return rows
