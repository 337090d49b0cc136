"""The score sheet says how each criterion's points follow from the data: the rule with its
figures, the bands with the one applied, and links to exactly the reports it counted."""

import datetime
import re
from decimal import Decimal as D

import pytest
from django.urls import reverse

from scoring import services
from scoring.models import Score, Sheet
from tasks.models import ReportEvent, ReportStatus

from ..factories import ProgressReportFactory
from .conftest import at

DEADLINE = datetime.date(2099, 12, 31)


@pytest.fixture
def opened(scored, cast):
    return services.open_first_round(scheme=scored.scheme, deadline=DEADLINE, user=cast.office)


def sheet(client, scored, unit):
    response = client.get(reverse("scoring:sheet", args=[scored.campaign.pk, unit.pk]))
    assert response.status_code == 200
    return response.content.decode()


def text(html):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html)).replace("&lt;", "<")


def counted_links(html, criterion):
    """The report and assignment pages linked from a criterion's list of what it counted."""
    start = html.index(f'data-criterion="{criterion.pk}"')
    block = html[start:html.index("</details>", start)]
    return re.findall(r'href="(/tasks/(?:report|assignment)/\d+/)"', block)


def test_each_rule_is_spelled_out_with_its_figures(cast, client_for, scored, opened):
    page = text(sheet(client_for(cast.head_a), scored, cast.unit_a))
    # T1: the latest accepted report of unit A is Q2's 90 of 100.
    assert "Tỷ lệ với phần chỉ tiêu đạt được: 90 % × 30 = 27" in page
    # T2: 8 of 10, 80 %: the 75 % band of 30 points.
    assert ("≥ 100 %: 30 điểm; ≥ 80 %: 22,5 điểm ← áp dụng; ≥ 50 %: 15 điểm; < 50 %: 0"
            in page)
    # T1's periods: Q2 sent late, Q3 and Q4 never sent.
    assert "20 − 0,5 × (1 muộn + 2 thiếu + 0 bị trả lại) = 18,5 (không dưới 0)" in page


def test_the_applied_band_is_highlighted(cast, client_for, scored, opened):
    html = sheet(client_for(cast.head_a), scored, cast.unit_a)
    assert re.findall(r'<mark class="band-applied">([^<]*)</mark>', html) == [
        "≥ 80 %: 22,5 điểm ← áp dụng"]


def test_the_links_point_to_exactly_the_reports_counted(cast, client_for, scored, opened):
    html = sheet(client_for(cast.head_a), scored, cast.unit_a)
    a1 = scored.t1.assignments.get(unit=cast.unit_a)
    a2 = scored.t2.assignments.get(unit=cast.unit_a)
    q2 = a1.reports.get(period="2022-Q2")
    # Proportional and bands: the latest accepted report of each assignment, and only it.
    assert counted_links(html, scored.c1) == [q2.get_absolute_url()]
    assert counted_links(html, scored.c2) == [a2.reports.get().get_absolute_url()]
    # Timeliness: the late report, then the assignment of each missing period.
    assert counted_links(html, scored.c3) == [q2.get_absolute_url(), a1.get_absolute_url(),
                                               a1.get_absolute_url()]
    block = text(html[html.index(f'data-criterion="{scored.c3.pk}"'):])
    assert "Quý 3/2022" in block and "Quý 4/2022" in block


def test_returned_reports_are_counted_and_linked(cast, client_for, scored, opened):
    from tasks import services as task_services

    b1 = scored.t1.assignments.get(unit=cast.unit_b)
    report = ProgressReportFactory(assignment=b1, period="2022-Q1", value=D(70),
                                   status=ReportStatus.SUBMITTED,
                                   submitted_at=at(datetime.date(2022, 3, 30)))
    task_services.return_report(report=report, user=cast.office, reason="Thiếu minh chứng")
    # Returned in April 2022, before the scheme's cut-off (31/12/2022).
    ReportEvent.objects.filter(report=report).update(at=at(datetime.date(2022, 4, 5)))
    services.recompute(scheme=scored.scheme, user=cast.office)
    html = sheet(client_for(cast.head_b), scored, cast.unit_b)
    links = counted_links(html, scored.c3)
    assert links.count(report.get_absolute_url()) == 1
    assert links.count(b1.get_absolute_url()) == 4  # four quarters without a report sent
    assert "20 − 0,5 × (0 muộn + 4 thiếu + 1 bị trả lại) = 17,5" in text(html)
    # Nothing accepted: the assignment is counted at 0 %, and linked.
    assert counted_links(html, scored.c1) == [b1.get_absolute_url()]


def test_a_unit_with_nothing_accepted_reads_zero(cast, client_for, scored, opened):
    page = text(sheet(client_for(cast.head_b), scored, cast.unit_b))
    assert "0 % × 30 = 0" in page
    assert "< 50 %: 0 ← áp dụng" in page


def test_points_never_read_minus_zero(cast, client_for, scored, opened):
    html = sheet(client_for(cast.head_a), scored, cast.unit_a)
    assert "−0" not in html and "-0,00" not in html
    assert "0 / 0" in text(html)  # no bonus, no penalty


def test_a_manual_criterion_says_who_scored_it(cast, client_for, scored, opened):
    own = Sheet.objects.get(round=opened, unit=cast.unit_a)
    score = Score.objects.get(round=opened, unit=cast.unit_a, criterion=scored.c4)
    services.save_sheet(sheet=own, changes={score: (D(15), "Có biên bản")}, user=cast.head_a,
                        expected_version=own.version)
    page = text(sheet(client_for(cast.director), scored, cast.unit_a))
    assert "chấm bởi Ngô Thị Ánh" in page


def test_a_closed_round_says_when_the_data_has_moved_since(cast, client_for, scored, opened):
    services.advance(scheme=scored.scheme, deadline=DEADLINE, user=cast.office)
    a1 = scored.t1.assignments.get(unit=cast.unit_a)
    ProgressReportFactory(assignment=a1, period="2022-Q3", value=D(100),
                          status=ReportStatus.ACCEPTED, submitted_at=at(datetime.date(2022, 9, 28)))
    url = reverse("scoring:sheet", args=[scored.campaign.pk, cast.unit_a.pk])
    page = text(client_for(cast.director).get(url, {"round": opened.pk}).content.decode())
    assert "90 % × 30 = 27" in page  # the snapshot
    assert "hôm nay cho 30 điểm" in page  # and what the data gives now
