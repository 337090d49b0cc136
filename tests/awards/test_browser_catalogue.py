"""In a real browser: a staff member opens the catalogue from the awards tabs and switches to
the period of the 2003 law; an administrator sees each condition's source and the figures to be
checked."""

from playwright.sync_api import expect

from ..factories import PASSWORD
from ..helpers import BROWSER, sign_in

pytestmark = BROWSER


def test_catalogue_read_by_staff_and_administrator(page, live_server, cast, screenshot):
    base = live_server.url
    sign_in(page, base, "canbo", PASSWORD)
    page.goto(f"{base}/awards/history/")
    page.get_by_role("link", name="Danh mục", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Danh mục danh hiệu, hình thức khen thưởng")
    medal = page.get_by_role("heading", name="Kỷ niệm chương “Vì sự nghiệp giáo dục”")
    expect(medal).to_be_visible()
    expect(page.get_by_text("(nữ đủ 15 năm)")).to_be_visible()
    expect(page.get_by_text("cần đối chiếu")).to_have_count(0)
    screenshot("awards-catalogue-staff")
    page.get_by_role("link", name="01/01/2018 – 31/12/2023").click()
    expect(page.get_by_role("heading", level=2).first).to_contain_text("Nghị định 91/2017")

    sign_in(page, base, "quantri", PASSWORD)
    page.goto(f"{base}/awards/catalogue/")
    expect(page.get_by_text("cần đối chiếu").first).to_be_visible()
    screenshot("awards-catalogue-admin")
