"""In a real browser set to Vietnamese and to English (en-US): numbers typed the Vietnamese way
in the portal's forms are read the Vietnamese way, shown back so, and a number that cannot be
read says which format to use, keeping what was typed."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from campaigns import services as campaign_services
from tasks import services as task_services
from tasks.models import Cadence, IndicatorKind, Task

from ..factories import PASSWORD, plan
from ..helpers import BROWSER, sign_in

pytestmark = BROWSER


@pytest.fixture(params=["vi-VN", "en-US"])
def browser_context_args(browser_context_args, request):
    # In English a type="number" box would read "14,5" as 145 and refuse "1.200".
    return {**browser_context_args, "locale": request.param}


@pytest.fixture
def two_tasks(cast):
    campaign = plan(units=[cast.unit_a])
    campaign_services.launch(campaign=campaign, user=cast.office)
    item = campaign.items.first()
    percent = Task.objects.create(item=item, title="Công khai thủ tục hành chính",
                                  indicator_kind=IndicatorKind.PERCENT, target_value=100,
                                  cadence=Cadence.QUARTERLY, deadline=datetime.date(2022, 12, 31))
    count = Task.objects.create(item=item, title="Số hồ sơ được số hóa",
                                indicator_kind=IndicatorKind.COUNT, target_value=500,
                                cadence=Cadence.ONCE, deadline=datetime.date(2022, 12, 31))
    for task in (percent, count):
        task_services.assign(task=task, units=[cast.unit_a], user=cast.office)
    return percent.assignments.get(), count.assignments.get()


def test_14_5_and_1_200_typed_in_any_browser_language(page, live_server, cast, two_tasks,
                                                        screenshot, browser_context_args):
    percent, count = two_tasks
    language = browser_context_args["locale"]
    assert page.evaluate("navigator.language") == language
    sign_in(page, live_server.url, "vanphong", PASSWORD)

    page.goto(live_server.url + reverse("tasks:assignment_terms", args=[percent.pk]))
    target = page.locator("#id_target_value")
    assert target.get_attribute("type") == "text"
    target.fill("14,5,6")
    page.get_by_role("button", name="Lưu", exact=True).click()
    error = page.locator("#id_target_value_error")
    expect(error).to_contain_text("“14,5,6” không phải là số")
    expect(error).to_contain_text("14,5 hoặc 1.200")
    expect(target).to_have_value("14,5,6")  # what was typed is still there
    screenshot(f"numbers-refused-{language}")
    target.fill("14,5")
    page.locator("#id_deadline").fill("30/06/2022")
    page.get_by_role("button", name="Lưu", exact=True).click()
    expect(page.locator(".alert-success[role=alert]")).to_be_visible()
    percent.refresh_from_db()
    assert (percent.target_value, percent.deadline) == (Decimal("14.5"),
                                                        datetime.date(2022, 6, 30))

    page.goto(live_server.url + reverse("tasks:assignment_terms", args=[count.pk]))
    page.locator("#id_target_value").fill("14,5")
    page.get_by_role("button", name="Lưu", exact=True).click()
    expect(page.locator("#id_target_value_error")).to_contain_text("số nguyên")
    page.locator("#id_target_value").fill("1.200")
    page.get_by_role("button", name="Lưu", exact=True).click()
    expect(page.locator(".alert-success[role=alert]")).to_be_visible()
    count.refresh_from_db()
    assert count.target_value == Decimal(1200)

    # Shown back as it was written.
    page.goto(live_server.url + reverse("tasks:assignment_terms", args=[percent.pk]))
    expect(page.locator("#id_target_value")).to_have_value("14,5")
    expect(page.locator("#id_deadline")).to_have_value("30/06/2022")
    page.goto(live_server.url + reverse("tasks:assignment_terms", args=[count.pk]))
    expect(page.locator("#id_target_value")).to_have_value("1.200")


def test_a_date_box_offers_the_picker_and_keeps_dd_mm_yyyy(page, live_server, cast,
                                                             two_tasks):
    percent, _count = two_tasks
    sign_in(page, live_server.url, "vanphong", PASSWORD)
    page.goto(live_server.url + reverse("tasks:assignment_terms", args=[percent.pk]))
    deadline = page.locator("#id_deadline")
    assert deadline.get_attribute("type") == "text"
    picker = page.locator(".date-input-group input[type=date]")
    expect(page.locator(".date-picker-button")).to_be_visible()
    # What the browser's picker hands back (ISO) is written in the box as dd/mm/yyyy.
    picker.evaluate("(el) => { el.value = '2022-09-15'; "
                    "el.dispatchEvent(new Event('change', {bubbles: true})); }")
    expect(deadline).to_have_value("15/09/2022")
