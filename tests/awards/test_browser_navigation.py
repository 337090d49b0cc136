"""In a real browser: the Khen thưởng section's navigation on a phone (390 px) takes two short
rows, shows the current page even when it is far along its row, and is walked by keyboard;
at 1280 px both rows fit without scrolling."""

from playwright.sync_api import expect

from ..factories import PASSWORD
from ..helpers import BROWSER, sign_in

pytestmark = BROWSER


def test_the_section_navigation_is_two_short_rows_on_a_phone(page, live_server, cast,
                                                            screenshot):
    base = live_server.url
    sign_in(page, base, "vanphong", PASSWORD)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{base}/awards/fund/")

    nav = page.locator(".awards-nav")
    assert nav.bounding_box()["height"] < 100  # the strip of 12 tabs was 288 px
    current = nav.locator("[aria-current=page]")
    expect(current).to_have_text("Quỹ khen thưởng")
    box = current.bounding_box()
    assert 0 <= box["x"] and box["x"] + box["width"] <= 390  # scrolled into view
    screenshot("awards-navigation-390")

    # By keyboard: the group of the history, then its first page.
    nav.get_by_role("link", name="Danh mục & lịch sử").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Lịch sử khen thưởng")
    expect(page.locator(".awards-nav [aria-current=true]")).to_have_text("Danh mục & lịch sử")

    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{base}/awards/registration/")
    for row in page.locator(".awards-nav .nav").all():
        assert row.evaluate("r => r.scrollWidth <= r.clientWidth")
    expect(page.locator(".awards-nav .awards-tabs .nav-link")).to_have_count(6)
    screenshot("awards-navigation-1280")
