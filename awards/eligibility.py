"""Whether a person or a unit meets the conditions of an award in a year, and why.

`Facts` reads everything the conditions of one year can ask about — ratings, discipline,
initiatives, award history, this year's proposals, unit members, campaign classes — in a fixed
number of queries for any number of nominees. `verdict` then decides each condition in Python and
says, in the user's language, what was found against what was needed: `RULES` is the table of
predicates, one small function and its reason texts each.
"""

import calendar
import datetime
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from decimal import Decimal
from functools import cached_property

from django.db.models import Q
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from scoring.models import Grade, Sheet, Stage, shown
from units.collation import person_key
from units.models import (
    DisciplineLevel,
    Gender,
    Initiative,
    InitiativeLevel,
    Violation,
    ViolationKind,
)

from .models import (
    Award,
    Condition,
    Conferral,
    Cycle,
    LegalPeriod,
    Predicate,
    Quota,
    Rating,
    RegistrationStatus,
    RegistrationWindow,
    StaffRegistration,
    Subject,
    UnitRegistration,
    YearRating,
)
from .ratings import counted_in

GRADE_ORDER = [Grade.EXCELLENT, Grade.GOOD, Grade.PASS, Grade.FAIL]
LEVEL_ORDER = [InitiativeLevel.GRASSROOTS, InitiativeLevel.PROVINCE]
# Awards and initiatives are read further back than ratings: the national titles look at two
# provincial titles three years apart, the Prime Minister's certificate at a certificate held
# before five excellent years.
HELD_YEARS = 10


class Held(set):
    """(award id, staff id or None, unit id, year) of awards held, with an index by person:
    whether a person holds an award is asked for every person and award of a unit, and a scan
    of the whole set each time made a 3,000-person unit's page take half a minute."""

    def __init__(self, rows=()):
        super().__init__(rows)
        self.by_staff = {(a, s, y) for a, s, _u, y in self}

    def add(self, row):
        super().add(row)
        self.by_staff.add((row[0], row[1], row[3]))

    def __ior__(self, rows):
        for row in rows:
            self.add(row)
        return self


class Person:
    """What the conditions and the eligibility page read of a person, without a model instance:
    building 3,000 StaffMember instances was a fifth of a large unit's page."""

    __slots__ = ("id", "full_name", "position", "recruitment_date", "sector_start_date", "gender",
                 "unit_then")
    FIELDS = __slots__

    def __init__(self, *values):
        for name, value in zip(self.__slots__, values, strict=True):
            setattr(self, name, value)

    @property
    def pk(self):
        return self.id


@dataclass
class Facts:
    """What the conditions of `year` read, for the given people and units.

    `proposed` are (award id, staff id or None, unit id) of this year's proposals: a title that
    needs another title of the same year (CSTĐCS needs LĐTT) counts a proposal as held while the
    list is drafted.
    """

    year: int
    # The day the conditions are judged on: 31/12 of the year for the annual awards, the
    # decision date for the others (the seniority medal's years are counted up to it).
    as_of: datetime.date | None = None
    ratings: dict = field(default_factory=dict)  # (staff id, year) → rating
    held: Held = field(default_factory=Held)  # (award id, staff id or None, unit id, year)
    discipline: dict = field(default_factory=lambda: defaultdict(list))  # staff id → levels
    initiatives: dict = field(default_factory=lambda: defaultdict(list))  # staff id → (level, yr)
    members: dict = field(default_factory=lambda: defaultdict(list))  # unit id → staff
    grades: dict = field(default_factory=dict)  # unit id → campaign class
    # Emulation registration: None when no window was opened for the year (nothing to check),
    # else staff id / unit id → (award id, award order, award name, status).
    registered_staff: dict | None = None
    registered_units: dict | None = None

    @classmethod
    def load(cls, year: int, *, unit_ids, proposed=(), history_years=5,
             as_of=None, light=False) -> "Facts":
        """`light`: the members are `Person`s, not StaffMember instances."""
        facts = cls(year=year, as_of=as_of)
        first = year - history_years + 1
        first_held = year - max(history_years, HELD_YEARS) + 1
        # A past year's people are those the unit had then (after a transfer or a merge too).
        # Unordered (callers order people as they show them: the Vietnamese collation of the
        # default ordering cost a 3,000-person unit's page a tenth of its time on SQLite), and
        # the later queries read the people as a subquery, not as thousands of parameters.
        people = counted_in(unit_ids, year)
        members = (people.order_by("pk").values_list(*Person.FIELDS) if light
                   else people.order_by("pk"))
        for person in members:
            person = Person(*person) if light else person
            facts.members[person.unit_then].append(person)
        staff_ids = people.order_by().values("pk")
        # Read into dicts and sets: the models' default orderings (by name, in Vietnamese
        # collation) would only cost time.
        facts.ratings = {(s, y): r for s, y, r in YearRating.objects.filter(
            staff_id__in=staff_ids, year__range=(first, year)).order_by().values_list(
            "staff_id", "year", "rating")}
        facts.held = Held((a, s, u, y) for a, s, u, y in Conferral.objects.standing().filter(
            Q(staff_id__in=staff_ids) | Q(staff__isnull=True, unit_id__in=unit_ids),
            year__range=(first_held, year)).order_by().values_list("award_id", "staff_id",
                                                                   "unit_id", "year"))
        facts.held |= {(a, s, u, year) for a, s, u in proposed}
        for staff_id, level in Violation.objects.filter(
                kind=ViolationKind.DISCIPLINE, staff_id__in=staff_ids,
                occurred_on__year=year).values_list("staff_id", "discipline_level"):
            facts.discipline[staff_id].append(level)
        for staff_id, level, initiative_year in Initiative.authors.through.objects.filter(
                staffmember_id__in=staff_ids, initiative__year__range=(first_held, year)
        ).values_list("staffmember_id", "initiative__level", "initiative__year"):
            facts.initiatives[staff_id].append((level, initiative_year))
        # A unit's class is the locked result of the year's campaign.
        facts.grades = dict(Sheet.objects.filter(
            unit_id__in=unit_ids, round__kind=Stage.FINAL, round__closed_at__isnull=False,
            round__scheme__stage=Stage.LOCKED, round__scheme__campaign__year=year,
        ).values_list("unit_id", "grade"))
        if RegistrationWindow.objects.filter(year=year).exists():
            fields = ("award_id", "award__order", "award__name")
            facts.registered_staff = {row[0]: row[1:] for row in StaffRegistration.objects.filter(
                year=year, staff_id__in=staff_ids).order_by().values_list(
                "staff_id", *fields, "registration__status")}
            facts.registered_units = {row[0]: row[1:] for row in UnitRegistration.objects.filter(
                year=year, unit_id__in=unit_ids, award__isnull=False).values_list(
                "unit_id", *fields, "status")}
        return facts

    def __post_init__(self):
        if not isinstance(self.held, Held):  # a plain set given (the rules' tests)
            self.held = Held(self.held)

    @property
    def day(self) -> datetime.date:
        return self.as_of or datetime.date(self.year, 12, 31)

    def holds(self, award_id, *, staff_id=None, unit_id=None, year=None) -> bool:
        year = year or self.year
        if staff_id is not None:
            return (award_id, staff_id, year) in self.held.by_staff
        return (award_id, None, unit_id, year) in self.held


@dataclass(frozen=True)
class Check:
    condition: Condition
    met: bool
    reason: str


@dataclass(frozen=True)
class Verdict:
    award: Award
    alternatives: tuple  # of tuples of Check

    @property
    def eligible(self) -> bool:
        return any(all(check.met for check in checks) for checks in self.alternatives)

    @property
    def checks(self) -> tuple:
        """The alternative to show: the first one met, else the one closest to being met."""
        met = [checks for checks in self.alternatives if all(c.met for c in checks)]
        if met:
            return met[0]
        return max(self.alternatives, key=lambda checks: sum(c.met for c in checks),
                   default=())


def conditions_for(period, awards) -> dict:
    """award id → its conditions in the period, grouped by alternative (one query)."""
    grouped = defaultdict(lambda: defaultdict(list))
    for condition in Condition.objects.filter(period=period, award__in=awards).select_related(
            "award", "other_award"):
        grouped[condition.award_id][condition.alternative].append(condition)
    return grouped


def verdict(award, conditions, facts, *, staff=None, unit=None) -> Verdict:
    """Decide each condition of `award` for a person (`staff`) or a unit."""
    alternatives = []
    for _number, group in sorted(conditions.get(award.pk, {}).items()):
        alternatives.append(tuple(_check(c, facts, staff=staff, unit=unit) for c in group))
    return Verdict(award=award, alternatives=tuple(alternatives))


def _check(condition, facts, *, staff, unit) -> Check:
    """Decide one condition with the rule of its predicate, and say why in words."""
    try:
        rule = RULES[condition.predicate]
    except KeyError:
        raise ValueError(f"unknown predicate {condition.predicate}") from None
    found = rule.decide(condition, facts, staff, unit)
    return Check(condition, found.met, str(rule.reasons[found.case]) % found.figures)


@dataclass(frozen=True)
class Found:
    """What a predicate found: whether the condition is met, which of its rule's reason texts
    tells it, and the figures that text is filled with."""

    met: bool
    figures: dict
    case: str = ""


@dataclass(frozen=True)
class Rule:
    """How one kind of condition is decided. `applies_to` says whose titles it can be a
    condition of (individual, collective or both); `reasons` maps each case `decide` can report
    to its text, translated when the check is made."""

    predicate: str
    applies_to: tuple
    decide: Callable  # (condition, facts, staff or None, unit or None) → Found
    reasons: dict


# Each predicate below reads only `facts` (loaded beforehand for every nominee at once), never
# the database: a unit's whole review costs the same few queries however many people it has.

def _rating(condition, facts, staff, unit) -> Found:
    needed = Rating(condition.rating)
    years = _years(condition, facts.year)
    found = [facts.ratings.get((staff.pk, y)) for y in years]
    unrated = _("not rated")
    return Found(all(r in Rating.at_least(needed) for r in found), {
        "found": "; ".join(f"{y}: {Rating(r).label if r else unrated}"
                           for y, r in zip(years, found, strict=True)),
        "needed": needed.label})


def _months_served(condition, facts, staff, unit) -> Found:
    if staff.recruitment_date is None:
        return Found(False, {}, "no date")
    # Served through 31/12: count whole months up to the first day of the next year.
    months = _months_between(staff.recruitment_date, datetime.date(facts.year + 1, 1, 1))
    return Found(months >= condition.number, {
        "date": date_format(staff.recruitment_date, "SHORT_DATE_FORMAT"), "months": months,
        "year": facts.year, "needed": _figure(condition.number)})


def _no_discipline(condition, facts, staff, unit) -> Found:
    return _barred(condition, facts.discipline.get(staff.pk, []), case="disciplined")


def _no_member_discipline(condition, facts, staff, unit) -> Found:
    levels = [level for person in facts.members.get(unit.pk, [])
              for level in facts.discipline.get(person.pk, [])]
    return _barred(condition, levels, case="members disciplined")


def _barred(condition, levels, *, case) -> Found:
    """Disciplinary measures at or above the condition's level among `levels`."""
    barred = DisciplineLevel.at_or_above(condition.discipline_level)
    found = [level for level in levels if level in barred]
    figures = {"level": str(DisciplineLevel(condition.discipline_level).label).lower(),
               "count": len(found),
               "found": ", ".join(str(DisciplineLevel(f).label) for f in found)}
    return Found(not found, figures, case if found else "")


def _initiatives(condition, facts, staff, unit) -> Found:
    allowed = LEVEL_ORDER[LEVEL_ORDER.index(condition.initiative_level):]
    years = set(_years(condition, facts.year))
    count = sum(1 for level, y in facts.initiatives.get(staff.pk, [])
                if level in allowed and y in years)
    needed = int(condition.number or 1)
    return Found(count >= needed, {
        "count": count, "level": InitiativeLevel(condition.initiative_level).label,
        "years": _span(condition, facts.year), "needed": needed})


def _holds(condition, facts, staff, unit) -> Found:
    missing = [y for y in _years(condition, facts.year) if not facts.holds(
        condition.other_award_id, staff_id=staff.pk if staff else None,
        unit_id=unit.pk if unit else None, year=y)]
    result = (_("not held in %(missing)s") % {"missing": ", ".join(str(y) for y in missing)}
              if missing else _("held every year"))
    return Found(not missing, {"award": condition.other_award,
                               "years": _span(condition, facts.year), "result": result})


def _holds_times(condition, facts, staff, unit) -> Found:
    """Held at least `number` times within the last `years` years (CSTĐ cấp tỉnh is conferred
    once in three years: "two consecutive times" is two within six)."""
    held = [y for y in _years(condition, facts.year) if facts.holds(
        condition.other_award_id, staff_id=staff.pk if staff else None,
        unit_id=unit.pk if unit else None, year=y)]
    needed = int(condition.number or 1)
    return Found(len(held) >= needed, {
        "award": condition.other_award, "years": _span(condition, facts.year),
        "count": len(held), "found": ", ".join(str(y) for y in held) or "—", "needed": needed})


def _sector_years(condition, facts, staff, unit) -> Found:
    """Whole years in the sector from the start of service (ngày vào ngành) to the day judged;
    the rule's figure for women when it gives one and the person is recorded as a woman."""
    start = staff.sector_start_date
    women = condition.women_number is not None and staff.gender == Gender.FEMALE
    needed = condition.women_number if women else condition.number
    if start is None:
        return Found(False, {}, "no date")
    years = _months_between(start, facts.day + datetime.timedelta(days=1)) // 12
    return Found(years >= needed, {
        "date": date_format(start, "SHORT_DATE_FORMAT"), "years": years,
        "day": date_format(facts.day, "SHORT_DATE_FORMAT"), "needed": _figure(needed)},
        "women" if women else "")


def _campaign_class(condition, facts, staff, unit) -> Found:
    grade = facts.grades.get(unit.pk)
    met = grade is not None and GRADE_ORDER.index(grade) <= GRADE_ORDER.index(condition.grade)
    return Found(met, {"found": Grade(grade).label if grade else _("no locked result"),
                       "needed": Grade(condition.grade).label})


def _one_member_holding(condition, facts, staff, unit) -> Found:
    count = sum(1 for p in facts.members.get(unit.pk, [])
                if facts.holds(condition.other_award_id, staff_id=p.pk))
    return Found(count >= 1, {"count": count, "award": condition.other_award})


def _members_holding(condition, facts, staff, unit) -> Found:
    return _share(condition, facts.members.get(unit.pk, []), str(condition.other_award),
                  lambda p: facts.holds(condition.other_award_id, staff_id=p.pk))


def _members_rated(condition, facts, staff, unit) -> Found:
    allowed = Rating.at_least(condition.rating)
    return _share(condition, facts.members.get(unit.pk, []),
                  _("rated %(rating)s or better") % {"rating": Rating(condition.rating).label},
                  lambda p: facts.ratings.get((p.pk, facts.year)) in allowed)


def _share(condition, members, what, counts) -> Found:
    """The share of `members` for whom `counts` holds, against the condition's percentage."""
    count = sum(1 for p in members if counts(p))
    share = Decimal(count * 100) / len(members) if members else Decimal(0)
    needed = condition.number
    met = bool(members) and (share > needed if condition.strict else share >= needed)
    return Found(met, {"count": count, "total": len(members), "what": what,
                       "share": _figure(share.quantize(Decimal("0.1"))),
                       "op": _("more than") if condition.strict else _("at least"),
                       "needed": _figure(needed)})


def _registered(condition, facts, staff, unit) -> Found:
    """Registered at the start of the year for this title, or a higher one of the same kind
    (aiming for CSTĐCS covers LĐTT), in a registration the Office accepted. A year with no
    registration opened is not checked: the portal did not ask anyone to register."""
    found = facts.registered_staff if staff is not None else facts.registered_units
    if found is None:
        return Found(True, {"year": facts.year}, "no window")
    row = found.get(staff.pk if staff is not None else unit.pk)
    if row is None:
        return Found(False, {"year": facts.year}, "not registered")
    _award_id, order, name, status = row
    if status != RegistrationStatus.ACCEPTED:
        return Found(False, {"award": name, "year": facts.year}, "not accepted")
    if order < condition.award.order:
        return Found(False, {"award": name}, "lower")
    return Found(True, {"award": name})


INDIVIDUAL, COLLECTIVE = (Subject.INDIVIDUAL,), (Subject.COLLECTIVE,)

#: Every predicate a condition can use, in the order the admin offers them (Predicate).
RULES = {rule.predicate: rule for rule in (
    Rule(Predicate.RATING, INDIVIDUAL, _rating, {
        "": gettext_lazy("Rating %(found)s — needs %(needed)s or better.")}),
    Rule(Predicate.MONTHS_SERVED, INDIVIDUAL, _months_served, {
        "": gettext_lazy("Recruited on %(date)s: %(months)s months by 31/12/%(year)s — needs "
                         "%(needed)s."),
        "no date": gettext_lazy("No recruitment date is recorded.")}),
    Rule(Predicate.NO_DISCIPLINE, INDIVIDUAL, _no_discipline, {
        "": gettext_lazy("No discipline at %(level)s or above."),
        "disciplined": gettext_lazy("Disciplined: %(found)s.")}),
    Rule(Predicate.INITIATIVES, INDIVIDUAL, _initiatives, {
        "": gettext_lazy("%(count)s recognised initiative(s) at %(level)s level or above in "
                         "%(years)s — needs %(needed)s.")}),
    Rule(Predicate.HOLDS, INDIVIDUAL + COLLECTIVE, _holds, {
        "": gettext_lazy("%(award)s in %(years)s: %(result)s.")}),
    Rule(Predicate.MEMBERS_HOLDING, COLLECTIVE, _members_holding, {
        "": gettext_lazy("%(count)s of %(total)s members %(what)s (%(share)s %%) — needs "
                         "%(op)s %(needed)s %%.")}),
    Rule(Predicate.MEMBERS_RATED, COLLECTIVE, _members_rated, {
        "": gettext_lazy("%(count)s of %(total)s members %(what)s (%(share)s %%) — needs "
                         "%(op)s %(needed)s %%.")}),
    Rule(Predicate.ONE_MEMBER_HOLDING, COLLECTIVE, _one_member_holding, {
        "": gettext_lazy("%(count)s member(s) hold %(award)s.")}),
    Rule(Predicate.NO_MEMBER_DISCIPLINE, COLLECTIVE, _no_member_discipline, {
        "": gettext_lazy("No discipline at %(level)s or above."),
        "members disciplined": gettext_lazy("%(count)s member(s) disciplined at %(level)s or "
                                            "above.")}),
    Rule(Predicate.CAMPAIGN_CLASS, COLLECTIVE, _campaign_class, {
        "": gettext_lazy("Campaign class %(found)s — needs %(needed)s or better.")}),
)}

# Issue 16's additions (the national titles, the seniority medal, registration); kept apart
# from the table above so that other additions to RULES merge without touching the same lines.
RULES.update({rule.predicate: rule for rule in (
    Rule(Predicate.HOLDS_TIMES, INDIVIDUAL + COLLECTIVE, _holds_times, {
        "": gettext_lazy("%(award)s in %(years)s: %(count)s time(s) (%(found)s) — needs "
                         "%(needed)s.")}),
    Rule(Predicate.SECTOR_YEARS, INDIVIDUAL, _sector_years, {
        "": gettext_lazy("In the sector since %(date)s: %(years)s full years by %(day)s — "
                         "needs %(needed)s."),
        "women": gettext_lazy("In the sector since %(date)s: %(years)s full years by %(day)s "
                              "— needs %(needed)s (the figure for women)."),
        "no date": gettext_lazy("No start of service in the sector (ngày vào ngành) is "
                                "recorded.")}),
    Rule(Predicate.REGISTERED, INDIVIDUAL + COLLECTIVE, _registered, {
        "": gettext_lazy("Registered for %(award)s at the start of the year."),
        "no window": gettext_lazy("No emulation registration was opened for %(year)s: not "
                                  "checked."),
        "not registered": gettext_lazy("Did not register for %(year)s."),
        "not accepted": gettext_lazy("Registered for %(award)s, but the Office has not "
                                     "accepted the %(year)s registration."),
        "lower": gettext_lazy("Registered only for %(award)s, a lower title.")}),
)})


# --- Who meets a condition, for a whole unit at once ----------------------------------------
# `review_unit` needs every person's verdict (a title counts for the titles after it, the quotas
# and the unit's own titles count its people) but shows the reasons of one page of people: these
# decide an individual condition for everyone in one pass over `facts`, without building the
# reason texts, and must agree with the rules' `decide` above (tests/awards/
# test_eligibility_scale.py compares them). A predicate missing here falls back to `decide`,
# person by person.

def _who_rating(condition, facts, people) -> set:
    allowed = set(Rating.at_least(Rating(condition.rating)))
    ratings = facts.ratings
    ids = {p.id for p in people}
    for y in _years(condition, facts.year):
        ids = {i for i in ids if ratings.get((i, y)) in allowed}
    return ids


def _who_months_served(condition, facts, people) -> set:
    end = datetime.date(facts.year + 1, 1, 1)
    # Counted once per date: a school recruits its teachers on a few dates.
    months = {day: _months_between(day, end) for day in {p.recruitment_date for p in people}
              if day is not None}
    return {p.id for p in people if p.recruitment_date is not None
            and months[p.recruitment_date] >= condition.number}


def _who_no_discipline(condition, facts, people) -> set:
    barred = set(DisciplineLevel.at_or_above(condition.discipline_level))
    disciplined = {i for i, levels in facts.discipline.items()
                   if any(level in barred for level in levels)}
    return {p.id for p in people} - disciplined


def _who_initiatives(condition, facts, people) -> set:
    allowed = LEVEL_ORDER[LEVEL_ORDER.index(condition.initiative_level):]
    years = set(_years(condition, facts.year))
    needed = int(condition.number or 1)  # at least one: people without initiatives never meet
    ids = {p.id for p in people}
    return {i for i, found in facts.initiatives.items() if i in ids and sum(
        1 for level, y in found if level in allowed and y in years) >= needed}


def _who_holds(condition, facts, people) -> set:
    held, award = facts.held.by_staff, condition.other_award_id
    ids = {p.id for p in people}
    for y in _years(condition, facts.year):
        ids = {i for i in ids if (award, i, y) in held}
    return ids


def _who_holds_times(condition, facts, people) -> set:
    held, award = facts.held.by_staff, condition.other_award_id
    needed = int(condition.number or 1)  # at least one: people never holding it never meet
    years, ids = set(_years(condition, facts.year)), {p.id for p in people}
    counts = defaultdict(int)
    for a, i, y in held:  # (award id, staff id, year): one pass over what is held
        if a == award and y in years and i in ids:
            counts[i] += 1
    return {i for i, count in counts.items() if count >= needed}


def _who_sector_years(condition, facts, people) -> set:
    end = facts.day + datetime.timedelta(days=1)
    years = {day: _months_between(day, end) // 12 for day in {p.sector_start_date for p in people}
             if day is not None}
    found = set()
    for p in people:
        women = condition.women_number is not None and p.gender == Gender.FEMALE
        needed = condition.women_number if women else condition.number
        if p.sector_start_date is not None and years[p.sector_start_date] >= needed:
            found.add(p.id)
    return found


def _who_registered(condition, facts, people) -> set:
    found = facts.registered_staff
    if found is None:
        return {p.id for p in people}
    order = condition.award.order
    ok = {i for i, row in found.items()
          if row[3] == RegistrationStatus.ACCEPTED and row[1] >= order}
    return {p.id for p in people if p.id in ok}


WHO = {
    Predicate.RATING: _who_rating,
    Predicate.MONTHS_SERVED: _who_months_served,
    Predicate.NO_DISCIPLINE: _who_no_discipline,
    Predicate.INITIATIVES: _who_initiatives,
    Predicate.HOLDS: _who_holds,
    Predicate.HOLDS_TIMES: _who_holds_times,
    Predicate.SECTOR_YEARS: _who_sector_years,
    Predicate.REGISTERED: _who_registered,
}


def who_meets(condition, facts, people) -> set:
    """The ids of the `people` who meet an individual `condition` (WHO, else `decide`)."""
    who = WHO.get(condition.predicate)
    if who is not None:
        return who(condition, facts, people)
    decide = RULES[condition.predicate].decide
    return {p.id for p in people if decide(condition, facts, p, None).met}


def who_eligible(award, conditions, facts, people) -> set:
    """The ids of the `people` who meet every condition of one of the award's alternatives."""
    found = set()
    for _number, group in sorted(conditions.get(award.pk, {}).items()):
        # Each condition is asked only of those who met the ones before it.
        candidates = people
        for condition in group:
            meeting = who_meets(condition, facts, candidates)
            if len(meeting) < len(candidates):
                candidates = [p for p in candidates if p.id in meeting]
        found.update(p.id for p in candidates)
    return found


def _years(condition, year):
    return list(range(year - condition.years + 1, year + 1))

def _months_between(start: datetime.date, end: datetime.date) -> int:
    """Whole months from `start` to `end` (a month counts once its day is reached)."""
    months = (end.year - start.year) * 12 + end.month - start.month
    last_day = calendar.monthrange(end.year, end.month)[1]
    if end.day < min(start.day, last_day):
        months -= 1
    return max(0, months)


def _span(condition, year) -> str:
    return str(year) if condition.years == 1 else f"{year - condition.years + 1}–{year}"


def _figure(value) -> str:
    return shown(value)


@dataclass(frozen=True)
class QuotaStatus:
    quota: Quota
    count: int
    allowed: int
    base: int

    @property
    def ok(self) -> bool:
        return self.count <= self.allowed


def quota_status(quota, facts, unit) -> QuotaStatus:
    """How many of the unit's people hold or are proposed for the award, against the quota."""
    members = facts.members.get(unit.pk, [])
    count = sum(1 for p in members if facts.holds(quota.award_id, staff_id=p.pk))
    base = sum(1 for p in members if facts.holds(quota.base_award_id, staff_id=p.pk))
    allowed = int(Decimal(base) * quota.percent / 100)
    return QuotaStatus(quota=quota, count=count, allowed=allowed, base=base)




@dataclass(frozen=True)
class UnitReview:
    """A unit's year at a glance: who meets every individual award, the unit's verdict on every
    collective one, and where the quotas stand. The reasons of a person's verdicts are built
    on demand (`rows`) for the people a page shows: the texts of a 3,000-person unit took
    seconds to build, and nobody reads them all at once."""

    period: object
    persons: list  # the unit's people, in name order
    individual: list  # the individual awards, in catalogue order
    collective: list  # Verdicts of the unit
    quotas: list  # QuotaStatus
    eligible: dict  # individual award id → ids of the people who meet it
    conditions: dict = field(repr=False)
    facts: Facts = field(repr=False)
    held_before: frozenset = field(repr=False)  # facts.held before this review's additions

    def rows(self, persons) -> list:
        """(person, [Verdict per individual award]) for `persons`, with the reasons, decided as
        `review_unit` did: whoever meets a title holds it for the titles after it."""
        facts = replace(self.facts, held=Held(self.held_before))
        rows = {person.pk: (person, []) for person in persons}
        for award in self.individual:
            for person, verdicts in rows.values():
                verdicts.append(verdict(award, self.conditions, facts, staff=person))
            for pk in rows.keys() & self.eligible[award.pk]:
                facts.held.add((award.pk, pk, rows[pk][0].unit_then, facts.year))
        return list(rows.values())

    @cached_property
    def people(self) -> list:
        """(person, [Verdict per individual award]) for everyone (`rows`)."""
        return self.rows(self.persons)


def verdict_on(award, day: datetime.date, *, staff=None, unit=None) -> Verdict | None:
    """One person's or unit's verdict on an award decided on `day`, by the law in force that
    day (LegalPeriod.objects.for_date): how the awards outside the annual cycle are judged —
    a medal signed on 30/06/2025 reads Decree 98/2023, one signed on 01/07/2025 Decree 152/2025.
    None when no period covers the day."""
    period = LegalPeriod.objects.for_date(day)
    if period is None:
        return None
    unit_id = staff.unit_id if staff is not None else unit.pk
    facts = Facts.load(day.year, unit_ids=[unit_id], as_of=day)
    if staff is not None:
        staff = next((p for p in facts.members.get(unit_id, []) if p.pk == staff.pk), staff)
    return verdict(award, conditions_for(period, [award]), facts, staff=staff, unit=unit)


def review_unit(unit, year, *, cycle=Cycle.ANNUAL, light=False) -> UnitReview | None:
    """Everything the conditions say about a unit's people and the unit itself for a year.

    Awards are decided in catalogue order and whoever meets one counts as holding it for the
    awards after it (CSTĐCS needs LĐTT of the same year), as when the list is drafted.
    Only the awards of one nomination `cycle`: the year-end review proposes the annual ones; a
    topic award waits for its campaign's end, a seniority medal for its years.
    None when no legal period covers the year. `light`: the people are `Person`s, enough to
    show them, not StaffMember instances (which a list's nominees need).
    """
    period = LegalPeriod.objects.for_year(year)
    if period is None:
        return None
    awards = list(Award.objects.filter(cycle=cycle))
    conditions = conditions_for(period, awards)
    facts = Facts.load(year, unit_ids=[unit.pk], light=light)
    held_before = frozenset(facts.held)
    people = sorted(facts.members.get(unit.pk, []), key=lambda p: person_key(p.full_name))
    individual = [a for a in awards if a.subject == Subject.INDIVIDUAL and a.pk in conditions]
    eligible = {}
    for award in individual:
        eligible[award.pk] = who_eligible(award, conditions, facts, people)
        facts.held |= {(award.pk, pk, unit.pk, year) for pk in eligible[award.pk]}
    collective = []
    for award in awards:
        if award.subject == Subject.COLLECTIVE and award.pk in conditions:
            result = verdict(award, conditions, facts, unit=unit)
            collective.append(result)
            if result.eligible:
                facts.held.add((award.pk, None, unit.pk, year))
    quotas = [quota_status(quota, facts, unit)
              for quota in Quota.objects.filter(period=period).select_related("award",
                                                                             "base_award")]
    return UnitReview(period=period, persons=people, individual=individual,
                      collective=collective, quotas=quotas, eligible=eligible,
                      conditions=conditions, facts=facts, held_before=held_before)
