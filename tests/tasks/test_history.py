"""A report's history says what each step changed, before → after, without a query per step."""

import re
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tasks import services
from tasks.models import IndicatorKind

from .conftest import one_off_task


def _text(html):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html))


def _history(client, report):
    html = client.get(reverse("tasks:report", args=[report.pk])).content.decode()
    return html[html.index('id="history"'):]


def test_each_change_reads_before_and_after(cast, client_for, work):
    assignment = work.assignment_a
    report = services.save_report(assignment=assignment, period=assignment.period("2022-Q1"),
                                  data={"value": Decimal("95.5"),
                                        "narrative": "Đã công khai 20 thủ tục."},
                                  user=cast.head_a)
    services.save_report(assignment=assignment, period=assignment.period("2022-Q1"),
                         data={"value": Decimal(96), "narrative": "Đã công khai 21 thủ tục."},
                         user=cast.head_a, report=report, expected_version=report.version)
    report.refresh_from_db()
    services.submit(report=report, user=cast.head_a)

    history = _history(client_for(cast.office), report)
    text = _text(history)
    assert "Giá trị đạt được: 95,5 " in text  # the first save gives the value
    assert "Giá trị đạt được: 95,5 → 96" in text
    assert "Nội dung báo cáo: đã sửa" in text
    assert "Trước: Đã công khai 20 thủ tục." in text and "Sau: Đã công khai 21 thủ tục." in text
    # Submitting changes no value: that step lists none.
    steps = history.split('class="list-group-item"')[1:]
    assert "history-changes" not in steps[2]


def test_a_count_reads_with_thousands_dots_as_on_the_page(cast, client_for, work):
    # The page shows "1.200 hồ sơ"; a history saying "24 → 1200" beside it reads as another
    # figure to a reviewer comparing the two.
    assignment = one_off_task(work, IndicatorKind.COUNT, title="Số hồ sơ số hóa",
                              unit_of_measure="hồ sơ", units=[cast.unit_a],
                              user=cast.office).assignments.get()
    report = services.save_report(assignment=assignment, period=assignment.period("2022"),
                                  data={"value": Decimal(24), "narrative": ""},
                                  user=cast.head_a)
    services.save_report(assignment=assignment, period=assignment.period("2022"),
                         data={"value": Decimal(1200), "narrative": ""},
                         user=cast.head_a, report=report, expected_version=report.version)

    text = _text(_history(client_for(cast.head_a), report))

    assert "Giá trị đạt được: 24 → 1.200" in text


def test_the_history_costs_no_query_per_step(cast, client_for, work):
    assignment = work.assignment_a
    report = services.save_report(assignment=assignment, period=assignment.period("2022-Q1"),
                                  data={"value": Decimal(10)}, user=cast.head_a)
    client = client_for(cast.head_a)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("tasks:report", args=[report.pk])).status_code == 200
        return len(queries)

    few = count()
    for value in range(11, 21):
        report.refresh_from_db()
        services.save_report(assignment=assignment, period=assignment.period("2022-Q1"),
                             data={"value": Decimal(value)}, user=cast.head_a, report=report,
                             expected_version=report.version)
    assert count() == few


def test_a_yes_no_task_reads_yes_and_no_not_one_and_zero(cast, client_for, work):
    # The head answered Có / Không; "Giá trị đạt được: 1 → 0" and "chỉ tiêu cần đạt 1" are
    # the database's way of storing it.
    task = one_off_task(work, IndicatorKind.YES_NO, title="Ban hành kế hoạch", target_value=1,
                        units=[cast.unit_a], user=cast.office)
    assignment = task.assignments.get()
    report = services.save_report(assignment=assignment, period=assignment.period("2022"),
                                  data={"value": Decimal(1), "narrative": ""},
                                  user=cast.head_a)
    services.save_report(assignment=assignment, period=assignment.period("2022"),
                         data={"value": Decimal(0), "narrative": ""},
                         user=cast.head_a, report=report, expected_version=report.version)
    report.refresh_from_db()
    services.submit(report=report, user=cast.head_a)
    client = client_for(cast.office)

    page = _text(client.get(reverse("tasks:report", args=[report.pk])).content.decode())
    assignment_page = _text(client.get(assignment.get_absolute_url()).content.decode())

    assert "Giá trị đạt được: Có → Không" in page
    assert "Không / 1" not in page and "chỉ tiêu cần đạt" not in page
    assert "chỉ tiêu cần đạt" not in assignment_page
