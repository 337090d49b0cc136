"""The Office and Union dashboard: who sees it, that each figure matches a count made another
way, the lists' order, a constant query count, and the page in a browser and on paper."""

import datetime
import re
from collections import Counter

import pytest
from django.urls import reverse
from django.utils import timezone

from campaigns import services as campaign_services
from campaigns.models import CampaignStatus
from tasks import services, tallies
from tasks.models import Assignment, Cadence, ProgressReport, ReportStatus, Task
from tasks.review_dashboard import review_figures

from ..conftest import SCREENSHOTS
from ..factories import PASSWORD, ProgressReportFactory, UnitFactory, plan
from ..helpers import BROWSER, READERS, ROLES, expect, sign_in

URL = reverse("tasks:review_dashboard")
TODAY = datetime.date(2022, 6, 20)
REPORTED = [ReportStatus.SUBMITTED, ReportStatus.ACCEPTED]


def _at(day):
    """Noon on `day`, local time, as stored in submitted_at / reviewed_at."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))


def _report(assignment, period, status, *, submitted=None, reviewed=None, reason=""):
    return ProgressReportFactory(
        assignment=assignment, period=period, status=status,
        submitted_at=_at(submitted) if submitted else None,
        reviewed_at=_at(reviewed) if reviewed else None, return_reason=reason)


def _task(campaign, number, cadence, deadline=datetime.date(2022, 12, 31), title=None):
    return Task.objects.create(item=campaign.items.get(number=number), cadence=cadence,
                               title=title or f"Nhiệm vụ {cadence} {number}", deadline=deadline,
                               target_value=100)


@pytest.fixture
def world(cast, work):
    """Three tasks of three cadences over five units (one no longer active), reports in every
    status and period, and a closed plan whose reports the dashboard must leave out.

    As of 20/06/2022 the current periods are Q1 (quarterly), 05/2022 (monthly) and, for the
    one-off task, "2022" only where the unit's own deadline (01/06) has passed.
    """
    unit_c = UnitFactory(name="Trường THCS An Phú", parent=cast.root)
    unit_d = UnitFactory(name="Trường THCS Tân Phú", parent=cast.root)
    unit_e = UnitFactory(name="Trường THCS Đã Sáp Nhập", parent=cast.root, is_active=False)
    quarterly = work.task  # A and B from the fixture
    services.assign(task=quarterly, units=[unit_d], user=cast.office)
    monthly = _task(work.campaign, 2, Cadence.MONTHLY, title="Báo cáo tháng về cải cách")
    services.assign(task=monthly, units=[cast.unit_a, unit_c, unit_d, unit_e], user=cast.office)
    once = _task(work.campaign, 3, Cadence.ONCE, title="Tổng kết một lần")
    services.assign(task=once, units=[cast.unit_a, cast.unit_b, unit_c], user=cast.office)
    once.assignments.filter(unit=cast.unit_a).update(deadline=datetime.date(2022, 6, 1))
    once.assignments.filter(unit=cast.unit_b).update(deadline=datetime.date(2022, 7, 1))
    # The page counts assignments from the tallies, which `save_assignment_terms` keeps when
    # a deadline is set in the app; these updates set them directly.
    tallies.recount_assignments([once.item_id])

    def a(task, unit):
        return Assignment.objects.get(task=task, unit=unit)

    S, R = ReportStatus.SUBMITTED, ReportStatus.RETURNED
    _report(a(quarterly, cast.unit_a), "2022-Q1", ReportStatus.ACCEPTED,
            submitted=datetime.date(2022, 4, 2), reviewed=datetime.date(2022, 4, 5))
    _report(a(quarterly, cast.unit_b), "2022-Q1", R, submitted=datetime.date(2022, 4, 3),
            reviewed=datetime.date(2022, 4, 10), reason="Thiếu minh chứng niêm yết.")
    _report(a(quarterly, cast.unit_b), "2022-Q2", S, submitted=datetime.date(2022, 6, 18))
    _report(a(monthly, cast.unit_a), "2022-05", S, submitted=datetime.date(2022, 6, 2))
    _report(a(monthly, unit_c), "2022-05", ReportStatus.DRAFT)
    _report(a(monthly, unit_c), "2022-04", S, submitted=datetime.date(2022, 5, 3))
    _report(a(monthly, unit_d), "2022-03", R, submitted=datetime.date(2022, 3, 30),
            reviewed=datetime.date(2022, 4, 1), reason="Số liệu chưa khớp với biên bản.")
    _report(a(once, cast.unit_a), "2022", R, submitted=datetime.date(2022, 6, 1),
            reviewed=datetime.date(2022, 6, 5), reason="Chưa có chữ ký thủ trưởng.")

    closed = plan(units=[cast.unit_a])
    campaign_services.launch(campaign=closed, user=cast.office)
    old = _task(closed, 1, Cadence.QUARTERLY)
    services.assign(task=old, units=[cast.unit_a, unit_c], user=cast.office)
    _report(a(old, cast.unit_a), "2022-Q1", S, submitted=datetime.date(2022, 4, 1))
    _report(a(old, unit_c), "2022-Q1", R, submitted=datetime.date(2022, 4, 1),
            reviewed=datetime.date(2022, 4, 2), reason="Cũ.")
    campaign_services.close(campaign=closed, user=cast.office)
    work.closed = closed
    work.units = {"c": unit_c, "d": unit_d, "e": unit_e}
    return work


# -- the independent counts: plain ORM, one row at a time, never the dashboard's code --------


def _launched(assignment):
    return assignment.task.item.campaign.status == CampaignStatus.LAUNCHED


def _missing_by_hand(today):
    missing = Counter()
    for assignment in Assignment.objects.all():
        if not _launched(assignment) or not assignment.unit.is_active:
            continue
        due = [p for p in assignment.periods() if p.due <= today]
        if due and not assignment.reports.filter(period=due[-1].key,
                                                 status__in=REPORTED).exists():
            missing[assignment.unit.name] += 1
    return missing


def _reports_by_hand(status):
    return [r for r in ProgressReport.objects.all()
            if r.status == status and _launched(r.assignment)]


def _deadlines_by_hand(today):
    found = Counter()
    reported = Counter()
    for assignment in Assignment.objects.all():
        if not _launched(assignment) or not assignment.unit.is_active:
            continue
        for period in assignment.periods():
            if today <= period.due <= today + datetime.timedelta(days=14):
                found[(assignment.task_id, period.key)] += 1
                if assignment.reports.filter(period=period.key, status__in=REPORTED).exists():
                    reported[(assignment.task_id, period.key)] += 1
    return found, reported


# -- figures ----------------------------------------------------------------------------------


def test_figures_match_counts_made_by_hand(world):
    figures = review_figures(TODAY)

    assert figures.waiting_total == len(_reports_by_hand(ReportStatus.SUBMITTED)) == 3
    assert figures.returned_total == len(_reports_by_hand(ReportStatus.RETURNED)) == 3
    missing = _missing_by_hand(TODAY)
    assert {g.name: g.missing for g in figures.units_not_reported} == missing
    assert len(figures.units_not_reported) == 4 and figures.assignments_not_reported == 5
    found, reported = _deadlines_by_hand(TODAY)
    assert {(d.task_id, d.period_key): d.assigned for d in figures.deadlines} == found
    assert {(d.task_id, d.period_key): d.reported for d in figures.deadlines} == {
        key: reported[key] for key in found}
    assert sum(c.count for c in figures.waiting_by_item) == figures.waiting_total


@pytest.mark.parametrize("day", [datetime.date(2022, 1, 10), datetime.date(2022, 3, 31),
                                 datetime.date(2022, 7, 1), datetime.date(2022, 12, 31),
                                 datetime.date(2023, 2, 1)])
def test_figures_match_by_hand_on_other_days(world, day):
    figures = review_figures(day)

    assert {g.name: g.missing for g in figures.units_not_reported} == _missing_by_hand(day)
    found, reported = _deadlines_by_hand(day)
    assert {(d.task_id, d.period_key): (d.reported, d.assigned) for d in figures.deadlines} == {
        key: (reported[key], n) for key, n in found.items()}


def test_a_month_and_a_quarter_ending_the_same_day_are_told_apart(cast, work):
    # September's monthly report and the third quarter's are both due on 30/09: as of
    # 20/11/2022 the monthly task's current period is October, the quarterly one's Q3, and a
    # report of September must not count as the quarter's.
    monthly = _task(work.campaign, 1, Cadence.MONTHLY, title="Báo cáo tháng")
    services.assign(task=monthly, units=[cast.unit_a], user=cast.office)
    quarterly, monthly_a = work.task, Assignment.objects.get(task=monthly, unit=cast.unit_a)
    assert quarterly.cadence == Cadence.QUARTERLY and quarterly.item_id == monthly.item_id
    _report(monthly_a, "2022-09", ReportStatus.SUBMITTED, submitted=datetime.date(2022, 9, 30))
    _report(monthly_a, "2022-10", ReportStatus.ACCEPTED, submitted=datetime.date(2022, 10, 31),
            reviewed=datetime.date(2022, 11, 2))
    day = datetime.date(2022, 11, 20)

    gaps = {g.name: g.missing for g in review_figures(day).units_not_reported}

    assert gaps == _missing_by_hand(day)
    assert gaps[cast.unit_a.name] == 1  # the quarter, not the months


def test_inactive_units_and_closed_plans_are_left_out(world):
    names = {g.name for g in review_figures(TODAY).units_not_reported}

    assert world.units["e"].name not in names  # no longer active: nobody can report for it
    assert all(r.report.assignment.task.item.campaign_id != world.closed.pk
               for r in review_figures(TODAY).waiting)


def test_waiting_oldest_first_with_days_waiting(world):
    waiting = review_figures(TODAY).waiting

    assert [(w.report.period, w.submitted_on, w.days_waiting) for w in waiting] == [
        ("2022-04", datetime.date(2022, 5, 3), 48),
        ("2022-05", datetime.date(2022, 6, 2), 18),
        ("2022-Q2", datetime.date(2022, 6, 18), 2),
    ]


def test_returned_oldest_first_with_days_since(world):
    returned = review_figures(TODAY).returned

    assert [(r.report.return_reason[:8], r.returned_on, r.days_since) for r in returned] == [
        ("Số liệu ", datetime.date(2022, 4, 1), 80),
        ("Thiếu mi", datetime.date(2022, 4, 10), 71),
        ("Chưa có ", datetime.date(2022, 6, 5), 15),
    ]


def test_lists_are_capped_but_totals_count_all(world):
    figures = review_figures(TODAY, limit=2)

    assert len(figures.waiting) == 2 and figures.waiting_total == 3
    assert len(figures.returned) == 2 and figures.returned_total == 3


def test_units_most_missing_first_then_by_name(world):
    gaps = review_figures(TODAY).units_not_reported

    assert gaps[0].name == "Trường THCS Tân Phú" and gaps[0].missing == 2
    tied = [g.name for g in gaps[1:]]
    # Names break ties, in Vietnamese order on both databases.
    assert tied == ["Trường THCS An Phú", "Trường THPT Đồng Xoài", "Trường THPT Hùng Vương"]


def test_deadlines_in_the_next_two_weeks_by_due_date(world):
    deadlines = review_figures(TODAY).deadlines

    assert [(d.title, d.period_key, d.due, d.reported, d.assigned) for d in deadlines] == [
        ("Công khai 100 % thủ tục hành chính", "2022-Q2", datetime.date(2022, 6, 30), 1, 3),
        ("Báo cáo tháng về cải cách", "2022-06", datetime.date(2022, 6, 30), 0, 3),
        ("Tổng kết một lần", "2022", datetime.date(2022, 7, 1), 0, 1),
    ]


def test_deadlines_own_deadline_equal_to_the_tasks_counted_with_the_rest(world):
    # The task moves to 01/07, unit B's own deadline: B and C (no own deadline) make one row.
    once = Task.objects.get(title="Tổng kết một lần")
    once.deadline = datetime.date(2022, 7, 1)
    once.save()

    deadlines = review_figures(TODAY).deadlines

    assert [(d.title, d.period_key, d.due, d.assigned) for d in deadlines
            if d.title == "Tổng kết một lần"] == [
        ("Tổng kết một lần", "2022", datetime.date(2022, 7, 1), 2)]


def test_deadlines_leave_out_a_task_only_inactive_units_have(cast, world):
    # The inactive unit's assignments are counted and then taken off: a task it alone has
    # gives a row of nought units, which is no deadline of anyone's.
    alone = _task(world.campaign, 2, Cadence.ONCE, deadline=datetime.date(2022, 6, 25),
                  title="Chỉ đơn vị đã sáp nhập")
    services.assign(task=alone, units=[world.units["e"]], user=cast.office)

    figures = review_figures(TODAY)

    assert "Chỉ đơn vị đã sáp nhập" not in {d.title for d in figures.deadlines}
    found, reported = _deadlines_by_hand(TODAY)
    assert {(d.task_id, d.period_key): (d.reported, d.assigned) for d in figures.deadlines} == {
        key: (reported[key], n) for key, n in found.items()}


def test_units_not_reported_when_two_own_deadlines_share_the_current_period(cast, world):
    # Two monthly tasks of one content item, one with unit C's own deadline: two tally rows of
    # (C, item) whose current period is the same May. One report of May for two assignments
    # leaves one missing, counted on the pair, not row by row (which would find none).
    second = _task(world.campaign, 2, Cadence.MONTHLY, title="Báo cáo tháng thứ hai")
    services.assign(task=second, units=[world.units["c"]], user=cast.office)
    second.assignments.update(deadline=datetime.date(2022, 11, 30))
    tallies.recount_assignments([second.item_id])
    _report(Assignment.objects.get(task=second, unit=world.units["c"]), "2022-05",
            ReportStatus.SUBMITTED, submitted=datetime.date(2022, 6, 1))

    gaps = {g.name: g.missing for g in review_figures(TODAY).units_not_reported}

    assert gaps == _missing_by_hand(TODAY)
    assert gaps[world.units["c"].name] == 1


def test_one_campaign_and_a_closed_one(world):
    figures = review_figures(TODAY, world.closed)

    assert figures.waiting_total == 1 and figures.returned_total == 1
    assert review_figures(TODAY, world.campaign).waiting_total == 3


# -- the page ---------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_role_matrix(cast, client_for, work, role):
    # Directors read everything, as on the review queue; unit heads and staff are refused.
    expected = expect(403, **READERS)

    response = client_for(cast.users()[role]).get(URL)

    assert response.status_code == expected[role]


def test_anonymous_is_sent_to_sign_in(db, client_for):
    response = client_for(None).get(URL)

    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_page_figures_link_to_their_lists(cast, client_for, world):
    today = timezone.localdate()  # the page counts as of today: so does the check
    response = client_for(cast.office).get(URL)
    html = response.content.decode()
    figures = response.context["figures"]

    assert figures.waiting_total == len(_reports_by_hand(ReportStatus.SUBMITTED))
    assert figures.returned_total == len(_reports_by_hand(ReportStatus.RETURNED))
    assert {g.name: g.missing for g in figures.units_not_reported} == _missing_by_hand(today)
    queue = reverse("tasks:queue")
    lists = reverse("tasks:figure_list")
    # Each figure opens the list it counts (tests/scoring/test_figure_links.py counts the rows).
    assert f'href="{lists}?state=waiting"' in html
    assert f'href="{lists}?state=returned"' in html
    assert 'href="?units=all#not-reported"' in html and 'href="?deadlines=all#deadlines"' in html
    for gap in figures.units_not_reported:
        assert reverse("tasks:unit", args=[gap.unit_id]) in html
        assert f'href="{lists}?state=not_reported&amp;unit={gap.unit_id}"' in html
    for waiting in figures.waiting:
        assert waiting.report.get_absolute_url() in html
    for item in figures.waiting_by_item:  # the chart's bars open the queue on their item
        assert f'href="{queue}?item={item.item_id}"' in html
    assert html.count("<h1") == 1
    assert re.search(r"\d\d/\d\d/\d{4}", html)  # dates as dd/mm/yyyy


def test_campaign_filter_lists_launched_plans_only(cast, client_for, world):
    client = client_for(cast.office)
    html = client.get(URL).content.decode()

    assert f'<option value="{world.campaign.pk}"' in html
    assert f'<option value="{world.closed.pk}"' not in html
    one = client.get(URL, {"campaign": world.campaign.pk})
    assert one.context["campaign"] == world.campaign
    assert one.context["figures"].waiting_total == 3


def test_long_lists_are_capped_with_a_see_all_link(cast, client_for, work):
    units = UnitFactory.create_batch(12, parent=cast.root)
    services.assign(task=work.task, units=units, user=cast.office)
    _soon_tasks(work, 13, units[:1])
    client = client_for(cast.office)

    capped = client.get(URL, {"campaign": work.campaign.pk})
    html = capped.content.decode()
    assert len(capped.context["units"]["rows"]) == 10 and capped.context["units"]["hidden"] == 4
    assert len(capped.context["deadlines"]["rows"]) == 10
    assert capped.context["deadlines"]["hidden"] == 3
    assert f"?campaign={work.campaign.pk}&amp;units=all#not-reported" in html
    assert f"?campaign={work.campaign.pk}&amp;deadlines=all#deadlines" in html
    every = client.get(URL, {"units": "all", "deadlines": "all"})
    assert len(every.context["units"]["rows"]) == 14 and every.context["units"]["hidden"] == 0
    assert len(every.context["deadlines"]["rows"]) == 13


def test_empty_no_reports_and_closed_campaigns_render(cast, client_for, work):
    client = client_for(cast.office)
    empty = plan(units=[cast.unit_a])
    campaign_services.launch(campaign=empty, user=cast.office)
    closed = plan(units=[cast.unit_a])
    campaign_services.launch(campaign=closed, user=cast.office)
    campaign_services.close(campaign=closed, user=cast.office)

    for query in [{}, {"campaign": empty.pk}, {"campaign": work.campaign.pk},
                  {"campaign": closed.pk}, {"campaign": "x"}]:
        response = client.get(URL, query)
        assert response.status_code == 200, query
        assert response.content.decode().count("<h1") == 1
    assert client.get(URL, {"campaign": empty.pk}).context["figures"].waiting_total == 0
    assert review_figures(TODAY, closed).units_not_reported == []


def _soon_tasks(work, n, units, title="Hạn gần"):
    """n one-off tasks due within the fortnight, each assigned to `units`."""
    today = timezone.localdate()
    tasks = [Task.objects.create(item=work.task.item, title=f"{title} {i + 1}",
                                 cadence=Cadence.ONCE, target_value=100,
                                 deadline=today + datetime.timedelta(days=1 + i % 14))
             for i in range(n)]
    for task in tasks:
        services.assign(task=task, units=units, user=work.task.item.campaign.launched_by)
    return tasks


def _grow(cast, work, n):
    """n more units on the plan's task and on a one-off task due within the fortnight, with
    reports of every status; every other unit has reported for the last quarter."""
    today = timezone.localdate()
    units = UnitFactory.create_batch(n, parent=cast.root)
    services.assign(task=work.task, units=units, user=cast.office)
    soon = Task.objects.create(item=work.task.item, title="Hạn gần", cadence=Cadence.ONCE,
                               deadline=today + datetime.timedelta(days=5), target_value=100)
    services.assign(task=soon, units=[cast.unit_a, *units], user=cast.office)
    for i, assignment in enumerate(work.task.assignments.filter(unit__in=units)):
        status = [ReportStatus.SUBMITTED, ReportStatus.RETURNED, ReportStatus.DRAFT][i % 3]
        _report(assignment, "2022-Q1", status, submitted=today, reviewed=today, reason="Sửa.")
        if i % 2:
            _report(assignment, "2022-Q4", ReportStatus.SUBMITTED, submitted=today)
    for assignment in soon.assignments.filter(unit__in=units):
        _report(assignment, "2022", ReportStatus.SUBMITTED, submitted=today)


@pytest.mark.parametrize("extra", [1, 12])
def test_query_count_is_constant(cast, client_for, work, django_assert_num_queries, extra):
    _grow(cast, work, extra)
    client = client_for(cast.office)

    # session, user, viewer, the campaign select; then the two report totals, the oldest
    # waiting, waiting by item, the oldest returned, the (cadence, year, deadline) combinations
    # and the units missing reports for their current periods (the units not reported), the
    # (task, deadline) groups less the inactive units' and their tasks, and the reports of the
    # periods due within the fortnight
    with django_assert_num_queries(13):
        response = client.get(URL)
    assert response.status_code == 200
    gaps = response.context["figures"].units_not_reported
    assert {g.name: g.missing for g in gaps} == _missing_by_hand(timezone.localdate())
    assert len(gaps) == 2 + (extra + 1) // 2
    assert response.context["figures"].deadlines


@pytest.mark.parametrize("extra", [1, 12])
def test_query_count_with_a_campaign_filter(cast, client_for, work, django_assert_num_queries,
                                           extra):
    _grow(cast, work, extra)
    client = client_for(cast.office)

    # as above, plus the chosen campaign
    with django_assert_num_queries(14):
        response = client.get(URL, {"campaign": work.campaign.pk})
    assert response.status_code == 200


# -- in a browser -----------------------------------------------------------------------------


def _browser(test):
    for mark in BROWSER:
        test = mark(test)
    return test


@_browser
def test_dashboard_in_a_browser_and_on_one_a4_page(page, live_server, cast, work, screenshot):
    # Every list full, with long titles and reasons: the worst case for one printed page.
    _grow(cast, work, 20)
    title = ("Tổ chức tuyên truyền, phổ biến và niêm yết công khai đầy đủ các thủ tục hành "
             "chính thuộc thẩm quyền giải quyết của đơn vị")
    today = timezone.localdate()
    for task in _soon_tasks(work, 12, [cast.unit_a, cast.unit_b], title=title):
        _report(task.assignments.get(unit=cast.unit_a), "2022", ReportStatus.RETURNED,
                submitted=today, reviewed=today - datetime.timedelta(days=3),
                reason="Biên bản niêm yết chưa có chữ ký của thủ trưởng đơn vị và dấu; "
                       "bổ sung ảnh chụp bảng niêm yết tại bộ phận một cửa.")
    base = live_server.url
    sign_in(page, base, "vanphong", PASSWORD)
    page.goto(f"{base}{URL}")
    from playwright.sync_api import expect as expect_page

    expect_page(page.get_by_role("heading", level=1)).to_have_count(1)
    screenshot("review-dashboard")
    page.locator(".dashboard-figures a[data-figure='returned']").click()
    expect_page(page).to_have_url(re.compile(r"/tasks/figures/\?state=returned"))
    page.go_back()

    # An A4 sheet in landscape, less the 10 mm margins, is about 1047 × 718 CSS pixels.
    page.set_viewport_size({"width": 1047, "height": 718})
    page.emulate_media(media="print")
    screenshot("review-dashboard-print")
    pdf = page.pdf(prefer_css_page_size=True, print_background=True)
    (SCREENSHOTS / "review-dashboard.pdf").write_bytes(pdf)
    assert len(re.findall(rb"/Type\s*/Page(?!s)", pdf)) == 1


@_browser
def test_dashboard_lists_are_cards_on_a_phone(page, live_server, cast, work, screenshot):
    # At 390 px the five columns of a list left the task's title a strip a word wide, and the
    # reason for a return beside it another, rows of eight lines for one line of facts.
    _grow(cast, work, 3)
    sign_in(page, live_server.url, "vanphong", PASSWORD)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}{URL}")
    from playwright.sync_api import expect as expect_page

    for table in ("#waiting-table", "#returned-table", "#deadlines-table"):
        row = page.locator(f"{table} tbody tr").first
        title = row.locator("td.fill").first
        assert title.bounding_box()["width"] > 300, table  # the card's width
        expect_page(row.locator("td[data-label]").first).to_be_visible()
    days = page.locator('#waiting-table tbody tr td[data-label="Số ngày chờ"]').first
    expect_page(days).to_have_text("0")
    screenshot("review-dashboard-390")
