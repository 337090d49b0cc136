"""A cluster's ranking as an Excel workbook: one row per member — rank, unit, its peers' mean
points on each criterion, the total on 100, its class and how many members scored it — and a
small information sheet. Three queries whatever the cluster's size (criteria, results, the
means per member and criterion); values only, no formulas; the department's printed header as
on every workbook the portal hands out (`stamp_workbook`)."""

from types import SimpleNamespace

from django.db.models import Avg
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from core.spreadsheets.safe_text import append
from core.spreadsheets.styles import (
    BOLD,
    DATE_FORMAT,
    DATETIME_FORMAT,
    HEADER_ALIGNMENT,
    HEADER_FILL,
    ascii_filename,
    sheet_title,
)
from units.identity import stamp_workbook

from .models import PeerMark, q2, shown

NUMBER_FORMAT = "0.00"  # points: always two decimals, as the plans' ranking export
PROGRESS_ROWS = 100


def export_filename(cluster) -> str:
    """`xep-hang-cum-Cum-truong-THPT-so-1-2025.xlsx`: ASCII only."""
    return ascii_filename("xep-hang-cum", SimpleNamespace(number=cluster.name, symbol="",
                                                          year=cluster.year))


def ranking(cluster):
    """(criteria, rows): rows of (rank, unit name, [mean per criterion], total on 100, class
    label, scorers), by rank then the unit's order. A criterion no peer has scored is None."""
    criteria = list(cluster.criteria.all())
    means = {(scored, criterion): q2(mean) for scored, criterion, mean in
             PeerMark.objects.filter(cluster=cluster).order_by()
             .values_list("scored_id", "criterion_id").annotate(mean=Avg("points"))
             .values_list("scored_id", "criterion_id", "mean")}
    rows = [(result.rank, result.unit.name,
             [means.get((result.unit_id, c.pk)) for c in criteria], result.final,
             result.get_grade_display() if result.grade else "", result.scorers)
            for result in cluster.results.select_related("unit").order_by("rank",
                                                                          "unit__order")]
    return criteria, rows


def _header(ws, values):
    cells = []
    for value in values:
        cell = ws.cell(row=1, column=len(cells) + 1, value=value)
        cell.font, cell.fill, cell.alignment = BOLD, HEADER_FILL, HEADER_ALIGNMENT
        cells.append(cell)


def write_cluster_workbook(cluster, stream, *, now=None, progress=None) -> int:
    """Write the ranking to a binary stream; return the number of ranked members. Before the
    round opens (no results) the table has its headers only. `progress(percent)` (the
    background worker's) is called every PROGRESS_ROWS members."""
    now = timezone.localtime(now)
    criteria, rows = ranking(cluster)
    workbook = Workbook()
    ws = workbook.active
    ws.title = sheet_title(_("Ranking"))
    headers = [_("Rank"), _("Unit"),
               *[_("%(number)s. %(title)s (out of %(max)s)")
                 % {"number": c.number, "title": c.title, "max": shown(c.max_points)}
                 for c in criteria],
               _("Total on 100"), _("Class"), _("Scored by")]
    _header(ws, headers)
    widths = [7, 40, *[16] * len(criteria), 12, 16, 10]
    for index, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(index)].width = width
    ws.freeze_panes = "C2"
    for written, (rank, unit, means, total, grade, scorers) in enumerate(rows, start=1):
        append(ws, [rank, unit, *means, total, grade or None, scorers])
        row = ws.max_row
        for column in range(3, 4 + len(criteria)):
            ws.cell(row=row, column=column).number_format = NUMBER_FORMAT
        if progress is not None and written % PROGRESS_ROWS == 0:
            # Saving the workbook takes a while after the last row: 99 until it is stored.
            progress(min(99, written * 100 // len(rows)))
    ws.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{1 + len(rows)}"

    info = workbook.create_sheet(sheet_title(_("Information")))
    info.column_dimensions["A"].width = 26
    info.column_dimensions["B"].width = 60
    if cluster.round_closed_at:
        status = _("Closed on %(date)s: the ranking is final.") % {
            "date": f"{timezone.localdate(cluster.round_closed_at):%d/%m/%Y}"}
    elif cluster.round_opened_at:
        status = _("Open: the ranking may still change.")
    else:
        status = _("Not opened yet.")
    facts = [
        (_("Cluster"), cluster.name, None),
        (pgettext("cluster", "Cluster or block"), str(cluster.get_kind_display()), None),
        (_("Year"), cluster.year, None),
        (_("Cluster head"), cluster.head.name, None),
        (_("Peer scoring"), status, None),
        (_("Peer scoring deadline"), cluster.round_deadline, DATE_FORMAT),
        (_("Generated at"), now.replace(tzinfo=None, second=0, microsecond=0),
         DATETIME_FORMAT),
    ]
    for label, value, number_format in facts:
        append(info, [label, value])
        info.cell(row=info.max_row, column=1).font = BOLD
        if number_format and value is not None:
            info.cell(row=info.max_row, column=2).number_format = number_format
    stamp_workbook(workbook)
    workbook.save(stream)
    return len(rows)
