"""A report moves draft → submitted → returned → resubmitted → accepted, and every step is kept."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tasks import services
from tasks.models import ProgressReport, ReportEvent, ReportStatus
from units.collation import sort_key
from units.models import AuditEntry


def _new_report(client, assignment, period="2022-Q1", value="80"):
    return client.post(reverse("tasks:report_start", args=[assignment.pk, period]),
                       {"value": value, "narrative": "Đã niêm yết 80 % thủ tục."})


def test_review_cycle_through_the_pages(cast, client_for, work):
    head, office, union = (client_for(cast.head_a), client_for(cast.office),
                           client_for(cast.union))
    _new_report(head, work.assignment_a)
    report = ProgressReport.objects.get()
    assert report.status == ReportStatus.DRAFT and report.value == Decimal("80")

    head.post(reverse("tasks:submit", args=[report.pk]), {"version": report.version})
    report.refresh_from_db()
    office.post(reverse("tasks:review", args=[report.pk]),
                {"decision": "return", "comment": "Thiếu ảnh chụp bảng niêm yết.",
                 "version": report.version})
    report.refresh_from_db()
    assert report.status == ReportStatus.RETURNED
    assert report.return_reason == "Thiếu ảnh chụp bảng niêm yết."

    head.post(reverse("tasks:report", args=[report.pk]),
              {"value": "100", "narrative": "Bổ sung.", "version": report.version})
    report.refresh_from_db()
    head.post(reverse("tasks:submit", args=[report.pk]), {"version": report.version})
    report.refresh_from_db()
    union.post(reverse("tasks:review", args=[report.pk]),
               {"decision": "accept", "comment": "", "version": report.version})
    report.refresh_from_db()

    assert report.status == ReportStatus.ACCEPTED
    assert report.value == Decimal("100")
    assert report.reviewed_by == cast.union
    steps = list(report.events.values_list("action", "actor__username", "to_status"))
    assert steps == [
        ("saved", "head_a", "draft"),
        ("submitted", "head_a", "submitted"),
        ("returned", "vanphong", "returned"),
        ("saved", "head_a", "returned"),
        ("resubmitted", "head_a", "submitted"),
        ("accepted", "congdoan", "accepted"),
    ]
    saved_again = AuditEntry.objects.filter(action="report.saved").first()
    assert saved_again.before["value"] == "80.00" and saved_again.after["value"] == "100.00"
    html = head.get(reverse("tasks:report", args=[report.pk])).content.decode()
    assert "Thiếu ảnh chụp bảng niêm yết." in html


def test_accepted_report_cannot_change_until_reopened(cast, client_for, work):
    report = services.save_report(assignment=work.assignment_a,
                                  period=work.assignment_a.period("2022-Q1"),
                                  data={"value": Decimal(90)}, user=cast.head_a)
    services.submit(report=report, user=cast.head_a)
    services.accept(report=report, user=cast.office)

    response = client_for(cast.head_a).post(reverse("tasks:report", args=[report.pk]),
                                            {"value": "10", "version": "3"})

    report.refresh_from_db()
    # The page says why and shows what was typed, to copy; nothing changes.
    html = response.content.decode()
    assert response.status_code == 200
    assert "không thể thay đổi được nữa" in html and ">10<" in html
    assert report.value == Decimal(90)
    services.reopen(report=report, user=cast.office, reason="Số liệu cần chỉnh theo thanh tra.")
    report.refresh_from_db()
    assert report.status == ReportStatus.RETURNED
    assert report.events.last().action == "reopened"


def test_return_needs_a_reason(cast, client_for, work):
    report = services.save_report(assignment=work.assignment_a,
                                  period=work.assignment_a.period("2022-Q1"),
                                  data={"value": Decimal(90)}, user=cast.head_a)
    services.submit(report=report, user=cast.head_a)

    response = client_for(cast.office).post(
        reverse("tasks:review", args=[report.pk]),
        {"decision": "return", "comment": " ", "version": report.version + 1}, follow=True)

    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED
    assert "Hãy ghi lý do trả lại" in response.content.decode()


@pytest.mark.parametrize(("value", "message"), [
    ("101", "Nhập giá trị từ 0 đến 100"),
    ("-1", "Nhập giá trị từ 0 đến 100"),
    ("abc", "không phải là số"),
])
def test_value_outside_the_indicator_is_refused(cast, client_for, work, value, message):
    response = _new_report(client_for(cast.head_a), work.assignment_a, value=value)

    assert message in response.content.decode()
    assert not ProgressReport.objects.exists()


def test_period_that_does_not_exist_is_404(cast, client_for, work):
    response = _new_report(client_for(cast.head_a), work.assignment_a, period="2022-Q5")

    assert response.status_code == 404
    assert not ProgressReport.objects.exists()


def test_stale_save_is_refused_and_keeps_the_typing_beside_the_newer_version(cast, client_for,
                                                                             work):
    client = client_for(cast.head_a)
    _new_report(client, work.assignment_a)
    report = ProgressReport.objects.get()
    url = reverse("tasks:report", args=[report.pk])
    client.post(url, {"value": "85", "narrative": "Tab 1", "version": "1"})

    response = client.post(url, {"value": "20", "narrative": "Tab 2", "version": "1"})

    report.refresh_from_db()
    html = response.content.decode()
    assert "Báo cáo này đã được lưu sau khi bạn mở trang" in html
    assert report.value == Decimal(85) and report.narrative == "Tab 1"
    form = response.context["form"]
    assert form["value"].value() == "20" and form["narrative"].value() == "Tab 2"
    assert form["version"].value() == str(report.version)  # saving again replaces theirs
    assert "Tab 1" in html and "85" in html  # their version, beside


def test_head_cannot_touch_another_units_report(cast, client_for, work):
    report = services.save_report(assignment=work.assignment_b,
                                  period=work.assignment_b.period("2022-Q1"),
                                  data={"value": Decimal(50)}, user=cast.head_b)
    client = client_for(cast.head_a)

    responses = [
        client.post(reverse("tasks:report", args=[report.pk]), {"value": "1", "version": "1"}),
        client.post(reverse("tasks:submit", args=[report.pk]), {"version": "1"}),
        client.post(reverse("tasks:report_start", args=[work.assignment_b.pk, "2022-Q2"]),
                    {"value": "1"}),
    ]

    assert [r.status_code for r in responses] == [404, 404, 404]
    report.refresh_from_db()
    assert report.value == Decimal(50) and report.status == ReportStatus.DRAFT
    assert ReportEvent.objects.count() == 1


def test_submit_twice_is_refused(cast, work):
    report = services.save_report(assignment=work.assignment_a,
                                  period=work.assignment_a.period("2022-Q1"),
                                  data={"value": Decimal(90)}, user=cast.head_a)
    services.submit(report=report, user=cast.head_a)
    with pytest.raises(ValidationError):
        services.submit(report=report, user=cast.head_a)


def test_overdue_work_stands_out_on_the_unit_page(cast, client_for, work):
    html = client_for(cast.head_a).get(reverse("tasks:unit", args=[cast.unit_a.pk])).content
    # 2022 is over: four quarterly periods passed without a report.
    assert b"table-danger" in html
    assert b"<strong class=\"text-danger\">4</strong>" in html


def test_head_delegates_reporting_to_a_staff_member(cast, client_for, work):
    staff_record = cast.staff.staff_member  # a staff member of unit A
    staff_client = client_for(cast.staff)
    url = reverse("tasks:report_start", args=[work.assignment_a.pk, "2022-Q1"])
    assert staff_client.get(url).status_code == 403

    client_for(cast.head_a).post(reverse("units:toggle_reporting", args=[staff_record.pk]))

    staff_record.refresh_from_db()
    assert staff_record.reports_for_unit
    assert AuditEntry.objects.filter(action="staff.reporting_delegation").exists()
    _new_report(client_for(cast.staff), work.assignment_a)
    report = ProgressReport.objects.get()
    client_for(cast.staff).post(reverse("tasks:submit", args=[report.pk]),
                                {"version": report.version})
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED
    assert report.events.last().actor == cast.staff


def test_only_the_units_head_can_delegate(cast, client_for, work):
    staff_record = cast.staff.staff_member
    url = reverse("units:toggle_reporting", args=[staff_record.pk])

    assert client_for(cast.head_b).post(url).status_code == 404
    assert client_for(cast.office).post(url).status_code == 403
    assert client_for(cast.staff).post(url).status_code == 403
    staff_record.refresh_from_db()
    assert not staff_record.reports_for_unit


def test_task_page_is_paginated_and_sortable(cast, client_for, work):
    from ..factories import UnitFactory

    units = UnitFactory.create_batch(55, parent=cast.root)
    services.assign(task=work.task, units=units, user=cast.office)
    client = client_for(cast.office)
    url = reverse("tasks:task", args=[work.task.pk])

    first = client.get(url).context["rows"]
    second = client.get(url + "?sort=unit&page=2").context["rows"]
    reverse_first = client.get(url + "?sort=-unit").context["rows"]

    # Vietnamese order (Đ after D) on both databases.
    names = sorted(work.task.assignments.values_list("unit__name", flat=True), key=sort_key)
    assert [a.unit.name for a, _ in first] == names[:50]
    assert [a.unit.name for a, _ in second] == names[50:]
    assert reverse_first[0][0].unit.name == names[-1]


def test_office_gives_a_unit_its_own_target_and_deadline(cast, client_for, work):
    url = reverse("tasks:assignment_terms", args=[work.assignment_a.pk])
    client = client_for(cast.office)

    bad = client.post(url, {"target_value": "120", "deadline": "30/06/2023"})
    client.post(url, {"target_value": "90", "deadline": "30/06/2022"})

    assert "Nhập giá trị từ 0 đến 100" in bad.content.decode()
    work.assignment_a.refresh_from_db()
    assert work.assignment_a.effective_target == Decimal(90)
    assert work.assignment_a.effective_deadline.isoformat() == "2022-06-30"
    assert AuditEntry.objects.filter(action="assignment.terms").count() == 1
