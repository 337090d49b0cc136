"""The fixed cast of users every view is tried against (see docs/style.md, section 8)."""

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.utils import translation

from units.models import Role, UnitKind

from .factories import PASSWORD, UnitFactory, person

# Playwright's sync API runs an event loop in the test thread; Django's ORM then refuses to run
# unless told that this is a test process.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@dataclass
class Cast:
    root: object
    board: object
    office_unit: object
    union_unit: object
    unit_a: object
    unit_b: object
    director: object
    office: object
    union: object
    head_a: object
    head_b: object
    staff: object
    admin: object

    def users(self):
        return {
            "director": self.director,
            "office": self.office,
            "union": self.union,
            "head_a": self.head_a,
            "head_b": self.head_b,
            "staff": self.staff,
            "admin": self.admin,
        }


@pytest.fixture
def cast(db):
    root = UnitFactory(name="Sở Giáo dục và Đào tạo Bình Phước", short_name="Sở GD&ĐT",
                       code="so", kind=UnitKind.DEPARTMENT, headcount=None)
    board = UnitFactory(name="Ban Giám đốc", code="bgd", kind=UnitKind.BOARD, parent=root)
    office_unit = UnitFactory(name="Văn phòng Sở", code="vp", kind=UnitKind.OFFICE, parent=root,
                              headcount=12)
    union_unit = UnitFactory(name="Công đoàn ngành Giáo dục", code="cd", kind=UnitKind.UNION,
                             parent=root)
    unit_a = UnitFactory(name="Trường THPT Hùng Vương", code="a", parent=root, headcount=60)
    unit_b = UnitFactory(name="Trường THPT Đồng Xoài", code="b", parent=root, headcount=70)
    return Cast(
        root=root, board=board, office_unit=office_unit, union_unit=union_unit,
        unit_a=unit_a, unit_b=unit_b,
        director=person(Role.DIRECTOR, board, "giamdoc", full_name="Trần Văn Giám"),
        office=person(Role.OFFICE, office_unit, "vanphong", full_name="Lê Thị Vân"),
        union=person(Role.UNION, union_unit, "congdoan", full_name="Phạm Văn Đoàn"),
        head_a=person(Role.UNIT_HEAD, unit_a, "head_a", full_name="Ngô Thị Ánh"),
        head_b=person(Role.UNIT_HEAD, unit_b, "head_b", full_name="Đỗ Văn Bình"),
        staff=person(Role.STAFF, unit_a, "canbo", full_name="Hồ Thị Cúc"),
        admin=person(Role.ADMIN, office_unit, "quantri", full_name="Quản Trị"),
    )


@pytest.fixture
def client_for():
    """A logged-in test client for a user (None gives an anonymous client)."""

    def make(user, **kwargs):
        client = Client(**kwargs)
        if user is not None:
            client.force_login(user)
        return client

    return make


@pytest.fixture
def password():
    return PASSWORD


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup):
    """pytest-django's setup, then the serialised rows (the award catalogue and the law of each
    period, see tests/helpers.py, LIVE) kept where every connection object finds them.

    Once Playwright has started, its event loop runs in the test thread and Django's
    thread-critical connection handler keeps its connections per asyncio context: the test then
    gets a new connection object, without the `_test_serialized_contents` the setup put on the
    first one, and Django silently skipped the serialised rollback of every later transactional
    test (a browser test after another found the catalogue empty). One database alias here, so
    the rows go on the backend's class.
    """
    from django.db import connections

    contents = getattr(connections["default"], "_test_serialized_contents", None)
    if contents is not None:
        type(connections["default"])._test_serialized_contents = contents


@pytest.fixture(autouse=True)
def _default_language():
    # A management command run by an earlier test on the same worker (makemigrations in the
    # site guards) leaves translations deactivated — English — for whatever runs next there:
    # each test starts in the portal's language, as a request would.
    translation.activate(django_settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # PBKDF2 costs ~0.3 s per user; the cast alone has seven. The hasher is not under test here.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _media_in_a_temporary_directory(request, settings, tmp_path):
    # Every download is kept for "My documents": a test's files go to its own directory, never
    # the checkout's media/. Fixtures that set MEDIA_ROOT themselves still win (they run later),
    # and the module-wide demo (tests/demo_data.py) keeps the directory its files were loaded in.
    if "demo" in request.fixturenames:
        return
    settings.MEDIA_ROOT = tmp_path / "media-files"


# Browser tests: Playwright drives Debian's Chromium.
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
SCREENSHOTS = Path(__file__).resolve().parents[1] / "artifacts" / "screenshots"


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    # Debian's Chromium, never a downloaded browser; without the networking flags it keeps
    # trying hosts that a closed network does not have.
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"],
    }


@pytest.fixture
def screenshot(page):
    """Save a full-page screenshot under artifacts/screenshots/ for a person to look at."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def take(name):
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


def _transactional(item) -> bool:
    """Whether the test commits (live server, browser, row locks): its end empties the tables."""
    marker = item.get_closest_marker("django_db")
    if marker and (marker.kwargs.get("transaction") or marker.kwargs.get("reset_sequences")):
        return True
    return "transactional_db" in item.fixturenames or "live_server" in item.fixturenames


def _serialized(item) -> bool:
    """Whether pytest-django puts the serialised rows back when the test starts (LIVE)."""
    marker = item.get_closest_marker("django_db")
    return bool((marker and marker.kwargs.get("serialized_rollback"))
                or "django_db_serialized_rollback" in item.fixturenames)


def pytest_collection_modifyitems(items):
    """Every transactional test is LIVE (serialised rollback), so that the rows the data
    migrations loaded are serialised at the start of the run and can be put back after it."""
    plain = [item.nodeid for item in items if _transactional(item) and not _serialized(item)]
    if plain:
        raise pytest.UsageError("Transactional tests must be marked LIVE (tests/helpers.py), or "
                                "their end leaves the award catalogue empty: " + ", ".join(plain))


DB_BLOCKER = pytest.StashKey[object]()


@pytest.fixture(autouse=True, scope="session")
def _db_blocker_for_hooks(request, django_db_blocker):
    # The hook below runs after every fixture of the test is gone; it reaches the database
    # through pytest-django's blocker, kept here.
    request.config.stash[DB_BLOCKER] = django_db_blocker


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """After a transactional test, the rows the data migrations loaded put back.

    A transactional test commits, so its end empties every table (TRUNCATE on PostgreSQL),
    data migrations' rows included: the award catalogue and the law of each period
    (tests/helpers.py, LIVE). pytest-django orders such tests last, but other reorderings
    (pytest's grouping by pytest-playwright's session-scoped browser name, an explicit file
    order, -p no:randomly…) may put an ordinary test after one, which would find the catalogue
    empty. pytest-django's own teardown (the flush) runs after every fixture of ours, so this
    runs after the whole teardown of the test: the serialised rows — content types and
    permissions included, with their original keys — are loaded again. A next test that loads
    them itself (LIVE) and the end of the run are spared the work.
    """
    result = yield
    if (not _transactional(item) or nextitem is None
            or (_transactional(nextitem) and _serialized(nextitem))):
        return result
    from django.contrib.contenttypes.models import ContentType
    from django.db import connections

    connection = connections["default"]
    blocker = item.config.stash.get(DB_BLOCKER, None)
    if blocker is None or getattr(connection, "_test_serialized_contents", None) is None:
        return result  # skipped before the database was set up: nothing was emptied
    with blocker.unblock():
        connection.creation.deserialize_db_from_string(connection._test_serialized_contents)
        ContentType.objects.clear_cache()
    return result


@pytest.fixture(autouse=True)
def _content_types_of_this_database(request):
    """A transactional test starts from a database the previous one emptied and the serialised
    rows refilled: the process's cache of content types (which the audit trail reads for every
    line) may still name one made during an earlier test, under a key that is gone. Looked up
    afresh, they are read (or made) again.
    """
    if _transactional(request.node):
        from django.contrib.contenttypes.models import ContentType

        ContentType.objects.clear_cache()


@pytest.fixture(autouse=True)
def _department_identity_as_stored(request, settings):
    """The department's identity (units.identity) is kept in the process between pages; here it
    is kept for the whole test, and read before it so that no page's query count depends on
    whether an earlier test on the worker read it. A test that changed it (rolled back at its
    end) leaves it to be read again."""
    from units import identity

    settings.DEPARTMENT_IDENTITY_SECONDS = None
    if _transactional(request.node) or "db" in request.fixturenames:
        request.getfixturevalue("django_db_setup")
        with request.getfixturevalue("django_db_blocker").unblock():
            identity.forget()
            identity.current()
    saves = identity.saves()
    yield
    if identity.saves() != saves:
        identity.forget()
