"""In a real browser: a head reports with a file, the Office returns it, the head resubmits,
the Union accepts, and the history shows each step."""

import re

from playwright.sync_api import expect

from tasks.models import ProgressReport

from ..factories import PASSWORD
from ..helpers import BROWSER, confirm_in_page, sign_in

pytestmark = BROWSER


def test_report_goes_round_the_review_cycle(page, live_server, cast, work, screenshot,
                                            tmp_path):
    base = live_server.url
    evidence = tmp_path / "bien-ban-niem-yet.pdf"
    evidence.write_bytes(b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\n%%EOF\n")

    sign_in(page, base, "head_a", PASSWORD)
    page.get_by_role("link", name="Nhiệm vụ của đơn vị", exact=True).click()
    page.get_by_role("link", name=re.compile("Công khai 100 %")).click()
    page.get_by_role("link", name="Báo cáo").first.click()
    page.locator("#id_value").fill("80")
    page.locator("#id_narrative").fill("Đã niêm yết 80 % thủ tục hành chính.")
    page.get_by_role("button", name="Lưu bản nháp").click()
    page.locator("#id_file").set_input_files(str(evidence))
    page.get_by_role("button", name="Tải lên").click()
    expect(page.get_by_role("link", name="bien-ban-niem-yet.pdf", exact=True)).to_be_visible()
    page.get_by_role("button", name="Gửi để duyệt").click()
    confirm_in_page(page, "Gửi")
    expect(page.locator(".alert-success")).to_contain_text("Đã gửi báo cáo")
    screenshot("report-submitted")
    report = ProgressReport.objects.get()

    sign_in(page, base, "vanphong", PASSWORD)
    page.goto(f"{base}/tasks/review/")
    page.get_by_role("link", name=re.compile("Công khai 100 %")).click()
    page.locator("#id_comment").fill("Thiếu ảnh chụp bảng niêm yết tại bộ phận một cửa.")
    page.get_by_role("button", name="Trả lại cho đơn vị").click()
    confirm_in_page(page, "Trả lại")
    # No other report waits: back to the queue.
    expect(page.locator(".alert-info")).to_contain_text("Không còn báo cáo nào khác chờ duyệt")

    sign_in(page, base, "head_a", PASSWORD)
    page.goto(f"{base}{report.get_absolute_url()}")
    expect(page.locator(".alert-warning")).to_contain_text("Thiếu ảnh chụp")
    page.locator("#id_value").fill("100")
    page.get_by_role("button", name="Lưu bản nháp").click()
    page.get_by_role("button", name="Gửi lại để duyệt").click()
    confirm_in_page(page, "Gửi")
    expect(page.locator(".alert-success")).to_contain_text("Đã gửi báo cáo")

    sign_in(page, base, "congdoan", PASSWORD)
    page.goto(f"{base}{report.get_absolute_url()}")
    page.get_by_role("button", name="Chấp nhận").click()
    confirm_in_page(page, "Chấp nhận")
    expect(page.locator(".alert-info")).to_contain_text("Không còn báo cáo nào khác chờ duyệt")
    page.goto(f"{base}{report.get_absolute_url()}")
    history = page.locator("#history > li")  # each step (its changes are a list inside)
    screenshot("report-accepted-history")

    actions = [text.split("·")[0].strip() for text in history.all_inner_texts()]
    steps = {"Đã gửi", "Đã trả lại", "Đã gửi lại", "Đã chấp nhận"}
    assert [a for a in actions if a in steps] == [
        "Đã gửi", "Đã trả lại", "Đã gửi lại", "Đã chấp nhận"]
    assert len(actions) == 7  # two saves and the evidence upload besides the four steps
    report.refresh_from_db()
    assert report.status == "accepted" and str(report.value) == "100.00"
    assert report.evidence.count() == 1
