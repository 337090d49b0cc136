"""In Chromium: every figure of the director's dashboard opens a list with as many rows as the
figure says; the score sheet, the round comparison and a report's history explain their
numbers. Screenshots in artifacts/screenshots/."""

import datetime
import re
from decimal import Decimal as D

from playwright.sync_api import expect

from scoring import services
from scoring.models import Score, Sheet
from tasks import services as task_services

from ..factories import PASSWORD
from ..helpers import BROWSER, sign_in
from .every_state import every_state

pytestmark = BROWSER

DEADLINE = datetime.date(2099, 12, 31)


def _number(text):
    digits = re.findall(r"\d+", text.replace(".", ""))
    assert digits, text
    return int(digits[0])


def _rows(page):
    """The rows of the list on the page, on every one of its pages."""
    total = 0
    while True:
        body = page.locator("main table").first.locator("tbody tr")
        total += sum(1 for i in range(body.count()) if not body.nth(i).locator("td[colspan]")
                     .count())
        following = page.locator("a[rel=next]")
        if not following.count():
            return total
        following.first.click()


def _figures(page):
    """(name, href, number shown) of every figure link on the page."""
    found = []
    links = page.locator("[data-figure]")
    for i in range(links.count()):
        link = links.nth(i)
        counts = link.locator(".figure-count")
        text = counts.first.inner_text() if counts.count() else link.inner_text()
        found.append((link.get_attribute("data-figure"), link.get_attribute("href"),
                      _number(text)))
    return found


def test_each_director_figure_opens_as_many_rows_as_it_says(page, live_server, cast, scored,
                                                            screenshot):
    world = every_state(scored, cast)
    base = live_server.url
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, base, "giamdoc", PASSWORD)
    dashboard = f"{base}/scoring/campaign/{world.scored.campaign.pk}/dashboard/"
    checked = set()
    for query in ("", "?kind=affiliated&quarter=2", "?kind=internal"):
        page.goto(dashboard + query)
        expect(page.get_by_role("heading", level=1)).to_contain_text("Tổng quan Kế hoạch")
        if not query:
            screenshot("figures-dashboard")
        figures = _figures(page)
        assert {name for name, _h, _n in figures} >= {
            "assignments", "on_time", "due", "overdue", "waiting", "disseminated",
            "dissemination_total", "ranked"}
        for name, href, number in figures:
            page.goto(base + href)
            assert _rows(page) == number, (query, name, href)
            checked.add(name)
            if name == "overdue" and not query:
                expect(page.get_by_role("heading", level=1)).to_have_text("Kỳ báo cáo quá hạn")
                screenshot("figures-overdue-list")
    assert len(checked) >= 8


def test_the_numbers_of_a_sheet_a_comparison_and_a_history_explain_themselves(
        page, live_server, cast, scored, screenshot):
    world = every_state(scored, cast)
    base = live_server.url
    campaign = world.scored.campaign
    first = scored.scheme.rounds.get()
    own = Sheet.objects.get(round=first, unit=cast.unit_a)
    manual = Score.objects.get(round=first, unit=cast.unit_a, criterion=scored.c4)
    services.save_sheet(sheet=own, changes={manual: (D(18), "Có biên bản các quý")},
                        user=cast.head_a, expected_version=own.version)

    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, base, "head_a", PASSWORD)
    page.goto(f"{base}/scoring/campaign/{campaign.pk}/unit/{cast.unit_a.pk}/")
    expect(page.locator("mark.band-applied")).to_have_text("≥ 80 %: 22,5 điểm ← áp dụng")
    expect(page.locator("main")).to_contain_text("90 % × 30 = 27")
    counted = page.locator(f"details[data-criterion='{scored.c1.pk}']")
    counted.locator("summary").click()
    report = scored.t1.assignments.get(unit=cast.unit_a).reports.get(period="2022-Q2")
    expect(counted.locator("a")).to_have_attribute("href", report.get_absolute_url())
    screenshot("figures-score-sheet")

    second = services.advance(scheme=scored.scheme, deadline=DEADLINE, user=cast.office)
    sheet = Sheet.objects.get(round=second, unit=cast.unit_a)
    lowered = Score.objects.get(round=second, unit=cast.unit_a, criterion=scored.c4)
    services.save_sheet(sheet=sheet, changes={lowered: (D("12.5"), "Thiếu biên bản quý 2")},
                        user=cast.office, expected_version=sheet.version)
    sign_in(page, base, "giamdoc", PASSWORD)
    page.goto(f"{base}/scoring/campaign/{campaign.pk}/compare/")
    expect(page.locator("#compare-count")).to_contain_text("1 tiêu chí thay đổi")
    expect(page.locator("main table tbody tr")).to_have_count(1)
    expect(page.locator("main table")).to_contain_text("Điểm: 18 → 12,5")
    screenshot("figures-compare")

    assignment = scored.t1.assignments.get(unit=world.unit_c)
    draft = task_services.save_report(
        assignment=assignment, period=assignment.period("2022-Q2"),
        data={"value": D("95.5"), "narrative": "Đã công khai 20 thủ tục hành chính."},
        user=cast.admin)
    task_services.save_report(
        assignment=assignment, period=assignment.period("2022-Q2"),
        data={"value": D(96), "narrative": "Đã công khai 21 thủ tục hành chính."},
        user=cast.admin, report=draft, expected_version=draft.version)
    page.goto(f"{base}/tasks/report/{draft.pk}/")
    history = page.locator("#history")
    expect(history).to_contain_text("Giá trị đạt được: 95,5 → 96")
    history.locator("details summary").last.click()
    expect(history).to_contain_text("Trước: Đã công khai 20 thủ tục hành chính.")
    screenshot("figures-report-history")
