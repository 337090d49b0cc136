"""In a real browser: a unit head proposes two people (one only with a justification), the
Office checks the list and puts it on notice, a colleague comments, the council's vote is
recorded, the director approves, and the Office registers the decision."""

import datetime

from django.utils import timezone
from playwright.sync_api import expect

from awards.demo_unit_dossier import give_parts
from awards.models import Conferral, Decision, Proposal, Rating, YearRating

from ..factories import PASSWORD, StaffMemberFactory
from ..helpers import BROWSER, confirm_in_page, sign_in

pytestmark = BROWSER


def _rated(unit, name, rating):
    person = StaffMemberFactory(unit=unit, full_name=name, position="Giáo viên",
                                recruitment_date=datetime.date(2015, 9, 1))
    YearRating.objects.create(staff=person, year=timezone.localdate().year, rating=rating)
    return person


def test_from_nomination_to_decision(page, live_server, cast, screenshot):
    base = live_server.url
    year = timezone.localdate().year
    good = _rated(cast.unit_a, "Âu Thị Ngọc Hân", Rating.GOOD)
    weak = _rated(cast.unit_a, "Lê Văn Yếu", Rating.COMPLETED)

    sign_in(page, base, "head_a", PASSWORD)
    page.goto(f"{base}/awards/proposals/?year={year}")
    page.get_by_role("link", name="Danh sách của đơn vị tôi").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(cast.unit_a.name)
    for person in (good, weak):
        page.get_by_role("link", name="Thêm người được đề nghị").click()
        page.locator("#id_award").select_option(label="Lao động tiên tiến")
        page.locator("#id_staff").select_option(value=str(person.pk))
        page.locator("#id_summary").fill("Hoàn thành tốt nhiệm vụ, tích cực cải cách hành chính.")
        page.get_by_role("button", name="Lưu", exact=True).click()
    # The second one does not meet the rating: refused until a justification is written.
    expect(page.locator("#id_justification_error")).to_contain_text("chưa đáp ứng đủ điều kiện")
    page.locator("#id_justification").fill("Cứu học sinh đuối nước tháng 7.")
    page.get_by_role("button", name="Lưu", exact=True).click()
    expect(page.locator("tr.table-warning")).to_contain_text("Cứu học sinh đuối nước")
    screenshot("awards-proposal-draft")
    # The unit's letter, minutes and signed reports (uploading them through the page is
    # test_browser_unit_dossier's walk); the list goes with its letter's number and date.
    give_parts(Proposal.objects.get(unit=cast.unit_a, year=year), cast.head_a)
    page.reload()
    form = page.locator("#submit-form")
    form.get_by_label("Số tờ trình").fill("15/TTr-THPTHV")
    form.get_by_label("Ngày tờ trình").fill(timezone.localdate().strftime("%d/%m/%Y"))
    form.get_by_role("button", name="Gửi danh sách về Văn phòng").click()
    confirm_in_page(page, "Gửi")
    expect(page.locator(".alert-success")).to_contain_text("Đã gửi danh sách")

    sign_in(page, base, "vanphong", PASSWORD)
    page.goto(f"{base}/awards/proposals/?year={year}")
    page.get_by_role("link", name=cast.unit_a.name).click()
    page.get_by_role("button", name="Hồ sơ đầy đủ: tiếp nhận").click()
    confirm_in_page(page)
    page.locator("#id_days").fill("3")
    page.get_by_role("button", name="Công khai danh sách").click()
    confirm_in_page(page, "Công khai")
    expect(page.locator(".alert-info")).to_contain_text("Công khai từ")

    sign_in(page, base, "canbo", PASSWORD)  # a teacher of the unit reads the notice
    page.goto(f"{base}/awards/proposals/?year={year}")
    page.get_by_role("link", name=cast.unit_a.name).click()
    page.locator("#id_text").fill("Đồng ý với danh sách.")
    page.get_by_role("button", name="Gửi ý kiến").click()
    confirm_in_page(page, "Gửi ý kiến")
    expect(page.locator(".alert-success")).to_contain_text("đã được ghi nhận")

    # Three days pass: the notice ends before the council meets.
    today = timezone.localdate()
    Proposal.objects.update(notice_from=today - datetime.timedelta(days=3),
                            notice_until=today - datetime.timedelta(days=1))
    sign_in(page, base, "vanphong", PASSWORD)
    proposal = Proposal.objects.get()
    page.goto(f"{base}/awards/proposals/{proposal.pk}/")
    page.get_by_role("link", name="Ghi kết quả bỏ phiếu của Hội đồng").click()
    page.locator("#id_held_on").fill(today.strftime("%d/%m/%Y"))
    page.locator("#id_members").fill("9")
    page.locator("#id_present").fill("9")
    for nominee in proposal.nominees.all():
        votes = (8, 1) if nominee.staff == good else (3, 6)
        page.locator(f"#id_for_{nominee.pk}").fill(str(votes[0]))
        page.locator(f"#id_against_{nominee.pk}").fill(str(votes[1]))
    page.get_by_role("button", name="Ghi kết quả bỏ phiếu").click()
    confirm_in_page(page, "Ghi kết quả bỏ phiếu")
    expect(page.locator(".alert-success")).to_contain_text("Đã ghi kết quả bỏ phiếu")
    expect(page.get_by_text("không thông qua")).to_be_visible()

    sign_in(page, base, "giamdoc", PASSWORD)
    page.goto(f"{base}/awards/proposals/{proposal.pk}/")
    page.get_by_role("button", name="Phê duyệt danh sách").click()
    confirm_in_page(page, "Phê duyệt")
    expect(page.locator(".alert-success")).to_contain_text("Đã phê duyệt")

    sign_in(page, base, "vanphong", PASSWORD)
    page.goto(f"{base}/awards/decisions/")
    page.get_by_role("link", name="ban hành quyết định").click()
    expect(page.get_by_text(good.full_name)).to_be_visible()
    page.locator("#id_number").fill("1802/QĐ-SGDĐT")
    page.locator("#id_signed_on").fill(today.strftime("%d/%m/%Y"))
    page.locator("#id_signer_name").fill("Trần Văn Giám")
    page.get_by_role("button", name="Ban hành quyết định").click()
    confirm_in_page(page, "Ban hành quyết định")
    expect(page.locator(".alert-success")).to_contain_text("1 trường hợp")
    expect(page.get_by_role("heading", level=1)).to_contain_text("1802/QĐ-SGDĐT")
    screenshot("awards-decision")
    # The printable decision comes straight down (a short list is built in the request).
    with page.expect_download() as download:
        page.get_by_role("link", name="PDF", exact=True).click()
    assert download.value.suggested_filename == "quyet-dinh-1802-QD-SGDDT.pdf"
    assert open(download.value.path(), "rb").read(5) == b"%PDF-"

    decision = Decision.objects.get()
    assert list(Conferral.objects.standing().values_list("staff", "issued_by")) == [
        (good.pk, decision.pk)]
