"""Who in a unit meets the conditions of which award this year, and why — before any list."""

from django.shortcuts import render

from units.access import can_read_legal_notes, can_view_every_unit, require
from units.models import Unit

from ..access import can_review_eligibility
from ..eligibility import review_unit
from .ratings import unit_and_year


def eligibility(request):
    unit, year = unit_and_year(request)
    require(can_review_eligibility(request.user, unit))
    units = (Unit.objects.active().exclude(parent__isnull=True)
             if can_view_every_unit(request.user) else [])
    return render(request, "awards/eligibility.html", {
        "unit": unit, "year": year, "review": review_unit(unit, year), "units": units,
        "can": {"read_legal_notes": can_read_legal_notes(request.user)},
    })
