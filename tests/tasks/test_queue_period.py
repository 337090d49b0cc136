"""The review queue's period filter takes the period as the table shows it, or picked from the
list of periods there are; a period it cannot read says how to write it."""

import pytest
from django.urls import reverse
from django.utils.html import escape

from tasks.forms import period_choices
from tasks.models import Cadence, ReportStatus, parse_period

from ..factories import ProgressReportFactory

QUEUE = reverse("tasks:queue")


@pytest.mark.parametrize(("text", "key"), [
    ("2022-Q3", "2022-Q3"), ("Quý 3/2022", "2022-Q3"), ("quý III/2022", "2022-Q3"),
    ("QUÝ 3 / 2022", "2022-Q3"), ("Quarter 3/2022", "2022-Q3"), ("Q3/2022", "2022-Q3"),
    ("09/2022", "2022-09"), ("Tháng 9/2022", "2022-09"), ("2022-09", "2022-09"),
    ("Năm 2022", "2022"), ("2022", "2022"),
    ("Quý 5/2022", None), ("13/2022", None), ("quý ba", None), ("", None),
])
def test_a_period_is_read_as_people_write_it(text, key):
    assert parse_period(text) == key


@pytest.fixture
def reports(work):
    q1 = ProgressReportFactory(assignment=work.assignment_a, period="2022-Q1",
                               status=ReportStatus.SUBMITTED)
    q3 = ProgressReportFactory(assignment=work.assignment_b, period="2022-Q3",
                               status=ReportStatus.SUBMITTED)
    return q1, q3


def _listed(client, period):
    response = client.get(QUEUE, {"period": period})
    assert response.status_code == 200
    return response, [r.pk for r in response.context["page"]]


@pytest.mark.parametrize("written", ["Quý 3/2022", "2022-Q3", "q3/2022"])
def test_the_queue_filters_on_the_period_as_the_table_shows_it(cast, client_for, reports,
                                                               written):
    _q1, q3 = reports

    _response, listed = _listed(client_for(cast.office), written)

    assert listed == [q3.pk]


def test_the_period_list_offers_the_periods_there_are_as_the_table_labels_them(cast, client_for,
                                                                             reports):
    response, _listed_rows = _listed(client_for(cast.office), "")
    html = response.content.decode()

    assert '<option value="2022-Q3">Quý 3/2022</option>' in html
    assert '<optgroup label="2022">' in html


def test_a_period_that_cannot_be_read_says_how_to_write_it_and_lists_nothing(cast, client_for,
                                                                            reports):
    response, listed = _listed(client_for(cast.office), "quý ba")

    assert listed == []
    assert escape("Quý 3/2022, 09/2022") in response.content.decode()


def test_period_choices_group_by_year_newest_first():
    choices = period_choices([(Cadence.QUARTERLY, 2022), (Cadence.ONCE, 2022),
                              (Cadence.MONTHLY, 2023)])

    assert [year for year, _options in choices] == ["2023", "2022"]
    assert [key for key, _label in choices[1][1]] == ["2022", "2022-Q1", "2022-Q2", "2022-Q3",
                                                      "2022-Q4"]
    assert choices[0][1][0] == ("2023-01", "01/2023")
