"""In a real browser on a phone (390 px): the lists behind the review dashboard's figures show
each report's status and the day it was sent without scrolling sideways."""

from decimal import Decimal

from django.utils import timezone
from playwright.sync_api import expect

from tasks import services

from ..factories import PASSWORD
from ..helpers import BROWSER, sign_in

pytestmark = BROWSER

PHONE = {"width": 390, "height": 844}


def test_the_waiting_list_fits_a_phone(page, live_server, cast, work, screenshot):
    report = services.save_report(assignment=work.assignment_a,
                                  period=work.assignment_a.period("2022-Q1"),
                                  data={"value": Decimal("95.5"), "narrative": "Đã niêm yết."},
                                  user=cast.head_a)
    services.submit(report=report, user=cast.head_a)
    sent = timezone.localdate().strftime("%d/%m/%Y")

    sign_in(page, live_server.url, "vanphong", PASSWORD)
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/tasks/figures/?state=waiting")

    row = page.locator(".figure-list tbody tr").first
    status = row.locator('td[data-label="Trạng thái"]')
    sent_on = row.locator('td[data-label="Đã gửi"]')
    expect(status).to_have_text("Chờ duyệt")
    expect(sent_on).to_contain_text(f"{sent} trễ hạn")
    # The status and the day sent were columns five and six of a table scrolled sideways.
    for shown in (status.get_by_text("Chờ duyệt"), sent_on.get_by_text("trễ hạn")):
        box = shown.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    assert page.locator(".table-responsive").evaluate("t => t.scrollWidth <= t.clientWidth")
    screenshot("figures-waiting-390")
