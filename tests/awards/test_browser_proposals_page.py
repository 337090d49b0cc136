"""In a real browser: the lists page's document buttons and its year box do not touch."""

from django.urls import reverse

from ..factories import PASSWORD
from ..helpers import BROWSER, sign_in

pytestmark = BROWSER


def test_year_box_stands_apart_from_the_document_buttons(cast, live_server, page, screenshot):
    # "Năm" sat on the buttons' bottom edge and read as their caption, at both widths.
    sign_in(page, live_server.url, cast.office.username, PASSWORD)
    for width, name in ((1280, "desktop"), (390, "phone")):
        page.set_viewport_size({"width": width, "height": 844})
        page.goto(f"{live_server.url}{reverse('awards:proposals')}?year=2022")
        buttons = page.get_by_role("group", name="Tờ trình đề nghị UBND tỉnh").bounding_box()
        label = page.locator("label[for=year]").bounding_box()
        screenshot(f"proposals-year-box-{name}")
        assert label["y"] - (buttons["y"] + buttons["height"]) >= 8
