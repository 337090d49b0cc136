"""Writes of the awards outside the annual cycle: proposing a person or a unit for a topic,
extraordinary or seniority award, and the Office accepting or returning it. Each is one
transaction and one audit line with before and after; bad input raises `WorkflowError` with the
Vietnamese message and stores nothing. Decisions go through services.issue_decision.
"""

import datetime
from dataclasses import replace

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit.trail import record
from core.stale_edits import bump_version

from .eligibility import Facts, conditions_for, verdict, verdict_on
from .models import Cycle, LegalPeriod, Subject
from .models_special import SpecialProposal, SpecialStatus, judged_on
from .ratings import people_of
from .services import WorkflowError


def snapshot(special) -> dict:
    return {"award": special.award_id, "unit": special.unit_id, "staff": special.staff_id,
            "year": special.year,
            "deed_on": special.deed_on.isoformat() if special.deed_on else None,
            "achievement": special.achievement, "justification": special.justification,
            "eligible": special.eligible, "status": special.status,
            "return_reason": special.return_reason}


def reasons(found) -> str:
    return "; ".join(check.reason for check in found.checks if not check.met)


@transaction.atomic
def propose(*, award, unit, staff, year, deed_on, achievement, justification, user,
            today=None) -> SpecialProposal:
    """Propose `staff` (or, None, the unit) for `award`, an award outside the annual cycle.
    The verdict is read on the deed's day, else today (31 December of a year already over).
    A returned proposal of the same award, year and person is proposed again (its row reused).
    Side effects: the row, an audit line."""
    today = today or timezone.localdate()
    achievement, justification = achievement.strip(), justification.strip()
    if award.cycle == Cycle.ANNUAL:
        raise WorkflowError(_("%(award)s is proposed on the year's commendation list, not "
                              "here.") % {"award": award.name})
    if award.subject == Subject.INDIVIDUAL and staff is None:
        raise WorkflowError(_("%(award)s is awarded to a person: choose who.")
                            % {"award": award.name})
    if award.subject == Subject.COLLECTIVE and staff is not None:
        raise WorkflowError(_("%(award)s is awarded to the unit: leave the person empty.")
                            % {"award": award.name})
    if staff is not None and not people_of(unit, year).filter(pk=staff.pk).exists():
        raise WorkflowError(_("%(name)s is not on the staff of %(unit)s in %(year)s.")
                            % {"name": staff.full_name, "unit": unit.name, "year": year})
    if award.cycle == Cycle.EXTRAORDINARY and deed_on is None:
        raise WorkflowError(_("Give the date of the deed: an extraordinary award rewards one "
                              "deed."))
    if deed_on is not None and (deed_on > today or deed_on.year != year):
        raise WorkflowError(_("The date of the deed must be in %(year)s and not after today.")
                            % {"year": year})
    if not achievement:
        raise WorkflowError(_("Write the reason and the achievements the award is proposed "
                              "for."))
    day = deed_on or judged_on(year, today)
    found = verdict_on(award, day, staff=staff, unit=None if staff else unit)
    if found is None:
        raise WorkflowError(_("No legal period covers %(day)s: enter the law in force then in "
                              "the catalogue first.") % {"day": day.strftime("%d/%m/%Y")})
    if not found.eligible and not justification:
        raise WorkflowError(_("The nominee does not meet every condition (%(reasons)s). Write "
                              "why you still propose them, or do not propose them.")
                            % {"reasons": reasons(found)})
    existing = (SpecialProposal.objects.select_for_update()
                .filter(award=award, year=year, staff=staff,
                        **({} if staff else {"unit": unit})).first())
    if existing is not None and existing.status != SpecialStatus.RETURNED:
        raise WorkflowError(_("%(name)s is already proposed for %(award)s in %(year)s.")
                            % {"name": staff.full_name if staff else unit.name,
                               "award": award.name, "year": year})
    before = snapshot(existing) if existing else None
    special = existing or SpecialProposal(award=award, staff=staff, year=year,
                                          proposed_by=user)
    special.unit, special.deed_on, special.achievement = unit, deed_on, achievement
    special.justification, special.eligible = justification, found.eligible
    special.status, special.return_reason = SpecialStatus.PROPOSED, ""
    special.proposed_by = user
    if existing:
        bump_version(special, existing.version)
    special.save()
    record(actor=user, action="special.propose", target=special, before=before,
           after=snapshot(special))
    return special


@transaction.atomic
def review(special, *, accept: bool, reason: str = "", version: int, user) -> SpecialProposal:
    """The Office accepts a proposal (it then awaits a decision, or goes upward) or returns it
    with the reason. Side effects: the status, an audit line."""
    special = SpecialProposal.objects.select_for_update().get(pk=special.pk)
    before = snapshot(special)
    if special.status != SpecialStatus.PROPOSED:
        raise WorkflowError(_("This proposal was already %(status)s.")
                            % {"status": special.get_status_display().lower()})
    if not accept and not reason.strip():
        raise WorkflowError(_("Say why the proposal is returned: the unit reads it to correct "
                              "it."))
    bump_version(special, version)
    special.status = SpecialStatus.ACCEPTED if accept else SpecialStatus.RETURNED
    special.return_reason = "" if accept else reason.strip()
    special.reviewed_by, special.reviewed_at = user, timezone.now()
    special.save(update_fields=["status", "return_reason", "reviewed_by", "reviewed_at"])
    record(actor=user, action="special.accept" if accept else "special.return",
           target=special, before=before, after=snapshot(special))
    return special


def verdicts(rows) -> dict:
    """proposal id → its verdict by the law of its day. The facts are read once per year for
    every unit of the rows, then looked at on each row's day: the page costs the same queries
    for one proposal as for a province's."""
    rows = list(rows)
    known = list(LegalPeriod.objects.order_by("-first_year"))  # for_date, in one query
    periods = {day: next((p for p in known if p.starts <= day
                          and (p.ends is None or day <= p.ends)), None)
               for day in {r.day for r in rows}}
    by_year = {}
    for special in rows:
        by_year.setdefault(special.day.year, set()).add(special.unit_id)
    facts = {year: Facts.load(year, unit_ids=sorted(units)) for year, units in by_year.items()}
    awards = list({special.award_id: special.award for special in rows}.values())
    conditions = {period.pk: conditions_for(period, awards)
                  for period in {p for p in periods.values() if p is not None}}
    result = {}
    for special in rows:
        period = periods[special.day]
        if period is None:
            result[special.pk] = None
            continue
        found = replace(facts[special.day.year], as_of=special.day)
        staff = special.staff
        if staff is not None:
            staff = next((p for p in found.members.get(special.unit_id, [])
                          if p.pk == staff.pk), staff)
        result[special.pk] = verdict(special.award, conditions[period.pk], found, staff=staff,
                                     unit=None if staff else special.unit)
    return result


def qualifying(award, unit, day: datetime.date) -> list:
    """(person, verdict) of the unit's people who meet `award` on `day` and are not proposed
    for it that year: the seniority medal's candidates now."""
    period = LegalPeriod.objects.for_date(day)
    if period is None:
        return []
    facts = Facts.load(day.year, unit_ids=[unit.pk], as_of=day)
    conditions = conditions_for(period, [award])
    taken = set(SpecialProposal.objects.filter(award=award, year=day.year)
                .exclude(status=SpecialStatus.RETURNED).values_list("staff_id", flat=True))
    held = set(award.conferrals.standing().values_list("staff_id", flat=True))
    people = [p for p in facts.members.get(unit.pk, []) if p.pk not in taken | held]
    found = [(p, verdict(award, conditions, facts, staff=p)) for p in people]
    return sorted([(p, v) for p, v in found if v.eligible],
                  key=lambda row: row[0].sector_start_date or day)
