"""A unit's staff: the list with its accent-insensitive search for everyone who may read the
unit; adding, editing, transferring and deactivating people for the Office and administrators."""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from .. import organisation
from ..access import (
    can_manage_accounts,
    can_manage_organisation,
    get_staff_to_manage_for,
    get_unit_for,
    get_unit_to_manage_for,
)
from ..forms_organisation import (
    StaffDeactivateForm,
    StaffForm,
    StaffSearchForm,
    StaffTransferForm,
)
from ..models import StaffMember

PAGE_SIZE = 100


def staff_list(request, pk):
    """One page of the unit's active staff, leaders first then by given name; `q` searches
    names without regard to accents or case, and staff codes."""
    unit = get_unit_for(request.user, pk)
    form = StaffSearchForm(request.GET or None)
    people = unit.staff.active().leaders_first().select_related("user")
    query = ""
    if form.is_valid() and form.cleaned_data["q"]:
        people = people.search(form.cleaned_data["q"])
        query = f"{urlencode({'q': form.cleaned_data['q']})}&"
    page = Paginator(people, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "units/staff_list.html", {
        "unit": unit, "form": form, "page": page, "page_query": query,
        "merged_units": unit.merged_units.order_by("-merged_on", "pk"),
        "can": {"manage": can_manage_organisation(request.user),
                "accounts": can_manage_accounts(request.user)},
    })


def staff_create(request, pk):
    unit = get_unit_to_manage_for(request.user, pk)
    form = StaffForm(request.POST or None, instance=StaffMember(unit=unit))
    if form.is_valid():
        person = organisation.save_staff(form=form, user=request.user, unit=unit)
        messages.success(request, _("%(name)s was added.") % {"name": person.full_name})
        return redirect("units:staff", pk=unit.pk)
    return render(request, "units/staff_form.html",
                  {"form": form, "unit": unit, "title": _("Add a staff member")})


def staff_edit(request, pk):
    person = get_staff_to_manage_for(request.user, pk)
    form = StaffForm(request.POST or None, instance=person)
    if form.is_valid():
        organisation.save_staff(form=form, user=request.user)
        messages.success(request, _("The record of %(name)s was saved.")
                         % {"name": person.full_name})
        return redirect("units:staff", pk=person.unit_id)
    return render(request, "units/staff_form.html", {"form": form, "unit": person.unit,
                                                     "person": person,
                                                     "title": person.full_name})


def staff_transfer(request, pk):
    person = get_staff_to_manage_for(request.user, pk)
    form = StaffTransferForm(request.POST or None, person=person)
    return _dated_change(
        request, form, person, title=_("Transfer %(name)s") % {"name": person.full_name},
        change=lambda d: organisation.transfer_staff(person=person, to_unit=d["to_unit"],
                                                     user=request.user, on=d["on"]),
        done=_("%(name)s was transferred.") % {"name": person.full_name})


def staff_deactivate(request, pk):
    person = get_staff_to_manage_for(request.user, pk)
    form = StaffDeactivateForm(request.POST or None)
    return _dated_change(
        request, form, person,
        title=_("%(name)s leaves the unit (retired, moved away)") % {"name": person.full_name},
        change=lambda d: organisation.deactivate_staff(person=person, user=request.user,
                                                       on=d["on"]),
        done=_("%(name)s is no longer listed among the unit's staff.")
        % {"name": person.full_name})


def _dated_change(request, form, person, *, title, change, done):
    unit_pk = person.unit_id
    if form.is_valid():
        try:
            change(form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, done)
            return redirect("units:staff", pk=unit_pk)
    return render(request, "units/staff_change.html",
                  {"form": form, "person": person, "unit": person.unit, "title": title})
