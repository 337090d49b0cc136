"""Writes of the commendation workflow: a unit's list from draft to decision, and revocation.

Every step locks the proposal row and checks the version the page was opened at, so two people
acting on the same list cannot both succeed; each step is one transaction and one audit line
(who, when, the stage before and after). A step that is not allowed from the current stage, or
whose input is wrong, raises `WorkflowError` with the message to show, and changes nothing.
"""

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit.trail import record
from core.stale_edits import bump_version
from units import services_outgoing as outgoing
from units.collation import person_order, unit_order
from units.models import DocumentKind

from .documents.decision import subject_of
from .documents.layout import issued_letterhead
from .dossier_parts import missing_text
from .eligibility import Facts, QuotaStatus, conditions_for, quota_status, review_unit, verdict
from .models import (
    Award,
    Conferral,
    Cycle,
    Decision,
    LegalPeriod,
    Nominee,
    NoticeComment,
    Proposal,
    ProposalAttachment,
    ProposalEvent,
    ProposalStage,
    ProposalStep,
    Quota,
    SpecialProposal,
    UpperRevocation,
)
from .unit_dossier import checklist

# How long a list stays on public notice unless the Office says otherwise.
DEFAULT_NOTICE_DAYS = 5
# The same comment from the same person on the same list within this time is a repeated POST
# (a double click, a resent form), not a second opinion: it is stored once.
REPEAT_WINDOW = datetime.timedelta(minutes=10)


class WorkflowError(Exception):
    """A step refused, with the message to show the user."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


# --- Reading a proposal -------------------------------------------------------------------


@dataclass(frozen=True)
class ProposalReview:
    """A list checked against the law of its year: each nominee's verdict and the quotas."""

    period: LegalPeriod | None
    nominees: list  # (Nominee, Verdict or None)
    quotas: list  # QuotaStatus

    @property
    def over_quota(self) -> list[QuotaStatus]:
        return [q for q in self.quotas if not q.ok]


def review_proposal(proposal: Proposal, nominees=None) -> ProposalReview:
    """Each nominee's verdict, counting the whole list as proposed (a CSTĐCS nominee's LĐTT
    on the same list counts as held), and the unit's quota status. A fixed number of queries."""
    if nominees is None:
        nominees = list(proposal.nominees.select_related("award", "staff"))
    period = LegalPeriod.objects.for_year(proposal.year)
    if period is None:
        return ProposalReview(period=None, nominees=[(n, None) for n in nominees], quotas=[])
    unit = proposal.unit
    facts = Facts.load(proposal.year, unit_ids=[unit.pk],
                       proposed=[(n.award_id, n.staff_id, unit.pk) for n in nominees])
    conditions = conditions_for(period, {n.award_id for n in nominees})
    verdicts = [(n, verdict(n.award, conditions, facts, staff=n.staff,
                            unit=None if n.staff_id else unit)) for n in nominees]
    quotas = [quota_status(q, facts, unit)
              for q in Quota.objects.filter(period=period).select_related("award", "base_award")]
    return ProposalReview(period=period, nominees=verdicts, quotas=quotas)


@dataclass(frozen=True)
class Suggestion:
    award: Award
    staff: object  # StaffMember, or None for the unit itself
    reasons: tuple


def suggestions(proposal: Proposal) -> list[Suggestion]:
    """Who meets an award's conditions but is not on the list: people, then the unit itself
    (its campaign class comes from the locked scoring ranking)."""
    review = review_unit(proposal.unit, proposal.year)
    if review is None:
        return []
    proposed = set(proposal.nominees.values_list("award_id", "staff_id"))
    found = []
    # The reasons are built only for those who meet an award they are not proposed for.
    wanted = [person for person in review.persons if any(
        person.pk in review.eligible[award.pk] and (award.pk, person.pk) not in proposed
        for award in review.individual)]
    for person, verdicts in review.rows(wanted):
        for result in verdicts:
            if result.eligible and (result.award.pk, person.pk) not in proposed:
                found.append(Suggestion(result.award, person,
                                        tuple(c.reason for c in result.checks)))
    for result in review.collective:
        if result.eligible and (result.award.pk, None) not in proposed:
            found.append(Suggestion(result.award, None, tuple(c.reason for c in result.checks)))
    # Award by award, in the catalogue's order: read as the list will be, and proposed in an
    # order where a title's prerequisite (LĐTT before CSTĐCS) comes first.
    found.sort(key=lambda s: (s.award.order, s.staff is None))
    return found


# --- Steps --------------------------------------------------------------------------------


def _locked(proposal: Proposal, version) -> Proposal:
    """The proposal row locked for this transaction, at the version the page showed."""
    current = Proposal.objects.select_for_update().select_related("unit").get(pk=proposal.pk)
    if version is not None:
        bump_version(current, int(version))
    return current


def _expect(proposal, *stages):
    if proposal.stage not in stages:
        raise WorkflowError(_("This list is at the stage “%(stage)s”: the step is not "
                              "possible now. Reload the page.")
                            % {"stage": proposal.get_stage_display()})


def _move(proposal, user, stage, action, note="", parts=(), **extra):
    """The step: the stage and `extra` fields set, the audit line with both before and after,
    and the event the list's page shows as its history."""
    before = {"stage": proposal.stage, **{k: _plain(getattr(proposal, k)) for k in extra}}
    proposal.stage = stage
    for name, value in extra.items():
        setattr(proposal, name, value)
    proposal.save()
    ProposalEvent.objects.create(proposal=proposal, actor=user, step=action, note=note,
                                 parts=list(parts))
    record(actor=user, action=f"proposal.{action}", target=proposal, before=before,
           after={"stage": stage, **{k: _plain(v) for k, v in extra.items()}})


def _plain(value):
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    if hasattr(value, "pk"):
        return value.pk
    return value


def proposal_for(unit, year) -> Proposal:
    proposal, _created = Proposal.objects.get_or_create(unit=unit, year=year)
    return proposal


@transaction.atomic
def save_summary(proposal, *, summary, version, user) -> Proposal:
    proposal = _locked(proposal, version)
    _expect(proposal, ProposalStage.DRAFT)
    before = proposal.summary
    proposal.summary = summary
    proposal.save(update_fields=["summary"])
    if before != summary:
        record(actor=user, action="proposal.summary", target=proposal,
               before={"summary": before}, after={"summary": summary})
    return proposal


def nominee_snapshot(nominee) -> dict:
    return {"award": nominee.award_id, "staff": nominee.staff_id, "summary": nominee.summary,
            "justification": nominee.justification, "eligible": nominee.eligible}


@transaction.atomic
def save_nominee(proposal, *, nominee: Nominee, version, user) -> Nominee:
    """Add or change a nominee of a draft list. One who fails a condition needs a
    justification; the verdict is decided with the rest of the list as proposed."""
    proposal = _locked(proposal, version)
    _expect(proposal, ProposalStage.DRAFT)
    return _save_checked(proposal, nominee, user)


def _save_checked(proposal, nominee: Nominee, user) -> Nominee:
    """Check `nominee` against the law with the rest of the (locked) list as proposed, save
    it and write its audit line; ValidationError (nothing saved) when it cannot be."""
    before = None
    if nominee.pk:
        before = nominee_snapshot(Nominee.objects.get(pk=nominee.pk))
    nominee.proposal = proposal
    others = [n for n in proposal.nominees.select_related("award", "staff")
              if n.pk != nominee.pk]
    review = review_proposal(proposal, others + [nominee])
    result = review.nominees[-1][1]
    nominee.eligible = result is None or result.eligible
    if not nominee.eligible and not nominee.justification.strip():
        failed = "; ".join(c.reason.rstrip(".") for c in result.checks if not c.met)
        raise ValidationError({"justification": _(
            "This nominee does not meet every condition (%(failed)s). Write why they should "
            "be proposed all the same, or remove them.") % {"failed": failed}})
    try:
        with transaction.atomic():
            nominee.save()
    except IntegrityError as error:
        raise ValidationError(_("This person (or the unit) is already on the list for this "
                                "award.")) from error
    after = nominee_snapshot(nominee)
    if before is None:
        record(actor=user, action="nominee.create", target=nominee, after=after)
    elif before != after:
        record(actor=user, action="nominee.edit", target=nominee, before=before, after=after)
    return nominee


@dataclass(frozen=True)
class ManyProposed:
    """What `propose_many` did: the nominees added, and (name, award, why) of those not."""

    added: list
    refused: list


@transaction.atomic
def propose_many(proposal, *, picks, version, user) -> ManyProposed:
    """Add several people (or the unit) to a draft list in one step: `picks` are
    (award, staff or None, summary). Each goes through the same check, save and audit line as
    a single addition, in the order given, counting those added before it as proposed; one
    that does not meet every condition now is left out (it needs a justification, written on
    its own form) and named in the result. Nothing is written when none could be added."""
    proposal = _locked(proposal, version)
    _expect(proposal, ProposalStage.DRAFT)
    added, refused = [], []
    for award, staff, summary in picks:
        nominee = Nominee(award=award, staff=staff, summary=summary.strip())
        try:
            added.append(_save_checked(proposal, nominee, user))
        except ValidationError as error:
            refused.append((staff.full_name if staff else proposal.unit.name, award.name,
                            " ".join(error.messages)))
    if not added:
        raise WorkflowError(_("Nobody was added: %(why)s")
                            % {"why": "; ".join(f"{name} ({award}): {why}"
                                                for name, award, why in refused)
                               or _("tick at least one person.")})
    return ManyProposed(added=added, refused=refused)


@transaction.atomic
def remove_nominee(proposal, *, nominee, version, user) -> None:
    proposal = _locked(proposal, version)
    _expect(proposal, ProposalStage.DRAFT)
    record(actor=user, action="nominee.remove", target=nominee,
           before=nominee_snapshot(nominee))
    # Their uploaded report goes with them (the rows by cascade, the files once committed).
    files = [a.file for a in ProposalAttachment.objects.filter(nominee=nominee)]
    nominee.delete()
    for file in files:
        transaction.on_commit(lambda file=file: file.delete(save=False))


def _refuse_over_quota(proposal, what):
    review = review_proposal(proposal)
    if review.over_quota:
        raise WorkflowError(_over_quota_text(review, what))


def _unwritten(nominees) -> list:
    return [str(n.staff.full_name if n.staff_id else n.proposal.unit.name) for n in nominees
            if not n.summary.strip()]


def why_not_submit(proposal, review: ProposalReview) -> str | None:
    """Why a draft list cannot be sent yet (None: it can), from the page's own review."""
    nominees = [n for n, _v in review.nominees]
    if not nominees:
        return _("The list is empty: propose at least one person or the unit before sending "
                 "it.")
    missing = _unwritten(nominees)
    if missing:
        return _("Write the achievements of %(names)s (Edit) before sending the list.") % {
            "names": ", ".join(missing)}
    if review.over_quota:
        return _over_quota_text(review, _("The list is over quota (%(over)s). Remove nominees "
                                          "before sending it."))
    return None


def why_not_vote(proposal, review: ProposalReview, today=None) -> str | None:
    """Why the council's vote cannot be recorded yet (None: it can)."""
    today = today or timezone.localdate()
    if proposal.notice_until and proposal.notice_until >= today:
        return _("The council's vote can be recorded from %(date)s, when the public notice "
                 "ends.") % {"date": (proposal.notice_until + datetime.timedelta(days=1))
                             .strftime("%d/%m/%Y")}
    if review.over_quota:
        return _over_quota_text(review, _("The list is over quota (%(over)s) and cannot go to "
                                          "the vote: return it to the unit."))
    return None


def _over_quota_text(review, what) -> str:
    return what % {"over": "; ".join(
        _("%(award)s: %(count)s proposed, the quota allows %(allowed)s")
        % {"award": q.quota.award.name, "count": q.count, "allowed": q.allowed}
        for q in review.over_quota)}


@transaction.atomic
def submit(proposal, *, sent_on, number, version, user) -> Proposal:
    """Send a draft list with the unit's signed letter (its number and date) once every part
    the Department asks of the unit is there; a list returned or recalled before is "sent
    again"."""
    proposal = _locked(proposal, version)
    _expect(proposal, ProposalStage.DRAFT)
    why = why_not_submit(proposal, review_proposal(proposal))
    if why:
        raise WorkflowError(why)
    number = (number or "").strip()
    if not number or sent_on is None:
        raise WorkflowError(_("Give the number and the date of the unit's signed letter the "
                              "list is sent with."))
    if sent_on > timezone.localdate():
        raise WorkflowError(_("The letter cannot be dated after today: check its date."))
    missing = checklist(proposal).missing
    if missing:
        raise WorkflowError(_("The list cannot be sent, parts are missing: %(missing)s")
                            % {"missing": missing_text(missing)})
    again = proposal.events.filter(step__in=(ProposalStep.SUBMIT, ProposalStep.RESUBMIT)).exists()
    _move(proposal, user, ProposalStage.SUBMITTED, "resubmit" if again else "submit",
          note=f"{number} – {sent_on:%d/%m/%Y}", submitted_at=timezone.now(),
          sent_on=sent_on, sent_number=number, return_note="", return_parts=[],
          recall_reason="")
    return proposal


@transaction.atomic
def send_back(proposal, *, note, parts, version, user) -> Proposal:
    """The Office or the Union return an incomplete list to the unit: why, and which parts of
    its checklist to fix (shown to the head on the list's page)."""
    proposal = _locked(proposal, version)
    _expect(proposal, ProposalStage.SUBMITTED, ProposalStage.REVIEWED)
    note = (note or "").strip()
    if not note:
        raise WorkflowError(_("Say what the unit must complete or correct."))
    offered = [state.part for state in checklist(proposal).parts]
    parts = [part for part in offered if part in set(parts or ())]
    if not parts or len(parts) != len(set(parts or ())):
        raise WorkflowError(_("Tick the parts of the checklist the unit must fix."))
    _move(proposal, user, ProposalStage.DRAFT, "return", note=note, parts=parts,
          return_note=note, return_parts=parts, recall_reason="")
    return proposal


@transaction.atomic
def recall(proposal, *, reason, version, user) -> Proposal:
    """The unit's head takes a sent list back to correct it, before the Office accepts it."""
    proposal = _locked(proposal, version)
    if proposal.stage != ProposalStage.SUBMITTED:
        raise WorkflowError(_("Only a list sent and not yet accepted by the Office can be "
                              "recalled (it is at the stage “%(stage)s”): ask the Office to "
                              "return it.") % {"stage": proposal.get_stage_display()})
    reason = (reason or "").strip()
    if not reason:
        raise WorkflowError(_("Write why the list is recalled."))
    _move(proposal, user, ProposalStage.DRAFT, "recall", note=reason, recall_reason=reason,
          return_note="", return_parts=[])
    return proposal


@transaction.atomic
def accept(proposal, *, version, user) -> Proposal:
    proposal = _locked(proposal, version)
    _expect(proposal, ProposalStage.SUBMITTED)
    missing = _unwritten(proposal.nominees.select_related("award", "staff", "proposal__unit"))
    if missing:
        raise WorkflowError(_("%(count)s nominee(s) have no achievements written: return the "
                              "list to the unit.") % {"count": len(missing)})
    _move(proposal, user, ProposalStage.REVIEWED, "accept", reviewed_at=timezone.now(),
          reviewed_by=user)
    return proposal


@transaction.atomic
def publish(proposal, *, days, version, user, today=None) -> Proposal:
    """Put the list on public notice for `days` days from today."""
    proposal = _locked(proposal, version)
    _expect(proposal, ProposalStage.REVIEWED)
    if not 1 <= days <= 60:
        raise WorkflowError(_("The notice lasts from 1 to 60 days."))
    start = today or timezone.localdate()
    _move(proposal, user, ProposalStage.NOTICE, "publish", notice_from=start,
          notice_until=start + datetime.timedelta(days=days - 1))
    return proposal


@transaction.atomic
def comment(proposal, *, text, nominee=None, user) -> NoticeComment:
    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
    _expect(proposal, ProposalStage.NOTICE)
    if not text.strip():
        raise WorkflowError(_("Write the comment first."))
    if nominee is not None and nominee.proposal_id != proposal.pk:
        raise WorkflowError(_("That nominee is not on this list."))
    # Under the proposal's row lock, so two copies of one POST cannot both miss each other.
    repeated = proposal.comments.filter(
        author=user, nominee=nominee, text=text.strip(),
        at__gte=timezone.now() - REPEAT_WINDOW).order_by("-at").first()
    if repeated is not None:
        return repeated
    note = NoticeComment.objects.create(proposal=proposal, nominee=nominee, author=user,
                                        text=text.strip())
    record(actor=user, action="proposal.comment", target=proposal,
           after={"comment": note.pk, "nominee": nominee.pk if nominee else None})
    return note


def passes(award: Award, votes_for: int, members: int) -> bool:
    """Whether `votes_for` out of all `members` of the council reach the award's threshold.

    The share is rounded to the two decimals the threshold is entered with, so "two thirds"
    entered as 66.67 % is reached by 6 of 9."""
    share = (Decimal(votes_for * 100) / members).quantize(Decimal("0.01"), ROUND_HALF_UP)
    return share > award.vote_percent if award.vote_strict else share >= award.vote_percent


@transaction.atomic
def record_vote(proposal, *, held_on, members, present, votes, version, user,
                today=None) -> Proposal:
    """The council's vote on every nominee: `votes` maps nominee id → (for, against)."""
    proposal = _locked(proposal, version)
    _expect(proposal, ProposalStage.NOTICE)
    today = today or timezone.localdate()
    if proposal.notice_until >= today:
        raise WorkflowError(_("The list is on public notice until %(date)s: the council votes "
                              "after the notice ends.")
                            % {"date": proposal.notice_until.strftime("%d/%m/%Y")})
    if held_on > today or held_on <= proposal.notice_until:
        raise WorkflowError(_("The meeting date must be after the notice and not in the "
                              "future."))
    _refuse_over_quota(proposal, _("The list is over quota (%(over)s) and cannot go to the "
                                   "vote: return it to the unit."))
    if not 1 <= present <= members:
        raise WorkflowError(_("Members present must be between 1 and the number of members."))
    nominees = list(proposal.nominees.select_related("award", "staff"))
    if set(votes) != {n.pk for n in nominees}:
        raise WorkflowError(_("Enter the votes of every nominee."))
    results, previous = {}, {}
    for nominee in nominees:
        previous[nominee.pk] = [nominee.votes_for, nominee.votes_against, nominee.passed]
        votes_for, against = votes[nominee.pk]
        if votes_for + against > present:
            raise WorkflowError(_("%(name)s: %(total)s votes, more than the %(present)s members "
                                  "present.") % {"name": nominee.staff or proposal.unit,
                                                 "total": votes_for + against,
                                                 "present": present})
        nominee.votes_for, nominee.votes_against = votes_for, against
        nominee.passed = passes(nominee.award, votes_for, members)
        results[nominee.pk] = [votes_for, against, nominee.passed]
    Nominee.objects.bulk_update(nominees, ["votes_for", "votes_against", "passed"])
    _move(proposal, user, ProposalStage.VOTED, "vote", voted_on=held_on,
          council_members=members, council_present=present)
    record(actor=user, action="proposal.votes", target=proposal, before={"votes": previous},
           after={"votes": results})
    return proposal


@transaction.atomic
def approve(proposal, *, version, user) -> Proposal:
    proposal = _locked(proposal, version)
    _expect(proposal, ProposalStage.VOTED)
    _move(proposal, user, ProposalStage.APPROVED, "approve", approved_at=timezone.now(),
          approved_by=user)
    return proposal


# --- Decisions ----------------------------------------------------------------------------


def awaiting_decision(award, year):
    """Nominees of approved lists who passed the vote for `award` and have no decision yet."""
    return (Nominee.objects.filter(award=award, proposal__year=year, passed=True,
                                   proposal__stage=ProposalStage.APPROVED, decision__isnull=True)
            .select_related("staff", "proposal__unit")
            .order_by(*unit_order("proposal__unit__"), *person_order("staff__full_name"), "pk"))


def awaiting_rows(award, year):
    """Who a decision on `award` for `year` would name: the annual lists' nominees, or for an
    award outside the annual cycle the proposals the Office accepted (models_special)."""
    if award.cycle == Cycle.ANNUAL:
        return awaiting_decision(award, year)
    return SpecialProposal.objects.awaiting_decision(award, year)


@transaction.atomic
def issue_decision(*, award, year, number, signed_on, signer_name, signer_title,
                   user) -> Decision:
    """Register a signed decision: every awaiting nominee of the award and year (or accepted
    proposal, for an award outside the annual cycle) becomes a conferral (the history the next
    years' conditions read)."""
    # Symbols are written in capitals (QĐ-SGDĐT); SQLite folds case for ASCII only, so
    # normalise here rather than compare case-insensitively.
    number = number.strip().upper()
    if not award.decided_here:
        # Decided above the Department (the province, a ministry, the Prime Minister): a
        # decision of ours naming it would confer what we may only propose.
        raise WorkflowError(award.not_decided_here())
    # The upper level's decisions and revocations are not in our register of outgoing
    # documents (units.OutgoingDocument, which refuses a number of ours twice in a year).
    # A decision entered before the register existed is refused the same way in its year.
    if number and (Decision.objects.filter(Q(dossier__isnull=False)
                                           | Q(signed_on__year=signed_on.year),
                                           number=number).exists()
                   or UpperRevocation.objects.filter(number=number).exists()):
        raise WorkflowError(_("Decision %(number)s already exists: check the number.")
                            % {"number": number})
    annual = award.cycle == Cycle.ANNUAL
    nominees = list(awaiting_rows(award, year).select_for_update(of=("self",)))
    if not nominees:
        raise WorkflowError(_("No approved nominee awaits a decision on this award for "
                              "%(year)s.") % {"year": year})
    if signed_on.year < year:
        raise WorkflowError(_("The decision cannot be signed before the year it rewards."))
    try:
        with transaction.atomic():
            # The number: the register's next (its counter locked until we commit, so a
            # failure below gives it back), or the one typed, registered as typed.
            entry = outgoing.register(
                kind=DocumentKind.DECISION, issued_on=signed_on, number=number,
                subject=subject_of(award, year), signer_name=signer_name,
                signer_title=signer_title, user=user, audit=False)
            number = entry.number
            decision = Decision.objects.create(
                award=award, year=year, number=number, signed_on=signed_on,
                signer_name=signer_name.strip(), signer_title=signer_title.strip(),
                letterhead=issued_letterhead(year), created_by=user)
            entry.target = decision
            entry.save(update_fields=["target_type", "target_id"])
            conferrals = Conferral.objects.bulk_create([
                Conferral(award=award, year=year, staff=n.staff,
                          unit=n.proposal.unit if annual else n.unit,
                          decision=number, decided_on=signed_on, issued_by=decision)
                for n in nominees])
    except outgoing.RegisterError as error:
        raise WorkflowError(error.message) from error
    except IntegrityError as error:
        raise WorkflowError(_("Decision %(number)s cannot be issued: a nominee already holds "
                              "this award for %(year)s, or the number exists.")
                            % {"number": number, "year": year}) from error
    (Nominee if annual else SpecialProposal).objects.filter(
        pk__in=[n.pk for n in nominees]).update(decision=decision)
    key = "nominees" if annual else "special_proposals"
    record(actor=user, action="decision.issue", target=decision,
           before={key: {n.pk: None for n in nominees}},
           after={"award": award.pk, "year": year, "number": number,
                  "signed_on": signed_on.isoformat(), "typed": entry.typed,
                  key: {n.pk: decision.pk for n in nominees},
                  "conferrals": [c.pk for c in conferrals]})
    return decision


@transaction.atomic
def revoke_decision(decision, *, reason, user) -> Decision:
    """Revoke a decision and every award it conferred; the rows stay, with the reason."""
    decision = Decision.objects.select_for_update().get(pk=decision.pk)
    if decision.revoked_at:
        raise WorkflowError(_("This decision was already revoked."))
    if decision.from_upper_level:
        raise WorkflowError(_("Decision %(number)s was issued by %(issuer)s: only its issuer "
                              "revokes it.") % {"number": decision.number,
                                                "issuer": decision.issuer})
    if not reason.strip():
        raise WorkflowError(_("Give the reason for the revocation."))
    now = timezone.now()
    decision.revoked_at, decision.revoked_by = now, user
    decision.revoked_reason = reason.strip()
    decision.save(update_fields=["revoked_at", "revoked_by", "revoked_reason"])
    conferrals = list(decision.conferrals.standing().values_list("pk", flat=True))
    decision.conferrals.filter(pk__in=conferrals).update(revoked_at=now,
                                                         revoked_reason=reason.strip())
    record(actor=user, action="decision.revoke", target=decision,
           before={"revoked": False, "conferrals": conferrals},
           after={"revoked": True, "reason": decision.revoked_reason})
    return decision

