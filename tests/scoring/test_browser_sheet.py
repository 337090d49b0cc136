"""In a real browser: the score sheet is one form whose every button saves what is typed first,
a stale tab keeps its typing beside the other person's values, and the sheet reads on a phone
in at most three screens."""

import datetime
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from scoring import services
from scoring.models import Score, ScoreEvidence, Sheet
from units.models import AuditEntry

from ..conftest import SCREENSHOTS
from ..factories import PASSWORD
from ..helpers import BROWSER, sign_in
from .realistic import realistic

pytestmark = BROWSER

FAR = datetime.date(2099, 1, 1)
PHONE = {"width": 390, "height": 844}
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\n%%EOF\n"


@pytest.fixture
def opened(scored, cast):
    return services.open_first_round(scheme=scored.scheme, deadline=FAR, user=cast.office)


def _sheet_url(live_server, scored, cast):
    return f"{live_server.url}/scoring/campaign/{scored.campaign.pk}/unit/{cast.unit_a.pk}/"


def test_points_typed_then_a_file_uploaded_are_stored_together(page, live_server, cast, scored,
                                                                opened, tmp_path):
    manual = Score.objects.get(round=opened, unit=cast.unit_a, criterion=scored.c4)
    evidence = tmp_path / "bien-ban-tuyen-truyen.pdf"
    evidence.write_bytes(PDF)
    sign_in(page, live_server.url, "head_a", PASSWORD)
    page.goto(_sheet_url(live_server, scored, cast))

    page.locator(f"#id_points_{manual.pk}").fill("17,5")
    page.locator(f"#id_note_{manual.pk}").fill("Đã tổ chức 3 buổi tuyên truyền.")
    page.locator(f"#id_file_{manual.pk}").set_input_files(str(evidence))
    page.get_by_role("button", name="Tải lên").click()

    expect(page.locator(".alert-success")).to_contain_text("Đã thêm tệp")
    expect(page.locator(".alert-success")).to_contain_text("Đã lưu 1 tiêu chí")
    expect(page.get_by_role("link", name="bien-ban-tuyen-truyen.pdf")).to_be_visible()
    expect(page.locator(f"#id_points_{manual.pk}")).to_have_value("17,5")
    manual.refresh_from_db()
    assert (manual.points, manual.note) == (Decimal("17.5"), "Đã tổ chức 3 buổi tuyên truyền.")
    assert ScoreEvidence.objects.get(score=manual).original_name == "bien-ban-tuyen-truyen.pdf"
    assert {"scoring.sheet_self", "scoring.evidence_added"} <= set(
        AuditEntry.objects.values_list("action", flat=True))


def test_a_stale_second_tab_keeps_its_typing_and_shows_the_other_version(
        page, live_server, cast, scored, opened):
    manual = Score.objects.get(round=opened, unit=cast.unit_a, criterion=scored.c4)
    sign_in(page, live_server.url, "head_a", PASSWORD)
    url = _sheet_url(live_server, scored, cast)
    page.goto(url)
    second = page.context.new_page()
    second.goto(url)

    page.locator(f"#id_note_{manual.pk}").fill("Biên bản sinh hoạt chuyên môn quý 1.")
    page.locator(f"#id_points_{manual.pk}").fill("15")
    page.locator(f"#id_points_{manual.pk}").press("Enter")  # Enter in a box saves
    expect(page.locator(".alert-success")).to_contain_text("Đã lưu 1 tiêu chí")

    second.locator(f"#id_points_{manual.pk}").fill("18")
    second.locator(f"#id_note_{manual.pk}").fill("Ba buổi tuyên truyền, có biên bản.")
    second.get_by_role("button", name="Lưu", exact=True).click()

    conflict = second.locator(".conflict")
    expect(conflict).to_contain_text("Có người đã lưu phiếu điểm này")
    expect(conflict).to_contain_text("Biên bản sinh hoạt chuyên môn quý 1.")  # theirs
    expect(conflict).to_contain_text("Ngô Thị Ánh")  # who saved it
    expect(conflict).to_contain_text("15,00")
    expect(second.locator(f"#id_points_{manual.pk}")).to_have_value("18")  # the typing stays
    expect(second.locator(f"#id_note_{manual.pk}")).to_have_value(
        "Ba buổi tuyên truyền, có biên bản.")
    manual.refresh_from_db()
    assert manual.points == Decimal(15)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    second.screenshot(path=str(SCREENSHOTS / "scoring-sheet-conflict.png"), full_page=True)

    # Saving again replaces the stored values knowingly.
    second.get_by_role("button", name="Lưu", exact=True).click()
    expect(second.locator(".alert-success")).to_contain_text("Đã lưu 1 tiêu chí")
    manual.refresh_from_db()
    assert (manual.points, manual.note) == (Decimal(18), "Ba buổi tuyên truyền, có biên bản.")


def test_a_refused_value_keeps_everything_typed(page, live_server, cast, scored, opened,
                                                tmp_path, screenshot):
    manual = Score.objects.get(round=opened, unit=cast.unit_a, criterion=scored.c4)
    evidence = tmp_path / "bien-ban.pdf"
    evidence.write_bytes(PDF)
    sign_in(page, live_server.url, "head_a", PASSWORD)
    page.goto(_sheet_url(live_server, scored, cast))
    version = Sheet.objects.get(round=opened, unit=cast.unit_a).version

    page.locator(f"#id_points_{manual.pk}").fill("25")
    page.locator(f"#id_note_{manual.pk}").fill("Ba buổi tuyên truyền.")
    page.locator(f"#id_file_{manual.pk}").set_input_files(str(evidence))
    page.get_by_role("button", name="Tải lên").click()

    expect(page.locator(f"#id_points_{manual.pk}_error")).to_contain_text("Tối đa 20 điểm")
    expect(page.locator(f"#id_points_{manual.pk}")).to_have_value("25")
    expect(page.locator(f"#id_note_{manual.pk}")).to_have_value("Ba buổi tuyên truyền.")
    expect(page.get_by_text("Tệp bạn đã chọn chưa được lưu: hãy chọn lại tệp.")).to_be_visible()
    expect(page.locator("#sheet-form")).to_have_attribute("data-dirty", "1")
    screenshot("scoring-sheet-refused")
    manual.refresh_from_db()
    assert manual.points is None and not ScoreEvidence.objects.exists()
    assert Sheet.objects.get(round=opened, unit=cast.unit_a).version == version


def _measure(page):
    return page.evaluate("[document.documentElement.scrollHeight,"
                         " document.documentElement.scrollWidth]")


@pytest.mark.parametrize("stage", ["self", "appraisal", "locked"])
def test_the_sheet_reads_on_a_phone_in_three_screens(page, live_server, cast, stage,
                                                    screenshot, settings, tmp_path):
    """The unit head's sheet in the open self-assessment (with its boxes), the Office's in the
    appraisal (a box pair on every criterion that applies) and the head's once locked (every
    round's values): at most 3 × 844 px tall at 390 px wide, with no sideways scrolling."""
    settings.MEDIA_ROOT = tmp_path / "media"
    world = realistic(cast)
    user = "head_a"
    if stage != "self":
        services.advance(scheme=world.scheme, deadline=FAR, user=cast.office)
        user = "vanphong"
    if stage == "locked":
        services.advance(scheme=world.scheme, deadline=FAR, user=cast.office)
        services.advance(scheme=world.scheme, deadline=FAR, user=cast.office)
        services.lock(scheme=world.scheme, user=cast.director)
        user = "head_a"
    sign_in(page, live_server.url, user, PASSWORD)
    url = f"{live_server.url}/scoring/campaign/{world.campaign.pk}/unit/{cast.unit_a.pk}/"

    page.set_viewport_size(PHONE)
    page.goto(url)
    expect(page.get_by_role("heading", level=1)).to_contain_text(cast.unit_a.name)
    height, width = _measure(page)
    screenshot(f"scoring-sheet-{stage}-390")
    assert width <= PHONE["width"], f"{width} px wide: the page scrolls sideways"
    assert height <= 3 * PHONE["height"], f"{height} px tall: more than three screens"
    # Folded on a phone, and each criterion's points on its title's first line, to its right.
    assert page.locator("details.c-why[open]").count() == 0
    title = page.locator("#criterion-7 .c-name").bounding_box()
    points = page.locator("#criterion-7 .c-current .c-val").bounding_box()
    expect(page.locator("#criterion-7 .c-current .c-val")).to_have_text("11,00")
    assert abs(points["y"] - title["y"]) < 10 and points["x"] > title["x"] + title["width"] / 2

    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(url)
    screenshot(f"scoring-sheet-{stage}-1280")
    assert _measure(page)[1] <= 1280
    assert page.locator("details.c-why:not([open])").count() == 0  # all open on a wide screen
