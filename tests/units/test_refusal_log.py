"""Expected refusals (403, and the 404 that hides another unit's object) are logged as one line;
real errors keep their traceback."""

import logging

import pytest
from django.urls import path, reverse

from config.urls import urlpatterns as portal_urls
from tests.tasks.conftest import work  # noqa: F401  (a fixture)


def crash(request):
    raise RuntimeError("a real bug")


# The portal's pages, and one that fails as a bug would.
urlpatterns = [path("crash/", crash), *portal_urls]


def _request_lines(caplog):
    """What reached the log about requests: Django's own and the portal's refusals."""
    return [r for r in caplog.records
            if r.name.startswith(("django.request", "portal.refused"))]


def test_a_403_is_one_line_naming_method_path_and_user(cast, client_for, caplog):
    caplog.set_level(logging.WARNING)
    url = reverse("campaigns:create")

    response = client_for(cast.head_a).get(url)

    assert response.status_code == 403
    [line] = _request_lines(caplog)
    assert line.exc_info is None
    message = line.getMessage()
    assert "403" in message and f"GET {url}" in message and "head_a" in message
    assert "\n" not in message


def test_another_units_object_is_one_line_naming_the_object(cast, client_for, work, caplog):  # noqa: F811
    caplog.set_level(logging.WARNING)
    url = reverse("tasks:assignment", args=[work.assignment_a.pk])

    response = client_for(cast.head_b).post(url)

    assert response.status_code == 404
    [line] = _request_lines(caplog)
    assert line.exc_info is None
    message = line.getMessage()
    assert f"404 POST {url}" in message and "head_b" in message
    assert f"Assignment {work.assignment_a.pk}" in message


def test_a_page_that_does_not_exist_keeps_djangos_line(cast, client_for, caplog):
    caplog.set_level(logging.WARNING)

    client_for(cast.head_a).get(reverse("campaigns:detail", args=[999999]))

    assert [r.name for r in _request_lines(caplog)] == ["django.request"]


@pytest.mark.urls(__name__)
def test_a_real_error_still_logs_its_traceback(cast, client_for, caplog):
    caplog.set_level(logging.WARNING)

    response = client_for(cast.head_a, raise_request_exception=False).get("/crash/")

    assert response.status_code == 500
    [line] = _request_lines(caplog)
    assert line.levelname == "ERROR" and line.exc_info is not None
    assert isinstance(line.exc_info[1], RuntimeError)


def test_a_crafted_path_cannot_forge_log_lines(cast, client_for, work, caplog):  # noqa: F811
    caplog.set_level(logging.WARNING)
    url = reverse("tasks:report_start", args=[work.assignment_a.pk, "x\nRefused 403 GET fake"])

    assert client_for(cast.head_b).get(url).status_code == 404

    [line] = _request_lines(caplog)
    assert line.name == "portal.refused" and "\n" not in line.getMessage()
