"""The reward fund's ledger of a year (sổ quỹ thi đua, khen thưởng): every income entry,
recovery and payout list by date with the balance after each line, as the accountant keeps it.
Lists awaiting the director's approval (or refused) are listed and marked, not counted; an income
entry corrected says so with its earlier figures."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook

from core.spreadsheets.safe_text import append

from .. import bonus
from ..access import can_view_fund
from . import WORD_FORMATS, Built, Kind, layout, pdf_or_workbook
from .payout import MONEY_FORMAT


def clean(params: dict) -> dict:
    year = layout.int_param(params, "year")
    if not 2000 <= year <= 2100:
        raise ValueError(year)
    return {"year": year}


def allowed(user, params: dict) -> bool:
    return can_view_fund(user)


def rows(params: dict) -> int:
    return len(bonus.ledger(params["year"]))


def _status(line) -> str:
    """What the accountant must know beside the figures of a line."""
    if line.payout_row is not None:
        if line.payout_row.pending:
            return _("awaiting the director's approval: not counted")
        if line.payout_row.approval == "refused":
            return _("refused by the director: not counted")
        if line.payout_row.override_reason:
            return _("beyond the fund: %(reason)s") % {"reason": line.payout_row.override_reason}
    if line.income_row is not None:
        history = list(line.income_row.corrections.all())
        if history:
            return "; ".join(_correction(old) for old in history)
    if line.recovery_row is not None and line.recovery_row.note:
        return line.recovery_row.note
    return ""


def _correction(old) -> str:
    # A correction written off and not approved never changed the figures: said as proposed.
    if old.pending or old.approval == "refused":
        text = (_("correction to %(amount)s đồng awaiting the director's approval: not counted")
                if old.pending else
                _("correction to %(amount)s đồng refused by the director: not counted"))
        return text % {"amount": bonus.money(old.new_amount)}
    return _("corrected on %(date)s, was %(amount)s đồng of %(day)s: %(reason)s") % {
        "date": f"{old.corrected_at:%d/%m/%Y}", "amount": bonus.money(old.old_amount),
        "day": f"{old.old_received_on:%d/%m/%Y}", "reason": old.reason}


KINDS = {"income": gettext_lazy("Income"), "recovery": gettext_lazy("Recovery"),
         "payout": gettext_lazy("Payout")}


def context(year: int) -> dict:
    lines = bonus.ledger(year)
    campaign = layout.campaign_of_year(year)
    return {
        "year": year, "agency": layout.agency_name(campaign),
        "head": layout.letterhead(campaign, number="", date=None),
        "lines": [{"line": line, "kind": KINDS[line.kind], "status": _status(line),
                   "income": bonus.money(line.income) if line.income else "",
                   "payout": bonus.money(line.payout) if line.payout else "",
                   "balance": bonus.money(line.balance)} for line in lines],
        "raw": lines, "balance": bonus.money(bonus.balance(year)),
        "balance_value": bonus.balance(year),
    }


def build(params: dict, fmt: str, progress) -> Built:
    data = context(params["year"])
    progress(20)
    return pdf_or_workbook(data, fmt, progress, kind="fund",
                           template="awards/documents/fund.html",
                           filename=lambda extension: layout.ascii_name(
                               "so-quy-khen-thuong", str(data["year"]), extension=extension),
                           rows=len(data["raw"]), workbook=workbook)


def workbook(data: dict) -> bytes:
    """One sheet: date, kind, entry, income, payout, balance, note; the balance at the end."""
    book = Workbook(write_only=True)
    columns = [(_("Date"), 12), (_("Kind of line"), 12), (_("Entry"), 50), (_("Income (đồng)"), 16),
               (_("Paid out (đồng)"), 16), (_("Balance (đồng)"), 16), (_("Note"), 50)]
    ws = layout.table(book, _("Reward fund %(year)s") % {"year": data["year"]}, columns,
                      rows=len(data["raw"]))
    for row in data["lines"]:
        line = row["line"]
        append(ws, [layout.date_cell(ws, line.day), str(row["kind"]), line.text,
                    layout.cell(ws, line.income, MONEY_FORMAT),
                    layout.cell(ws, line.payout, MONEY_FORMAT),
                    layout.cell(ws, line.balance, MONEY_FORMAT), row["status"]])
    append(ws, [None, None, layout.cell(ws, _("Balance"), bold=True), None, None,
                layout.cell(ws, data["balance_value"], MONEY_FORMAT, bold=True), None])
    return layout.save(book, issuer=data["agency"])


KIND = Kind(title=gettext_lazy("Ledger of the reward fund"), clean=clean, allowed=allowed,
            rows=rows, build=build,
            formats=WORD_FORMATS)
