"""In a real browser: a school head proposes a teacher for an extraordinary award from the
"Chuyên đề, đột xuất, thâm niên" tab, sees the verdict; the Office accepts it and registers the
decision, which names the teacher."""

import datetime

from playwright.sync_api import expect

from ..factories import PASSWORD, StaffMemberFactory
from ..helpers import BROWSER, confirm_in_page, sign_in
from .test_dossiers import PDF

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


def test_seniority_medal_goes_up_in_its_dossier_and_comes_back_decided(page, live_server, cast,
                                                                       screenshot):
    """The Office accepts a seniority medal, reads "awaiting its dossier", builds the dossier to
    the Ministry from the Hồ sơ đề nghị tab, uploads the signed summary, sends it, records the
    Ministry's decision; the proposals' page then names the decision."""
    from awards import services_special
    from awards.models import Award
    from units.models import Gender

    base = live_server.url
    day = datetime.date(2022, 11, 15)
    hoa = StaffMemberFactory(unit=cast.unit_a, full_name="Trần Thị Hoa", gender=Gender.FEMALE,
                             recruitment_date=datetime.date(2005, 9, 1),
                             sector_start_date=datetime.date(2005, 9, 1))
    services_special.propose(
        award=Award.objects.get(code="ky-niem-chuong-vi-su-nghiep-giao-duc"),
        unit=cast.unit_a, staff=hoa, year=2022, deed_on=None,
        achievement="17 năm công tác trong ngành giáo dục", justification="",
        user=cast.head_a, today=day)
    sign_in(page, base, "vanphong", PASSWORD)
    page.goto(f"{base}/awards/special/?year=2022")
    page.get_by_role("button", name="Chấp nhận").click()
    expect(page.get_by_text("Chờ lập hồ sơ đề nghị lên cấp trên")).to_be_visible()

    page.get_by_role("link", name="Quyết định & tiền thưởng").click()
    page.get_by_role("link", name="Hồ sơ đề nghị").click()
    item = page.locator("li", has_text="Kỷ niệm chương")
    expect(item).to_contain_text("1 đề nghị ngoài đợt hằng năm đã được chấp nhận")
    expect(item.locator("select[name=recipient]")).to_have_value("ministry")
    item.get_by_role("button", name="Lập hồ sơ").click()
    expect(page.get_by_text("Trần Thị Hoa: thiếu báo cáo thành tích đã ký.")).to_be_visible()
    # No council vote for a seniority medal: the checklist does not ask for minutes.
    expect(page.get_by_text("Biên bản họp Hội đồng")).to_have_count(0)
    page.get_by_label("Báo cáo thành tích đã ký của Trần Thị Hoa").set_input_files(
        {"name": "tom-tat.pdf", "mimeType": "application/pdf", "buffer": PDF})
    page.get_by_role("button", name="Tải lên").first.click()
    expect(page.get_by_text("Hồ sơ đã đủ các thành phần bắt buộc.")).to_be_visible()
    page.locator("#id_send-sent_on").fill("01/12/2022")
    page.locator("#id_send-number").fill("210/TTr-SGDĐT")
    page.get_by_role("button", name="Ghi nhận đã gửi").click()
    expect(page.get_by_text("Đã ghi nhận gửi hồ sơ.")).to_be_visible()
    page.goto(f"{base}/awards/special/?year=2022")
    expect(page.get_by_text("gửi ngày 01/12/2022 (công văn 210/TTr-SGDĐT)")).to_be_visible()
    page.get_by_role("link", name="Trong hồ sơ đề nghị").click()
    page.locator("#id_decide-number").fill("3456/QĐ-BGDĐT")
    page.locator("#id_decide-decided_on").fill("01/03/2023")
    page.locator("#id_decide-issuer").fill("Bộ trưởng Bộ Giáo dục và Đào tạo")
    page.get_by_role("button", name="Ghi nhận quyết định").click()
    expect(page.get_by_text("Đã ghi nhận quyết định của cấp trên")).to_be_visible()
    page.goto(f"{base}/awards/special/?year=2022")
    expect(page.get_by_role("link", name="3456/QĐ-BGDĐT")).to_be_visible()
    expect(page.get_by_text("của Bộ trưởng Bộ Giáo dục và Đào tạo ngày 01/03/2023")
           ).to_be_visible()
    screenshot("awards-special-medal-decided")
