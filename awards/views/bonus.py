"""Bonus money: the law's figures and every decision's payout list (Tiền thưởng), one decision's
payout list recorded against the fund, and the reward fund's ledger of a year (Quỹ khen
thưởng)."""

from django.contrib import messages
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.stale_edits import StaleEdit, keep_typing
from units.access import can_read_legal_notes, require

from .. import bonus, services_bonus
from ..access import (
    can_approve_fund_override,
    can_manage_bonus,
    can_view_bonus,
    can_view_fund,
    get_decision_for,
    payout_decisions_for,
)
from ..forms_bonus import (
    IncomeCorrectionForm,
    IncomeForm,
    OverrideDecisionForm,
    PayoutForm,
    RecoveryForm,
)
from ..models import Award, LegalPeriod
from ..models_bonus import (
    Approval,
    AwardCoefficient,
    BaseSalary,
    FundIncome,
    IncomeCorrection,
    Payout,
)
from ..services import WorkflowError
from ..years import year_for


def bonus_page(request):
    """The base salaries, the coefficients per legal period and each decision's bonus."""
    require(can_view_bonus(request.user))
    decisions = list(payout_decisions_for(request.user).select_related("award", "payout")
                     .annotate(count=Count("conferrals",
                                           filter=Q(conferrals__revoked_at__isnull=True))))
    figures = bonus.figures_for_many(decisions)
    for decision in decisions:
        decision.figures = figures[decision.pk]
        each = decision.figures.amount_each
        decision.total = each * decision.count if each is not None else None
    coefficients = {}
    for row in AwardCoefficient.objects.select_related("award"):
        coefficients[(row.period_id, row.award_id)] = row
    awards = list(Award.objects.all())
    periods = [(period, [(award, coefficients.get((period.pk, award.pk))) for award in awards])
               for period in LegalPeriod.objects.order_by("-first_year")]
    return render(request, "awards/bonus.html", {
        "salaries": BaseSalary.objects.all(), "periods": periods, "decisions": decisions,
        "can": {"manage": can_manage_bonus(request.user),
                "read_legal_notes": can_read_legal_notes(request.user)},
    })


def payout(request, pk):
    """One decision's payout list: its figures, the files, and (for the Office) recording it
    against a year's fund."""
    decision = get_decision_for(request.user, pk)
    require(can_view_bonus(request.user))
    recorded = (Payout.objects.filter(decision=decision)
                .select_related("recorded_by", "approval_by__staff_member").first())
    # A list the director refused may be recorded again (when the income has come).
    manage = (can_manage_bonus(request.user) and not decision.revoked_at
              and (recorded is None or recorded.approval == Approval.REFUSED))
    # The list is most often drawn up with the decision: its date, in the fund of its year.
    form = PayoutForm(request.POST or None, decision=decision, initial={
        "year": decision.signed_on.year, "paid_on": decision.signed_on})
    if request.method == "POST":
        require(manage)
        if form.is_valid():
            try:
                row = services_bonus.record_payout(decision, user=request.user,
                                                   **form.cleaned_data)
            except WorkflowError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("The payout list of decision %(number)s was "
                                            "recorded in the fund of %(year)s.")
                                 % {"number": decision.number, "year": form.cleaned_data["year"]})
                if row.pending:
                    messages.warning(request, _("It is beyond the fund: it awaits a director's "
                                                "approval and is not counted as paid until "
                                                "then."))
                return redirect("awards:payout", decision.pk)
    figures = bonus.figures_for(decision)
    count = bonus.payee_count(decision.pk)
    each = recorded.amount_each if recorded else figures.amount_each
    units = bonus.count_by_unit(decision)
    for row in units:
        row["amount"] = row["count"] * each if each is not None else None
    return render(request, "awards/payout.html", {
        "decision": decision, "figures": figures, "recorded": recorded, "count": count,
        "units": units,
        "each": each, "total": recorded.total if recorded else (each or 0) * count,
        "form": form, "can": {"record": manage and not figures.problem,
                              "read_legal_notes": can_read_legal_notes(request.user)},
        "fund_balance": bonus.balance(decision.signed_on.year) if manage else None,
    })


def _fund_page(request, year, *, status=200, **forms):
    """The fund's page: the ledger, what is due back, the lists awaiting the director, and the
    forms (bound ones, refused, passed in to show their messages)."""
    manage = can_manage_bonus(request.user)
    approve = can_approve_fund_override(request.user)
    lines = bonus.ledger(year)
    dues = bonus.to_recover()
    by_decision = {}
    for due in dues:
        by_decision.setdefault(due.decision_id, []).append(due)
    recover = []
    for decision_id, rows in by_decision.items():
        form = forms.get(f"recover_{decision_id}") or RecoveryForm(
            year=year, decision_id=decision_id, dues=rows,
            initial={"awardees": [due.conferral_id for due in rows],
                     "amount": sum(due.outstanding for due in rows)})
        recover.append({"number": rows[0].number, "decision_id": decision_id, "dues": rows,
                        "owed": sum(due.outstanding for due in rows), "form": form})
    pending = [line.payout_row for line in lines
               if line.payout_row is not None and line.payout_row.pending]
    # Corrections written off, from the ledger's prefetched history (no query more).
    corrections = [row for line in lines if line.income_row is not None
                   for row in line.income_row.corrections.all() if row.pending]
    return render(request, "awards/fund.html", {
        "year": year, "lines": lines, "balance": bonus.balance(year),
        "income": sum(line.income or 0 for line in lines if line.kind == "income"),
        "recovered": sum(line.income or 0 for line in lines if line.kind == "recovery"),
        "paid": sum(line.payout or 0 for line in lines if line.counted),
        "pending": pending, "pending_total": sum(row.total for row in pending),
        "awaiting": pending or corrections,
        "recover": recover, "due_total": sum(due.outstanding for due in dues),
        "form": forms.get("income") or IncomeForm(year=year),
        "decide_form": forms.get("decide") or OverrideDecisionForm(),
        "decide_pk": forms.get("decide_pk"), "correction_pk": forms.get("correction_pk"),
        "pending_corrections": corrections,
        "can": {"manage": manage, "approve": approve},
        "years": [year - 1, year + 1],
    }, status=status)


def fund(request):
    """The year's reward fund: income, recoveries and payouts by date with the balance; the
    Office adds income here."""
    require(can_view_fund(request.user))
    year = year_for(request)
    if request.method == "POST":
        require(can_manage_bonus(request.user))
        form = IncomeForm(request.POST, year=year)
        if form.is_valid():
            services_bonus.add_income(year=year, user=request.user, **form.cleaned_data)
            messages.success(request, _("The income was entered in the fund of %(year)s.")
                             % {"year": year})
            return redirect(f"{request.path}?year={year}")
        return _fund_page(request, year, income=form)
    return _fund_page(request, year)


@require_POST
def fund_recover(request):
    """Money recovered for revoked awards of one decision, into the year's fund."""
    require(can_view_fund(request.user) and can_manage_bonus(request.user))
    year = year_for(request)
    decision_id = request.POST.get("decision", "")
    if not decision_id.isdigit():
        raise Http404
    decision = get_decision_for(request.user, int(decision_id))
    dues = bonus.to_recover(decision_id=decision.pk)
    form = RecoveryForm(request.POST, year=year, decision_id=decision.pk, dues=dues)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services_bonus.record_recovery(
                year=year, decision=decision, conferrals=data["awardees"],
                amount=data["amount"], received_on=data["received_on"], note=data["note"],
                user=request.user)
        except WorkflowError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("%(amount)s đồng recovered under decision %(number)s "
                                        "was entered in the fund of %(year)s.")
                             % {"amount": bonus.money(data["amount"]),
                                "number": decision.number, "year": year})
            return redirect(f"{reverse('awards:fund')}?year={year}")
    return _fund_page(request, year, status=400, **{f"recover_{decision.pk}": form})


def _decide(request, row, *, year: int, decide, approved: str, refused: str, key: str):
    """The director's answer to a write beyond the fund (`decide`: the service), then back to
    the fund's page; a refused answer shows there under its row (`key`: which form)."""
    form = OverrideDecisionForm(request.POST)
    if form.is_valid():
        try:
            decide(row, approve=form.cleaned_data["approve"], note=form.cleaned_data["note"],
                   user=request.user)
        except WorkflowError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, approved if form.cleaned_data["approve"] else refused)
            return redirect(f"{reverse('awards:fund')}?year={year}")
    return _fund_page(request, year, status=400, decide=form, **{key: row.pk})


@require_POST
def payout_decide(request, pk):
    """The director approves or refuses a payout list recorded beyond the fund."""
    require(can_approve_fund_override(request.user))
    row = get_object_or_404(Payout.objects.select_related("decision"), pk=pk)
    number = {"number": row.decision.number}
    return _decide(request, row, year=row.year, decide=services_bonus.decide_override,
                   approved=_("The payout list of decision %(number)s is approved: it is "
                              "counted as paid from the fund.") % number,
                   refused=_("The payout list of decision %(number)s is refused; the Office "
                             "sees your reason.") % number, key="decide_pk")


@require_POST
def income_correction_decide(request, pk):
    """The director approves or refuses an income correction that leaves the fund short."""
    require(can_approve_fund_override(request.user))
    row = get_object_or_404(IncomeCorrection.objects.select_related("income"), pk=pk)
    return _decide(request, row, year=row.income.year, decide=services_bonus.decide_correction,
                   approved=_("The correction of the income entry is approved: the fund "
                              "counts its new figures."),
                   refused=_("The correction of the income entry is refused: it keeps its "
                             "earlier figures; the Office sees your reason."),
                   key="correction_pk")


def income_correct(request, pk):
    """One income entry: its history of corrections, and (for the Office) correcting it."""
    require(can_view_fund(request.user))
    income = get_object_or_404(FundIncome, pk=pk)
    manage = can_manage_bonus(request.user)
    form = IncomeCorrectionForm(request.POST if request.method == "POST" else None,
                                instance=income, year=income.year,
                                initial={"version": income.version})
    if request.method == "POST":
        require(manage)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services_bonus.correct_income(
                    FundIncome.objects.get(pk=pk), version=data["version"],
                    received_on=data["received_on"], amount=data["amount"],
                    source=data["source"], reason=data["reason"],
                    override_reason=data["override_reason"], user=request.user)
            except StaleEdit as error:
                form = keep_typing(form, FundIncome.objects.get(pk=pk).version)
                form.add_error(None, error.message)
            except WorkflowError as error:
                form.add_error(None, error.message)
            else:
                if income.corrections.filter(approval=Approval.PENDING).exists():
                    messages.warning(request, _("The correction leaves the fund short: it "
                                                "awaits a director's approval and the entry "
                                                "keeps its figures until then."))
                else:
                    messages.success(request, _("The income entry was corrected; its earlier "
                                                "figures stay in its history."))
                return redirect(f"{reverse('awards:fund')}?year={income.year}")
    income = FundIncome.objects.get(pk=pk)  # as saved: the form may hold refused typing
    return render(request, "awards/fund_income.html", {
        "income": income, "form": form, "can": {"manage": manage},
        "corrections": income.corrections.select_related("corrected_by__staff_member",
                                                         "approval_by__staff_member"),
    }, status=400 if form.errors else 200)
