"""In a real browser, a department's first day on an empty portal (no demo): start_department
makes the administrator, who completes the identity, imports the units and the staff from the
sample workbooks in docs/samples/, creates a school head's account from the school's staff list
and invites them by e-mail, enters the year's plan and launches it; the head follows the e-mailed
link, chooses a password, signs in, is asked to confirm the plan's dissemination and finds the
school's staff."""

import re
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import call_command
from playwright.sync_api import expect

from units.models import AuditEntry, Department, StaffMember, Unit

from ..helpers import BROWSER, confirm_in_page, sign_in

pytestmark = BROWSER
SAMPLES = Path(__file__).resolve().parents[2] / "docs" / "samples"
ADMIN_PASSWORD = "Khoa-Sgd#2026!"
HEAD_PASSWORD = "Hieu-Truong#2026"
DESK = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


def _import(page, link_name, workbook, screenshot, name):
    """Upload a workbook on an import page, look at the preview, write it."""
    page.get_by_role("link", name=link_name).click()
    page.locator("#id_file").set_input_files(str(SAMPLES / workbook))
    page.get_by_role("button", name="Kiểm tra tệp").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Kiểm tra dữ liệu nhập")
    expect(page.locator("body")).not_to_contain_text("Lỗi")
    screenshot(f"first-run-{name}-preview")
    page.set_viewport_size(PHONE)
    screenshot(f"first-run-{name}-preview-390")
    page.set_viewport_size(DESK)
    page.get_by_role("button", name="Ghi dữ liệu").click()
    question = confirm_in_page(page)
    expect(page.locator(".alert-success")).to_contain_text("Đã lưu: thêm")
    return question


def test_a_department_starts_on_an_empty_portal(live_server, page, screenshot, monkeypatch):
    User = get_user_model()
    assert not Unit.objects.exists() and not StaffMember.objects.exists()
    assert not User.objects.exists()

    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", ADMIN_PASSWORD)
    call_command("start_department", "--noinput", username="quantri",
                 full_name="Trịnh Minh Khoa", email="quantri@sgddt.edu.vn",
                 name="Sở Giáo dục và Đào tạo Đồng Nai", short_name="Sở GD&ĐT Đồng Nai",
                 parent_agency="ubnd tỉnh đồng nai", place="Đồng Nai")
    admin = User.objects.get(username="quantri", is_superuser=True)
    assert Department.objects.get().parent_agency == "UBND TỈNH ĐỒNG NAI"

    base = live_server.url
    page.set_viewport_size(DESK)
    sign_in(page, base, "quantri", ADMIN_PASSWORD)
    expect(page.locator(".brand-department")).to_have_text("Sở GD&ĐT Đồng Nai")
    steps = page.get_by_role("region", name="Thiết lập cổng thông tin của Sở")
    expect(page.get_by_role("heading", level=1)).to_have_text("Xin chào, Trịnh Minh Khoa")
    expect(steps.get_by_role("listitem")).to_have_count(5)
    expect(steps.get_by_role("list")).not_to_contain_text("đã xong")
    screenshot("first-run-home")

    # The identity: check what the command stored, add the signers and the contact address.
    steps.get_by_role("link", name="Kiểm tra thông tin của Sở").click()
    expect(page.locator("#id_name")).to_have_value("Sở Giáo dục và Đào tạo Đồng Nai")
    expect(page.locator("#id_place")).to_have_value("Đồng Nai")
    page.locator("#id_director_name").fill("Nguyễn Thị Thu Hằng")
    page.locator("#id_deputy_names").fill("Lê Văn Tâm\nPhạm Thị Hoa")
    page.locator("#id_email").fill("vanphong@sgddt.edu.vn")
    page.get_by_role("button", name="Lưu thông tin của Sở").click()
    expect(page.locator(".alert-success")).to_contain_text("Đã lưu thông tin của Sở")
    screenshot("first-run-department")
    page.set_viewport_size(PHONE)
    screenshot("first-run-department-390")
    page.set_viewport_size(DESK)
    assert Department.objects.get().deputies == ["Lê Văn Tâm", "Phạm Thị Hoa"]

    # The units, then the staff, from the sample workbooks.
    page.get_by_role("link", name="Trang chủ").click()
    _import(page, "Nhập danh sách đơn vị từ Excel", "don-vi.xlsx", screenshot, "units")
    assert Unit.objects.count() == 12
    school = Unit.objects.get(code="thpt-hung-vuong")
    expect(page.get_by_role("link", name="Trường THPT Hùng Vương")).to_be_visible()
    page.get_by_role("link", name="Trang chủ").click()
    expect(steps.get_by_role("listitem").nth(1)).to_contain_text("đã xong")
    _import(page, "Nhập danh sách cán bộ từ Excel", "can-bo.xlsx", screenshot, "staff")
    assert school.staff.count() == 14

    # The school's head gets an account from the school's staff list, invited by e-mail.
    page.goto(f"{base}/units/organisation/")
    page.get_by_role("link", name="Trường THPT Hùng Vương").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Cán bộ của Trường THPT Hùng Vương")
    expect(page.get_by_role("cell", name="Đặng Ngọc Oanh")).to_be_visible()
    page.get_by_role("link", name="Tạo tài khoản cho cán bộ của đơn vị").click()
    page.get_by_label("Vai trò của các tài khoản mới").select_option("unit_head")
    page.get_by_label("Đặng Ngọc Oanh").check()
    row = page.get_by_role("row").filter(has_text="Đặng Ngọc Oanh")
    expect(row.get_by_label("Tên đăng nhập")).to_have_value("oanhdn")
    row.get_by_label("Địa chỉ thư điện tử").fill("oanhdn@thpt-hungvuong.edu.vn")
    screenshot("first-run-account")
    mail.outbox.clear()
    page.get_by_role("button", name="Tạo tài khoản và gửi lời mời").click()
    expect(page.locator(".alert-success")).to_contain_text("Đã tạo và gửi lời mời cho 1 tài khoản")
    account = page.get_by_role("row").filter(has_text="oanhdn@thpt-hungvuong.edu.vn")
    expect(account).to_contain_text("Đặng Ngọc Oanh")
    expect(account).to_contain_text("Thủ trưởng đơn vị")
    expect(account).to_contain_text("Trường THPT Hùng Vương")
    expect(account).to_contain_text("Đã mời, chưa đặt mật khẩu")
    # The administrator, who has no staff record, is named too.
    expect(page.get_by_role("row").filter(has_text="quantri@sgddt.edu.vn")).to_contain_text(
        "Trịnh Minh Khoa")
    screenshot("first-run-accounts")
    assert [message.to for message in mail.outbox] == [["oanhdn@thpt-hungvuong.edu.vn"]]
    link = re.search(r"https?://\S+/accounts/invitation/\S+", mail.outbox[0].body).group(0)
    assert AuditEntry.objects.filter(action="account.invite", actor=admin).count() == 1
    page.get_by_role("link", name="Trang chủ").click()
    expect(steps.get_by_role("listitem").filter(has_text="đã xong")).to_have_count(3)
    screenshot("first-run-home-steps")

    # The year's plan, its header from the identity, launched for the school.
    steps.get_by_role("link", name=re.compile("Soạn kế hoạch của năm")).click()
    expect(page.locator("#id_parent_agency")).to_have_value("UBND TỈNH ĐỒNG NAI")
    expect(page.locator("#id_place")).to_have_value("Đồng Nai")
    page.locator("#id_number").fill("15")
    page.locator("#id_symbol").fill("KH-SGDĐT")
    page.locator("#id_issued_on").fill("05/01/2026")
    page.locator("#id_title").fill("Thi đua thực hiện thắng lợi nhiệm vụ năm học")
    page.locator("#id_items-0-number").fill("1")
    page.locator("#id_items-0-short_title").fill("Đổi mới phương pháp dạy học")
    page.locator("#id_items-0-text").fill("Đổi mới phương pháp dạy học và kiểm tra, đánh giá.")
    page.locator("#id_duties-0-number").fill("1")
    page.locator("#id_duties-0-text").fill("Các trường phổ biến kế hoạch đến cán bộ, giáo viên.")
    page.locator("fieldset").filter(has_text="III. Tổ chức thực hiện").get_by_label(
        "Trường THPT Hùng Vương").check()
    page.locator("#id_duties-0-asks_dissemination").check()
    screenshot("first-run-plan-form")
    page.get_by_role("button", name="Lưu kế hoạch").click()
    page.get_by_role("button", name="Phát động phong trào").click()
    confirm_in_page(page, "Phát động")
    expect(page.locator(".alert-success")).to_contain_text(
        "Đã phát động kế hoạch; 1 đơn vị được yêu cầu xác nhận đã phổ biến")
    expect(page.locator("body")).to_contain_text("Nguyễn Thị Thu Hằng")  # the identity's director
    screenshot("first-run-plan-launched")
    page.get_by_role("link", name="Trang chủ").click()
    expect(steps).to_have_count(0)

    # The head follows the e-mailed link, chooses a password, signs in, finds the staff.
    page.context.clear_cookies()
    page.goto(base + re.sub(r"^https?://[^/]+", "", link))
    page.locator("#id_new_password1").fill(HEAD_PASSWORD)
    page.locator("#id_new_password2").fill(HEAD_PASSWORD)
    page.get_by_role("button", name="Lưu mật khẩu mới").click()
    expect(page.get_by_role("heading", name="Đã lưu mật khẩu")).to_be_visible()

    page.set_viewport_size(PHONE)
    sign_in(page, base, "oanhdn", HEAD_PASSWORD)
    expect(page.get_by_role("link", name="Xác nhận đã phổ biến").first).to_be_visible()
    screenshot("first-run-head-home-390")
    page.goto(f"{base}/units/{school.pk}/")
    page.get_by_role("link", name="Danh sách cán bộ (có tìm kiếm)").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Cán bộ của Trường THPT Hùng Vương")
    expect(page.locator("body")).to_contain_text("14 người")
    for name in ("Đặng Ngọc Oanh", "Hồ Thanh Sơn", "Lê Thanh An"):
        expect(page.get_by_role("cell", name=name)).to_be_visible()
    screenshot("first-run-head-staff-390")
