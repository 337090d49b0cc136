"""In a real browser: the Office imports the sample staff workbook, merges a school into
another, and the merged school's history is one click from the school it joined."""

from pathlib import Path

from playwright.sync_api import expect

from units.models import StaffMember, Unit, UnitKind

from ..factories import PASSWORD
from ..helpers import BROWSER, confirm_in_page, sign_in

pytestmark = BROWSER
SAMPLES = Path(__file__).resolve().parents[2] / "docs" / "samples"


def test_office_imports_staff_and_merges_a_school(page, live_server, cast, screenshot):
    from openpyxl import load_workbook

    book = load_workbook(SAMPLES / "don-vi.xlsx", read_only=True)
    for code, name, _kind, _parent in list(book.active.iter_rows(values_only=True))[2:]:
        Unit.objects.get_or_create(code=code, defaults={"name": name, "kind": UnitKind.SCHOOL,
                                                        "parent": cast.root})
    base = live_server.url
    sign_in(page, base, "vanphong", PASSWORD)

    page.goto(f"{base}/units/organisation/")
    page.get_by_role("link", name="Nhập danh sách cán bộ từ Excel").click()
    page.locator("#id_file").set_input_files(str(SAMPLES / "can-bo.xlsx"))
    page.get_by_role("button", name="Kiểm tra tệp").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Kiểm tra dữ liệu nhập")
    screenshot("units-staff-import-preview")
    page.get_by_role("button", name="Ghi dữ liệu").click()
    assert "Thêm" in confirm_in_page(page)
    expect(page.locator(".alert-success")).to_contain_text("Đã lưu: thêm")
    assert StaffMember.objects.filter(unit__code="thpt-hung-vuong").count() == 14

    page.locator(f"a[href='/units/{cast.unit_a.pk}/merge/']").click()
    # By value: the sample workbook has its own "Trường THPT Đồng Xoài" (another code), and
    # which of the two a label picks depends on the database's order.
    page.locator("#id_into").select_option(value=str(cast.unit_b.pk))
    page.locator("#id_on").fill("01/07/2025")
    screenshot("units-merge-form")
    page.get_by_role("button", name="Sáp nhập").click()
    # The question names both units and the date chosen, not "merge the unit?"; the unit
    # chosen with its code, as the list shows it beside its namesake from the sample.
    assert confirm_in_page(page, "Sáp nhập").startswith(
        f"Sáp nhập {cast.unit_a.name} vào {cast.unit_b.name} ({cast.unit_b.code}) "
        "từ ngày 01/07/2025?")
    expect(page.locator(".alert-success")).to_contain_text("Đã sáp nhập")
    screenshot("units-organisation")

    page.goto(f"{base}/units/{cast.unit_b.pk}/")
    page.get_by_role("link", name=cast.unit_a.name).first.click()
    expect(page.locator(".alert-secondary")).to_contain_text("Đã sáp nhập vào")
    page.goto(f"{base}/units/{cast.unit_b.pk}/staff/?q=ho thi cuc")
    expect(page.get_by_role("cell", name="Hồ Thị Cúc")).to_be_visible()
    screenshot("units-staff-list")
