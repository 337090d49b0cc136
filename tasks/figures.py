"""How far a campaign's work has got: the figures the dashboards show, in a fixed number of
queries whatever the number of units.

A *due period* is one reporting period of one assignment whose due date has passed (monthly and
quarterly tasks have one per month or quarter, a one-off task one at its deadline). It is
*reported* when its report was submitted or accepted, *on time* when that happened by the due
date, and *overdue* when it is not reported. Completion is reported ÷ due. These are the same
definitions the unit pages use (`Assignment.overdue_count`) and that scoring's timeliness rule
counts.

Four queries of the tallies `tasks.tally` keeps in step with every write (a few rows per unit
and content item, never the reports themselves): assignments by (unit, content item, cadence,
deadline) — due periods follow from those in Python, once per distinct (cadence, deadline);
the reports' counts by (unit, item); the same by due date for the periods outside the range
asked for, taken off; and reports sent by (due date, month sent) for the month-by-month trend.
`tally.rebuild()` computes the same tallies straight from the reports.
"""

import calendar
import datetime
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache

from django.db.models import Q, Sum

from .models import (
    AssignmentTally,
    DueReportTally,
    ReportStatus,
    ReportTally,
    SubmissionTally,
    periods_for,
)
from .queries import as_date, driver_rows
from .tally import COUNTS

REPORTED = (ReportStatus.SUBMITTED, ReportStatus.ACCEPTED)


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


class Cells(Mapping):
    """(unit, item) → Progress, made when asked: a page shows a few dozen of ten thousand."""

    def __init__(self, counts=None):
        self._counts = counts if counts is not None else {}

    def __getitem__(self, key):
        return Progress(*self._counts[key])

    def __iter__(self):
        return iter(self._counts)

    def __len__(self):
        return len(self._counts)


@dataclass
class CampaignProgress:
    today: datetime.date
    total: Progress = field(default_factory=Progress)
    by_item: dict = field(default_factory=lambda: defaultdict(Progress))
    by_unit: dict = field(default_factory=lambda: defaultdict(Progress))
    grid: Cells = field(default_factory=Cells)  # (unit, item) → Progress
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


def campaign_progress(campaign, *, today, unit_kinds=None, unit_ids=None, quarter=None,
                      trend=True, group="cell") -> CampaignProgress:
    """Every figure of a campaign's progress as of `today`.

    `unit_kinds` / `unit_ids` narrow to some units; `quarter` (1–4) counts only the periods due
    in that quarter of the campaign's year. The trend covers the whole year regardless.
    `group` says which slices are filled besides `total`: "cell" fills `grid` (unit × item),
    `by_unit` and `by_item` from a few rows per unit and item; "unit" and "item" have the
    database sum the tallies per unit or per item and fill only `by_unit` or `by_item` — a
    thousand units' cells need not cross Python for a page that shows no grid.
    """
    year = campaign.year
    start, end = quarter_bounds(year, quarter)
    until = min(today, end)
    keys = GROUPS[group]

    def narrow(rows):
        rows = rows.filter(**{_CAMPAIGN[rows.model]: campaign})
        if unit_kinds:
            rows = rows.filter(unit__kind__in=unit_kinds)
        if unit_ids is not None:
            rows = rows.filter(unit_id__in=unit_ids)
        return rows.order_by()

    def read(rows, *columns, counts, few=False):
        """(unit id or None, item id or None, *columns, *counts) per tally row, or summed per
        slice by the database when the slice is coarser than the rows — unless they are `few`:
        grouping those made SQLite walk a whole index in the grouping's order. The driver's
        rows as they come: Django's conversion of each row cost as much as the counting."""
        if group == "cell" or few:
            found = rows.values_list(*keys, *columns, *counts)
        else:
            found = rows.values_list(*keys, *columns).annotate(*(Sum(name) for name in counts))
        found = driver_rows(found)
        if group == "unit":
            return ((key, None, *rest) for key, *rest in found)
        if group == "item":
            return ((None, key, *rest) for key, *rest in found)
        return found

    # (unit, item) → [assignments, due, reported, on_time, accepted, waiting, returned]: plain
    # lists while counting, Progress objects once at the end (ten thousand cells in a province).
    cells = {}
    due_in_scope = {}  # due dates → how many of them fall in [start, until]
    due_by_dates = defaultdict(int)  # due dates → assignments, for the trend
    assignments = narrow(AssignmentTally.objects.filter(assignments__gt=0))
    for unit_id, item_id, cadence, deadline, count in read(
            assignments, "cadence", "deadline", counts=("assignments",)):
        dates = _due_dates(cadence, year, deadline)
        due = due_in_scope.get(dates)
        if due is None:
            due = due_in_scope[dates] = sum(1 for day in dates if start <= day <= until)
        key = (unit_id, item_id)
        cell = cells.get(key) or cells.setdefault(key, [0, 0, 0, 0, 0, 0, 0])
        cell[0] += count
        cell[1] += due * count
        due_by_dates[dates] += count

    # Reported, on time and accepted count only the periods due in [start, until]. For the
    # year to date, the counts of every due date less those due outside it (the few reports
    # sent before their period ended): rows read through the due-date index. For a quarter,
    # the sums of its due dates.
    whole_year = quarter is None
    for unit_id, item_id, reported, on_time, accepted, waiting, returned in read(
            narrow(ReportTally.objects), counts=COUNTS):
        key = (unit_id, item_id)
        cell = cells.get(key) or cells.setdefault(key, [0, 0, 0, 0, 0, 0, 0])
        if whole_year:
            cell[2] += reported
            cell[3] += on_time
            cell[4] += accepted
        cell[5] += waiting
        cell[6] += returned
    if whole_year:
        due = narrow(DueReportTally.objects.filter(Q(period_due__lt=start)
                                                   | Q(period_due__gt=until)))
        sign = -1
    else:
        due = narrow(DueReportTally.objects.filter(period_due__gte=start, period_due__lte=until))
        sign = 1
    # The year to date reads the few reports sent before their period ended.
    for unit_id, item_id, reported, on_time, accepted in read(
            due, counts=("reported", "on_time", "accepted"), few=whole_year):
        key = (unit_id, item_id)
        cell = cells.get(key) or cells.setdefault(key, [0, 0, 0, 0, 0, 0, 0])
        cell[2] += sign * reported
        cell[3] += sign * on_time
        cell[4] += sign * accepted

    result = CampaignProgress(today=today)
    per_unit, per_item = defaultdict(list), defaultdict(list)
    if group == "cell":
        result.grid = Cells(cells)
    for key, counts in cells.items():
        if group != "item":
            per_unit[key[0]].append(counts)
        if group != "unit":
            per_item[key[1]].append(counts)
    for unit_id, found in per_unit.items():
        result.by_unit[unit_id] = Progress(*map(sum, zip(*found, strict=True)))
    for item_id, found in per_item.items():
        result.by_item[item_id] = Progress(*map(sum, zip(*found, strict=True)))
    if cells:
        result.total = Progress(*map(sum, zip(*cells.values(), strict=True)))
    if trend:
        result.months = _months(year, today, narrow(SubmissionTally.objects), due_by_dates)
    return result


# How each tally reaches its campaign.
_CAMPAIGN = {AssignmentTally: "item__campaign", ReportTally: "item__campaign",
             DueReportTally: "campaign", SubmissionTally: "campaign"}


def _months(year, today, submissions, due_by_dates) -> list[Month]:
    """Month by month up to today: completion at the month's end, and late submissions."""
    # (due date, month sent) → reports sent, sent late, reported now: a few dozen rows.
    rows = list(submissions.values_list("period_due", "month")
                .annotate(Sum("submitted"), Sum("late"), Sum("reported")))
    months = []
    last = 12 if today.year > year else (today.month if today.year == year else 0)
    for month in range(1, last + 1):
        first = datetime.date(year, month, 1)
        month_end = datetime.date(year, month, calendar.monthrange(year, month)[1])
        due = sum(count for dates, count in due_by_dates.items() for day in dates
                  if day <= month_end)
        done = sum(kept for due_on, sent, _n, _late, kept in rows
                   if due_on <= month_end and sent <= first)
        months.append(Month(
            key=f"{year}-{month:02d}", label=f"{month:02d}/{year}",
            completion=min(1.0, done / due) if due else None,
            late=sum(late for _d, sent, _n, late, _k in rows if sent == first),
            submitted=sum(n for _d, sent, n, _l, _k in rows if sent == first)))
    return months
