"""The key flow in a real browser: the Office reads the plan; a unit head confirms."""

import re

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from campaigns.models import Campaign, Dissemination

from ..helpers import BROWSER, confirm_in_page, sign_in

pytestmark = BROWSER

DEMO_PASSWORD = "thidua2022"

ITEM_FRAGMENTS = [
    "Nâng cao trách nhiệm lãnh đạo, chỉ đạo của Lãnh đạo cơ quan",
    "Thực hiện tốt cơ chế một cửa liên thông",
    "Tăng cường công tác theo dõi, kiểm tra, giám sát",
    "Thực hiện cập nhật, hoàn thiện và đồng bộ dữ liệu thủ tục hành chính",
    "Thực hiện tốt việc tinh gọn bộ máy",
    "Đào tạo, bồi dưỡng để nâng cao chất lượng công tác chuyên môn",
    "đẩy mạnh việc học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh",
    "Chấp hành nghiêm các quy định của pháp luật về phòng, chống tham nhũng",
    "Công khai, minh bạch, phát huy cao tính dân chủ",
    "Đề xuất các giải pháp, sáng kiến thiết thực, hiệu quả",
]


@pytest.fixture
def demo(transactional_db, settings):
    """The demo's plan in progress: the 2022 plan copied to the current year (2022 is closed)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("load_demo", "--force", stdout=open("/dev/null", "w"))
    return Campaign.objects.get(copied_from__year=2022)


def test_office_reads_the_plan(page, live_server, demo, screenshot):
    sign_in(page, live_server.url, "vanphong", DEMO_PASSWORD)
    screenshot("office-home")

    page.get_by_role("link", name=re.compile("Toàn ngành đồng lòng thi đua")).first.click()

    expect(page.get_by_role("heading", level=1)).to_have_text("KẾ HOẠCH")
    items = page.locator("#content-items li")
    expect(items).to_have_count(10)
    for number, fragment in enumerate(ITEM_FRAGMENTS, start=1):
        expect(items.nth(number - 1)).to_have_text(re.compile(rf"^{number}\. .*{fragment}"))
    expect(page.get_by_text("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")).to_be_visible()
    screenshot("office-plan-2022")

    page.get_by_role("link", name="Phổ biến kế hoạch theo đơn vị").click()
    expect(page.locator("tbody tr.table-warning").first).to_be_visible()
    screenshot("office-dissemination")


def test_unit_head_confirms_dissemination(page, live_server, demo, screenshot):
    pending = (Dissemination.objects.pending().filter(campaign=demo, unit__kind="school")
               .select_related("unit").first())
    head = pending.unit.staff.get(role="unit_head").user
    sign_in(page, live_server.url, head.username, DEMO_PASSWORD)
    screenshot("head-home")

    page.get_by_role("link", name="Xác nhận đã phổ biến").first.click()
    today = timezone.localdate().strftime("%d/%m/%Y")
    page.get_by_label("Ngày phổ biến").fill(today)
    page.get_by_label("Số người được phổ biến").fill("0")
    page.get_by_role("button", name="Xác nhận").click()
    assert pending.unit.name in confirm_in_page(page, "Xác nhận")
    expect(page.locator(".invalid-feedback")).to_contain_text("ít nhất 1")
    screenshot("head-confirm-error")

    page.get_by_label("Số người được phổ biến").fill("42")
    page.get_by_role("button", name="Xác nhận").click()
    confirm_in_page(page, "Xác nhận")

    expect(page.get_by_role("alert").first).to_contain_text("Cảm ơn")
    pending.refresh_from_db()
    assert pending.staff_reached == 42
    assert pending.disseminated_on.strftime("%d/%m/%Y") == today
    assert pending.confirmed_by == head
    screenshot("head-confirmed")


def test_office_drafts_and_launches_a_plan(page, live_server, demo, screenshot):
    sign_in(page, live_server.url, "vanphong", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/campaigns/new/")
    page.locator("#id_number").fill("31")
    page.locator("#id_year").fill("2023")
    page.locator("#id_issued_on").fill("06/01/2023")
    page.locator("#id_title").fill("Đổi mới, sáng tạo trong dạy và học")
    items = page.locator("#items-rows .formset-row")
    page.locator(".js-add-row[data-prefix=items]").click()
    page.locator(".js-add-row[data-prefix=items]").click()
    expect(items).to_have_count(4)
    for index, text in enumerate(["Ứng dụng công nghệ thông tin.", "Đổi mới phương pháp.",
                                  "Bồi dưỡng giáo viên.", "Khen thưởng kịp thời."]):
        page.locator(f"#id_items-{index}-number").fill(str(index + 1))
        page.locator(f"#id_items-{index}-text").fill(text)
    page.locator("#id_duties-0-number").fill("1")
    page.locator("#id_duties-0-text").fill("Các đơn vị trực thuộc phổ biến Kế hoạch.")
    page.locator("#duties-rows").get_by_label("Trường THPT Lộc Ninh").check()
    page.locator("#duties-rows").get_by_label("Trường THPT Bù Đăng").check()
    page.locator("#id_duties-0-asks_dissemination").check()
    page.get_by_role("button", name="Lưu kế hoạch").click()

    expect(page.locator("#content-items li")).to_have_count(4)
    campaign = Campaign.objects.get(year=2023, number="31")
    page.get_by_role("button", name="Phát động phong trào").click()
    confirm_in_page(page)

    expect(page.get_by_role("alert").first).to_contain_text("2 đơn vị")
    screenshot("office-launched-2023")
    campaign.refresh_from_db()
    assert campaign.status == "launched"
    assert sorted(campaign.disseminations.values_list("unit__short_name", flat=True)) == sorted(
        campaign.implementing_units().values_list("short_name", flat=True))
    assert campaign.disseminations.count() == 2
