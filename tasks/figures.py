"""How far a campaign's work has got: the figures the dashboards show, in a fixed number of
queries whatever the number of units.

A *due period* is one reporting period of one assignment whose due date has passed (monthly and
quarterly tasks have one per month or quarter, a one-off task one at its deadline). It is
*reported* when its report was submitted or accepted, *on time* when that happened by the due
date, and *overdue* when it is not reported. Completion is reported ÷ due. These are the same
definitions the unit pages use (`Assignment.overdue_count`) and that scoring's timeliness rule
counts.

Four queries of the tallies `tasks.tallies` keeps in step with every write (a few rows per unit
and content item, never the reports themselves): assignments by (unit, content item, cadence,
deadline) — due periods follow from those in Python, once per distinct (cadence, deadline);
the reports' counts by (unit, item); the same by due date for the periods outside the range
asked for, taken off; and reports sent by (due date, month sent) for the month-by-month trend.
`tallies.rebuild()` computes the same tallies straight from the reports.
"""

import calendar
import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from typing import NamedTuple

from django.db import connection
from django.db.models import CharField, Q, Sum
from django.db.models.functions import Cast

from .models import (
    AssignmentTally,
    DueReportTally,
    ReportTally,
    SubmissionTally,
    periods_for,
)
from .queries import as_date, driver_rows
from .tallies import COUNTS


@dataclass(slots=True)
class Progress:
    """Counts for one slice of a campaign (the whole, a content item, a unit, a grid cell)."""

    assignments: int = 0
    due: int = 0
    reported: int = 0
    on_time: int = 0
    accepted: int = 0
    waiting: int = 0  # submitted, not yet reviewed
    returned: int = 0  # returned, not yet resubmitted

    @property
    def overdue(self) -> int:
        return max(0, self.due - self.reported)

    @property
    def late(self) -> int:
        return self.reported - self.on_time

    @property
    def completion(self) -> float | None:
        return self.reported / self.due if self.due else None

    @property
    def on_time_share(self) -> float | None:
        return self.on_time / self.due if self.due else None

    def add(self, other: "Progress") -> None:
        self.assignments += other.assignments
        self.due += other.due
        self.reported += other.reported
        self.on_time += other.on_time
        self.accepted += other.accepted
        self.waiting += other.waiting
        self.returned += other.returned


@dataclass(frozen=True)
class Month:
    key: str  # "2022-05"
    label: str  # "05/2022"
    completion: float | None  # share of the periods due by the month's end reported by then
    late: int  # reports submitted that month after their due date
    submitted: int  # reports submitted that month


@dataclass
class CampaignProgress:
    today: datetime.date
    total: Progress = field(default_factory=Progress)
    by_item: dict = field(default_factory=lambda: defaultdict(Progress))
    by_unit: dict = field(default_factory=lambda: defaultdict(Progress))
    grid: dict = field(default_factory=dict)  # (unit, item) → Progress
    months: list = field(default_factory=list)


@lru_cache(maxsize=512)
def _due_dates(cadence: str, year: int, deadline) -> tuple[datetime.date, ...]:
    """The due dates of one (cadence, deadline); the deadline as the driver returns it (SQLite
    gives text: converting ten thousand rows' dates cost more than the rest of the count)."""
    return tuple(period.due for period in periods_for(cadence, year, as_date(deadline)))


def quarter_bounds(year: int, quarter: int | None):
    """The first and last day of a quarter of `year` (the whole year when None)."""
    if not quarter:
        return datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    last_month = quarter * 3
    return (datetime.date(year, last_month - 2, 1),
            datetime.date(year, last_month, calendar.monthrange(year, last_month)[1]))


# The slices `campaign_progress` can count by, and the tally columns each groups on.
GROUPS = {"cell": ("unit_id", "item_id"), "unit": ("unit_id",), "item": ("item_id",)}

# How each tally reaches its campaign.
_CAMPAIGN = {AssignmentTally: "item__campaign", ReportTally: "item__campaign",
             DueReportTally: "campaign", SubmissionTally: "campaign"}


def campaign_progress(campaign, *, today, unit_kinds=None, unit_ids=None, quarter=None,
                      trend=True, group="cell") -> CampaignProgress:
    """Every figure of a campaign's progress as of `today`.

    `unit_kinds` / `unit_ids` narrow to some units; `quarter` (1–4) counts only the periods due
    in that quarter of the campaign's year. The trend covers the whole year regardless.
    `group` says which slices are filled besides `total`: "cell" fills `grid` (unit × item),
    `by_unit` and `by_item` from a few rows per unit and item; "unit" and "item" have the
    database sum the tallies per unit or per item and fill only `by_unit` or `by_item` — a
    thousand units' cells need not cross Python for a page that shows no grid.

    In order: the assignments give each cell its due periods, the reports its counts, the
    counts of periods outside the window are taken off (or those inside it summed), and the
    cells add up into the slices asked for.
    """
    scope = _Scope(campaign, today=today, quarter=quarter, group=group,
                   unit_kinds=unit_kinds, unit_ids=unit_ids)
    cells = {}  # (unit id or None, item id or None) → Progress
    due_by_dates = _count_assignments(scope, cells)
    _count_reports(scope, cells)
    _count_window(scope, cells)
    result = _add_up(cells, today=today, group=group)
    if trend:
        result.months = _months(scope.year, today, scope.narrow(SubmissionTally.objects),
                                due_by_dates)
    return result


class _Scope:
    """What one `campaign_progress` counts: the campaign's tallies narrowed to some units, the
    window of due dates [start, until], and the slice the rows are grouped by."""

    def __init__(self, campaign, *, today, quarter, group, unit_kinds, unit_ids):
        self.campaign = campaign
        self.year = campaign.year
        self.start, end = quarter_bounds(self.year, quarter)
        self.until = min(today, end)
        self.whole_year = quarter is None
        self.group = group
        self.keys = GROUPS[group]
        self.unit_kinds, self.unit_ids = unit_kinds, unit_ids

    def narrow(self, rows):
        rows = rows.filter(**{_CAMPAIGN[rows.model]: self.campaign})
        if self.unit_kinds:
            rows = rows.filter(unit__kind__in=self.unit_kinds)
        if self.unit_ids is not None:
            rows = rows.filter(unit_id__in=self.unit_ids)
        return rows.order_by()

    def read(self, rows, *columns, counts, few=False):
        """(unit id or None, item id or None, *columns, *counts) per tally row, or summed per
        slice by the database when the slice is coarser than the rows — unless they are `few`:
        grouping those made SQLite walk a whole index in the grouping's order. The driver's
        rows as they come: Django's conversion of each row cost as much as the counting."""
        if self.group == "cell" or few:
            found = rows.values_list(*self.keys, *columns, *counts)
        else:
            found = (rows.values_list(*self.keys, *columns)
                     .annotate(*(Sum(name) for name in counts)))
        found = driver_rows(found)
        if self.group == "unit":
            return ((key, None, *rest) for key, *rest in found)
        if self.group == "item":
            return ((None, key, *rest) for key, *rest in found)
        return found


def _count_assignments(scope, cells) -> dict:
    """Each cell's assignments and the periods they have due in the window. Returns due dates
    → assignments, for the trend."""
    due_in_scope = {}  # due dates → how many of them fall in [start, until]
    due_by_dates = defaultdict(int)
    assignments = scope.narrow(AssignmentTally.objects.filter(assignments__gt=0))
    # On SQLite the deadline as its stored text: read as the date column it is declared, the
    # driver parsed it on each of ten thousand rows (a third of the read); `_due_dates`
    # takes either, and only a few distinct deadlines are ever parsed.
    deadline_column = (Cast("deadline", CharField()) if connection.vendor == "sqlite"
                       else "deadline")
    for unit_id, item_id, cadence, deadline, count in scope.read(
            assignments, "cadence", deadline_column, counts=("assignments",)):
        dates = _due_dates(cadence, scope.year, deadline)
        due = due_in_scope.get(dates)
        if due is None:
            due = due_in_scope[dates] = sum(1 for day in dates
                                            if scope.start <= day <= scope.until)
        key = (unit_id, item_id)
        cell = cells.get(key) or cells.setdefault(key, Progress())
        cell.assignments += count
        cell.due += due * count
        due_by_dates[dates] += count
    return due_by_dates


def _count_reports(scope, cells) -> None:
    """Each cell's reports waiting and returned, whatever their due date; for the year to date
    also every report reported, on time and accepted (`_count_window` takes off the few due
    outside it)."""
    for unit_id, item_id, reported, on_time, accepted, waiting, returned in scope.read(
            scope.narrow(ReportTally.objects), counts=COUNTS):
        key = (unit_id, item_id)
        cell = cells.get(key) or cells.setdefault(key, Progress())
        if scope.whole_year:
            cell.reported += reported
            cell.on_time += on_time
            cell.accepted += accepted
        cell.waiting += waiting
        cell.returned += returned


def _count_window(scope, cells) -> None:
    """Reported, on time and accepted count only the periods due in [start, until]. For the
    year to date, the counts of every due date (`_count_reports`) less those due outside it —
    the few reports sent before their period ended, read through the due-date index. For a
    quarter, the sums of its due dates."""
    if scope.whole_year:
        due = DueReportTally.objects.filter(Q(period_due__lt=scope.start)
                                            | Q(period_due__gt=scope.until))
        sign = -1
    else:
        due = DueReportTally.objects.filter(period_due__gte=scope.start,
                                            period_due__lte=scope.until)
        sign = 1
    for unit_id, item_id, reported, on_time, accepted in scope.read(
            scope.narrow(due), counts=("reported", "on_time", "accepted"),
            few=scope.whole_year):
        key = (unit_id, item_id)
        cell = cells.get(key) or cells.setdefault(key, Progress())
        cell.reported += sign * reported
        cell.on_time += sign * on_time
        cell.accepted += sign * accepted


def _add_up(cells, *, today, group) -> CampaignProgress:
    """The cells summed into the total and the slices `group` asks for."""
    result = CampaignProgress(today=today)
    if group == "cell":
        result.grid = cells
    by_unit, by_item = result.by_unit, result.by_item
    for (unit_id, item_id), cell in cells.items():
        if group != "item":
            by_unit[unit_id].add(cell)
        if group != "unit":
            by_item[item_id].add(cell)
    # The total from a slice's sums, not the cells again: a few dozen additions instead of
    # ten thousand at province scale (whole numbers: the same total either way).
    for part in (by_unit if group == "unit" else by_item).values():
        result.total.add(part)
    return result


class _Sent(NamedTuple):
    """Reports sent in one month for one due date (`SubmissionTally` summed)."""

    period_due: datetime.date
    month: datetime.date  # its first day
    submitted: int
    late: int
    reported: int  # and now submitted or accepted


def _months(year, today, submissions, due_by_dates) -> list[Month]:
    """Month by month up to today: completion at the month's end, and late submissions."""
    # A few dozen rows.
    rows = [_Sent(*row) for row in submissions.values_list("period_due", "month")
            .annotate(Sum("submitted"), Sum("late"), Sum("reported"))]
    months = []
    last = 12 if today.year > year else (today.month if today.year == year else 0)
    for month in range(1, last + 1):
        first = datetime.date(year, month, 1)
        month_end = datetime.date(year, month, calendar.monthrange(year, month)[1])
        due = sum(count for dates, count in due_by_dates.items() for day in dates
                  if day <= month_end)
        done = sum(row.reported for row in rows
                   if row.period_due <= month_end and row.month <= first)
        months.append(Month(
            key=f"{year}-{month:02d}", label=f"{month:02d}/{year}",
            completion=min(1.0, done / due) if due else None,
            late=sum(row.late for row in rows if row.month == first),
            submitted=sum(row.submitted for row in rows if row.month == first)))
    return months
