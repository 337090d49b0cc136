"""In a real browser: a school head proposes a teacher for an extraordinary award from the
"Chuyên đề, đột xuất, thâm niên" tab, sees the verdict; the Office accepts it and registers the
decision, which names the teacher."""

import datetime

from playwright.sync_api import expect

from ..factories import PASSWORD, StaffMemberFactory
from ..helpers import BROWSER, confirm_in_page, sign_in

pytestmark = BROWSER


def test_head_proposes_office_accepts_and_decides(page, live_server, cast, screenshot):
    base = live_server.url
    today = datetime.date.today()
    StaffMemberFactory(unit=cast.unit_a, full_name="Đặng Văn Dũng")
    sign_in(page, base, "head_a", PASSWORD)
    page.goto(f"{base}/awards/proposals/")
    page.get_by_role("link", name="Chuyên đề, đột xuất, thâm niên").click()
    page.get_by_role("link", name="Thêm người được đề nghị").click()
    page.get_by_label("Danh hiệu, hình thức khen thưởng").select_option(
        label="Giấy khen đột xuất của Giám đốc Sở (đột xuất)")
    page.get_by_label("Người được đề nghị").select_option(label="Đặng Văn Dũng")
    page.get_by_role("button", name="Gửi Văn phòng").click()
    # Nothing written yet: refused with what to write, the choices kept.
    expect(page.get_by_text("Hãy ghi lý do và thành tích").first).to_be_visible()
    expect(page.get_by_label("Người được đề nghị")).to_have_value(
        str(cast.unit_a.staff.get(full_name="Đặng Văn Dũng").pk))
    page.get_by_label("Ngày lập thành tích").fill(today.strftime("%d/%m/%Y"))
    page.get_by_label("Lý do và thành tích").fill("Cứu học sinh đuối nước")
    page.get_by_role("button", name="Gửi Văn phòng").click()
    expect(page.get_by_text("Đã gửi đề nghị về Văn phòng.")).to_be_visible()
    expect(page.get_by_text("đủ điều kiện", exact=True)).to_be_visible()
    screenshot("awards-special-head")

    sign_in(page, base, "vanphong", PASSWORD)
    page.goto(f"{base}/awards/special/?year={today.year}")
    page.get_by_role("button", name="Chấp nhận").click()
    expect(page.get_by_text("Đã chấp nhận đề nghị.")).to_be_visible()
    page.get_by_role("link", name="Quyết định & tiền thưởng").click()
    page.get_by_role("link", name="Quyết định", exact=True).click()
    page.get_by_role("link", name="ban hành quyết định").click()
    expect(page.get_by_text("Đặng Văn Dũng")).to_be_visible()
    page.locator("#id_number").fill("31/QĐ-SGDĐT")
    page.locator("#id_signed_on").fill(today.strftime("%d/%m/%Y"))
    page.locator("#id_signer_name").fill("Trần Văn Giám")
    page.get_by_role("button", name="Ban hành quyết định").click()
    confirm_in_page(page, "Ban hành quyết định")
    expect(page.get_by_role("heading", level=1)).to_contain_text("31/QĐ-SGDĐT")
    expect(page.get_by_text("Đặng Văn Dũng")).to_be_visible()
    screenshot("awards-special-decision")
