"""In a real browser: the administrator makes a layout of the Giấy khen blank, types a position
off the paper (refused beside the box, in Vietnamese), corrects it with a comma decimal, opens
the calibration sheet; a unit head prints the decision's certificates from its page."""

import datetime

from django.urls import reverse
from playwright.sync_api import expect

from awards.models import Award, CertificateLayout, Conferral, Decision

from ..factories import PASSWORD, StaffMemberFactory
from ..helpers import BROWSER, sign_in

pytestmark = BROWSER


def test_the_administrator_sets_a_blank_and_prints_its_calibration_sheet(
        page, live_server, cast, screenshot):
    sign_in(page, live_server.url, "quantri", PASSWORD)
    page.goto(live_server.url + reverse("awards:certificate_layouts"))
    page.get_by_role("link", name="Mẫu in mới").click()
    page.locator("#id_name").fill("Phôi Giấy khen 2022")
    page.get_by_label("Tên người (tập thể) được khen: x (mm)").fill("300")
    page.get_by_role("button", name="Lưu mẫu in").click()
    expect(page.locator("#id_name_x_error")).to_contain_text("nằm ngoài tờ giấy")
    screenshot("awards-certificate-layout-refused-desktop")

    page.get_by_label("Tên người (tập thể) được khen: x (mm)").fill("48,5")
    page.get_by_role("button", name="Lưu mẫu in").click()
    expect(page.locator(".alert-success")).to_contain_text("Đã lưu mẫu in")
    layout = CertificateLayout.objects.get()
    assert layout.field("name")["x"] == 48.5
    with page.expect_download() as download:
        page.get_by_role("link", name="In tờ căn chỉnh (PDF)").click()
    assert download.value.suggested_filename == "can-chinh-phoi-Phoi-Giay-khen-2022.pdf"
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot("awards-certificate-layout-390")


def test_a_unit_head_prints_the_certificates_from_the_decision(page, live_server, cast,
                                                               screenshot):
    award = Award.objects.get(code="giay-khen-giam-doc-so")
    decision = Decision.objects.create(
        award=award, year=2022, number="1802/QĐ-SGDĐT", signed_on=datetime.date(2023, 1, 4),
        signer_name="Nguyễn Văn Phó", signer_title="GIÁM ĐỐC", created_by=cast.office)
    staff = StaffMemberFactory(full_name="Đặng Thị Ước", unit=cast.unit_a)
    Conferral.objects.create(award=award, year=2022, staff=staff, unit=cast.unit_a,
                             decision=decision.number, decided_on=decision.signed_on,
                             issued_by=decision)
    sign_in(page, live_server.url, "head_a", PASSWORD)
    page.goto(live_server.url + reverse("awards:decision", args=[decision.pk]))
    box = page.locator("#certificates")
    expect(box).to_contain_text("Giấy khen")
    screenshot("awards-decision-certificates-desktop")
    with page.expect_download() as download:
        box.get_by_role("button", name="In giấy khen").click()
    assert download.value.suggested_filename == "giay-khen-1802-QD-SGDDT.pdf"
