"""In a real browser: the administrator uploads a broken Word template (refused, with what to
fix), then a good one (saved), and removes it."""

import io

from django.urls import reverse
from docx import Document
from playwright.sync_api import expect

from ..factories import PASSWORD
from ..helpers import BROWSER, sign_in

pytestmark = BROWSER

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _docx(text):
    doc = Document()
    doc.add_paragraph(text)
    stream = io.BytesIO()
    doc.save(stream)
    return {"name": "mau.docx", "mimeType": DOCX, "buffer": stream.getvalue()}


def test_the_administrator_uploads_a_template_sees_a_broken_one_refused_and_removes_it(
        page, live_server, cast, screenshot, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    sign_in(page, live_server.url, "quantri", PASSWORD)
    page.goto(live_server.url + reverse("awards:word_templates"))
    decision = page.locator("section", has_text="Quyết định kèm danh sách")
    decision.locator("input[type=file]").set_input_files(_docx("Số: {{ so_quyet_dinh }}"))
    decision.get_by_role("button", name="Tải mẫu lên").click()
    decision = page.locator("section", has_text="Quyết định kèm danh sách")
    expect(decision).to_contain_text("{{ so_quyet_dinh }}")
    expect(decision).to_contain_text("Chỉ dùng các trường được liệt kê")
    decision.locator("summary").click()
    screenshot("awards-word-template-refused-desktop")

    decision.locator("input[type=file]").set_input_files(_docx("Số: {{ so_hieu }}"))
    decision.get_by_role("button", name="Tải mẫu lên").click()
    expect(page.locator(".alert-success")).to_contain_text("Mẫu đã được kiểm tra và lưu")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot("awards-word-template-saved-390")
    page.get_by_role("button", name="Gỡ mẫu này và dùng thể thức có sẵn").click()
    expect(page.locator(".alert-success")).to_contain_text("Đã gỡ mẫu của Sở")
