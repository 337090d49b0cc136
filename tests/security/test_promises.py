"""The promises of SECURITY.md that concern bad input and other people's data, one test each.

Each test finds what it tries by itself where it can (every URL from the resolver, every form
field from the form): a page added later is tried without anyone remembering to add it here.
"""

import pytest
from django.test import Client
from django.urls import reverse

from units.models import AuditEntry

from ..helpers import changed_tables, db_snapshot
from .urlwalk import routes

# Pages anyone may open. Signing in must be reachable; so must the language switch (it only
# sets a cookie), signing out (it ends a session, if any), the health check used by the load
# balancer, and the admin's own sign-in page.
PUBLIC = {"login", "logout", "set_language", "health", "admin:login"}
# Refused requests may be written to the audit trail ("denied access"); nothing else may move.
AUDIT = AuditEntry._meta.db_table


def _login_urls():
    return (reverse("login"), reverse("admin:login"))


# --- every URL requires login ----------------------------------------------------------------


def test_every_url_requires_login_anonymous_get_and_post_change_nothing(world):
    client = Client()
    found = [r for r in routes() if r.label not in PUBLIC]
    namespaces = {r.namespace for r in found}
    # The walk found every app's pages and the admin's, not an empty list.
    assert {"units", "campaigns", "tasks", "scoring", "awards", "admin"} <= namespaces
    assert len(found) > 100
    before = db_snapshot(skip=[AUDIT])
    for route in found:
        # Real objects' keys: a page that forgot its login check would show a real row.
        pks = world.pks() if route.takes_object and route.namespace != "admin" else [1]
        for pk in pks:
            url = route.url(pk)
            got = client.get(url)
            assert got.status_code == 302, f"GET {route.label} {url}: {got.status_code}"
            assert got["Location"].startswith(_login_urls()), f"GET {route.label} {url}"
            posted = client.post(url, {"value": "1", "name": "x"})
            assert posted.status_code in (302, 403, 405), f"POST {route.label} {url}"
            if posted.status_code == 302:
                assert posted["Location"].startswith(_login_urls()), f"POST {route.label} {url}"
    assert changed_tables(before, db_snapshot(skip=[AUDIT])) == []


# --- CSRF ------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["office", "union", "director", "head_a", "staff", "admin"])
def test_every_post_without_csrf_token_is_refused_and_changes_nothing(world, client_for, role,
                                                                     caplog):
    # The role list covers everyone who may post somewhere: the Office and administrators
    # (plans, tasks, registers, imports), the Union (review), the director (approval, lock), the
    # unit head and a staff member (reports, evidence, self-assessment).
    client = client_for(world.cast.users()[role], enforce_csrf_checks=True)
    found = routes()
    before = db_snapshot(skip=[AUDIT])
    for route in found:
        url = route.url(world.tasks.report.pk, text="submit")
        caplog.clear()
        response = client.post(url, {"value": "1", "decision": "accept", "comment": "x"})
        assert response.status_code == 403, f"POST {route.label} {url} without a token"
        # Refused by the CSRF check, not by the view's own rules.
        assert any(r.name == "django.security.csrf" for r in caplog.records), route.label
    assert changed_tables(before, db_snapshot(skip=[AUDIT])) == []


def test_the_same_post_with_its_token_goes_through(world, client_for):
    """The control for the test above: it is the missing token, nothing else, that refuses."""
    client = client_for(world.cast.office, enforce_csrf_checks=True)
    url = reverse("units:initiative_create")
    page = client.get(url)
    token = page.context["csrf_token"]
    assert client.post(url, {"title": ""}).status_code == 403
    response = client.post(url, {"title": "", "csrfmiddlewaretoken": str(token)})
    assert response.status_code == 200  # the form again, with its errors
    assert "Trường này là bắt buộc" in response.content.decode()


# --- another unit's object -------------------------------------------------------------------

# Every URL that takes an object is either one unit's (listed with unit A's object to try) or
# shared by all units (listed with the reason). A new URL with an object in it fails
# test_every_object_url_is_classified until someone decides which it is.
OWN = {
    "units:detail": lambda w: {"pk": w.cast.unit_a.pk},
    "units:toggle_reporting": lambda w: {"pk": w.cast.staff.staff_member.pk},
    "units:initiative_edit": lambda w: {"pk": w.registers.initiative_a.pk},
    "units:violation_edit": lambda w: {"pk": w.registers.violation_a.pk},
    "campaigns:confirm": lambda w: {"pk": w.dissemination_a.pk},
    "tasks:task": lambda w: {"pk": w.task_a.pk},
    "tasks:edit": lambda w: {"pk": w.task_a.pk},
    "tasks:assign": lambda w: {"pk": w.task_a.pk},
    "tasks:unit": lambda w: {"pk": w.cast.unit_a.pk},
    "tasks:assignment": lambda w: {"pk": w.work.assignment_a.pk},
    "tasks:assignment_terms": lambda w: {"pk": w.work.assignment_a.pk},
    "tasks:report_start": lambda w: {"pk": w.work.assignment_a.pk, "period": "2022-Q3"},
    "tasks:report": lambda w: {"pk": w.tasks.report.pk},
    "tasks:submit": lambda w: {"pk": w.tasks.report.pk},
    "tasks:review": lambda w: {"pk": w.tasks.submitted.pk},
    "tasks:reopen": lambda w: {"pk": w.tasks.submitted.pk},
    "tasks:evidence_upload": lambda w: {"pk": w.tasks.report.pk},
    "tasks:evidence": lambda w: {"pk": w.tasks.evidence.pk},
    "tasks:evidence_delete": lambda w: {"pk": w.tasks.evidence.pk},
    "scoring:dashboard_unit": lambda w: {"pk": w.scoring.campaign.pk, "unit_pk": w.cast.unit_a.pk},
    "scoring:sheet": lambda w: {"pk": w.scoring.campaign.pk, "unit_pk": w.cast.unit_a.pk},
    "scoring:confirm": lambda w: {"pk": w.scoring.campaign.pk, "unit_pk": w.cast.unit_a.pk},
    "scoring:evidence_upload": lambda w: {"pk": w.scoring.manual_a.pk},
    "scoring:evidence": lambda w: {"pk": w.scoring.evidence.pk},
    "scoring:evidence_delete": lambda w: {"pk": w.scoring.evidence.pk},
    "awards:proposal": lambda w: {"pk": w.awards.draft.pk},
    "awards:proposal_summary": lambda w: {"pk": w.awards.draft.pk},
    "awards:nominee_add": lambda w: {"pk": w.awards.draft.pk},
    "awards:nominee_edit": lambda w: {"pk": w.awards.draft.pk, "nominee_pk": w.awards.nominee.pk},
    "awards:nominee_remove": lambda w: {"pk": w.awards.draft.pk,
                                        "nominee_pk": w.awards.nominee.pk},
    "awards:proposal_step": lambda w: {"pk": w.awards.draft.pk, "step": "submit"},
    "awards:proposal_comment": lambda w: {"pk": w.awards.draft.pk},
    "awards:proposal_vote": lambda w: {"pk": w.awards.draft.pk},
    "awards:decision": lambda w: {"pk": w.awards.decision.pk},
    "awards:decision_revoke": lambda w: {"pk": w.awards.decision.pk},
    # Generated documents belong to the person who asked for them.
    "awards:document": lambda w: {"pk": w.document_a.pk},
    "awards:document_file": lambda w: {"pk": w.document_done_a.pk},
    "awards:document_retry": lambda w: {"pk": w.document_a.pk},
}
# Pages that choose their unit from the query string.
OWN_BY_QUERY = {
    "awards:ratings": lambda w: {"unit": w.cast.unit_a.pk, "year": 2022},
    "awards:ratings_template": lambda w: {"unit": w.cast.unit_a.pk, "year": 2022},
    "awards:ratings_import": lambda w: {"unit": w.cast.unit_a.pk, "year": 2022},
    "awards:document_get": lambda w: {"kind": "decision", "fmt": "xlsx",
                                      "decision": w.awards.decision.pk},
}
SHARED = {
    # A plan, once launched, is read by every unit; its managing pages are the Office's (403
    # for a unit head, whose role, not unit, is what is lacking).
    **dict.fromkeys(["campaigns:detail", "campaigns:edit", "campaigns:copy", "campaigns:launch",
                     "campaigns:close", "campaigns:disseminations", "tasks:campaign",
                     "tasks:create", "tasks:progress_export", "tasks:import_template",
                     "tasks:assignment_import"], "a whole plan"),
    **dict.fromkeys(["scoring:overview", "scoring:scheme", "scoring:copy", "scoring:open",
                     "scoring:advance", "scoring:lock", "scoring:recompute", "scoring:ranking",
                     "scoring:items", "scoring:compare", "scoring:export", "scoring:dashboard",
                     "scoring:dashboard_pdf", "scoring:dashboard_mine"],
                    "a whole plan's scoring; the ranking shows a unit head only their own line"),
}


def _object_routes():
    return [r for r in routes() if r.takes_object and r.namespace != "admin"]


def test_every_object_url_is_classified():
    unclassified = [r.label for r in _object_routes() if r.label not in OWN | SHARED]
    assert unclassified == [], "say whether these URLs show one unit's object (OWN) or not"


POSTED = {"value": "99", "narrative": "x", "decision": "accept", "comment": "x", "reason": "x",
          "version": "1", "units": "1"}
MISSING = 987654  # no row has this key


@pytest.mark.parametrize("label", sorted(OWN))
def test_another_units_object_is_404_and_the_database_is_unchanged(world, client_for, label):
    route = next(r for r in routes() if r.label == label)
    values = OWN[label](world)
    url = route.url(**values)
    missing = route.url(**{k: (MISSING if isinstance(v, int) else v) for k, v in values.items()})
    # The URL is right: unit A's own head gets something other than "not found".
    assert client_for(world.cast.head_a).get(url).status_code != 404
    intruder = client_for(world.cast.head_b)
    before = db_snapshot(skip=[AUDIT])

    got, posted = intruder.get(url), intruder.post(url, POSTED)

    # Exactly what a key that does not exist gets: 404 (405 for the wrong method, which a
    # view says before it looks anything up) - never 403, which would say that it exists.
    assert got.status_code == intruder.get(missing).status_code, f"GET {url}"
    assert posted.status_code == intruder.post(missing, POSTED).status_code, f"POST {url}"
    assert {got.status_code, posted.status_code} <= {404, 405}
    assert 404 in {got.status_code, posted.status_code}
    assert changed_tables(before, db_snapshot(skip=[AUDIT])) == []


@pytest.mark.parametrize("label", sorted(OWN_BY_QUERY))
def test_another_units_object_by_query_string_is_404(world, client_for, label):
    url = reverse(label)
    query = OWN_BY_QUERY[label](world)
    intruder = client_for(world.cast.head_b)
    before = db_snapshot(skip=[AUDIT])

    got = intruder.get(url, query)
    posted = intruder.post(f"{url}?unit={query.get('unit', '')}&year=2022", {"x": "1"})

    assert got.status_code == 404
    assert posted.status_code in (404, 405)
    assert changed_tables(before, db_snapshot(skip=[AUDIT])) == []
