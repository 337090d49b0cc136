"""Writes of the bonus money: the fund's income and a decision's payout list, each in one
transaction with its audit line (before and after)."""

from django.db import transaction
from django.utils.translation import gettext as _

from core.audit.trail import record

from . import bonus
from .models import Decision
from .models_bonus import FundIncome, Payout
from .services import WorkflowError


def income_snapshot(row: FundIncome) -> dict:
    return {"year": row.year, "received_on": row.received_on.isoformat(),
            "amount": row.amount, "source": row.source}


def payout_snapshot(row: Payout) -> dict:
    return {"decision": row.decision.number, "year": row.year,
            "paid_on": row.paid_on.isoformat(), "base_salary": row.base_salary,
            "coefficient": str(row.coefficient), "amount_each": row.amount_each,
            "awardees": row.awardees, "total": row.total,
            "override_reason": row.override_reason}


@transaction.atomic
def add_income(*, year: int, received_on, amount: int, source: str, user) -> FundIncome:
    row = FundIncome.objects.create(year=year, received_on=received_on, amount=amount,
                                    source=" ".join(source.split()), recorded_by=user)
    record(actor=user, action="fund.income", target=row, after=income_snapshot(row))
    return row


@transaction.atomic
def record_payout(decision: Decision, *, year: int, paid_on, override_reason: str, user
                  ) -> Payout:
    """The decision's payout list entered in the year's fund, with the figures as computed now.

    Refused (WorkflowError, nothing stored) for a revoked decision, one already paid, figures
    missing (no base salary or no coefficient: no money), and a total the fund cannot cover
    unless `override_reason` says why it is paid all the same.
    """
    # Lock the decision: two clicks, or two clerks, cannot record its list twice.
    decision = Decision.objects.select_for_update().select_related("award").get(pk=decision.pk)
    if decision.revoked_at:
        raise WorkflowError(_("Decision %(number)s is revoked: its awards are not paid.")
                            % {"number": decision.number})
    if Payout.objects.filter(decision=decision).exists():
        raise WorkflowError(_("The payout list of decision %(number)s is already recorded.")
                            % {"number": decision.number})
    figures = bonus.figures_for(decision)
    if figures.problem:
        raise WorkflowError(figures.problem)
    count = bonus.payee_count(decision.pk)
    if not count:
        raise WorkflowError(_("Decision %(number)s has no standing awardee to pay.")
                            % {"number": decision.number})
    total = figures.amount_each * count
    available = bonus.balance(year)
    reason = " ".join((override_reason or "").split())
    if total > available and not reason:
        raise WorkflowError(
            _("The fund of %(year)s holds %(balance)s đồng, the list needs %(total)s đồng "
              "(%(short)s đồng short). Record the fund's income first, or write the reason for "
              "paying beyond the fund.") % {
                  "year": year, "balance": bonus.money(available), "total": bonus.money(total),
                  "short": bonus.money(total - available)})
    row = Payout.objects.create(
        decision=decision, year=year, paid_on=paid_on, base_salary=figures.base_salary.amount,
        coefficient=figures.coefficient.coefficient, amount_each=figures.amount_each,
        awardees=count, total=total, override_reason=reason if total > available else "",
        recorded_by=user)
    record(actor=user, action="payout.override" if row.override_reason else "payout.record",
           target=decision, before={"fund_balance": available},
           after=payout_snapshot(row) | {"fund_balance": available - total})
    return row
