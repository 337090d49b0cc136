"""The assignment and task pages show a report's value as the report page does: Có / Không
for a yes/no task, thousands dots for a count."""

import datetime
import re
from decimal import Decimal

from django.urls import reverse

from tasks import services
from tasks.models import IndicatorKind

from .conftest import one_off_task


def _text(html):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html))


def test_the_assignment_and_task_pages_read_values_as_the_report_does(cast, client_for, work):
    # Their value columns printed the stored number: "1" for Có, "1200" for 1.200.
    office_assigns = {"units": [cast.unit_a], "user": cast.office}
    answered = one_off_task(work, IndicatorKind.YES_NO, title="Ban hành kế hoạch",
                            target_value=1, **office_assigns)
    counted = one_off_task(work, IndicatorKind.COUNT, title="Số hồ sơ số hóa", target_value=1500,
                           unit_of_measure="hồ sơ", **office_assigns)
    for task, value in ((answered, 1), (counted, 1200)):
        assignment = task.assignments.get()
        services.save_report(assignment=assignment, period=assignment.period("2022"),
                             data={"value": Decimal(value), "narrative": ""}, user=cast.head_a)
    client = client_for(cast.office)

    def cells(url):
        html = client.get(url).content.decode()
        return [_text(c).strip() for c in re.findall(r'<td class="text-end">(.*?)</td>', html)]

    assert "Có" in cells(answered.assignments.get().get_absolute_url())
    assert "Có" in cells(reverse("tasks:task", args=[answered.pk]))
    assert "1.200" in cells(counted.assignments.get().get_absolute_url())
    assert "1.200" in cells(reverse("tasks:task", args=[counted.pk]))
    assert "chỉ tiêu cần đạt 1.500 hồ sơ" in _text(
        client.get(counted.assignments.get().get_absolute_url()).content.decode())


def test_the_task_page_shows_the_day_a_date_task_was_done(cast, client_for, work):
    # Its latest-value column read "—" for a date task: only the number was read.
    dated = one_off_task(work, IndicatorKind.DATE, title="Ban hành quy chế",
                         deadline=datetime.date(2022, 6, 30), units=[cast.unit_a, cast.unit_b],
                         user=cast.office)
    assignment = dated.assignments.get(unit=cast.unit_a)
    services.save_report(assignment=assignment, period=assignment.period("2022"),
                         data={"value_date": datetime.date(2022, 6, 15), "narrative": ""},
                         user=cast.head_a)

    html = client_for(cast.office).get(reverse("tasks:task", args=[dated.pk])).content.decode()
    cells = [_text(c).strip() for c in re.findall(r'<td class="text-end">(.*?)</td>', html)]
    assert "15/06/2022" in cells and "—" in cells  # unit B has not reported
