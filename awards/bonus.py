"""The bonus of a decision and the reward fund's ledger, computed from the law as data.

A decision confers one award, so every awardee of it receives the same amount: the award's
coefficient in the legal period of the signed date times the base salary in force that day,
rounded up to the next 10,000 đồng (Decree 91/2017 Art. 68(2)). The figures are read once per
decision (or once for a whole page of decisions, `figures_for_many`), the awardees in one query:
a list of a thousand people costs the same queries as a list of ten.
"""

import datetime
from dataclasses import dataclass
from decimal import ROUND_CEILING, Decimal

from django.db.models import Count, F, Sum
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from core.numbers import format_number

from .models import Conferral, Decision, LegalPeriod
from .models_bonus import (
    Approval,
    AwardCoefficient,
    BaseSalary,
    FundIncome,
    IncomeCorrection,
    Payout,
    Recovery,
)

ROUND_TO = 10_000  # đồng: Decree 91/2017 Art. 68(2)


def round_up(value) -> int:
    """`value` đồng rounded up to the next 10,000 (an exact multiple stays as it is)."""
    steps = (Decimal(value) / ROUND_TO).to_integral_value(rounding=ROUND_CEILING)
    return int(steps) * ROUND_TO


def bonus(coefficient, base_salary) -> int:
    return round_up(Decimal(coefficient) * Decimal(base_salary))


def money(value) -> str:
    """'1.200.000': the portal's number style, whole đồng."""
    return format_number(Decimal(value), 0)


@dataclass(frozen=True)
class Figures:
    """What a decision's bonus is made of; `problem` says why there is no amount."""

    base_salary: BaseSalary | None
    coefficient: AwardCoefficient | None
    period: LegalPeriod | None
    problem: str = ""

    @property
    def amount_each(self) -> int | None:
        if self.problem:
            return None
        return bonus(self.coefficient.coefficient, self.base_salary.amount)

    @property
    def confirmed(self) -> bool:
        return bool(self.base_salary and self.base_salary.confirmed and self.coefficient
                    and self.coefficient.confirmed)


class _Law:
    """Every base salary, legal period and coefficient, read once (they are a few dozen rows)."""

    def __init__(self):
        self.salaries = list(BaseSalary.objects.order_by("-valid_from"))
        self.periods = list(LegalPeriod.objects.order_by("-first_year"))
        self.coefficients = {(row.period_id, row.award_id): row
                             for row in AwardCoefficient.objects.all()}

    def salary_on(self, day):
        return next((row for row in self.salaries if row.valid_from <= day
                     and (row.valid_until is None or day <= row.valid_until)), None)

    def period_on(self, day):
        return next((period for period in self.periods if period.starts <= day
                     and (period.ends is None or day <= period.ends)), None)

    def figures(self, award, day: datetime.date) -> Figures:
        salary, period = self.salary_on(day), self.period_on(day)
        coefficient = self.coefficients.get((period.pk, award.pk)) if period else None
        problem = ""
        if salary is None:
            problem = _("No base salary is entered for %(date)s: an administrator adds it "
                        "under Base salaries.") % {"date": f"{day:%d/%m/%Y}"}
        elif period is None:
            problem = _("No legal period covers %(date)s.") % {"date": f"{day:%d/%m/%Y}"}
        elif coefficient is None:
            problem = _("“%(award)s” carries no bonus money under %(period)s (no coefficient "
                        "entered).") % {"award": award.name, "period": period.name}
        return Figures(salary, coefficient, period, problem)


def figures_for(decision: Decision) -> Figures:
    return _Law().figures(decision.award, decision.signed_on)


def figures_for_many(decisions) -> dict[int, Figures]:
    law = _Law()
    return {decision.pk: law.figures(decision.award, decision.signed_on)
            for decision in decisions}


def payees(decision: Decision) -> list[dict]:
    """The decision's standing awardees in the annex order (revoked awards are not paid)."""
    from .documents.decision import awardees  # the annex's order, one query

    return [row for row in awardees(decision) if row["revoked_at"] is None]


def count_by_unit(decision: Decision) -> list[dict]:
    """{"unit__name", "count"} of the decision's standing awardees per unit, in unit order (one
    query): what each unit receives."""
    return list(Conferral.objects.filter(issued_by=decision).standing()
                .values("unit_id", "unit__name", "unit__order").annotate(count=Count("id"))
                .order_by("unit__order", "unit__name"))


def payee_count(decision_id: int) -> int:
    return Conferral.objects.filter(issued_by_id=decision_id).standing().count()


# -- the reward fund -------------------------------------------------------------------------


@dataclass(frozen=True)
class LedgerLine:
    day: datetime.date
    text: str
    income: int | None
    payout: int | None
    balance: int
    payout_row: Payout | None = None
    income_row: FundIncome | None = None
    recovery_row: Recovery | None = None
    # A list beyond the fund awaiting the director (or refused): shown, not counted.
    counted: bool = True
    kind: str = "income"  # "income", "payout", "recovery": the workbook's column


def balance(year: int) -> int:
    """Income and recoveries minus the payouts counted as paid (awaiting the director's
    approval or refused: not counted) of the year's fund (three queries)."""
    income = FundIncome.objects.filter(year=year).aggregate(total=Sum("amount"))["total"] or 0
    back = Recovery.objects.filter(year=year).aggregate(total=Sum("amount"))["total"] or 0
    paid = (Payout.objects.filter(year=year).counted()
            .aggregate(total=Sum("total"))["total"] or 0)
    return income + back - paid


def pending_total(year: int) -> int:
    """The lists of the year awaiting the director's approval: promised, not yet paid."""
    return (Payout.objects.filter(year=year, approval=Approval.PENDING)
            .aggregate(total=Sum("total"))["total"] or 0)


def pending_write_offs(year: int) -> int:
    """What income corrections of the year awaiting the director would take out of the fund
    (their lower amounts): not yet counted, but a new list must not spend it (one query)."""
    rows = IncomeCorrection.objects.filter(income__year=year, approval=Approval.PENDING)
    return sum(max(old - new, 0) for old, new in rows.values_list("old_amount", "new_amount"))


def ledger(year: int, *, corrected: dict | None = None) -> list[LedgerLine]:
    """The year's fund, income, recoveries and payouts by date, with the balance after each
    line (lines not counted leave it as it was).

    `corrected` ({income pk: (day, amount)}) reads an income entry as a correction would leave
    it: the balance a correction would produce, before it is saved.
    """
    corrected = corrected or {}
    entries = []
    for row in (FundIncome.objects.filter(year=year)
                .prefetch_related("corrections__corrected_by__staff_member",
                                  "corrections__approval_by__staff_member")):
        day, amount = corrected.get(row.pk, (row.received_on, row.amount))
        entries.append((day, 0, row.pk, "income", row, amount))
    entries += [(row.received_on, 1, row.pk, "recovery", row, row.amount) for row in
                Recovery.objects.filter(year=year).select_related("decision")]
    entries += [(row.paid_on, 2, row.pk, "payout", row, row.total) for row in
                Payout.objects.filter(year=year)
                .select_related("decision__award", "approval_by__staff_member")]
    lines, running = [], 0
    for day, _order, _pk, kind, row, amount in sorted(entries, key=lambda entry: entry[:3]):
        if kind == "payout":
            if row.counted:
                running -= amount
            text = _("Payout list of decision %(number)s (%(award)s, %(count)s awardee(s))") % {
                "number": row.decision.number, "award": row.decision.award.name,
                "count": row.awardees}
            lines.append(LedgerLine(day, text, None, amount, running, payout_row=row,
                                    counted=row.counted, kind=kind))
        elif kind == "recovery":
            running += amount
            text = _("Bonus recovered under decision %(number)s (awards revoked)") % {
                "number": row.decision.number}
            lines.append(LedgerLine(day, text, amount, None, running, recovery_row=row,
                                    kind=kind))
        else:
            running += amount
            lines.append(LedgerLine(day, row.source, amount, None, running, income_row=row,
                                    kind=kind))
    return lines


def lowest_balance(lines) -> int:
    return min((line.balance for line in lines), default=0)


# -- money back after a revocation -----------------------------------------------------------


@dataclass
class Due:
    """A revoked award whose bonus the fund paid: `each` paid, `recovered` so far."""

    conferral_id: int
    decision_id: int
    number: str
    name: str
    unit: str
    each: int
    recovered: int
    revoked_reason: str

    @property
    def outstanding(self) -> int:
        return max(self.each - self.recovered, 0)


def to_recover(*, decision_id: int | None = None, outstanding_only: bool = True) -> list[Due]:
    """Every award revoked after the fund paid for it, with what has come back (one query).

    A payout list pays the awardees standing when it was recorded; one revoked later was paid
    and owes its amount back. Lists awaiting the director or refused paid nobody.
    """
    rows = (Conferral.objects
            .filter(revoked_at__isnull=False, issued_by__payout__isnull=False,
                    issued_by__payout__approval__in=["", Approval.APPROVED],
                    revoked_at__gte=F("issued_by__payout__recorded_at"))
            .annotate(back=Coalesce(Sum("recovered__amount"), 0))
            .values("pk", "issued_by_id", "issued_by__number", "staff__full_name",
                    "unit__name", "issued_by__payout__amount_each", "back", "revoked_reason")
            .order_by("issued_by__signed_on", "issued_by_id", "unit__order",
                      "staff__full_name", "pk"))
    if decision_id is not None:
        rows = rows.filter(issued_by_id=decision_id)
    dues = [Due(row["pk"], row["issued_by_id"], row["issued_by__number"],
                row["staff__full_name"] or row["unit__name"], row["unit__name"],
                row["issued_by__payout__amount_each"], row["back"], row["revoked_reason"])
            for row in rows]
    return [due for due in dues if due.outstanding] if outstanding_only else dues
