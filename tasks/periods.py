"""The lists behind the dashboards' figures: each counts its rows exactly as the figure does.

A figure of `tasks.figures` (or of the follow-up page, `tasks.review_dashboard`) is a count of
one of these lists under the same filters — the campaign or every launched campaign, the unit
kinds, a quarter, a unit, a content item:

* *assignments* — the assignments;
* *due* — every reporting period of an assignment whose due date has passed (one row per
  assignment and period, with its report if there is one), and *overdue* — those without a
  submitted or accepted report. These pairs have no row of their own: the periods of each
  (campaign year, cadence, deadline) are computed once in Python (a few dozen), and the
  database joins them to the assignments as a VALUES table;
* *not_reported* — the assignments of active units without a submitted or accepted report for
  their current period (the latest already due), as the follow-up page counts them;
* *reported*, *on_time*, *late* — the reports submitted or accepted for those periods (by their
  due date, as the tallies count them); *waiting* and *returned* — the reports awaiting review
  and returned for correction, whatever their period, as the figures count them.

Every list is one count and one page of rows, then the objects of that page: a fixed number of
queries whatever the number of units and reports.
"""

import datetime
from dataclasses import dataclass

from django.db import connection
from django.db.models import F, Q
from django.db.models.functions import Coalesce
from django.db.models.lookups import GreaterThan, LessThanOrEqual
from django.utils.translation import gettext_lazy as _

from campaigns.models import CampaignStatus
from units.models import UNIT_KIND_GROUPS

from .figures import quarter_bounds
from .models import Assignment, AssignmentTally, ProgressReport, ReportStatus, periods_for
from .queries import LocalDate, as_date

REPORTED = (ReportStatus.SUBMITTED, ReportStatus.ACCEPTED)

# state → (heading of its list, what one row is). The order is the order of the page's tabs.
STATES = {
    "assignments": _("Assignments"),
    "due": _("Reporting periods due"),
    "overdue": _("Overdue reporting periods"),
    "reported": _("Reports sent for the periods due"),
    "on_time": _("Reports sent on time"),
    "late": _("Reports sent late"),
    "waiting": _("Reports awaiting review"),
    "returned": _("Returned reports not yet resubmitted"),
    "not_reported": _("Assignments not reported for their current period"),
}
PERIOD_STATES = ("due", "overdue", "not_reported")
# Lists that count whatever the period: a quarter does not narrow them.
ANY_PERIOD = ("assignments", "waiting", "returned", "not_reported")
REPORT_STATES = ("reported", "on_time", "late", "waiting", "returned")


def unit_kinds(value: str | None) -> tuple:
    """The unit kinds of a dashboard's `kind` filter: a group's kinds or one kind."""
    if not value:
        return ()
    return tuple(UNIT_KIND_GROUPS.get(value, (value,)))


@dataclass(frozen=True)
class Scope:
    """What a figure counted: the filters of the dashboard it stands on."""

    today: datetime.date
    campaign: object = None  # None: every launched campaign
    unit_kinds: tuple = ()
    unit_id: int | None = None
    item_id: int | None = None
    quarter: int | None = None

    def assignments(self):
        rows = Assignment.objects.all()
        if self.campaign is not None:
            rows = rows.filter(task__item__campaign=self.campaign)
        else:
            rows = rows.filter(task__item__campaign__status=CampaignStatus.LAUNCHED)
        if self.unit_kinds:
            rows = rows.filter(unit__kind__in=self.unit_kinds)
        if self.unit_id is not None:
            rows = rows.filter(unit_id=self.unit_id)
        if self.item_id is not None:
            rows = rows.filter(task__item_id=self.item_id)
        return rows

    def window(self, year: int) -> tuple[datetime.date, datetime.date]:
        """The due dates counted in a campaign of `year`: the quarter's (or the year's) up to
        today — `tasks.figures.campaign_progress`'s window."""
        start, end = quarter_bounds(year, self.quarter)
        return start, min(self.today, end)


@dataclass(frozen=True)
class Row:
    """One line of a list: an assignment, and for period and report lists its period."""

    assignment: Assignment
    period: str = ""
    due: datetime.date | None = None
    report: ProgressReport | None = None
    today: datetime.date | None = None

    @property
    def days_overdue(self) -> int | None:
        if self.due is None or self.today is None or self.due >= self.today:
            return None
        if self.report is not None and self.report.status in REPORTED:
            return None
        return (self.today - self.due).days


class FigureList:
    """The rows of one state in a scope, for Django's Paginator: `count()` and slices."""

    def __init__(self, scope: Scope, state: str):
        if state not in STATES:
            raise ValueError(state)
        self.scope, self.state = scope, state
        self._count = None
        self._periods = None

    @property
    def periods(self):
        if self._periods is None:
            self._periods = _due_periods(self.scope, current=self.state == "not_reported")
        return self._periods

    def count(self) -> int:
        if self._count is None:
            if self.state in PERIOD_STATES:
                self._count = _periods_count(self.scope, self.state, self.periods)
            else:
                self._count = self._queryset().count()
        return self._count

    def __len__(self):
        return self.count()

    def __getitem__(self, index):
        if not isinstance(index, slice):
            raise TypeError("FigureList takes slices only")
        if self.state in PERIOD_STATES:
            return _periods_page(self.scope, self.state, self.periods, index.start or 0,
                                 (index.stop or 0) - (index.start or 0))
        rows = self._queryset()[index]
        if self.state == "assignments":
            return [Row(assignment=a) for a in rows]
        return [Row(assignment=r.assignment, period=r.period, due=r.period_due, report=r,
                    today=self.scope.today) for r in rows]

    def _queryset(self):
        scope = self.scope
        if self.state == "assignments":
            return (scope.assignments().select_related("unit", "task__item__campaign")
                    .order_by("unit__order", "unit__name", "task__item__number", "task__title",
                              "pk"))
        reports = (ProgressReport.objects.filter(assignment__in=scope.assignments().values("pk"))
                   .select_related("assignment__unit", "assignment__task__item__campaign"))
        if self.state == "waiting":
            return reports.filter(status=ReportStatus.SUBMITTED).order_by(
                F("submitted_at").asc(nulls_first=True), "pk")
        if self.state == "returned":
            return reports.filter(status=ReportStatus.RETURNED).order_by(
                F("reviewed_at").asc(nulls_first=True), "pk")
        reports = reports.filter(status__in=REPORTED).filter(_due_window(scope))
        on_time = Q(submitted_at__isnull=False) & LessThanOrEqual(LocalDate("submitted_at"),
                                                                  F("period_due"))
        if self.state == "on_time":
            reports = reports.filter(on_time)
        elif self.state == "late":
            reports = reports.filter(Q(submitted_at__isnull=True)
                                     | GreaterThan(LocalDate("submitted_at"), F("period_due")))
        return reports.order_by("period_due", "assignment__unit__order",
                                "assignment__unit__name", "assignment__task__title", "pk")


def _due_window(scope) -> Q:
    """Reports whose period is due in the scope's window, per campaign year."""
    if scope.campaign is not None:
        start, until = scope.window(scope.campaign.year)
        return Q(period_due__gte=start, period_due__lte=until)
    years = set(AssignmentTally.objects.filter(item__campaign__status=CampaignStatus.LAUNCHED)
                .values_list("item__campaign__year", flat=True).distinct())
    window = Q(pk__in=[])
    for year in years:
        start, until = scope.window(year)
        window |= Q(assignment__task__item__campaign__year=year, period_due__gte=start,
                    period_due__lte=until)
    return window


# -- periods: assignments × their due periods -------------------------------------------------

def _due_periods(scope, *, current=False) -> list[tuple]:
    """(year, cadence, deadline, period key, due date) of every period due in the scope's
    window — or, `current`, of the latest period due by today — for each (campaign year,
    cadence, deadline) the scope's assignments have. Read from the assignment tallies: a few
    rows per unit and content item, not the assignments."""
    groups = AssignmentTally.objects.filter(assignments__gt=0)
    if scope.campaign is not None:
        groups = groups.filter(item__campaign=scope.campaign)
    else:
        groups = groups.filter(item__campaign__status=CampaignStatus.LAUNCHED)
    if scope.unit_kinds:
        groups = groups.filter(unit__kind__in=scope.unit_kinds)
    if scope.unit_id is not None:
        groups = groups.filter(unit_id=scope.unit_id)
    if scope.item_id is not None:
        groups = groups.filter(item_id=scope.item_id)
    found = set(groups.order_by().values_list("item__campaign__year", "cadence", "deadline")
                .distinct())
    periods = []
    for year, cadence, deadline in sorted(found):
        deadline = as_date(deadline)
        if current:
            due = [p for p in periods_for(cadence, year, deadline) if p.due <= scope.today]
            periods.extend((year, cadence, deadline, p.key, p.due) for p in due[-1:])
            continue
        start, until = scope.window(year)
        periods.extend((year, cadence, deadline, period.key, period.due)
                       for period in periods_for(cadence, year, deadline)
                       if start <= period.due <= until)
    return periods


def _periods_sql(scope, state, periods, select, *, order=False):
    """The SQL of the (assignment, due period) pairs of the scope, and its parameters; None
    when no period is due."""
    if not periods:
        return None, []
    adapt = connection.ops.adapt_datefield_value
    quote = connection.ops.quote_name
    assignments = scope.assignments()
    if state == "not_reported":
        # Nobody can report for a unit no longer active: the follow-up page leaves them out.
        assignments = assignments.filter(unit__is_active=True)
    # Named columns: SQLite takes no column list after a subquery's alias.
    base = assignments.order_by().values(
        a_pk=F("pk"), a_year=F("task__item__campaign__year"), a_cadence=F("task__cadence"),
        a_deadline=Coalesce("deadline", "task__deadline"), a_order=F("unit__order"),
        a_unit=F("unit__name"), a_task=F("task__title"))
    base_sql, base_params = base.query.sql_with_params()
    values = ", ".join(["(%s, %s, %s, %s, %s)"] * len(periods))
    params = [*base_params]
    for year, cadence, deadline, key, due in periods:
        params += [year, cadence, adapt(deadline), key, adapt(due)]
    report = quote(ProgressReport._meta.db_table)
    sql = (
        f"SELECT {select} FROM ({base_sql}) a "
        f"INNER JOIN (VALUES {values}) p ON p.column1 = a.a_year AND p.column2 = a.a_cadence "
        f"AND p.column3 = a.a_deadline "
        f"LEFT OUTER JOIN {report} r ON r.assignment_id = a.a_pk AND r.period = p.column4"
    )
    if state in ("overdue", "not_reported"):
        sql += " WHERE r.id IS NULL OR r.status NOT IN (%s, %s)"
        params += list(REPORTED)
    if order:
        sql += " ORDER BY p.column5, a.a_order, a.a_unit, a.a_task, a.a_pk, p.column4"
    return sql, params


def _periods_count(scope, state, periods) -> int:
    sql, params = _periods_sql(scope, state, periods, "COUNT(*)")
    if sql is None:
        return 0
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()[0]


def _periods_page(scope, state, periods, offset, limit) -> list[Row]:
    sql, params = _periods_sql(scope, state, periods, "a.a_pk, p.column4, p.column5, r.id",
                               order=True)
    if sql is None or limit <= 0:
        return []
    with connection.cursor() as cursor:
        cursor.execute(f"{sql} LIMIT %s OFFSET %s", [*params, limit, offset])
        found = cursor.fetchall()
    # filter, not in_bulk: the same queries whether or not a page's periods have reports.
    assignments = {a.pk: a for a in Assignment.objects.select_related(
        "unit", "task__item__campaign").filter(pk__in={row[0] for row in found})}
    reports = {r.pk: r for r in ProgressReport.objects.filter(
        pk__in={row[3] for row in found if row[3] is not None})}
    return [Row(assignment=assignments[pk], period=key, due=as_date(due),
                report=reports.get(report_id), today=scope.today)
            for pk, key, due, report_id in found]
