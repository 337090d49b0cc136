"""Writes of the dossiers sent upward: building one, its uploads, and every step of its way —
sent (date, number of the letter), returned (the reason and the parts to fix), sent again,
recalled, decided upward (the upper decision's number, date and issuer; the awards then enter
the history). Each is one transaction, one audit line with before and after and one event on
the dossier's page; bad input raises `WorkflowError` with the Vietnamese message and stores
nothing.
"""

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.audit.trail import record
from core.stale_edits import bump_version
from units import identity
from units import services_outgoing as outgoing
from units.models import DocumentKind, OutgoingDocument
from units.models_outgoing import number_key

from .dossier_parts import missing_text, remove, store
from .dossiers import LEVELS, checklist, freeze, live_rows, sent_rows
from .models import Conferral, Decision, Nominee, SpecialProposal
from .models_dossier import (
    AT_UPPER_LEVEL,
    EDITABLE,
    Dossier,
    DossierAttachment,
    DossierEvent,
    DossierRequirement,
    DossierStatus,
    Part,
    SentNominee,
    UpperRevocation,
)
from .services import WorkflowError


def snapshot(dossier) -> dict:
    return {"status": dossier.status,
            "sent_on": dossier.sent_on.isoformat() if dossier.sent_on else None,
            "sent_number": dossier.sent_number, "return_reason": dossier.return_reason,
            "return_parts": list(dossier.return_parts), "recall_reason": dossier.recall_reason,
            "decision_number": dossier.decision_number,
            "decided_on": dossier.decided_on.isoformat() if dossier.decided_on else None,
            "decided_by": dossier.decided_by, "refusal_reason": dossier.refusal_reason}


def _locked(dossier, version) -> Dossier:
    dossier = Dossier.objects.select_for_update().select_related("award").get(pk=dossier.pk)
    if version is not None:
        bump_version(dossier, version)
    return dossier


def _step(dossier, before, *, user, action, note="", **extra):
    dossier.save()
    DossierEvent.objects.create(dossier=dossier, actor=user, status=dossier.status, note=note)
    record(actor=user, action=action, target=dossier, before=before,
           after={**snapshot(dossier), **extra})


@transaction.atomic
def create(*, award, year, recipient, user) -> Dossier:
    """A draft dossier of `award` for `year` to `recipient`. Side effects: the row, an event,
    an audit line."""
    if award.level not in LEVELS:
        raise WorkflowError(_("%(award)s is decided by the Department itself: it needs no "
                              "dossier.") % {"award": award.name})
    if not live_rows(award.pk, year):
        raise WorkflowError(_("No nominee of %(award)s was approved for %(year)s: approve the "
                              "commendation lists (or accept the proposals outside the annual "
                              "cycle) first.") % {"award": award.name, "year": year})
    if Dossier.objects.filter(award=award, year=year, recipient=recipient).exists():
        raise WorkflowError(_("A dossier of %(award)s for %(year)s to this level already "
                              "exists.") % {"award": award.name, "year": year})
    if not DossierRequirement.objects.filter(award=award).exists():
        raise WorkflowError(_("The catalogue does not say what the dossier of %(award)s "
                              "contains: enter its required parts first.")
                            % {"award": award.name})
    dossier = Dossier(award=award, year=year, recipient=recipient, created_by=user)
    _step(dossier, None, user=user, action="dossier.create")
    return dossier


@transaction.atomic
def attach(dossier, *, part, nominee_id, checked, upload, user,
           special_id=None) -> DossierAttachment:
    """Store an upload checked by `core.uploads.check_evidence` as a part of the dossier; a
    nominee's new signed report replaces the old one. A report is a nominee's (`nominee_id`)
    or, for a proposal outside the annual cycle, the proposal's (`special_id`)."""
    dossier = _locked(dossier, None)
    if dossier.status not in EDITABLE:
        raise WorkflowError(_("A dossier is changed only while it is a draft or returned."))
    if part not in Part.values or part in (Part.LETTER, Part.LIST, Part.MINUTES):
        raise WorkflowError(_("Choose what the file is: a signed report or another "
                              "attachment."))
    keys = {row["key"] for row in live_rows(dossier.award_id, dossier.year)}
    key = f"n{nominee_id}" if nominee_id else f"s{special_id}"
    if part == Part.REPORT and (key not in keys or (nominee_id and special_id)):
        raise WorkflowError(_("Choose whose signed achievement report this is."))
    if part != Part.REPORT:
        nominee_id = special_id = None
    nominee_id, special_id = (nominee_id, None) if nominee_id else (None, special_id)
    replaced = list(dossier.attachments.filter(part=Part.REPORT, nominee_id=nominee_id,
                                               special_id=special_id)
                    if part == Part.REPORT else [])
    return store(DossierAttachment, checked=checked, upload=upload, user=user,
                 replaced=replaced, action="dossier.attach", target=dossier, dossier=dossier,
                 part=part, nominee_id=nominee_id, special_id=special_id)


@transaction.atomic
def detach(attachment, *, user) -> None:
    dossier = _locked(attachment.dossier, None)
    if dossier.status not in EDITABLE:
        raise WorkflowError(_("A dossier is changed only while it is a draft or returned."))
    remove(attachment, user=user, action="dossier.detach", target=dossier)


def _carried(rows) -> dict:
    """Who a dossier carries, for the audit: the nominees' ids and, apart (the ids may be the
    same numbers), the special proposals'."""
    return {"nominees": [row["pk"] for row in rows if not row["special_id"]],
            "special_proposals": [row["special_id"] for row in rows if row["special_id"]]}


def _recipient(dossier) -> str:
    with translation.override("vi"):  # the register is kept in Vietnamese
        return str(dossier.get_recipient_display())


def _letter_number(dossier, *, sent_on, number, user) -> str:
    """The letter's number from the register of outgoing documents (a tờ trình): the next one
    when none is typed; a typed one entered as typed (the same letter sent again keeps its
    entry). Refused when the year's register gives the number to another document."""
    entry = OutgoingDocument.objects.filter(
        year=sent_on.year, number_key=number_key(number), target_id=dossier.pk,
        target_type=ContentType.objects.get_for_model(Dossier)).first() if number else None
    if entry is not None:
        return entry.number
    department = identity.current()
    try:
        entry = outgoing.register(
            kind=DocumentKind.SUBMISSION, issued_on=sent_on, number=number, user=user,
            subject=f"Tờ trình đề nghị {dossier.award.name} năm {dossier.year}",
            signer_name=department.director_name, signer_title=department.director_title,
            recipients=_recipient(dossier), target=dossier, audit=False)
    except outgoing.RegisterError as error:
        raise WorkflowError(error.message) from error
    return entry.number


@transaction.atomic
def send(dossier, *, sent_on, number, version, user) -> Dossier:
    """Send (or, once returned, send again) a complete dossier: the date and the number of the
    signed letter."""
    dossier = _locked(dossier, version)
    before = snapshot(dossier)
    if dossier.status not in EDITABLE:
        raise WorkflowError(_("This dossier is %(status)s: only a draft or a returned dossier "
                              "is sent.") % {"status": dossier.get_status_display().lower()})
    number = " ".join((number or "").split())
    if sent_on is None:
        raise WorkflowError(_("Give the date and the number of the signed letter the dossier "
                              "is sent with."))
    found = checklist(dossier)
    if found.missing:
        raise WorkflowError(_("The dossier cannot be sent, parts are missing: %(missing)s")
                            % {"missing": missing_text(found.missing)})
    again = dossier.status == DossierStatus.RETURNED
    if again:
        before.update(_carried(sent_rows(dossier)))
    # What the upper level now holds: later changes to the lists no longer change it.
    freeze(dossier, found.nominees)
    dossier.status = DossierStatus.RESENT if again else DossierStatus.SENT
    number = _letter_number(dossier, sent_on=sent_on, number=number, user=user)
    dossier.sent_on, dossier.sent_number = sent_on, number
    _step(dossier, before, user=user, action="dossier.resend" if again else "dossier.send",
          note=f"{number} – {sent_on:%d/%m/%Y}",
          **_carried(found.nominees))
    return dossier


@transaction.atomic
def return_(dossier, *, reason, parts, version, user) -> Dossier:
    """The upper level returned the dossier: why, and which parts to fix."""
    dossier = _locked(dossier, version)
    before = snapshot(dossier)
    if dossier.status not in AT_UPPER_LEVEL:
        raise WorkflowError(_("Only a dossier the upper level holds can be returned."))
    reason = (reason or "").strip()
    if not reason:
        raise WorkflowError(_("Write why the upper level returned the dossier: it is what "
                              "the Office fixes."))
    needed = set(DossierRequirement.objects.filter(award=dossier.award_id)
                 .values_list("part", flat=True)) | {Part.OTHER}
    parts = [part for part in Part.values if part in set(parts or ())]
    if not parts or not set(parts) <= needed:
        raise WorkflowError(_("Tick the parts of the checklist the upper level asks to fix."))
    dossier.status, dossier.return_reason, dossier.return_parts = (DossierStatus.RETURNED,
                                                                   reason, parts)
    _step(dossier, before, user=user, action="dossier.return", note=reason)
    return dossier


@transaction.atomic
def recall(dossier, *, reason, version, user) -> Dossier:
    """The Department takes the dossier back before the upper level decides."""
    dossier = _locked(dossier, version)
    before = snapshot(dossier)
    if dossier.status == DossierStatus.DECIDED:
        raise WorkflowError(_("The upper level has already decided on this dossier (decision "
                              "%(number)s): it can no longer be recalled.")
                            % {"number": dossier.decision_number})
    if dossier.status == DossierStatus.REFUSED:
        raise WorkflowError(_("The upper level commended no one of this dossier: it can no "
                              "longer be recalled."))
    if dossier.status not in AT_UPPER_LEVEL | {DossierStatus.RETURNED}:
        raise WorkflowError(_("Only a dossier that was sent can be recalled."))
    reason = (reason or "").strip()
    if not reason:
        raise WorkflowError(_("Write why the dossier is recalled."))
    dossier.status, dossier.recall_reason = DossierStatus.RECALLED, reason
    _step(dossier, before, user=user, action="dossier.recall", note=reason)
    return dossier


def _unticked_reasons(rows, commended, reasons, reason) -> dict:
    """sent row id → the upper level's reason for each nominee left out; refuses one without."""
    left_out = [row for row in rows if row["sent_id"] not in commended]
    given = {row["sent_id"]: ((reasons or {}).get(row["sent_id"]) or "").strip() or reason
             for row in left_out}
    missing = [row["name"] for row in left_out if not given[row["sent_id"]]]
    if missing:
        raise WorkflowError(_("Write why the upper level did not commend %(names)s (one reason "
                              "for all of them, or one each).")
                            % {"names": missing_text(missing)})
    return given


@transaction.atomic
def decide(dossier, *, number, decided_on, issuer, version, user, commended=None,
           reasons=None, reason="") -> Dossier:
    """Record the upper level's decision. `commended` holds the ids of the dossier's sent rows
    the decision names (None: all of them); only those enter the award history with the
    decision's number and date, the others keep the reason the upper level gave (`reasons` per
    row, else the common `reason`)."""
    dossier = _locked(dossier, version)
    before = snapshot(dossier)
    if dossier.status not in AT_UPPER_LEVEL:
        raise WorkflowError(_("Only a dossier the upper level holds can be decided."))
    number, issuer = (number or "").strip().upper(), (issuer or "").strip()
    if not number or decided_on is None or not issuer:
        raise WorkflowError(_("Give the number, the date and the issuer of the upper "
                              "decision."))
    if (Dossier.objects.filter(decision_number=number).exists()
            or Decision.objects.filter(number=number).exists()
            or UpperRevocation.objects.filter(number=number).exists()):
        raise WorkflowError(_("Decision %(number)s is already registered: check the number.")
                            % {"number": number})
    if dossier.sent_on and decided_on < dossier.sent_on:
        raise WorkflowError(_("The upper decision cannot be dated before the dossier was sent "
                              "(%(day)s).") % {"day": dossier.sent_on.strftime("%d/%m/%Y")})
    rows = sent_rows(dossier)
    commended = ({row["sent_id"] for row in rows} if commended is None
                 else {int(pk) for pk in commended} & {row["sent_id"] for row in rows})
    if not commended:
        raise WorkflowError(_("No nominee is ticked: if the upper level commended no one of the "
                              "dossier, record it with the step “The upper level commended no "
                              "one”."))
    left_out = _unticked_reasons(rows, commended, reasons, (reason or "").strip())
    nominees = [row for row in rows if row["sent_id"] in commended]
    try:
        with transaction.atomic():
            # Registered beside the Department's decisions (the number stays unique across
            # both) so that its awards are paid the same way: bonus page, payout list, fund.
            decision = Decision.objects.create(
                award_id=dossier.award_id, year=dossier.year, number=number,
                signed_on=decided_on, signer_name="", signer_title="", issuer=issuer,
                dossier=dossier, created_by=user)
            conferrals = Conferral.objects.bulk_create([
                Conferral(award_id=dossier.award_id, year=dossier.year, staff_id=row["staff_id"],
                          unit_id=row["proposal__unit_id"], decision=number,
                          decided_on=decided_on, dossier=dossier, issued_by=decision)
                for row in nominees])
    except IntegrityError as error:
        raise WorkflowError(_("Decision %(number)s cannot be recorded: a nominee already holds "
                              "this award for %(year)s.")
                            % {"number": number, "year": dossier.year}) from error
    SentNominee.objects.filter(dossier=dossier, pk__in=commended).update(commended=True)
    for sent_id, text in left_out.items():
        SentNominee.objects.filter(pk=sent_id).update(commended=False, upper_reason=text)
    # The commended nominees read as decided, as after a decision of the Department; the
    # others stay undecided in their lists.
    decided = [row["pk"] for row in nominees if row["pk"]]
    Nominee.objects.filter(pk__in=decided).update(decision=decision)
    # An accepted proposal outside the annual cycle reads decided the same way.
    specials = [row["special_id"] for row in nominees if row["special_id"]]
    SpecialProposal.objects.filter(pk__in=specials).update(decision=decision)
    dossier.status = DossierStatus.DECIDED
    dossier.decision_number, dossier.decided_on, dossier.decided_by = number, decided_on, issuer
    before["nominees"] = {pk: None for pk in decided}
    before["special_proposals"] = {pk: None for pk in specials}
    note = f"{number} – {decided_on:%d/%m/%Y} – {issuer}"
    if left_out:
        note += " – " + _("not commended: %(names)s") % {"names": "; ".join(
            f"{row['name']} ({left_out[row['sent_id']]})" for row in rows
            if row["sent_id"] in left_out)}
    _step(dossier, before, user=user, action="dossier.decide", note=note,
          decision=decision.pk, conferrals=[c.pk for c in conferrals],
          nominees={pk: decision.pk for pk in decided},
          special_proposals={pk: decision.pk for pk in specials},
          not_commended={row["pk"]: left_out[row["sent_id"]] for row in rows
                         if row["sent_id"] in left_out and not row["special_id"]},
          specials_not_commended={row["special_id"]: left_out[row["sent_id"]] for row in rows
                                  if row["sent_id"] in left_out and row["special_id"]})
    return dossier


@transaction.atomic
def refuse(dossier, *, reason, version, user) -> Dossier:
    """The upper level commended no one of the dossier: its reason is kept, the dossier is
    closed (no decision, no recall) and its nominees stay undecided in their lists."""
    dossier = _locked(dossier, version)
    before = snapshot(dossier)
    if dossier.status not in AT_UPPER_LEVEL:
        raise WorkflowError(_("Only a dossier the upper level holds can be refused by it."))
    reason = (reason or "").strip()
    if not reason:
        raise WorkflowError(_("Write the reason the upper level gave for commending no one."))
    dossier.status, dossier.refusal_reason = DossierStatus.REFUSED, reason
    SentNominee.objects.filter(dossier=dossier).update(commended=False, upper_reason=reason)
    _step(dossier, before, user=user, action="dossier.refuse", note=reason)
    return dossier


@transaction.atomic
def revoke_upper(decision, *, number, revoked_on, issuer, reason, user,
                 conferral_ids=None) -> UpperRevocation:
    """Record the issuer's revocation of an upper decision, for all its awards (None) or the
    conferrals named: each is marked revoked as `services.revoke_decision` marks them
    (`revoked_at` now, `revoked_reason`), the reason carrying the revocation's number and date
    — the fund reads those to recover the bonus. When no award of the decision stands
    afterwards the decision itself reads revoked."""
    decision = Decision.objects.select_for_update().get(pk=decision.pk)
    if not decision.from_upper_level:
        raise WorkflowError(_("Decision %(number)s is the Department's own: revoke it with "
                              "“Revoke this decision”.") % {"number": decision.number})
    number, issuer = (number or "").strip().upper(), (issuer or "").strip()
    reason = (reason or "").strip()
    if not number or revoked_on is None or not issuer:
        raise WorkflowError(_("Give the number, the date and the issuer of the revoking "
                              "decision."))
    if not reason:
        raise WorkflowError(_("Write the reason the revoking decision gives."))
    if (Decision.objects.filter(number=number).exists()
            or Dossier.objects.filter(decision_number=number).exists()
            or UpperRevocation.objects.filter(number=number).exists()):
        raise WorkflowError(_("Number %(number)s is already registered for another decision: "
                              "check the number of the revoking decision.")
                            % {"number": number})
    if revoked_on < decision.signed_on:
        raise WorkflowError(_("The revocation cannot be dated before decision %(number)s "
                              "(%(day)s).") % {"number": decision.number,
                                               "day": decision.signed_on.strftime("%d/%m/%Y")})
    held = {c.pk: c for c in decision.conferrals.select_related("staff", "unit")}
    wanted = set(held) if conferral_ids is None else {int(pk) for pk in conferral_ids} & set(held)
    if not wanted:
        raise WorkflowError(_("Tick the awards the revocation names."))
    already = [held[pk] for pk in sorted(wanted) if held[pk].revoked_at]
    if already:
        raise WorkflowError(_("Already revoked: %(names)s. Untick them.") % {"names": "; ".join(
            (c.staff.full_name if c.staff else c.unit.name) for c in already)})
    now = timezone.now()
    text = _("%(reason)s (revoked by decision %(number)s of %(day)s, %(issuer)s)") % {
        "reason": reason, "number": number, "day": revoked_on.strftime("%d/%m/%Y"),
        "issuer": issuer}
    revocation = UpperRevocation.objects.create(decision=decision, number=number,
                                                revoked_on=revoked_on, issuer=issuer,
                                                reason=reason, created_by=user)
    revocation.conferrals.set(sorted(wanted))
    Conferral.objects.filter(pk__in=wanted).update(revoked_at=now, revoked_reason=text)
    standing = [pk for pk, c in held.items() if not c.revoked_at and pk not in wanted]
    whole = not standing
    if whole:
        decision.revoked_at, decision.revoked_by, decision.revoked_reason = now, user, text
        decision.save(update_fields=["revoked_at", "revoked_by", "revoked_reason"])
    record(actor=user, action="decision.revoke_upper", target=decision,
           before={"revoked": False, "conferrals": sorted(wanted)},
           after={"revoked": whole, "number": number, "revoked_on": revoked_on.isoformat(),
                  "issuer": issuer, "reason": reason, "conferrals": sorted(wanted)})
    names = "; ".join((held[pk].staff.full_name if held[pk].staff else held[pk].unit.name)
                      for pk in sorted(wanted))
    dossier = decision.dossier
    DossierEvent.objects.create(
        dossier=dossier, actor=user, status=dossier.status,
        note=_("Revoked by %(issuer)s, decision %(number)s of %(day)s: %(names)s – %(reason)s")
        % {"issuer": issuer, "number": number, "day": revoked_on.strftime("%d/%m/%Y"),
           "names": names, "reason": reason})
    return revocation
