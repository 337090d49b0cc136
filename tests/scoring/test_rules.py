"""Every rule from a table of hand-computed figures, boundaries included."""

import datetime
from decimal import Decimal as D

import pytest

from scoring import rules
from scoring.models import Grade
from tasks.models import IndicatorKind

DEADLINE = datetime.date(2022, 12, 31)


def facts(kind=IndicatorKind.PERCENT, target=D(100), value=None, value_date=None, **counts):
    return rules.AssignmentFacts(kind=kind, target=target, value=value, value_date=value_date,
                                 deadline=DEADLINE, **counts)


@pytest.mark.parametrize(("case", "expected"), [
    (facts(value=D(80)), D("0.8")),
    (facts(value=D(100)), D(1)),
    (facts(value=D(120)), D(1)),  # above the target counts as the target
    (facts(value=None), D(0)),  # nothing accepted
    (facts(target=None, value=D(50)), D("0.5")),  # a percentage without target aims at 100
    (facts(kind=IndicatorKind.COUNT, target=D(0), value=D(3)), D(1)),  # zero target: reached
    (facts(kind=IndicatorKind.COUNT, target=D(0), value=None), D(0)),  # …once reported
    (facts(kind=IndicatorKind.COUNT, target=D(8), value=D(6)), D("0.75")),
    (facts(kind=IndicatorKind.YES_NO, target=None, value=D(1)), D(1)),
    (facts(kind=IndicatorKind.YES_NO, target=None, value=D(0)), D(0)),
    (facts(kind=IndicatorKind.DATE, target=None, value=D(0), value_date=DEADLINE), D(1)),
    (facts(kind=IndicatorKind.DATE, target=None, value=D(0),
           value_date=DEADLINE + datetime.timedelta(days=1)), D(0)),
])
def test_achievement(case, expected):
    assert rules.achievement(case) == expected


@pytest.mark.parametrize(("maximum", "ratio", "expected"), [
    (D(30), D("0.9"), D("27.00")),
    (D(30), D(0), D("0.00")),
    (D(30), D(1), D("30.00")),
    (D(10), D(2) / D(3), D("6.67")),  # rounded half up to two places
])
def test_proportional(maximum, ratio, expected):
    assert rules.proportional(maximum, ratio) == expected


BANDS = [[100, 100], [80, 75], [50, 50]]


@pytest.mark.parametrize(("ratio", "expected"), [
    (D(1), D("30.00")),  # exactly 100 %
    (D("0.9999"), D("22.50")),  # just below a threshold falls to the next band
    (D("0.8"), D("22.50")),  # exactly 80 %
    (D("0.5"), D("15.00")),
    (D("0.4999"), D(0)),  # below every band
    (D(0), D(0)),
])
def test_bands(ratio, expected):
    assert rules.banded(D(30), BANDS, ratio) == expected


def test_bands_in_any_order_use_the_highest_reached():
    assert rules.banded(D(30), [[50, 50], [100, 100], [80, 75]], D("0.85")) == D("22.50")


@pytest.mark.parametrize(("faults", "expected"), [
    (0, D("20.00")), (3, D("18.50")), (40, D("0.00")), (41, D("0.00")),  # never below zero
])
def test_timeliness(faults, expected):
    assert rules.timeliness(D(20), D("0.5"), faults) == expected


@pytest.mark.parametrize(("total", "cap", "expected"), [
    (D(4), D(5), D("4.00")), (D(5), D(5), D("5.00")), (D(7), D(5), D("5.00")),
])
def test_caps(total, cap, expected):
    assert rules.capped(total, cap) == expected


@pytest.mark.parametrize(("raw", "maximum", "expected"), [
    (D(83), D(100), D("83.00")),
    (D(35), D(70), D("50.00")),  # a criterion worth 30 does not apply: 35/70 of 100
    (D(0), D(0), D(0)),  # nothing applies
])
def test_on_scale(raw, maximum, expected):
    assert rules.on_scale(raw, maximum, D(100)) == expected


@pytest.mark.parametrize(("appraised", "bonus", "penalty", "expected"), [
    (D(83), D(2), D(1), D("84.00")),
    (D(3), D(0), D(5), D("0.00")),  # never below zero
])
def test_final_score(appraised, bonus, penalty, expected):
    assert rules.final_score(appraised, bonus, penalty) == expected


def test_ties_share_a_rank_and_the_next_is_skipped():
    assert rules.ranks([D(80), D(95), D(80), D(70), D(95)]) == [3, 1, 3, 5, 1]


@pytest.mark.parametrize(("score", "expected"), [
    (D(90), Grade.EXCELLENT),  # exactly the limit
    (D("89.99"), Grade.GOOD),
    (D(80), Grade.GOOD),
    (D("79.99"), Grade.PASS),
    (D(65), Grade.PASS),
    (D("64.99"), Grade.FAIL),
    (D(0), Grade.FAIL),
])
def test_grade_bands(score, expected):
    assert rules.grade(score, excellent=D(90), good=D(80), passing=D(65)) == expected
