"""In a real browser: the province decides only one of the two CSTĐ cấp tỉnh nominees of a
sent dossier. The Office unticks the other, is told to write the upper level's reason, writes
it, and sees the dossier's page say who was not commended and why; then, on the decision's
page, it records the province revoking the award it had conferred."""

from playwright.sync_api import expect

from awards.models import Conferral

from ..factories import PASSWORD, StaffMemberFactory
from ..helpers import BROWSER, sign_in
from .test_dossiers import CSTD_TINH, build, initiative, nominee, send, sign_all

pytestmark = BROWSER


def test_office_records_a_partial_decision_then_its_revocation(page, live_server, cast,
                                                               screenshot):
    base = live_server.url
    for name in ("Nguyễn Thị Lan", "Nguyễn Văn An"):
        person = StaffMemberFactory(unit=cast.unit_a, full_name=name)
        initiative(person)
        nominee(cast.unit_a, CSTD_TINH, person, "Giáo viên dạy giỏi cấp tỉnh")
    dossier = build(CSTD_TINH, cast)
    sign_all(dossier, cast)
    dossier = send(dossier, cast)
    sign_in(page, base, "vanphong", PASSWORD)
    page.goto(f"{base}/awards/dossiers/{dossier.pk}/")

    # Both are ticked; An is unticked without a reason: refused, saying what to write.
    form = page.locator("#decide-form")
    expect(form.get_by_role("checkbox", name="Nguyễn Văn An")).to_be_checked()
    page.locator("#id_decide-number").fill("2150/QĐ-UBND")
    page.locator("#id_decide-decided_on").fill("01/03/2023")
    page.locator("#id_decide-issuer").fill("Chủ tịch UBND tỉnh Bình Phước")
    form.get_by_role("checkbox", name="Nguyễn Văn An").uncheck()
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot("awards-dossier-partial-decision-390")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.get_by_role("button", name="Ghi nhận quyết định").click()
    expect(page.get_by_text("Ghi lý do cấp trên không khen thưởng Nguyễn Văn An")).to_be_visible()
    form = page.locator("#decide-form")
    expect(form.get_by_role("checkbox", name="Nguyễn Văn An")).not_to_be_checked()
    form.get_by_label("Lý do Nguyễn Văn An không được khen thưởng").fill(
        "Chưa đủ 3 năm liên tục đạt CSTĐ cơ sở")
    page.get_by_role("button", name="Ghi nhận quyết định").click()
    expect(page.get_by_text("Đã ghi nhận quyết định của cấp trên")).to_be_visible()
    expect(page.locator(".not-commended")).to_contain_text("Chưa đủ 3 năm liên tục")
    expect(page.get_by_text("1 người được đề nghị không được cấp trên khen thưởng")
           ).to_be_visible()
    screenshot("awards-dossier-partly-decided")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot("awards-dossier-partly-decided-390")
    page.set_viewport_size({"width": 1280, "height": 900})
    assert list(Conferral.objects.values_list("staff__full_name", flat=True)) == [
        "Nguyễn Thị Lan"]

    # The province revokes Lan's award: recorded on the decision's page.
    page.get_by_role("link", name="Trang quyết định").click()
    revocation = page.locator("#upper-revocation")
    revocation.get_by_label("Số quyết định thu hồi").fill("310/QĐ-UBND")
    revocation.get_by_label("Ngày ký").fill("01/02/2023")
    revocation.get_by_label("Cơ quan, người ban hành").fill("Chủ tịch UBND tỉnh Bình Phước")
    revocation.get_by_label("Lý do nêu trong quyết định").fill("Khai man thành tích")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot("awards-upper-revocation-form-390")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.get_by_role("button", name="Ghi nhận thu hồi").click()
    expect(page.get_by_text("không thể ký trước ngày của Quyết định số 2150/QĐ-UBND")
           ).to_be_visible()
    page.locator("#upper-revocation").get_by_label("Ngày ký").fill("01/09/2023")
    page.get_by_role("button", name="Ghi nhận thu hồi").click()
    expect(page.get_by_text("Đã ghi nhận thu hồi")).to_be_visible()
    expect(page.get_by_text("Quyết định 310/QĐ-UBND ngày 01/09/2023")).to_be_visible()
    screenshot("awards-upper-decision-revoked")
    page.goto(f"{base}/awards/history/?year=2022")
    expect(page.get_by_role("row", name="Nguyễn Thị Lan")).to_contain_text(
        "thu hồi theo Quyết định số 310/QĐ-UBND ngày 01/09/2023")
