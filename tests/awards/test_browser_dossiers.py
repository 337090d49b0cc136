"""In a real browser: the Office builds the dossiers of a CSTĐ cấp tỉnh nominee and of a flag
candidate from the "Hồ sơ đề nghị" tab, sees the checklist name what is missing, completes
and sends them, records a return with the parts to fix, sends again, records the province's
decision, finds the awards in the history, and pays their bonus: the province's decision on
the Tiền thưởng page with its amount, its payout list recorded and downloaded with the
awardees."""

from openpyxl import load_workbook
from playwright.sync_api import expect

from ..factories import PASSWORD, StaffMemberFactory
from ..helpers import BROWSER, confirm_in_page, sign_in
from .test_dossiers import CSTD_TINH, FLAG, PDF, initiative, nominee

pytestmark = BROWSER

SIGNED = {"name": "bao-cao-da-ky.pdf", "mimeType": "application/pdf", "buffer": PDF}


def test_office_takes_two_dossiers_from_draft_to_the_provinces_decision(page, live_server,
                                                                         cast, screenshot):
    base = live_server.url
    lan = StaffMemberFactory(unit=cast.unit_a, full_name="Nguyễn Thị Lan")
    nominee(cast.unit_a, CSTD_TINH, lan, "Giáo viên dạy giỏi cấp tỉnh")
    nominee(cast.unit_b, FLAG, None, "Dẫn đầu cụm thi đua")
    sign_in(page, base, "vanphong", PASSWORD)
    page.goto(f"{base}/awards/proposals/?year=2022")
    page.get_by_role("link", name="Quyết định & tiền thưởng").click()
    page.get_by_role("link", name="Hồ sơ đề nghị").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Hồ sơ đề nghị 2022")
    page.locator("li", has_text="Chiến sĩ thi đua cấp tỉnh").get_by_role(
        "button", name="Lập hồ sơ").click()
    expect(page.get_by_text("Đã lập hồ sơ")).to_be_visible()

    # The checklist names what is missing, person by person; sending is refused.
    expect(page.get_by_text("Nguyễn Thị Lan: thiếu báo cáo thành tích đã ký.")).to_be_visible()
    expect(page.get_by_text("Nguyễn Thị Lan: chưa có sáng kiến được công nhận")).to_be_visible()
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot("awards-dossier-missing-390")
    page.set_viewport_size({"width": 1280, "height": 900})
    screenshot("awards-dossier-missing")
    page.locator("#id_send-sent_on").fill("10/01/2023")
    page.locator("#id_send-number").fill("125/TTr-SGDĐT")
    page.get_by_role("button", name="Ghi nhận đã gửi").click()
    expect(page.get_by_text("Chưa gửi được hồ sơ, còn thiếu")).to_be_visible()

    # Completed: the initiative recognised meanwhile (the register's page is tests/units'),
    # the signed report uploaded.
    initiative(lan)
    page.get_by_label("Báo cáo thành tích đã ký của Nguyễn Thị Lan").set_input_files(SIGNED)
    page.get_by_role("button", name="Tải lên").first.click()
    expect(page.get_by_text("Hồ sơ đã đủ các thành phần bắt buộc.")).to_be_visible()
    page.locator("#id_send-sent_on").fill("10/01/2023")
    page.locator("#id_send-number").fill("125/TTr-SGDĐT")
    page.get_by_role("button", name="Ghi nhận đã gửi").click()
    expect(page.get_by_text("Đã ghi nhận gửi hồ sơ.")).to_be_visible()

    # Returned: a reason is needed, and the parts to fix.
    page.get_by_role("button", name="Ghi nhận trả lại").click()
    expect(page.get_by_text("Ghi lý do cấp trên trả lại hồ sơ")).to_be_visible()
    page.locator("#id_return-reason").fill("Báo cáo thành tích chưa đóng dấu")
    page.get_by_label("Báo cáo thành tích đã ký của từng người").check()
    page.get_by_role("button", name="Ghi nhận trả lại").click()
    expect(page.get_by_text("Đã ghi nhận trả lại")).to_be_visible()
    expect(page.locator(".alert-warning").filter(has_text="Báo cáo thành tích chưa đóng dấu")
           ).to_be_visible()
    screenshot("awards-dossier-returned")

    # Sent again with a new letter, then the province decides.
    page.get_by_label("Báo cáo thành tích đã ký của Nguyễn Thị Lan").set_input_files(SIGNED)
    page.get_by_role("button", name="Tải lên").first.click()
    page.locator("#id_send-sent_on").fill("20/01/2023")
    page.locator("#id_send-number").fill("140/TTr-SGDĐT")
    page.get_by_role("button", name="Ghi nhận đã gửi").click()
    expect(page.get_by_text("Đã gửi lại", exact=True).first).to_be_visible()
    page.locator("#id_decide-number").fill("2150/QĐ-UBND")
    page.locator("#id_decide-decided_on").fill("01/03/2023")
    page.locator("#id_decide-issuer").fill("Chủ tịch UBND tỉnh Bình Phước")
    page.get_by_role("button", name="Ghi nhận quyết định").click()
    expect(page.get_by_text("Đã ghi nhận quyết định của cấp trên")).to_be_visible()
    screenshot("awards-dossier-decided")

    # The flag candidate's dossier: built, completed, sent, decided.
    page.get_by_role("link", name="← Hồ sơ đề nghị 2022").click()
    page.locator("li", has_text="Cờ thi đua").get_by_role("button", name="Lập hồ sơ").click()
    expect(page.get_by_text("Trường THPT Đồng Xoài: thiếu báo cáo thành tích đã ký.")
           ).to_be_visible()
    page.get_by_label("Báo cáo thành tích đã ký của Trường THPT Đồng Xoài").set_input_files(
        SIGNED)
    page.get_by_role("button", name="Tải lên").first.click()
    page.locator("#id_send-sent_on").fill("10/01/2023")
    page.locator("#id_send-number").fill("126/TTr-SGDĐT")
    page.get_by_role("button", name="Ghi nhận đã gửi").click()
    # The number of the first dossier's decision is refused: it is already registered.
    page.locator("#id_decide-number").fill("2150/QĐ-UBND")
    page.locator("#id_decide-decided_on").fill("05/03/2023")
    page.locator("#id_decide-issuer").fill("Chủ tịch UBND tỉnh Bình Phước")
    page.get_by_role("button", name="Ghi nhận quyết định").click()
    expect(page.get_by_text("Quyết định số 2150/QĐ-UBND đã được vào sổ")).to_be_visible()
    page.locator("#id_decide-number").fill("2151/QĐ-UBND")
    page.get_by_role("button", name="Ghi nhận quyết định").click()
    expect(page.get_by_text("Đã ghi nhận quyết định của cấp trên")).to_be_visible()

    # The awards are in the history with the province's decisions.
    page.goto(f"{base}/awards/history/?year=2022")
    expect(page.get_by_role("row", name="Nguyễn Thị Lan")).to_contain_text("2150/QĐ-UBND")
    expect(page.get_by_role("row", name="Cờ thi đua")).to_contain_text("2151/QĐ-UBND")
    screenshot("awards-dossier-history")
    page.goto(f"{base}/awards/dossiers/?year=2022")
    expect(page.get_by_text("Cấp trên đã quyết định")).to_have_count(2)
    screenshot("awards-dossiers-list")

    # Their bonus: the province's decisions are on Tiền thưởng with the amounts of their dates
    # (01/03/2023: base salary 1.490.000; CSTĐ cấp tỉnh 3,0 and the flag 8,0).
    page.get_by_role("link", name="Tiền thưởng", exact=True).click()
    row = page.get_by_role("row").filter(has_text="2150/QĐ-UBND")
    expect(row).to_contain_text("Quyết định của cấp trên")
    expect(row).to_contain_text("4.470.000")
    expect(page.get_by_role("row").filter(has_text="2151/QĐ-UBND")).to_contain_text("11.920.000")
    screenshot("awards-bonus-upper-decisions")
    row.get_by_role("link", name="2150/QĐ-UBND").click()
    expect(page.get_by_text("Chủ tịch UBND tỉnh Bình Phước")).to_be_visible()
    expect(page.get_by_role("row", name="Trường THPT Hùng Vương")).to_contain_text("4.470.000")
    # The fund of 2023 has no income recorded yet: paid beyond it, with the reason.
    page.get_by_label("Lý do chi vượt số dư quỹ").fill("Kinh phí tỉnh chuyển về, chưa ghi thu")
    page.get_by_role("button", name="Ghi danh sách chi vào quỹ").click()
    confirm_in_page(page, "Ghi danh sách chi vào quỹ")
    expect(page.get_by_text("Đã ghi danh sách chi tiền thưởng theo Quyết định 2150/QĐ-UBND "
                            "vào quỹ năm 2023.")).to_be_visible()
    screenshot("awards-payout-upper-decision")
    with page.expect_download() as download:
        page.get_by_role("link", name="Excel").click()
    assert download.value.suggested_filename.endswith(".xlsx")
    with open(download.value.path(), "rb") as file:
        sheet = load_workbook(file).worksheets[0]
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert (rows[1][1], rows[1][2], rows[1][5]) == ("Nguyễn Thị Lan", "Trường THPT Hùng Vương",
                                                    4_470_000)
    page.goto(f"{base}/awards/fund/?year=2023")
    expect(page.get_by_role("row").filter(has_text="2150/QĐ-UBND")).to_contain_text("4.470.000")
