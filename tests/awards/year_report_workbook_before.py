"""A frozen copy of the year-end report's workbook writer before issue 19 (one cell built per
value, styled cells made per row): tests/awards/test_document_workbooks.py holds the reused
cells' workbook equal to it cell for cell."""

# Not `_`: makemessages would list this frozen copy beside the writer for every msgid.
from django.utils.translation import gettext as frozen_
from openpyxl import Workbook

from awards.documents import layout
from awards.documents.year_report import SCORE_FORMAT
from core.spreadsheets.safe_text import append
from core.spreadsheets.styles import number_format


def workbook(data: dict) -> bytes:
    book = Workbook(write_only=True)
    ws = layout.table(
        book,
        frozen_("Content items"),
        [
            (frozen_("No."), 6),
            (frozen_("Content item"), 60),
            (frozen_("Maximum"), 12),
            (frozen_("Score"), 12),
            (frozen_("Achieved (%)"), 12),
        ],
        rows=len(data["results"]),
    )
    for row in data["results"]:
        append(
            ws,
            [
                row["item"].number,
                row["item"].short_title or row["item"].text,
                *(
                    layout.cell(ws, row[key], number_format(row[key]))
                    for key in ("max", "score", "share")
                ),
            ],
        )

    ws = layout.table(
        book,
        frozen_("Ranking"),
        [
            (frozen_("Rank"), 8),
            (frozen_("Unit"), 44),
            (frozen_("Final score"), 12),
            (frozen_("Class"), 16),
        ],
        rows=len(data["ranking"]),
    )
    for row in data["ranking"]:
        append(
            ws,
            [row["rank"], row["unit"], layout.cell(ws, row["final"], SCORE_FORMAT), row["grade"]],
        )

    awards = data["award_list"]
    ws = layout.table(
        book,
        frozen_("Commendations"),
        [(frozen_("Unit"), 44), *[(a["name"], 16) for a in awards], (frozen_("Total"), 10)],
        rows=len(data["commendations"]),
    )
    for row in data["commendations"]:
        append(ws, [row["unit"], *row["counts"], row["total"]])

    ws = layout.table(
        book,
        frozen_("By award"),
        [(frozen_("Award"), 44), (frozen_("Individuals"), 12), (frozen_("Collectives"), 12)],
    )
    for row in data["award_totals"]:
        append(ws, [row["award"]["name"], row["individuals"], row["collectives"]])

    ws = layout.table(
        book,
        frozen_("Nominations in progress"),
        [(frozen_("Award"), 44), (frozen_("Stage"), 28), (frozen_("Nominees"), 12)],
    )
    for row in data["pending_nominations"]:
        append(ws, [row["award"], str(row["stage"]), row["count"]])

    ws = layout.table(
        book,
        frozen_("Not disseminated"),
        [(frozen_("No."), 6), (frozen_("Unit"), 60)],
        rows=len(data["not_disseminated"]),
    )
    for number, name in enumerate(data["not_disseminated"], start=1):
        append(ws, [number, name])
    return layout.save(book, issuer=layout.agency_name(data["campaign"]))
