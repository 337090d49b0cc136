"""Scoring's heavy downloads as jobs of the background worker (core.jobs), never built in a web
request past the direct rows: the ranking and scores workbook (a province's round is 1,000
units × every criterion), the director's dashboard printed for the meeting (its grid has a row
for every unit, 28 to a page) and a cluster's ranking (a row per member)."""

from tempfile import SpooledTemporaryFile

from django.http import QueryDict
from django.utils import timezone

from campaigns.models import Campaign
from core import jobs
from core.spreadsheets.styles import XLSX_CONTENT_TYPE
from tasks.models import Assignment

from . import cluster_exports
from .charts import PDF_HEATMAP_ROWS
from .exports import export_filename, export_row_count, write_ranking_workbook
from .forms import DashboardFilterForm
from .models import Cluster, Scheme

RANKING = "scoring.ranking"
DASHBOARD = "scoring.dashboard"
CLUSTER = "scoring.cluster_ranking"
PDF_CONTENT_TYPE = "application/pdf"
# Units of the meeting PDF printed in the request at most: two pages of its grid. A printed unit
# costs WeasyPrint about 50 ms (300 units: 13 pages in 16 s, 1,000: 38 pages in 57 s, on the
# busy 2-core machine), a workbook's row a tenth of a millisecond, so DIRECT_ROWS units would
# keep a request waiting a quarter of a minute.
DIRECT_UNITS = 2 * PDF_HEATMAP_ROWS


def _rows(params) -> int:
    return export_row_count(params.get("round"))


def _build(params, progress) -> jobs.Built:
    scheme = Scheme.objects.select_related("campaign").get(pk=params["scheme"])
    round_ = scheme.rounds.get(pk=params["round"]) if params.get("round") else None
    # The percents need the total; a request (progress None) shows none and skips counting.
    options = {} if progress is None else {
        "progress": progress, "total": export_row_count(params.get("round"))}
    # Kept in memory up to 8 MB, then on disk, while it is written.
    with SpooledTemporaryFile(max_size=8 * 1024 * 1024) as stream:
        ranked, detailed = write_ranking_workbook(scheme, round_, stream, **options)
        stream.seek(0)
        return jobs.Built(stream.read(), export_filename(scheme.campaign), XLSX_CONTENT_TYPE,
                          ranked + detailed)


# The director's dashboard as a PDF ---------------------------------------------------------

def dashboard_params(campaign, query, *, base_url) -> dict:
    """The filters as the page's query string (the form reads them again where the PDF is
    built) and the portal's address, which the figures' links in the PDF point at."""
    query = query.copy()
    query.pop("background", None)
    return {"campaign": campaign.pk, "query": query.urlencode(), "base_url": base_url}


def _dashboard_rows(params) -> int:
    """The grid's rows: every unit with work in the plan, of the kinds filtered."""
    kinds = DashboardFilterForm(QueryDict(params["query"]) or None).kinds()
    work = Assignment.objects.filter(task__item__campaign_id=params["campaign"])
    if kinds:
        work = work.filter(unit__kind__in=kinds)
    return work.values("unit_id").distinct().count()


def _dashboard_build(params, progress) -> jobs.Built:
    # Imported here: the view module imports this one to queue the job.
    from .views.dashboard import printed_pdf

    campaign = Campaign.objects.get(pk=params["campaign"])
    pdf, pages = printed_pdf(campaign, QueryDict(params["query"]), base_url=params["base_url"],
                             progress=progress)
    day = f"{timezone.localdate():%Y-%m-%d}"
    return jobs.Built(pdf, f"tong-quan-{campaign.pk}-{day}.pdf", PDF_CONTENT_TYPE,
                      _dashboard_rows(params), pages)


# A cluster's ranking ----------------------------------------------------------------------

def _cluster_rows(params) -> int:
    return Cluster.objects.get(pk=params["cluster"]).results.count()


def _cluster_build(params, progress) -> jobs.Built:
    cluster = Cluster.objects.select_related("head").get(pk=params["cluster"])
    with SpooledTemporaryFile(max_size=8 * 1024 * 1024) as stream:
        rows = cluster_exports.write_cluster_workbook(cluster, stream, progress=progress)
        stream.seek(0)
        return jobs.Built(stream.read(), cluster_exports.export_filename(cluster),
                          XLSX_CONTENT_TYPE, rows)


def register() -> None:
    jobs.register(RANKING, jobs.JobKind(rows=_rows, build=_build))
    jobs.register(DASHBOARD, jobs.JobKind(rows=_dashboard_rows, build=_dashboard_build,
                                          fmt="pdf", direct_rows=DIRECT_UNITS))
    jobs.register(CLUSTER, jobs.JobKind(rows=_cluster_rows, build=_cluster_build))
