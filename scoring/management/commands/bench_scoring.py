"""Time the scoring recompute and the ranking page on a large, throw-away data set.

    python manage.py bench_scoring [--units 1000] [--assignments 60] [--reports 12]
                                   [--criteria 40] [--repeat 5] [--profile] [--keep]

Never touches the configured database. On SQLite the `default` connection object is swapped,
for the run, for one on a scratch file in a temporary directory (deleted unless --keep); on
PostgreSQL for one on a scratch database created on the same server (dropped afterwards, so the
role needs CREATEDB). The original connection object is put back untouched.

It prints, each the median of --repeat runs:
1. `services.recompute` of an open self-assessment: from an empty round, again with nothing
   changed, and after the value of one accepted report in seven changed;
2. one raw SQL statement that computes the figures the recompute derives per (unit, criterion),
   checked against the recompute's facts, and the ratio recompute / bare SQL (on PostgreSQL
   without JIT compilation, as the recompute runs its own statement);
3. the ranking page (`scoring:ranking`) as the Office: time and query count — skipped, with a
   line saying so, while that URL does not exist.
With --profile, one recompute from empty runs under cProfile and the top functions are printed.
"""

import contextlib
import cProfile
import datetime
import io
import pstats
import random
import statistics
import time
import zoneinfo
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.test import Client
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from campaigns.models import Campaign, CampaignStatus, ContentItem
from core import bench
from scoring import services
from scoring.models import Criterion, Round, Rule, Scheme, Score, Sheet, Stage
from tasks.management.commands.bench_tasks import STATUS_MIX
from tasks.models import (
    Assignment,
    Cadence,
    IndicatorKind,
    ProgressReport,
    ReportAction,
    ReportEvent,
    ReportStatus,
    Task,
    periods_for,
)
from units.models import (
    Initiative,
    InitiativeLevel,
    Role,
    StaffCategory,
    StaffMember,
    Unit,
    UnitKind,
    Violation,
    ViolationKind,
)

YEAR = 2022
ITEMS = 10
SCALE = Decimal(100)
# Issue 19: the recompute at the speed of one SQL statement.
RECOMPUTE_TARGET_S = 1.5
RECOMPUTE_TARGET_RATIO = 1.3
PAGE_TARGET_MS = 150
# Leaves of each content item take these rules in turn.
RULES = [Rule.PROPORTIONAL, Rule.BANDS, Rule.TIMELINESS, Rule.MANUAL]
BANDS = [[100, 100], [90, 85], [80, 70], [65, 50]]


class Command(BaseCommand):
    help = ("Build a large scratch database (never the configured one) and time the scoring "
            "recompute against a bare SQL aggregate, and the ranking page.")

    def add_arguments(self, parser):
        bench.add_province_arguments(parser)
        parser.add_argument("--criteria", type=int, default=40,
                            help="Scored (leaf) criteria, spread over the 10 content items.")
        parser.add_argument("--repeat", type=int, default=5)
        parser.add_argument("--profile", action="store_true",
                            help="Print where one recompute from empty spends its time.")
        parser.add_argument("--keep", action="store_true",
                            help="Keep the scratch database and print where it is.")

    def handle(self, *args, **opts):
        bench.check_sizes(opts, "units", "assignments", "criteria", "repeat")
        with bench.scratch_default("bench_scoring", keep=opts["keep"],
                                   stdout=self.stdout) as scratch:
            self._run(scratch, opts)

    # -- the run --------------------------------------------------------------------------------

    def _run(self, conn, opts):
        w = self.stdout.write
        started = time.perf_counter()
        call_command("migrate", database="default", verbosity=0, interactive=False)
        migrated = time.perf_counter() - started
        data = _build(conn, opts)
        conn.cursor().execute("ANALYZE")
        built = time.perf_counter() - started
        w(f"bench_scoring: {opts['units']:,} units × {opts['assignments']} assignments × "
          f"{opts['reports']} reports = {data['reports']:,} reports, {data['events']:,} "
          f"returns, {data['leaves']} criteria (built in {built:.1f} s, of which migrate "
          f"{migrated:.1f} s)")
        scheme, office, round_ = data["scheme"], data["office"], data["round"]
        repeat = opts["repeat"]

        # 1. The recompute: from an empty round, with nothing changed, after the data moved.
        def recompute():
            return services.recompute(scheme=scheme, user=office)

        empty, counts = [], {}
        for _ in range(repeat):
            _empty_round(round_)
            seconds, empty_queries, counts = _timed(conn, recompute)
            empty.append(seconds)
        scores = Score.objects.filter(round=round_).count()
        w(f"{'recompute, empty round':<24} median {_s(empty)}  min {min(empty):6.2f} s  "
          f"queries {empty_queries}  ({counts['created']:,} scores created, "
          f"{Sheet.objects.filter(round=round_).count():,} sheets)")
        again = []
        for _ in range(repeat):
            seconds, again_queries, counts = _timed(conn, recompute)
            again.append(seconds)
        w(f"{'recompute, unchanged':<24} median {_s(again)}  min {min(again):6.2f} s  "
          f"queries {again_queries}  ({counts['created']} created, {counts['changed']} changed)")
        moved, changed = [], []
        for n in range(repeat):
            _move_data(conn, 1 if n % 2 == 0 else -1)
            seconds, moved_queries, counts = _timed(conn, recompute)
            moved.append(seconds)
            changed.append(counts["changed"])
        w(f"{'recompute, data moved':<24} median {_s(moved)}  min {min(moved):6.2f} s  "
          f"queries {moved_queries}  (a value changed on one accepted report in seven: "
          f"{statistics.median(changed):,.0f} scores changed)")

        # 2. The bare SQL aggregate, and whether it agrees with what the recompute stored.
        sql, params = bare_aggregate(conn, scheme)
        def aggregate():
            with conn.cursor() as cursor:
                cursor.execute(sql, params)
                return cursor.fetchall()

        bare, rows = [], []
        with _no_jit(conn):
            for _ in range(repeat):
                seconds, _queries, rows = _timed(conn, aggregate)
                bare.append(seconds)
        checked, mismatches = _compare(rows, round_)
        w(f"{'bare SQL aggregate':<24} median {_s(bare)}  min {min(bare):6.2f} s  "
          f"({len(rows):,} (unit, criterion) rows of {scores:,} scores; "
          + (f"agrees with the recompute on all {checked:,} automatic ones)" if not mismatches
             else f"DISAGREES on {len(mismatches):,} of {checked:,}: {mismatches[:3]})"))
        ratio_empty = statistics.median(empty) / statistics.median(bare)
        ratio_again = statistics.median(again) / statistics.median(bare)
        w(f"ratio recompute / bare SQL: empty round {ratio_empty:.2f}×, "
          f"unchanged {ratio_again:.2f}×")

        # 3. The ranking page.
        slow = []
        page = _time_ranking(conn, office, scheme, repeat)
        if isinstance(page, str):
            w(f"{'ranking page':<24} skipped: {page}")
        else:
            median, best, queries = page
            w(f"{'ranking page':<24} median {median:6.1f} ms  min {best:6.1f} ms  "
              f"queries {queries}")
            if median > PAGE_TARGET_MS:
                slow.append(f"ranking page {median:.0f} ms")

        if statistics.median(empty) > RECOMPUTE_TARGET_S:
            slow.append(f"recompute {statistics.median(empty):.1f} s")
        if ratio_empty > RECOMPUTE_TARGET_RATIO:
            slow.append(f"recompute {ratio_empty:.2f}× the bare SQL")
        if ratio_again > RECOMPUTE_TARGET_RATIO:
            slow.append(f"unchanged recompute {ratio_again:.2f}× the bare SQL")
        verdict = "OK" if not slow else "TOO SLOW: " + ", ".join(slow)
        w(f"targets: recompute (empty and unchanged) ≤ {RECOMPUTE_TARGET_RATIO:g}× the bare SQL "
          f"and under {RECOMPUTE_TARGET_S:g} s, ranking page under {PAGE_TARGET_MS} ms — {verdict}")

        if opts["profile"]:
            _empty_round(round_)
            profiler = cProfile.Profile()
            profiler.runcall(services.recompute, scheme=scheme, user=office)
            out = io.StringIO()
            pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(30)
            w("profile of one recompute from an empty round (cumulative):")
            w(out.getvalue())


@contextlib.contextmanager
def _no_jit(conn):
    """On PostgreSQL, the bare SQL without JIT compilation, as the recompute runs its statement
    (scoring.recompute_sql): the planner over-estimates both by orders of magnitude and would
    spend seconds compiling a query that runs in well under one. Elsewhere nothing."""
    if conn.vendor != "postgresql":
        yield
        return
    with conn.cursor() as cursor:
        cursor.execute("SELECT current_setting('jit')")
        was = cursor.fetchone()[0]
        cursor.execute("SELECT set_config('jit', 'off', false)")
    try:
        yield
    finally:
        with conn.cursor() as cursor:
            cursor.execute("SELECT set_config('jit', %s, false)", [was])


def _s(values) -> str:
    return f"{statistics.median(values):6.2f} s"


def _timed(conn, call):
    """(seconds, queries, result) of call(); queries counted without CaptureQueriesContext,
    whose formatting of every statement would be timed too."""
    queries = 0

    def count(execute, sql, params, many, context):
        nonlocal queries
        queries += 1
        return execute(sql, params, many, context)

    with conn.execute_wrapper(count):
        started = time.perf_counter()
        result = call()
        seconds = time.perf_counter() - started
    return seconds, queries, result


def _move_data(conn, step):
    """Change the value of one accepted report in seven, as a month of reviews would (not
    timed); `step` +1 then −1, so the data set stays the same size and shape."""
    with conn.cursor() as cursor:
        cursor.execute("UPDATE tasks_progressreport SET value = value + %s "
                       "WHERE status = %s AND id %% 7 = 0", [step, ReportStatus.ACCEPTED])


def _empty_round(round_):
    """Back to a round just opened: no scores, no sheets (not timed). A raw delete: the bench
    has no score evidence, and collecting 40,000 scores for cascades would take minutes."""
    with transaction.atomic():
        Score.objects.filter(round=round_)._raw_delete("default")
        Sheet.objects.filter(round=round_)._raw_delete("default")


# -- the scratch database -------------------------------------------------------------------------

# -- data -----------------------------------------------------------------------------------------

def _build(conn, opts):
    n_units, n_tasks, n_reports = opts["units"], opts["assignments"], opts["reports"]
    rng = random.Random(2022)
    now = timezone.now()
    stamp = now.astimezone(datetime.UTC).replace(tzinfo=None)  # naive UTC, as stored
    User = get_user_model()
    with transaction.atomic(using="default"):
        root = Unit.objects.create(name="Sở Giáo dục và Đào tạo (thử tải)", short_name="Sở",
                                   code="so", kind=UnitKind.DEPARTMENT)
        office_unit = Unit.objects.create(name="Văn phòng Sở", code="vp", kind=UnitKind.OFFICE,
                                          parent=root)
        units = Unit.objects.bulk_create(
            [Unit(name=f"Trường THPT Số {i}", short_name=f"THPT {i}", code=f"truong-{i}",
                  kind=UnitKind.SCHOOL, parent=root, headcount=80, order=i)
             for i in range(1, n_units + 1)],
            batch_size=500,
        )
        office = User.objects.create(username="vanphong", password=make_password("bench-123"))
        StaffMember.objects.create(full_name="Lê Thị Vân", unit=office_unit, role=Role.OFFICE,
                                   category=StaffCategory.CIVIL_SERVANT, user=office)
        campaign = Campaign.objects.create(
            number="25", year=YEAR, issuing_unit=root, status=CampaignStatus.LAUNCHED,
            title="Toàn ngành đồng lòng thi đua nâng cao chỉ số cải cách hành chính",
            issued_on=datetime.date(YEAR, 1, 14), launched_at=now, launched_by=office,
        )
        items = ContentItem.objects.bulk_create(
            [ContentItem(campaign=campaign, number=n, short_title=f"Nội dung {n}",
                         text=f"Nội dung thực hiện số {n}: công khai thủ tục hành chính.")
             for n in range(1, ITEMS + 1)]
        )
        # Every sixth task counts documents against a target of 50; the rest are percentages.
        tasks = Task.objects.bulk_create(
            [Task(item=items[i % ITEMS], title=f"Nhiệm vụ {i + 1}: tỷ lệ hồ sơ đúng hạn",
                  indicator_kind=IndicatorKind.COUNT if i % 6 == 5 else IndicatorKind.PERCENT,
                  target_value=Decimal(50 if i % 6 == 5 else 100),
                  cadence=Cadence.MONTHLY, deadline=datetime.date(YEAR, 12, 31))
             for i in range(n_tasks)]
        )
        assignments = Assignment.objects.bulk_create(
            [Assignment(task=task, unit=unit) for task in tasks for unit in units],
            batch_size=2000,
        )
        reports, events = _reports(conn, rng, assignments, tasks, n_reports, office, stamp)
        Initiative.objects.bulk_create(
            [Initiative(title=f"Sáng kiến {i}", unit=unit, year=YEAR,
                        level=InitiativeLevel.PROVINCE if i % 3 == 0 else
                        InitiativeLevel.GRASSROOTS,
                        decision=f"{i}/QĐ-SGDĐT", decided_on=datetime.date(YEAR, 6, 1))
             for i, unit in enumerate(units, start=1) if i % 5 == 0],
            batch_size=1000,
        )
        Violation.objects.bulk_create(
            [Violation(unit=unit, kind=ViolationKind.LATE_REPORTING, description="Báo cáo chậm.",
                       occurred_on=datetime.date(YEAR, 9, 15))
             for i, unit in enumerate(units, start=1) if i % 10 == 0],
            batch_size=1000,
        )
        scheme, leaves = _scheme(campaign, items, tasks, opts["criteria"])
        round_ = Round.objects.create(scheme=scheme, kind=Stage.SELF, opened_at=now,
                                      deadline=datetime.date(YEAR + 1, 1, 31), opened_by=office)
        scheme.stage = Stage.SELF
        scheme.save(update_fields=["stage"])
    return {"office": office, "campaign": campaign, "scheme": scheme, "round": round_,
            "reports": reports, "events": events, "leaves": leaves}


def _reports(conn, rng, assignments, tasks, n_reports, office, stamp):
    """Monthly reports (status mix as in bench_tasks, one in ten submitted late) and one
    "returned" history entry for every returned report; inserted with executemany."""
    periods = periods_for(Cadence.MONTHLY, YEAR, None)[:n_reports]
    count_task = {task.pk for task in tasks if task.indicator_kind == IndicatorKind.COUNT}
    statuses = [s for s, _share in STATUS_MIX]
    weights = [share for _s, share in STATUS_MIX]
    names = ["assignment", "period", "period_due", "value", "status", "submitted_at",
             "reviewed_at", "reviewed_by", "narrative", "return_reason", "version", "updated_at"]
    total = 0
    with conn.cursor() as cursor:
        chunk = []
        for assignment in assignments:
            high = 60 if assignment.task_id in count_task else 100
            for period, status in zip(periods, rng.choices(statuses, weights, k=len(periods)),
                                      strict=True):
                due = datetime.datetime.combine(period.due, datetime.time(3))
                shift = rng.randint(1, 10) if rng.random() < 0.1 else -rng.randint(0, 5)
                submitted = due + datetime.timedelta(days=shift)
                reviewed = status in (ReportStatus.ACCEPTED, ReportStatus.RETURNED)
                chunk.append((
                    assignment.pk, period.key, period.due, rng.randint(high * 2 // 5, high),
                    status, None if status == ReportStatus.DRAFT else submitted,
                    submitted + datetime.timedelta(days=2) if reviewed else None,
                    office.pk if reviewed else None, "Đã triển khai theo kế hoạch.",
                    "Bổ sung minh chứng." if status == ReportStatus.RETURNED else "", 1, stamp,
                ))
            if len(chunk) >= 50_000:
                bench.bulk_insert(cursor, ProgressReport, names, chunk)
                total += len(chunk)
                chunk = []
        bench.bulk_insert(cursor, ProgressReport, names, chunk)
        total += len(chunk)
        cursor.execute("SELECT id, submitted_at FROM tasks_progressreport WHERE status = %s",
                       [ReportStatus.RETURNED])
        events = [(report_id, _naive(submitted) + datetime.timedelta(days=2), office.pk,
                   ReportAction.RETURNED, ReportStatus.SUBMITTED, ReportStatus.RETURNED,
                   "Bổ sung minh chứng.", "{}")
                  for report_id, submitted in cursor.fetchall()]
        bench.bulk_insert(cursor, ReportEvent, ["report", "at", "actor", "action", "from_status",
                                      "to_status", "comment", "values"], events)
    return total, len(events)


def _naive(moment):
    if isinstance(moment, str):
        moment = datetime.datetime.fromisoformat(moment)
    if timezone.is_aware(moment):
        moment = moment.astimezone(datetime.UTC).replace(tzinfo=None)
    return moment


def _scheme(campaign, items, tasks, n_leaves):
    """A scheme on the scale of 100: one parent criterion per content item that has leaves, the
    leaves taking RULES in turn; proportional and bands read half of the item's tasks each,
    timeliness and manual every task of the item. Returns (scheme, number of leaves)."""
    scheme = Scheme.objects.create(campaign=campaign, cutoff=datetime.date(YEAR, 12, 31))
    cents, spare = divmod(int(SCALE * 100), n_leaves)
    maxima = [Decimal(cents + (1 if i < spare else 0)) / 100 for i in range(n_leaves)]
    per_item = [[] for _ in items]
    for i in range(n_leaves):
        per_item[i % ITEMS].append(maxima[i])
    by_item = {item.pk: [t for t in tasks if t.item_id == item.pk] for item in items}
    order = 0
    for item, leaf_maxima in zip(items, per_item, strict=True):
        if not leaf_maxima:
            continue
        order += 1
        parent = Criterion.objects.create(
            scheme=scheme, item=item, number=str(item.number), order=order,
            title=f"Tiêu chí nội dung {item.number}", max_points=sum(leaf_maxima))
        item_tasks = by_item[item.pk]
        half = max(1, len(item_tasks) // 2)
        for j, maximum in enumerate(leaf_maxima):
            order += 1
            rule = RULES[j % len(RULES)]
            leaf = Criterion.objects.create(
                scheme=scheme, item=item, parent=parent, number=f"{item.number}.{j + 1}",
                order=order, title=f"Tiêu chí {item.number}.{j + 1}", max_points=maximum,
                rule=rule, bands=BANDS if rule == Rule.BANDS else [])
            if rule == Rule.PROPORTIONAL:
                leaf.tasks.set(item_tasks[:half])
            elif rule == Rule.BANDS:
                leaf.tasks.set(item_tasks[half:] or item_tasks)
    return scheme, n_leaves


# -- the bare SQL aggregate -----------------------------------------------------------------------

BARE_SQL = """
WITH
-- The scheme's scored criteria: those without sub-criteria.
leaf AS (
    SELECT c.id, c.item_id FROM scoring_criterion c
    WHERE c.scheme_id = %(scheme)s
      AND NOT EXISTS (SELECT 1 FROM scoring_criterion k WHERE k.parent_id = c.id)
),
-- Which tasks each criterion reads: those linked to it, else every task of its content item.
reads AS (
    SELECT l.criterion_id, l.task_id
    FROM scoring_criterion_tasks l JOIN leaf ON leaf.id = l.criterion_id
    UNION ALL
    SELECT leaf.id, t.id FROM leaf JOIN tasks_task t ON t.item_id = leaf.item_id
    WHERE NOT EXISTS (SELECT 1 FROM scoring_criterion_tasks l WHERE l.criterion_id = leaf.id)
),
-- The campaign's assignments with their effective target, deadline and kind.
work AS (
    SELECT a.id, a.unit_id, a.task_id, t.indicator_kind AS kind, t.cadence,
           COALESCE(a.target_value, t.target_value,
                    CASE WHEN t.indicator_kind = 'percent' THEN 100 END) AS target,
           COALESCE(a.deadline, t.deadline) AS deadline
    FROM tasks_assignment a
    JOIN tasks_task t ON t.id = a.task_id
    JOIN campaigns_contentitem i ON i.id = t.item_id
    WHERE i.campaign_id = %(campaign)s
),
-- One pass over the reports, per assignment: reports due by the cut-off that were submitted
-- after their due date (local calendar day) or are missing, and the latest period accepted by
-- the cut-off. Timestamps are compared as ISO text, the same on both engines: on SQLite they
-- are stored that way, on PostgreSQL CAST(timestamptz AS TEXT) gives it in the session's UTC.
-- `late_after` is the UTC time of the local midnight that ends a due date (" 17:00:00" for
-- Asia/Ho_Chi_Minh, a zone without daylight saving).
per_report AS (
    SELECT r.assignment_id,
           SUM(CASE WHEN r.period_due <= %(cutoff)s AND r.submitted_at IS NOT NULL
                     AND CAST(r.submitted_at AS TEXT) >= CAST(r.period_due AS TEXT)
                                                         || %(late_after)s
                    THEN 1 ELSE 0 END) AS late,
           SUM(CASE WHEN r.period_due <= %(cutoff)s AND r.status IN ('submitted', 'accepted')
                    THEN 1 ELSE 0 END) AS reported,
           MAX(CASE WHEN r.status = 'accepted' AND r.submitted_at < %(cutoff_end)s
                    THEN r.period END) AS accepted_period
    FROM tasks_progressreport r JOIN work ON work.id = r.assignment_id
    GROUP BY r.assignment_id
),
-- Times each assignment's reports were returned by the cut-off.
per_return AS (
    SELECT r.assignment_id, COUNT(*) AS returned
    FROM tasks_reportevent e
    JOIN tasks_progressreport r ON r.id = e.report_id
    JOIN work ON work.id = r.assignment_id
    WHERE e.action = 'returned' AND e.at < %(cutoff_end)s
    GROUP BY r.assignment_id
),
-- Per assignment: achievement (share of the target reached by the latest accepted value,
-- 0…1), whether anything is accepted, and its late, missing and returned reports.
facts AS (
    SELECT work.unit_id, work.task_id,
           CASE
               WHEN pr.accepted_period IS NULL THEN 0
               WHEN work.kind = 'date' THEN
                   CASE WHEN v.value_date <= work.deadline THEN 1 ELSE 0 END
               WHEN work.kind = 'yes_no' THEN CASE WHEN v.value >= 1 THEN 1 ELSE 0 END
               WHEN work.target IS NULL OR work.target = 0 THEN 1
               WHEN COALESCE(v.value, 0) >= work.target THEN 1
               WHEN COALESCE(v.value, 0) <= 0 THEN 0
               ELSE COALESCE(v.value, 0) * 1.0 / work.target
           END AS achievement,
           CASE WHEN pr.accepted_period IS NULL THEN 0 ELSE 1 END AS accepted,
           COALESCE(pr.late, 0) AS late,
           CASE WHEN due.n > COALESCE(pr.reported, 0) THEN due.n - COALESCE(pr.reported, 0)
                ELSE 0 END AS missing,
           COALESCE(rt.returned, 0) AS returned
    FROM work
    -- Periods due by the cut-off: fixed for monthly and quarterly tasks, a one-off task's is
    -- its deadline.
    JOIN (SELECT w.id,
                 CASE w.cadence WHEN 'monthly' THEN %(monthly_due)s
                                WHEN 'quarterly' THEN %(quarterly_due)s
                                ELSE CASE WHEN w.deadline <= %(cutoff)s THEN 1 ELSE 0 END
                 END AS n
          FROM work w) due ON due.id = work.id
    LEFT JOIN per_report pr ON pr.assignment_id = work.id
    LEFT JOIN tasks_progressreport v
           ON v.assignment_id = work.id AND v.period = pr.accepted_period
    LEFT JOIN per_return rt ON rt.assignment_id = work.id
)
-- Per (unit, criterion): assignments read, accepted, mean achievement, late, missing and
-- returned reports — the figures the recompute turns into points.
SELECT facts.unit_id, reads.criterion_id, COUNT(*) AS assignments,
       SUM(facts.accepted) AS accepted, AVG(facts.achievement) AS achievement,
       SUM(facts.late) AS late, SUM(facts.missing) AS missing, SUM(facts.returned) AS returned
FROM facts JOIN reads ON reads.task_id = facts.task_id
GROUP BY facts.unit_id, reads.criterion_id
"""


def bare_aggregate(conn, scheme):
    """(sql, params) of BARE_SQL for the scheme, with the cut-off as the recompute reads it."""
    cutoff = scheme.cutoff or timezone.localdate()
    zone = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    offsets = {datetime.datetime(cutoff.year, m, 1, tzinfo=zone).utcoffset() for m in (1, 7)}
    offset = offsets.pop()
    if offsets or not datetime.timedelta(0) <= offset < datetime.timedelta(days=1):
        raise CommandError(f"bench_scoring: the bare SQL assumes a time zone east of UTC "
                           f"without daylight saving, not {settings.TIME_ZONE}.")
    end = datetime.datetime.combine(cutoff + datetime.timedelta(days=1), datetime.time(),
                                    tzinfo=zone)
    late_after = (datetime.datetime.min + (datetime.timedelta(days=1) - offset)).time()
    year = scheme.campaign.year

    def due(cadence):
        return sum(1 for p in periods_for(cadence, year, None) if p.due <= cutoff)

    return BARE_SQL, {
        "scheme": scheme.pk, "campaign": scheme.campaign_id,
        "cutoff": conn.ops.adapt_datefield_value(cutoff),
        "cutoff_end": conn.ops.adapt_datetimefield_value(end),
        "late_after": f" {late_after:%H:%M:%S}",
        "monthly_due": due(Cadence.MONTHLY), "quarterly_due": due(Cadence.QUARTERLY),
    }


def _compare(rows, round_):
    """(automatic scores checked, mismatches): the SQL's figures against each score's facts."""
    facts = {(u, c): f for u, c, f in Score.objects.filter(round=round_, applicable=True)
             .exclude(criterion__rule=Rule.MANUAL).values_list("unit_id", "criterion_id",
                                                             "facts")}
    mismatches, checked = [], 0
    for unit_id, criterion_id, n, accepted, achievement, late, missing, returned in rows:
        stored = facts.pop((unit_id, criterion_id), None)
        if stored is None:
            continue  # a manual criterion: nothing derived
        checked += 1
        if "late" in stored:
            same = (stored["assignments"], stored["late"], stored["missing"],
                    stored["returned"]) == (n, late, missing, returned)
        else:
            same = ((stored["assignments"], stored["accepted"]) == (n, accepted)
                    and abs(Decimal(stored["achievement"])
                            - Decimal(str(achievement)) * 100) <= Decimal("0.01"))
        if not same:
            mismatches.append((unit_id, criterion_id))
    mismatches += list(facts)  # scored by the recompute, absent from the SQL
    return checked, mismatches


# -- the ranking page -----------------------------------------------------------------------------

def _time_ranking(conn, office, scheme, repeat):
    """(median ms, min ms, queries), or why it was skipped."""
    try:
        url = reverse("scoring:ranking", args=[scheme.campaign_id])
    except NoReverseMatch:
        return "the URL scoring:ranking does not exist yet (scoring.urls not routed)"
    client = Client()
    client.force_login(office)
    try:
        response = client.get(url)
    except Exception as error:  # a view being written: say so rather than stop the run
        return f"{url} raised {type(error).__name__}: {error}"
    if response.status_code != 200:
        return f"{url} answered {response.status_code}"
    try:
        return bench.time_get(conn, client, url, repeat)
    except CommandError as error:  # answered 200 once, then not: say so rather than stop
        return str(error)
