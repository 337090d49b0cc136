"""The progress export as a job of the background worker (core.jobs): large plans are written
there, with their progress shown as rows are written, never in a web request."""

from tempfile import SpooledTemporaryFile

from campaigns.models import Campaign
from core import jobs
from core.spreadsheets.styles import XLSX_CONTENT_TYPE, ascii_filename

from .exports import progress_row_count, write_progress_workbook

PROGRESS = "tasks.progress"


def _rows(params) -> int:
    return progress_row_count(params["campaign"])


def _build(params, progress) -> jobs.Built:
    campaign = Campaign.objects.get(pk=params["campaign"])
    # Kept in memory up to 8 MB, then on disk, while it is written.
    with SpooledTemporaryFile(max_size=8 * 1024 * 1024) as stream:
        rows = write_progress_workbook(campaign, stream,
                                       progress=progress or (lambda percent: None))
        stream.seek(0)
        return jobs.Built(stream.read(), ascii_filename("tien-do", campaign),
                          XLSX_CONTENT_TYPE, rows)


def register() -> None:
    jobs.register(PROGRESS, jobs.JobKind(rows=_rows, build=_build))
