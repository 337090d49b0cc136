"""The report page in a real browser: nothing typed is lost, Vietnamese numbers are read as
written whatever the browser's language, submitting asks first and posts once, a stale tab
keeps its typing, reviewers accept in bulk and move to the next report, a closed plan's
report refuses changes. Screenshots at desktop width and at 390 px (a phone)."""

import datetime
import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from campaigns import services as campaign_services
from tasks import services
from tasks.models import (
    Cadence,
    Evidence,
    IndicatorKind,
    ProgressReport,
    ReportAction,
    ReportEvent,
    ReportStatus,
    Task,
)

from ..factories import PASSWORD, UnitFactory
from ..helpers import BROWSER, confirm_in_page, sign_in

pytestmark = BROWSER

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def draft(cast, work):
    return services.save_report(assignment=work.assignment_a,
                                period=work.assignment_a.period("2022-Q3"),
                                data={"value": Decimal(80), "narrative": "Bản nháp đầu."},
                                user=cast.head_a)


@pytest.fixture
def evidence_file(tmp_path):
    path = tmp_path / "bien-ban-niem-yet.pdf"
    path.write_bytes(PDF)
    return path


def _open(page, live_server, report, user="head_a"):
    sign_in(page, live_server.url, user, PASSWORD)
    page.goto(f"{live_server.url}{report.get_absolute_url()}")


def test_edit_then_upload_keeps_the_edit(page, live_server, draft, evidence_file, screenshot):
    _open(page, live_server, draft)
    page.locator("#id_value").fill("85,5")
    page.locator("#id_narrative").fill("Đã niêm yết 85,5 % thủ tục; biên bản kèm theo.")
    page.locator("#id_file").set_input_files(str(evidence_file))

    page.get_by_role("button", name="Tải lên").click()

    expect(page.get_by_role("link", name="bien-ban-niem-yet.pdf", exact=True)).to_be_visible()
    expect(page.locator("#id_value")).to_have_value("85,5")
    expect(page.locator("#id_narrative")).to_have_value(
        "Đã niêm yết 85,5 % thủ tục; biên bản kèm theo.")
    screenshot("report-page-desktop")
    draft.refresh_from_db()
    assert draft.value == Decimal("85.5") and draft.evidence.count() == 1

    # Removing the file asks first, and keeps what is typed meanwhile.
    page.locator("#id_narrative").fill("Biên bản sẽ gửi bản khác.")
    page.get_by_role("button", name="Xóa bien-ban-niem-yet.pdf").click()
    assert confirm_in_page(page, "Xóa") == "Xóa tệp “bien-ban-niem-yet.pdf” khỏi báo cáo?"
    expect(page.locator(".alert-success")).to_contain_text("Đã xóa tệp")
    expect(page.locator("#id_narrative")).to_have_value("Biên bản sẽ gửi bản khác.")
    assert not Evidence.objects.exists()


def test_edit_then_submit_asks_first_and_submits_the_edit(page, live_server, draft,
                                                          screenshot):
    _open(page, live_server, draft)
    page.locator("#id_value").fill("96")
    page.locator("#id_narrative").fill("Số liệu cuối quý.")

    page.get_by_role("button", name="Gửi để duyệt").click()
    expect(page.locator("#confirm-dialog")).to_be_visible()
    screenshot("report-submit-confirmation")
    question = confirm_in_page(page, "Gửi")

    assert question == ("Gửi báo cáo Quý 3/2022 để Văn phòng và Công đoàn duyệt? Sau khi gửi "
                        "không sửa được.")
    expect(page.locator(".alert-success")).to_contain_text("Đã gửi báo cáo")
    expect(page.locator("#report-form")).to_have_count(0)  # no form once sent
    draft.refresh_from_db()
    assert draft.status == ReportStatus.SUBMITTED
    assert draft.value == Decimal(96) and draft.narrative == "Số liệu cuối quý."


def test_cancelling_the_confirmation_sends_nothing(page, live_server, draft):
    _open(page, live_server, draft)
    page.locator("#id_value").fill("97")

    page.get_by_role("button", name="Gửi để duyệt").click()
    page.locator("#confirm-dialog").get_by_role("button", name="Hủy").click()

    expect(page.locator("#confirm-dialog")).to_be_hidden()
    expect(page.locator("#id_value")).to_have_value("97")  # still there, still unsaved
    draft.refresh_from_db()
    assert draft.status == ReportStatus.DRAFT and draft.value == Decimal(80)


def test_a_double_click_on_submit_posts_once(page, live_server, draft):
    _open(page, live_server, draft)
    posts = []
    page.on("request", lambda r: posts.append(r.url) if r.method == "POST" else None)
    page.locator("#id_value").fill("98")

    page.get_by_role("button", name="Gửi để duyệt").dblclick()
    ok = page.locator("#confirm-dialog .js-confirm-ok")
    expect(ok).to_be_visible()
    ok.dblclick()

    expect(page.locator(".alert-success")).to_contain_text("Đã gửi báo cáo")
    assert len(posts) == 1
    assert ReportEvent.objects.filter(action=ReportAction.SUBMITTED).count() == 1


def test_a_stale_second_tab_keeps_its_typing_beside_the_other_version(page, live_server, draft,
                                                                      screenshot):
    _open(page, live_server, draft)
    other_tab = page.context.new_page()
    other_tab.goto(f"{live_server.url}{draft.get_absolute_url()}")
    page.locator("#id_narrative").fill("Bản của tab A.")
    page.get_by_role("button", name="Lưu bản nháp").click()
    expect(page.locator(".alert-success")).to_contain_text("Đã lưu báo cáo")

    other_tab.locator("#id_value").fill("91")
    other_tab.locator("#id_narrative").fill("Bản của tab B, gõ rất lâu.")
    other_tab.get_by_role("button", name="Lưu bản nháp").click()

    conflict = other_tab.locator(".conflict")
    expect(conflict).to_contain_text("Báo cáo này đã được lưu sau khi bạn mở trang")
    expect(conflict).to_contain_text("Bản của tab A.")  # theirs, beside
    expect(conflict).to_contain_text("Ngô Thị Ánh")  # who saved it
    expect(other_tab.locator("#id_narrative")).to_have_value("Bản của tab B, gõ rất lâu.")
    expect(other_tab.locator("#id_value")).to_have_value("91")
    other_tab.screenshot(path=str(screenshot("report-stale-tab").parent / "report-stale-tab.png"),
                         full_page=True)
    draft.refresh_from_db()
    assert draft.narrative == "Bản của tab A."

    other_tab.get_by_role("button", name="Lưu bản nháp").click()  # knowingly, over theirs

    expect(other_tab.locator(".alert-success")).to_contain_text("Đã lưu báo cáo")
    draft.refresh_from_db()
    assert draft.narrative == "Bản của tab B, gõ rất lâu." and draft.value == Decimal(91)


def test_leaving_with_unsaved_typing_asks_first(page, live_server, draft):
    _open(page, live_server, draft)
    page.locator("#id_narrative").fill("Chưa lưu.")
    asked = []

    def answer(dialog):
        asked.append(dialog.type)
        dialog.dismiss()

    page.on("dialog", answer)
    page.get_by_role("link", name=draft.assignment.unit.label).first.click()

    assert asked == ["beforeunload"]
    expect(page.locator("#id_narrative")).to_have_value("Chưa lưu.")


def _count_assignment(work, cast):
    task = Task.objects.create(item=work.task.item, title="Số hồ sơ giải quyết đúng hạn",
                               indicator_kind=IndicatorKind.COUNT, target_value=1500,
                               unit_of_measure="hồ sơ", cadence=Cadence.QUARTERLY,
                               deadline=datetime.date(2022, 12, 31))
    services.assign(task=task, units=[cast.unit_a], user=cast.office)
    return task.assignments.get()


@pytest.mark.parametrize("locale", ["vi-VN", "en-US"])
def test_vietnamese_numbers_are_read_as_written_whatever_the_browsers_language(
        browser, live_server, cast, work, locale):
    context = browser.new_context(locale=locale)
    page = context.new_page()
    sign_in(page, live_server.url, "head_a", PASSWORD)
    percent = work.assignment_a
    count = _count_assignment(work, cast)

    page.goto(f"{live_server.url}/tasks/assignment/{percent.pk}/report/2022-Q1/")
    page.locator("#id_value").fill("14,5")
    page.get_by_role("button", name="Lưu bản nháp").click()
    expect(page.locator("#id_value")).to_have_value("14,5")

    page.goto(f"{live_server.url}/tasks/assignment/{count.pk}/report/2022-Q1/")
    page.locator("#id_value").fill("14,5")
    page.get_by_role("button", name="Lưu bản nháp").click()
    expect(page.locator("#id_value_error")).to_have_text(
        "Nhập số nguyên, không có phần thập phân (ví dụ 12 hoặc 1.200).")
    expect(page.locator("#id_value")).to_have_value("14,5")  # kept, to correct
    page.locator("#id_value").fill("1.200")
    page.get_by_role("button", name="Lưu bản nháp").click()
    expect(page.locator("#id_value")).to_have_value("1.200")
    context.close()

    assert ProgressReport.objects.get(assignment=percent).value == Decimal("14.5")
    assert ProgressReport.objects.get(assignment=count).value == Decimal(1200)


def test_the_report_flow_at_phone_width(page, live_server, cast, work, evidence_file,
                                        screenshot):
    page.set_viewport_size(PHONE)
    sign_in(page, live_server.url, "head_a", PASSWORD)
    page.goto(f"{live_server.url}/tasks/assignment/{work.assignment_a.pk}/report/2022-Q2/")
    page.locator("#id_value").fill("72,5")
    page.locator("#id_narrative").fill("Đã công khai 72,5 % thủ tục hành chính tại bộ phận "
                                       "một cửa; còn lại đang rà soát.")
    page.locator("#id_file").set_input_files(str(evidence_file))
    page.get_by_role("button", name="Tải lên").click()
    expect(page.get_by_role("link", name="bien-ban-niem-yet.pdf", exact=True)).to_be_visible()
    screenshot("report-page-390")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the page scrolls sideways at 390 px ({width} px)"

    page.get_by_role("button", name="Gửi để duyệt").click()
    screenshot("report-submit-confirmation-390")
    confirm_in_page(page, "Gửi")

    expect(page.locator(".alert-success")).to_contain_text("Đã gửi báo cáo")
    report = ProgressReport.objects.get()
    assert report.status == ReportStatus.SUBMITTED and report.value == Decimal("72.5")


def test_a_closed_plans_report_refuses_an_edit(page, live_server, cast, work, draft):
    _open(page, live_server, draft)
    page.locator("#id_narrative").fill("Gõ sau khi kế hoạch kết thúc.")
    campaign_services.close(campaign=work.campaign, user=cast.office)

    page.get_by_role("button", name="Lưu bản nháp").click()

    expect(page.locator(".alert-secondary")).to_contain_text("báo cáo không sửa được nữa")
    expect(page.get_by_text("Gõ sau khi kế hoạch kết thúc.")).to_be_visible()  # to copy
    expect(page.locator("#report-form")).to_have_count(0)
    draft.refresh_from_db()
    assert draft.narrative == "Bản nháp đầu."


# --- reviewers -----------------------------------------------------------------------------

@pytest.fixture
def waiting(cast, work):
    """Three submitted Q1 reports of three units, oldest first."""
    units = UnitFactory.create_batch(2, parent=cast.root)
    services.assign(task=work.task, units=units, user=cast.office)
    reports = []
    for assignment in work.task.assignments.exclude(unit=cast.unit_b).order_by("id"):
        report = services.save_report(assignment=assignment, period=assignment.period("2022-Q1"),
                                      data={"value": Decimal("90.5")}, user=cast.head_a)
        reports.append(services.submit(report=report, user=cast.head_a))
    return reports


def test_bulk_accept_of_three_reports(page, live_server, waiting, screenshot):
    sign_in(page, live_server.url, "vanphong", PASSWORD)
    page.goto(f"{live_server.url}/tasks/review/")
    page.get_by_role("checkbox", name="Chọn mọi báo cáo chờ duyệt trên trang này").check()
    expect(page.locator("input[name=reports]:checked")).to_have_count(3)
    screenshot("review-queue-bulk")

    page.get_by_role("button", name="Chấp nhận các báo cáo đã chọn").click()
    question = confirm_in_page(page, "Chấp nhận")

    assert question.startswith("Chấp nhận 3 báo cáo đã chọn?")
    expect(page.locator(".alert-success")).to_have_text("Đã chấp nhận 3 báo cáo.")
    assert set(ProgressReport.objects.values_list("status", flat=True)) == {"accepted"}
    assert ReportEvent.objects.filter(action=ReportAction.ACCEPTED).count() == 3


def test_bulk_accept_at_phone_width(page, live_server, waiting, screenshot):
    page.set_viewport_size(PHONE)
    sign_in(page, live_server.url, "congdoan", PASSWORD)
    page.goto(f"{live_server.url}/tasks/review/")
    page.locator(f"#tick-{waiting[0].pk}").check()
    screenshot("review-queue-bulk-390")
    page.get_by_role("button", name="Chấp nhận các báo cáo đã chọn").click()
    assert confirm_in_page(page).startswith("Chấp nhận 1 báo cáo đã chọn?")
    expect(page.locator(".alert-success")).to_have_text("Đã chấp nhận 1 báo cáo.")


def test_after_a_review_the_next_report_opens(page, live_server, waiting, screenshot):
    sign_in(page, live_server.url, "vanphong", PASSWORD)
    page.goto(f"{live_server.url}/tasks/review/?sort=-submitted")
    page.get_by_role("link", name=re.compile("Công khai 100 %")).first.click()
    expect(page).to_have_url(re.compile(rf"{waiting[2].get_absolute_url()}\?queue="))
    expect(page.get_by_role("link", name=re.compile("Báo cáo tiếp theo"))).to_be_visible()
    screenshot("review-report-with-next")

    page.get_by_role("button", name="Chấp nhận", exact=True).click()
    question = confirm_in_page(page, "Chấp nhận")
    assert question.startswith("Chấp nhận báo cáo Quý 1/2022 của ")

    expect(page).to_have_url(re.compile(rf"{waiting[1].get_absolute_url()}\?queue="))
    expect(page.locator(".alert-success")).to_have_text("Đã chấp nhận báo cáo.")
    page.locator("#id_comment").fill("Thiếu minh chứng.")
    page.get_by_role("button", name="Trả lại cho đơn vị").click()
    confirm_in_page(page, "Trả lại")
    expect(page).to_have_url(re.compile(rf"{waiting[0].get_absolute_url()}\?queue="))
    page.get_by_role("button", name="Chấp nhận", exact=True).click()
    confirm_in_page(page)

    expect(page).to_have_url(re.compile(r"/tasks/review/\?sort=-submitted$"))
    expect(page.locator(".alert-info")).to_contain_text("Không còn báo cáo nào khác chờ duyệt")
    statuses = [ProgressReport.objects.get(pk=r.pk).status for r in waiting]
    assert statuses == ["accepted", "returned", "accepted"]


def test_evidence_opens_in_the_browser_without_downloading(page, live_server, draft, tmp_path,
                                                          screenshot):
    import weasyprint

    pdf = tmp_path / "bien-ban-niem-yet.pdf"
    pdf.write_bytes(weasyprint.HTML(string="<h1>Biên bản niêm yết</h1><p>Đã niêm yết 85,5 % "
                                           "thủ tục hành chính.</p>").write_pdf())
    png = tmp_path / "anh-bang-niem-yet.png"
    png.write_bytes(_png())
    _open(page, live_server, draft)
    for path in (pdf, png):
        page.locator("#id_file").set_input_files(str(path))
        page.get_by_role("button", name="Tải lên").click()
        expect(page.locator(".alert-success")).to_contain_text("Đã thêm tệp")

    thumbnail = page.get_by_role("img", name="anh-bang-niem-yet.png")
    expect(thumbnail).to_be_visible()
    # A lazy image may still be on its way on a busy machine: wait for it to be decoded.
    image = thumbnail.element_handle()
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=image)
    assert page.evaluate("img => img.naturalWidth", image) == 8
    with page.context.expect_page() as opened:
        page.get_by_role("link", name="Xem bien-ban-niem-yet.pdf").click()
    viewer = opened.value
    viewer.wait_for_load_state()
    assert viewer.url.endswith(f"/tasks/evidence/{Evidence.objects.get(extension='pdf').pk}/view/")
    # Chromium's own PDF viewer shows it (a frame of its extension), nothing is downloaded,
    # under the preview's sandboxing policy.
    viewer.wait_for_timeout(1500)
    assert any(f.url.startswith("chrome-extension://") for f in viewer.frames), [
        f.url for f in viewer.frames]
    screenshot("report-evidence")
    photo = page.context.new_page()
    photo.goto(f"{live_server.url}/tasks/evidence/{Evidence.objects.get(extension='png').pk}"
               "/view/")
    assert photo.evaluate("document.images[0].naturalWidth") == 8  # shown, not downloaded
    viewer.screenshot(path=str(screenshot("report-evidence").with_name("evidence-pdf-view.png")))


def _png():
    """An 8 × 8 grey PNG."""
    import struct
    import zlib

    def chunk(kind, data):
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))

    rows = b"".join(b"\x00" + b"\x80" * 8 for _row in range(8))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 8, 8, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


def test_file_box_speaks_vietnamese_in_an_english_browser(browser, live_server, draft,
                                                          evidence_file):
    """An English browser draws its file box as "Choose File / No file chosen": the page labels
    it in Vietnamese instead, the button opens the browser's file dialog, the chosen file's name
    shows, and the file is uploaded as before."""
    context = browser.new_context(locale="en-US", viewport=PHONE)
    page = context.new_page()
    _open(page, live_server, draft)
    box = page.locator(".file-pick").filter(has=page.locator("#id_file"))
    expect(box).to_contain_text("Chọn tệp")
    expect(box).to_contain_text("Chưa chọn tệp")
    expect(box).not_to_contain_text("Choose")

    with page.expect_file_chooser() as chooser:
        box.get_by_text("Chọn tệp", exact=True).click()
    chooser.value.set_files(str(evidence_file))
    expect(box).to_contain_text("bien-ban-niem-yet.pdf")
    page.get_by_role("button", name="Tải lên").click()

    expect(page.get_by_role("link", name="bien-ban-niem-yet.pdf", exact=True)).to_be_visible()
    draft.refresh_from_db()
    assert list(draft.evidence.values_list("original_name", flat=True)) == [
        "bien-ban-niem-yet.pdf"]
    context.close()
