"""The current year of the demo on any day: the generator given fixed days, and a January load.

The generator takes "today" as a parameter (load_demo --today), so these tests pass the day in
rather than moving the clock: mid-January (a plan launched in December, few periods due yet),
midsummer (a quarter ending today), early December, New Year's Eve and the second of January.
"""

import datetime
import random

import pytest
from django.utils import timezone

from campaigns.demo_live import for_year, live_year
from campaigns.models import Campaign, CampaignStatus
from scoring.models import Scheme, Stage
from tasks.demo_live import OFFSETS, live_specs, plan_live_report
from tasks.models import Assignment, Cadence, ReportStatus, periods_for
from tests.demo_data import FAST_HASHER, load

D = datetime.date
DAYS = [D(2026, 1, 15), D(2026, 6, 30), D(2026, 12, 4), D(2026, 12, 31), D(2027, 1, 2)]
WEEK = datetime.timedelta(days=7)
SENT = (ReportStatus.SUBMITTED, ReportStatus.ACCEPTED)


def status_after(steps) -> str | None:
    """A report's status once its steps are played (None: no report)."""
    status = None
    for step in steps:
        if step.action == "save":
            status = status if status == ReportStatus.RETURNED else ReportStatus.DRAFT
        elif step.action == "submit":
            status = ReportStatus.SUBMITTED
        elif step.action == "return":
            status = ReportStatus.RETURNED
        elif step.action == "accept":
            status = ReportStatus.ACCEPTED
    return status


def simulate(today, units=3):
    """[(period, steps)] of `units` units on every task of the year, as load_demo draws them."""
    live = live_year(today)
    rng = random.Random(f"tasks {today.isoformat()}")
    played = []
    for spec in live_specs(live):
        periods = periods_for(spec.cadence, live.year, spec.deadline)
        for _unit in range(units):
            for index, period in enumerate(periods):
                played.append((period, plan_live_report(rng, spec, periods, index, live)))
    return live, played


@pytest.mark.parametrize("today", DAYS, ids=str)
def test_live_plan_is_launched_weeks_before_today(today):
    live = live_year(today)

    assert live.year == today.year
    assert live.launched_on <= today - 3 * WEEK
    assert live.launched_on.weekday() < 5
    assert live.plan_basis_on < live.issued_on < live.launched_on
    assert live.last < datetime.datetime.combine(today, datetime.time(0), tzinfo=live.last.tzinfo)


@pytest.mark.parametrize("today", DAYS, ids=str)
def test_live_one_off_deadlines_surround_today(today):
    live = live_year(today)
    deadlines = [spec.deadline for spec in live_specs(live) if spec.cadence == Cadence.ONCE]

    assert len(deadlines) == len(OFFSETS)
    assert all(d.year == live.year for d in deadlines)
    assert all(d >= live.assigned_at.date() + WEEK for d in deadlines)
    assert any(d <= today for d in deadlines)  # due already
    assert any(today <= d <= today + WEEK for d in deadlines)  # due this week
    if today.month > 1:  # in January the year is too young for older deadlines
        assert any(d < today - 2 * WEEK for d in deadlines)
    if today < D(today.year, 12, 20):  # at the end of December the year has no later days
        assert any(d > today + WEEK for d in deadlines)


@pytest.mark.parametrize("today", DAYS, ids=str)
def test_live_reports_follow_their_due_dates(today):
    live, played = simulate(today)

    for _period, steps in played:
        times = [step.at for step in steps]
        assert times == sorted(times)
        assert all(live.assigned_at < at <= live.last for at in times)
    due = [(period, status_after(steps)) for period, steps in played if period.due <= today]
    overdue = [period for period, status in due if status not in SENT]
    assert due and len(overdue) < len(due) / 2
    statuses = {status for _period, status in due}
    assert ReportStatus.SUBMITTED in statuses
    if today.month > 1:
        assert statuses >= {ReportStatus.DRAFT, ReportStatus.SUBMITTED, ReportStatus.RETURNED,
                            ReportStatus.ACCEPTED}
        assert len(overdue) < len(due) / 4
    # Far periods have no report; the one due next may have a draft.
    later = [steps for period, steps in played if period.due > today + 5 * WEEK]
    assert not any(later)
    assert any(today <= period.due <= today + WEEK for period, _steps in played)


def test_live_generator_gives_one_day_the_same_data():
    first, again = simulate(DAYS[2])[1], simulate(DAYS[2])[1]
    other = simulate(DAYS[2] + datetime.timedelta(days=1))[1]

    assert first == again
    assert first != other


def test_for_year_rewrites_the_year_the_school_year_and_the_plan_date():
    live = live_year(D(2026, 12, 4))

    assert for_year("năm học 2022 – 2023", live) == "năm học 2026 – 2027"
    assert for_year("Kế hoạch số 03/KH-SGDĐT ngày 04/01/2022 của Sở", live) == (
        f"Kế hoạch số 03/KH-SGDĐT ngày {live.plan_basis_on:%d/%m/%Y} của Sở")
    assert for_year("Thông tư số 36/2017/TT-BGDĐT", live) == "Thông tư số 36/2017/TT-BGDĐT"


@pytest.mark.django_db
def test_demo_loaded_in_mid_january_shows_a_young_campaign(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PASSWORD_HASHERS = FAST_HASHER
    today = D(2026, 1, 15)

    output = load("--today", "15/01/2026")

    campaign = Campaign.objects.get(copied_from__year=2022)
    assert campaign.year == 2026 and campaign.status == CampaignStatus.LAUNCHED
    assert timezone.localtime(campaign.launched_at).date() == D(2025, 12, 25)
    assignments = list(Assignment.objects.filter(task__item__campaign=campaign)
                       .with_progress(today))
    due = sum(len(a.due_periods(today)) for a in assignments)
    overdue = sum(a.overdue_count(today) for a in assignments)
    soon = sum(1 for a in assignments for p in a.periods() if today <= p.due <= today + WEEK)
    assert due > 10 and overdue < due / 2 and soon > 0
    statuses = set(campaign.items.values_list("tasks__assignments__reports__status", flat=True))
    assert {ReportStatus.DRAFT, ReportStatus.SUBMITTED} <= statuses
    round_ = Scheme.objects.get(campaign=campaign).rounds.get()
    assert round_.kind == Stage.SELF and round_.deadline > today and not round_.is_closed
    assert Campaign.objects.get(year=2022).status == CampaignStatus.CLOSED
    assert "Demo data loaded (today: 15/01/2026)." in output
    assert f"as of 15/01/2026: {due} due, {overdue} overdue" in output
