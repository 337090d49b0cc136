"""Dashboards of a campaign: the director's (the whole department, also as a PDF for the
meeting), a unit's own, and several years side by side."""

from urllib.parse import urlencode

from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from campaigns.access import get_campaign_for
from campaigns.models import Campaign
from core import pdf
from tasks.models import Assignment
from tasks.periods import STATES
from units.access import can_view_every_unit, get_unit_for, own_unit_id, require, viewer_for
from units.collation import sort_key
from units.documents import deliver_job

from .. import charts, jobs
from ..dashboard import Filters, director_figures, unit_figures, years
from ..forms import DashboardFilterForm


def _director_context(request, pk, *, printed=False):
    campaign = get_campaign_for(request.user, pk)
    require(can_view_every_unit(request.user))
    return director_context(campaign, request.GET, printed=printed)


def director_context(campaign, query, *, printed=False):
    """The director's dashboard of `campaign` under the filters of `query` (the page's GET):
    access is the caller's (the view, or the worker building a PDF someone was allowed)."""
    form = DashboardFilterForm(query or None)
    filters = Filters(unit_kinds=form.kinds(), quarter=form.chosen_quarter())
    figures = director_figures(campaign, today=timezone.localdate(), filters=filters,
                               every_unit=printed)
    kind = form.cleaned_data["kind"] if form.is_valid() else ""
    links = FigureLinks(campaign, kind=kind, quarter=filters.quarter)
    return {"campaign": campaign, "form": form, "figures": figures, "filters": form.described(),
            "charts": charts.director_charts(figures, links=links, printed=printed),
            "query": query.urlencode(), "links": links}


class FigureLinks(dict):
    """The link behind each figure of a dashboard, by name: the list that holds exactly the
    rows the figure counts, under the same filters (`tasks.periods`)."""

    def __init__(self, campaign, *, kind="", quarter=None, unit_id=None):
        super().__init__()
        self.base = {"campaign": campaign.pk}
        if kind:
            self.base["kind"] = kind
        if quarter:
            self.base["quarter"] = quarter
        if unit_id:
            self.base["unit"] = unit_id
        self.figures = reverse("tasks:figure_list")
        for state in STATES:
            self[state] = self.to(state)
        by_kind = {"kind": kind} if kind else {}
        disseminations = reverse("campaigns:disseminations", args=[campaign.pk])
        self["disseminated"] = f"{disseminations}?{urlencode({'status': 'confirmed', **by_kind})}"
        self["dissemination_total"] = f"{disseminations}?{urlencode(by_kind)}".rstrip("?")
        self["ranking"] = f"{reverse('scoring:ranking', args=[campaign.pk])}?" \
                          f"{urlencode(by_kind)}".rstrip("?")
        self["items"] = f"{reverse('scoring:items', args=[campaign.pk])}?" \
                        f"{urlencode(by_kind)}".rstrip("?")

    def to(self, state, **narrower) -> str:
        """The list of `state`, narrowed further (to a content item, a unit)."""
        return f"{self.figures}?{urlencode({**self.base, **narrower, 'state': state})}"


def director(request, pk):
    return render(request, "scoring/dashboard.html", _director_context(request, pk))


def director_pdf(request, pk):
    """The same figures printed for the meeting table (scoring/jobs.py builds it): at once for
    a plan of up to core.jobs' direct rows units, else by the background worker and its
    progress page (`?background=1` sends even a small one there)."""
    campaign = get_campaign_for(request.user, pk)
    require(can_view_every_unit(request.user))
    with translation.override("vi"):  # named as the paper it is, in "My documents" too
        title = _("Dashboard of plan %(code)s") % {"code": campaign.code}
    return deliver_job(request, jobs.DASHBOARD,
                       jobs.dashboard_params(campaign, request.GET,
                                             base_url=request.build_absolute_uri("/")),
                       title=title, background=request.GET.get("background") == "1")


def printed_pdf(campaign, query, *, base_url, progress=None) -> tuple[bytes, int]:
    """The meeting PDF (A4 landscape: the headline and the items, then the trend and the points
    lost, then the grid of every unit), in Vietnamese whatever the screen's language: it is
    handed round as a paper. Nothing is printed under 8 pt. `base_url` makes the figures' links
    point at the portal, from the request or the worker alike. (PDF bytes, pages);
    `progress(percent)` (the worker's) as the figures are read and the pages laid out."""
    from weasyprint import HTML  # imported here: loading Pango is slow and only PDFs need it

    with translation.override("vi"):
        context = director_context(campaign, query, printed=True)
        html = render_to_string("scoring/documents/dashboard.html", context)
        if progress is not None:
            progress(30)
        with pdf.rendering():
            document = HTML(string=html, base_url=base_url).render()
            if progress is not None:
                progress(80)
            return document.write_pdf(), len(document.pages)


def unit(request, pk, unit_pk):
    """A unit's progress and score against the department and the units of its kind."""
    campaign = get_campaign_for(request.user, pk)
    target = get_unit_for(request.user, unit_pk)
    today = timezone.localdate()
    figures = unit_figures(campaign, target, today=today)
    links = FigureLinks(campaign, unit_id=target.pk)
    work = Assignment.objects.for_unit(target.pk).filter(
        task__item__campaign=campaign).with_progress(today)
    rows = [{"a": a, "overdue": a.overdue_count(today)} for a in work]
    rows = [r for r in rows if r["overdue"] or r["a"].returned_count]
    rows.sort(key=lambda r: (-r["a"].returned_count, -r["overdue"], sort_key(r["a"].task.title)))
    return render(request, "scoring/dashboard_unit.html", {
        "campaign": campaign, "unit": target, "figures": figures, "rows": rows,
        "charts": charts.unit_charts(figures), "links": links,
    })


def mine(request, pk):
    """The signed-in person's own unit."""
    unit_id = own_unit_id(request.user)
    require(unit_id is not None)
    return unit(request, pk, unit_id)


def by_year(request):
    require(can_view_every_unit(request.user))
    campaigns = Campaign.objects.visible_to(viewer_for(request.user)).exclude(status="draft")
    columns = years(list(campaigns), today=timezone.localdate())
    return render(request, "scoring/dashboard_years.html", {
        "columns": columns, "chart": charts.years_chart(columns)})
