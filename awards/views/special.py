"""Awards outside the annual cycle (khen thưởng chuyên đề, đột xuất, thâm niên): the year's
proposals with each one's verdict, the seniority medal's candidates of a unit, proposing, and the
Office's acceptance or return. Accepted proposals are decided on the Decisions page."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from core.stale_edits import StaleEdit
from units.access import get_unit_for, own_unit_id, require
from units.collation import unit_order
from units.models import Unit

from .. import services_special as services
from ..access import (
    can_propose_special,
    can_review_special,
    can_view_dossiers,
    can_view_every_registration,
    can_view_specials,
    get_special_for,
    specials_visible_to,
)
from ..dossiers import whereabouts
from ..forms_special import SpecialProposalForm, SpecialReviewForm
from ..models import Award, Cycle
from ..services import WorkflowError
from ..years import year_for


def _list_url(year, unit=None) -> str:
    query = {"year": year, **({"unit": unit.pk} if unit else {})}
    return f"{reverse('awards:specials')}?{urlencode(query)}"


def _chosen_unit(request):
    """The unit the page is about: ?unit= (a reader of everything may choose any), else the
    person's own; None for the Office's page of every unit."""
    unit_id = request.GET.get("unit") or (
        None if can_view_every_registration(request.user) else own_unit_id(request.user))
    if not unit_id:
        return None
    if not str(unit_id).isdigit():
        raise Http404
    return get_unit_for(request.user, unit_id)


def specials(request):
    require(can_view_specials(request.user))
    year = year_for(request)
    unit = _chosen_unit(request)
    rows = specials_visible_to(request.user).filter(year=year).select_related(
        "award", "staff", "unit", "decision")
    if unit is not None:
        rows = rows.filter(unit=unit)
    rows = list(rows)
    verdicts = services.verdicts(rows)
    today = timezone.localdate()
    # The seniority medal's candidates today, for the unit shown.
    candidates = []
    if unit is not None and can_propose_special(request.user, unit) and year == today.year:
        for award in Award.objects.filter(cycle=Cycle.SENIORITY):
            candidates.append((award, services.qualifying(award, unit, today)))
    reviews = can_review_special(request.user)
    # An accepted proposal of an award decided above: which dossier carries it upward.
    where = whereabouts(rows)
    return render(request, "awards/specials.html", {
        "year": year, "unit": unit, "today": today,
        "rows": [(row, verdicts.get(row.pk), SpecialReviewForm(initial={"version": row.version},
                                                               prefix=str(row.pk)),
                  where.get(row.pk))
                 for row in rows],
        "candidates": candidates,
        "units": (Unit.objects.active().exclude(parent__isnull=True).order_by(*unit_order())
                  if can_view_every_registration(request.user) else []),
        "can": {"review": reviews, "dossiers": can_view_dossiers(request.user),
                "propose": unit is not None and can_propose_special(request.user, unit)},
    })


@require_http_methods(["GET", "POST"])
def special_new(request):
    unit = _chosen_unit(request)
    year = year_for(request)
    if unit is None:  # the Office's page of every unit: a unit is chosen there first
        messages.info(request, _("Choose a unit to propose its people."))
        return redirect(_list_url(year))
    require(can_propose_special(request.user, unit))
    initial = {key: request.GET[key] for key in ("award", "staff", "achievement")
               if request.GET.get(key)}
    form = SpecialProposalForm(request.POST or None, unit=unit, year=year, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.propose(unit=unit, year=year, user=request.user, **form.cleaned_data)
        except WorkflowError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The proposal was sent to the Office."))
            return redirect(_list_url(year, unit))
    return render(request, "awards/special_form.html", {
        "form": form, "unit": unit, "year": year, "back": _list_url(year, unit)})


@require_POST
def special_step(request, pk):
    special = get_special_for(request.user, pk)
    require(can_review_special(request.user))
    form = SpecialReviewForm(request.POST, prefix=str(special.pk))
    back = _list_url(special.year, special.unit if request.GET.get("unit") else None)
    if not form.is_valid():
        messages.error(request, StaleEdit.message)
        return redirect(back)
    accept = request.POST.get("step") == "accept"
    try:
        services.review(special, accept=accept, reason=form.cleaned_data["reason"],
                        version=form.cleaned_data["version"], user=request.user)
    except StaleEdit:
        messages.error(request, StaleEdit.message)
    except WorkflowError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The proposal was accepted.") if accept
                         else _("The proposal was returned to the unit."))
    return redirect(back)
