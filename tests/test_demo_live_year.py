"""`manage.py load_demo`: the current year, a campaign in progress around "today".

The demo is loaded once for the module as of 04/12/2026 (tests/demo_data.py). The generator on
other days, January included, is tested in tests/test_demo_calendar.py.
"""

import datetime
import re
import statistics

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import call_command
from django.db.models import Count
from django.utils import timezone

from awards.models import Conferral, Decision, Nominee, Proposal, ProposalStage, YearRating
from awards.models_clusters import COLLECTIVE_CERTIFICATE_CODE, FLAG_CODE, ClusterProposal
from campaigns.models import Campaign, CampaignStatus
from scoring.models import Scheme, Score, ScoreEvidence, Stage
from tasks import reminders
from tasks.figures import campaign_progress
from tasks.models import (
    Assignment,
    Evidence,
    ProgressReport,
    ReminderKind,
    ReportEvent,
    ReportStatus,
    Task,
)
from tests.demo_data import module_demo
from units.models import AuditEntry, Role, StaffMember, Unit

pytestmark = pytest.mark.django_db

demo = module_demo()

TZ = datetime.timezone(datetime.timedelta(hours=7))


def live_campaign():
    return Campaign.objects.get(copied_from__year=2022)


def live_reports():
    return ProgressReport.objects.filter(assignment__task__item__campaign=live_campaign())


def live_assignments(today):
    return list(Assignment.objects.filter(task__item__campaign=live_campaign())
                .with_progress(today))


def test_current_year_plan_is_the_2022_plan_copied_up_to_date_and_launched(demo):
    campaign = live_campaign()
    seed = Campaign.objects.get(year=2022)
    assert campaign.year == demo.today.year
    assert campaign.status == CampaignStatus.LAUNCHED
    assert campaign.title == seed.title
    assert campaign.items.count() == seed.items.count() == 10
    launched = timezone.localtime(campaign.launched_at).date()
    assert campaign.issued_on < launched <= demo.today - datetime.timedelta(days=21)
    # The Office rewrote the year in the text and the year's own legal bases.
    assert "2022" not in campaign.purposes and f"năm {campaign.year}" in campaign.purposes
    bases = list(campaign.legal_bases.order_by("order"))
    assert bases[-1].subject.endswith(f"năm {campaign.year}")
    assert all(basis.date < campaign.issued_on for basis in bases)
    # Copied, edited and launched through the services: each step in the audit trail.
    actions = set(AuditEntry.objects.filter(object_id=str(campaign.pk),
                                            content_type__model="campaign")
                  .values_list("action", flat=True))
    assert {"campaign.copy", "campaign.edit", "campaign.launch"} <= actions
    confirmed = campaign.disseminations.confirmed()
    assert confirmed.exists() and campaign.disseminations.pending().exists()
    for dissemination in confirmed.select_related("confirmed_by__staff_member"):
        assert launched < dissemination.disseminated_on < demo.today
        assert dissemination.confirmed_by.staff_member.unit_id == dissemination.unit_id


def test_current_year_tasks_name_their_year(demo):
    tasks = Task.objects.filter(item__campaign=live_campaign())
    assert tasks.count() == Task.objects.filter(item__campaign__year=2022).count()
    assert not tasks.filter(title__contains="2022").exists()
    assert tasks.filter(title__contains=str(demo.today.year)).exists()
    assert {task.deadline.year for task in tasks} == {demo.today.year}


def test_current_year_reports_are_in_every_status_with_evidence(demo):
    reports = live_reports()
    counts = dict(reports.values_list("status").annotate(n=Count("pk")).order_by())
    assert set(counts) == set(ReportStatus.values)
    assert counts[ReportStatus.ACCEPTED] > sum(counts.values()) / 2
    assert all(reports.filter(status=ReportStatus.RETURNED).values_list("return_reason",
                                                                        flat=True))
    late = [r for r in reports.exclude(submitted_at=None) if r.is_late]
    assert 0 < len(late) < reports.exclude(submitted_at=None).count() / 3
    evidence = Evidence.objects.filter(report__in=reports)
    assert evidence.count() >= 10
    for item in evidence[:5]:
        assert item.file.open("rb").read(5) in (b"%PDF-", b"\x89PNG\r")


def test_current_year_happened_between_the_launch_and_yesterday(demo):
    campaign = live_campaign()
    start = campaign.created_at
    end = datetime.datetime.combine(demo.today, datetime.time(0), tzinfo=TZ)
    events = ReportEvent.objects.filter(report__in=live_reports())
    assert not events.filter(at__lt=campaign.launched_at).exists()
    assert not events.filter(at__gte=end).exists()
    assert not live_reports().filter(submitted_at__gte=end).exists()
    assert not live_reports().filter(reviewed_at__gte=end).exists()
    # Heads write their unit's reports; the Office and the Union review them.
    for event in events.exclude(action__in=["returned", "accepted"]).select_related(
            "actor__staff_member", "report__assignment")[:200]:
        assert event.actor.staff_member.role == Role.UNIT_HEAD
        assert event.actor.staff_member.unit_id == event.report.assignment.unit_id
    # The audit trail was written in order: nothing of this year before its plan was copied.
    assert not AuditEntry.objects.filter(at__gte=datetime.datetime(2023, 1, 1, tzinfo=TZ),
                                         at__lt=start).exists()


def test_current_year_deadlines_surround_today(demo):
    today = demo.today
    assignments = live_assignments(today)
    due = sum(len(a.due_periods(today)) for a in assignments)
    overdue = sum(a.overdue_count(today) for a in assignments)
    soon = [(a, p) for a in assignments for p in a.periods()
            if today <= p.due <= today + datetime.timedelta(days=7)]
    assert due > 100
    # A live campaign, not one where everything is late: a realistic handful is overdue.
    assert 0 < overdue < due / 5
    assert soon
    # The dashboards count the same from their tallies, rebuilt after the back-dating.
    progress = campaign_progress(live_campaign(), today=today, trend=False, group="unit")
    assert (progress.total.due, progress.total.overdue) == (due, overdue)


def test_current_year_review_queue_waits_days_not_years(demo):
    waiting = live_reports().filter(status=ReportStatus.SUBMITTED)
    days = [(demo.today - timezone.localtime(r.submitted_at).date()).days for r in waiting]
    assert len(days) >= 5
    assert statistics.median(days) <= 14
    assert max(days) < 90
    # Nothing of the closed year waits for review.
    assert not ProgressReport.objects.filter(status=ReportStatus.SUBMITTED).exclude(
        pk__in=waiting).exists()


def test_reminders_have_periods_due_within_a_week(demo):
    items = [item for user_items in reminders.collect(demo.today, 7).values()
             for item in user_items]
    kinds = {item.kind for item in items}
    assert ReminderKind.DUE_SOON in kinds and ReminderKind.OVERDUE in kinds
    # Only the current year: the closed 2022 plan reminds nobody.
    assert {item.assignment.task.item.campaign_id for item in items} == {live_campaign().pk}

    call_command("send_reminders", "--days", "7", "--today", f"{demo.today:%d/%m/%Y}",
                 stdout=open("/dev/null", "w"))

    assert len(mail.outbox) >= 5


def test_current_year_self_assessment_is_open_with_some_sheets_confirmed(demo):
    scheme = Scheme.objects.get(campaign=live_campaign())
    source = Scheme.objects.get(campaign__year=2022)
    assert scheme.copied_from == source and scheme.stage == Stage.SELF
    assert scheme.criteria.count() == source.criteria.count()
    assert not scheme.criteria.filter(title__contains="2022").exists()
    # The criteria linked to one task still are, to this year's task of that title.
    linked = scheme.criteria.get(number="1.3").tasks.get()
    assert linked.item.campaign == scheme.campaign and str(demo.today.year) in linked.title
    round_ = scheme.rounds.get()
    assert round_.kind == Stage.SELF and not round_.is_closed
    assert round_.opened_at.date() < demo.today < round_.deadline
    sheets = round_.sheets.all()
    confirmed = sheets.filter(confirmed_at__isnull=False)
    assert 0 < confirmed.count() < sheets.count()
    for sheet in confirmed.select_related("confirmed_by__staff_member"):
        assert sheet.confirmed_by.staff_member.unit_id == sheet.unit_id
        assert sheet.confirmed_at.date() < demo.today
    manual = Score.objects.filter(round=round_, criterion__rule="manual", applicable=True)
    assert manual.filter(points__isnull=False).exists()
    assert manual.filter(points__isnull=True).exists()  # some heads have not started
    assert ScoreEvidence.objects.filter(score__round=round_).exists()
    # Nothing of the year's end yet.
    year = demo.today.year
    assert not YearRating.objects.filter(year=year).exists()
    # Except what the clusters' year-end meetings proposed (awards.demo_clusters): their
    # candidates wait on their schools' draft lists, and nothing else is on any list.
    lists = Proposal.objects.filter(year=year)
    assert set(lists.values_list("stage", flat=True)) <= {ProposalStage.DRAFT}
    met = set(ClusterProposal.objects.filter(cluster__year=year)
              .values_list("nominees", flat=True))
    assert set(Nominee.objects.filter(proposal__in=lists).values_list("pk", flat=True)) == met
    # Each meeting proposed its flag candidate and one Bằng khen candidate, both on their lists.
    for proposal in ClusterProposal.objects.filter(cluster__year=year):
        assert proposal.commendation.code == COLLECTIVE_CERTIFICATE_CODE
        assert len(proposal.commended.all()) == 1
        assert sorted(proposal.nominees.values_list("award__code", "proposal__unit")) == sorted(
            [(FLAG_CODE, proposal.flag_unit_id),
             (COLLECTIVE_CERTIFICATE_CODE, proposal.commended.get().pk)])
    assert not Conferral.objects.filter(year=year).exists()


def test_2022_stays_closed_locked_and_decided(demo):
    campaign = Campaign.objects.get(year=2022)
    assert campaign.status == CampaignStatus.CLOSED
    scheme = Scheme.objects.get(campaign=campaign)
    assert scheme.stage == Stage.LOCKED
    assert not scheme.rounds.filter(closed_at__isnull=True).exists()
    decision = Decision.objects.get(year=2022)
    assert decision.number == "1802/QĐ-SGDĐT" and decision.conferrals.exists()
    assert YearRating.objects.filter(year=2022).exists()


# --- the printed summary, read back from the database -------------------------------------------

def blocks(output: str) -> dict:
    """{year or None: {label: text}} from load_demo's printout (up to "This run")."""
    found, year = {None: {}}, None
    for line in output[:output.index("  This run")].splitlines()[1:]:
        if re.fullmatch(r"  \d{4}", line):
            year = int(line)
            found[year] = {}
        elif line.strip():
            label, text = re.match(r"\s+(\S[^:]*:)\s+(.*)", line).groups()
            found[year][label] = text
    return found


def numbers(text: str) -> list[int]:
    return [int(n) for n in re.findall(r"\d+", text)]


def test_summary_prints_each_year_as_stored(demo):
    printed = blocks(demo.output)
    years = {c.year for c in Campaign.objects.all()}
    assert years <= set(printed)
    for campaign in Campaign.objects.all():
        lines = printed[campaign.year]
        assert lines["Campaign:"].startswith(f"{campaign.code} {campaign.status};")
        assert numbers(lines["Campaign:"])[-2:] == [
            campaign.disseminations.confirmed().count(), campaign.disseminations.count()]
        tasks = Task.objects.filter(item__campaign=campaign)
        assert numbers(lines["Tasks:"]) == [
            tasks.count(), 10, Assignment.objects.filter(task__in=tasks).count()]
        reports = ProgressReport.objects.filter(assignment__task__in=tasks)
        by_status = dict(reports.values_list("status").annotate(n=Count("pk")).order_by())
        assert lines["Reports:"] == (
            f"{reports.count()} ("
            + ", ".join(f"{by_status.get(s, 0)} {s}" for s in ReportStatus.values)
            + f"); {Evidence.objects.filter(report__in=reports).count()} evidence files")
        assignments = list(Assignment.objects.filter(task__in=tasks).with_progress(demo.today))
        soon = demo.today + datetime.timedelta(days=7)
        assert numbers(lines["Periods:"])[3:] == [
            sum(len(a.due_periods(demo.today)) for a in assignments),
            sum(a.overdue_count(demo.today) for a in assignments),
            sum(1 for a in assignments for p in a.periods() if demo.today <= p.due <= soon), 7]
        scheme = Scheme.objects.get(campaign=campaign)
        assert lines["Scoring:"].startswith(f"stage {scheme.stage};")
        rounds = list(scheme.rounds.order_by("opened_at"))
        states = lines["Rounds:"].split(", ")
        assert [state.split()[0] for state in states if state.split()[0] in Stage.values] == [
            r.kind for r in rounds]
        for round_ in rounds:
            assert (f"{round_.kind} closed" in lines["Rounds:"]) == round_.is_closed
    # The 2022 final appraisal is printed as it is stored: locked (closed), not open.
    assert "final closed 16/12/2022" in printed[2022]["Rounds:"]
    assert "open" not in printed[2022]["Rounds:"]
    decision = Decision.objects.get(year=2022)
    assert printed[2022]["Decisions:"] == (
        f"{decision.number} ({decision.conferrals.count()} conferrals)")
    # The current year's only lists are the drafts its cluster meetings started.
    drafts = Proposal.objects.filter(year=demo.today.year).count()
    assert drafts and printed[demo.today.year]["Lists:"].startswith(f"{drafts} ({drafts} draft,")
    assert not {"Ratings:", "Decisions:", "Conferrals:"} & set(printed[demo.today.year])
    assert numbers(printed[None]["Organisation:"]) == [
        Unit.objects.count(), StaffMember.objects.count(), get_user_model().objects.count()]
