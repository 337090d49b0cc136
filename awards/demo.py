"""Year-end ratings and award history for the demo: the data the 2022 commendation round reads.

Used by `manage.py load_demo` through `load(context)`, last of all the apps. The department
rates its people every December and the Director (or, for province-level awards, the Chairman
of the Provincial People's Committee) confers the titles a few days later. The demo enters:

- the 2022 year-end ratings of every active staff member of every unit, entered by the unit's
  head (the Office when the unit has no head account) on 20/12/2022: as many "excellent" as the
  cap allows (about 13 %: the units are small and the cap rounds down), about 70 % "good", the
  rest "completed", and one "failed" at THPT Nguyễn Du and one at THPT
  Đắk Ơ. No unit passes the excellent cap of the legal period (awards.ratings.Cap);
- the 2020 and 2021 ratings of about half of the staff (the "veterans", all recruited before
  2020), mostly good, within the cap (which, on 2–4 people a unit, allows no "excellent"),
  entered on 15/12 of the year;
- the award history of 2019–2021: Lao động tiên tiến for most veterans rated good or better (for
  2019, which has no ratings, for most veterans recruited by February 2019); Chiến sĩ thi đua cơ
  sở for one or two "stars" of every school in some of the years, so several people hold it for
  2 or 3 years in a row by 2021; a Bằng khen of the Provincial Chairman in 2020 for the stars
  with CSTĐCS 2019 and 2020; Tập thể lao động tiên tiến for several units in 2020 and 2021 and
  Tập thể lao động xuất sắc for THPT Chuyên Quang Trung in 2021. One 2021 LĐTT at THPT Đồng
  Phú was revoked on 15/03/2022 (the application overstated the person's achievements);
- two staff records that are very likely the same person, for the duplicate detector: "Nguyễn
  Thị Thu Hà", a teacher at THPT Hùng Vương, and "Nguyen Thi Thu Ha" at THPT Đồng Xoài, both
  recruited on 05/09/2011, both rated good and awarded LĐTT in 2020.

Rows are written directly (no audit lines: they stand for paper records of earlier years) and
back-dated. Keys: ratings by (staff, year), and a unit's ratings for a year are left alone when
it already has any; conferrals by (award, year, staff) or (award, year, unit); the two records
by (unit, full name). So a second run creates nothing. Every draw comes from random.Random
seeded with the unit's code, in a fixed order, so every machine gets the same people.
"""

import datetime
import random
import zoneinfo
from dataclasses import dataclass, field
from importlib import import_module

from django.apps import apps as django_apps
from django.contrib.auth import get_user_model
from django.db.models import Count
from django.utils import timezone

from campaigns import services as campaign_services
from campaigns.models import Campaign, CampaignStatus
from core.audit.trail import dated
from tasks import tallies
from tasks.demo_yearend import close_out_2022
from units.demo import OFFICE_USERNAME, head_of
from units.models import Gender, Role, StaffCategory, StaffMember, Unit, UnitKind

from .demo_bonus import load_bonus
from .demo_certificates import load_certificate_layout
from .demo_clusters import load_cluster_proposals
from .demo_dossiers import load_dossier
from .demo_nominations import load_nominations
from .demo_register import load_register
from .demo_registration import load_registrations
from .demo_special import load_special
from .models import (
    Award,
    Conferral,
    Decision,
    Proposal,
    ProposalStage,
    Rating,
    YearRating,
)
from .ratings import GOOD_OR_BETTER, cap_for

TZ = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
D = datetime.date

LDTT, CSTDCS = "lao-dong-tien-tien", "chien-si-thi-dua-co-so"
TTLDTT, TTLDXS = "tap-the-lao-dong-tien-tien", "tap-the-lao-dong-xuat-sac"
BK = "bang-khen-chu-tich-ubnd-tinh"

YEAR = 2022
HISTORY = (2019, 2020, 2021)
RATED_HISTORY = (2020, 2021)
# When each year's ratings were entered.
ENTERED = {2020: D(2020, 12, 15), 2021: D(2021, 12, 15), 2022: D(2022, 12, 20)}

# (award, year) -> (decision, date). The Director decides the grassroots titles; the Provincial
# People's Committee the Bằng khen and Tập thể lao động xuất sắc.
DECISIONS = {
    (LDTT, 2019): ("1586/QĐ-SGDĐT", D(2019, 12, 20)),
    (CSTDCS, 2019): ("1587/QĐ-SGDĐT", D(2019, 12, 20)),
    (LDTT, 2020): ("1642/QĐ-SGDĐT", D(2020, 12, 22)),
    (CSTDCS, 2020): ("1643/QĐ-SGDĐT", D(2020, 12, 22)),
    (TTLDTT, 2020): ("1644/QĐ-SGDĐT", D(2020, 12, 22)),
    (BK, 2020): ("3125/QĐ-UBND", D(2020, 12, 28)),
    (LDTT, 2021): ("1718/QĐ-SGDĐT", D(2021, 12, 21)),
    (CSTDCS, 2021): ("1719/QĐ-SGDĐT", D(2021, 12, 21)),
    (TTLDTT, 2021): ("1720/QĐ-SGDĐT", D(2021, 12, 21)),
    (TTLDXS, 2021): ("3342/QĐ-UBND", D(2021, 12, 29)),
}

# Units that were Tập thể lao động tiên tiến, by year; and the one Tập thể lao động xuất sắc.
COLLECTIVE_ADVANCED = {
    2020: ["van-phong", "phong-tccb", "thanh-tra", "thpt-chuyen-quang-trung",
           "thpt-chuyen-binh-long", "thpt-dong-xoai", "thpt-loc-ninh", "thpt-chon-thanh"],
    2021: ["van-phong", "phong-khtc", "phong-gdtrh", "thanh-tra", "thpt-chuyen-binh-long",
           "thpt-hung-vuong", "thpt-dong-xoai", "thpt-phuoc-binh", "thpt-nguyen-hue",
           "pt-dtnt-tinh"],
}
COLLECTIVE_EXCELLENT = (2021, "thpt-chuyen-quang-trung")

# One person "failed" in 2022 at each of these units.
FAILED_UNITS = {"thpt-nguyen-du", "thpt-dak-o"}

# The CSTĐCS years of a school's stars, drawn in this order of preference.
STAR_PATTERNS = [(2019, 2020, 2021), (2020, 2021), (2020, 2021), (2021,), (2019, 2020)]

# The Office closes the 2022 plan after the last decision of the year (30/12/2022, 15:00).
CLOSED_AT = datetime.datetime(2022, 12, 30, 16, 30, tzinfo=TZ)

REVOKED_UNIT = "thpt-dong-phu"
REVOKED_AT = datetime.datetime(2022, 3, 15, 9, 0, tzinfo=TZ)
REVOKED_REASON = "Hồ sơ đề nghị khen thưởng kê khai không đúng thành tích"


@dataclass(frozen=True)
class Twin:
    unit: str
    full_name: str


TWINS = [Twin("thpt-hung-vuong", "Nguyễn Thị Thu Hà"), Twin("thpt-dong-xoai", "Nguyen Thi Thu Ha")]
TWIN_HIRED = D(2011, 9, 5)


@dataclass
class Plan:
    """What one unit should have: ratings[(staff id, year)], conferrals {(award, year, staff)}."""

    ratings: dict = field(default_factory=dict)
    conferrals: set = field(default_factory=set)
    revoke: tuple | None = None


def _at(day: datetime.date, hour: int = 9) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=TZ)


def _allowed(cap, good_or_better: int, fallback: float) -> int:
    return cap.allowed(good_or_better) if cap else int(good_or_better * fallback)


def _rate(rng, people, *, year, cap, completed_share, failed=0, first=()):
    """{staff id: rating} for `people`: `failed`, then about `completed_share` completed, the
    most the cap allows excellent (those in `first` before the others), the rest good."""
    people = list(people)
    rng.shuffle(people)
    pool = [p for p in people if p.pk not in first]
    result = {}
    for person in pool[:failed]:
        result[person.pk] = Rating.FAILED
    pool = pool[failed:]
    completed = round(len(people) * completed_share + rng.uniform(-0.5, 0.5))
    completed = max(0, min(completed, len(pool)))
    # Small units: rate fewer "completed" rather than lose the one "excellent" the cap allows.
    rateable = len(people) - failed  # the stars in `first` are never "completed"
    while completed and (_allowed(cap, rateable - completed, 0.18)
                         < _allowed(cap, rateable, 0.18)):
        completed -= 1
    for person in pool[len(pool) - completed:]:
        result[person.pk] = Rating.COMPLETED
    pool = pool[:len(pool) - completed]
    ranked = [p for p in people if p.pk in first] + pool
    excellent = min(len(ranked), _allowed(cap, len(ranked), 0.18))
    for i, person in enumerate(ranked):
        result[person.pk] = Rating.EXCELLENT if i < excellent else Rating.GOOD
    return result


def plan_unit(unit, people, caps) -> Plan:
    """The ratings and individual conferrals of one unit (a pure function of its staff)."""
    rng = random.Random(f"awards-{unit.code}")
    plan = Plan()
    people = sorted(people, key=lambda p: p.pk)
    twins = {p.pk for p in people if (unit.code, p.full_name) in
             {(t.unit, t.full_name) for t in TWINS}}
    others = [p for p in people if p.pk not in twins]
    seniors = [p for p in others if p.recruitment_date and p.recruitment_date.year < 2020]
    veterans = sorted(rng.sample(seniors, min(len(seniors), (len(others) + 1) // 2)),
                      key=lambda p: p.pk)

    stars = {}
    if unit.kind == UnitKind.SCHOOL and veterans:
        count = 1 if len(veterans) < 20 or rng.random() < 0.5 else 2
        for star in rng.sample(veterans, count):
            stars[star.pk] = rng.choice(STAR_PATTERNS)

    for year in RATED_HISTORY:
        rated = _rate(rng, veterans, year=year, cap=caps[year], completed_share=0.05,
                      first=[pk for pk, years in stars.items() if year in years])
        for pk, rating in rated.items():
            plan.ratings[(pk, year)] = rating
    for pk in twins:
        plan.ratings[(pk, 2020)] = Rating.GOOD
        plan.conferrals.add((LDTT, 2020, pk))

    for person in veterans:
        for year in HISTORY:
            served = person.recruitment_date <= D(year, 2, 28)
            if year == 2019:
                good = served and rng.random() < 0.85
            else:
                good = served and plan.ratings[(person.pk, year)] in GOOD_OR_BETTER \
                    and rng.random() < 0.92
            star = year in stars.get(person.pk, ())
            if good or star:
                plan.conferrals.add((LDTT, year, person.pk))
            if star:
                plan.conferrals.add((CSTDCS, year, person.pk))
        if {2019, 2020} <= set(stars.get(person.pk, ())):
            plan.conferrals.add((BK, 2020, person.pk))

    # 2022: everyone active; the stars of 2021 first in line for "excellent".
    first = [pk for pk, years in stars.items() if 2021 in years]
    failed = 1 if unit.code in FAILED_UNITS else 0
    for pk, rating in _rate(rng, people, year=YEAR, cap=caps[YEAR], completed_share=0.17,
                            failed=failed, first=first).items():
        plan.ratings[(pk, YEAR)] = rating

    if unit.code == REVOKED_UNIT:
        held = sorted(pk for award, year, pk in plan.conferrals
                      if award == LDTT and year == 2021 and pk not in stars)
        if held:
            plan.revoke = (LDTT, 2021, held[0])
    return plan


def _twins(created: dict) -> None:
    for twin in TWINS:
        unit = Unit.objects.get(code=twin.unit)
        _, was_created = StaffMember.objects.get_or_create(
            unit=unit, full_name=twin.full_name,
            defaults={"position": "Giáo viên", "category": StaffCategory.PUBLIC_EMPLOYEE,
                      "role": Role.STAFF, "recruitment_date": TWIN_HIRED, "is_active": True,
                      "gender": Gender.FEMALE, "sector_start_date": TWIN_HIRED})
        created["staff"] += was_created


def load_awards(*, office_user) -> dict:
    created = {"staff": 0, "ratings": 0, "conferrals": 0, "revoked": 0}
    _twins(created)
    awards = {award.code: award for award in Award.objects.all()}
    caps = {year: cap_for(year) for year in (*RATED_HISTORY, YEAR)}
    units = list(Unit.objects.filter(staff__is_active=True).distinct().order_by("order", "code"))
    existing_ratings = set(YearRating.objects.values_list("staff__unit_id", "year").distinct())
    existing_conferrals = set(Conferral.objects.values_list("award__code", "year", "staff_id",
                                                            "unit_id"))
    rating_rows, conferral_rows, revoke = [], [], None
    for unit in units:
        people = list(StaffMember.objects.active().filter(unit=unit))
        plan = plan_unit(unit, people, caps)
        entered_by = head_of(unit) or office_user
        for (pk, year), rating in sorted(plan.ratings.items()):
            if (unit.pk, year) not in existing_ratings:
                rating_rows.append(YearRating(staff_id=pk, year=year, rating=rating,
                                              entered_by=entered_by))
        for code, year, pk in sorted(plan.conferrals):
            if (code, year, pk, unit.pk) in existing_conferrals:
                continue
            decision, decided_on = DECISIONS[(code, year)]
            row = Conferral(award=awards[code], year=year, staff_id=pk, unit=unit,
                            decision=decision, decided_on=decided_on)
            if plan.revoke == (code, year, pk):
                row.revoked_at, row.revoked_reason = REVOKED_AT, REVOKED_REASON
                revoke = row
            conferral_rows.append(row)
    by_code = {unit.code: unit for unit in Unit.objects.all()}
    collective = [(TTLDTT, year, code) for year, codes in COLLECTIVE_ADVANCED.items()
                  for code in codes]
    collective.append((TTLDXS, *COLLECTIVE_EXCELLENT))
    for code, year, unit_code in collective:
        unit = by_code.get(unit_code)
        if unit is None or (code, year, None, unit.pk) in existing_conferrals:
            continue
        decision, decided_on = DECISIONS[(code, year)]
        conferral_rows.append(Conferral(award=awards[code], year=year, unit=unit,
                                        decision=decision, decided_on=decided_on))

    YearRating.objects.bulk_create(rating_rows, batch_size=500)
    Conferral.objects.bulk_create(conferral_rows, batch_size=500)
    # Back-date: entered_at is auto_now, so a queryset update (which bypasses it) sets it.
    for year, day in ENTERED.items():
        pks = [row.pk for row in rating_rows if row.year == year]
        if pks:
            YearRating.objects.filter(pk__in=pks).update(entered_at=_at(day, 16))
    created["ratings"] = len(rating_rows)
    created["conferrals"] = len(conferral_rows)
    created["revoked"] = int(revoke is not None)
    return created


def ensure_catalogue() -> None:
    """Put back the catalogue and the law of each period if the database was flushed since
    migrating (`manage.py flush`, or a test that commits): the migrations loaded them once."""
    if Award.objects.exists():
        return
    for module, step in (("0002_catalogue", "load"), ("0003_excellent_cap", "set_caps")):
        getattr(import_module(f"awards.migrations.{module}"), step)(django_apps, None)


def close_year(*, office_user) -> dict:
    """The end of 2022: the units send what they still owe and the Office reviews it
    (tasks.demo_yearend), then the Office closes the plan once its decision is signed. The year
    is history; the current year's plan is the one people work on. Nothing when the plan is
    not launched. Returns {"reports" finished, "closed"}."""
    campaign = Campaign.objects.filter(year=YEAR, status=CampaignStatus.LAUNCHED).first()
    if campaign is None:
        return {"reports": 0, "closed": False}
    finished = close_out_2022(campaign=campaign)
    # The back-dating rewrote when reports were sent, past the services: recount.
    tallies.rebuild()
    with dated(CLOSED_AT):
        campaign_services.close(campaign=campaign, user=office_user)
    return {"reports": finished["reports"], "closed": True}


def load(context: dict) -> None:
    """`load_demo` hook: ratings for 2020–2022, the award history of 2019–2021, the 2022
    commendation round, then the 2022 plan closed. For the current year only its emulation
    registration (awards.demo_registration): its ratings, lists and decisions come after it
    ends."""
    ensure_catalogue()
    office_user = context.get("office_user") or get_user_model().objects.get(
        username=OFFICE_USERNAME)
    created = load_awards(office_user=office_user)
    total = sum(created.values())
    round_ = load_nominations()
    closed = close_year(office_user=office_user)
    special = load_special()
    paid = load_bonus(office_user=office_user)
    dossier = load_dossier(office_user=office_user)
    registered = load_registrations(office_user=office_user,
                                    today=context.get("today") or timezone.localdate())
    met = load_cluster_proposals(office_user=office_user,
                                 today=context.get("today") or timezone.localdate())
    blanks = load_certificate_layout()
    letters = load_register(office_user=office_user,
                            today=context.get("today") or timezone.localdate())
    context.setdefault("summary", []).extend([
        f"{'Award history:':<16}"
        + (f"{created['ratings']} ratings, {created['conferrals']} conferrals and "
           f"{created['staff']} staff records created" if total
           else "0 rows created (nothing to do)"),
        f"{'Commendation:':<16}{round_['proposals']} lists and {round_['decisions']} "
        f"decision(s) created for {YEAR}"
        + (f"; {closed['reports']} reports finished at year end and the plan closed"
           if closed["closed"] else ""),
        f"{'Bonus money:':<16}{paid['income']} income entries and {paid['payouts']} payout "
        f"list(s) in the {YEAR} reward fund",
        f"{'Out of cycle:':<16}{special} topic proposal(s) for {YEAR} awaiting the Office",
        f"{'Dossiers:':<16}{dossier} draft dossier(s) upward for {YEAR} (the province's "
        "TTLĐXS; the seniority medal accepted, to the Ministry)",
        f"{'Registration:':<16}{registered['units']} units registered for "
        f"{registered['year']} (accepted, late, returned, being filled in)"
        if registered["units"] else f"{'Registration:':<16}0 rows created (nothing to do)",
        f"{'Meetings:':<16}{met['meetings']} proposal(s) recorded for {met['year']} "
        "(the candidates on their schools' draft lists)",
        f"{'Certificates:':<16}{blanks} layout(s) of the Giấy khen blank created",
        f"{'Register:':<16}{letters} letter(s) and notice(s) beside the decisions in the "
        "register of outgoing documents",
    ])


def summary(context: dict) -> list[tuple]:
    """`load_demo` hook, after every loader: ratings, lists, decisions and conferrals per
    year, as stored (stages as stored)."""
    years = sorted(set(YearRating.objects.values_list("year", flat=True).distinct())
                   | set(Conferral.objects.values_list("year", flat=True).distinct())
                   | set(Proposal.objects.values_list("year", flat=True).distinct())
                   | set(Campaign.objects.values_list("year", flat=True).distinct()))
    rows = []
    for year in years:
        ratings = YearRating.objects.filter(year=year)
        by_rating = dict(ratings.values_list("rating").annotate(n=Count("pk")).order_by())
        conferrals = Conferral.objects.filter(year=year)
        stages = dict(Proposal.objects.filter(year=year).values_list("stage")
                      .annotate(n=Count("pk")).order_by())
        decisions = list(Decision.objects.filter(year=year).order_by("signed_on", "pk"))
        if by_rating:
            rows.append((year, "Ratings:", f"{sum(by_rating.values())} ("
                         + ", ".join(f"{by_rating.get(r, 0)} {r}" for r in Rating.values)
                         + ")"))
        if conferrals.exists():
            rows.append((year, "Conferrals:", f"{conferrals.count()} "
                         f"({conferrals.exclude(revoked_at=None).count()} revoked)"))
        if stages:
            rows.append((year, "Lists:", f"{sum(stages.values())} ("
                         + ", ".join(f"{stages.get(s, 0)} {s}" for s in ProposalStage.values)
                         + ")"))
        if decisions:
            rows.append((year, "Decisions:", "; ".join(
                f"{d.number} ({d.conferrals.count()} conferrals)" for d in decisions)))
        if not (by_rating or stages or decisions or conferrals.exists()):
            rows.append((year, "Awards:", "no ratings, lists or decisions yet"))
    return rows
