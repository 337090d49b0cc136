from django.shortcuts import render

from .access import get_unit_for, viewer_for
from .models import Unit, UnitKind


def unit_list(request):
    """The organisation, grouped by kind. Everyone signed in may see the structure."""
    units = list(Unit.objects.active().with_staff_counts().select_related("parent"))
    groups = []
    for kind, label in UnitKind.choices:
        members = [u for u in units if u.kind == kind]
        if members:
            groups.append((label, members))
    viewer = viewer_for(request.user)
    return render(request, "units/unit_list.html",
                  {"groups": groups, "unit_total": len(units), "viewer": viewer})


def unit_detail(request, pk):
    unit = get_unit_for(request.user, pk)
    staff = unit.staff.active().select_related("user")
    children = unit.children.active()
    return render(request, "units/unit_detail.html",
                  {"unit": unit, "staff": staff, "children": children})
