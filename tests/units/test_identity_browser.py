"""In a real browser: the administrator renames the department after a merger, and every page's
header and title say the new name, on a desk screen and on a phone."""

from playwright.sync_api import expect

from units.models import AuditEntry, Department

from ..factories import PASSWORD
from ..helpers import BROWSER, sign_in

pytestmark = BROWSER


def test_administrator_renames_the_department_and_the_header_follows(cast, live_server, page,
                                                                     screenshot):
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, live_server.url, cast.admin.username, PASSWORD)
    page.locator(".navbar-user").click()
    page.get_by_role("link", name="Thông tin của Sở", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Thông tin của Sở")
    page.locator("#id_name").fill("Sở Giáo dục và Đào tạo Đồng Nai")
    page.locator("#id_short_name").fill("Sở GD&ĐT Đồng Nai")
    page.locator("#id_parent_agency").fill("ubnd tỉnh đồng nai")
    page.locator("#id_place").fill("Đồng Nai")
    page.get_by_role("button", name="Lưu thông tin của Sở").click()

    expect(page.locator(".alert-success")).to_contain_text("Đã lưu thông tin của Sở")
    expect(page.locator("#id_parent_agency")).to_have_value("UBND TỈNH ĐỒNG NAI")
    expect(page.locator(".brand-department")).to_have_text("Sở GD&ĐT Đồng Nai")
    expect(page).to_have_title("Thông tin của Sở · Sở GD&ĐT Đồng Nai")
    screenshot("identity-saved-1280")
    assert Department.objects.get().place == "Đồng Nai"
    assert AuditEntry.objects.filter(action="department.edit").count() == 1

    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, live_server.url, cast.head_a.username, PASSWORD)
    expect(page.locator(".brand-department")).to_have_text("Sở GD&ĐT Đồng Nai")
    expect(page.locator("footer")).to_contain_text("Sở Giáo dục và Đào tạo Đồng Nai")
    box = page.locator(".navbar-brand").bounding_box()
    assert box["x"] + box["width"] <= 390  # the name fits beside the menu button
    screenshot("identity-home-390")
