# ruff: noqa: F811  (the fixtures of test_documents, imported, are redefined as arguments)
"""In a real browser: the director signs a decision with a key file, then checks the signed PDF
on the verification page (the keys from a throwaway CA, signing_keys.py)."""

from playwright.sync_api import expect

from awards.models import SignedDecision

from ..factories import PASSWORD
from ..helpers import BROWSER, sign_in
from .signing_keys import PASSWORD as KEY_PASSWORD
from .signing_keys import make_keys
from .test_documents import make_decision, plan_2022  # noqa: F401  (fixtures)

pytestmark = BROWSER


def test_director_signs_a_decision_then_verifies_it(page, live_server, cast, plan_2022,
                                                     screenshot, tmp_path, settings):
    keys = make_keys(tmp_path)
    settings.SIGNATURE_TRUST_ROOTS = [str(keys.root_pem)]
    decision = make_decision(cast)
    base = live_server.url
    sign_in(page, base, "giamdoc", PASSWORD)
    page.goto(f"{base}/awards/decisions/{decision.pk}/")
    page.get_by_role("link", name="Ký số", exact=True).click()

    # A wrong password first: said, nothing signed.
    page.get_by_label("Tệp khóa (.p12, .pfx)").set_input_files(str(keys.good))
    page.get_by_label("Mật khẩu của tệp khóa").fill("sai")
    page.get_by_role("button", name="Ký quyết định").click()
    expect(page.get_by_text("mật khẩu không đúng")).to_be_visible()
    expect(page.get_by_label("Mật khẩu của tệp khóa")).to_have_value("")  # never shown back
    screenshot("awards-decision-sign-wrong-password")

    page.get_by_label("Tệp khóa (.p12, .pfx)").set_input_files(str(keys.good))
    page.get_by_label("Mật khẩu của tệp khóa").fill(KEY_PASSWORD.decode())
    page.get_by_role("button", name="Ký quyết định").click()
    expect(page.get_by_text("Đã ký số Quyết định 1802/QĐ-SGDĐT")).to_be_visible()
    expect(page.get_by_text("Đã ký số", exact=True)).to_be_visible()
    screenshot("awards-decision-signed")

    signed = SignedDecision.objects.get()
    copy = tmp_path / "quyet-dinh.pdf"
    with signed.file.open("rb") as stored:
        copy.write_bytes(stored.read())
    page.get_by_role("link", name="Kiểm tra một tệp PDF đã ký số").click()
    page.get_by_label("Tệp PDF đã ký số").set_input_files(str(copy))
    page.get_by_role("button", name="Kiểm tra").click()
    result = page.locator("#verify-result")
    expect(result).to_contain_text("Chữ ký hợp lệ và văn bản không bị thay đổi kể từ khi ký.")
    expect(result).to_contain_text("Nguyễn Văn Phó")
    expect(result).to_contain_text("Được cấp dưới chứng thư gốc tin cậy.")
    screenshot("awards-signature-verified")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot("awards-signature-verified-390")
