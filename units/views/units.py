from django.contrib import messages
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ..access import get_unit_for, refuse, require, viewer_for
from ..audit import record
from ..models import Role, StaffMember, Unit, UnitKind


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
    return render(request, "units/unit_detail.html", {
        "unit": unit, "staff": staff, "children": children,
        "is_head": viewer_for(request.user).heads(unit.pk),
    })


@require_POST
def toggle_reporting(request, pk):
    """The head lets a staff member of the unit write and submit its progress reports, or stops."""
    person = get_object_or_404(StaffMember.objects.select_related("unit"), pk=pk, is_active=True)
    viewer = viewer_for(request.user)
    if not viewer.can_see_unit(person.unit):
        refuse(person)
    require(viewer.heads(person.unit_id) and person.role != Role.UNIT_HEAD, person)
    with transaction.atomic():
        before = person.reports_for_unit
        person.reports_for_unit = not before
        person.save(update_fields=["reports_for_unit"])
        record(actor=request.user, action="staff.reporting_delegation", target=person,
               before={"reports_for_unit": before}, after={"reports_for_unit": not before})
    if person.reports_for_unit:
        messages.success(request, _("%(name)s may now write and submit the unit's progress "
                                    "reports.") % {"name": person.full_name})
    else:
        messages.success(request, _("%(name)s no longer reports for the unit.")
                         % {"name": person.full_name})
    return redirect(person.unit)
