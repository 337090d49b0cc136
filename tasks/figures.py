"""How far a campaign's work has got: the figures the dashboards show, in a fixed number of
queries whatever the number of units.

A *due period* is one reporting period of one assignment whose due date has passed (monthly and
quarterly tasks have one per month or quarter, a one-off task one at its deadline). It is
*reported* when its report was submitted or accepted, *on time* when that happened by the due
date, and *overdue* when it is not reported. Completion is reported ÷ due. These are the same
definitions the unit pages use (`Assignment.overdue_count`) and that scoring's timeliness rule
counts.

Three grouped queries: assignments by (unit, content item, cadence, deadline) — due periods
follow from those in Python, once per distinct (cadence, deadline); reports by (unit, item,
status, lateness); and reports by (due date, submission day) for the month-by-month trend.
"""

import calendar
import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache

from django.db.models import Count, F, Q
from django.db.models.functions import Coalesce
from django.db.models.lookups import GreaterThan, LessThanOrEqual

from .models import Assignment, ProgressReport, ReportStatus, periods_for
from .queries import LocalDate

REPORTED = (ReportStatus.SUBMITTED, ReportStatus.ACCEPTED)


@dataclass
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
        for name in ("assignments", "due", "reported", "on_time", "accepted", "waiting",
                     "returned"):
            setattr(self, name, getattr(self, name) + getattr(other, name))


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
    grid: dict = field(default_factory=lambda: defaultdict(Progress))  # (unit, item) → Progress
    months: list = field(default_factory=list)


@lru_cache(maxsize=512)
def _due_dates(cadence: str, year: int, deadline: datetime.date) -> tuple[datetime.date, ...]:
    return tuple(period.due for period in periods_for(cadence, year, deadline))


def quarter_bounds(year: int, quarter: int | None):
    """The first and last day of a quarter of `year` (the whole year when None)."""
    if not quarter:
        return datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    last_month = quarter * 3
    return (datetime.date(year, last_month - 2, 1),
            datetime.date(year, last_month, calendar.monthrange(year, last_month)[1]))


def campaign_progress(campaign, *, today, unit_kinds=None, unit_ids=None, quarter=None,
                      trend=True) -> CampaignProgress:
    """Every figure of a campaign's progress as of `today`.

    `unit_kinds` / `unit_ids` narrow to some units; `quarter` (1–4) counts only the periods due
    in that quarter of the campaign's year. The trend covers the whole year regardless.
    """
    year = campaign.year
    start, end = quarter_bounds(year, quarter)
    until = min(today, end)
    work = Assignment.objects.filter(task__item__campaign=campaign)
    if unit_kinds:
        work = work.filter(unit__kind__in=unit_kinds)
    if unit_ids is not None:
        work = work.filter(unit_id__in=unit_ids)
    result = CampaignProgress(today=today)
    due_by_group = []  # (unit, item, due dates, count) for the trend
    for unit_id, item_id, cadence, deadline, count in (
            work.order_by().values_list("unit_id", "task__item_id", "task__cadence")
            .annotate(due_date=Coalesce("deadline", "task__deadline"), n=Count("pk"))
            .values_list("unit_id", "task__item_id", "task__cadence", "due_date", "n")):
        dates = _due_dates(cadence, year, deadline)
        due = sum(1 for day in dates if start <= day <= until)
        cell = result.grid[(unit_id, item_id)]
        cell.assignments += count
        cell.due += due * count
        due_by_group.append((dates, count))

    reports = ProgressReport.objects.filter(assignment__in=work.values("pk")).order_by()
    in_scope = Q(period_due__gte=start, period_due__lte=until)
    reported = in_scope & Q(status__in=REPORTED)
    on_time = reported & LessThanOrEqual(LocalDate("submitted_at"), F("period_due"))
    for unit_id, item_id, n_reported, n_on_time, accepted, waiting, returned in (
            reports.values_list("assignment__unit_id", "assignment__task__item_id")
            .annotate(n_reported=Count("pk", filter=reported),
                      n_on_time=Count("pk", filter=on_time),
                      accepted=Count("pk", filter=in_scope & Q(status=ReportStatus.ACCEPTED)),
                      waiting=Count("pk", filter=Q(status=ReportStatus.SUBMITTED)),
                      returned=Count("pk", filter=Q(status=ReportStatus.RETURNED)))):
        cell = result.grid[(unit_id, item_id)]
        cell.reported += n_reported
        cell.on_time += n_on_time
        cell.accepted += accepted
        cell.waiting += waiting
        cell.returned += returned

    for (unit_id, item_id), cell in result.grid.items():
        result.total.add(cell)
        result.by_item[item_id].add(cell)
        result.by_unit[unit_id].add(cell)
    if trend:
        result.months = _months(year, today, reports, due_by_group)
    return result


def _months(year, today, reports, due_by_group) -> list[Month]:
    """Month by month up to today: completion at the month's end, and late submissions."""
    # (due date, submission day, reported now) → count: a few thousand rows at most.
    rows = (reports.filter(submitted_at__isnull=False)
            .values_list("period_due", LocalDate("submitted_at"))
            .annotate(n=Count("pk"),
                      late=Count("pk", filter=GreaterThan(LocalDate("submitted_at"),
                                                          F("period_due"))),
                      kept=Count("pk", filter=Q(status__in=REPORTED))))
    rows = [(due, _as_date(day), n, late, kept) for due, day, n, late, kept in rows]
    months = []
    last = 12 if today.year > year else (today.month if today.year == year else 0)
    for month in range(1, last + 1):
        first = datetime.date(year, month, 1)
        month_end = datetime.date(year, month, calendar.monthrange(year, month)[1])
        due = sum(count for dates, count in due_by_group for day in dates if day <= month_end)
        done = sum(kept for due_on, day, _n, _late, kept in rows
                   if due_on <= month_end and day <= month_end)
        months.append(Month(
            key=f"{year}-{month:02d}", label=f"{month:02d}/{year}",
            completion=min(1.0, done / due) if due else None,
            late=sum(late for _d, day, _n, late, _k in rows if first <= day <= month_end),
            submitted=sum(n for _d, day, n, _l, _k in rows if first <= day <= month_end)))
    return months


def _as_date(value) -> datetime.date:
    # SQLite's date() gives text; PostgreSQL a date.
    return value if isinstance(value, datetime.date) else datetime.date.fromisoformat(value)
