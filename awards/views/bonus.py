"""Bonus money: the law's figures and every decision's payout list (Tiền thưởng), one decision's
payout list recorded against the fund, and the reward fund's ledger of a year (Quỹ khen
thưởng)."""

from django.contrib import messages
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from units.access import can_read_legal_notes, require

from .. import bonus, services_bonus
from ..access import (
    can_manage_bonus,
    can_view_bonus,
    can_view_fund,
    get_decision_for,
    payout_decisions_for,
)
from ..forms_bonus import IncomeForm, PayoutForm
from ..models import Award, LegalPeriod
from ..models_bonus import AwardCoefficient, BaseSalary, Payout
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
    recorded = Payout.objects.filter(decision=decision).select_related("recorded_by").first()
    manage = can_manage_bonus(request.user) and recorded is None and not decision.revoked_at
    # The list is most often drawn up with the decision: its date, in the fund of its year.
    form = PayoutForm(request.POST or None, decision=decision, initial={
        "year": decision.signed_on.year, "paid_on": decision.signed_on})
    if request.method == "POST":
        require(manage)
        if form.is_valid():
            try:
                services_bonus.record_payout(decision, user=request.user, **form.cleaned_data)
            except WorkflowError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("The payout list of decision %(number)s was "
                                            "recorded in the fund of %(year)s.")
                                 % {"number": decision.number, "year": form.cleaned_data["year"]})
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


def fund(request):
    """The year's reward fund: income and payouts by date with the balance; the Office adds
    income here."""
    require(can_view_fund(request.user))
    year = year_for(request)
    manage = can_manage_bonus(request.user)
    form = IncomeForm(request.POST or None, year=year)
    if request.method == "POST":
        require(manage)
        if form.is_valid():
            services_bonus.add_income(year=year, user=request.user, **form.cleaned_data)
            messages.success(request, _("The income was entered in the fund of %(year)s.")
                             % {"year": year})
            return redirect(f"{request.path}?year={year}")
    lines = bonus.ledger(year)
    return render(request, "awards/fund.html", {
        "year": year, "lines": lines, "balance": lines[-1].balance if lines else 0,
        "income": sum(line.income or 0 for line in lines),
        "paid": sum(line.payout or 0 for line in lines),
        "form": form, "can": {"manage": manage},
        "years": [year - 1, year + 1],
    })
