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
