"""In a real browser: the director opens the campaign dashboard and follows a figure to its list;
a unit head opens where their unit stands. Screenshots are kept in artifacts/screenshots."""

import datetime

from playwright.sync_api import expect

from scoring import services
from tasks.models import ReportStatus

from ..factories import PASSWORD, ProgressReportFactory
from ..helpers import BROWSER, sign_in
from .conftest import at

pytestmark = BROWSER


def test_director_and_unit_head_dashboards(page, live_server, cast, scored, screenshot):
    base = live_server.url
    ProgressReportFactory(assignment=scored.t1.assignments.get(unit=cast.unit_b),
                          period="2022-Q1", status=ReportStatus.SUBMITTED,
                          submitted_at=at(datetime.date(2022, 4, 2)))
    services.open_first_round(scheme=scored.scheme, deadline=datetime.date(2099, 1, 1),
                              user=cast.office)

    sign_in(page, base, "giamdoc", PASSWORD)
    page.get_by_role("link", name="Tổng quan", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Tổng quan Kế hoạch")
    expect(page.get_by_role("img", name="Báo cáo đến hạn theo nội dung")).to_be_visible()
    expect(page.locator(".dash-headline")).to_contain_text("Chờ duyệt")
    page.set_viewport_size({"width": 1280, "height": 900})
    screenshot("dashboard-director")
    page.locator("#id_kind").select_option(label="Các đơn vị trực thuộc")
    page.get_by_role("button", name="Xem", exact=True).click()
    expect(page.locator("body")).to_contain_text("Các đơn vị trực thuộc")
    # A headline figure leads to the list behind it.
    page.get_by_role("link", name="Chờ duyệt").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("duyệt")

    sign_in(page, base, "head_a", PASSWORD)
    page.get_by_role("link", name="Kết quả của đơn vị tôi").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(cast.unit_a.name)
    expect(page.get_by_role("img", name="Tỷ lệ báo cáo đến hạn đã gửi")).to_be_visible()
    screenshot("dashboard-unit")


def test_headline_tiles_two_a_row_on_a_phone(page, live_server, cast, scored, screenshot):
    """At 390 px the director's six headline tiles sit two a row, each wide enough that its
    label and figure read on a few lines ("71 %" was split over two lines with four a row)."""
    sign_in(page, live_server.url, "giamdoc", PASSWORD)
    page.set_viewport_size({"width": 390, "height": 844})
    page.get_by_role("link", name="Tổng quan", exact=True).first.click()
    tiles = page.locator(".dash-headline > div")
    expect(tiles).to_have_count(6)
    boxes = [tiles.nth(i).bounding_box() for i in range(6)]
    rows = sorted({round(box["y"]) for box in boxes})
    assert len(rows) == 3, rows
    assert all(box["width"] > 150 for box in boxes), [box["width"] for box in boxes]
    screenshot("dashboard-director-390")
