"""The recompute in SQL (`scoring.recompute_sql`) against the Python computation it replaced.

`python_reference` is the old recompute's arithmetic (`compute.score_data`, which `explain`
still uses, and the old loop that decided each score's points): for a round as stored it says
what every score must become. Each test computes it first, runs the recompute, and compares
every score, every sheet and the audit line — on the demo and on random plans (every rule,
indicator kind and cadence, missing data, returns, capped bonus and penalty, rounding ties,
equal finals), several seeds. Run on SQLite and PostgreSQL (`scripts/with-postgres.sh`).
"""

import datetime
import random
from decimal import Decimal as D

import pytest
from django.utils import timezone

from scoring import compute, rules, services
from scoring.models import Criterion, Round, Rule, Scheme, Score, Sheet, Stage
from scoring.recompute import RESULT_FIELDS
from tasks.models import (
    Assignment,
    Cadence,
    IndicatorKind,
    ProgressReport,
    ReportAction,
    ReportEvent,
    ReportStatus,
)
from tests.demo_data import module_demo
from units.models import AuditEntry, Initiative, InitiativeLevel, Violation, ViolationKind

from ..factories import AssignmentFactory, TaskFactory, UnitFactory, plan
from .conftest import accepted, at

YEAR = 2022
SEEDS = [1, 2, 3, 4, 5]
demo = module_demo()


# -- the Python reference -------------------------------------------------------------------------

def python_reference(scheme, round_) -> dict:
    """(unit id, criterion id) → (applicable, data points, points, facts) as the Python
    recompute wrote them, given the round's stored scores."""
    criteria = compute.scored_criteria(scheme)
    automatic = {c.pk: c.is_automatic for c in criteria}
    data = compute.score_data(scheme, criteria) if criteria else {}
    stored = {(u, c): p for u, c, p in Score.objects.filter(round=round_).values_list(
        "unit_id", "criterion_id", "points")}
    follows = round_.kind == Stage.SELF
    expected = {}
    for key, datum in data.items():
        if key not in stored:
            points = datum.points if automatic[key[1]] else None
        else:
            points = datum.points if automatic[key[1]] and follows else stored[key]
        expected[key] = (datum.applicable, datum.points, points, datum.facts)
    return expected


def reference_sheets(scheme, round_) -> dict:
    """unit id → the results `refresh_results` gives, from the round's scores as stored."""
    totals = compute.totals(round_)
    bonus, penalty = compute.adjustments(scheme)
    rows = {}
    for unit_id in Sheet.objects.filter(round=round_).values_list("unit_id", flat=True):
        raw, maximum = totals.get(unit_id, (D(0), D(0)))
        appraised = rules.on_scale(raw, maximum, scheme.scale)
        final = rules.final_score(appraised, bonus.get(unit_id, D(0)),
                                  penalty.get(unit_id, D(0)))
        rows[unit_id] = [rules.q2(raw), rules.q2(maximum), appraised,
                         bonus.get(unit_id, D(0)), penalty.get(unit_id, D(0)), final,
                         rules.grade(final, **scheme.bands)]
    units = list(rows)
    for unit_id, rank in zip(units, rules.ranks([rows[u][5] for u in units]), strict=True):
        rows[unit_id].append(rank)
    return {unit_id: tuple(values) for unit_id, values in rows.items()}


def stored_scores(round_) -> dict:
    return {(s.unit_id, s.criterion_id): (s.applicable, s.data_points, s.points, s.facts)
            for s in Score.objects.filter(round=round_)}


def stored_sheets(round_) -> dict:
    return {s.unit_id: tuple(getattr(s, name) for name in RESULT_FIELDS)
            for s in Sheet.objects.filter(round=round_)}


def recompute_and_compare(scheme, round_, user) -> tuple[dict, dict]:
    """Run the recompute and check it stored what the Python reference says; return
    (counts, the scores that differed before) for the caller's checks on what was written."""
    expected = python_reference(scheme, round_)
    before = stored_scores(round_)
    differing = {key for key, value in expected.items() if before.get(key) != value}
    counts = services.recompute(scheme=scheme, user=user)
    after = stored_scores(round_)
    assert {key: after[key] for key in expected} == expected
    assert stored_sheets(round_) == reference_sheets(scheme, round_)
    return counts, {key: before.get(key) for key in differing}


# -- random plans ---------------------------------------------------------------------------------

# Maxima and targets chosen so that maximum × mean achievement lands on rounding ties
# (0.25 × 1/2 = 0.125, 1.5 × 1/12 = 0.125, 2.5 × 1/4 = 0.625) and bands are reached exactly.
MAXIMA = [D("0.25"), D("0.75"), D("1.5"), D("2.5"), D(3), D("7.5"), D(10), D("0.3")]
TARGETS = [None, D(0), D(3), D(4), D(8), D(10), D(12), D(40), D(100), D("2.5")]
BANDS = [[100, 100], [80, 75], [80, 60], [50, 50], [25, 62.5], ["12.5", "37.5"]]


def random_plan(rng, office):
    """A 2022 campaign, scheme and task data drawn from `rng`; returns the scheme."""
    units = [UnitFactory() for _ in range(7)]
    campaign = plan(items=3, units=units)
    items = list(campaign.items.order_by("number"))
    tasks = []
    for n in range(9):
        kind = rng.choice(list(IndicatorKind.values))
        cadence = rng.choice(list(Cadence.values))
        tasks.append(TaskFactory(
            item=items[n % 3], indicator_kind=kind, cadence=cadence,
            target_value=rng.choice(TARGETS) if kind in ("percent", "count") else None,
            deadline=datetime.date(YEAR, rng.randint(1, 12), rng.randint(1, 28))))
    # Unit 7 has no work at all; the others a random share of the tasks.
    for unit in units[:6]:
        for task in rng.sample(tasks, rng.randint(1, len(tasks))):
            assignment = AssignmentFactory(
                task=task, unit=unit,
                target_value=rng.choice([None, None, D(5), D(50)])
                if task.indicator_kind in ("percent", "count") else None,
                deadline=rng.choice([None, None, datetime.date(YEAR, 6, 15)]))
            random_reports(rng, assignment, office)
    scheme = Scheme.objects.create(campaign=campaign,
                                   cutoff=rng.choice([datetime.date(YEAR, 9, 30),
                                                      datetime.date(YEAR, 12, 31),
                                                      datetime.date(YEAR, 3, 31)]),
                                   bonus_cap=D(3), penalty_cap=D("2.5"))
    parent = Criterion.objects.create(scheme=scheme, item=items[2], number="P", order=99,
                                      title="Tiêu chí cha", max_points=D(5))
    order = 0
    for item in items:
        for rule in (Rule.PROPORTIONAL, Rule.BANDS, Rule.TIMELINESS, Rule.MANUAL):
            for named in (False, True):
                order += 1
                criterion = Criterion.objects.create(
                    scheme=scheme, item=item, number=f"{order}", order=order,
                    title=f"Tiêu chí {order}", max_points=rng.choice(MAXIMA), rule=rule,
                    parent=parent if order == 1 else None,
                    deduction=rng.choice([D("0.5"), D("0.25"), D("1.5"), D("0.3")]),
                    bands=rng.sample(BANDS, rng.randint(1, len(BANDS)))
                    if rule == Rule.BANDS else [])
                if named:
                    criterion.tasks.set(rng.sample(tasks, rng.randint(1, 3)))
    for unit in units:
        for _ in range(rng.randint(0, 4)):
            Initiative.objects.create(
                title="Sáng kiến", unit=unit, year=YEAR, decision="1/QĐ",
                decided_on=datetime.date(YEAR, 5, 1),
                level=rng.choice(list(InitiativeLevel.values)))
        for _ in range(rng.randint(0, 3)):
            Violation.objects.create(unit=unit, kind=rng.choice(list(ViolationKind.values)),
                                     description="Vi phạm.",
                                     occurred_on=datetime.date(YEAR, 8, 1))
    return scheme


def random_reports(rng, assignment, office):
    for period in assignment.periods():
        if rng.random() < 0.25:
            continue  # missing
        status = rng.choice(list(ReportStatus.values))
        kind = assignment.task.indicator_kind
        value = None
        if kind == IndicatorKind.YES_NO:
            value = D(rng.choice([0, 1]))
        elif kind in (IndicatorKind.PERCENT, IndicatorKind.COUNT):
            value = D(rng.choice([0, 1, 2, 3, 4, 5, 8, 10, 25, 40, 50, 75, 80, 100]))
        if rng.random() < 0.1:
            value = None  # accepted without a value: counts as 0
        submitted = None
        if status != ReportStatus.DRAFT:
            submitted = at(period.due + datetime.timedelta(days=rng.choice([-3, 0, 1, 5, 40])))
        report = ProgressReport.objects.create(
            assignment=assignment, period=period.key, period_due=period.due, value=value,
            value_date=datetime.date(YEAR, rng.randint(1, 12), rng.randint(1, 28))
            if kind == IndicatorKind.DATE and rng.random() < 0.8 else None,
            status=status, submitted_at=submitted, narrative="Đã làm.")
        for _ in range(rng.choice([0, 0, 1, 2])):
            ReportEvent.objects.create(
                report=report, actor=office, action=ReportAction.RETURNED,
                from_status=ReportStatus.SUBMITTED, to_status=ReportStatus.RETURNED,
                at=at(period.due + datetime.timedelta(days=rng.choice([2, 200]))))


def open_round(scheme, kind, user):
    return Round.objects.create(scheme=scheme, kind=kind, deadline=datetime.date(YEAR + 1, 1, 31),
                                opened_at=timezone.now(), opened_by=user)


@pytest.mark.parametrize("seed", SEEDS)
def test_sql_recompute_equals_the_python_one_on_random_plans_self_assessment(seed, cast):
    rng = random.Random(seed)
    scheme = random_plan(rng, cast.office)
    round_ = open_round(scheme, Stage.SELF, cast.office)

    counts, _differing = recompute_and_compare(scheme, round_, cast.office)
    assert counts["created"] == Score.objects.filter(round=round_).count() > 0
    assert counts["changed"] == 0

    # Again with nothing changed: nothing written, no audit line.
    lines = AuditEntry.objects.filter(action="scoring.recompute").count()
    counts, differing = recompute_and_compare(scheme, round_, cast.office)
    assert counts == {"created": 0, "changed": 0} and not differing
    assert AuditEntry.objects.filter(action="scoring.recompute").count() == lines

    # People's points on every score, then some values move: the automatic criteria's points
    # follow the data in the self-assessment, only the scores that moved are written, and the
    # audit line lists exactly them.
    Score.objects.filter(round=round_).update(points=D("1.11"))
    reports = list(ProgressReport.objects.filter(assignment__task__item__campaign=scheme.campaign,
                                                 status=ReportStatus.ACCEPTED))
    for report in rng.sample(reports, len(reports) // 3):
        report.value = D(rng.choice([0, 3, 8, 40, 60, 100]))
        report.save(update_fields=["value"])
    counts, differing = recompute_and_compare(scheme, round_, cast.office)
    assert counts["created"] == 0
    assert counts["changed"] == len(differing) > 0
    line = AuditEntry.objects.filter(action="scoring.recompute").latest("pk")
    ids = {(u, c): pk for pk, u, c in Score.objects.filter(round=round_).values_list(
        "pk", "unit_id", "criterion_id")}
    assert set(line.after["scores"]) == {str(ids[key]) for key in differing}
    for key, was in differing.items():
        now = stored_scores(round_)[key]
        assert line.before["scores"][str(ids[key])] == [was[0], _plain(was[1]), _plain(was[2])]
        assert line.after["scores"][str(ids[key])] == [now[0], _plain(now[1]), _plain(now[2])]


@pytest.mark.parametrize("seed", SEEDS[:3])
def test_sql_recompute_keeps_peoples_points_after_the_self_assessment(seed, cast):
    rng = random.Random(seed)
    scheme = random_plan(rng, cast.office)
    round_ = open_round(scheme, Stage.APPRAISAL, cast.office)
    recompute_and_compare(scheme, round_, cast.office)
    for score in Score.objects.filter(round=round_):
        score.points = rng.choice([None, D(0), D("0.5"), score.data_points])
        score.save(update_fields=["points"])
    for report in ProgressReport.objects.filter(
            assignment__task__item__campaign=scheme.campaign, status=ReportStatus.DRAFT):
        report.status = ReportStatus.ACCEPTED
        report.submitted_at = at(datetime.date(YEAR, 2, 1))
        report.save(update_fields=["status", "submitted_at"])

    counts, differing = recompute_and_compare(scheme, round_, cast.office)

    assert counts["changed"] == len(differing)


@pytest.mark.parametrize("seed", SEEDS[:2])
def test_sql_recompute_of_some_units_touches_only_theirs(seed, cast):
    rng = random.Random(seed)
    scheme = random_plan(rng, cast.office)
    round_ = open_round(scheme, Stage.SELF, cast.office)
    services.recompute(scheme=scheme, user=cast.office)
    unit_id = Score.objects.filter(round=round_).values_list("unit_id", flat=True).first()
    ProgressReport.objects.filter(assignment__task__item__campaign=scheme.campaign).update(
        status=ReportStatus.ACCEPTED, value=D(1), submitted_at=at(datetime.date(YEAR, 1, 5)))
    expected = python_reference(scheme, round_)
    others = {k: v for k, v in stored_scores(round_).items() if k[0] != unit_id}

    services.recompute(scheme=scheme, user=cast.office, unit_ids=[unit_id])

    after = stored_scores(round_)
    assert {k: v for k, v in after.items() if k[0] != unit_id} == others
    assert {k: v for k, v in after.items() if k[0] == unit_id} == {
        k: v for k, v in expected.items() if k[0] == unit_id}


@pytest.mark.parametrize("seed", SEEDS[:3])
def test_sql_recompute_of_a_round_without_scores_writes_what_the_diff_writes(seed, cast):
    """On SQLite a round with no score yet is filled by one INSERT … SELECT, without the temp
    table the diff of a round with scores goes through (PostgreSQL takes the diff both times):
    both store the same scores, the same sheets, and an audit line naming the units whose
    scores they created."""
    rng = random.Random(seed)
    scheme = random_plan(rng, cast.office)
    round_ = open_round(scheme, rng.choice([Stage.SELF, Stage.APPRAISAL]), cast.office)
    units = sorted(set(Assignment.objects.filter(
        task__item__campaign=scheme.campaign).values_list("unit_id", flat=True)))

    # Through the diff: one unit's scores first (a round without scores), then the others
    # created beside them.
    services.recompute(scheme=scheme, user=cast.office, unit_ids=units[:1])
    counts, _differing = recompute_and_compare(scheme, round_, cast.office)
    through_diff, sheets = stored_scores(round_), stored_sheets(round_)
    line = AuditEntry.objects.filter(action="scoring.recompute").latest("pk")
    assert line.after["created_for_units"] == units[1:]
    assert counts == {"created": len(through_diff) - len(through_diff) // len(units),
                      "changed": 0}

    # Through the one INSERT: the round emptied, everything created at once.
    Score.objects.filter(round=round_).delete()
    Sheet.objects.filter(round=round_).delete()
    counts, _differing = recompute_and_compare(scheme, round_, cast.office)

    assert stored_scores(round_) == through_diff
    assert stored_sheets(round_) == sheets
    assert counts == {"created": len(through_diff), "changed": 0}
    line = AuditEntry.objects.filter(action="scoring.recompute").latest("pk")
    assert line.after["created_for_units"] == units
    assert line.after["scores"] == {} and line.before["scores"] == {}


def test_sql_recompute_rounds_ties_and_reaches_bands_as_decimals_do(cast):
    """Values binary floating point puts on the wrong side of a tie or a threshold:
    0.3 × 35 % = 0.105 (0.10499… in floats), mean(15 %, 95 %) = 55 % (54.99…),
    1.5 × mean(25 %, 0, 0) = 0.125."""
    campaign = plan(items=1, units=[cast.unit_a])
    item = campaign.items.get()
    tasks = [TaskFactory(item=item, cadence=Cadence.ONCE, target_value=100) for _ in range(6)]
    for task, value in zip(tasks, [35, 15, 95, 25, 0, 0], strict=True):
        accepted(AssignmentFactory(task=task, unit=cast.unit_a), "2022", value,
                 submitted=datetime.date(2022, 3, 1))
    scheme = Scheme.objects.create(campaign=campaign, cutoff=datetime.date(2022, 12, 31))
    rules_ = [(D("0.3"), Rule.PROPORTIONAL, [], tasks[:1]),
              (D(2), Rule.BANDS, [[55, 50], [30, 25]], tasks[1:3]),
              (D("1.5"), Rule.PROPORTIONAL, [], tasks[3:])]
    criteria = []
    for n, (maximum, rule, bands, read) in enumerate(rules_, start=1):
        criterion = Criterion.objects.create(scheme=scheme, item=item, number=str(n), order=n,
                                             title=f"Tiêu chí {n}", max_points=maximum,
                                             rule=rule, bands=bands)
        criterion.tasks.set(read)
        criteria.append(criterion)
    round_ = open_round(scheme, Stage.SELF, cast.office)

    recompute_and_compare(scheme, round_, cast.office)

    points = dict(Score.objects.filter(round=round_).values_list("criterion_id", "points"))
    assert [points[c.pk] for c in criteria] == [D("0.11"), D("1.00"), D("0.13")]
    facts = Score.objects.get(round=round_, criterion=criteria[1]).facts
    assert facts == {"assignments": 2, "accepted": 2, "achievement": "55.00"}


def test_sql_recompute_counts_late_from_the_local_midnight_and_reads_the_latest_value(cast):
    """Late means submitted on a later local calendar day than the due date: a second before
    local midnight is on time, midnight itself is late (PostgreSQL compares with the midnight's
    instant rather than converting each timestamp). The value read is the latest accepted
    period's, with its date, even when an earlier period holds a larger value."""
    campaign = plan(items=1, units=[cast.unit_a])
    item = campaign.items.get()
    monthly = TaskFactory(item=item, cadence=Cadence.MONTHLY, target_value=100)
    dated = TaskFactory(item=item, cadence=Cadence.ONCE, indicator_kind=IndicatorKind.DATE,
                        target_value=None, deadline=datetime.date(YEAR, 6, 30))
    work = AssignmentFactory(task=monthly, unit=cast.unit_a)
    zone = at(datetime.date(YEAR, 1, 1)).tzinfo
    for period in work.periods()[:3]:
        ends = datetime.datetime.combine(period.due + datetime.timedelta(days=1),
                                         datetime.time(), tzinfo=zone)
        submitted = {1: ends - datetime.timedelta(seconds=1), 2: ends, 3: ends}[period.due.month]
        ProgressReport.objects.create(
            assignment=work, period=period.key, period_due=period.due,
            value=D({1: 90, 2: 80, 3: 35}[period.due.month]), status=ReportStatus.ACCEPTED,
            submitted_at=submitted, narrative="Đã làm.")
    ProgressReport.objects.create(
        assignment=AssignmentFactory(task=dated, unit=cast.unit_a), period=str(YEAR),
        period_due=datetime.date(YEAR, 6, 30), value_date=datetime.date(YEAR, 6, 30),
        status=ReportStatus.ACCEPTED, submitted_at=at(datetime.date(YEAR, 6, 1)),
        narrative="Đã làm.")
    scheme = Scheme.objects.create(campaign=campaign, cutoff=datetime.date(YEAR, 12, 31))
    proportional, timeliness, on_date = (
        Criterion.objects.create(scheme=scheme, item=item, number=str(n), order=n,
                                 title=f"Tiêu chí {n}", max_points=D(10), rule=rule,
                                 deduction=D(1))
        for n, rule in enumerate([Rule.PROPORTIONAL, Rule.TIMELINESS, Rule.PROPORTIONAL],
                                 start=1))
    proportional.tasks.set([monthly])
    timeliness.tasks.set([monthly])
    on_date.tasks.set([dated])
    round_ = open_round(scheme, Stage.SELF, cast.office)

    recompute_and_compare(scheme, round_, cast.office)

    facts = {s.criterion_id: s.facts for s in Score.objects.filter(round=round_)}
    assert facts[timeliness.pk]["late"] == 2
    assert facts[proportional.pk]["achievement"] == "35.00"
    assert facts[on_date.pk]["achievement"] == "100.00"


def _plain(value):
    return None if value is None else str(value)


# -- the demo -------------------------------------------------------------------------------------

def test_sql_recompute_equals_the_python_one_on_the_demo(demo):
    schemes = [s for s in Scheme.objects.select_related("campaign")
               if s.rounds.filter(closed_at__isnull=True).exists()]
    assert schemes, "the demo has a scheme with an open round"
    for scheme in schemes:
        round_ = scheme.rounds.get(closed_at__isnull=True)
        # As loaded: nothing to change, and no audit line.
        counts, differing = recompute_and_compare(scheme, round_, None)
        assert counts == {"created": 0, "changed": 0} and not differing
        # From an empty round: every score created as the Python computation would.
        Score.objects.filter(round=round_).delete()
        counts, _differing = recompute_and_compare(scheme, round_, None)
        assert counts["created"] == Score.objects.filter(round=round_).count() > 0
