"""In a real browser: the Office enters the 2022 fund's income, is refused a payout list the
fund cannot cover, records it with a written reason; the list awaits the director, who approves
it; the decision is revoked and the Office records the bonus one awardee paid back; the balance
is checked against a hand computation; the pages at 1280 and 390 px wide."""

import datetime

from playwright.sync_api import expect

from awards.models import Award, Conferral, Decision

from ..factories import PASSWORD, StaffMemberFactory
from ..helpers import BROWSER, confirm_in_page, sign_in

pytestmark = BROWSER


def test_office_records_a_payout_list_beyond_the_fund_with_a_reason(page, live_server, cast,
                                                                    screenshot):
    base = live_server.url
    award = Award.objects.get(code="chien-si-thi-dua-co-so")
    signed = datetime.date(2022, 12, 30)
    decision = Decision.objects.create(award=award, year=2022, number="1803/QĐ-SGDĐT",
                                       signed_on=signed, signer_name="Trần Văn Giám",
                                       signer_title="GIÁM ĐỐC", created_by=cast.office)
    for name in ("Đặng Văn Dũng", "Lê Thị Hoa"):
        person = StaffMemberFactory(unit=cast.unit_a, full_name=name)
        Conferral.objects.create(award=award, year=2022, staff=person, unit=cast.unit_a,
                                 decision=decision.number, decided_on=signed, issued_by=decision)

    sign_in(page, base, "vanphong", PASSWORD)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{base}/awards/fund/?year=2022")
    page.locator("#id_received_on").fill("15/02/2022")
    page.get_by_label("Số tiền (đồng)").fill("2.000.000")
    page.get_by_label("Căn cứ").fill("Dự toán năm 2022")
    page.get_by_role("button", name="Ghi khoản thu").click()
    expect(page.get_by_text("Đã ghi khoản thu vào quỹ năm 2022.")).to_be_visible()

    page.get_by_role("link", name="Tiền thưởng", exact=True).click()
    # 1,0 × 1.490.000 each, two people: 2.980.000 đồng.
    row = page.get_by_role("row").filter(has_text="1803/QĐ-SGDĐT")
    expect(row).to_contain_text("1.490.000")
    expect(row).to_contain_text("2.980.000")
    screenshot("awards-bonus-1280")
    row.get_by_role("link", name="1803/QĐ-SGDĐT").click()
    page.get_by_role("button", name="Ghi danh sách chi vào quỹ").click()
    confirm_in_page(page, "Ghi danh sách chi vào quỹ")
    expect(page.get_by_text("Quỹ năm 2022 còn 2.000.000 đồng, danh sách cần 2.980.000 đồng "
                            "(thiếu 980.000 đồng)")).to_be_visible()
    page.get_by_label("Lý do chi vượt số dư quỹ").fill("Kinh phí bổ sung đã có quyết định")
    page.get_by_role("button", name="Ghi danh sách chi vào quỹ").click()
    confirm_in_page(page, "Ghi danh sách chi vào quỹ")
    expect(page.get_by_text("Đã ghi danh sách chi tiền thưởng theo Quyết định 1803/QĐ-SGDĐT "
                            "vào quỹ năm 2022.")).to_be_visible()
    expect(page.get_by_text("Kinh phí bổ sung đã có quyết định")).to_be_visible()

    expect(page.get_by_text("Danh sách vượt số dư quỹ: chờ Giám đốc duyệt")).to_be_visible()
    expect(page.get_by_text("Chờ Giám đốc duyệt").first).to_be_visible()

    # Beyond the fund: awaiting the director, shown but not counted.
    page.get_by_role("link", name="Quỹ khen thưởng").click()
    balance = page.locator(".card").filter(has_text="Số dư").last
    expect(balance).to_contain_text("2.000.000 đ")
    expect(page.locator("#pending")).to_contain_text("Kinh phí bổ sung đã có quyết định")
    expect(page.locator("#pending").get_by_role("button", name="Duyệt chi")).to_have_count(0)
    screenshot("awards-fund-pending-1280")

    # The director approves it from the home page's "Waiting for you".
    sign_in(page, base, "giamdoc", PASSWORD)
    page.get_by_role("link", name="Mở quỹ khen thưởng").click()
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot("awards-fund-approve-390")
    page.set_viewport_size({"width": 1280, "height": 900})
    pending = page.locator("#pending")
    pending.get_by_role("button", name="Không duyệt").click()
    expect(page.get_by_text("Hãy ghi lý do không duyệt").first).to_be_visible()
    pending = page.locator("#pending")
    pending.get_by_label("Ý kiến của Giám đốc (bắt buộc khi không duyệt)").fill("Đồng ý chi")
    pending.get_by_role("button", name="Duyệt chi").click()
    expect(page.get_by_text("Đã duyệt danh sách chi theo Quyết định 1803/QĐ-SGDĐT")).to_be_visible()
    expect(page.locator(".card").filter(has_text="Số dư").last).to_contain_text("-980.000 đ")

    # The director revokes the decision: both bonuses are due back.
    page.goto(f"{base}/awards/decisions/{decision.pk}/")
    revoke = page.locator("form").filter(has_text="Thu hồi quyết định này")
    revoke.locator("textarea").fill("Hồ sơ kê khai không trung thực")
    revoke.get_by_role("button").click()
    confirm_in_page(page)
    expect(page.get_by_text("Hồ sơ kê khai không trung thực").first).to_be_visible()

    # The Office records what one awardee paid back.
    sign_in(page, base, "vanphong", PASSWORD)
    page.goto(f"{base}/awards/fund/?year=2022")
    due = page.locator("#recover")
    expect(due).to_contain_text("Tiền thưởng phải thu hồi sau khi hủy khen thưởng: 2.980.000 đ")
    due.get_by_label("Đặng Văn Dũng", exact=False).uncheck()
    due.get_by_label("Ngày thu hồi").fill("31/12/2022")
    due.get_by_label("Số tiền thu hồi (đồng)").fill("2.000.000")
    due.get_by_role("button", name="Ghi khoản thu hồi").click()
    expect(page.get_by_text("Những người đã chọn chỉ còn phải nộp lại 1.490.000 đồng")
           ).to_be_visible()
    page.locator("#recover").get_by_label("Số tiền thu hồi (đồng)").fill("1.490.000")
    page.locator("#recover").get_by_role("button", name="Ghi khoản thu hồi").click()
    expect(page.get_by_text("Đã ghi 1.490.000 đồng thu hồi theo Quyết định 1803/QĐ-SGDĐT")
           ).to_be_visible()
    # By hand: 2.000.000 income − 2.980.000 paid (approved) + 1.490.000 recovered = 510.000.
    expect(page.locator(".card").filter(has_text="Số dư").last).to_contain_text("510.000 đ")
    recovery = page.get_by_role("row").filter(has_text="Thu hồi tiền thưởng theo Quyết định số "
                                                       "1803/QĐ-SGDĐT")
    expect(recovery).to_contain_text("1.490.000")
    expect(recovery).to_contain_text("510.000")
    expect(page.locator("#recover")).to_contain_text("1.490.000 đ")
    screenshot("awards-fund-1280")
    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot("awards-fund-390")
    page.goto(f"{base}/awards/bonus/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot("awards-bonus-390")


def test_director_refuses_an_income_correction_written_off(page, live_server, cast, screenshot):
    """The Office corrects the fund's income below what is paid, with the reason for leaving
    the fund short; the entry keeps its figures until the director answers; refused, it keeps
    them and the reason shows."""
    from awards import services_bonus

    base = live_server.url
    award = Award.objects.get(code="chien-si-thi-dua-co-so")
    signed = datetime.date(2022, 12, 30)
    decision = Decision.objects.create(award=award, year=2022, number="1804/QĐ-SGDĐT",
                                       signed_on=signed, signer_name="Trần Văn Giám",
                                       signer_title="GIÁM ĐỐC", created_by=cast.office)
    person = StaffMemberFactory(unit=cast.unit_a, full_name="Đặng Văn Dũng")
    Conferral.objects.create(award=award, year=2022, staff=person, unit=cast.unit_a,
                             decision=decision.number, decided_on=signed, issued_by=decision)
    income = services_bonus.add_income(year=2022, received_on=datetime.date(2022, 2, 15),
                                       amount=2_000_000, source="Dự toán năm 2022",
                                       user=cast.office)
    services_bonus.record_payout(decision, year=2022, paid_on=signed, override_reason="",
                                 user=cast.office)  # 1.490.000: 510.000 left

    sign_in(page, base, "vanphong", PASSWORD)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{base}/awards/fund/income/{income.pk}/")
    page.get_by_label("Số tiền (đồng)").fill("1.000.000")
    page.locator("#id_reason").fill("Gõ nhầm số tiền")
    page.locator("#id_override_reason").fill("Đợt cấp bổ sung đã có quyết định")
    page.get_by_role("button", name="Lưu bản sửa").click()
    expect(page.get_by_text("Việc sửa làm quỹ thiếu hụt: chờ Giám đốc duyệt")).to_be_visible()
    expect(page.locator(".card").filter(has_text="Số dư").last).to_contain_text("510.000 đ")
    expect(page.locator("#pending")).to_contain_text("Đợt cấp bổ sung đã có quyết định")
    screenshot("awards-fund-correction-pending-1280")

    sign_in(page, base, "giamdoc", PASSWORD)
    expect(page.get_by_text("1 lần sửa khoản thu làm quỹ khen thưởng thiếu hụt")).to_be_visible()
    page.get_by_role("link", name="Mở quỹ khen thưởng").click()
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot("awards-fund-correction-approve-390")
    page.set_viewport_size({"width": 1280, "height": 900})
    pending = page.locator("#pending")
    pending.get_by_label("Ý kiến của Giám đốc (bắt buộc khi không duyệt)").fill(
        "Chưa có chứng từ")
    pending.get_by_role("button", name="Không duyệt").click()
    expect(page.get_by_text("Không duyệt việc sửa khoản thu")).to_be_visible()
    expect(page.locator(".card").filter(has_text="Số dư").last).to_contain_text("510.000 đ")
    expect(page.get_by_role("row").filter(has_text="Dự toán năm 2022")).to_contain_text(
        "Chưa có chứng từ")
    screenshot("awards-fund-correction-refused-1280")
