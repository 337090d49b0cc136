"""The payout list of a decision (danh sách chi tiền thưởng): one row per standing awardee
with the amount and a column to sign for it, the total in figures and in words.

The amounts come from awards.bonus (coefficient × base salary on the signed date, rounded up to
10,000 đồng); once the Office records the list against the fund, the recorded figures are
printed, so the list reads as paid even if a figure of the law is corrected later. Queries do
not grow with the list: the decision, the awardees as plain values, the law's figures (or the
recorded payout), the year's plan.
"""

from dataclasses import replace
from functools import partial

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook

from core.numbers import format_number
from core.spreadsheets.safe_text import append
from core.words import amount_in_words

from .. import bonus
from ..access import can_view_decision
from ..models import Decision, Subject
from ..models_bonus import Payout
from . import WORD_FORMATS, Built, Kind, layout, pdf_or_workbook

MONEY_FORMAT = "#,##0"  # Excel shows it with the reader's separators (1.200.000 in Vietnamese)


def clean(params: dict) -> dict:
    decision_id = layout.int_param(params, "decision")
    if not Decision.objects.filter(pk=decision_id).exists():
        raise LookupError(f"decision {decision_id}")
    return {"decision": decision_id}


def allowed(user, params: dict) -> bool:
    """Whoever may read the decision: readers of everything, the units it names."""
    return can_view_decision(user, params["decision"])


def rows(params: dict) -> int:
    return bonus.payee_count(params["decision"])


def context(decision_id: int) -> dict:
    decision = Decision.objects.select_related("award").get(pk=decision_id)
    paid = Payout.objects.filter(decision=decision).first()
    if paid is not None:
        base_salary, coefficient, each = paid.base_salary, paid.coefficient, paid.amount_each
        problem = ""
    else:
        figures = bonus.figures_for(decision)
        problem = figures.problem
        base_salary = figures.base_salary.amount if figures.base_salary else None
        coefficient = figures.coefficient.coefficient if figures.coefficient else None
        each = figures.amount_each
    listed = bonus.payees(decision)
    total = (each or 0) * len(listed)
    campaign = layout.campaign_of_year(decision.year)
    suffix = layout.symbol_suffix(campaign.symbol) if campaign else "SGDĐT"
    head = layout.letterhead(campaign, number="\u00a0" * 8 + "/DS-" + suffix,
                             # Not recorded yet: drawn up in the year of the signing at
                             # the earliest (an upper decision often comes the next year).
                             date=paid.paid_on if paid else decision.signed_on.year)
    issued = decision.letterhead or {}
    if issued:
        head = replace(head, **{name: issued[name] for name in layout.ISSUED_FIELDS
                                if issued.get(name)})
    agency = issued.get("agency_name") or layout.agency_name(campaign)
    return {
        "decision": decision, "award": decision.award, "head": head, "rows": listed,
        "collective": decision.award.subject == Subject.COLLECTIVE, "agency": agency,
        "paid": paid, "problem": problem,
        "base_salary": format_number(base_salary) if base_salary else "",
        "coefficient": format_number(coefficient) if coefficient else "",
        "coefficient_value": coefficient, "each_value": each,
        "each": bonus.money(each) if each is not None else "",
        "total_value": total, "total": bonus.money(total),
        "total_words": amount_in_words(total),
        "signed": layout.short_date(decision.signed_on),
    }


def filename(decision, extension: str) -> str:
    return layout.ascii_name("chi-tien-thuong", decision.number, extension=extension)


def build(params: dict, fmt: str, progress) -> Built:
    data = context(params["decision"])
    progress(20)
    return pdf_or_workbook(data, fmt, progress, kind="payout",
                           template="awards/documents/payout.html",
                           filename=partial(filename, data["decision"]), rows=len(data["rows"]),
                           workbook=workbook)


def workbook(data: dict) -> bytes:
    """One sheet: a row per awardee, the total, the total in words and the figures used."""
    decision, award, listed = data["decision"], data["award"], data["rows"]
    book = Workbook(write_only=True)
    columns = [(_("No."), 6), (_("Full name"), 28), (_("Unit"), 36), (_("Award"), 30),
               (_("Coefficient"), 11), (_("Amount (đồng)"), 16), (_("Signature of receipt"), 18)]
    ws = layout.table(book, _("Payout list"), columns, rows=len(listed))
    each = data["each_value"]
    coefficient = float(data["coefficient_value"]) if data["coefficient_value"] else None
    for number, row in enumerate(listed, start=1):
        append(ws, [number, row["staff__full_name"] or row["unit__name"], row["unit__name"],
                   award.name, layout.cell(ws, coefficient, "0.0#"),
                   layout.cell(ws, each, MONEY_FORMAT), None])
    append(ws, [None, layout.cell(ws, _("Total"), bold=True), None, None, None,
               layout.cell(ws, data["total_value"], MONEY_FORMAT, bold=True), None])
    append(ws, [None, _("In words: %(words)s.") % {"words": data["total_words"]}])
    append(ws, [None, _("Decision %(number)s signed on %(date)s; base salary %(salary)s đồng; "
                        "amounts rounded up to the next 10,000 đồng (Decree 91/2017 "
                        "Art. 68(2)).") % {"number": decision.number, "date": data["signed"],
                                           "salary": data["base_salary"]}])
    return layout.save(book, issuer=data["agency"])


KIND = Kind(title=gettext_lazy("Payout list of a decision's bonus"), clean=clean,
            allowed=allowed, rows=rows, build=build,
            formats=WORD_FORMATS)
