"""In a real browser: a unit head enters and confirms the self-assessment with a file, the
council appraises it lower with a comment, and the round comparison shows the change."""

import datetime
import re
from decimal import Decimal

from playwright.sync_api import expect

from scoring import services
from scoring.models import Score, Sheet

from ..factories import PASSWORD
from ..helpers import BROWSER, confirm_in_page, sign_in

pytestmark = BROWSER


def test_self_assessment_then_appraisal(page, live_server, cast, scored, screenshot, tmp_path):
    base = live_server.url
    round_ = services.open_first_round(scheme=scored.scheme, deadline=datetime.date(2099, 1, 1),
                                       user=cast.office)
    manual = Score.objects.get(round=round_, unit=cast.unit_a, criterion=scored.c4)
    evidence = tmp_path / "bien-ban-tuyen-truyen.pdf"
    evidence.write_bytes(b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\n%%EOF\n")

    sign_in(page, base, "head_a", PASSWORD)
    page.goto(f"{base}{scored.campaign.get_absolute_url()}")
    page.get_by_role("link", name="Chấm điểm", exact=True).click()
    page.get_by_role("link", name="Phiếu điểm của đơn vị tôi", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(cast.unit_a.name)
    # Too many points first: refused, with the reason on the field.
    page.locator(f"#id_points_{manual.pk}").fill("25")
    page.locator(f"#id_note_{manual.pk}").fill("Đã tổ chức 3 buổi tuyên truyền.")
    page.get_by_role("button", name="Lưu", exact=True).click()
    expect(page.locator(f"#id_points_{manual.pk}_error")).to_contain_text("Tối đa 20 điểm")
    page.locator(f"#id_points_{manual.pk}").fill("18")
    page.get_by_role("button", name="Lưu", exact=True).click()
    expect(page.locator(".alert-success")).to_contain_text("1 tiêu chí")
    page.locator("input[type=file]").set_input_files(str(evidence))
    page.get_by_role("button", name="Tải lên").click()
    expect(page.get_by_role("link", name="bien-ban-tuyen-truyen.pdf")).to_be_visible()
    screenshot("scoring-self-assessment")
    page.get_by_role("button", name="Xác nhận kết quả tự đánh giá").click()
    confirm_in_page(page)
    expect(page.locator(".alert-success")).to_contain_text("Đã xác nhận")

    sign_in(page, base, "vanphong", PASSWORD)
    page.goto(f"{base}/scoring/campaign/{scored.campaign.pk}/")
    expect(page.get_by_role("cell", name="1", exact=True).last).to_be_visible()  # 1 confirmed
    page.locator("#id_deadline").fill("31/12/2099")
    page.get_by_role("button", name="Đóng vòng và mở vòng thẩm định").click()
    confirm_in_page(page)
    expect(page.locator(".alert-success")).to_contain_text("vòng tiếp theo")
    page.get_by_role("link", name="Xếp hạng").click()
    page.get_by_role("link", name=cast.unit_a.name).click()
    appraised = Score.objects.get(round__kind="appraisal", unit=cast.unit_a,
                                  criterion=scored.c4)
    page.locator(f"#id_points_{appraised.pk}").fill("12")
    page.locator(f"#id_note_{appraised.pk}").fill("Biên bản quý 2 chưa có chữ ký.")
    page.get_by_role("button", name="Lưu", exact=True).click()
    expect(page.locator(".alert-success")).to_be_visible()
    screenshot("scoring-appraisal")

    page.get_by_role("link", name="So sánh các vòng").click()
    row = page.get_by_role("row", name=re.compile("Tuyên truyền"))
    expect(row).to_contain_text("Điểm: 18 → 12")
    expect(row).to_contain_text("−6")
    expect(row).to_contain_text("Biên bản quý 2 chưa có chữ ký.")
    screenshot("scoring-compare")

    sheet = Sheet.objects.get(round__kind="appraisal", unit=cast.unit_a)
    assert sheet.raw == Decimal("80.00")  # 27 + 22.5 + 18.5 + 12
    assert Sheet.objects.get(round=round_, unit=cast.unit_a).confirmed_by == cast.head_a
