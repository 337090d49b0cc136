"""The ranking workbook's writer as scoring/exports.py had it before its rows went through
reused cells (5 Dec 2026), frozen: tests/scoring/test_export.py compares the new workbook with
it cell for cell."""

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from core.spreadsheets.safe_text import append
from core.spreadsheets.styles import DATE_FORMAT, DATETIME_FORMAT, WRAP, sheet_title
from core.spreadsheets.tables import cell, table
from scoring.exports import (
    NUMBER_FORMAT,
    _detail_columns,
    _ranking_columns,
    data_cutoff,
    detail_rows,
    ranking_rows,
)
from scoring.models import Grade, Rule
from units.identity import stamp_workbook
from units.models import UnitKind


def write_ranking_workbook(scheme, round_, stream, *, now=None, progress=lambda percent: None,
                           total=None) -> tuple[int, int]:
    """Write the round's ranking and scores as .xlsx to a binary stream; return the number of
    ranking rows and of criterion rows. `round_` may be None (no round yet): headers only.

    Headers follow the active language; `progress(percent)` is called every 500 rows out of
    `total` (the background worker shows it). Side effects: none besides writing to `stream`.
    """
    now = timezone.localtime(now)
    campaign = scheme.campaign
    workbook = Workbook(write_only=True)
    ranking_columns, detail_columns = _ranking_columns(), _detail_columns()
    ranking = table(workbook, _("Ranking"), ranking_columns)
    detail = table(workbook, _("Criteria in detail"), detail_columns)

    labels = {}  # (choices, value) → label, translated once

    def label(choices, value):
        if (choices, value) not in labels:
            labels[choices, value] = str(choices(value).label) if value else ""
        return labels[choices, value]

    ranked = 0
    for (rank, unit, kind, raw, maximum, appraised, bonus, penalty, final,
         grade) in (ranking_rows(round_).iterator(chunk_size=2000) if round_ else ()):
        ws = ranking
        # Plain values where no style is needed: 41,000 rows are mostly openpyxl's XML.
        append(ws, [
            rank, unit, label(UnitKind, kind),
            cell(ws, raw, NUMBER_FORMAT), cell(ws, maximum, NUMBER_FORMAT),
            cell(ws, appraised, NUMBER_FORMAT), cell(ws, bonus, NUMBER_FORMAT),
            cell(ws, penalty, NUMBER_FORMAT), cell(ws, final, NUMBER_FORMAT),
            label(Grade, grade),
        ])
        ranked += 1
        if total and ranked % 500 == 0:
            progress(ranked * 100 // total)

    yes, no = _("Yes"), _("No")
    detailed = 0
    for (unit, item, number, title, maximum, rule, applicable, data_points, points,
         note) in (detail_rows(round_).iterator(chunk_size=2000) if round_ else ()):
        ws = detail
        title_cell = cell(ws, title)
        title_cell.alignment = WRAP
        append(ws, [
            unit, item, number, title_cell, cell(ws, maximum, NUMBER_FORMAT), label(Rule, rule),
            yes if applicable else no, cell(ws, data_points, NUMBER_FORMAT),
            cell(ws, points, NUMBER_FORMAT), note or None,
        ])
        detailed += 1
        if total and detailed % 500 == 0:
            progress((ranked + detailed) * 100 // total)

    # The filters are written after the rows (the sheet's tail), so the counts are known.
    ranking.auto_filter.ref = f"A1:{get_column_letter(len(ranking_columns))}{1 + ranked}"
    detail.auto_filter.ref = f"A1:{get_column_letter(len(detail_columns))}{1 + detailed}"

    info = workbook.create_sheet(sheet_title(_("Information")))
    info.column_dimensions["A"].width = 26
    info.column_dimensions["B"].width = 70
    if round_ is None:
        round_label, status = _("No round has been opened yet."), ""
    else:
        round_label = str(round_.get_kind_display())
        status = pgettext("round status", "Open")
        if round_.closed_at:
            closed = timezone.localdate(round_.closed_at)
            status = _("Closed on %(date)s") % {"date": f"{closed:%d/%m/%Y}"}
    facts = [
        (_("Plan"), campaign.code, None),
        (_("Title"), campaign.title, None),
        (_("Year"), campaign.year, None),
        (_("Round"), round_label, None),
        (_("Round status"), status, None),
        (_("Data cut-off date"), data_cutoff(scheme, round_), DATE_FORMAT),
        (_("Scale"), scheme.scale, NUMBER_FORMAT),
        (_("Units ranked"), ranked, None),
        (_("Generated at"), now.replace(tzinfo=None, second=0, microsecond=0),
         DATETIME_FORMAT),
    ]
    for label, value, number_format in facts:
        append(info, [cell(info, label, bold=True), cell(info, value, number_format)])
    stamp_workbook(workbook)
    workbook.save(stream)
    progress(100)
    return ranked, detailed
