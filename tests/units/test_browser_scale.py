"""In a real browser: a big import's preview lists only the rows to fix and to change, with the
rest counted, and a unit's page counts its people and leads to the full staff list."""

import io

from openpyxl import Workbook
from playwright.sync_api import expect

from core.spreadsheets import import_preview

from ..factories import PASSWORD, StaffMemberFactory
from ..helpers import BROWSER, sign_in

pytestmark = BROWSER
HEADER = ["Họ và tên", "Ngày sinh", "Giới tính", "Mã đơn vị", "Chức vụ", "Phân loại",
          "Ngày tuyển dụng", "Mã cán bộ"]


def _file(tmp_path):
    book = Workbook()
    book.active.append(HEADER)
    for i in range(8):
        book.active.append([f"Đỗ Văn {i}", "04/01/1980", "Nam", "a", "", "viên chức", None,
                            f"P{i}"])
    for i in range(7):
        book.active.append([f"Hồ Thị {i}", "31/02/1980", "Nữ", "a", "", "viên chức", None,
                            f"E{i}"])
    stream = io.BytesIO()
    book.save(stream)
    path = tmp_path / "nhan-su.xlsx"
    path.write_bytes(stream.getvalue())
    return path


def test_a_big_preview_and_a_big_unit_page_read_well(page, live_server, cast, screenshot,
                                                     tmp_path, monkeypatch):
    monkeypatch.setattr(import_preview, "LISTED", 5)
    StaffMemberFactory.create_batch(40, unit=cast.unit_a)
    sign_in(page, live_server.url, "vanphong", PASSWORD)

    page.goto(f"{live_server.url}/units/staff/import/")
    page.locator("#id_file").set_input_files(str(_file(tmp_path)))
    page.get_by_role("button", name="Kiểm tra tệp").click()
    screenshot("scale-import-preview-capped")

    expect(page.locator("tbody tr")).to_have_count(10)
    expect(page.get_by_text("… và 2 dòng có lỗi nữa")).to_be_visible()
    expect(page.get_by_text("… và 3 dòng cần thêm hoặc cập nhật nữa")).to_be_visible()

    page.goto(f"{live_server.url}/units/{cast.unit_a.pk}/")
    screenshot("scale-unit-page")
    expect(page.get_by_text("42 người đã có hồ sơ trên cổng thông tin.")).to_be_visible()
    page.get_by_role("link", name="Xem và tìm trong toàn bộ danh sách cán bộ").first.click()
    expect(page).to_have_url(f"{live_server.url}/units/{cast.unit_a.pk}/staff/")
