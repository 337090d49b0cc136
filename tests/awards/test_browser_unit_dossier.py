"""In a real browser: a unit head uploads the parts of the list, sees the checklist go green,
sends it with the letter's number; the Office returns it with a part to fix; the head fixes it
and sends it again; the Office accepts it."""

from django.urls import reverse
from playwright.sync_api import expect

from awards import services
from awards.models import ProposalEvent, ProposalStage
from tasks.demo import minimal_pdf

from ..factories import PASSWORD
from ..helpers import BROWSER, confirm_in_page, sign_in
from .test_proposals import LDTT, YEAR, nominate, rated

pytestmark = BROWSER

GIAY_KHEN = "giay-khen-giam-doc-so"


def _pdf(name, title):
    return {"name": name, "mimeType": "application/pdf", "buffer": minimal_pdf([title])}


def _upload(page, form, part, name):
    if part:
        form.locator("select[name=part]").select_option(part)
    form.locator("input[type=file]").set_input_files(_pdf(name, name))
    form.get_by_role("button", name="Tải lên").click()
    expect(page.locator(".alert-success[role=alert]")).to_contain_text("Đã thêm tệp")


def test_a_head_sends_the_list_with_its_parts_and_fixes_what_the_office_returns(
        page, live_server, cast, screenshot):
    proposal = services.proposal_for(cast.unit_a, YEAR)
    nominate(proposal, LDTT, rated(cast.unit_a, full_name="Nguyễn Văn An"), cast.head_a)
    nominate(proposal, GIAY_KHEN, rated(cast.unit_a, full_name="Trần Thị Bình"), cast.head_a,
             justification="Thành tích đột xuất")
    url = live_server.url + reverse("awards:proposal", args=[proposal.pk])

    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, live_server.url, "head_a", PASSWORD)
    page.goto(url)
    dossier = page.locator("#proposal-dossier")
    expect(dossier).to_contain_text("thiếu biên bản họp Hội đồng thi đua của đơn vị")
    expect(dossier).to_contain_text("Trần Thị Bình: thiếu báo cáo thành tích đã ký.")
    expect(page.locator("#why-not-submit")).to_contain_text("hãy bổ sung hồ sơ trước")
    screenshot("awards-unit-dossier-missing-390")

    _upload(page, page.locator("#unit-upload"), "letter", "to-trinh.pdf")
    _upload(page, page.locator("#unit-upload"), "minutes", "bien-ban.pdf")
    row = page.locator("#proposal-dossier li", has_text="Trần Thị Bình")
    _upload(page, row.locator("form"), "report", "bao-cao-binh.pdf")
    expect(page.locator("#proposal-dossier")).to_contain_text(
        "Hồ sơ đã đủ các thành phần bắt buộc.")
    expect(page.locator("#proposal-dossier .badge.bg-danger")).to_have_count(0)

    form = page.locator("#submit-form")
    form.get_by_label("Số tờ trình").fill("15/TTr-THPTHV")
    form.get_by_label("Ngày tờ trình").fill("05/12/2022")
    screenshot("awards-unit-dossier-complete-390")
    form.get_by_role("button", name="Gửi danh sách về Văn phòng").click()
    confirm_in_page(page, "Gửi")
    expect(page.locator(".alert-success[role=alert]")).to_contain_text("Đã gửi danh sách")
    proposal.refresh_from_db()
    assert (proposal.stage, proposal.sent_number) == (ProposalStage.SUBMITTED, "15/TTr-THPTHV")

    # The Office returns it: the signed report is to be fixed.
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, live_server.url, "vanphong", PASSWORD)
    page.goto(url)
    expect(page.locator("#proposal-dossier")).to_contain_text("Gửi kèm tờ trình số 15/TTr-THPTHV")
    back = page.locator("form[action$='/step/return/']")
    back.get_by_label("Báo cáo thành tích đã ký của từng người (tập thể) được đề nghị").check()
    back.locator("textarea").fill("Báo cáo của cô Bình chưa có chữ ký của Hiệu trưởng.")
    screenshot("awards-unit-dossier-return-desktop")
    back.get_by_role("button", name="Trả lại cho đơn vị").click()
    confirm_in_page(page, "Trả lại")
    expect(page.locator(".alert-success[role=alert]")).to_be_visible()

    # The head sees what to fix, replaces the report and sends it again.
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, live_server.url, "head_a", PASSWORD)
    page.goto(url)
    expect(page.locator(".alert-warning").first).to_contain_text("chưa có chữ ký")
    expect(page.locator("#proposal-dossier")).to_contain_text("Văn phòng yêu cầu sửa")
    screenshot("awards-unit-dossier-returned-390")
    row = page.locator("#proposal-dossier li", has_text="Trần Thị Bình")
    _upload(page, row.locator("form"), "report", "bao-cao-binh-da-ky.pdf")
    form = page.locator("#submit-form")
    expect(form).to_contain_text("Gửi lại danh sách")
    form.get_by_label("Số tờ trình").fill("16/TTr-THPTHV")
    form.get_by_label("Ngày tờ trình").fill("08/12/2022")
    form.get_by_role("button", name="Gửi danh sách về Văn phòng").click()
    confirm_in_page(page, "Gửi")
    expect(page.locator(".alert-success[role=alert]")).to_contain_text("Đã gửi danh sách")

    # The Office accepts it; the history shows every step.
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, live_server.url, "vanphong", PASSWORD)
    page.goto(url)
    page.get_by_role("button", name="Hồ sơ đầy đủ: tiếp nhận").click()
    confirm_in_page(page)
    expect(page.locator(".alert-success[role=alert]")).to_be_visible()
    history = page.locator("#proposal-history")
    expect(history).to_contain_text("Đã gửi lại")
    screenshot("awards-unit-dossier-accepted-desktop")
    steps = list(ProposalEvent.objects.filter(proposal=proposal).values_list("step", flat=True))
    assert steps == ["submit", "return", "resubmit", "accept"]
    proposal.refresh_from_db()
    assert (proposal.stage, proposal.sent_number) == (ProposalStage.REVIEWED, "16/TTr-THPTHV")
    assert proposal.attachments.filter(part="report").get().original_name == (
        "bao-cao-binh-da-ky.pdf")
