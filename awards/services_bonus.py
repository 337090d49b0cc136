"""Writes of the bonus money: the fund's income and a decision's payout list, each in one
transaction with its audit line (before and after)."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit.trail import record
from core.stale_edits import bump_version

from . import bonus
from .models import Decision
from .models_bonus import Approval, FundIncome, IncomeCorrection, Payout, Recovery, RecoveryShare
from .services import WorkflowError


def income_snapshot(row: FundIncome) -> dict:
    return {"year": row.year, "received_on": row.received_on.isoformat(),
            "amount": row.amount, "source": row.source}


def payout_snapshot(row: Payout) -> dict:
    return {"decision": row.decision.number, "year": row.year,
            "paid_on": row.paid_on.isoformat(), "base_salary": row.base_salary,
            "coefficient": str(row.coefficient), "amount_each": row.amount_each,
            "awardees": row.awardees, "total": row.total,
            "override_reason": row.override_reason, "approval": row.approval}


def _words(text) -> str:
    return " ".join((text or "").split())


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
    earlier = Payout.objects.filter(decision=decision).first()
    if earlier is not None and earlier.approval != Approval.REFUSED:
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
    # Lists awaiting the director are promised money: a new list is measured against what is
    # left once they are paid, so two overrides cannot each find the same balance; so are
    # income corrections written off awaiting the director (money the fund may not have).
    pending = bonus.pending_total(year) + bonus.pending_write_offs(year)
    available = bonus.balance(year) - pending
    reason = _words(override_reason)
    if total > available and not reason:
        raise WorkflowError(
            _("The fund of %(year)s holds %(balance)s đồng, the list needs %(total)s đồng "
              "(%(short)s đồng short). Record the fund's income first, or write the reason for "
              "paying beyond the fund.") % {
                  "year": year, "balance": bonus.money(available), "total": bonus.money(total),
                  "short": bonus.money(total - available)})
    beyond = total > available
    values = dict(
        year=year, paid_on=paid_on, base_salary=figures.base_salary.amount,
        coefficient=figures.coefficient.coefficient, amount_each=figures.amount_each,
        awardees=count, total=total, override_reason=reason if beyond else "",
        approval=Approval.PENDING if beyond else "", approval_by=None, approval_at=None,
        approval_note="", recorded_by=user, recorded_at=timezone.now())
    if earlier is None:
        row = Payout.objects.create(decision=decision, **values)
        before = {"fund_balance": available + pending}
    else:  # refused by the director: recorded again, the refusal stays in the trail
        before = payout_snapshot(earlier) | {"fund_balance": available + pending}
        for name, value in values.items():
            setattr(earlier, name, value)
        earlier.save()
        row = earlier
    record(actor=user, action="payout.override" if beyond else "payout.record",
           target=decision, before=before,
           # Beyond the fund: awaiting the director, nothing is spent yet.
           after=payout_snapshot(row) | {"fund_balance": bonus.balance(year)})
    return row


def _decide(row, *, approve: bool, note: str, user, not_pending: str, no_reason: str) -> str:
    """The director's answer written on `row` (a DirectorApproval, locked by the caller):
    approved, or refused with a reason. Refused (WorkflowError) when the row is not awaiting
    approval, or a refusal has no reason. Returns the note as stored."""
    if row.approval != Approval.PENDING:
        raise WorkflowError(not_pending)
    note = _words(note)
    if not approve and not note:
        raise WorkflowError(no_reason)
    row.approval = Approval.APPROVED if approve else Approval.REFUSED
    row.approval_by, row.approval_at, row.approval_note = user, timezone.now(), note
    row.save(update_fields=["approval", "approval_by", "approval_at", "approval_note"])
    return note


@transaction.atomic
def decide_override(payout: Payout, *, approve: bool, note: str, user) -> Payout:
    """The director approves a list recorded beyond the fund (it is then counted as paid) or
    refuses it with a reason (the Office may record it again later)."""
    payout = Payout.objects.select_for_update().select_related("decision").get(pk=payout.pk)
    before = payout_snapshot(payout) | {"fund_balance": bonus.balance(payout.year)}
    note = _decide(
        payout, approve=approve, note=note, user=user,
        not_pending=_("The payout list of decision %(number)s is not awaiting approval (it "
                      "was decided already, or is within the fund).")
        % {"number": payout.decision.number},
        no_reason=_("Write why the list is refused: the Office reads it to know what to do "
                    "next."))
    record(actor=user, action="payout.approve" if approve else "payout.refuse",
           target=payout.decision, before=before,
           after=payout_snapshot(payout) | {"note": note,
                                            "fund_balance": bonus.balance(payout.year)})
    return payout


@transaction.atomic
def record_recovery(*, year: int, decision: Decision, conferrals, amount: int, received_on,
                    note: str, user) -> Recovery:
    """Bonus money recovered for revoked awards, into the year's fund: split over the chosen
    awardees in list order, each up to what they still owe. Refused beyond what is due."""
    decision = Decision.objects.select_for_update().get(pk=decision.pk)
    dues = bonus.to_recover(decision_id=decision.pk)
    if not dues:
        raise WorkflowError(_("Nothing is due back under decision %(number)s: no award it "
                              "paid has been revoked, or everything was recovered already.")
                            % {"number": decision.number})
    paid_on = Payout.objects.get(decision=decision).paid_on
    if received_on < paid_on:
        raise WorkflowError(_("The bonus of decision %(number)s was paid on %(date)s: money "
                              "recovered comes back after that day. Check the date.")
                            % {"number": decision.number, "date": f"{paid_on:%d/%m/%Y}"})
    chosen = {getattr(c, "pk", c) for c in conferrals}
    dues = [due for due in dues if due.conferral_id in chosen]
    if not dues or len(dues) != len(chosen):
        raise WorkflowError(_("Choose the awardees the money comes from among those whose "
                              "award was revoked and who still owe their bonus."))
    owed = sum(due.outstanding for due in dues)
    if amount > owed:
        raise WorkflowError(_("Only %(owed)s đồng is due back from the chosen awardees: "
                              "%(amount)s đồng is more. Write the amount actually recovered.")
                            % {"owed": bonus.money(owed), "amount": bonus.money(amount)})
    row = Recovery.objects.create(year=year, decision=decision, received_on=received_on,
                                  amount=amount, note=_words(note), recorded_by=user)
    left, shares = amount, []
    for due in dues:
        part = min(left, due.outstanding)
        if part:
            shares.append(RecoveryShare(recovery=row, conferral_id=due.conferral_id,
                                        amount=part))
        left -= part
    RecoveryShare.objects.bulk_create(shares)
    balance = bonus.balance(year)
    record(actor=user, action="fund.recovery", target=decision,
           before={"due": owed, "fund_balance": balance - amount},
           after={"year": year, "received_on": received_on.isoformat(), "amount": amount,
                  "note": row.note,
                  "awardees": {share.conferral_id: share.amount for share in shares},
                  "fund_balance": balance})
    return row


@transaction.atomic
def correct_income(income: FundIncome, *, version: int, received_on, amount: int, source: str,
                   reason: str, override_reason: str = "", user) -> FundIncome:
    """An income entry typed wrong, corrected: the earlier figures kept as its history with the
    reason. Refused (nothing stored) without a reason, from a page opened before another
    correction (StaleEdit), or when the corrected figures leave a recorded payout uncovered
    unless `override_reason` says why."""
    reason, override_reason = _words(reason), _words(override_reason)
    if not reason:
        raise WorkflowError(_("Write why the entry is corrected (e.g. the amount was typed "
                              "wrong; the document says 10.000.000)."))
    bump_version(income, version)
    income = FundIncome.objects.select_for_update().get(pk=income.pk)
    before_lines = bonus.ledger(income.year)
    after_lines = bonus.ledger(income.year, corrected={income.pk: (received_on, amount)})
    lowest, was = bonus.lowest_balance(after_lines), bonus.lowest_balance(before_lines)
    if lowest < 0 and lowest < was and not override_reason:
        raise WorkflowError(
            _("With this correction the fund of %(year)s would fall to %(lowest)s đồng: the "
              "payout lists already recorded would not be covered. Check the figure, or write "
              "the reason for leaving the fund short.") % {
                  "year": income.year, "lowest": bonus.money(lowest)})
    short = lowest < 0 and lowest < was
    if income.corrections.filter(approval=Approval.PENDING).exists():
        raise WorkflowError(_("An earlier correction of this entry awaits the director's "
                              "approval: wait for the answer before correcting it again."))
    before = income_snapshot(income)
    balance_before = before_lines[-1].balance if before_lines else 0
    correction = IncomeCorrection.objects.create(
        income=income, old_received_on=income.received_on, old_amount=income.amount,
        old_source=income.source, reason=reason,
        override_reason=override_reason if short else "",
        new_received_on=received_on, new_amount=amount, new_source=_words(source),
        # Written off: the director decides; the entry keeps its figures until then.
        approval=Approval.PENDING if short else "", corrected_by=user)
    if short:
        record(actor=user, action="fund.income_write_off", target=income,
               before=before | {"fund_balance": balance_before},
               after=correction_snapshot(correction) | {"fund_balance": balance_before})
        return income
    _apply(income, correction)
    record(actor=user, action="fund.income_correct", target=income,
           before=before | {"fund_balance": balance_before},
           after=income_snapshot(income) | {"reason": reason, "override_reason": override_reason,
                                            "fund_balance": bonus.balance(income.year)})
    return income


def _apply(income: FundIncome, correction: IncomeCorrection) -> None:
    income.received_on, income.amount = correction.new_received_on, correction.new_amount
    income.source = correction.new_source
    income.save(update_fields=["received_on", "amount", "source"])


def correction_snapshot(row: IncomeCorrection) -> dict:
    """A correction as proposed: the figures it would give the entry, and why."""
    return {"year": row.income.year, "received_on": row.new_received_on.isoformat(),
            "amount": row.new_amount, "source": row.new_source, "reason": row.reason,
            "override_reason": row.override_reason, "approval": row.approval}


@transaction.atomic
def decide_correction(correction: IncomeCorrection, *, approve: bool, note: str, user
                      ) -> IncomeCorrection:
    """The director approves an income correction written off (the entry then takes its
    figures and the balance follows) or refuses it with a reason (the entry keeps its earlier
    figures; the Office sees the reason)."""
    correction = (IncomeCorrection.objects.select_for_update().select_related("income")
                  .get(pk=correction.pk))
    income = FundIncome.objects.select_for_update().get(pk=correction.income_id)
    before = income_snapshot(income) | {"fund_balance": bonus.balance(income.year)}
    note = _decide(
        correction, approve=approve, note=note, user=user,
        not_pending=_("This correction of the income entry is not awaiting approval (it was "
                      "decided already)."),
        no_reason=_("Write why the correction is refused: the Office reads it to know what "
                    "to do next."))
    if approve:
        _apply(income, correction)
    record(actor=user, action="fund.income_approve" if approve else "fund.income_refuse",
           target=income, before=before,
           after=income_snapshot(income) | {"reason": correction.reason,
                                            "override_reason": correction.override_reason,
                                            "approval": correction.approval, "note": note,
                                            "fund_balance": bonus.balance(income.year)})
    return correction
