from django.shortcuts import render

from .access import get_unit_for, viewer_for
from .models import Unit, UnitKind


def unit_list(request):
    """The organisation, grouped by kind. Everyone signed in may see the structure."""
    units = list(Unit.objects.active().with_staff_counts())
    roots = [u for u in units if u.parent_id is None]
    units = [u for u in units if u.parent_id is not None]
    groups = []
    for kind, label in UnitKind.choices:
        members = [u for u in units if u.kind == kind]
        if members:
            groups.append((label, members))
    viewer = viewer_for(request.user)
    return render(request, "units/unit_list.html",
                  {"groups": groups, "roots": roots, "unit_total": len(units), "viewer": viewer})


def unit_detail(request, pk):
    unit = get_unit_for(request.user, pk)
    staff = unit.staff.active().leaders_first().select_related("user")
    children = unit.children.active()
    return render(request, "units/unit_detail.html",
                  {"unit": unit, "staff": staff, "children": children})
