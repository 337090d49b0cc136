"""The ranking and scores workbook as a job of the background worker (core.jobs): a province's
round (1,000 units × every criterion) is written there, never in a web request."""

from tempfile import SpooledTemporaryFile

from core import jobs
from core.spreadsheets.styles import XLSX_CONTENT_TYPE

from .exports import export_filename, export_row_count, write_ranking_workbook
from .models import Scheme

RANKING = "scoring.ranking"


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


def register() -> None:
    jobs.register(RANKING, jobs.JobKind(rows=_rows, build=_build))
