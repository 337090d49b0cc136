"""The home page: what is waiting for the signed-in person, counted once for the counters and
the to-do list alike."""

from django.urls import reverse
from django.utils.translation import gettext, ngettext

from tasks.models import ReportStatus

from .factories import ProgressReportFactory
from .tasks.conftest import work  # noqa: F401  (a fixture)

NOTHING = "Nothing is waiting for your unit."


def _home(client):
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return response, response.content.decode()


def test_overdue_and_returned_work_is_on_the_to_do_list_never_nothing(cast, client_for,
                                                                     work):  # noqa: F811
    # The 2022 task's four quarters are all past due; two reports came back to fix.
    for period in ("2022-Q1", "2022-Q2"):
        ProgressReportFactory(assignment=work.assignment_a, period=period,
                              status=ReportStatus.RETURNED)

    response, html = _home(client_for(cast.head_a))

    kinds = [item.kind for item in response.context["todo"]]
    assert kinds == ["dissemination", "returned", "overdue"]
    assert gettext(NOTHING) not in html
    # The counter above and the list below say the same numbers in the same words.
    counter = ngettext("%(counter)s report returned to fix", "%(counter)s reports returned to fix",
                       2) % {"counter": 2}
    todo = ngettext("%(counter)s report was returned to your unit: correct it and send it again.",
                    "%(counter)s reports were returned to your unit: correct them and send them "
                    "again.", 2) % {"counter": 2}
    overdue = ngettext("%(counter)s task has overdue reports: report the periods shown in red.",
                       "%(counter)s tasks have overdue reports: report the periods shown in red.",
                       1) % {"counter": 1}
    assert counter in html and todo in html and overdue in html


def test_returned_counts_reports_not_tasks_on_the_units_page(cast, client_for,
                                                            work):  # noqa: F811
    for period in ("2022-Q1", "2022-Q2", "2022-Q3"):
        ProgressReportFactory(assignment=work.assignment_a, period=period,
                              status=ReportStatus.RETURNED)

    html = client_for(cast.head_a).get(reverse("tasks:unit", args=[cast.unit_a.pk])
                                       ).content.decode()

    assert ngettext("%(counter)s report returned to fix", "%(counter)s reports returned to fix",
                    3) % {"counter": 3} in html


def test_a_head_with_nothing_to_do_is_told_so(cast, client_for):
    response, html = _home(client_for(cast.head_a))

    assert response.context["todo"] == []
    assert gettext(NOTHING) in html


def test_a_staff_member_who_does_not_report_gets_no_reporting_to_do(cast, client_for,
                                                                   work):  # noqa: F811
    response, _html = _home(client_for(cast.staff))

    assert [item.kind for item in response.context["todo"]] == []


def test_reviewers_see_the_reports_awaiting_them(cast, client_for, work):  # noqa: F811
    ProgressReportFactory(assignment=work.assignment_a, period="2022-Q1",
                          status=ReportStatus.SUBMITTED)

    response, html = _home(client_for(cast.office))

    assert [(i.kind, i.count) for i in response.context["todo"]] == [("review", 1)]
    assert reverse("tasks:queue") in html


def _running_plan_due_in(cast, days):
    """A launched plan with one one-off task of unit A due in `days` days (in the plan's year:
    at the year's end, this year's last day; past it, next year's plan)."""
    import datetime

    from django.utils import timezone

    from campaigns import services as campaign_services
    from tasks import services as task_services
    from tasks.models import Cadence

    from .factories import TaskFactory, plan

    today = timezone.localdate()
    deadline = today + datetime.timedelta(days=days)
    if days <= 14 and deadline.year != today.year:
        deadline = datetime.date(today.year, 12, 31)
    campaign = plan(units=[cast.unit_a])
    campaign.year = deadline.year
    campaign.save()
    campaign_services.launch(campaign=campaign, user=cast.office)
    task = TaskFactory(item=campaign.items.first(), cadence=Cadence.ONCE, deadline=deadline)
    task_services.assign(task=task, units=[cast.unit_a], user=cast.office)
    return task.assignments.get()


def test_a_report_due_within_two_weeks_is_waiting_until_it_is_sent(cast, client_for):
    assignment = _running_plan_due_in(cast, 5)
    client = client_for(cast.head_a)

    response, html = _home(client)
    assert [(i.kind, i.count) for i in response.context["todo"]] == [("dissemination", 1),
                                                                     ("due_soon", 1)]
    assert gettext(NOTHING) not in html

    ProgressReportFactory(assignment=assignment, period=assignment.periods()[0].key,
                          status=ReportStatus.SUBMITTED)
    response, _html = _home(client)
    assert "due_soon" not in [i.kind for i in response.context["todo"]]


def test_a_report_due_later_is_not_yet_waiting(cast, client_for):
    _running_plan_due_in(cast, 20)

    response, _html = _home(client_for(cast.head_a))

    assert [i.kind for i in response.context["todo"]] == ["dissemination"]


def test_a_closed_plans_work_is_history_not_waiting(cast, client_for, work):  # noqa: F811
    from campaigns import services as campaign_services

    ProgressReportFactory(assignment=work.assignment_a, period="2022-Q1",
                          status=ReportStatus.RETURNED)
    campaign_services.close(campaign=work.campaign, user=cast.office)
    client = client_for(cast.head_a)

    response, html = _home(client)
    page = client.get(reverse("tasks:unit", args=[cast.unit_a.pk]))

    assert response.context["todo"] == []
    assert response.context["work"].assignments == 0
    assert gettext(NOTHING) in html
    # The unit's page lists the closed plan's assignment apart, not as overdue work.
    assert page.context["rows"] == []
    assert [row["a"] for row in page.context["ended"]] == [work.assignment_a]


def test_an_open_self_assessment_waits_for_the_head_until_confirmed(cast, client_for):
    import datetime

    from scoring import services as scoring_services
    from scoring.models import Criterion, Rule, Scheme

    assignment = _running_plan_due_in(cast, 60)
    campaign = assignment.task.item.campaign
    scheme = Scheme.objects.create(campaign=campaign, cutoff=datetime.date(campaign.year, 12, 31))
    Criterion.objects.create(scheme=scheme, item=assignment.task.item, number="1", order=1,
                             title="Công khai thủ tục hành chính", max_points=100,
                             rule=Rule.PROPORTIONAL).tasks.set([assignment.task])
    deadline = datetime.date(campaign.year, 12, 31)
    scoring_services.open_first_round(scheme=scheme, deadline=deadline, user=cast.office)
    sheet = scheme.rounds.get().sheets.get(unit=cast.unit_a)

    response, html = _home(client_for(cast.head_a))

    assert [i.sheet for i in response.context["todo"] if i.kind == "assessment"] == [sheet]
    assert reverse("scoring:sheet", args=[campaign.pk, cast.unit_a.pk]) in html
    # The Office does not confirm a unit's self-assessment: nothing of it on its page.
    office, _html = _home(client_for(cast.office))
    assert "assessment" not in [i.kind for i in office.context["todo"]]


def test_returned_reports_open_from_the_to_do_list_in_one_click(cast, client_for,
                                                               work):  # noqa: F811
    # "Open my unit's tasks" left the head to find the task, then the period, then its report;
    # the list of the unit's returned reports links each report itself.
    returned = [ProgressReportFactory(assignment=work.assignment_a, period=period,
                                      status=ReportStatus.RETURNED)
                for period in ("2022-Q1", "2022-Q2")]
    ProgressReportFactory(assignment=work.assignment_a, period="2022-Q3",
                          status=ReportStatus.DRAFT)
    client = client_for(cast.head_a)

    _response, html = _home(client)
    link = f'{reverse("tasks:figure_list")}?state=returned'
    assert f'href="{link}">Mở báo cáo bị trả lại</a>' in html
    listed = client.get(link).content.decode()

    assert [r for r in returned if f'href="{r.get_absolute_url()}"' in listed] == returned
    assert "2022-Q3" not in listed and "Quý 3/2022" not in listed
