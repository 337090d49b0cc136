"""The decision (Quyết định) conferring one award, with its annexed list of awardees.

Four queries whatever the number of awardees: the decision with its award, the awardees as
plain values (person and unit joined), the legal period of the year and the year's plan (for the
agency names and the place). The annex is one plain table so WeasyPrint lays it out about as
fast as a bare table of the same rows.
"""

import logging
from collections import Counter
from dataclasses import replace
from functools import partial

from django.http import Http404
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook

from core.spreadsheets.safe_text import append
from core.spreadsheets.styles import DATE_FORMAT
from units.collation import person_key, sort_key

from ..access import can_view_decision
from ..models import AwardKind, Conferral, Decision, LegalPeriod, Subject
from . import WORD_FORMATS, Built, Kind, layout, pdf_or_workbook

logger = logging.getLogger(__name__)


def clean(params: dict) -> dict:
    decision_id = layout.int_param(params, "decision")
    # An upper level's decision is its own document: the Department prints none for it.
    if not Decision.objects.filter(pk=decision_id, dossier__isnull=True).exists():
        raise LookupError(f"decision {decision_id}")
    return {"decision": decision_id}


def allowed(user, params: dict) -> bool:
    """Whoever may read the decision: readers of everything, the units it names."""
    return can_view_decision(user, params["decision"])


def rows(params: dict) -> int:
    return Conferral.objects.filter(issued_by_id=params["decision"]).count()


def awardees(decision) -> list[dict]:
    """The decision's conferrals as dicts, in the annex order: unit order, then the unit's name,
    then the person's name in Vietnamese order (given name first). One query."""
    values = (Conferral.objects.filter(issued_by=decision).order_by()
              .values("pk", "staff_id", "staff__full_name", "staff__position", "unit_id",
                      "unit__name", "unit__order", "revoked_at", "revoked_reason"))
    unit_keys = {}

    def key(row):
        unit_key = unit_keys.get(row["unit_id"])
        if unit_key is None:
            unit_key = unit_keys[row["unit_id"]] = (row["unit__order"],
                                                    sort_key(row["unit__name"]),
                                                    row["unit_id"])
        return (unit_key, person_key(row["staff__full_name"] or ""), row["pk"])

    return sorted(values, key=key)


def _wording(award, year, count, collective) -> dict:
    """Subject line, Article 1 and annex title for a title (công nhận) or a form (tặng)."""
    name = award.name
    if award.kind == AwardKind.TITLE:
        subject = _("On the recognition of the title %(award)s for %(year)s")
        article = (_("To recognise the title “%(award)s” of %(year)s for %(count)s collectives "
                     "on the attached list.") if collective else
                   _("To recognise the title “%(award)s” of %(year)s for %(count)s individuals "
                     "on the attached list."))
        annex = (_("LIST OF COLLECTIVES RECOGNISED AS %(award)s IN %(year)s") if collective else
                 _("LIST OF INDIVIDUALS RECOGNISED AS %(award)s IN %(year)s"))
    else:
        subject = _("On awarding the %(award)s for %(year)s")
        article = (_("To award the %(award)s to %(count)s collectives on the attached list for "
                     "their achievements in %(year)s.") if collective else
                   _("To award the %(award)s to %(count)s individuals on the attached list for "
                     "their achievements in %(year)s."))
        annex = (_("LIST OF COLLECTIVES AWARDED THE %(award)s IN %(year)s") if collective else
                 _("LIST OF INDIVIDUALS AWARDED THE %(award)s IN %(year)s"))
    values = {"award": name, "year": year, "count": count}
    return {"subject": subject % values, "article1": article % values,
            "annex_title": layout.keep_last_words(annex % {**values, "award": name.upper()})}


def issued_head(decision, campaign, recipients=()) -> layout.Letterhead:
    """The decision's header and signature as issued: the plan's (or the identity's) names,
    replaced by the header it was registered with, whatever the department is called today
    (its certificates print the same, documents/certificates.py). `campaign`: the year's plan
    (layout.campaign_of_year)."""
    head = layout.letterhead(
        campaign, number=decision.number, date=decision.signed_on,
        signer_name=decision.signer_name, signer_title=decision.signer_title, signer_prefix="",
        recipients=recipients)
    issued = decision.letterhead or {}
    if issued:
        head = replace(head, **{name: issued[name] for name in layout.ISSUED_FIELDS
                                if issued.get(name)})
    return head


def subject_of(award, year) -> str:
    """The decision's subject as printed (always Vietnamese), for the register of outgoing
    documents."""
    with translation.override(layout.OFFICIAL_LANGUAGE):
        return str(_wording(award, year, 0, False)["subject"])


def context(decision_id: int) -> dict:
    decision = Decision.objects.select_related("award").get(pk=decision_id)
    listed = awardees(decision)
    period = LegalPeriod.objects.for_year(decision.year)
    campaign = layout.campaign_of_year(decision.year)
    head = issued_head(decision, campaign, [
        _("As in Article 3;"), _("Board of Directors (for report);"), _("Archive: VT, VP.")])
    issued = decision.letterhead or {}
    agency = issued.get("agency_name") or layout.agency_name(campaign, decision.signed_on)
    collective = decision.award.subject == Subject.COLLECTIVE
    revoked = ""
    if decision.revoked_at:
        revoked = _("Revoked on %(date)s: %(reason)s") % {
            "date": layout.short_date(timezone.localdate(decision.revoked_at)),
            "reason": decision.revoked_reason}
    return {
        "decision": decision, "award": decision.award, "head": head, "rows": listed,
        "collective": collective, "revoked": revoked,
        "basis": [line.strip().rstrip(";.") for line in (period.basis if period else "")
                  .splitlines() if line.strip()],
        "authority_name": f"{layout.unbroken(head.head_title.capitalize())} {agency}",
        "agency": agency,
        "revoked_mark": _("(revoked)"),
        **_wording(decision.award, decision.year, len(listed), collective),
    }


def filename(decision, extension: str) -> str:
    return layout.ascii_name("quyet-dinh", decision.number, extension=extension)


def build(params: dict, fmt: str, progress) -> Built:
    data = context(params["decision"])
    progress(20)
    return pdf_or_workbook(data, fmt, progress, kind="decision",
                           template="awards/documents/decision.html",
                           filename=partial(filename, data["decision"]), rows=len(data["rows"]),
                           workbook=workbook)


def workbook(data: dict) -> bytes:
    """The awardees sheet (one row each, revocations shown) and the count by unit."""
    decision, award, listed = data["decision"], data["award"], data["rows"]
    book = Workbook(write_only=True)
    # A collective's row holds its unit's name, as the annex's "Tập thể" column does.
    name = _("Collective") if data["collective"] else _("Full name")
    columns = [(_("No."), 6), (name, 28), (_("Position"), 22), (_("Unit"), 36),
               (_("Award"), 30), (_("Decision number"), 18), (_("Decision date"), 13),
               (_("Revoked"), 9), (_("Revoked on"), 13), (_("Reason for revocation"), 40)]
    ws = layout.table(book, _("Awardees"), columns, rows=len(listed))
    # Rows through reused cells (layout.RowCells): the same workbook, without openpyxl
    # building a cell per row and failing on each date cell before it takes it.
    cells = layout.RowCells(ws)
    yes, no = _("Yes"), _("No")
    signed = layout.date_cell(ws, decision.signed_on)
    decision_revoked = (timezone.localdate(decision.revoked_at)
                        if decision.revoked_at else None)
    by_unit = Counter()
    revoked_by_unit = Counter()
    units = {}
    for number, row in enumerate(listed, start=1):
        revoked_on = (timezone.localdate(row["revoked_at"]) if row["revoked_at"]
                      else decision_revoked)
        reason = row["revoked_reason"] or (decision.revoked_reason if decision_revoked else "")
        units[row["unit_id"]] = row["unit__name"]
        if revoked_on:
            revoked_by_unit[row["unit_id"]] += 1
        else:
            by_unit[row["unit_id"]] += 1
        ws.append([number, row["staff__full_name"] or row["unit__name"],
                   row["staff__position"] or None, row["unit__name"], award.name,
                   decision.number, signed, yes if revoked_on else no,
                   cells.cell(9, revoked_on, DATE_FORMAT), reason or None])

    stats = layout.table(book, _("By unit"), [(_("No."), 6), (_("Unit"), 40),
                                             (_("Standing"), 12), (_("Revoked"), 12)])
    for number, (unit_id, name) in enumerate(units.items(), start=1):
        append(stats, [number, name, by_unit[unit_id], revoked_by_unit[unit_id]])
    append(stats, [None, layout.cell(stats, _("Total"), bold=True),
                  layout.cell(stats, sum(by_unit.values()), bold=True),
                  layout.cell(stats, sum(revoked_by_unit.values()), bold=True)])
    return layout.save(book, issuer=data["agency"])


def signed_copy(params: dict, fmt: str) -> Built | None:
    """The PDF as the director signed it digitally (awards/services_signing.py), if signed: the
    one every download serves from then on, byte for byte."""
    if fmt != "pdf":
        return None
    from ..models_signature import SignedDecision

    signed = SignedDecision.objects.filter(decision_id=params["decision"]).first()
    if signed is None:
        return None
    # Revoked since (the decision, or some of its awards): the PDF built today prints the
    # revocation (the banner, "(thu hồi)" on the rows), which the signed file cannot say.
    if (Decision.objects.filter(pk=params["decision"], revoked_at__isnull=False).exists()
            or Conferral.objects.filter(issued_by_id=params["decision"],
                                        revoked_at__isnull=False).exists()):
        return None
    try:
        with signed.file.open("rb") as stored:
            content = stored.read()
    except FileNotFoundError:
        # Never the unsigned PDF in its place: the signed one is the document.
        logger.error("Signed decision missing on disk: %s", signed.file.name)
        raise Http404("signed file missing") from None
    return Built(content, signed.filename, layout.PDF_CONTENT_TYPE, rows(params), signed.pages)


KIND = Kind(title=gettext_lazy("Decision with its list of awardees"), clean=clean,
            allowed=allowed, rows=rows, build=build, kept=signed_copy,
            formats=WORD_FORMATS)
