"""Who in a unit meets the conditions of which award this year, and why — before any list."""

from django.shortcuts import render

from units.access import require
from units.models import Unit

from ..eligibility import review_unit
from .ratings import unit_and_year


def eligibility(request):
    viewer, unit, year = unit_and_year(request)
    # Ratings and discipline of colleagues: for the head and those who review, not for staff.
    require(viewer.reads_everything or viewer.heads(unit.pk))
    units = (Unit.objects.active().exclude(parent__isnull=True) if viewer.reads_everything
             else [])
    return render(request, "awards/eligibility.html", {
        "unit": unit, "year": year, "review": review_unit(unit, year), "units": units,
    })
