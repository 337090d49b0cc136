"""The Office and Union dashboard (issue 6, item 2), and the lists behind every dashboard's
figures (`tasks.periods`)."""

from django import forms
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from campaigns.access import get_campaign_for
from campaigns.models import Campaign, CampaignStatus, ContentItem
from core.charts import bar_chart
from units.access import can_view_every_unit, get_unit_for, require, viewer_for
from units.models import UnitKind

from .. import periods
from ..review_dashboard import review_figures

# How many rows the not-reported and deadline lists show before "see all": with the ten
# oldest reports of the other two lists, the page still prints on one A4 sheet.
ROWS_SHOWN = 10


class DashboardFilterForm(forms.Form):
    campaign = forms.ModelChoiceField(
        label=_("Campaign"), required=False, empty_label=_("All launched campaigns"),
        queryset=Campaign.objects.filter(status=CampaignStatus.LAUNCHED),
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )


def review_dashboard(request):
    """What waits for the Office and the Union; directors read it too, as they read the queue."""
    require(can_view_every_unit(request.user))
    form = DashboardFilterForm(request.GET or None)
    campaign = form.cleaned_data["campaign"] if form.is_valid() else None
    today = timezone.localdate()
    figures = review_figures(today, campaign)
    query = request.GET.copy()
    query.pop("units", None)
    query.pop("deadlines", None)
    lists = reverse("tasks:figure_list")
    scope = f"campaign={campaign.pk}&" if campaign else ""
    return render(request, "tasks/review_dashboard.html", {
        "form": form, "campaign": campaign, "figures": figures, "today": today,
        # Each figure's list, counted as the figure is (`tasks.periods`).
        "lists": {state: f"{lists}?{scope}state={state}"
                  for state in ("waiting", "returned", "not_reported")},
        "unit_list": f"{lists}?{scope}state=not_reported&unit=",
        "units": _capped(figures.units_not_reported, request.GET.get("units") == "all"),
        "deadlines": _capped(figures.deadlines, request.GET.get("deadlines") == "all"),
        "query": f"{query.urlencode()}&" if query else "",
        "chart": _waiting_chart(figures.waiting_by_item, several=campaign is None),
    })


def _waiting_chart(by_item, *, several):
    """Reports waiting, one bar per content item, each opening the queue filtered on it."""
    if not by_item:
        return None
    queue = reverse("tasks:queue")
    bars = []
    for item in by_item:
        label = gettext("Item %(number)s") % {"number": item.number}
        if item.title:
            label = f"{label}. {item.title}"
        if several:  # content items of different plans share their numbers
            label = f"{item.campaign_code} · {label}"
        bars.append((label, item.count))
    return bar_chart(
        bars, title=gettext("Reports awaiting review by content item"),
        description=gettext("One bar per content item: how many submitted reports wait for "
                            "review. Each bar opens the review queue for that item."),
        unit="", links=[f"{queue}?item={item.item_id}" for item in by_item],
        label_heading=gettext("Content item"), value_heading=gettext("Reports awaiting review"),
        ident="waiting-by-item",
    )


def _capped(rows, show_all):
    """The rows to show and how many are left out."""
    if show_all:
        return {"rows": rows, "hidden": 0}
    return {"rows": rows[:ROWS_SHOWN], "hidden": max(0, len(rows) - ROWS_SHOWN)}


FIGURE_PAGE = 50


class FigureListForm(forms.Form):
    """The filters a dashboard figure was counted with, carried by its link."""

    state = forms.ChoiceField(label=_("List"), choices=list(periods.STATES.items()))
    # Ids the figure's link carries, never typed by anyone: hidden, and refused when malformed.
    campaign = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    kind = forms.ChoiceField(required=False, choices=[
        ("", _("All units")), ("internal", _("Departments of the DoET")),
        ("affiliated", _("Affiliated units")), *UnitKind.choices])
    quarter = forms.TypedChoiceField(required=False, coerce=int, empty_value=None,
                                     choices=[("", ""), *[(q, q) for q in range(1, 5)]])
    unit = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    item = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def described(self, campaign, unit, item) -> list[str]:
        """The filters in words, as the page heads its list."""
        data = self.cleaned_data
        parts = [gettext("Plan %(code)s") % {"code": campaign.code} if campaign
                 else gettext("All launched campaigns")]
        if data["kind"]:
            parts.append(str(dict(self.fields["kind"].choices)[data["kind"]]))
        if unit is not None:
            parts.append(unit.name)
        if item is not None:
            parts.append(gettext("Item %(number)s") % {"number": item.number})
        if data["quarter"] and data["state"] not in periods.ANY_PERIOD:
            parts.append(gettext("Quarter %(q)s") % {"q": data["quarter"]})
        return parts


def figure_list(request):
    """The rows a dashboard figure counts, under the same filters: as many rows as the figure
    says. Readers of everything see every unit; anyone else only their own unit's rows."""
    own_unit_id = viewer_for(request.user).unit_id
    form = FigureListForm(request.GET)
    if not form.is_valid():
        raise Http404
    data = form.cleaned_data
    campaign = get_campaign_for(request.user, data["campaign"]) if data["campaign"] else None
    unit = get_unit_for(request.user, data["unit"]) if data["unit"] else None
    if not can_view_every_unit(request.user):
        require(own_unit_id is not None)
        if unit is None:
            unit = get_unit_for(request.user, own_unit_id)
    item = None
    if data["item"]:
        item = get_object_or_404(ContentItem.objects.filter(
            **({"campaign": campaign} if campaign else {})), pk=data["item"])
    scope = periods.Scope(today=timezone.localdate(), campaign=campaign,
                          unit_kinds=periods.unit_kinds(data["kind"]),
                          unit_id=unit.pk if unit else None, item_id=item.pk if item else None,
                          quarter=data["quarter"])
    state = data["state"]
    page = Paginator(periods.FigureList(scope, state), FIGURE_PAGE).get_page(
        request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("state", None)
    return render(request, "tasks/figure_list.html", {
        "state": state, "title": periods.STATES[state], "page": page,
        "filters": form.described(campaign, unit, item), "today": scope.today,
        "states": [(key, label, f"?{query.urlencode()}&state={key}" if query else
                    f"?state={key}") for key, label in periods.STATES.items()],
        "page_query": f"{query.urlencode()}&state={state}&",
        "kind": "assignments" if state == "assignments" else
                ("periods" if state in periods.PERIOD_STATES else "reports"),
    })
