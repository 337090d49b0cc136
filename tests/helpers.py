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


def confirm_in_page(page, button_name=None):
    """Go ahead in the page's confirmation dialog (base.html #confirm-dialog) and return the
    question it asked."""
    from playwright.sync_api import expect as expect_page

    dialog = page.locator("#confirm-dialog")
    expect_page(dialog).to_be_visible()
    question = dialog.locator(".js-confirm-text").inner_text()
    ok = dialog.locator(".js-confirm-ok")
    if button_name:
        expect_page(ok).to_have_text(button_name)
    ok.click()
    return question


# Browser tests talk to a live server in another thread, so they commit: Django flushes the
# database after each one. serialized_rollback puts back what data migrations loaded (the
# awards catalogue and the law of each period) for the tests that follow.
LIVE = pytest.mark.django_db(transaction=True, serialized_rollback=True)
BROWSER = [pytest.mark.browser, LIVE]


# --- "the database is unchanged" ------------------------------------------------------------

# Sessions are written by signing in, not by what a test then asks of a page.
# Sessions, and the year a person last chose (remembered on any page that shows one, as a
# session would): what a person's visit leaves, not the portal's data.
SNAPSHOT_SKIPS = ("django_session", "units_usersession", "units_preference")


def _plain(value):
    # PostgreSQL hands binary columns back as memoryview, whose repr names an address.
    return bytes(value) if isinstance(value, memoryview) else value


def db_snapshot(*, skip=()):
    """{table: (row count, sha256 of every row in primary-key order)} for every model's table.

    Two snapshots compare equal only if no row was added, removed or changed anywhere; a
    failing comparison names the tables that moved.
    """
    import hashlib

    from django.apps import apps
    from django.db import connection

    skipped = set(SNAPSHOT_SKIPS) | set(skip)
    snapshot = {}
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for model in apps.get_models(include_auto_created=True):
            meta = model._meta
            if meta.proxy or not meta.managed or meta.db_table in skipped:
                continue
            cursor.execute(f"SELECT * FROM {quote(meta.db_table)} "
                           f"ORDER BY {quote(meta.pk.column)}")
            rows = [tuple(_plain(v) for v in row) for row in cursor.fetchall()]
            snapshot[meta.db_table] = (len(rows), hashlib.sha256(repr(rows).encode()).hexdigest())
    return snapshot


def changed_tables(before, after):
    """The tables whose rows differ between two snapshots (empty when nothing changed)."""
    return sorted(t for t in before.keys() | after.keys() if before.get(t) != after.get(t))
