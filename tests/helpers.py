"""What several test modules share: the role matrix vocabulary and signing in a browser."""

import pytest

ROLES = ["director", "office", "union", "head_a", "head_b", "staff", "admin"]
# Directors, the Office, the Union and administrators read every unit's work.
READERS = dict(director=200, office=200, union=200, admin=200)


def expect(default, **overrides):
    """The status each role should get: `default` unless overridden by role name."""
    return {role: overrides.get(role, default) for role in ROLES}


def sign_in(page, base_url, username, password):
    """Sign in through the login page (cookies cleared first) and land on the home page."""
    from playwright.sync_api import expect as expect_page

    page.context.clear_cookies()
    page.goto(f"{base_url}/accounts/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(password)
    page.get_by_role("button", name="Đăng nhập").click()
    expect_page(page.get_by_role("heading", level=1)).to_contain_text("Xin chào")


# Browser tests talk to a live server in another thread, so they commit: Django flushes the
# database after each one. serialized_rollback puts back what data migrations loaded (the
# awards catalogue and the law of each period) for the tests that follow.
LIVE = pytest.mark.django_db(transaction=True, serialized_rollback=True)
BROWSER = [pytest.mark.browser, LIVE]
