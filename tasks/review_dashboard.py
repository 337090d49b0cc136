"""The figures of the Office and Union dashboard: pure reads, a fixed number of queries.

`review_figures` answers four questions across launched campaigns (or one campaign):
what waits for review, which units have not reported for the current period, which returned
reports were not sent back, and which reporting deadlines fall in the next two weeks.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Case, CharField, Count, DateField, F, Q, Sum, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from campaigns.models import CampaignStatus
from units.collation import sort_key
from units.models import Unit

from .models import (
    Assignment,
    AssignmentTally,
    DueReportTally,
    ProgressReport,
    ReportStatus,
    ReportTally,
    Task,
    periods_for,
)

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

    Lists of reports hold the `limit` oldest; totals count all. Nine queries at most,
    whatever the number of units, assignments and reports.
    """
    if campaign is not None:
        reports = ProgressReport.objects.filter(assignment__task__item__campaign=campaign)
        tallies = ReportTally.objects.filter(item__campaign=campaign)
    else:
        reports = ProgressReport.objects.filter(
            assignment__task__item__campaign__status=CampaignStatus.LAUNCHED)
        tallies = ReportTally.objects.filter(item__campaign__status=CampaignStatus.LAUNCHED)
    figures = ReviewFigures(today=today)

    _review_lists(figures, reports, tallies, today, limit)
    campaigns = ({"item__campaign": campaign} if campaign is not None
                 else {"item__campaign__status": CampaignStatus.LAUNCHED})
    figures.units_not_reported = _units_not_reported(campaigns, today)
    figures.deadlines = _deadlines(campaigns, today)
    return figures


def _review_lists(figures, reports, tallies, today, limit):
    """Totals and counts by item from the tallies (`tasks.tallies`), the oldest reports from
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


def _deadlines(campaigns, today):
    """The reporting deadlines of the next two weeks: periods are computed in Python once per
    (task, effective deadline) group, then counted against the reports in the database."""
    # Grouped by (task, own deadline) alone, the tasks' details (and deadlines) read after:
    # carrying their titles through the grouping of every assignment took three times as
    # long; grouping on the own deadline rather than on COALESCE(own, task's) took a fifth
    # less on SQLite at province scale. The own deadline falls back to the task's below, where
    # the groups that then share a deadline are added together.
    # Every assignment counted from the (task, deadline) index, then those of inactive units
    # (nobody can report for them; few or none) taken off, in one statement: the join to each
    # assignment's unit to ask whether it is active cost as much as the counting itself.
    # Both read through the task ids as a list (`task__in`), not a join per assignment, so
    # that SQLite walks the index task by task; the inactive units likewise by their ids.
    assigned = (Assignment.objects.filter(task__in=Task.objects.filter(**campaigns))
                .values_list("task_id", "deadline"))
    own = list(assigned.annotate(units=Count("*")).order_by().union(
        assigned.filter(unit__in=Unit.objects.filter(is_active=False))
        .annotate(units=-Count("*")).order_by(), all=True))
    details = {row["task_id"]: row for row in Task.objects.filter(
        pk__in={task_id for task_id, _deadline, _units in own}).order_by().values(
        "deadline", task_id=F("id"), task__cadence=F("cadence"), task__title=F("title"),
        task__item__number=F("item__number"), task__item__short_title=F("item__short_title"),
        task__item__campaign__year=F("item__campaign__year"),
        task__item__campaign__number=F("item__campaign__number"),
        task__item__campaign__symbol=F("item__campaign__symbol"))} if own else {}
    units = defaultdict(int)  # (task id, effective deadline) → active units assigned
    for task_id, deadline, count in own:
        units[(task_id, deadline if deadline is not None else details[task_id]["deadline"])] \
            += count
    groups = [{**details[task_id], "effective_deadline": deadline, "units": count}
              for (task_id, deadline), count in units.items() if count]  # some active unit

    upcoming = {}  # (task id, period key) → the deadline row, its unit count summed over groups
    end = today + DEADLINE_WINDOW
    for group in groups:
        for period in periods_for(group["task__cadence"], group["task__item__campaign__year"],
                                  group["effective_deadline"]):
            if today <= period.due <= end:
                _add_upcoming(upcoming, group, period, today)
    return _with_reported_counts(upcoming)


def _units_not_reported(campaigns, today):
    """Per active unit, the assignments with no submitted or accepted report for their current
    period, from the tallies, in two queries that return only the units missing some.

    The current period follows from (cadence, year, deadline) alone, and a province has a few
    such combinations: the first query lists them, Python finds each one's current period
    (`periods_for`), and the second counts in the database — assignments by (unit, item,
    current period) from `AssignmentTally`, less those the `DueReportTally` row of that
    period reports, never below nought, summed per unit. Counting ten thousand tally rows in
    Python, their dates parsed one by one, was most of the page at province scale.
    """
    scope = AssignmentTally.objects.filter(**campaigns, assignments__gt=0).order_by()
    current = []  # (the rows of one (cadence, year, deadline), its current period)
    for cadence, year, deadline in scope.values_list(
            "cadence", "item__campaign__year", "deadline").distinct():
        due = [p for p in periods_for(cadence, year, deadline) if p.due <= today]
        if due:
            current.append((Q(cadence=cadence, item__campaign__year=year, deadline=deadline),
                            due[-1]))
    if not current:
        return []
    expected = (scope.filter(unit__is_active=True)
                .annotate(period=Case(*(When(match, then=Value(period.key))
                                        for match, period in current),
                                      output_field=CharField()),
                          due=Case(*(When(match, then=Value(period.due))
                                     for match, period in current),
                                   output_field=DateField()))
                .filter(period__isnull=False))
    if len({(period.key, period.due) for _match, period in current}) == len(current):
        # No two combinations share a current period, so no two tally rows of a (unit, item)
        # do: each row is its own (unit, item, period). Grouping ten thousand rows that are
        # already apart took a third of the query on SQLite.
        expected = expected.values("unit_id", "item_id", "period", "due", n=F("assignments"))
    else:
        expected = (expected.values("unit_id", "item_id", "period", "due")
                    .annotate(n=Sum("assignments")))
    inner, params = expected.query.sql_with_params()
    # One report per assignment and period: never more reported than assigned, unless a
    # one-off task's deadline moved after its report was written (then its due date differs);
    # hence the floor at nought per (unit, item, period).
    short = ("CASE WHEN e.n > COALESCE(d.reported, 0) THEN e.n - COALESCE(d.reported, 0) "
             "ELSE 0 END")
    # The due-date tally's rows also narrowed to the current periods' keys and due dates
    # (what the join asks anyway): without it PostgreSQL hashed all of its rows, every period
    # of the year, which took longer than the rest of the page.
    keys = sorted({period.key for _match, period in current})
    dues = sorted({period.due for _match, period in current})
    sql = (f"SELECT e.unit_id, u.name, SUM({short}) FROM ({inner}) e "
           f"JOIN {Unit._meta.db_table} u ON u.id = e.unit_id "
           f"LEFT JOIN {DueReportTally._meta.db_table} d ON d.unit_id = e.unit_id "
           "AND d.item_id = e.item_id AND d.period = e.period AND d.period_due = e.due "
           f"AND d.period IN ({', '.join(['%s'] * len(keys))}) "
           f"AND d.period_due IN ({', '.join(['%s'] * len(dues))}) "
           f"GROUP BY e.unit_id, u.name HAVING SUM({short}) > 0")
    with connection.cursor() as cursor:
        cursor.execute(sql, (*params, *keys,
                             *(connection.ops.adapt_datefield_value(due) for due in dues)))
        # int(): PostgreSQL sums a bigint into a numeric.
        gaps = [UnitGap(unit_id=unit_id, name=name, missing=int(missing))
                for unit_id, name, missing in cursor.fetchall()]
    # The most missing first; by name in Vietnamese order (`sort_key` is the order `vi`
    # sorts by on both databases), then by id, within a count.
    gaps.sort(key=lambda gap: (-gap.missing, sort_key(gap.name), gap.unit_id))
    return gaps


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
