"""Emulation registration (đăng ký thi đua): the Office's overview of a year, and a unit's page
where its head registers the unit and its people, sends it, and the Office accepts or returns it.

A unit's page lists its people a page at a time (PAGE_SIZE, with a search), so a 3,000-person
unit's page is as quick as a 30-person one; the shortcut registers everyone at once.
"""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from core.stale_edits import StaleEdit, keep_typing
from units.access import own_unit_id, require
from units.collation import unit_order
from units.documents import deliver_job
from units.models import Unit

from .. import registration_services as services
from ..access import (
    can_edit_registration,
    can_export_registration,
    can_manage_registration,
    can_view_every_registration,
)
from ..forms_registration import (
    EveryoneForm,
    RegistrationForm,
    StaffSearchForm,
    StepForm,
    WindowForm,
)
from ..models import RegistrationStatus, RegistrationWindow, StaffRegistration, UnitRegistration
from ..ratings import people_of
from ..registration_jobs import REGISTRATIONS
from ..years import year_for
from .ratings import _filename, unit_and_year

PAGE_SIZE = 100


def unit_url(unit, year, **extra) -> str:
    return f"{reverse('awards:registration')}?{urlencode({'unit': unit.pk, 'year': year, **extra})}"


# --- The overview -------------------------------------------------------------------------


def registrations(request):
    """Every unit's registration of the year for readers of everything; anyone else goes to
    their own unit's page."""
    year = year_for(request)
    if not can_view_every_registration(request.user):
        unit_id = own_unit_id(request.user)
        if unit_id is None:
            raise Http404
        return redirect(f"{reverse('awards:registration')}?"
                        f"{urlencode({'unit': unit_id, 'year': year})}")
    window = RegistrationWindow.objects.filter(year=year).first()
    status = request.GET.get("status", "")
    units = list(Unit.objects.active().exclude(parent__isnull=True).order_by(*unit_order()))
    # Every unit's status for the counts and the filter (one light query); the people counted
    # only for the hundred units of the page shown.
    statuses = dict(UnitRegistration.objects.filter(year=year).order_by()
                    .values_list("unit_id", "status"))
    counts = {value: sum(1 for u in units if statuses.get(u.pk, "none") == value)
              for value in ["none", *RegistrationStatus.values]}
    if status:
        units = [u for u in units if statuses.get(u.pk, "none") == status]
    # A province's thousand units, a hundred a page: drawing them all took most of the time.
    page = Paginator(units, PAGE_SIZE).get_page(request.GET.get("page"))
    found = {r.unit_id: r for r in UnitRegistration.objects.filter(
        year=year, unit_id__in=[u.pk for u in page.object_list]).select_related("award")
        .annotate(people_count=Count("people")).order_by()}
    page.object_list = [(unit, found.get(unit.pk)) for unit in page.object_list]
    manages = can_manage_registration(request.user)
    form = WindowForm(initial={"deadline": window.deadline if window else None,
                               "version": window.version if window else None,
                               "closed": "open" if not window or window.is_open else "closed"})
    return render(request, "awards/registrations.html", {
        "year": year, "window": window, "page": page, "status": status,
        "page_query": urlencode({"year": year, **({"status": status} if status else {})}) + "&",
        "counts": [(value, label, counts[value]) for value, label in
                   [("none", _("Not started")), *RegistrationStatus.choices]],
        "form": form if manages else None, "today": timezone.localdate(),
        "can": {"manage": manages},
    })


@require_POST
def registration_window(request):
    """The Office opens the year's registration, or changes its deadline, closes or reopens it."""
    require(can_manage_registration(request.user))
    year = year_for(request)
    window = RegistrationWindow.objects.filter(year=year).first()
    form = WindowForm(request.POST)
    back = f"{reverse('awards:registrations')}?{urlencode({'year': year})}"
    if not form.is_valid():
        messages.error(request, " ".join(m for errors in form.errors.values() for m in errors))
        return redirect(back)
    try:
        if window is None:
            services.open_window(year=year, deadline=form.cleaned_data["deadline"],
                                 user=request.user)
            messages.success(request, _("Registration for %(year)s is open.") % {"year": year})
        else:
            services.change_window(window=window, user=request.user,
                                   expected_version=form.cleaned_data["version"] or 0,
                                   deadline=form.cleaned_data["deadline"],
                                   closed=form.cleaned_data["closed"])
            messages.success(request, _("The registration for %(year)s was changed.")
                             % {"year": year})
    except services.RegistrationError as error:
        messages.error(request, error.message)
    except StaleEdit:
        messages.error(request, StaleEdit.message)
    return redirect(back)


# --- A unit's page ------------------------------------------------------------------------


def _people_page(request, unit, year):
    search = StaffSearchForm(request.GET)
    people = people_of(unit, year).only("pk", "full_name", "position", "staff_code", "role")
    if search.is_valid() and search.cleaned_data["q"]:
        people = people.search(search.cleaned_data["q"])
    return search, Paginator(people.leaders_first(), PAGE_SIZE).get_page(request.GET.get("page"))


@require_http_methods(["GET", "POST"])
def registration(request):
    unit, year = unit_and_year(request)
    edits = can_edit_registration(request.user, unit)
    manages = can_manage_registration(request.user)
    if request.method == "POST":
        require(edits)
    window = RegistrationWindow.objects.filter(year=year).first()
    current = services.registration_of(unit, window) if window else None
    search, page = _people_page(request, unit, year)
    people = list(page.object_list)
    stored = dict(StaffRegistration.objects.filter(
        year=year, staff_id__in=[p.pk for p in people]).values_list("staff_id", "award_id"))
    titles = list(services.individual_titles())
    editable = bool(edits and window and window.is_open and (current is None or current.editable))
    form = RegistrationForm(
        request.POST if request.method == "POST" else None, people=people, stored=stored,
        unit_award=current.award if current else None, titles=titles,
        collective=services.collective_awards(), version=current.version if current else 1)
    if request.method == "POST" and window is not None and form.is_valid():
        sending = "send" in request.POST  # "Save and send": what is on screen goes too
        values = {"unit": unit, "window": window, "user": request.user,
                  "expected_version": form.cleaned_data["version"], "titles": form.chosen(),
                  "award": form.cleaned_data["award"]}
        try:
            done = (services.save_and_send(**values) if sending
                    else services.save_registration(**values))
        except StaleEdit:
            messages.error(request, StaleEdit.message)
            form = keep_typing(form, services.registration_of(unit, window).version)
        except services.RegistrationError as error:
            form.add_error(None, error.message)
        else:
            if not sending:
                messages.success(request, _("The registration was saved."))
            elif done.late:
                messages.success(request, _("The registration was saved and sent after the "
                                            "deadline: the Office will decide whether to "
                                            "accept it."))
            else:
                messages.success(request, _("The registration was saved and sent to the "
                                            "Office."))
            return redirect(unit_url(unit, year, **_kept_query(request)))
    summary = (StaffRegistration.objects.filter(registration=current).values("award__name")
               .annotate(count=Count("pk")).order_by("award__order") if current else [])
    return render(request, "awards/registration.html", {
        "unit": unit, "year": year, "window": window, "registration": current, "form": form,
        "page": page, "search": search, "summary": summary, "total": page.paginator.count,
        "page_query": urlencode({"unit": unit.pk, "year": year,
                                 **({"q": request.GET["q"]} if request.GET.get("q") else {})})
        + "&",
        "everyone": EveryoneForm(titles=services.individual_titles(),
                                 initial={"version": current.version if current else 1}),
        "step": StepForm(initial={"version": current.version if current else 1}),
        "late_now": bool(window and window.is_late(timezone.localdate())),
        "can": {"edit": editable, "manage": manages,
                "send": editable, "answer": manages and current is not None
                and current.status == RegistrationStatus.SENT,
                "overview": can_view_every_registration(request.user),
                "export": can_export_registration(request.user, unit)},
    })


def _kept_query(request) -> dict:
    return {key: request.GET[key] for key in ("q", "page") if request.GET.get(key)}


@require_POST
def registration_everyone(request):
    """The shortcut: one title for everyone of the unit (or everyone not registered yet)."""
    unit, year = unit_and_year(request)
    require(can_edit_registration(request.user, unit))
    window = RegistrationWindow.objects.filter(year=year).first()
    form = EveryoneForm(request.POST, titles=services.individual_titles())
    if window is None or not form.is_valid():
        messages.error(request, _("Choose a title, then apply it again."))
        return redirect(unit_url(unit, year))
    try:
        services.set_everyone(unit=unit, window=window, user=request.user,
                              expected_version=form.cleaned_data["version"],
                              title=form.cleaned_data["title"],
                              only_missing=form.cleaned_data["only_missing"])
    except StaleEdit:
        messages.error(request, StaleEdit.message)
    except services.RegistrationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("%(title)s was registered for everyone.")
                         % {"title": form.cleaned_data["title"].name})
    return redirect(unit_url(unit, year))


@require_POST
def registration_step(request):
    """Send (the unit's head), accept or return (the Office)."""
    unit, year = unit_and_year(request)
    form = StepForm(request.POST)
    if not form.is_valid():
        require(can_edit_registration(request.user, unit)
                or can_manage_registration(request.user))
        messages.error(request, _("Reload the page and try again."))
        return redirect(unit_url(unit, year))
    step = form.cleaned_data["step"]
    require(can_edit_registration(request.user, unit) if step == "send"
            else can_manage_registration(request.user))
    window = RegistrationWindow.objects.filter(year=year).first()
    if window is None:
        raise Http404
    values = {"unit": unit, "window": window, "user": request.user,
              "expected_version": form.cleaned_data["version"]}
    try:
        if step == "send":
            done = services.send(**values)
            text = (_("The registration was sent after the deadline: the Office will decide "
                      "whether to accept it.") if done.late
                    else _("The registration was sent to the Office."))
        elif step == "accept":
            services.accept(**values, reason=form.cleaned_data["reason"])
            text = _("The registration was accepted.")
        else:
            services.return_registration(**values, reason=form.cleaned_data["reason"])
            text = _("The registration was returned to the unit.")
    except StaleEdit:
        messages.error(request, StaleEdit.message)
    except services.RegistrationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, text)
    return redirect(unit_url(unit, year))


def registration_export(request):
    """The year's registrations as Excel: every unit's (?unit= absent) for readers of
    everything, one unit's for its head. At once up to core.jobs' direct rows (units and
    people), else (or with `?background=1`) by the background worker and its progress page."""
    if request.GET.get("unit"):
        unit, year = unit_and_year(request)
        require(can_export_registration(request.user, unit))
        unit_id, name = unit.pk, unit.name
        filename = _filename(unit, year).replace("xep-loai", "dang-ky")
    else:
        require(can_view_every_registration(request.user))
        year = year_for(request)
        unit_id, name, filename = None, _("all units"), f"dang-ky-thi-dua-{year}.xlsx"
    return deliver_job(request, REGISTRATIONS,
                       {"year": year, "unit": unit_id, "filename": filename},
                       title=_("Emulation registrations %(year)s, %(unit)s")
                       % {"year": year, "unit": name},
                       background=request.GET.get("background") == "1")
