"""The lists behind the figures against their definition, row by row and page by page: the
database picks a page's cells from running totals (tasks/periods.py), so every page boundary —
inside a cell, between cells, between periods — must give the rows the whole list has there.

The reference below reads the assignments, their periods and their reports one by one, as the
unit pages do; the lists read the tallies."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from tasks import services, tallies
from tasks.models import Assignment, Cadence, ProgressReport, ReportStatus, Task
from tasks.periods import REPORTED, FigureList, Scope

from ..factories import UnitFactory

STATES = ("due", "overdue", "not_reported", "reported", "on_time", "late", "waiting",
          "returned")


def _report(assignment, key, user, *, status=ReportStatus.SUBMITTED, on_time=False):
    report = services.save_report(assignment=assignment, period=assignment.period(key),
                                  data={"value": Decimal(60)}, user=user)
    if status != ReportStatus.DRAFT:
        services.submit(report=report, user=user)
    if status == ReportStatus.RETURNED:
        services.return_report(report=report, user=user, reason="Thiếu số liệu")
    if status == ReportStatus.ACCEPTED:
        services.accept(report=report, user=user)
    if on_time:  # as if sent in 2022, on its due date (the services stamp today)
        ProgressReport.objects.filter(pk=report.pk).update(submitted_at=datetime.datetime(
            report.period_due.year, report.period_due.month, report.period_due.day, 3,
            tzinfo=datetime.UTC))


@pytest.fixture
def mixed(cast, work):
    """Units A and B and four more — two whose names sort differently by code point than in
    Vietnamese, two sharing an order, one no longer active, one with no report at all — under a
    quarterly task (the fixture's), a monthly one and two one-off ones on two content items,
    one assignment with its own deadline, and reports in every state."""
    units = [UnitFactory(name=name, order=order) for name, order in (
        ("Trường THPT Ánh Dương", 5), ("Trường THPT Bình Minh", 5),
        ("Trường THPT Cũ", 7), ("Trường THPT Chưa báo cáo", 9))]
    everyone = [cast.unit_a, cast.unit_b, *units]
    services.assign(task=work.task, units=everyone, user=cast.office)
    first, second = work.campaign.items.order_by("number")[:2]
    monthly = Task.objects.create(item=second, title="B báo cáo tháng", target_value=100,
                                  cadence=Cadence.MONTHLY, deadline=datetime.date(2022, 12, 31))
    once = Task.objects.create(item=first, title="C báo cáo một lần", target_value=100,
                               cadence=Cadence.ONCE, deadline=datetime.date(2022, 6, 30))
    late_once = Task.objects.create(item=second, title="A tổng kết", target_value=100,
                                    cadence=Cadence.ONCE, deadline=datetime.date(2022, 11, 30))
    # A second monthly task under the same item for A and B: two tasks in one cell.
    extra = Task.objects.create(item=second, title="D báo cáo tháng bổ sung", target_value=100,
                                cadence=Cadence.MONTHLY, deadline=datetime.date(2022, 12, 31))
    for task in (monthly, once, late_once):
        services.assign(task=task, units=everyone, user=cast.office)
    services.assign(task=extra, units=everyone[:2], user=cast.office)
    # An own deadline: this one-off report of Ánh Dương falls due in the third quarter.
    Assignment.objects.filter(task=once, unit=units[0]).update(
        deadline=datetime.date(2022, 9, 15))
    states = [ReportStatus.SUBMITTED, ReportStatus.ACCEPTED, ReportStatus.RETURNED,
              ReportStatus.DRAFT]
    for index, unit in enumerate(everyone[:-1]):  # the last unit sends nothing
        user = cast.head_a
        for assignment in Assignment.objects.filter(unit=unit).select_related("task"):
            for turn, period in enumerate(assignment.periods()):
                if (index + turn) % 3 == 0:
                    continue  # not written
                _report(assignment, period.key, user, status=states[(index + turn) % 4],
                        on_time=(index + turn) % 2 == 0)
    units[2].is_active = False
    units[2].save()
    tallies.rebuild()  # the own deadline and the stamped dates went in past the services
    return work


def _order(assignment, due, key):
    unit, item = assignment.unit, assignment.task.item
    return (due, key, unit.order, unit.name, item.number, unit.pk, item.pk,
            assignment.task.title, assignment.pk)


def _expected(scope, state):
    """(assignment, period key, due date, report) of every row of a list, by its definition."""
    today = scope.today
    rows = []
    assignments = scope.assignments().select_related("unit", "task__item__campaign")
    if state in ("due", "overdue", "not_reported"):
        for assignment in assignments:
            if state == "not_reported" and not assignment.unit.is_active:
                continue
            periods = assignment.periods()
            if state == "not_reported":
                periods = [p for p in periods if p.due <= today][-1:]
            else:
                start, until = scope.window(assignment.task.item.campaign.year)
                periods = [p for p in periods if start <= p.due <= until]
            for period in periods:
                report = assignment.reports.filter(period=period.key).first()
                if state != "due" and report is not None and report.status in REPORTED:
                    continue
                rows.append((_order(assignment, period.due, period.key),
                             (assignment.pk, period.key, period.due,
                              report.pk if report else None)))
    else:
        for assignment in assignments:
            for report in assignment.reports.all():
                sent = (report.submitted_at is not None and timezone.localdate(
                    report.submitted_at) <= report.period_due)
                wanted = {"reported": report.status in REPORTED,
                          "on_time": report.status in REPORTED and sent,
                          "late": report.status in REPORTED and not sent,
                          "waiting": report.status == ReportStatus.SUBMITTED,
                          "returned": report.status == ReportStatus.RETURNED}[state]
                if state in ("reported", "on_time", "late"):
                    start, until = scope.window(assignment.task.item.campaign.year)
                    wanted = wanted and start <= report.period_due <= until
                if wanted:
                    rows.append(((*_order(assignment, report.period_due, report.period)[:-1],
                                  report.pk),
                                 (assignment.pk, report.period, report.period_due, report.pk)))
    return [row for _key, row in sorted(rows, key=lambda pair: pair[0])]


def _listed(rows):
    return [(row.assignment.pk, row.period, row.due, row.report.pk if row.report else None)
            for row in rows]


def _scopes(work, cast):
    today = timezone.localdate()
    item = work.campaign.items.order_by("number")[1]
    return {
        "whole": Scope(today=today, campaign=work.campaign),
        "every launched": Scope(today=today),
        "schools": Scope(today=today, campaign=work.campaign, unit_kinds=("school",)),
        "one unit": Scope(today=today, campaign=work.campaign, unit_id=cast.unit_b.pk),
        "one item": Scope(today=today, campaign=work.campaign, item_id=item.pk),
        "third quarter": Scope(today=today, campaign=work.campaign, quarter=3),
    }


@pytest.mark.parametrize("state", STATES)
def test_each_list_holds_the_rows_its_definition_gives_under_each_filter(cast, mixed, state):
    for name, scope in _scopes(mixed, cast).items():
        expected = _expected(scope, state)
        figure = FigureList(scope, state)
        assert figure.count() == len(expected), name
        assert _listed(figure[0:len(expected) + 5]) == expected, name


@pytest.mark.parametrize("state", STATES)
def test_each_page_holds_the_rows_the_whole_list_has_there(cast, mixed, state):
    scope = _scopes(mixed, cast)["whole"]
    whole = _listed(FigureList(scope, state)[0:10_000])
    assert len(whole) > 10  # enough rows for pages to split cells and periods
    for size in (1, 2, 3, 7):
        pages = []
        for offset in range(0, len(whole) + size, size):
            pages += _listed(FigureList(scope, state)[offset:offset + size])
        assert pages == whole, size


def test_the_current_periods_leave_out_inactive_units_and_keep_those_without_reports(
        cast, mixed):
    rows = FigureList(_scopes(mixed, cast)["every launched"], "not_reported")[0:10_000]
    names = {row.assignment.unit.name for row in rows}
    assert "Trường THPT Cũ" not in names
    # The unit that sent nothing misses every current period: one row per assignment.
    silent = [row for row in rows if row.assignment.unit.name == "Trường THPT Chưa báo cáo"]
    assert len(silent) == 4 and all(row.report is None for row in silent)


def test_units_are_listed_by_order_then_name_by_code_point(cast, mixed):
    """Ánh Dương and Bình Minh share an order: "B" comes before "Á" by code point, the order
    the lists have always had on both databases (not the Vietnamese collation's)."""
    rows = FigureList(_scopes(mixed, cast)["whole"], "due")[0:10_000]
    first_period = [row.assignment.unit.name for row in rows
                    if row.period == "2022-01"]
    assert first_period.index("Trường THPT Bình Minh") < first_period.index(
        "Trường THPT Ánh Dương")


def test_an_own_deadline_moves_the_one_off_period_into_its_quarter(cast, mixed):
    scope = _scopes(mixed, cast)["third quarter"]
    rows = FigureList(scope, "due")[0:10_000]
    own = [row for row in rows if row.assignment.deadline is not None]
    assert [(row.period, row.due) for row in own] == [("2022", datetime.date(2022, 9, 15))]
