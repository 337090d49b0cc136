"""In a real browser: the Office opens the year's registration; a school's head registers the
school and its staff on the page and from Excel and sends it; the Office returns it with a
reason (after being told a reason is needed) and accepts the corrected one."""

import datetime
from io import BytesIO

from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import Workbook
from playwright.sync_api import expect

from awards import registration_imports
from awards.models import Award, RegistrationStatus, StaffRegistration, UnitRegistration
from units.models import AuditEntry

from ..factories import PASSWORD, StaffMemberFactory
from ..helpers import BROWSER, confirm_in_page, sign_in

pytestmark = BROWSER

YEAR = timezone.localdate().year
NAMES = ["Âu Thị Ngọc Hân", "Bạch Văn Minh", "Cao Thị Lan"]


def _workbook(rows, path):
    book = Workbook()
    sheet = book.active
    with translation.override("vi"):
        sheet.append([translation.gettext(h) for h in registration_imports.HEADERS])
    for row in rows:
        sheet.append(row)
    stream = BytesIO()
    book.save(stream)
    path.write_bytes(stream.getvalue())
    return path


def test_office_opens_head_registers_office_returns_and_accepts(page, live_server, cast,
                                                                screenshot, tmp_path):
    people = [StaffMemberFactory(unit=cast.unit_a, full_name=name, position="Giáo viên")
              for name in NAMES]
    page.set_viewport_size({"width": 1280, "height": 900})
    # The Office opens the year's registration.
    sign_in(page, live_server.url, "vanphong", PASSWORD)
    page.goto(f"{live_server.url}{reverse('awards:registrations')}?year={YEAR}")
    page.get_by_label("Hạn đăng ký").fill(f"31/12/{YEAR}")
    page.get_by_role("button", name=f"Mở đăng ký thi đua năm {YEAR}").click()
    expect(page.locator(".alert-success")).to_contain_text(f"Đã mở đăng ký thi đua năm {YEAR}")
    screenshot("registration-office-opened")

    # The head: the tab leads to the school's own page; the unit's title and one person.
    sign_in(page, live_server.url, "head_a", PASSWORD)
    page.goto(f"{live_server.url}{reverse('awards:proposals')}")
    page.get_by_role("link", name="Đăng ký thi đua").click()
    expect(page.locator("h1")).to_contain_text(f"Đăng ký thi đua {YEAR}")
    page.get_by_label("Danh hiệu tập thể đơn vị đăng ký").select_option(
        label="Tập thể lao động tiên tiến")
    page.get_by_label(NAMES[0]).select_option(label="Chiến sĩ thi đua cơ sở")
    page.get_by_role("button", name="Lưu trang này").click()
    expect(page.locator(".alert-success")).to_contain_text("Đã lưu đăng ký thi đua")
    expect(page.get_by_label("Danh hiệu tập thể đơn vị đăng ký")).to_have_value(
        str(Award.objects.get(code="tap-the-lao-dong-tien-tien").pk))
    # The rest from Excel: preview, then save.
    page.get_by_role("link", name="Nhập đăng ký thi đua từ Excel").click()
    page.set_input_files("input[type=file]", str(_workbook(
        [[people[1].pk, NAMES[1], "", "Lao động tiên tiến"],
         [people[2].pk, NAMES[2], "", "Lao động tiên tiến"]], tmp_path / "dang-ky.xlsx")))
    page.get_by_role("button", name="Kiểm tra tệp").click()
    expect(page.locator("h1")).to_have_text("Kiểm tra dữ liệu nhập")
    page.get_by_role("button", name="Ghi dữ liệu").click()
    confirm_in_page(page)
    expect(page.locator(".alert-success")).to_contain_text("Đã lưu dữ liệu nhập: 2")
    screenshot("registration-head-page")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot("registration-head-page-390")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.get_by_role("button", name="Lưu và gửi Văn phòng").click()
    assert confirm_in_page(page, "Gửi Văn phòng").startswith(
        f"Lưu các lựa chọn trên trang này và gửi bản đăng ký năm {YEAR} của {cast.unit_a.name}")
    expect(page.locator(".alert-success")).to_contain_text("Đã lưu và gửi bản đăng ký về Văn phòng")

    # The Office: returning without a reason is refused, with one it goes back.
    sign_in(page, live_server.url, "vanphong", PASSWORD)
    page.goto(f"{live_server.url}{reverse('awards:registrations')}?year={YEAR}")
    screenshot("registration-office-overview")
    page.get_by_role("link", name=cast.unit_a.name).click()
    page.get_by_role("button", name="Trả lại cho đơn vị").click()
    expect(page.locator(".alert-danger")).to_contain_text("Ghi rõ đơn vị cần sửa gì")
    assert UnitRegistration.objects.get().status == RegistrationStatus.SENT
    page.get_by_label("Lý do (bắt buộc khi trả lại)").fill("Thiếu đăng ký của hiệu trưởng.")
    page.get_by_role("button", name="Trả lại cho đơn vị").click()
    expect(page.locator(".alert-success")).to_contain_text("Đã trả lại bản đăng ký")

    # The head reads why, corrects and sends again.
    sign_in(page, live_server.url, "head_a", PASSWORD)
    page.goto(f"{live_server.url}{reverse('awards:registrations')}")
    expect(page.locator(".alert-danger")).to_contain_text("Thiếu đăng ký của hiệu trưởng.")
    # The correction goes with the send, without pressing "save" first.
    page.get_by_label(cast.head_a.staff_member.full_name).select_option(
        label="Lao động tiên tiến")
    page.get_by_role("button", name="Lưu và gửi Văn phòng").click()
    confirm_in_page(page, "Gửi Văn phòng")
    expect(page.locator(".alert-success")).to_contain_text("Đã lưu và gửi bản đăng ký")
    assert UnitRegistration.objects.get().status == RegistrationStatus.SENT
    assert StaffRegistration.objects.filter(staff=cast.head_a.staff_member).exists()

    # The Office accepts the corrected one.
    sign_in(page, live_server.url, "vanphong", PASSWORD)
    page.goto(f"{live_server.url}{reverse('awards:registration')}?unit={cast.unit_a.pk}"
              f"&year={YEAR}")
    screenshot("registration-office-answer")
    page.get_by_role("button", name="Chấp nhận").click()
    expect(page.locator(".alert-success")).to_contain_text("Đã tiếp nhận bản đăng ký")

    registration = UnitRegistration.objects.get()
    assert registration.status == RegistrationStatus.ACCEPTED
    assert registration.award.code == "tap-the-lao-dong-tien-tien"
    assert StaffRegistration.objects.filter(registration=registration).count() == 4
    assert list(AuditEntry.objects.filter(action__startswith="registration.").order_by("pk")
                .values_list("action", flat=True)) == [
        "registration.open", "registration.save", "registration.import", "registration.send",
        "registration.return", "registration.save", "registration.send", "registration.accept"]
    assert datetime.date.today().year == YEAR
