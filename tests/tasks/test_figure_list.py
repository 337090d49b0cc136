"""The lists behind the dashboards' figures (tasks/figures/): who sees which rows, the rows of
each state against the figures, and a constant number of queries."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from campaigns import services as campaign_services
from tasks import services, tallies
from tasks.figures import campaign_progress
from tasks.models import Cadence, ProgressReport, ReportStatus, Task

from ..factories import UnitFactory, UserFactory, plan
from ..helpers import ROLES

URL = reverse("tasks:figure_list")


def _report(assignment, period, user, *, submit=True):
    report = services.save_report(assignment=assignment, period=assignment.period(period),
                                  data={"value": Decimal(50)}, user=user)
    if submit:
        services.submit(report=report, user=user)
    return report


@pytest.fixture
def reported(work, cast):
    """A's Q1 and Q2 submitted (Q2 then returned), B's Q1 and Q4 drafts: the rest is
    overdue."""
    _report(work.assignment_a, "2022-Q1", cast.head_a)
    q2 = _report(work.assignment_a, "2022-Q2", cast.head_a)
    services.return_report(report=q2, user=cast.office, reason="Thiếu minh chứng")
    _report(work.assignment_b, "2022-Q1", cast.head_b, submit=False)
    _report(work.assignment_b, "2022-Q4", cast.head_b, submit=False)
    return work


def listed(client, **query):
    response = client.get(URL, {"campaign": query.pop("campaign"), **query})
    assert response.status_code == 200
    page = response.context["page"]
    return [(row.assignment.unit.code, row.period, row.report.status if row.report else None)
            for row in page.object_list], page.paginator.count


@pytest.mark.parametrize("role", ROLES)
def test_readers_see_every_unit_and_others_only_their_own(cast, client_for, reported, role):
    rows, count = listed(client_for(cast.users()[role]), campaign=reported.campaign.pk,
                         state="due")
    units = {code for code, _period, _status in rows}
    if role in ("director", "office", "union", "admin"):
        assert units == {"a", "b"} and count == 8
    elif role == "head_b":
        assert units == {"b"} and count == 4
    else:  # the head of A and a member of its staff
        assert units == {"a"} and count == 4


def test_a_unit_head_asking_for_another_unit_gets_404(cast, client_for, reported):
    response = client_for(cast.head_a).get(URL, {"campaign": reported.campaign.pk,
                                                 "state": "due", "unit": cast.unit_b.pk})
    assert response.status_code == 404


def test_someone_without_a_unit_is_refused(cast, client_for, reported):
    response = client_for(UserFactory()).get(URL, {"state": "due"})
    assert response.status_code == 403


def test_an_unknown_list_is_not_found(cast, client_for, reported):
    response = client_for(cast.office).get(URL, {"state": "everything"})
    assert response.status_code == 404


def test_anonymous_is_sent_to_sign_in(db, client_for):
    response = client_for(None).get(URL, {"state": "due"})
    assert response.status_code == 302


def test_each_state_lists_its_rows(cast, client_for, reported):
    client = client_for(cast.office)
    campaign = reported.campaign.pk
    overdue, count = listed(client, campaign=campaign, state="overdue")
    # Every period of 2022 is due; A reported Q1 (Q2 was returned), B wrote only a draft.
    assert count == 7
    assert ("b", "2022-Q1", ReportStatus.DRAFT) in overdue
    assert ("a", "2022-Q2", ReportStatus.RETURNED) in overdue
    assert all(key != ("a", "2022-Q1") for *key, _status in overdue)
    assert listed(client, campaign=campaign, state="waiting") == (
        [("a", "2022-Q1", ReportStatus.SUBMITTED)], 1)
    assert listed(client, campaign=campaign, state="returned") == (
        [("a", "2022-Q2", ReportStatus.RETURNED)], 1)
    assert listed(client, campaign=campaign, state="reported")[1] == 1
    assert listed(client, campaign=campaign, state="on_time")[1] == 0  # sent after 2022
    assert listed(client, campaign=campaign, state="late")[1] == 1
    assert listed(client, campaign=campaign, state="assignments")[1] == 2
    # A quarter narrows the periods: Q2's two, of which A's was returned.
    assert listed(client, campaign=campaign, state="overdue", quarter=2)[1] == 2


def test_overdue_rows_say_how_late_and_open_the_report(cast, client_for, reported):
    response = client_for(cast.office).get(URL, {"campaign": reported.campaign.pk,
                                                 "state": "overdue"})
    html = response.content.decode()
    draft = reported.assignment_b.reports.get(period="2022-Q1")
    assert draft.get_absolute_url() in html  # a period with a report opens it
    assert reported.assignment_a.get_absolute_url() in html  # one without opens the assignment
    days = (timezone.localdate() - datetime.date(2022, 3, 31)).days
    assert f"<strong class=\"text-danger\">{days}</strong>" in html
    assert "31/03/2022" in html and "Quý 1/2022" in html
    assert "Kỳ báo cáo quá hạn" in html


def test_this_year_counts_only_the_periods_already_due(cast, client_for):
    """A monthly task of the current year: the periods after today are not due, and a report
    sent early for one waits for review without counting as reported."""
    today = timezone.localdate()
    campaign = plan(units=[cast.unit_a])
    campaign.year = today.year
    campaign.save()
    campaign_services.launch(campaign=campaign, user=cast.office)
    task = Task.objects.create(item=campaign.items.first(), title="Báo cáo tháng",
                               cadence=Cadence.MONTHLY, target_value=100,
                               deadline=datetime.date(today.year, 12, 31))
    services.assign(task=task, units=[cast.unit_a], user=cast.office)
    assignment = task.assignments.get()
    later = [period for period in assignment.periods() if period.due > today]
    if not later:
        pytest.skip("no period after today this year (31 December)")
    early = later[0]
    services.submit(report=services.save_report(assignment=assignment, period=early,
                                                data={"value": Decimal(90)}, user=cast.head_a),
                    user=cast.head_a)
    progress = campaign_progress(campaign, today=today).total
    client = client_for(cast.director)
    due = len(assignment.due_periods(today))
    assert listed(client, campaign=campaign.pk, state="due")[1] == progress.due == due
    assert listed(client, campaign=campaign.pk, state="overdue")[1] == progress.overdue == due
    assert listed(client, campaign=campaign.pk, state="reported")[1] == progress.reported == 0
    assert listed(client, campaign=campaign.pk, state="waiting")[1] == progress.waiting == 1


def _grow(cast, work, n):
    units = UnitFactory.create_batch(n, parent=cast.root)
    services.assign(task=work.task, units=units, user=cast.office)
    for index, unit in enumerate(units):
        report = _report(work.task.assignments.get(unit=unit), "2022-Q1", cast.head_a)
        if index % 2:
            services.return_report(report=report, user=cast.office, reason="Thiếu số liệu")
    for i in range(n):
        task = Task.objects.create(item=work.task.item, title=f"Nhiệm vụ {i}",
                                   deadline=work.task.deadline, target_value=100,
                                   cadence=Cadence.MONTHLY if i % 2 else Cadence.ONCE)
        services.assign(task=task, units=[cast.unit_a], user=cast.office)
    # Some reports sent on time, as if in 2022 (the services stamp today's date).
    ProgressReport.objects.filter(assignment__unit__in=units[::2]).update(
        submitted_at=datetime.datetime(2022, 3, 20, 9, tzinfo=datetime.UTC))
    tallies.rebuild()


@pytest.mark.parametrize("extra", [1, 15])
@pytest.mark.parametrize(("state", "queries"), [
    # session, user, viewer, campaign, then the count and the page of rows
    ("assignments", 6),
    # session, user, viewer, campaign, then the tally by period (the count), the page's cells,
    # their assignments and their reports
    ("reported", 8), ("on_time", 8), ("late", 8), ("waiting", 8), ("returned", 8),
    # the assignment tally by period (the count), the page's cells, its rows, their
    # assignments and reports; for the periods not reported, the reports counted by period
    # (the page's cells take off their own in the same query)
    ("due", 9), ("overdue", 10), ("not_reported", 10),
])
def test_each_list_keeps_its_query_count(cast, client_for, reported, django_assert_num_queries,
                                         extra, state, queries):
    _grow(cast, reported, extra)
    client = client_for(cast.office)
    with django_assert_num_queries(queries):
        response = client.get(URL, {"campaign": reported.campaign.pk, "state": state,
                                    "kind": "school"})
    assert response.status_code == 200
    assert response.context["page"].paginator.count > 0 or state == "on_time"
