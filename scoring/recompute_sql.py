"""A round's automatic scores computed by the database, in a fixed number of statements.

`derive_scores` does in SQL what `compute.score_data` (the Python reference, kept for
the tests to compare with) does row by row, and writes only what differs:

1. one `CREATE TEMP TABLE … AS WITH … SELECT` computes, for every unit with work in the
   campaign and every scored criterion, what the task data says (applicable, data points,
   facts), joins it to the round's stored score and keeps only the rows that are new or whose
   value moved — with the stored value beside the new one;
2. one `INSERT … SELECT` of the new rows, one `UPDATE … FROM` of the moved ones;
3. two reads of that same temp table give the audit line: each moved score before and after,
   and the units whose scores were created.

At province scale the temp table is empty when nothing moved, so an unchanged round costs the
one aggregate pass over the reports and nothing else. On SQLite a round with no score yet (its
first computation) skips the diff: one `INSERT … SELECT` of the same derived rows (`_insert_sql`),
in the unique index's order, and the audit line's units read back from the round.

Same numbers as the Python reference. Decimal work follows `scoring.rules` step by step:
achievement = latest accepted value / target, clipped to 0…1; their mean; proportional =
maximum × mean; bands = maximum × share of the first band reached in the order `rules.banded`
tries them (passed from Python, so equal thresholds resolve the same way); timeliness =
maximum − deduction × faults, never below 0; every result rounded half up to two places.
- PostgreSQL computes in NUMERIC with 30 decimals (Python's Decimal carries 28 significant
  digits); before each rounding and band comparison the value is rounded to 20 places, so a
  value that is exactly a tie or a threshold (1.5 × mean(25 %, 0, 0) = 0.125) is seen as one
  even when a division left it a hair below (0.12499…9), as Python's Decimal sees it.
- SQLite has only binary floating point. Its error on these sums is below 1e-12, so each
  rounding and threshold comparison is nudged by `EPSILON` (1e-9) towards the side an exact
  tie falls on: 0.3 × 35 % = 0.105 rounds to 0.11 and a mean of (15 %, 95 %) reaches the 55 %
  band, as in Python.
Where the two paths could still part: a value within 1e-20 (PostgreSQL) or 1e-9 (SQLite) of a
tie without being on it — with two-decimal data and targets of a few digits that takes a mean
over many assignments with large, mutually prime targets — and the few exact ties Python's own
28 digits miss (0.03 × mean(1/3, 0) = 0.005 is 0.00 in Decimal, 0.01 here).
tests/scoring/test_recompute_sql.py compares both paths on the demo and on random data.
On PostgreSQL (`_Dialect`), measured at province scale with EXPLAIN (ANALYZE, BUFFERS): the
pass over the reports carries the latest accepted value with its period (no second join of
the 720,000 reports), lateness is compared with the local midnight's instant (no time-zone
conversion per report), period keys compare bytewise (the vi-VN ICU collation cost most of
MAX), and the assignments are planned inline in each use so the planner's estimates stay
near the truth (as a work table it expected three billion facts and spilled its hashes).
Things that need no arithmetic (which periods are due by the cut-off, the bands' order) are
worked out in Python from the same functions the reference uses and passed in as parameters.
"""

import datetime
from decimal import Decimal

from django.db.models.expressions import Col

from tasks.models import Cadence, ProgressReport, ReportAction, ReportStatus, periods_for
from tasks.queries import LocalDate, end_of

from .compute import cutoff_of
from .models import Rule, Score, Stage, q2

EPSILON = "0.000000001"
TEMP = "scoring_recompute_diff"


class _Dialect:
    """The few places where PostgreSQL and SQLite spell the same thing differently."""

    def __init__(self, connection):
        self.connection = connection
        self.pg = connection.vendor == "postgresql"

    def num(self, placeholder="%s") -> str:
        """A decimal parameter as a number (on SQLite Django sends Decimals as text, which
        would compare as greater than every number)."""
        return f"CAST({placeholder} AS {'NUMERIC' if self.pg else 'REAL'})"

    def precise(self, sql) -> str:
        """A stored decimal as the operand of a division: 30 decimals on PostgreSQL, a float
        on SQLite (whose integer columns would otherwise divide as integers)."""
        return f"CAST({sql} AS NUMERIC(42, 30))" if self.pg else f"({sql} * 1.0)"

    def snap(self, sql) -> str:
        """A computed value moved onto the exact value it stands for when it is within the
        arithmetic's error of it: PostgreSQL's 30 decimals give 1.5 × (0.25 / 3) as
        0.12499…9 where Python's Decimal (and exact arithmetic) have 0.125; rounding to 20
        places first gives 0.125 back. SQLite's floats are nudged up by EPSILON instead."""
        return f"ROUND({sql}, 20)" if self.pg else f"(({sql}) + {EPSILON})"

    def round2(self, sql) -> str:
        """Half up to two places, as `q2` rounds the exact value."""
        return f"ROUND({self.snap(sql)}, 2)"

    def at_least(self, left, right) -> str:
        """`left >= right` as exact decimals would compare them."""
        return f"{self.snap(left)} >= {right}"

    def as_text2(self, sql) -> str:
        """A number rounded to two places, written as Python's str(q2(x)) writes it."""
        return f"CAST({self.round2(sql)} AS TEXT)" if self.pg else \
            f"printf('%%.2f', {self.round2(sql)})"

    def late(self) -> tuple[str, list]:
        """(sql, params): report `r` was submitted after the local calendar day it was due.
        SQLite: its submission's local date, compiled by the ORM exactly as the reference's
        `LocalDate` filter. PostgreSQL: submitted at or after the local midnight that ends the
        due date — the same instants, without converting 720,000 timestamps to local dates
        (a time-zone lookup each; a third of the pass over the reports)."""
        if not self.pg:
            local_date, params = _local_date_sql(self.connection, "submitted_at")
            return f"r.submitted_at IS NOT NULL AND {local_date} > r.period_due", params
        zone = LocalDate("submitted_at").get_tzname()
        return "r.submitted_at >= CAST(r.period_due + 1 AS TIMESTAMP) AT TIME ZONE %s", [zone]

    def latest(self, report) -> str:
        """What MAX keeps of the latest accepted report. SQLite: its period, whose value is then
        looked up by (assignment, period). PostgreSQL: the period with the value and date
        after it, one text, so the pass over the reports brings the value too; joining the
        720,000 reports a second time for 60,000 values cost more than that whole pass.
        Period keys ("2022", "2022-05", "2022-Q3") have no space and the space sorts before
        every character of a key, so the text's maximum is the latest period's."""
        if not self.pg:
            return f"{report}.period"
        return (f"{report}.period || ' ' || COALESCE(CAST({report}.value AS TEXT), '') || ' ' "
                f"|| COALESCE(to_char({report}.value_date, 'YYYY-MM-DD'), '')")

    def bytewise(self) -> str:
        """Compare the period keys byte by byte: the database's Vietnamese (ICU) collation
        orders these keys the same way — digits, '-' and 'Q' — at many times the cost per
        comparison. SQLite compares bytes already."""
        return 'COLLATE "C"' if self.pg else ""

    def latest_columns(self, latest, report) -> str:
        """accepted_period, value and value_date from what `latest` kept."""
        if not self.pg:
            return (f"{latest} AS accepted_period, {report}.value, "
                    f"{report}.value_date")
        return (f"NULLIF(split_part({latest}, ' ', 1), '') AS accepted_period, "
                f"CAST(NULLIF(split_part({latest}, ' ', 2), '') AS NUMERIC) AS value, "
                f"CAST(NULLIF(split_part({latest}, ' ', 3), '') AS DATE) AS value_date")

    def latest_join(self, latest, report, assignment) -> str:
        if self.pg:
            return ""
        return (f"LEFT JOIN tasks_progressreport {report} "
                f"ON {report}.assignment_id = {assignment} AND {report}.period = {latest}")

    def inline(self) -> str:
        """PostgreSQL: a CTE read several times is planned into each query that reads it, with
        the tables' statistics, rather than computed once into a work table the planner knows
        nothing about (it then took 60,000 assignments for three billion facts)."""
        return "NOT MATERIALIZED " if self.pg else ""

    def json(self, *pairs) -> str:
        function = "jsonb_build_object" if self.pg else "json_object"
        body = ", ".join(f"'{key}', {value}" for key, value in pairs)
        return f"{function}({body})"

    def empty_json(self) -> str:
        return "CAST('{}' AS JSONB)" if self.pg else "json_object()"

    def stored_json(self, sql) -> str:
        """A stored JSON column in the form the computed one takes: jsonb compares by value;
        SQLite keeps the text Django wrote (with spaces), json() minifies it."""
        return sql if self.pg else f"json({sql})"

    def distinct(self, left, right) -> str:
        return f"{left} IS DISTINCT FROM {right}" if self.pg else f"{left} IS NOT {right}"

    def true(self) -> str:
        return "TRUE" if self.pg else "1"

    def boolean(self, condition) -> str:
        return f"({condition})" if self.pg else f"(CASE WHEN {condition} THEN 1 ELSE 0 END)"


def _local_date_sql(connection, column) -> tuple[str, list]:
    """SQL for a report timestamp's local calendar date, compiled by the ORM exactly as the
    reference's `LocalDate` filter is (SQLite's fast `date(…, offset)` or Django's own SQL)."""
    query = ProgressReport.objects.all().query
    compiler = query.get_compiler(connection=connection)
    field = ProgressReport._meta.get_field(column)
    expression = LocalDate(Col("r", field))
    sql, params = compiler.compile(expression.resolve_expression(query))
    return sql, list(params)


def _due_counts(scheme, cutoff) -> dict[str, int]:
    """Periods due by the cut-off for the cadences with fixed periods (`compute._due_count`)."""
    year = scheme.campaign.year
    return {cadence: sum(1 for p in periods_for(cadence, year, None) if p.due <= cutoff)
            for cadence in (Cadence.MONTHLY, Cadence.QUARTERLY)}


def _literal(d: _Dialect, value) -> str:
    """A threshold or share as a SQL number, spelled as `num` casts a parameter. Written into
    the statement: it comes from the scheme's stored JSON through Decimal, so it is digits,
    a point and a sign, nothing else."""
    number = Decimal(str(value))
    if not number.is_finite():
        raise ValueError(f"band value {value!r} is not a number")
    return d.num(f"'{number:f}'")


def _banded_sql(d: _Dialect, criteria, percent) -> str:
    """`rules.banded` as one CASE per bands criterion: its bands in the order rules.banded
    tries them (highest threshold first, equal thresholds in their stored order), the first
    reached giving maximum × share, else 0. Inline rather than a sub-select over a VALUES list
    of every band: that ran a sort per (unit, criterion) row, and twice per row on PostgreSQL
    (once for the data points, once for the points that repeat them)."""
    whens = []
    for criterion in criteria:
        if criterion.rule != Rule.BANDS:
            continue
        tried = sorted(criterion.bands, key=lambda band: Decimal(str(band[0])), reverse=True)
        steps = " ".join(
            f"WHEN {d.at_least(percent, _literal(d, threshold))} "
            f"THEN {d.round2(f'c.max_points * {_literal(d, share)} / 100')}"
            for threshold, share in tried)
        body = f"CASE {steps} ELSE 0 END" if steps else "0"
        whens.append(f"WHEN c.id = {int(criterion.pk)} THEN {body}")
    return f"CASE {' '.join(whens)} ELSE 0 END" if whens else "0"


def _derived_sql(d: _Dialect, *, scheme, criteria, unit_ids):
    """(sql, params) of `WITH … derived AS (…)`: for every unit with work in the campaign (or
    of `unit_ids`) and every scored criterion, what the task data says — the statement the
    temp table's diff and an empty round's direct insert both complete."""
    connection = d.connection
    cutoff = cutoff_of(scheme)
    ops = connection.ops
    cutoff_p = ops.adapt_datefield_value(cutoff)
    end_p = ops.adapt_datetimefield_value(end_of(cutoff))
    dec31_p = ops.adapt_datefield_value(datetime.date(scheme.campaign.year, 12, 31))
    due = _due_counts(scheme, cutoff)
    params: list = []

    # The scheme's leaf criteria, from Python (already read by `compute.scored_criteria`).
    crit_rows = []
    for c in criteria:
        crit_rows.append(f"(%s, %s, %s, {d.num()}, {d.num()}, %s)")
        params += [c.pk, c.item_id, c.rule, c.max_points, c.deduction, 1 if c.task_ids else 0]

    units_filter = ""
    unit_params: list = []
    if unit_ids is not None:
        units_filter = f" AND a.unit_id IN ({', '.join(['%s'] * len(unit_ids))})"
        unit_params = list(unit_ids)
    late, late_params = d.late()
    reported = ", ".join(["%s"] * 2)

    achievement_ratio = f"{d.precise('COALESCE(w.value, 0)')} / w.target_or_percent"
    achieved = d.precise("g.achieved")
    ratio = f"({achieved} / g.n)"
    faults = "(g.late + g.missing + g.returned)"
    left = f"c.max_points - c.deduction * {faults}"

    sql = f"""
WITH
-- The scheme's scored criteria: rule, maximum, deduction, whether it names its tasks.
crit (id, item_id, rule, max_points, deduction, names_tasks) AS (
    VALUES {", ".join(crit_rows)}
),
-- Which tasks each criterion reads: those it names, else every task of its content item.
link AS (
    SELECT l.criterion_id, l.task_id
    FROM scoring_criterion_tasks l JOIN crit ON crit.id = l.criterion_id
    UNION ALL
    SELECT crit.id, t.id FROM crit JOIN tasks_task t ON t.item_id = crit.item_id
    WHERE crit.names_tasks = 0
),
-- The campaign's assignments with their own or their task's target and deadline.
work AS {d.inline()}(
    SELECT a.id, a.unit_id, a.task_id, t.indicator_kind AS kind, t.cadence,
           COALESCE(a.target_value, t.target_value,
                    CASE WHEN t.indicator_kind = 'percent' THEN 100 END) AS target_or_percent,
           COALESCE(a.deadline, t.deadline) AS deadline
    FROM tasks_assignment a
    JOIN tasks_task t ON t.id = a.task_id
    JOIN campaigns_contentitem i ON i.id = t.item_id
    WHERE i.campaign_id = %s{units_filter}
),
-- One pass over the reports: those due by the cut-off submitted after their due date (local
-- calendar day), those due and submitted or accepted, and the latest period accepted by the
-- end of the cut-off day (the reference's ORDER BY -period … [:1]; on PostgreSQL with its
-- value, see `_Dialect.latest`).
per_report AS (
    SELECT r.assignment_id,
           SUM(CASE WHEN r.period_due <= %s AND {late} THEN 1 ELSE 0 END) AS late,
           SUM(CASE WHEN r.period_due <= %s AND r.status IN ({reported})
                    THEN 1 ELSE 0 END) AS reported,
           MAX(CASE WHEN r.status = %s AND r.submitted_at < %s THEN {d.latest('r')} END
               {d.bytewise()}) AS latest
    FROM tasks_progressreport r JOIN work ON work.id = r.assignment_id
    GROUP BY r.assignment_id
),
-- Times each assignment's reports were returned by the end of the cut-off day.
per_return AS (
    SELECT r.assignment_id, COUNT(*) AS returned
    FROM tasks_reportevent e
    JOIN tasks_progressreport r ON r.id = e.report_id
    JOIN work ON work.id = r.assignment_id
    WHERE e.action = %s AND e.at < %s
    GROUP BY r.assignment_id
),
-- Periods due by the cut-off: fixed for monthly and quarterly tasks, a one-off task's is its
-- deadline (periods_for, counted in Python for the fixed ones).
assignment AS (
    SELECT w.*, {d.latest_columns('pr.latest', 'v')},
           COALESCE(pr.late, 0) AS late, COALESCE(pr.reported, 0) AS reported,
           COALESCE(rt.returned, 0) AS returned,
           CASE w.cadence WHEN %s THEN %s WHEN %s THEN %s
                ELSE CASE WHEN COALESCE(w.deadline, %s) <= %s THEN 1 ELSE 0 END END AS due
    FROM work w
    LEFT JOIN per_report pr ON pr.assignment_id = w.id
    {d.latest_join('pr.latest', 'v', 'w.id')}
    LEFT JOIN per_return rt ON rt.assignment_id = w.id
),
-- Per scored assignment (something due by the cut-off, or accepted early): rules.achievement
-- and the faults timeliness counts.
fact AS MATERIALIZED (
    SELECT w.unit_id, w.task_id,
           CASE WHEN w.accepted_period IS NULL THEN 0 ELSE 1 END AS accepted,
           CASE
               WHEN w.accepted_period IS NULL THEN 0
               WHEN w.kind = 'date' THEN
                   CASE WHEN w.value_date IS NOT NULL AND w.value_date <= w.deadline
                        THEN 1 ELSE 0 END
               WHEN w.kind = 'yes_no' THEN
                   CASE WHEN COALESCE(w.value, 0) >= 1 THEN 1 ELSE 0 END
               WHEN w.target_or_percent IS NULL OR w.target_or_percent = 0 THEN 1
               WHEN {achievement_ratio} >= 1 THEN 1
               WHEN {achievement_ratio} <= 0 THEN 0
               ELSE {achievement_ratio}
           END AS achievement,
           w.late,
           CASE WHEN w.due > w.reported THEN w.due - w.reported ELSE 0 END AS missing,
           w.returned
    FROM assignment w
    WHERE w.due > 0 OR w.accepted_period IS NOT NULL
),
-- Per (unit, criterion) read: the sums the rules turn into points.
grouped AS (
    SELECT f.unit_id, link.criterion_id, COUNT(*) AS n, SUM(f.accepted) AS accepted,
           SUM(f.achievement) AS achieved, SUM(f.late) AS late, SUM(f.missing) AS missing,
           SUM(f.returned) AS returned
    FROM fact f JOIN link ON link.task_id = f.task_id
    GROUP BY f.unit_id, link.criterion_id
),
-- Every unit with work in the campaign gets a row for every criterion (compute.score_data).
derived AS (
    SELECT u.unit_id, c.id AS criterion_id, c.rule,
           CASE WHEN c.rule = %s THEN {d.boolean('g.n IS NOT NULL OR c.names_tasks = 0')}
                ELSE {d.boolean('g.n IS NOT NULL')} END AS applicable,
           CASE
               WHEN c.rule = %s OR g.n IS NULL THEN NULL
               WHEN c.rule = %s THEN
                   CASE WHEN {left} <= 0 THEN 0 ELSE {d.round2(left)} END
               WHEN c.rule = %s THEN {_banded_sql(d, criteria, f'{ratio} * 100')}
               ELSE {d.round2(f'c.max_points * {achieved} / g.n')}
           END AS data_points,
           CASE
               WHEN c.rule = %s OR g.n IS NULL THEN {d.empty_json()}
               WHEN c.rule = %s THEN {d.json(('assignments', 'g.n'), ('late', 'g.late'),
                                                ('missing', 'g.missing'),
                                                ('returned', 'g.returned'))}
               ELSE {d.json(('assignments', 'g.n'), ('accepted', 'g.accepted'),
                            ('achievement', d.as_text2(f'{ratio} * 100')))}
           END AS facts
    FROM (SELECT DISTINCT unit_id FROM work) u
    CROSS JOIN crit c
    LEFT JOIN grouped g ON g.unit_id = u.unit_id AND g.criterion_id = c.id
)
"""
    params += [scheme.campaign_id, *unit_params,
               cutoff_p, *late_params, cutoff_p, ReportStatus.SUBMITTED, ReportStatus.ACCEPTED,
               ReportStatus.ACCEPTED, end_p,
               ReportAction.RETURNED, end_p,
               Cadence.MONTHLY, due[Cadence.MONTHLY], Cadence.QUARTERLY,
               due[Cadence.QUARTERLY], dec31_p, cutoff_p,
               Rule.MANUAL, Rule.MANUAL, Rule.TIMELINESS, Rule.BANDS, Rule.MANUAL,
               Rule.TIMELINESS]
    return sql, params


def _diff_sql(d: _Dialect, *, scheme, round_, criteria, unit_ids, follows):
    """(sql, params) of the statement that fills the temp table with the new and moved rows."""
    derived, params = _derived_sql(d, scheme=scheme, criteria=criteria, unit_ids=unit_ids)
    sql = f"""
CREATE TEMP TABLE {TEMP} AS
{derived},
-- Beside each, the stored score and the points it gets: an automatic criterion's data points
-- in a new score, and in the self-assessment; otherwise the points people gave are kept.
beside AS (
    SELECT d.*, s.id AS score_id, s.applicable AS was_applicable,
           s.data_points AS was_data_points, s.points AS was_points, s.facts AS was_facts,
           CASE WHEN d.rule <> %s AND (s.id IS NULL OR {d.true() if follows else '1 = 0'})
                THEN d.data_points ELSE s.points END AS points
    FROM derived d
    LEFT JOIN scoring_score s
           ON s.round_id = %s AND s.unit_id = d.unit_id AND s.criterion_id = d.criterion_id
)
SELECT unit_id, criterion_id, applicable, data_points, points, facts, score_id,
       was_applicable, was_data_points, was_points
FROM beside
WHERE score_id IS NULL
   OR {d.distinct('was_applicable', 'applicable')}
   OR {d.distinct('was_data_points', 'data_points')}
   OR {d.distinct('was_points', 'points')}
   OR {d.distinct(d.stored_json('was_facts'), 'facts')}
"""
    return sql, [*params, Rule.MANUAL, round_.pk]


def _insert_sql(d: _Dialect, *, scheme, round_, criteria, unit_ids):
    """(sql, params) of the one INSERT … SELECT that fills a round with no score yet: every
    derived row is new, so there is nothing to compare and no temp table to write 40,000 rows
    into and read back. Its points are those a new score gets in `_diff_sql`'s `beside` (an
    automatic criterion's data points, a manual one's none), whatever the round."""
    derived, params = _derived_sql(d, scheme=scheme, criteria=criteria, unit_ids=unit_ids)
    sql = f"""
INSERT INTO scoring_score (round_id, unit_id, criterion_id, applicable, data_points, points,
                           note, facts)
{derived}
SELECT %s, unit_id, criterion_id, applicable, data_points,
       CASE WHEN rule <> %s THEN data_points END, '', facts
FROM derived
ORDER BY unit_id, criterion_id
"""
    return sql, [*params, round_.pk, Rule.MANUAL]


def _decimal(value) -> Decimal | None:
    """A number read back from the temp table as the two-place Decimal the field gives (on
    SQLite a float, whose shortest repr is the decimal that was stored)."""
    if value is None:
        return None
    return q2(value if isinstance(value, Decimal) else Decimal(repr(value)))


def _plain(value) -> str | None:
    return None if value is None else str(value)


def derive_scores(connection, *, scheme, round_, criteria, unit_ids=None) -> dict:
    """Bring the round's scores up to date in SQL; return what moved, for the audit line.

    Returns {"created": n, "changed": n, "created_for_units": [unit ids],
    "moved": {score id: ([applicable, data points, points] before, … after)}}.
    Runs inside the caller's transaction; the temp table is dropped before returning.
    """
    d = _Dialect(connection)
    follows = round_.kind == Stage.SELF
    # SQLite, a round with no score yet (just opened, its first computation): every row is
    # new, so one INSERT … SELECT writes them without the temp table (writing 40,000 rows into
    # it and reading them back cost a tenth of an empty round's recompute). Not on PostgreSQL:
    # it plans no INSERT … SELECT in parallel, and the CREATE TABLE AS of the diff, run by
    # parallel workers, took a third less time than the one INSERT at province scale.
    first = not d.pg and not Score.objects.filter(round=round_).exists()
    if first:
        sql, params = _insert_sql(d, scheme=scheme, round_=round_, criteria=criteria,
                                  unit_ids=unit_ids)
    else:
        sql, params = _diff_sql(d, scheme=scheme, round_=round_, criteria=criteria,
                                unit_ids=unit_ids, follows=follows)
    with connection.cursor() as cursor:
        if d.pg:
            # JIT compilation of this statement took seconds at province scale, the work well
            # under one (the cost estimate is still above jit_above_cost since the work CTE
            # is planned inline). Off for this statement only; the setting is put back below.
            cursor.execute("SELECT current_setting('jit'), set_config('jit', 'off', true)")
            jit = cursor.fetchone()[0]
        if first:
            cursor.execute(sql, params)
            created = cursor.rowcount
            if d.pg:
                cursor.execute("SELECT set_config('jit', %s, true)", [jit])
            # The audit line: the round had no score, so every score it has now is new.
            cursor.execute("SELECT DISTINCT unit_id FROM scoring_score WHERE round_id = %s "
                           "ORDER BY unit_id", [round_.pk])
            return {"created": created, "changed": 0,
                    "created_for_units": [row[0] for row in cursor.fetchall()], "moved": {}}
        cursor.execute(f"DROP TABLE IF EXISTS {TEMP}")
        cursor.execute(sql, params)
        if d.pg:
            cursor.execute("SELECT set_config('jit', %s, true)", [jit])
        # The new scores: one INSERT … SELECT, in the order of the unique (round, unit,
        # criterion) index, so each row lands next to the one before it in that index and in
        # score_breakdown's (round, criterion, …) runs rather than at a random page of each.
        cursor.execute(
            f"INSERT INTO scoring_score (round_id, unit_id, criterion_id, applicable, "
            f"data_points, points, note, facts) "
            f"SELECT %s, unit_id, criterion_id, applicable, data_points, points, '', facts "
            f"FROM {TEMP} WHERE score_id IS NULL ORDER BY unit_id, criterion_id", [round_.pk])
        created = cursor.rowcount
        # The moved ones: one UPDATE … FROM, when there are any (with none, PostgreSQL still
        # planned a pass over the round's scores just inserted, whose statistics it lacks).
        cursor.execute(f"SELECT COUNT(*) FROM {TEMP} WHERE score_id IS NOT NULL")
        changed = cursor.fetchone()[0]
        if changed:
            cursor.execute(
                f"UPDATE scoring_score SET applicable = n.applicable, "
                f"data_points = n.data_points, points = n.points, facts = n.facts "
                f"FROM {TEMP} n WHERE scoring_score.id = n.score_id")
            changed = cursor.rowcount
        # The audit line reads the same rows the two writes took.
        cursor.execute(f"SELECT DISTINCT unit_id FROM {TEMP} WHERE score_id IS NULL "
                       f"ORDER BY unit_id")
        created_for_units = [row[0] for row in cursor.fetchall()]
        moved = {}
        if changed:
            cursor.execute(
                f"SELECT score_id, was_applicable, was_data_points, was_points, applicable, "
                f"data_points, points FROM {TEMP} WHERE score_id IS NOT NULL ORDER BY score_id")
            for pk, *values in cursor.fetchall():
                was_a, was_d, was_p, now_a, now_d, now_p = values
                moved[str(pk)] = (
                    [bool(was_a), _plain(_decimal(was_d)),
                     _plain(_decimal(was_p))],
                    [bool(now_a), _plain(_decimal(now_d)),
                     _plain(_decimal(now_p))])
        cursor.execute(f"DROP TABLE {TEMP}")
    return {"created": created, "changed": changed, "created_for_units": created_for_units,
            "moved": moved}
