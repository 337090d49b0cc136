"""The lists behind the dashboards' figures: each counts its rows exactly as the figure does.

A figure of `tasks.figures` (or of the follow-up page, `tasks.review_dashboard`) is a count of
one of these lists under the same filters — the campaign or every launched campaign, the unit
kinds, a quarter, a unit, a content item:

* *assignments* — the assignments;
* *due* — every reporting period of an assignment whose due date has passed (one row per
  assignment and period, with its report if there is one), and *overdue* — those without a
  submitted or accepted report;
* *not_reported* — the assignments of active units without a submitted or accepted report for
  their current period (the latest already due), as the follow-up page counts them;
* *reported*, *on_time*, *late* — the reports submitted or accepted for those periods (by their
  due date, as the tallies count them); *waiting* and *returned* — the reports awaiting review
  and returned for correction, whatever their period, as the figures count them.

Rows are listed by due date, unit and content item (then task). Counts come from the tallies
as the figures' do, so a list holds exactly the figure's number of rows as long as every report
was written for a period its assignment has (a one-off task's deadline moved after its report
was written breaks that for the figure as for the list). A fixed number of queries whatever
the number of units and reports.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache

from django.db import connection
from django.db.models import CharField, DateField, F, Q, Sum, Value
from django.db.models.functions import Coalesce
from django.db.models.lookups import GreaterThan, LessThanOrEqual
from django.utils.translation import gettext_lazy as _

from campaigns.models import CampaignStatus
from units.models import UNIT_KIND_GROUPS

from .figures import quarter_bounds
from .models import (
    Assignment,
    AssignmentTally,
    Cadence,
    DueReportTally,
    ProgressReport,
    ReportStatus,
    periods_for,
)
from .queries import LocalDate, as_date, driver_rows

REPORTED = (ReportStatus.SUBMITTED, ReportStatus.ACCEPTED)

# state → the heading of its list; the order of the page's tabs.
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
    """The rows of one state in a scope, for Django's Paginator: `count()` and slices.

    Counts come from the tallies (`tasks.tallies`), as the figures' do: the rows fall into cells
    of one unit, content item and period, ordered by due date, unit and item, whose sizes the
    tallies give; a page reads the rows of the few cells it shows."""

    def __init__(self, scope: Scope, state: str):
        if state not in STATES:
            raise ValueError(state)
        self.scope, self.state = scope, state
        self._cells = None

    @property
    def cells(self):
        if self._cells is None:
            kind = _PeriodCells if self.state in PERIOD_STATES else _ReportCells
            self._cells = kind(self.scope, self.state)
        return self._cells

    def count(self) -> int:
        if self.state == "assignments":
            return self._assignments().count()
        return self.cells.count()

    def __len__(self):
        return self.count()

    def __getitem__(self, index):
        if not isinstance(index, slice):
            raise TypeError("FigureList takes slices only")
        if self.state == "assignments":
            return [Row(assignment=a) for a in self._assignments()[index]]
        return self.cells.page(index.start or 0, (index.stop or 0) - (index.start or 0))

    def _assignments(self):
        return (self.scope.assignments().select_related("unit", "task__item__campaign")
                .order_by("unit__order", "unit__name", "task__item__number", "task__title",
                          "pk"))


# -- cells ------------------------------------------------------------------------------------
#
# A due period has no row of its own, and a province has 720,000 of them: joining every
# assignment to its periods to count them, or to sort them for one page, took seconds, and so
# did counting 600,000 reports sent on time. The tallies say how many rows each (unit, content
# item, period) cell holds, so a count is a sum of a few thousand tally rows, the cells of a
# page are found from them, and only those cells' rows are read.


def _tallies(rows, scope, *, active=False, campaign="item__campaign"):
    """Tally rows narrowed to a scope (`campaign`: how the tally reaches its campaign)."""
    if scope.campaign is not None:
        rows = rows.filter(**{campaign: scope.campaign})
    else:
        rows = rows.filter(**{f"{campaign}__status": CampaignStatus.LAUNCHED})
    if scope.unit_kinds:
        rows = rows.filter(unit__kind__in=scope.unit_kinds)
    if scope.unit_id is not None:
        rows = rows.filter(unit_id=scope.unit_id)
    if scope.item_id is not None:
        rows = rows.filter(item_id=scope.item_id)
    if active:
        # Nobody can report for a unit no longer active: the follow-up page leaves them out.
        rows = rows.filter(unit__is_active=True)
    return rows.order_by()


class _Cells:
    """Rows grouped by period (due date, key), each period's size known up front; a page takes
    the periods it spans, the cells of those periods (unit, item) in order, then their rows."""

    def __init__(self, scope, state):
        self.scope, self.state = scope, state
        self.sizes = {}  # (due, key) → rows, in date order

    def count(self) -> int:
        return sum(self.sizes.values())

    def page(self, offset, limit) -> list[Row]:
        periods, skipped, spanned = [], 0, 0
        for period, size in self.sizes.items():
            # Only the periods before the page are skipped: once one is taken, every next one
            # is, until the page is full (skipping a later one small enough to fit under the
            # offset showed the first rows of the list again on a page spanning two periods).
            if not periods and skipped + size <= offset:
                skipped += size
                continue
            periods.append(period)
            spanned += size
            if skipped + spanned >= offset + limit:
                break
        if not periods or limit <= 0:
            return []
        # The page's rows counted from the first of its periods: the cells holding them.
        start, stop = offset - skipped, offset - skipped + limit
        chosen, first = [], None
        for *cell, size, upto in self.cells_between(periods, start, stop):
            if first is None:
                first = start - (upto - size)
            chosen.append(tuple(cell))
        if not chosen:
            return []
        return self.rows(chosen, first, limit)

    def cells_between(self, periods, start, stop):
        """(due, key, unit order, unit name, item number, unit, item, size, rows up to and
        including this cell) of the cells of `periods` holding their rows start..stop-1, in
        the list's order."""
        raise NotImplementedError

    def rows(self, cells, offset, limit):
        raise NotImplementedError


# The list's order of cells: by due date, period, unit (its order, then its name as Python
# compares strings — by code point, which PostgreSQL's "C" collation keeps and the database's
# Vietnamese one would not), content item, then ids.
_CELL_ORDER = ("c_due", "c_key", "c_order", "c_name", "c_number", "c_unit", "c_item")
_TEXT = ("c_key", "c_name")


def _cells_between(cells, start, stop, *extra):
    """The cells of a query, (sql, params), of the `_CELL_ORDER` columns, `extra` ones and
    their size `n`, whose rows overlap start..stop-1 of the rows they hold in order, each with the
    running total up to it. The database sums the running totals (a window function, on
    SQLite as on PostgreSQL): a province's period has ten thousand cells, and reading them
    all into Python to find the page's two or three took most of the page."""
    sql, params = cells
    collate = ' COLLATE "C"' if connection.vendor == "postgresql" else ""
    order = ", ".join(f"c.{name}{collate if name in _TEXT else ''}" for name in _CELL_ORDER)
    columns = ", ".join(f"w.{name}" for name in (*_CELL_ORDER, *extra))
    query = (f"SELECT {columns}, w.n, w.upto FROM (SELECT c.*, SUM(c.n) OVER "
             f"(ORDER BY {order} ROWS UNBOUNDED PRECEDING) AS upto FROM ({sql}) c "
             f"WHERE c.n > 0) w WHERE w.upto > %s AND w.upto - w.n < %s ORDER BY w.upto")
    with connection.cursor() as cursor:
        cursor.execute(query, [*params, start, stop])
        found = cursor.fetchall()
    # int(): PostgreSQL sums into a numeric.
    return [(as_date(due), *rest, int(n), int(upto)) for due, *rest, n, upto in found]


@lru_cache(maxsize=1024)
def _periods_of(cadence, year, deadline):
    """The periods of a (cadence, year, deadline): the same few for thousands of tally rows."""
    return tuple(periods_for(cadence, year, deadline))


def _in_periods(periods) -> Q:
    found = Q(pk__in=[])
    for due, key in periods:
        found |= Q(period=key, period_due=due)
    return found


class _PeriodCells(_Cells):
    """Due periods: the assignments of each (cadence, deadline) times its periods, less the
    reports counted for them (for the lists of periods not reported)."""

    def __init__(self, scope, state):
        super().__init__(scope, state)
        self.current = state == "not_reported"
        self.missing_only = state != "due"
        groups = _tallies(AssignmentTally.objects.filter(assignments__gt=0), scope,
                          active=self.current)
        self.groups = groups
        expected = defaultdict(int)
        self.combinations = []  # (cadence, year, deadline) as the driver returns them
        for cadence, year, deadline, count in driver_rows(groups.values_list(
                "cadence", "item__campaign__year", "deadline").annotate(Sum("assignments"))):
            self.combinations.append((cadence, year, deadline))
            for period in self._periods(cadence, year, as_date(deadline)):
                expected[period] += count
        reported = {}
        if self.missing_only and expected:
            sent = _tallies(DueReportTally.objects.filter(reported__gt=0), scope,
                            active=self.current, campaign="campaign")
            for key, due, n in driver_rows(
                    sent.filter(period__in={key for _due, key in expected},
                                period_due__in={due for due, _key in expected})
                    .values_list("period", "period_due").annotate(Sum("reported"))):
                reported[(as_date(due), key)] = n
        self.sizes = {period: max(0, expected[period] - reported.get(period, 0))
                      for period in sorted(expected)}

    def _periods(self, cadence, year, deadline):
        periods = _periods_of(cadence, year, as_date(deadline))
        if self.current:
            due = [p for p in periods if p.due <= self.scope.today]
            return [(p.due, p.key) for p in due[-1:]]
        start, until = self.scope.window(year)
        return [(p.due, p.key) for p in periods if start <= p.due <= until]

    def cells_between(self, periods, start, stop):
        """The page's cells: each (cadence, year, deadline) of the assignment tally gives the
        page's periods it has, its tally rows are summed per (period, unit, item) — less the
        reports the due-date tally counts for them, for the lists of periods not reported —
        and the database keeps the cells holding the page's rows."""
        wanted = set(periods)
        by_period = defaultdict(list)  # a page's period → the (cadence, year, deadline) having it
        for cadence, year, deadline in self.combinations:
            for period in self._periods(cadence, year, deadline):
                if period in wanted:
                    by_period[period].append((cadence, year, deadline))
        parts = []
        for (due, key), combinations in sorted(by_period.items()):
            match = Q(pk__in=[])
            for cadence, year, deadline in combinations:
                match |= Q(cadence=cadence, item__campaign__year=year, deadline=deadline)
            cells = self.groups.filter(match).values(
                c_due=Value(due, output_field=DateField()),
                c_key=Value(key, output_field=CharField()), c_order=F("unit__order"),
                c_name=F("unit__name"), c_number=F("item__number"), c_unit=F("unit_id"),
                c_item=F("item_id"), c_cadence=F("cadence"), c_campaign=F("item__campaign_id"))
            # One (cadence, year, deadline) having the period: each tally row is its own
            # (unit, item) and needs no grouping (a sort of ten thousand rows on SQLite).
            parts.append(cells.annotate(assigned=F("assignments")) if len(combinations) == 1
                         else cells.annotate(assigned=Sum("assignments")))
        if not parts:
            return []
        expected = parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]
        sql, params = expected.query.sql_with_params()
        if self.missing_only:
            # One report per assignment and period: never more reported than assigned, unless
            # a one-off task's deadline moved after its report was written; hence the floor.
            reported = "COALESCE(d.reported, 0)"
            size = f"CASE WHEN e.assigned > {reported} THEN e.assigned - {reported} ELSE 0 END"
            # The campaign too: each cell's reports are then read from the due-date index
            # alone (campaign, due date, period, unit, item, counts), not from the table.
            join = (f"LEFT JOIN {DueReportTally._meta.db_table} d "
                    "ON d.campaign_id = e.c_campaign AND d.period_due = e.c_due "
                    "AND d.period = e.c_key AND d.unit_id = e.c_unit AND d.item_id = e.c_item")
        else:
            size, join = "e.assigned", ""
        names = ", ".join(f"e.{name}" for name in (*_CELL_ORDER, "c_cadence"))
        found = _cells_between((f"SELECT {names}, {size} AS n FROM ({sql}) e {join}", params),
                               start, stop, "c_cadence")
        self.cadence = {tuple(cell[:7]): cell[7] for cell in found}
        return [(*cell[:7], *cell[8:]) for cell in found]

    def rows(self, cells, offset, limit) -> list[Row]:
        """The cells' assignments with their report for the period, if any, from the
        `offset`-th: a VALUES table of the cells joined to the assignments and reports."""
        adapt = connection.ops.adapt_datefield_value
        quote = connection.ops.quote_name
        # Named columns: SQLite takes no column list after a subquery's alias. The cells'
        # units narrow the assignments read to their index.
        base = self.scope.assignments().filter(unit_id__in={cell[5] for cell in cells},
                                               task__item_id__in={cell[6] for cell in cells})
        if self.current:
            base = base.filter(unit__is_active=True)
        base = base.order_by().values(
            a_pk=F("pk"), a_unit=F("unit_id"), a_item=F("task__item_id"),
            a_cadence=F("task__cadence"), a_deadline=Coalesce("deadline", "task__deadline"),
            a_task=F("task__title"))
        base_sql, params = base.query.sql_with_params()
        params = list(params)
        for order, cell in enumerate(cells):
            due, key, *_sort, unit_id, item_id = cell
            params += [order, unit_id, item_id, self.cadence[cell], key, adapt(due)]
        values = ", ".join(["(%s, %s, %s, %s, %s, %s)"] * len(cells))
        sql = (
            f"SELECT a.a_pk, p.column5, p.column6, r.id FROM ({base_sql}) a "
            f"INNER JOIN (VALUES {values}) p ON p.column2 = a.a_unit AND p.column3 = a.a_item "
            f"AND p.column4 = a.a_cadence AND (p.column4 <> %s OR p.column6 = a.a_deadline) "
            f"LEFT OUTER JOIN {quote(ProgressReport._meta.db_table)} r "
            f"ON r.assignment_id = a.a_pk AND r.period = p.column5"
        )
        params.append(Cadence.ONCE)
        if self.missing_only:
            sql += " WHERE r.id IS NULL OR r.status NOT IN (%s, %s)"
            params += list(REPORTED)
        sql += " ORDER BY p.column1, a.a_task, a.a_pk LIMIT %s OFFSET %s"
        with connection.cursor() as cursor:
            cursor.execute(sql, [*params, limit, offset])
            found = cursor.fetchall()
        # filter, not in_bulk: the same queries whether or not a page's periods have reports.
        assignments = {a.pk: a for a in Assignment.objects.select_related(
            "unit", "task__item__campaign").filter(pk__in={row[0] for row in found})}
        reports = {r.pk: r for r in ProgressReport.objects.filter(
            pk__in={row[3] for row in found if row[3] is not None})}
        return [Row(assignment=assignments[pk], period=key, due=as_date(due),
                    report=reports.get(report_id), today=self.scope.today)
                for pk, key, due, report_id in found]


# The tally column each list of reports counts, and the reports it stands for.
_REPORT_COUNTS = {"reported": "reported", "on_time": "on_time", "late": None,
                  "waiting": "waiting", "returned": "returned"}


class _ReportCells(_Cells):
    """Reports: the tally by due date counts them per (unit, item, period, due date)."""

    def __init__(self, scope, state):
        super().__init__(scope, state)
        self.windowed = state not in ANY_PERIOD
        sizes = defaultdict(int)
        # The campaign's year is the period key's first four digits: no join to the campaigns.
        for key, due, count in self._counts(self._tally().values_list("period", "period_due")):
            due = as_date(due)
            if self._in_window(int(key[:4]), due):
                sizes[(due, key)] += count
        self.sizes = {period: sizes[period] for period in sorted(sizes) if sizes[period]}

    def _tally(self):
        return _tallies(DueReportTally.objects, self.scope, campaign="campaign")

    def _counts(self, rows):
        """Rows summed with the state's count (late: reported less on time), as the driver
        returns them."""
        column = _REPORT_COUNTS[self.state]
        if column is None:
            return driver_rows(rows.annotate(n=Sum("reported") - Sum("on_time")))
        return driver_rows(rows.annotate(n=Sum(column)))

    def _in_window(self, year, due):
        if not self.windowed:
            return True
        start, until = self.scope.window(year)
        return start <= due <= until

    def cells_between(self, periods, start, stop):
        column = _REPORT_COUNTS[self.state]
        count = F(column) if column else F("reported") - F("on_time")
        return _cells_between(self._tally().filter(_in_periods(periods)).values(
            c_due=F("period_due"), c_key=F("period"), c_order=F("unit__order"),
            c_name=F("unit__name"), c_number=F("item__number"), c_unit=F("unit_id"),
            c_item=F("item_id"), n=count).query.sql_with_params(), start, stop)

    def rows(self, cells, offset, limit) -> list[Row]:
        """The cells' reports in the state, from the `offset`-th: the cells' assignments, then
        their reports for the cells' periods (through the (assignment, period) index)."""
        position = {(unit_id, item_id, key, due): index
                    for index, (due, key, *_sort, unit_id, item_id) in enumerate(cells)}
        pairs = {(unit_id, item_id) for unit_id, item_id, _key, _due in position}
        assignments = {pk: (unit_id, item_id) for pk, unit_id, item_id in Assignment.objects
                       .filter(unit_id__in={u for u, _i in pairs},
                               task__item_id__in={i for _u, i in pairs})
                       .values_list("pk", "unit_id", "task__item_id")
                       if (unit_id, item_id) in pairs}
        reports = (ProgressReport.objects.filter(
            _REPORT_FILTERS[self.state](), assignment_id__in=list(assignments),
            period__in={key for _u, _i, key, _d in position})
            .select_related("assignment__unit", "assignment__task__item__campaign"))
        found = []
        for report in reports:
            index = position.get((*assignments[report.assignment_id], report.period,
                                  report.period_due))
            if index is not None:
                found.append((index, report.assignment.task.title, report.pk, report))
        found.sort(key=lambda row: row[:3])
        return [Row(assignment=r.assignment, period=r.period, due=r.period_due, report=r,
                    today=self.scope.today) for *_key, r in found[offset:offset + limit]]


def _on_time():
    return (Q(status__in=REPORTED) & Q(submitted_at__isnull=False)
            & LessThanOrEqual(LocalDate("submitted_at"), F("period_due")))


_REPORT_FILTERS = {
    "reported": lambda: Q(status__in=REPORTED),
    "on_time": _on_time,
    "late": lambda: Q(status__in=REPORTED) & (Q(submitted_at__isnull=True) | GreaterThan(
        LocalDate("submitted_at"), F("period_due"))),
    "waiting": lambda: Q(status=ReportStatus.SUBMITTED),
    "returned": lambda: Q(status=ReportStatus.RETURNED),
}
