"""Site-wide guards: migrations, login everywhere, one <h1> per page, a complete catalogue."""

import shutil
import subprocess
import sys
from io import StringIO
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from campaigns import services

from .factories import plan

# login must be reachable, and so must resetting a forgotten password; set_language only sets
# a cookie; health answers the load balancer.
PUBLIC = {"login", "set_language", "health", "password_reset", "password_reset_done",
          "password_reset_confirm", "password_reset_complete", "invitation_accept"}


def _walk(patterns, prefix="", namespace=None):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            ns = entry.namespace or namespace
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern), ns)
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), namespace, entry.name


def _concrete(route):
    """Fill converters with a plausible value so the URL resolves."""
    import re

    route = re.sub(r"<int:\w+>", "1", route)
    route = re.sub(r"<(?:str|slug|path):\w+>", "x", route)
    return "/" + route.lstrip("^").rstrip("$").replace("\\Z", "")


def _app_urls():
    for route, namespace, name in _walk(get_resolver().url_patterns):
        if namespace == "admin" or name in PUBLIC:
            continue
        if any(ch in route for ch in "^$(?"):
            continue  # regex routes (static files) are not ours
        yield _concrete(route), name


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["get", "post"])
def test_every_url_requires_login(method):
    client = Client()
    urls = list(_app_urls())
    assert len(urls) >= 12  # the walk found our pages, not nothing
    for url, name in urls:
        response = getattr(client, method)(url)
        assert response.status_code == 302, f"{name} {url}"
        assert response["Location"].startswith(reverse("login")), f"{name} {url}"


@pytest.mark.django_db
def test_admin_requires_login():
    response = Client().get("/admin/")
    assert response.status_code == 302


@pytest.mark.django_db
def test_no_pending_migrations():
    out = StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out, stderr=out)


def test_every_page_has_one_h1(cast, client_for):
    launched = plan(units=[cast.unit_a])
    services.launch(campaign=launched, user=cast.office)
    draft = plan()
    dissemination = launched.disseminations.get()
    pages = [
        (cast.office, reverse("home")),
        (cast.head_a, reverse("home")),
        (cast.office, reverse("units:list")),
        (cast.office, reverse("units:detail", args=[cast.unit_a.pk])),
        (cast.office, reverse("campaigns:list")),
        (cast.office, reverse("campaigns:detail", args=[launched.pk])),
        (cast.office, reverse("campaigns:create")),
        (cast.office, reverse("campaigns:edit", args=[draft.pk])),
        (cast.office, reverse("campaigns:copy", args=[launched.pk])),
        (cast.office, reverse("campaigns:disseminations", args=[launched.pk])),
        (cast.head_a, reverse("campaigns:confirm", args=[dissemination.pk])),
        (cast.office, reverse("password_change")),
        (cast.office, reverse("campaigns:detail", args=[999])),
        (cast.head_a, reverse("campaigns:disseminations", args=[launched.pk])),
        (None, reverse("login")),
    ]
    for user, url in pages:
        html = client_for(user).get(url).content.decode()
        assert html.count("<h1") == 1, url


CATALOGUE = Path(settings.BASE_DIR) / "locale" / "vi" / "LC_MESSAGES" / "django.po"


def test_vietnamese_catalogue_has_no_untranslated_or_fuzzy_entries():
    catalogue = polib.pofile(str(CATALOGUE))
    assert len(catalogue) > 100
    assert [e.msgid for e in catalogue.untranslated_entries()] == []
    assert [e.msgid for e in catalogue.fuzzy_entries()] == []
    assert [e.msgid for e in catalogue.obsolete_entries()] == []
    # msgfmt checks placeholders (python-format) and syntax, as compilemessages will.
    subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(CATALOGUE)], check=True)


def test_vietnamese_catalogue_covers_every_string_in_the_code(tmp_path):
    """Extract the strings afresh from a copy of the sources and compare with the catalogue."""
    base = Path(settings.BASE_DIR)
    copy = tmp_path / "src"
    shutil.copytree(base, copy, ignore=shutil.ignore_patterns(
        ".venv", ".git", "media", "staticfiles", "*.sqlite3", "__pycache__", "node_modules",
        "artifacts"))
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "vi", "--no-obsolete", "-v", "0"],
        cwd=copy, check=True, env={"PATH": "/usr/bin:/bin", "DEBUG": "true"},
    )
    fresh = {e.msgid for e in polib.pofile(str(copy / CATALOGUE.relative_to(base)))}
    committed = {e.msgid for e in polib.pofile(str(CATALOGUE))}
    assert sorted(fresh - committed) == []


@pytest.mark.django_db
def test_portal_is_vietnamese_even_for_an_english_browser():
    client = Client(HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert "Đăng nhập" in client.get(reverse("login")).content.decode()


@pytest.mark.django_db
def test_english_is_available_from_the_switcher(cast, client_for):
    client = client_for(cast.office)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert "Campaigns" in client.get(reverse("home")).content.decode()


def test_wrong_password_is_explained_in_vietnamese(cast):
    response = Client().post(reverse("login"), {"username": "vanphong", "password": "sai"})
    assert response.status_code == 200
    assert "Tên đăng nhập hoặc mật khẩu không đúng" in response.content.decode()


def test_demo_role_signs_in_and_lands_on_home(cast, password):
    client = Client()
    response = client.post(reverse("login"), {"username": "head_a", "password": password},
                           follow=True)
    assert response.redirect_chain[-1][0] == reverse("home")
    assert "Ngô Thị Ánh" in response.content.decode()
