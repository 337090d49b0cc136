from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import services
from ..access import (
    can_delegate_reporting,
    can_manage_organisation,
    can_view_unit,
    get_staff_member_for,
    get_unit_for,
)
from ..models import Unit, UnitKind

# The unit page lists the people with a portal account (who reports for the unit is chosen
# among them), at most this many; everyone is in the paged, searchable staff list. Listing a
# 3,000-person school whole took half a second.
ACCOUNTS_SHOWN = 50


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
    for unit in units:
        # Everyone sees the structure; only the units whose details they may open are links.
        unit.can_view = can_view_unit(request.user, unit)
    return render(request, "units/unit_list.html",
                  {"groups": groups, "roots": roots, "unit_total": len(units),
                   "can": {"manage": can_manage_organisation(request.user)}})


def unit_detail(request, pk):
    unit = get_unit_for(request.user, pk)
    staff = unit.staff.active()
    accounts = list(staff.filter(user__isnull=False).leaders_first()
                    .select_related("user")[:ACCOUNTS_SHOWN + 1])
    children = unit.children.active()
    return render(request, "units/unit_detail.html", {
        "unit": unit, "staff_count": staff.count(), "accounts": accounts[:ACCOUNTS_SHOWN],
        "more_accounts": len(accounts) > ACCOUNTS_SHOWN, "children": children,
        "merged_units": Unit.objects.merged_into_unit(unit),
        "changes": unit.changes.all()[:20],
        "can": {"delegate_reporting": can_delegate_reporting(request.user, unit.pk),
                "manage": can_manage_organisation(request.user)},
    })


@require_POST
def toggle_reporting(request, pk):
    """The head lets a staff member of the unit write and submit its progress reports, or stops."""
    person = get_staff_member_for(request.user, pk, delegate=True)
    services.toggle_reporting(person=person, user=request.user)
    if person.reports_for_unit:
        messages.success(request, _("%(name)s may now write and submit the unit's progress "
                                    "reports.") % {"name": person.full_name})
    else:
        messages.success(request, _("%(name)s no longer reports for the unit.")
                         % {"name": person.full_name})
    return redirect(person.unit)
