"""The arithmetic of scoring, free of the database so every rule can be tested from a table.

A unit's automatic criterion is scored from its assignments on the criterion's tasks:
- each assignment's *achievement* is the latest accepted value against the target, capped at 1;
- *proportional*: maximum × the mean achievement;
- *bands*: maximum × the share of the highest band whose threshold the mean achievement reaches;
- *timeliness*: maximum − deduction × (late + missing + returned reports), never below zero.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from tasks.models import IndicatorKind

from .models import Grade, q2

ZERO, ONE, HUNDRED = Decimal(0), Decimal(1), Decimal(100)


@dataclass(frozen=True)
class AssignmentFacts:
    """What one assignment's reports say, as of the scheme's cut-off date."""

    kind: str
    target: Decimal | None
    value: Decimal | None  # latest accepted value; None when nothing is accepted
    value_date: datetime.date | None
    deadline: datetime.date
    late: int = 0  # submitted after the period was due
    missing: int = 0  # due periods without a submitted or accepted report
    returned: int = 0  # times a report was returned for correction

    @property
    def accepted(self) -> bool:
        return self.value is not None or self.value_date is not None


def achievement(facts: AssignmentFacts) -> Decimal:
    """Share of the target reached, 0…1. A zero or missing target counts as reached once
    anything is accepted; a date indicator counts only when reached by the deadline."""
    if not facts.accepted:
        return ZERO
    if facts.kind == IndicatorKind.DATE:
        return ONE if facts.value_date and facts.value_date <= facts.deadline else ZERO
    if facts.kind == IndicatorKind.YES_NO:
        return ONE if facts.value and facts.value >= ONE else ZERO
    target = facts.target
    if target is None and facts.kind == IndicatorKind.PERCENT:
        target = HUNDRED
    if not target:
        return ONE
    return min(ONE, max(ZERO, (facts.value or ZERO) / target))


def mean(values) -> Decimal:
    values = list(values)
    return sum(values, ZERO) / len(values) if values else ZERO


def proportional(maximum: Decimal, ratio: Decimal) -> Decimal:
    return q2(maximum * ratio)


def banded(maximum: Decimal, bands, ratio: Decimal) -> Decimal:
    """`bands` as [[threshold %, share %], …]; the highest threshold reached wins."""
    percent = ratio * HUNDRED
    for threshold, share in sorted(bands, key=lambda band: Decimal(str(band[0])), reverse=True):
        if percent >= Decimal(str(threshold)):
            return q2(maximum * Decimal(str(share)) / HUNDRED)
    return ZERO


def timeliness(maximum: Decimal, deduction: Decimal, faults: int) -> Decimal:
    return q2(max(ZERO, maximum - deduction * faults))


def capped(total: Decimal, cap: Decimal) -> Decimal:
    return q2(min(total, cap))


def on_scale(raw: Decimal, applicable_max: Decimal, scale: Decimal) -> Decimal:
    """Points on the scheme's scale: criteria that do not apply to a unit are left out of both
    its points and its maximum, so a unit is not marked down for work it was not given."""
    if not applicable_max:
        return ZERO
    return q2(raw * scale / applicable_max)


def final_score(appraised: Decimal, bonus: Decimal, penalty: Decimal) -> Decimal:
    return q2(max(ZERO, appraised + bonus - penalty))


def ranks(values: list[Decimal]) -> list[int]:
    """Competition ranking: equal values share a rank and the next rank is skipped (1, 2, 2, 4)."""
    order = sorted(values, reverse=True)
    first = {}
    for position, value in enumerate(order, start=1):
        first.setdefault(value, position)
    return [first[value] for value in values]


def grade(score: Decimal, *, excellent: Decimal, good: Decimal, passing: Decimal) -> str:
    if score >= excellent:
        return Grade.EXCELLENT
    if score >= good:
        return Grade.GOOD
    if score >= passing:
        return Grade.PASS
    return Grade.FAIL
