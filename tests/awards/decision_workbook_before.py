"""A frozen copy of the decision's workbook writer before issue 19 (one cell built per value):
tests/awards/test_document_workbooks.py holds the reused cells' workbook equal to it cell for
cell."""

from collections import Counter

from django.utils import timezone

# Not `_`: makemessages would list this frozen copy beside the writer for every msgid.
from django.utils.translation import gettext as frozen_
from openpyxl import Workbook

from awards.documents import layout
from core.spreadsheets.safe_text import append


def workbook(data: dict) -> bytes:
    """The awardees sheet (one row each, revocations shown) and the count by unit."""
    decision, award, listed = data["decision"], data["award"], data["rows"]
    book = Workbook(write_only=True)
    columns = [
        (frozen_("No."), 6),
        (frozen_("Full name"), 28),
        (frozen_("Position"), 22),
        (frozen_("Unit"), 36),
        (frozen_("Award"), 30),
        (frozen_("Decision number"), 18),
        (frozen_("Decision date"), 13),
        (frozen_("Revoked"), 9),
        (frozen_("Revoked on"), 13),
        (frozen_("Reason for revocation"), 40),
    ]
    ws = layout.table(book, frozen_("Awardees"), columns, rows=len(listed))
    yes, no = frozen_("Yes"), frozen_("No")
    signed = layout.date_cell(ws, decision.signed_on)
    decision_revoked = timezone.localdate(decision.revoked_at) if decision.revoked_at else None
    by_unit = Counter()
    revoked_by_unit = Counter()
    units = {}
    for number, row in enumerate(listed, start=1):
        revoked_on = (
            timezone.localdate(row["revoked_at"]) if row["revoked_at"] else decision_revoked
        )
        reason = row["revoked_reason"] or (decision.revoked_reason if decision_revoked else "")
        units[row["unit_id"]] = row["unit__name"]
        if revoked_on:
            revoked_by_unit[row["unit_id"]] += 1
        else:
            by_unit[row["unit_id"]] += 1
        append(
            ws,
            [
                number,
                row["staff__full_name"] or row["unit__name"],
                row["staff__position"] or None,
                row["unit__name"],
                award.name,
                decision.number,
                signed,
                yes if revoked_on else no,
                layout.date_cell(ws, revoked_on) if revoked_on else None,
                reason or None,
            ],
        )

    stats = layout.table(
        book,
        frozen_("By unit"),
        [
            (frozen_("No."), 6),
            (frozen_("Unit"), 40),
            (frozen_("Standing"), 12),
            (frozen_("Revoked"), 12),
        ],
    )
    for number, (unit_id, name) in enumerate(units.items(), start=1):
        append(stats, [number, name, by_unit[unit_id], revoked_by_unit[unit_id]])
    append(
        stats,
        [
            None,
            layout.cell(stats, frozen_("Total"), bold=True),
            layout.cell(stats, sum(by_unit.values()), bold=True),
            layout.cell(stats, sum(revoked_by_unit.values()), bold=True),
        ],
    )
    return layout.save(book, issuer=data["agency"])
