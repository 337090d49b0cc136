"""Who in a unit meets the conditions of which award this year, and why — before any list."""

from django.http import Http404
from django.shortcuts import render

from units.access import get_unit_for, require, viewer_for
from units.models import Unit

from .eligibility import review_unit
from .ratings import default_year


def eligibility(request):
    viewer = viewer_for(request.user)
    unit_id = request.GET.get("unit") or viewer.unit_id
    year = request.GET.get("year") or default_year()
    if not str(unit_id or "").isdigit() or not str(year).isdigit():
        raise Http404
    unit = get_unit_for(request.user, unit_id)
    # Ratings and discipline of colleagues: for the head and those who review, not for staff.
    require(viewer.reads_everything or viewer.heads(unit.pk))
    units = (Unit.objects.active().exclude(parent__isnull=True) if viewer.reads_everything
             else [])
    return render(request, "awards/eligibility.html", {
        "unit": unit, "year": int(year), "review": review_unit(unit, int(year)),
        "units": units,
    })
