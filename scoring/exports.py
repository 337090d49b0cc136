"""A round's ranking and every unit's points per criterion, as an Excel workbook.

Three sheets: the ranking (one row per score sheet), the criteria in detail (one row per unit and
scored criterion) and a small information sheet (plan, round, data cut-off date, when it was
generated). Written in openpyxl's write-only mode from two queries whatever the number of units
— the sheets, then the scores, both read as plain tuples and streamed. Values only, no formulas.
"""

import datetime

from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from core.spreadsheets.rows import RowCells
from core.spreadsheets.safe_text import append
from core.spreadsheets.styles import (
    DATE_FORMAT,
    DATETIME_FORMAT,
    WRAP,
    ascii_filename,
    sheet_title,
)
from core.spreadsheets.tables import cell, table
from units.collation import unit_order
from units.identity import stamp_workbook
from units.models import UnitKind

from .models import Grade, Rule, Score, Sheet

NUMBER_FORMAT = "0.00"  # scores: always two decimals


def export_filename(campaign) -> str:
    """`xep-hang-25-KH-SGDDT-2022.xlsx`, in the style of the progress export."""
    return ascii_filename("xep-hang", campaign)


def _ranking_columns():
    """(header, width in characters) of the ranking sheet, in order."""
    return [
        (_("Rank"), 7),
        (_("Unit"), 40),
        (_("Unit kind"), 18),
        (_("Points"), 10),
        (_("Applicable maximum"), 12),
        (_("Score on the scale"), 12),
        (_("Bonus"), 9),
        (_("Penalty"), 9),
        (_("Final score"), 10),
        (_("Class"), 16),
    ]


def _detail_columns():
    return [
        (_("Unit"), 40),
        (_("Content item"), 10),
        (_("Criterion"), 10),
        (_("Criterion title"), 50),
        (_("Maximum"), 10),
        (_("Rule"), 30),
        (_("Applicable"), 11),
        (_("Points from the task data"), 12),
        (_("Points"), 10),
        (_("Note"), 40),
    ]


def ranking_rows(round_):
    """(rank, unit, unit kind, points, applicable maximum, score on the scale, bonus, penalty,
    final score, class) of every sheet of the round, by rank then unit order (1 query)."""
    return (
        round_.sheets.order_by(F("rank").asc(nulls_last=True), *unit_order("unit__"),
                               "unit_id")
        .values_list("rank", "unit__name", "unit__kind", "raw", "max_points", "appraised",
                     "bonus", "penalty", "final", "grade")
    )


def detail_rows(round_):
    """(unit, item number, criterion number, title, maximum, rule, applicable, data points,
    points, note) of every score of the round, by unit order then criterion order (1 query)."""
    return (
        Score.objects.filter(round=round_)
        .order_by(*unit_order("unit__"), "unit_id", "criterion__order", "criterion_id")
        .values_list("unit__name", "criterion__item__number", "criterion__number",
                     "criterion__title", "criterion__max_points", "criterion__rule",
                     "applicable", "data_points", "points", "note")
    )


def data_cutoff(scheme, round_) -> datetime.date:
    """The date the round's figures read the task data up to: the scheme's cut-off date, else
    the day they were last computed (a closed round was computed a last time when it closed)."""
    if scheme.cutoff:
        return scheme.cutoff
    if round_ is not None and round_.closed_at:
        return timezone.localdate(round_.closed_at)
    if scheme.computed_at:
        return timezone.localdate(scheme.computed_at)
    return timezone.localdate()


def export_row_count(round_id) -> int:
    """The rows the workbook lists (ranking and criteria): decides the request or the worker."""
    if round_id is None:
        return 0
    return (Sheet.objects.filter(round_id=round_id).count()
            + Score.objects.filter(round_id=round_id).count())


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

    # Rows through reused cells (core.spreadsheets.rows.RowCells), text kept as text: a
    # province's 41,000 rows without a new cell, and its style looked up, for every value.
    ranking_cell = RowCells(ranking).cell
    ranked = 0
    for (rank, unit, kind, raw, maximum, appraised, bonus, penalty, final,
         grade) in (ranking_rows(round_).iterator(chunk_size=2000) if round_ else ()):
        ranking.append([
            rank, unit, label(UnitKind, kind),
            ranking_cell(4, raw, NUMBER_FORMAT), ranking_cell(5, maximum, NUMBER_FORMAT),
            ranking_cell(6, appraised, NUMBER_FORMAT), ranking_cell(7, bonus, NUMBER_FORMAT),
            ranking_cell(8, penalty, NUMBER_FORMAT), ranking_cell(9, final, NUMBER_FORMAT),
            label(Grade, grade),
        ])
        ranked += 1
        if total and ranked % 500 == 0:
            progress(ranked * 100 // total)

    yes, no = _("Yes"), _("No")
    detailed = 0
    detail_cell = RowCells(detail).cell
    for (unit, item, number, title, maximum, rule, applicable, data_points, scored,
         note) in (detail_rows(round_).iterator(chunk_size=2000) if round_ else ()):
        detail.append([
            unit, item, number, detail_cell(4, title, alignment=WRAP),
            detail_cell(5, maximum, NUMBER_FORMAT), label(Rule, rule), yes if applicable else no,
            detail_cell(8, data_points, NUMBER_FORMAT), detail_cell(9, scored, NUMBER_FORMAT),
            note or None,
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
