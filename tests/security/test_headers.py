"""Secure configuration: security headers, the Content-Security-Policy and the templates it
needs, `check --deploy` with production settings, refused secret keys, the health URL."""

import json
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.db import OperationalError, connection
from django.test import Client
from django.urls import reverse

from config.settings import EXAMPLE_SECRET_KEY, _development_secret_key

BASE = Path(settings.BASE_DIR)

EXPECTED_CSP = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "font-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}


def good_key():
    return secrets.token_urlsafe(50)


def production_env(tmp_path, **overrides):
    """The environment of a production host, with a scratch SQLite database and directories.

    Built from scratch (not os.environ): the test process's own DJANGO_SETTINGS_MODULE and
    whatever the developer exported must not leak in. Values in .env still apply where this
    sets nothing, as they would on a real host; every variable that matters is set here.
    """
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DEBUG": "false",
        "SECRET_KEY": good_key(),
        "ALLOWED_HOSTS": "thidua.example.gov.vn",
        "CSRF_TRUSTED_ORIGINS": "https://thidua.example.gov.vn",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "SECURE_PROXY_SSL_HEADER": "true",
        "STATIC_ROOT": str(tmp_path / "static"),
        "MEDIA_ROOT": str(tmp_path / "media"),
    }
    env.update(overrides)
    return env


def manage(env, *args):
    return subprocess.run([sys.executable, "manage.py", *args], cwd=BASE, env=env,
                          capture_output=True, text=True, timeout=300)


# -- Headers on a normal page -------------------------------------------------------------------


def parse_csp(header):
    directives = {}
    for part in header.split(";"):
        name, _, value = part.strip().partition(" ")
        directives[name] = value.strip()
    return directives


def test_a_signed_in_page_carries_every_security_header(cast, client_for, settings):
    # The production values (tests run with DEBUG's: see tests/settings.py); HSTS is only ever
    # sent over HTTPS, hence secure=True.
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    response = client_for(cast.director).get(reverse("home"), secure=True)
    assert response.status_code == 200
    assert parse_csp(response["Content-Security-Policy"]) == EXPECTED_CSP
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_the_login_page_has_the_policy_too(db):
    response = Client().get(reverse("login"))
    assert parse_csp(response["Content-Security-Policy"]) == EXPECTED_CSP
    assert response["X-Frame-Options"] == "DENY"


def test_plain_http_is_redirected_to_https_except_the_health_check(db, settings):
    settings.SECURE_SSL_REDIRECT = True
    response = Client().get(reverse("login"))
    assert response.status_code == 301
    assert response["Location"] == "https://testserver" + reverse("login")
    # The load balancer probes each host over plain HTTP.
    assert Client().get(reverse("health")).status_code == 200


def test_behind_the_proxy_forwarded_https_counts_as_https(db, settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.SECURE_HSTS_SECONDS = 31536000
    response = Client().get(reverse("login"), HTTP_X_FORWARDED_PROTO="https")
    # Served, not redirected; the request is secure, so HSTS (sent on HTTPS only) is there.
    assert response.status_code == 200 and "Location" not in response
    assert response.wsgi_request.is_secure()
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")
    # The same request without the proxy's header is plain HTTP and goes to HTTPS.
    assert Client().get(reverse("login")).status_code == 301


# -- check --deploy and the secret key ----------------------------------------------------------


def test_check_deploy_is_clean_with_production_settings(tmp_path):
    result = manage(production_env(tmp_path), "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout + result.stderr


def test_check_deploy_names_a_missing_production_setting(tmp_path):
    # The check has teeth: turning the SSL redirect off in production is reported.
    result = manage(production_env(tmp_path, SECURE_SSL_REDIRECT="false"),
                    "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode != 0
    assert "security.W008" in result.stdout + result.stderr


@pytest.mark.parametrize(("key", "message"), [
    ("", "SECRET_KEY is not set"),
    ("too-short-" + "x" * 30, "shorter than 50 characters"),
    ("ab" * 30, "fewer than 5 different characters"),
    # Fixed, not random: pytest-xdist's workers must collect the same test ids.
    ("django-insecure-" + "Kq7vXz2Lm9" * 5, "starts with 'django-insecure'"),
    (EXAMPLE_SECRET_KEY, "placeholder from the example file"),
])
def test_debug_off_refuses_a_weak_secret_key(tmp_path, key, message):
    result = manage(production_env(tmp_path, SECRET_KEY=key), "check")
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert message in result.stderr


def test_debug_off_refuses_the_development_key(tmp_path):
    # The key `make run` generates into .secret_key (created here if this checkout has none).
    result = manage(production_env(tmp_path, SECRET_KEY=_development_secret_key()), "check")
    assert result.returncode != 0
    assert "the development key from .secret_key" in result.stderr


def test_debug_off_starts_with_a_good_key(tmp_path):
    result = manage(production_env(tmp_path), "check")
    assert result.returncode == 0, result.stderr


def test_the_example_files_hold_the_refused_placeholder():
    for example in (BASE / ".env.example", BASE / "deploy" / "env.production.example"):
        assert f"SECRET_KEY={EXAMPLE_SECRET_KEY}" in example.read_text(), example


def test_production_static_files_are_hashed_and_compressed(tmp_path):
    env = production_env(tmp_path)
    collected = manage(env, "collectstatic", "--noinput", "-v", "0")
    assert collected.returncode == 0, collected.stderr
    shown = manage(env, "shell", "-v", "0", "-c",
                   "from django.templatetags.static import static; "
                   "print(static('css/portal.css'))")
    assert shown.returncode == 0, shown.stderr
    url = shown.stdout.strip()
    assert re.fullmatch(r"/static/css/portal\.[0-9a-f]{12}\.css", url)
    hashed = tmp_path / "static" / url.removeprefix("/static/")
    # The manifest rewrites the stylesheet's url(...) references to their hashed names too:
    # apart from those, the served copy is the source, and each file it names was collected.
    served = hashed.read_text()
    references = re.findall(r'url\("([^"]+\.[0-9a-f]{12}\.\w+)"\)', served)
    assert references, "the stylesheet's images are served under hashed names"
    for reference in references:
        assert (hashed.parent / reference).resolve().exists(), reference
    unhashed = re.sub(r"\.[0-9a-f]{12}(\.\w+\")", r"\1", served)
    assert unhashed == (BASE / "static" / "css" / "portal.css").read_text()
    assert hashed.with_name(hashed.name + ".gz").exists()


# -- Health check -------------------------------------------------------------------------------


def test_health_answers_anonymous_callers_from_the_database(db):
    response = Client().get(reverse("health"))
    assert response.status_code == 200
    assert json.loads(response.content) == {"status": "ok", "database": "ok"}
    assert "no-cache" in response["Cache-Control"]
    assert "max-age=0" in response["Cache-Control"]


def test_health_accepts_only_reads(db):
    assert Client().post(reverse("health")).status_code == 405


def test_health_is_503_when_the_database_fails(db):
    # The only stand-in in this file: a real outage cannot be had inside the test's transaction.
    # Django's own query hook makes every query on this connection fail as a dropped server would.
    def unreachable(execute, sql, params, many, context):
        raise OperationalError("connection refused")

    with connection.execute_wrapper(unreachable):
        response = Client().get(reverse("health"))
    assert response.status_code == 503
    assert json.loads(response.content) == {"status": "error", "database": "unavailable"}
    assert "connection refused" not in response.content.decode()
    assert "max-age=0" in response["Cache-Control"]


# -- Templates the policy can serve -------------------------------------------------------------

# Rendered by WeasyPrint into PDFs, never served as pages: their <style> blocks stay.
PDF_TEMPLATE_DIRECTORIES = [
    BASE / "awards" / "templates" / "awards" / "documents",
    BASE / "scoring" / "templates" / "scoring" / "documents",
]
APPS = ["units", "campaigns", "tasks", "scoring", "awards"]

TAG = re.compile(r"<[a-zA-Z][^<>]*>", re.S)
HANDLER = re.compile(r"\son[a-z]+\s*=", re.I)
STYLE_ATTRIBUTE = re.compile(r"\sstyle\s*=", re.I)
INLINE_SCRIPT = re.compile(r"<script\b[^>]*>(.*?)</script>", re.S | re.I)


def served_templates():
    roots = [BASE / "templates"] + [BASE / app / "templates" for app in APPS]
    for root in roots:
        for path in sorted(root.rglob("*.html")):
            if not any(path.is_relative_to(pdf) for pdf in PDF_TEMPLATE_DIRECTORIES):
                yield path


def test_pdf_template_directories_are_what_the_scan_leaves_out():
    for directory in PDF_TEMPLATE_DIRECTORIES:
        assert list(directory.glob("*.html")), directory


def test_served_templates_have_no_inline_script_handler_or_style():
    templates = list(served_templates())
    assert len(templates) > 50  # the walk found the portal's templates
    problems = []
    for path in templates:
        text = path.read_text()
        name = path.relative_to(BASE)
        if re.search(r"<style\b", text, re.I):
            problems.append(f"{name}: <style> block")
        for body in INLINE_SCRIPT.findall(text):
            if body.strip():
                problems.append(f"{name}: inline <script> body")
        for tag in TAG.findall(text):
            if HANDLER.search(tag):
                problems.append(f"{name}: event handler attribute in {tag[:60]}")
            if STYLE_ATTRIBUTE.search(tag):
                problems.append(f"{name}: style attribute in {tag[:60]}")
    assert problems == []


def test_the_charts_draw_with_presentation_attributes_only():
    # Charts are inline SVG written in Python: fill=, font-style= are allowed, style= is not.
    source = (BASE / "core" / "charts.py").read_text()
    assert "<svg" in source
    assert re.findall(r"(?<![-\w])style=[\"'{]", source) == []
    assert "<style" not in source
