"""The current year for the demo: the 2022 plan copied to the year of "today" and launched.

`manage.py load_demo` sets the 2022 plan as the seed's year, closed and decided. So that a
newcomer also sees a campaign in progress, the Office copies it to the current year with the
portal's own copy service, brings the copy up to date (issue date, the legal bases of the year,
the year in the text), launches it and most units confirm dissemination. The tasks and scoring
demos then add the year's tasks, with deadlines around today, and an open self-assessment.

Everything is placed relative to `today` (the command's --today, by default the real date), so
the demo is live whenever it is loaded; the draws come from random.Random seeded with that day,
so one day always gives the same data. The plan is launched three weeks before today at the
latest (in December of the year before when today is early in January), so even a January
demo has a few periods already due.

Keys: the live plan is the one copied from the 2022 plan (whatever its year). When it exists,
nothing is written: a demo loaded last month keeps its dates rather than growing a second
current year.
"""

import datetime
import random
import zoneinfo
from dataclasses import dataclass

from core.audit.trail import dated, record
from units.demo import head_of

from . import services
from .models import Campaign, Dissemination

TZ = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
D = datetime.date
DAY = datetime.timedelta(days=1)

SEED_YEAR = 2022
NUMBER = "12"  # invented: the number of the current year's plan
CONFIRMING = 0.85  # share of units that have confirmed dissemination by today


@dataclass(frozen=True)
class LiveYear:
    """When things happen in the current year's campaign, all derived from `today`."""

    today: datetime.date
    launched_on: datetime.date

    @property
    def year(self) -> int:
        return self.today.year

    @property
    def issued_on(self) -> datetime.date:
        return self.launched_on - 3 * DAY

    @property
    def plan_basis_on(self) -> datetime.date:
        """The department's own administrative-reform plan of the year (the last legal basis)."""
        return self.issued_on - 8 * DAY

    @property
    def launched_at(self) -> datetime.datetime:
        return at(self.launched_on, 8)

    @property
    def assigned_at(self) -> datetime.datetime:
        """When the Office creates and assigns the year's tasks."""
        return at(self.launched_on + 2 * DAY, 9)

    @property
    def last(self) -> datetime.datetime:
        """Nothing in the demo happens after the end of yesterday's office hours."""
        return at(self.today - DAY, 17, 30)


def at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=TZ)


def working_day(day: datetime.date) -> datetime.date:
    """The day itself, or the Friday before when it falls on a weekend."""
    return day - max(0, day.weekday() - 4) * DAY


def live_year(today: datetime.date) -> LiveYear:
    launched_on = working_day(min(D(today.year, 1, 17), today - 21 * DAY))
    return LiveYear(today=today, launched_on=launched_on)


def for_year(text: str, live: LiveYear) -> str:
    """A 2022 text of the plan, its tasks or its scheme, as the Office rewrites it for the
    current year: the year, the school year, and the date of the department's own plan."""
    year = live.year
    text = text.replace("ngày 04/01/2022", f"ngày {live.plan_basis_on:%d/%m/%Y}")
    text = text.replace("2022 – 2023", f"{year} – {year + 1}")
    text = text.replace("2021-2022", f"{year - 1}-{year}")
    return text.replace("2022", str(year))


def live_campaign(seed: Campaign) -> Campaign | None:
    """The demo's current-year plan: the one copied from the 2022 plan."""
    return Campaign.objects.filter(copied_from=seed).order_by("-year", "pk").first()


def _legal_bases(live: LiveYear) -> dict:
    """The two legal bases that change every year (by order), invented for the current year."""
    year = live.year
    return {
        3: {"number": "3105/QĐ-UBND",
            "date": min(D(year - 1, 12, 27), live.plan_basis_on - 6 * DAY),
            "subject": "ban hành Kế hoạch cải cách hành chính nhà nước năm "
                       f"{year} trên địa bàn tỉnh Bình Phước"},
        4: {"number": "03/KH-SGDĐT", "date": live.plan_basis_on,
            "subject": f"ban hành Kế hoạch cải cách hành chính Nhà nước năm {year}"},
    }


def _bring_up_to_date(copy: Campaign, live: LiveYear, office_user) -> None:
    """What the Office edits on the copied draft before launching it, with its audit line."""
    before = {"issued_on": None, "purposes": copy.purposes, "requirements": copy.requirements}
    after = {"issued_on": live.issued_on, "purposes": for_year(copy.purposes, live),
             "requirements": for_year(copy.requirements, live)}
    Campaign.objects.filter(pk=copy.pk).update(**after)
    bases = _legal_bases(live)
    for basis in copy.legal_bases.filter(order__in=bases):
        for name, value in bases[basis.order].items():
            setattr(basis, name, value)
        basis.save()
    # As campaigns.services.save_campaign records an edit made on the form.
    with dated(live.launched_at - 2 * DAY):
        record(actor=office_user, action="campaign.edit", target=copy, before=before,
               after={**after, "issued_on": live.issued_on.isoformat(),
                      "sections": {"bases": {"added": 0, "changed": len(bases), "deleted": 0}}})


def _confirm(campaign: Campaign, live: LiveYear, rng: random.Random) -> None:
    """Most units confirm dissemination, each by its head, in the weeks after the launch."""
    first = live.launched_on + DAY
    last = min(live.launched_on + 28 * DAY, live.today - DAY)
    days = [first + n * DAY for n in range((last - first).days + 1)]
    days = [day for day in days if day.weekday() < 5] or [last]
    pending = (Dissemination.objects.filter(campaign=campaign).select_related("unit")
               .order_by("unit__order", "unit__code"))
    for dissemination in pending:
        confirms = rng.random() < CONFIRMING
        day, absent = rng.choice(days), rng.choice([0, 0, 0, 1, 2])
        hour, minute = rng.choice([8, 9, 10, 14, 15, 16]), rng.choice(range(0, 60, 5))
        head = head_of(dissemination.unit)
        if not confirms or head is None:
            continue
        when = at(day, hour, minute)
        with dated(when):
            services.confirm_dissemination(
                dissemination=dissemination,
                data={"disseminated_on": day,
                      "staff_reached": max(1, (dissemination.unit.headcount or 1) - absent),
                      "note": rng.choice(["", "", "Phổ biến tại cuộc họp cơ quan.",
                                          "Đã gửi Kế hoạch qua hệ thống quản lý văn bản."])},
                user=head, expected_version=dissemination.version)
        Dissemination.objects.filter(pk=dissemination.pk).update(confirmed_at=when)


def load_live_plan(*, seed: Campaign, office_user, today: datetime.date) -> dict:
    """Copy the 2022 plan to today's year, bring it up to date, launch it and confirm
    dissemination for most units (CONFIRMING).

    Side effects: the copy and its sections (campaigns.services.copy_to_year), its
    Dissemination rows (launch, confirm_dissemination) and their audit lines, dated from the
    copy to yesterday. Writes nothing when a copy of the 2022 plan exists, or when today is
    not after 2022. Returns {"campaign" (the live plan, if any), "live" (a LiveYear when
    created now, else None: the other demos then write nothing for it either), "created"}.
    """
    live = live_year(today)
    existing = live_campaign(seed)
    if existing is not None:
        return {"campaign": existing, "live": None, "created": False}
    if live.year <= SEED_YEAR or Campaign.objects.filter(
            number=NUMBER, symbol=seed.symbol, year=live.year).exists():
        return {"campaign": None, "live": None, "created": False}
    with dated(live.launched_at - 3 * DAY):
        copy = services.copy_to_year(source=seed, year=live.year, number=NUMBER,
                                     user=office_user)
    Campaign.objects.filter(pk=copy.pk).update(created_at=live.launched_at - 3 * DAY)
    _bring_up_to_date(copy, live, office_user)
    with dated(live.launched_at):
        services.launch(campaign=copy, user=office_user)
    Campaign.objects.filter(pk=copy.pk).update(launched_at=live.launched_at)
    _confirm(copy, live, random.Random(f"plan {today.isoformat()}"))
    copy.refresh_from_db()
    return {"campaign": copy, "live": live, "created": True}

