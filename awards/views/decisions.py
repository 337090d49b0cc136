"""Decisions: registering a signed decision for the approved nominees, reading it, revoking it.

Issuing writes the conferrals that later years' conditions read; revoking keeps every row and
marks the awards revoked with the reason. Nothing here deletes.
"""

from django.contrib import messages
from django.db.models import Count, Exists, OuterRef
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from campaigns.models import Campaign
from units import identity
from units.access import require, viewer_for
from units.collation import person_order, unit_order

from .. import services
from ..access import (
    can_approve,
    can_issue_decisions,
    can_manage_certificate_layouts,
    can_manage_dossiers,
    can_sign_decision,
    get_decision_for,
)
from ..forms_proposals import DecisionForm, RevokeForm
from ..models import (
    Award,
    CertificateLayout,
    Decision,
    Dossier,
    DossierStatus,
    Nominee,
    ProposalStage,
    SpecialProposal,
    SpecialStatus,
)
from ..models_signature import SignedDecision
from ..years import year_for
from .dossiers import upper_revocation_form


def _awaiting():
    """(award, year, count) of approved nominees without a decision: what is left to issue."""
    # An award whose dossier went upward is decided there (awards.services_dossier), not here.
    upward = Dossier.objects.filter(award=OuterRef("award"), year=OuterRef("proposal__year")
                                    ).exclude(status=DossierStatus.RECALLED)
    rows = (Nominee.objects.filter(passed=True, proposal__stage=ProposalStage.APPROVED,
                                   decision__isnull=True)
            .exclude(Exists(upward))
            .values("award", "proposal__year").annotate(count=Count("id"))
            .order_by("-proposal__year", "award"))
    counts = [(row["award"], row["proposal__year"], row["count"]) for row in rows]
    # The accepted proposals outside the annual cycle (topic, extraordinary, seniority) too.
    counts += [(row["award"], row["year"], row["count"]) for row in (
        SpecialProposal.objects.filter(status=SpecialStatus.ACCEPTED, decision__isnull=True)
        .values("award", "year").annotate(count=Count("id")).order_by("-year", "award"))]
    awards = Award.objects.in_bulk({award for award, _year, _count in counts})
    # An award of the province or above goes upward as a dossier, never into our decision.
    return [(awards[award], year, count) for award, year, count in counts
            if awards[award].decided_here]


def decisions(request):
    rows = (Decision.objects.visible_to(viewer_for(request.user)).select_related("award")
            .annotate(count=Count("conferrals")))
    issues = can_issue_decisions(request.user)
    return render(request, "awards/decisions.html", {
        "decisions": rows, "awaiting": _awaiting() if issues else [],
        "can": {"issue_decisions": issues},
    })


def decision_create(request):
    require(can_issue_decisions(request.user))
    initial = {key: request.GET.get(key) for key in ("award", "year") if request.GET.get(key)}
    initial["year"] = str(year_for(request))  # the year the other pages open on
    # The signer of the year's plan is most often the one who signs its decisions.
    year = initial["year"]
    signer = (Campaign.objects.filter(year=int(year)).exclude(signer_name="")
              .values_list("signer_name", "signer_title").first() if year.isdigit() else None)
    if not signer:  # no plan of the year: the department's director (units.identity)
        department = identity.current()
        signer = (department.director_name, department.director_title)
    if signer[0]:
        initial.update(signer_name=signer[0], signer_title=signer[1])
    form = DecisionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            decision = services.issue_decision(user=request.user, **form.cleaned_data)
        except services.WorkflowError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Decision %(number)s was issued: %(count)s award(s) "
                                        "entered in the history.")
                             % {"number": decision.number,
                                "count": decision.conferrals.count()})
            return redirect("awards:decision", decision.pk)
    award, year = _chosen(form)
    nominees = list(services.awaiting_rows(award, year)) if award and year else []
    return render(request, "awards/decision_form.html", {
        "form": form, "award": award, "year": year, "nominees": nominees,
        # Not offered without nominees awaiting: the page names what does await instead.
        "awaiting": _awaiting() if not nominees else [],
    })


def _chosen(form):
    """The award and year the form is about, to list who the decision will name."""
    data = form.data if form.is_bound else form.initial
    try:
        award = Award.objects.filter(pk=int(data.get("award") or 0)).first()
        year = int(data.get("year") or 0)
    except ValueError:
        return None, None
    return award, year


def decision(request, pk, revoke_form=None, upper_form=None):
    item = get_decision_for(request.user, pk)
    # The Office records the issuer's revocation of an upper decision (views/dossiers.py).
    revoke_upper = (can_manage_dossiers(request.user) and item.from_upper_level
                    and not item.revoked_at)
    return render(request, "awards/decision.html", {
        "decision": item,
        "conferrals": item.conferrals.select_related("staff", "unit").order_by(
            *unit_order("unit__"), *person_order("staff__full_name"), "pk"),
        # Only its issuer revokes an upper level's decision (services.revoke_decision).
        "can": {"revoke": (can_approve(request.user) and not item.revoked_at
                           and not item.from_upper_level),
                "revoke_upper": revoke_upper,
                "sign": (can_sign_decision(request.user, item) and not item.revoked_at),
                # The Department's own standing decision: its certificates (Giấy khen).
                "certificates": not item.from_upper_level and not item.revoked_at,
                "certificate_layouts": can_manage_certificate_layouts(request.user)},
        "certificate_layouts": CertificateLayout.objects.for_award(item.award_id),
        "signed": SignedDecision.objects.filter(decision=item).first(),
        "revoke_form": revoke_form or RevokeForm(),
        "upper_form": (upper_form or upper_revocation_form(item)) if revoke_upper else None,
        "revocations": item.upper_revocations.prefetch_related("conferrals__staff",
                                                               "conferrals__unit"),
    })


@require_POST
def decision_revoke(request, pk):
    item = get_decision_for(request.user, pk)
    require(can_approve(request.user))
    form = RevokeForm(request.POST)
    if not form.is_valid():
        return decision(request, pk, revoke_form=form)  # the reason is missing: say so there
    try:
        services.revoke_decision(item, reason=form.cleaned_data["reason"], user=request.user)
    except services.WorkflowError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The decision was revoked; the awards stay in the history "
                                    "marked revoked."))
    return redirect("awards:decision", item.pk)
