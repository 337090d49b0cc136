"""The registers of recognised initiatives (plan item 10) and of violations (item 8).

The Office, the Union and administrators keep them; everyone reads the rows of the units they
may see. Rows are never deleted: scoring and awards read the history back.
"""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from core.stale_edits import StaleEdit

from .. import services
from ..access import (
    can_keep_registers,
    can_view_every_unit,
    get_initiative_for,
    get_violation_for,
    register_rows_for,
    require,
)
from ..collation import person_order, unit_order, vi
from ..forms_registers import (
    InitiativeFilterForm,
    InitiativeForm,
    ViolationFilterForm,
    ViolationForm,
)
from ..models import Initiative, StaffMember, Violation
from ..years import remember_chosen

PAGE_SIZE = 50


def _page(request, rows):
    """The requested page of `rows`, and the query string its links keep (filters, not page)."""
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return page, f"{query.urlencode()}&" if query else ""


def _listing(request, template, form, rows):
    page, page_query = _page(request, rows)
    return render(request, template, {"form": form, "page": page, "page_query": page_query,
                                      "can": {"keep_registers": can_keep_registers(request.user)}})


def _save_or_show(request, form, *, save, saved, to, template, context):
    """A register row's form: saved (the service audits it), then back to the list; or shown
    again with its errors, or with the stale-edit message when someone saved it meanwhile."""
    if form.is_valid():
        try:
            save(form=form, user=request.user)
        except StaleEdit:
            messages.error(request, StaleEdit.message)
        else:
            messages.success(request, saved)
            return redirect(to)
    return render(request, template, {"form": form, **context})


def initiative_list(request):
    rows = register_rows_for(request.user, Initiative.objects.all())
    remember_chosen(request)
    years = rows.order_by("-year").values_list("year", flat=True).distinct()
    form = InitiativeFilterForm(request.GET or None, years=years,
                                every_unit=can_view_every_unit(request.user))
    authors = StaffMember.objects.only("id", "full_name").order_by(*person_order(), "pk")
    rows = (form.filter(rows).select_related("unit")
            .prefetch_related(Prefetch("authors", queryset=authors))
            .order_by("-year", *unit_order("unit__"), vi("title"), "pk"))
    return _listing(request, "units/initiative_list.html", form, rows)


def initiative_create(request):
    require(can_keep_registers(request.user))
    return _initiative_form(request, Initiative(recorded_by=request.user))


def initiative_edit(request, pk):
    return _initiative_form(request, get_initiative_for(request.user, pk, edit=True))


def _initiative_form(request, initiative):
    return _save_or_show(request, InitiativeForm(request.POST or None, instance=initiative),
                         save=services.save_initiative, saved=_("The initiative was saved."),
                         to="units:initiatives", template="units/initiative_form.html",
                         context={"initiative": initiative})


def violation_list(request):
    rows = register_rows_for(request.user, Violation.objects.all())
    remember_chosen(request)
    years = [day.year for day in rows.dates("occurred_on", "year", order="DESC")]
    form = ViolationFilterForm(request.GET or None, years=years,
                                every_unit=can_view_every_unit(request.user))
    rows = (form.filter(rows).select_related("unit", "staff")
            .order_by("-occurred_on", *unit_order("unit__"), "pk"))
    return _listing(request, "units/violation_list.html", form, rows)


def violation_create(request):
    require(can_keep_registers(request.user))
    return _violation_form(request, Violation(recorded_by=request.user))


def violation_edit(request, pk):
    return _violation_form(request, get_violation_for(request.user, pk, edit=True))


def _violation_form(request, violation):
    return _save_or_show(request, ViolationForm(request.POST or None, instance=violation),
                         save=services.save_violation, saved=_("The violation was saved."),
                         to="units:violations", template="units/violation_form.html",
                         context={"violation": violation})
