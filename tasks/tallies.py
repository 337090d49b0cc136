"""Derived data: the dashboards' running tallies, kept in step with the assignments and reports.

What is derived. Four tables of counts, each a GROUP BY of the task data that the dashboards
read instead of the reports (a few thousand rows at province scale instead of 720,000):

* `AssignmentTally` — assignments per (unit, content item, cadence, deadline): the due periods
  of `tasks.figures` follow from these;
* `ReportTally` — reports reported / on time / accepted / waiting / returned per (unit, item);
* `DueReportTally` — the same per (campaign, unit, item, period, due date): a quarter, or the
  periods not yet due, are cut from these;
* `SubmissionTally` — reports sent, sent late and still reported per (campaign, unit, due date,
  month sent in the portal's time zone): the month-by-month trend.

From which source tables. `tasks_assignment` (unit, task, own deadline), `tasks_task` (content
item, cadence, deadline), `tasks_progressreport` (period, due date, status, submitted_at) and
`campaigns_contentitem` (its campaign). Nothing else: the tallies hold nothing a fresh
aggregate of those rows would not give.

When it is refreshed — in the same transaction as the write that moves it, so no reader ever
sees a report without its count:

* every write of a report (each function of `tasks.services` that saves one: save, submit,
  return, accept, reopen): `report_state(pk)` before and `count_report(before, after)` after;
  the difference is added to the rows of the report's (unit, item), its due date and its month
  sent with an `INSERT … ON CONFLICT DO UPDATE SET n = n + excluded.n` that concurrent writers
  cannot lose (PostgreSQL locks the row; SQLite writes one at a time);
* `recount_assignments(item_ids)` after assignments are added (by hand or imported) or their
  deadline, or a task's cadence or deadline, changes: the rows of those content items are
  counted again, the items locked first so that two recounts of one item cannot interleave;
* `rebuild()` after bulk loads that bypass the services (the demo, the benchmarks, a restore).

How to rebuild from scratch. `python manage.py rebuild_tallies` (`rebuild()`): the four tables
emptied and filled again from the source in one transaction. `tests/tasks/test_tallies.py`
checks, after every kind of write, that the kept rows equal a rebuild; `deploy/loadcheck.py`
checks the same after the load test.

Why set-based SQL. The database groups the reports in one pass without sending them to Python:
a rebuild is three `INSERT … SELECT … GROUP BY`s and one grouped read, a recount one more; a
write's delta is one upsert per tally row it moves, which concurrent writers cannot lose. No
state lives in the process: every worker reads and writes the same rows.
"""

import datetime
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import Count, F, Q
from django.db.models.functions import Coalesce
from django.db.models.lookups import LessThanOrEqual
from django.utils import timezone

from campaigns.models import ContentItem

from .models import (
    Assignment,
    AssignmentTally,
    DueReportTally,
    ProgressReport,
    ReportStatus,
    ReportTally,
    SubmissionTally,
    Task,
)
from .queries import LocalDate

REPORTED = (ReportStatus.SUBMITTED, ReportStatus.ACCEPTED)
COUNTS = ("reported", "on_time", "accepted", "waiting", "returned")
SUBMISSION_COUNTS = ("submitted", "late", "reported")


@dataclass(frozen=True)
class ReportState:
    """What the tallies need of one report."""

    campaign_id: int
    unit_id: int
    item_id: int
    period: str
    period_due: datetime.date
    status: str
    submitted_at: datetime.datetime | None

    def counts(self) -> dict[str, int]:
        reported = self.status in REPORTED
        day = self.submitted_day
        return {"reported": int(reported),
                "on_time": int(reported and day is not None and day <= self.period_due),
                "accepted": int(self.status == ReportStatus.ACCEPTED),
                "waiting": int(self.status == ReportStatus.SUBMITTED),
                "returned": int(self.status == ReportStatus.RETURNED)}

    @property
    def submitted_day(self) -> datetime.date | None:
        if self.submitted_at is None:
            return None
        return timezone.localtime(self.submitted_at).date()


def report_state(pk) -> ReportState | None:
    """The report as stored now (None when it does not exist yet)."""
    row = (ProgressReport.objects.filter(pk=pk)
           .values_list("assignment__task__item__campaign_id", "assignment__unit_id",
                        "assignment__task__item_id", "period", "period_due", "status",
                        "submitted_at")
           .first())
    return ReportState(*row) if row else None


def count_report(before: ReportState | None, after: ReportState | None) -> None:
    """Move a report's contribution to the tallies from `before` to `after`."""
    deltas = {}  # (model, key) → {count: change}
    for state, sign in ((before, -1), (after, 1)):
        if state is None:
            continue
        counts = state.counts()
        for model, key in ((ReportTally, (state.unit_id, state.item_id)),
                           (DueReportTally, (state.campaign_id, state.unit_id, state.item_id,
                                             state.period, state.period_due))):
            row = deltas.setdefault((model, key), dict.fromkeys(COUNTS, 0))
            for name in COUNTS:
                row[name] += sign * counts[name]
        day = state.submitted_day
        if day is not None:
            key = (state.campaign_id, state.unit_id, state.period_due, day.replace(day=1))
            row = deltas.setdefault((SubmissionTally, key), dict.fromkeys(SUBMISSION_COUNTS, 0))
            row["submitted"] += sign
            row["late"] += sign * (day > state.period_due)
            row["reported"] += sign * counts["reported"]
    for (model, key), changes in deltas.items():
        if any(changes.values()):
            _add(model, key, changes)


# Each tally's key columns, and (the unique constraint's) those that identify a row.
KEYS = {ReportTally: (("unit_id", "item_id"), ("unit_id", "item_id")),
        DueReportTally: (("campaign_id", "unit_id", "item_id", "period", "period_due"),
                         ("unit_id", "item_id", "period", "period_due")),
        SubmissionTally: (("campaign_id", "unit_id", "period_due", "month"),
                          ("campaign_id", "unit_id", "period_due", "month"))}


def _add(model, key, changes):
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    keys, unique = KEYS[model]
    names = [*keys, *changes]
    columns = ", ".join(quote(n) for n in names)
    updates = ", ".join(f"{quote(n)} = {table}.{quote(n)} + excluded.{quote(n)}"
                        for n in changes)
    conflict = ", ".join(quote(n) for n in unique)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * len(names))}) "
            f"ON CONFLICT ({conflict}) DO UPDATE SET {updates}",
            [*key, *changes.values()])


# -- assignments ------------------------------------------------------------------------------

def _assignment_groups(assignments):
    return (assignments.order_by()
            .values_list("unit_id", "task__item_id", "task__cadence")
            .annotate(deadline=Coalesce("deadline", "task__deadline"), n=Count("pk"))
            .values_list("unit_id", "task__item_id", "task__cadence", "deadline", "n"))


@transaction.atomic
def recount_assignments(item_ids) -> None:
    """Count again the assignments of these content items (after any change to them)."""
    item_ids = sorted(set(item_ids))
    if not item_ids:
        return
    list(ContentItem.objects.select_for_update().filter(pk__in=item_ids).values_list("pk"))
    AssignmentTally.objects.filter(item_id__in=item_ids).delete()
    _insert_select(AssignmentTally, ["unit_id", "item_id", "cadence", "deadline", "assignments"],
                   _assignment_groups(Assignment.objects.filter(task__item_id__in=item_ids)))


# -- from scratch -----------------------------------------------------------------------------

def _report_groups(*keys):
    reported = Q(status__in=REPORTED)
    on_time = reported & LessThanOrEqual(LocalDate("submitted_at"), F("period_due"))
    return (ProgressReport.objects.order_by().values_list(*keys)
            .annotate(reported=Count("pk", filter=reported),
                      on_time=Count("pk", filter=on_time),
                      accepted=Count("pk", filter=Q(status=ReportStatus.ACCEPTED)),
                      waiting=Count("pk", filter=Q(status=ReportStatus.SUBMITTED)),
                      returned=Count("pk", filter=Q(status=ReportStatus.RETURNED))))


def _insert_select(model, columns, queryset):
    sql, params = queryset.query.sql_with_params()
    quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {connection.ops.quote_name(model._meta.db_table)} "
                       f"({quoted}) {sql}", params)


@dataclass
class Sent:
    """One `SubmissionTally` row's counts while a rebuild adds them up."""

    submitted: int = 0
    late: int = 0  # sent after the due date
    reported: int = 0  # and now submitted or accepted


def fresh_submissions() -> dict[tuple, Sent]:
    """(campaign, unit, due date, month sent) → what was sent, counted from the reports."""
    rows = (ProgressReport.objects.filter(submitted_at__isnull=False).order_by()
            .values_list("assignment__task__item__campaign_id", "assignment__unit_id",
                         "period_due", LocalDate("submitted_at"))
            .annotate(n=Count("pk"), kept=Count("pk", filter=Q(status__in=REPORTED))))
    result = {}
    for campaign_id, unit_id, due, day, n, kept in rows:
        day = day if isinstance(day, datetime.date) else datetime.date.fromisoformat(day)
        key = (campaign_id, unit_id, due, day.replace(day=1))
        sent = result.get(key) or result.setdefault(key, Sent())
        sent.submitted += n
        sent.late += n if day > due else 0
        sent.reported += kept
    return result


@transaction.atomic
def rebuild() -> dict[str, int]:
    """Every tally recomputed from the assignments and reports. Returns the rows written."""
    _refresh_statistics()
    for model in (AssignmentTally, ReportTally, DueReportTally, SubmissionTally):
        model.objects.all()._raw_delete(model.objects.db)
    _insert_select(AssignmentTally, ["unit_id", "item_id", "cadence", "deadline", "assignments"],
                   _assignment_groups(Assignment.objects.all()))
    _insert_select(ReportTally, ["unit_id", "item_id", *COUNTS],
                   _report_groups("assignment__unit_id", "assignment__task__item_id"))
    _insert_select(DueReportTally,
                   ["campaign_id", "unit_id", "item_id", "period", "period_due", *COUNTS],
                   _report_groups("assignment__task__item__campaign_id", "assignment__unit_id",
                                  "assignment__task__item_id", "period", "period_due"))
    SubmissionTally.objects.bulk_create(
        [SubmissionTally(campaign_id=c, unit_id=u, period_due=d, month=m, submitted=sent.submitted,
                         late=sent.late, reported=sent.reported)
         for (c, u, d, m), sent in fresh_submissions().items()],
        batch_size=2000)
    return {model._meta.verbose_name_plural: model.objects.count()
            for model in (AssignmentTally, ReportTally, DueReportTally, SubmissionTally)}


def _refresh_statistics():
    """PostgreSQL plans the rebuild's joins from its table statistics. After a bulk load (the
    demo, a benchmark, a restore) they still describe the tables as they were — empty, if
    autovacuum last looked before the load — and the planner then joins hundreds of reports by
    nested loops over sequential scans: minutes instead of milliseconds (seen in the test suite,
    where the demo is loaded inside a transaction autovacuum cannot see). ANALYZE inside the
    transaction counts its own rows and costs a few milliseconds on these tables."""
    if connection.vendor != "postgresql":
        return
    tables = [model._meta.db_table for model in (ProgressReport, Assignment, Task, ContentItem)]
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE " + ", ".join(connection.ops.quote_name(t) for t in tables))
