"""In a real browser: the statistics forms on a phone (390 px) scroll sideways inside their box,
the line's label staying in view, and the page itself never scrolls sideways; at 1280 px the
campaigns' form fits its box."""

import datetime

from awards.models import Award, Conferral

from ..factories import PASSWORD
from ..helpers import BROWSER, sign_in

pytestmark = BROWSER


def test_forms_scroll_in_their_box_with_the_label_in_view_on_a_phone(page, live_server, cast,
                                                                    screenshot):
    Conferral.objects.create(award=Award.objects.get(code="giay-khen-tap-the"), year=2022,
                             unit=cast.unit_a, decision="5/QĐ-SGDĐT",
                             decided_on=datetime.date(2022, 6, 1))
    base = live_server.url
    sign_in(page, base, "vanphong", PASSWORD)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{base}/awards/statistics/?year=2022")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    box = page.locator("#form-0602 .table-responsive")
    box.scroll_into_view_if_needed()
    assert box.evaluate("b => b.scrollWidth > b.clientWidth")  # sixteen columns scroll
    box.evaluate("b => { b.scrollLeft = 400; }")
    label = page.locator("#form-0602 tbody th").first
    assert label.bounding_box()["x"] >= 0  # sticky: still at the box's left edge
    screenshot("statistics-390")

    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{base}/awards/statistics/?year=2022")
    assert page.locator("#form-0601 .table-responsive").evaluate(
        "b => b.scrollWidth <= b.clientWidth")
    total = page.locator("#form-CS tbody tr").first
    assert total.locator("td").nth(2).inner_text() == "1"  # code, unit, total: the Giấy khen
    screenshot("statistics-1280")
