"""Dashboards of a campaign: the director's (the whole department, also as a PDF for the
meeting), a unit's own, and several years side by side."""

from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.formats import date_format

from campaigns.access import get_campaign_for
from campaigns.models import Campaign
from tasks.models import Assignment
from units.access import get_unit_for, require, viewer_for
from units.collation import sort_key

from . import charts
from .dashboard import Filters, director_figures, unit_figures, years
from .forms import DashboardFilterForm


def _director_context(request, pk, *, heatmap_rows=charts.HEATMAP_ROWS):
    campaign = get_campaign_for(request.user, pk)
    require(viewer_for(request.user).reads_everything)
    form = DashboardFilterForm(request.GET or None)
    filters = Filters(unit_kinds=form.kinds(), quarter=form.chosen_quarter())
    figures = director_figures(campaign, today=timezone.localdate(), filters=filters)
    return {"campaign": campaign, "form": form, "figures": figures, "filters": form.described(),
            "charts": charts.director_charts(figures, heatmap_rows=heatmap_rows),
            "query": request.GET.urlencode()}


def director(request, pk):
    return render(request, "scoring/dashboard.html", _director_context(request, pk))


def director_pdf(request, pk):
    """The same page, printed to one A4 landscape page for the meeting table."""
    from weasyprint import HTML  # imported here: loading Pango is slow and only PDFs need it

    context = _director_context(request, pk, heatmap_rows=charts.PDF_HEATMAP_ROWS)
    html = render_to_string("scoring/documents/dashboard.html", context, request=request)
    pdf = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()
    response = HttpResponse(pdf, content_type="application/pdf")
    day = date_format(timezone.localdate(), "Y-m-d")
    response["Content-Disposition"] = (f'attachment; filename="tong-quan-{context["campaign"].pk}'
                                       f'-{day}.pdf"')
    return response


def unit(request, pk, unit_pk):
    """A unit's progress and score against the department and the units of its kind."""
    campaign = get_campaign_for(request.user, pk)
    target = get_unit_for(request.user, unit_pk)
    today = timezone.localdate()
    figures = unit_figures(campaign, target, today=today)
    work = Assignment.objects.for_unit(target.pk).filter(
        task__item__campaign=campaign).with_progress(today)
    rows = [{"a": a, "overdue": a.overdue_count(today)} for a in work]
    rows = [r for r in rows if r["overdue"] or r["a"].returned_count]
    rows.sort(key=lambda r: (-r["a"].returned_count, -r["overdue"], sort_key(r["a"].task.title)))
    return render(request, "scoring/dashboard_unit.html", {
        "campaign": campaign, "unit": target, "figures": figures, "rows": rows,
        "charts": charts.unit_charts(figures),
    })


def mine(request, pk):
    """The signed-in person's own unit."""
    viewer = viewer_for(request.user)
    require(viewer.unit_id is not None)
    return unit(request, pk, viewer.unit_id)


def by_year(request):
    require(viewer_for(request.user).reads_everything)
    campaigns = Campaign.objects.visible_to(viewer_for(request.user)).exclude(status="draft")
    columns = years(list(campaigns), today=timezone.localdate())
    return render(request, "scoring/dashboard_years.html", {
        "columns": columns, "chart": charts.years_chart(columns)})
