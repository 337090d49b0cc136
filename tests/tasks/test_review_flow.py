"""Reviewers accept several reports at once from the queue, and move from one report to the
next of their queue after each review."""

from decimal import Decimal
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse
from django.utils import timezone

from tasks import services, tallies
from tasks.models import ProgressReport, ReportAction, ReportEvent, ReportStatus
from units.collation import display_name
from units.models import AuditEntry

from ..factories import UnitFactory


@pytest.fixture
def waiting(cast, work):
    """Five submitted Q1 reports of five units, oldest first."""
    units = UnitFactory.create_batch(4, parent=cast.root)
    services.assign(task=work.task, units=units, user=cast.office)
    reports = []
    for assignment in work.task.assignments.exclude(unit=cast.unit_b).order_by("id"):
        report = services.save_report(assignment=assignment, period=assignment.period("2022-Q1"),
                                      data={"value": Decimal(90)}, user=cast.head_a)
        reports.append(services.submit(report=report, user=cast.head_a))
    return reports


def _ticked(reports):
    return [f"{r.pk}:{r.version}" for r in reports]


def test_bulk_accept_accepts_each_as_a_single_accept_would(cast, client_for, waiting):
    one, *rest = waiting
    services.accept(report=one, user=cast.union)  # handled by the Union meanwhile

    response = client_for(cast.office).post(
        reverse("tasks:queue_accept"),
        {"reports": _ticked(waiting[:4]), "queue": "sort=unit"}, follow=True)

    assert response.redirect_chain[-1][0] == reverse("tasks:queue") + "?sort=unit"
    assert [str(m) for m in response.context["messages"]] == [
        "Đã chấp nhận 3 báo cáo; 1 báo cáo đã được người khác xử lý nên bỏ qua."]
    statuses = {r.pk: r.status for r in ProgressReport.objects.all()}
    assert [statuses[r.pk] for r in waiting] == ["accepted"] * 4 + ["submitted"]
    accepted_by_office = ReportEvent.objects.filter(action=ReportAction.ACCEPTED,
                                                    actor=cast.office)
    assert accepted_by_office.count() == 3
    assert AuditEntry.objects.filter(action="report.accepted", actor=cast.office).count() == 3
    # The dashboards' running counts are those a recount from the reports gives.
    kept = {row["unit_id"]: row for row in _tallies()}
    tallies.rebuild()
    assert kept == {row["unit_id"]: row for row in _tallies()}


def _tallies():
    from tasks.models import ReportTally

    return list(ReportTally.objects.values("unit_id", "accepted", "waiting", "reported"))


def test_bulk_accept_sent_twice_accepts_once(cast, client_for, waiting):
    client = client_for(cast.office)
    posted = {"reports": _ticked(waiting[:2])}

    client.post(reverse("tasks:queue_accept"), posted, follow=True)
    second = client.post(reverse("tasks:queue_accept"), posted, follow=True)

    assert ReportEvent.objects.filter(action=ReportAction.ACCEPTED).count() == 2
    assert [str(m) for m in second.context["messages"]] == ["Đã chấp nhận 2 báo cáo."]


@pytest.mark.parametrize("posted", [{}, {"reports": ["abc"]}, {"reports": ["1:2:3"]},
                                    {"reports": ["9" * 40 + ":1"]}, {"reports": ["²:1"]}])
def test_bulk_accept_with_nothing_or_a_damaged_list_accepts_nothing(cast, client_for, waiting,
                                                                    posted):
    response = client_for(cast.office).post(reverse("tasks:queue_accept"), posted, follow=True)

    assert response.status_code == 200
    assert [str(m) for m in response.context["messages"]]
    assert not ReportEvent.objects.filter(action=ReportAction.ACCEPTED).exists()


def test_directors_read_the_queue_but_cannot_accept(cast, client_for, waiting):
    director = client_for(cast.director)

    page = director.get(reverse("tasks:queue")).content.decode()
    refused = director.post(reverse("tasks:queue_accept"), {"reports": _ticked(waiting)})

    assert 'name="reports"' not in page
    assert refused.status_code == 403
    assert not ReportEvent.objects.filter(action=ReportAction.ACCEPTED).exists()


def test_the_queue_links_each_report_with_its_filters(cast, client_for, waiting):
    response = client_for(cast.office).get(reverse("tasks:queue") + "?sort=-unit")

    link = f'{waiting[0].get_absolute_url()}?queue=sort%3D-unit"'
    assert link in response.content.decode()
    assert f'value="{waiting[0].pk}:{waiting[0].version}"' in response.content.decode()


def _queue_of(url):
    return parse_qs(urlsplit(url).query).get("queue", [None])[0]


def test_after_a_review_the_next_report_of_the_same_queue_opens(cast, client_for, waiting):
    client = client_for(cast.office)
    queue = "sort=-submitted"  # newest first: the last one submitted opens first
    first = waiting[-1]
    page = client.get(f"{first.get_absolute_url()}?queue={queue.replace('=', '%3D')}")
    assert page.context["next_url"].startswith(waiting[-2].get_absolute_url())

    response = client.post(reverse("tasks:review", args=[first.pk]),
                           {"decision": "accept", "comment": "", "version": first.version,
                            "queue": queue})

    assert response.status_code == 302
    assert response["Location"].startswith(waiting[-2].get_absolute_url())
    assert _queue_of(response["Location"]) == queue


def test_returning_also_moves_on_and_the_last_review_goes_back_to_the_queue(cast, client_for,
                                                                            waiting):
    client = client_for(cast.union)
    for report in waiting[:-1]:
        services.accept(report=report, user=cast.office)
    last = waiting[-1]

    response = client.post(reverse("tasks:review", args=[last.pk]),
                           {"decision": "return", "comment": "Thiếu minh chứng.",
                            "version": last.version, "queue": "sort=unit"}, follow=True)

    assert response.redirect_chain[-1][0] == reverse("tasks:queue") + "?sort=unit"
    assert [str(m) for m in response.context["messages"]] == [
        "Đã trả lại báo cáo cho đơn vị.",
        "Không còn báo cáo nào khác chờ duyệt trong danh sách này."]
    last.refresh_from_db()
    assert last.status == ReportStatus.RETURNED


def test_a_refused_review_keeps_the_comment(cast, client_for, waiting):
    report = waiting[0]
    response = client_for(cast.office).post(
        reverse("tasks:review", args=[report.pk]),
        {"decision": "return", "comment": "   ", "version": report.version, "queue": ""})

    assert response.status_code == 200
    assert response.context["review_form"].errors["comment"]
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED


@pytest.mark.parametrize("decision", ["accept", "return"])
def test_a_review_sent_twice_is_done_once_unless_its_comment_differs(cast, client_for, waiting,
                                                                    decision):
    report = waiting[0]
    client = client_for(cast.office)
    url = reverse("tasks:review", args=[report.pk])
    sent = {"decision": decision, "comment": "Thiếu minh chứng", "version": report.version,
            "queue": ""}
    client.post(url, sent)
    resent = client.post(url, sent, follow=True)  # a double click: answered as done
    assert "alert-success" in resent.content.decode()
    # The same account in another tab, with another reason: that reason was not recorded.
    other = client.post(url, {**sent, "comment": "Số liệu chưa khớp"}, follow=True)
    page = other.content.decode()
    assert "alert-danger" in page and "alert-success" not in page
    assert list(report.events.filter(action__in=[ReportAction.ACCEPTED, ReportAction.RETURNED])
                .values_list("comment", flat=True)) == ["Thiếu minh chứng"]


def test_a_review_refused_as_stale_says_who_decided_and_keeps_the_comment(cast, client_for,
                                                                          waiting):
    # The Office accepts while the Union, on the same page, writes why it should go back.
    report = waiting[0]
    opened_at = report.version
    client_for(cast.office).post(reverse("tasks:review", args=[report.pk]),
                                 {"decision": "accept", "comment": "", "version": opened_at,
                                  "queue": ""})
    accepted = report.events.get(action=ReportAction.ACCEPTED)

    response = client_for(cast.union).post(
        reverse("tasks:review", args=[report.pk]),
        {"decision": "return", "comment": "Thiếu biên bản niêm yết.", "version": opened_at,
         "queue": ""})

    message = [str(m) for m in response.context["messages"]]
    when = timezone.localtime(accepted.at).strftime("%d/%m/%Y %H:%M")
    assert message == [
        f"{display_name(cast.office)} đã chấp nhận báo cáo này lúc {when}, sau khi bạn mở "
        "trang; quyết định của bạn chưa được ghi nhận. Dưới đây là báo cáo ở trạng thái hiện "
        "tại. Nhận xét bạn đã viết: “Thiếu biên bản niêm yết.”"]
    report.refresh_from_db()
    assert report.status == ReportStatus.ACCEPTED
