"""In a real browser, under the Content-Security-Policy: the main pages of the director, a unit
head and the administrator load without one refused script, style or image, and the dashboard's
SVG charts still draw (screenshot: artifacts/screenshots/csp-dashboard-director.png)."""

import pytest
from django.core.management import call_command
from django.urls import reverse
from playwright.sync_api import expect

from campaigns.models import Campaign, Dissemination
from units.demo import ADMIN_USERNAME, DIRECTOR_USERNAME, head_of

from ..helpers import BROWSER, sign_in

pytestmark = BROWSER

DEMO_PASSWORD = "thidua2022"

# Collected in the page before any of its own scripts run; CDP's init scripts are not subject
# to the page's policy, so the listener itself is never refused.
LISTEN = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", function (event) {
  window.__cspViolations.push(event.violatedDirective + " " + (event.blockedURI || "inline")
                              + " " + (event.sourceFile || "") + ":" + event.lineNumber);
});
"""


@pytest.fixture
def demo(transactional_db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("load_demo", "--force", stdout=open("/dev/null", "w"))
    # The plan in progress, with an open round and reports in every state.
    return Campaign.objects.get(copied_from__year=2022)


@pytest.fixture
def watched(page):
    """The page, with every CSP refusal (event or console message) and failed request noted."""
    problems = []
    page.add_init_script(LISTEN)
    page.on("console", lambda message: problems.append(f"console: {message.text}")
            if "Content Security Policy" in message.text or "Refused to" in message.text
            else None)
    page.on("response", lambda response: problems.append(f"{response.status} {response.url}")
            if response.status >= 400 else None)
    page.problems = problems
    return page


def visit(page, base, path):
    response = page.goto(base + path)
    assert response.status == 200, path
    assert "Content-Security-Policy" in {k.title(): v for k, v in response.headers.items()}
    page.wait_for_load_state("load")
    violations = page.evaluate("window.__cspViolations")
    assert violations == [], f"{path}: {violations}"
    assert page.problems == [], f"{path}: {page.problems}"


def test_main_pages_break_no_rule_of_the_policy(watched, live_server, demo, screenshot):
    page, base = watched, live_server.url

    sign_in(page, base, DIRECTOR_USERNAME, DEMO_PASSWORD)
    for path in [
        reverse("home"),
        demo.get_absolute_url(),
        reverse("tasks:campaign", args=[demo.pk]),
        reverse("tasks:review_dashboard"),
        reverse("scoring:overview", args=[demo.pk]),
        reverse("awards:proposals"),
        reverse("awards:decisions"),
        reverse("awards:eligibility"),
        reverse("awards:registrations"),
        reverse("scoring:dashboard", args=[demo.pk]),
    ]:
        visit(page, base, path)
    # The charts are inline SVG: still drawn, with their shapes, under style-src 'self'.
    chart = page.locator(".chart-drawing svg").first
    expect(chart).to_be_visible()
    assert page.locator(".chart-drawing svg rect").count() > 0
    page.set_viewport_size({"width": 1280, "height": 900})
    screenshot("csp-dashboard-director")

    # The progress bar on home now gets its width from portal.js, not a style= attribute.
    visit(page, base, reverse("home"))
    bar = page.locator(".progress-bar[data-progress]").first
    expect(bar).to_be_attached()
    wanted = float(bar.get_attribute("data-progress"))
    drawn = bar.evaluate("b => 100 * b.getBoundingClientRect().width"
                         " / b.parentElement.getBoundingClientRect().width")
    assert abs(drawn - wanted) < 1.5

    pending = (Dissemination.objects.pending().filter(campaign=demo, unit__kind="school")
               .select_related("unit").first())
    sign_in(page, base, head_of(pending.unit).username, DEMO_PASSWORD)
    for path in [
        reverse("home"),
        demo.get_absolute_url(),
        reverse("tasks:mine"),
        reverse("scoring:dashboard_mine", args=[demo.pk]),
        reverse("awards:proposal_mine"),
    ]:
        visit(page, base, path)

    # Django's admin has no inline scripts since 4.x: it runs under the same policy.
    sign_in(page, base, ADMIN_USERNAME, DEMO_PASSWORD)
    for path in [
        reverse("admin:index"),
        reverse("admin:units_unit_changelist"),
        reverse("admin:auth_user_changelist"),
        reverse("admin:auth_user_change", args=[head_of(pending.unit).pk]),
    ]:
        visit(page, base, path)
