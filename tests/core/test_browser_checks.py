"""In a real browser whose language is English: the browser's own checks of a form (a required
file left out) speak Vietnamese, and the check clears once the box is filled."""

from playwright.sync_api import expect

from scoring.models import Cluster

from ..factories import PASSWORD
from ..helpers import BROWSER, sign_in

pytestmark = BROWSER


def test_required_file_is_asked_for_in_vietnamese(browser, live_server, cast, tmp_path):
    cluster = Cluster.objects.create(year=2025, name="Cụm trường THPT số 1", head=cast.unit_a)
    pact = tmp_path / "giao-uoc-thi-dua.pdf"
    pact.write_bytes(b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\n%%EOF\n")
    context = browser.new_context(locale="en-US")
    page = context.new_page()
    sign_in(page, live_server.url, "vanphong", PASSWORD)
    page.goto(f"{live_server.url}/scoring/clusters/{cluster.pk}/")
    file_box = page.locator("#pact-file")

    page.get_by_role("button", name="Tải lên", exact=True).click()  # no file chosen yet
    assert file_box.evaluate("input => input.validationMessage") == "Vui lòng chọn tệp."
    expect(page).to_have_url(f"{live_server.url}/scoring/clusters/{cluster.pk}/")

    file_box.set_input_files(str(pact))
    assert file_box.evaluate("input => input.validity.valid")
    page.get_by_role("button", name="Tải lên", exact=True).click()
    expect(page.get_by_role("link", name="giao-uoc-thi-dua.pdf")).to_be_visible()
    context.close()
