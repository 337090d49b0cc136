"""The Office and Union dashboard (issue 6, item 2)."""

from django import forms
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from campaigns.models import Campaign, CampaignStatus
from units.access import require, viewer_for

from .charts import bar_chart
from .review_dashboard import review_figures

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
    require(viewer_for(request.user).reads_everything)
    form = DashboardFilterForm(request.GET or None)
    campaign = form.cleaned_data["campaign"] if form.is_valid() else None
    today = timezone.localdate()
    figures = review_figures(today, campaign)
    query = request.GET.copy()
    query.pop("units", None)
    query.pop("deadlines", None)
    return render(request, "tasks/review_dashboard.html", {
        "form": form, "campaign": campaign, "figures": figures, "today": today,
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
