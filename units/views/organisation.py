"""The organisation page: the Office and administrators create, rename, move, deactivate and
merge units, each with its date of effect (the writes are units/organisation.py's)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .. import organisation
from ..access import can_manage_organisation, get_unit_to_manage_for, require
from ..forms_organisation import (
    UnitCreateForm,
    UnitDeactivateForm,
    UnitMergeForm,
    UnitMoveForm,
    UnitRenameForm,
)
from ..models import Unit


def organisation_page(request):
    """Every unit, active or not, in the tree's order, with what can be done to each."""
    require(can_manage_organisation(request.user))
    units = list(Unit.objects.select_related("merged_into").with_staff_counts())
    by_parent = {}
    for unit in units:
        by_parent.setdefault(unit.parent_id, []).append(unit)
    rows = []

    def walk(parent_id, depth):
        for unit in by_parent.get(parent_id, []):
            unit.depth = range(depth)
            rows.append(unit)
            walk(unit.pk, depth + 1)

    walk(None, 0)
    return render(request, "units/organisation.html", {"rows": rows})


def unit_create(request):
    require(can_manage_organisation(request.user))
    form = UnitCreateForm(request.POST or None)
    if form.is_valid():
        data = form.cleaned_data
        try:
            unit = organisation.create_unit(
                user=request.user, name=data["name"], short_name=data["short_name"],
                code=data["code"], kind=data["kind"], parent=data["parent"], on=data["on"],
                note=data["note"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("%(unit)s was created.") % {"unit": unit})
            return redirect("units:organisation")
    return render(request, "units/organisation_form.html",
                  {"form": form, "title": _("New unit"), "submit": _("Create the unit")})


# action → (form, what the page says, the button, the change made, the message after)
ACTIONS = {
    "rename": (UnitRenameForm, gettext_lazy("Rename %(unit)s"), gettext_lazy("Rename"),
               lambda unit, user, d: organisation.rename_unit(
                   unit=unit, user=user, name=d["name"], short_name=d["short_name"],
                   on=d["on"], note=d["note"]),
               gettext_lazy("The unit was renamed.")),
    "move": (UnitMoveForm, gettext_lazy("Move %(unit)s under another unit"),
             gettext_lazy("Move"),
             lambda unit, user, d: organisation.move_unit(
                 unit=unit, user=user, parent=d["parent"], on=d["on"], note=d["note"]),
             gettext_lazy("The unit was moved.")),
    "deactivate": (UnitDeactivateForm, gettext_lazy("Deactivate %(unit)s"),
                   gettext_lazy("Deactivate"),
                   lambda unit, user, d: organisation.deactivate_unit(
                       unit=unit, user=user, on=d["on"], note=d["note"]),
                   gettext_lazy("The unit was deactivated; its history is kept.")),
    "merge": (UnitMergeForm, gettext_lazy("Merge %(unit)s into another unit"),
              gettext_lazy("Merge"),
              lambda unit, user, d: organisation.merge_unit(
                  unit=unit, into=d["into"], user=user, on=d["on"], note=d["note"]),
              gettext_lazy("The unit was merged: its active staff were transferred, its past "
                           "work stays under its name.")),
}


def _change(request, pk, action):
    unit = get_unit_to_manage_for(request.user, pk)
    form_class, title, submit, change, done = ACTIONS[action]
    form = form_class(request.POST or None, unit=unit) if action != "deactivate" \
        else form_class(request.POST or None)
    if form.is_valid():
        try:
            change(unit, request.user, form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, done)
            return redirect(reverse("units:organisation"))
    return render(request, "units/organisation_form.html", {
        "form": form, "unit": unit, "action": action, "submit": submit,
        "title": str(title) % {"unit": unit.name},
        # A merge makes them ordinary staff of the other unit: the page says so beforehand.
        "leaders": list(unit.leading_staff()) if action == "merge" else []})


def unit_rename(request, pk):
    return _change(request, pk, "rename")


def unit_move(request, pk):
    return _change(request, pk, "move")


def unit_deactivate(request, pk):
    return _change(request, pk, "deactivate")


def unit_merge(request, pk):
    return _change(request, pk, "merge")
