"""The catalogue of titles and forms of commendation with each condition, one legal period at a
time (read-only; corrected in the admin). Each condition's source and its "to be checked" flag
are drafting notes: shown to those who read them (units.access.can_read_legal_notes), as on
every page that applies the law."""

from collections import defaultdict

from django.shortcuts import render
from django.utils import timezone

from units.access import can_read_legal_notes, require

from ..access import can_read_catalogue
from ..forms import CatalogueFilterForm
from ..models import Award, Condition, LegalPeriod


def catalogue(request):
    require(can_read_catalogue(request.user))
    periods = list(LegalPeriod.objects.all())
    form = CatalogueFilterForm(request.GET or None, periods=periods)
    period = form.chosen() or LegalPeriod.objects.for_date(timezone.localdate())
    conditions = defaultdict(lambda: defaultdict(list))
    if period is not None:
        for condition in Condition.objects.filter(period=period).select_related("other_award"):
            conditions[condition.award_id][condition.alternative].append(condition)
    awards = [(award, [group for _n, group in sorted(conditions[award.pk].items())])
              for award in Award.objects.all()]
    return render(request, "awards/catalogue.html", {
        "form": form, "period": period, "periods": periods, "awards": awards,
        "can": {"read_legal_notes": can_read_legal_notes(request.user)}})
