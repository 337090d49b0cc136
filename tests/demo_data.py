"""The demo data loaded once for a whole test module: `load_demo` takes several seconds.

A test module makes its `demo` fixture with `demo = module_demo()`. The fixture runs
`load_demo --force --today 04/12/2026` inside a transaction that stays open while the module's
tests run and is rolled back after the last one; each test runs in a savepoint within it
(pytest-django's `db`), so every test sees the demo as loaded and none sees another's changes.
Commit hooks never run (scoring.recompute recomputes the open round after a commit): nothing
checked here depends on them. The fixed day keeps the current year's data the same whatever
the clock says; tests/test_demo_live_year.py loads other days too.
"""

import datetime
import io
from types import SimpleNamespace

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings

TODAY = datetime.date(2026, 12, 4)
FAST_HASHER = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def load(*args) -> str:
    """Run load_demo (with --force) and return what it printed."""
    out = io.StringIO()
    call_command("load_demo", "--force", *args, stdout=out)
    return out.getvalue()


def module_demo(today: datetime.date = TODAY):
    """A module-scoped fixture: the demo as of `today`, SimpleNamespace(output, media, today)."""

    @pytest.fixture(scope="module")
    def demo(django_db_setup, django_db_blocker, tmp_path_factory):
        media = tmp_path_factory.mktemp("demo-media")
        # The demo stores real evidence files: keep them out of the development media folder.
        # PBKDF2 would spend seconds on the demo accounts and the sign-ins of the tests.
        with override_settings(MEDIA_ROOT=media, PASSWORD_HASHERS=FAST_HASHER), \
                django_db_blocker.unblock(), transaction.atomic():
            output = load("--today", f"{today:%d/%m/%Y}")
            yield SimpleNamespace(output=output, media=media, today=today)
            transaction.set_rollback(True)

    return demo
