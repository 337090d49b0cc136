"""`send_reminders`: one mail per unit head, about their own unit, once a day."""

import datetime
import io
from dataclasses import dataclass

import pytest
from django.core.management import call_command

from campaigns import services as campaign_services
from tasks import reminders
from tasks.models import Cadence, Reminder, ReminderKind, ReportStatus
from units.models import Department

from ..factories import AssignmentFactory, ProgressReportFactory, TaskFactory, plan

TODAY = datetime.date(2022, 6, 27)  # Quý 2 is due on 30/06, in three days


@dataclass
class Setup:
    overdue: object  # A: a once task due 31/05 with no report
    due_soon: object  # A: a quarterly task, Q1 accepted, Q2 not reported yet
    returned: object  # A: the returned report of a once task due at year end
    accepted: object  # A: the accepted Q1 report of `due_soon`
    unit_b: object  # B: its assignment of the quarterly task, Q1 submitted


@pytest.fixture
def setup(cast):
    for user in (cast.head_a, cast.head_b, cast.office, cast.staff):
        user.email = f"{user.username}@thidua.local"
        user.save()
    campaign = plan(units=[cast.unit_a, cast.unit_b])
    campaign_services.launch(campaign=campaign, user=cast.office)
    first, second, third = campaign.items.order_by("number")[:3]

    overdue = AssignmentFactory(unit=cast.unit_a, task=TaskFactory(
        item=first, title="Kiện toàn đội ngũ công chức đầu mối kiểm soát TTHC",
        cadence=Cadence.ONCE, deadline=datetime.date(2022, 5, 31)))
    quarterly = TaskFactory(item=second, title="Công khai 100 % danh mục thủ tục hành chính",
                            cadence=Cadence.QUARTERLY)
    due_soon = AssignmentFactory(unit=cast.unit_a, task=quarterly)
    accepted = ProgressReportFactory(assignment=due_soon, period="2022-Q1",
                                     status=ReportStatus.ACCEPTED)
    returned = ProgressReportFactory(
        assignment=AssignmentFactory(unit=cast.unit_a, task=TaskFactory(
            item=third, title="Đề xuất sáng kiến cải cách hành chính", cadence=Cadence.ONCE)),
        period="2022", status=ReportStatus.RETURNED,
        return_reason="Thiếu tài liệu kiểm chứng: đề nghị bổ sung phiếu đề xuất.")
    unit_b = AssignmentFactory(unit=cast.unit_b, task=quarterly)
    ProgressReportFactory(assignment=unit_b, period="2022-Q1", status=ReportStatus.SUBMITTED)
    return Setup(overdue=overdue, due_soon=due_soon, returned=returned, accepted=accepted,
                 unit_b=unit_b)


def _mails_to(outbox, user):
    return [mail for mail in outbox if mail.to == [user.email]]


def test_reminders_send_a_head_one_mail_listing_overdue_due_soon_and_returned(
        cast, setup, mailoutbox):
    sent = reminders.send(today=TODAY, days=7)

    assert sent == 2
    [mail] = _mails_to(mailoutbox, cast.head_a)
    body = mail.body
    assert "Kiện toàn đội ngũ công chức đầu mối kiểm soát TTHC" in body
    assert "31/05/2022" in body
    assert f"/tasks/assignment/{setup.overdue.pk}/report/2022/" in body
    assert "Công khai 100 % danh mục thủ tục hành chính – Quý 2/2022" in body
    assert "30/06/2022" in body
    assert "Đề xuất sáng kiến cải cách hành chính" in body
    assert "Thiếu tài liệu kiểm chứng: đề nghị bổ sung phiếu đề xuất." in body
    assert f"http://127.0.0.1:8000/tasks/report/{setup.returned.pk}/" in body
    assert "27/06/2022" in body
    assert "Ngô Thị Ánh" in body
    assert mail.subject.count("1 ") == 3  # one due soon, one overdue, one returned
    assert set(Reminder.objects.filter(user=cast.head_a).values_list("kind", "period")) == {
        (ReminderKind.OVERDUE, "2022"), (ReminderKind.DUE_SOON, "2022-Q2"),
        (ReminderKind.RETURNED, "2022"),
    }


def test_reminders_twice_the_same_day_send_nothing_new(cast, setup, mailoutbox):
    reminders.send(today=TODAY, days=7)
    rows = Reminder.objects.count()

    assert reminders.send(today=TODAY, days=7) == 0

    assert len(mailoutbox) == 2
    assert Reminder.objects.count() == rows


def test_reminders_the_next_day_are_sent_again(cast, setup, mailoutbox):
    reminders.send(today=TODAY, days=7)

    assert reminders.send(today=TODAY + datetime.timedelta(days=1), days=7) == 2

    assert len(_mails_to(mailoutbox, cast.head_a)) == 2


def test_reminders_tell_the_head_of_another_unit_nothing_about_unit_a(cast, setup, mailoutbox):
    reminders.send(today=TODAY, days=7)

    [mail] = _mails_to(mailoutbox, cast.head_b)
    assert f"/tasks/assignment/{setup.unit_b.pk}/report/2022-Q2/" in mail.body
    assert cast.unit_b.name in mail.body
    assert cast.unit_a.name not in mail.body
    assert "Kiện toàn đội ngũ" not in mail.body
    assert "Đề xuất sáng kiến" not in mail.body
    assert f"/assignment/{setup.due_soon.pk}/" not in mail.body
    assert not _mails_to(mailoutbox, cast.office) and not _mails_to(mailoutbox, cast.staff)


def test_reminders_say_nothing_of_accepted_or_submitted_reports(cast, setup, mailoutbox):
    reminders.send(today=TODAY, days=7)

    body_a = _mails_to(mailoutbox, cast.head_a)[0].body
    body_b = _mails_to(mailoutbox, cast.head_b)[0].body
    assert "Quý 1/2022" not in body_a  # accepted
    assert "Quý 1/2022" not in body_b  # submitted, waiting for review
    assert not Reminder.objects.filter(period="2022-Q1").exists()


def test_reminders_count_a_past_draft_as_overdue(cast, setup, mailoutbox):
    ProgressReportFactory(assignment=setup.overdue, period="2022", status=ReportStatus.DRAFT)

    reminders.send(today=TODAY, days=7)

    assert Reminder.objects.filter(user=cast.head_a, assignment=setup.overdue,
                                   kind=ReminderKind.OVERDUE).exists()


def test_reminders_leave_out_heads_without_email_or_account(cast, setup, mailoutbox):
    cast.head_b.email = ""
    cast.head_b.save()
    cast.head_a.is_active = False
    cast.head_a.save()

    assert reminders.send(today=TODAY, days=7) == 0

    assert mailoutbox == []


def test_reminders_due_later_than_the_window_are_not_mentioned(cast, setup, mailoutbox):
    reminders.send(today=TODAY, days=2)

    body = _mails_to(mailoutbox, cast.head_a)[0].body
    assert "Quý 2/2022" not in body
    assert not _mails_to(mailoutbox, cast.head_b)


def test_collect_needs_the_same_few_queries_for_many_assignments(
        cast, setup, django_assert_num_queries):
    with django_assert_num_queries(4):
        few = reminders.collect(TODAY, 7)
    item = setup.overdue.task.item
    for _ in range(5):
        AssignmentFactory(unit=cast.unit_a, task=TaskFactory(item=item))
        ProgressReportFactory(assignment=AssignmentFactory(unit=cast.unit_b,
                                                           task=TaskFactory(item=item)),
                              period="2022-Q1", status=ReportStatus.RETURNED)

    with django_assert_num_queries(4):
        many = reminders.collect(TODAY, 7)

    assert sum(map(len, many.values())) > sum(map(len, few.values()))


def test_send_reminders_command_reads_the_date_and_prints_the_count(cast, setup, mailoutbox):
    out = io.StringIO()

    call_command("send_reminders", "--today", "27/06/2022", "--days", "7", stdout=out)

    assert out.getvalue().strip() == "Sent 2 reminder e-mails."
    assert len(mailoutbox) == 2


def test_reminders_are_signed_with_the_department_identity(cast, setup, mailoutbox):
    department = Department.objects.get()
    department.name = "Sở Giáo dục và Đào tạo Đồng Nai"
    department.email = "vanphong@sgddt.dongnai.local"
    department.save()

    reminders.send(today=TODAY, days=7)

    [mail] = _mails_to(mailoutbox, cast.head_a)
    signature = mail.body.split("\n-- \n", 1)[1]
    assert signature.startswith("Sở Giáo dục và Đào tạo Đồng Nai\n")
    assert "vanphong@sgddt.dongnai.local" in signature
