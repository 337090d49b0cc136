"""In a real browser: the Office enters the 2022 fund's income, is refused a payout list the
fund cannot cover, records it with a written reason, and reads the ledger's balance; the pages
at 1280 and 390 px wide."""

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

    page.get_by_role("link", name="Quỹ khen thưởng").click()
    expect(page.locator(".card").filter(has_text="Số dư")).to_contain_text("-980.000 đồng")
    screenshot("awards-fund-1280")
    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot("awards-fund-390")
    page.goto(f"{base}/awards/bonus/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot("awards-bonus-390")
