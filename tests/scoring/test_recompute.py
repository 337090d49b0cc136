"""The open round as derived data (`scoring.recompute`): after every kind of write, what the
flush and the services keep equals a full recompute from the sources, and the flush runs once
per committed transaction, never for one that rolled back."""

import datetime
from decimal import Decimal as D

import pytest
from django.db import transaction

from scoring import services
from scoring.models import Score, Sheet, Stage
from scoring.recompute import RESULT_FIELDS, open_round, recompute
from tasks import services as task_services
from units.models import AuditEntry

DEADLINE = datetime.date(2099, 12, 31)


@pytest.fixture
def opened(scored, cast, django_capture_on_commit_callbacks):
    """The self-assessment open on the scored plan, counting reports sent today, with unit B's
    first quarter of T1 submitted and unit A's manual criterion given points."""
    scored.scheme.cutoff = None
    scored.scheme.save()
    round_ = services.open_first_round(scheme=scored.scheme, deadline=DEADLINE, user=cast.office)
    with django_capture_on_commit_callbacks(execute=True):
        scored.sent = task_services.submit(
            report=_save(scored.t1.assignments.get(unit=cast.unit_b), "2022-Q1", cast.head_b),
            user=cast.head_b)
    score = round_.scores.get(unit=cast.unit_a, criterion=scored.c4)
    sheet = round_.sheets.get(unit=cast.unit_a)
    services.save_sheet(sheet=sheet, changes={score: (D(15), "")}, user=cast.head_a,
                        expected_version=sheet.version)
    scored.round = round_
    return scored


def _save(assignment, key, user, value=60):
    return task_services.save_report(assignment=assignment, period=assignment.period(key),
                                     data={"value": D(value)}, user=user)


def _snapshot(scheme):
    """Every round of the scheme, with its scores and sheets as stored."""
    return {
        "rounds": sorted(scheme.rounds.values_list("kind", "closed_at")),
        "scores": {(s.round_id, s.unit_id, s.criterion_id):
                   (s.applicable, s.data_points, s.points, s.facts, s.note)
                   for s in Score.objects.filter(round__scheme=scheme)},
        "sheets": {(s.round_id, s.unit_id): tuple(getattr(s, name) for name in RESULT_FIELDS)
                   for s in Sheet.objects.filter(round__scheme=scheme)},
    }


def _move_on(scored, cast, until):
    scheme = scored.scheme
    while open_round(scheme).kind != until:
        services.advance(scheme=scheme, deadline=DEADLINE, user=cast.office)


def _lock(scored, cast):
    _move_on(scored, cast, Stage.FINAL)
    services.lock(scheme=scored.scheme, user=cast.office)


def _confirm(scored, cast):
    sheet = scored.round.sheets.get(unit=cast.unit_a)
    services.confirm_sheet(sheet=sheet, user=cast.head_a, expected_version=sheet.version)


def _enter(scored, cast):
    sheet = scored.round.sheets.get(unit=cast.unit_a)
    score = scored.round.scores.get(unit=cast.unit_a, criterion=scored.c4)
    services.save_sheet(sheet=sheet, changes={score: (D(5), "Chưa đủ biên bản.")},
                        user=cast.head_a, expected_version=sheet.version)


def _resubmit(scored, cast):
    task_services.return_report(report=scored.sent, user=cast.office, reason="Sửa lại.")
    task_services.submit(report=scored.sent, user=cast.head_b)


# Every write that moves what the open round derives (report writes reach it through the flush
# after the commit; the others are `scoring.services`). (name, write, whether the stored state
# moves: a confirmation changes no score and no result.)
WRITES = [
    ("report submitted",
     lambda s, cast: task_services.submit(
         report=_save(s.t1.assignments.get(unit=cast.unit_b), "2022-Q2", cast.head_b),
         user=cast.head_b), True),
    ("report returned",
     lambda s, cast: task_services.return_report(report=s.sent, user=cast.office,
                                                 reason="Thiếu minh chứng."), True),
    ("report accepted",
     lambda s, cast: task_services.accept(report=s.sent, user=cast.union), True),
    ("returned report resubmitted", _resubmit, True),
    ("accepted report reopened",
     lambda s, cast: task_services.reopen(
         report=s.t1.assignments.get(unit=cast.unit_a).reports.get(period="2022-Q1"),
         user=cast.office, reason="Sai số liệu."), True),
    ("score entered", _enter, True),
    ("sheet confirmed", _confirm, False),
    ("round moved on", lambda s, cast: _move_on(s, cast, Stage.APPRAISAL), True),
    ("round locked", _lock, True),
]


@pytest.mark.parametrize(("write", "moves"), [(write, moves) for _name, write, moves in WRITES],
                         ids=[name for name, _write, _moves in WRITES])
def test_every_kind_of_write_leaves_the_open_round_equal_to_a_full_recompute(
        opened, cast, django_capture_on_commit_callbacks, write, moves):
    before = _snapshot(opened.scheme)
    with django_capture_on_commit_callbacks(execute=True):
        write(opened, cast)
    kept = _snapshot(opened.scheme)

    counts = recompute(scheme=opened.scheme, user=cast.office)

    assert counts == {"created": 0, "changed": 0}
    assert _snapshot(opened.scheme) == kept
    assert (kept != before) is moves


def test_many_writes_in_one_transaction_recompute_once(opened, cast,
                                                       django_capture_on_commit_callbacks):
    recomputes = AuditEntry.objects.filter(action="scoring.recompute")
    seen = recomputes.count()
    a_q3 = opened.t1.assignments.get(unit=cast.unit_a)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with transaction.atomic():
            task_services.accept(report=opened.sent, user=cast.union)
            report = task_services.submit(report=_save(a_q3, "2022-Q3", cast.head_a, value=100),
                                          user=cast.head_a)
            task_services.accept(report=report, user=cast.union)

    assert len(callbacks) == 1  # four report events, one flush
    assert recomputes.count() == seen + 1
    line = recomputes.latest("pk")
    moved = Score.objects.filter(pk__in=[int(pk) for pk in line.after["scores"]])
    assert set(moved.values_list("unit_id", flat=True)) == {cast.unit_a.pk, cast.unit_b.pk}


def test_a_rolled_back_transaction_leaves_no_flush_behind(opened, cast,
                                                          django_capture_on_commit_callbacks):
    b_points = dict(opened.round.scores.filter(unit=cast.unit_b)
                    .values_list("criterion_id", "data_points"))
    with pytest.raises(RuntimeError), transaction.atomic():
        task_services.accept(report=opened.sent, user=cast.union)
        raise RuntimeError("the request failed after the review")
    a_q3 = opened.t1.assignments.get(unit=cast.unit_a)
    a_before = dict(opened.round.scores.filter(unit=cast.unit_a)
                    .values_list("criterion_id", "data_points"))

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        report = task_services.submit(report=_save(a_q3, "2022-Q3", cast.head_a, value=100),
                                      user=cast.head_a)
        task_services.accept(report=report, user=cast.union)

    # The next transaction's write has its own flush; the rolled-back review is not counted.
    assert len(callbacks) == 1
    assert dict(opened.round.scores.filter(unit=cast.unit_a)
                .values_list("criterion_id", "data_points")) != a_before
    assert dict(opened.round.scores.filter(unit=cast.unit_b)
                .values_list("criterion_id", "data_points")) == b_points
