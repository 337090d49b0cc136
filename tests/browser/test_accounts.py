"""In a real browser: an administrator creates a unit head's account from the unit's staff and,
without a mail server, hands over the one-time link; the head follows it, chooses a password and
signs in. The sign-in page offers "Quên mật khẩu?"."""

import re

from django.urls import reverse
from playwright.sync_api import expect

from ..factories import PASSWORD, StaffMemberFactory, UserFactory
from ..helpers import BROWSER, sign_in

pytestmark = BROWSER


def test_administrator_invites_a_head_who_chooses_a_password(cast, live_server, page,
                                                             screenshot):
    newcomer = StaffMemberFactory(unit=cast.unit_a, full_name="Lý Thị Đào", user=None,
                                  position="Phó Hiệu trưởng")
    sign_in(page, live_server.url, cast.admin.username, PASSWORD)
    page.goto(live_server.url + reverse("units:accounts"))
    screenshot("accounts-list")
    page.get_by_role("link", name="Tạo tài khoản từ danh sách cán bộ của đơn vị").click()
    page.get_by_label("Đơn vị").select_option(str(cast.unit_a.pk))
    page.get_by_role("button", name="Xem danh sách cán bộ").click()
    page.get_by_label("Vai trò của các tài khoản mới").select_option("unit_head")
    page.get_by_label("Lý Thị Đào").check()
    # The test settings have no mail server: the links are shown on screen.
    page.get_by_label("Hiển thị các đường dẫn dùng một lần trên màn hình thay vì gửi thư").check()
    screenshot("accounts-create")
    page.get_by_role("button", name="Tạo tài khoản và gửi lời mời").click()
    screenshot("accounts-links")
    link = page.locator("code").first.inner_text()
    path = re.sub(r"^https?://[^/]+", "", link)

    page.context.clear_cookies()
    page.goto(live_server.url + path)
    screenshot("accounts-choose-password")
    page.locator("#id_new_password1").fill("Thi-Dua#2026")
    page.locator("#id_new_password2").fill("Thi-Dua#2026")
    page.get_by_role("button", name="Lưu mật khẩu mới").click()
    expect(page.get_by_role("heading", name="Đã lưu mật khẩu")).to_be_visible()
    newcomer.refresh_from_db()
    sign_in(page, live_server.url, newcomer.user.username, "Thi-Dua#2026")


def test_sign_in_page_leads_to_the_forgotten_password_page(db, live_server, page, screenshot):
    page.goto(live_server.url + reverse("login"))
    screenshot("sign-in-with-forgotten-password")
    page.get_by_role("link", name="Quên mật khẩu?").click()
    expect(page.get_by_role("heading", name="Quên mật khẩu")).to_be_visible()
    page.get_by_label("Địa chỉ thư điện tử của bạn").fill("ai-do@truong.edu.vn")
    page.get_by_role("button", name="Gửi đường dẫn").click()
    expect(page.get_by_role("heading", name="Kiểm tra thư điện tử")).to_be_visible()
    screenshot("password-reset-sent")


def test_administrator_searches_the_accounts_on_a_desktop_and_a_phone(cast, live_server, page,
                                                                      screenshot):
    for n in range(25):
        StaffMemberFactory(unit=cast.unit_b, full_name=f"Trần Văn Hải {n}",
                           user=UserFactory(username=f"haitv{n}", email=f"hai{n}@truong.edu.vn"))
    sign_in(page, live_server.url, cast.admin.username, PASSWORD)
    for width, name in ((1280, "desktop"), (390, "phone")):
        page.set_viewport_size({"width": width, "height": 800})
        page.goto(live_server.url + reverse("units:accounts"))
        page.get_by_label("Tìm kiếm").fill("hung vuong")
        page.get_by_label("Vai trò", exact=True).select_option("unit_head")
        page.get_by_role("button", name="Tìm kiếm").click()
        expect(page.get_by_role("cell", name="Ngô Thị Ánh")).to_be_visible()
        expect(page.get_by_text("1 tài khoản")).to_be_visible()
        screenshot(f"accounts-search-{name}")
        # The page itself never scrolls sideways; the table scrolls within its frame.
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        page.goto(live_server.url + reverse("units:accounts"))
        screenshot(f"accounts-all-{name}")
