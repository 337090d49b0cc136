"""The promises of docs/security-promises.md that concern bad input and other people's data,
one test each.

Each test finds what it tries by itself where it can (every URL from the resolver, every form
field from the form): a page added later is tried without anyone remembering to add it here.
"""

import datetime
import html
import io
import re
import threading
import time
import zipfile
from decimal import Decimal, InvalidOperation

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.validators import MinValueValidator
from django.db import DataError, connection, connections, transaction
from django.test import Client
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook, load_workbook

from awards import imports as rating_imports
from awards.models import Proposal, Rating
from awards.views.proposals import STALE_KEPT
from core.stale_edits import StaleEdit
from core.uploads import check_evidence
from scoring import services as scoring_services
from scoring.models import ScoreEvidence
from tasks import imports as task_imports
from tasks import services as task_services
from tasks.models import (
    Assignment,
    Evidence,
    ProgressReport,
    ReportAction,
    ReportEvent,
    ReportStatus,
)
from units.models import AuditEntry, StaffMember

from ..factories import UnitFactory
from ..helpers import LIVE, changed_tables, db_snapshot
from .formdata import form_data
from .urlwalk import routes

# Pages anyone may open. Signing in must be reachable; so must the language switch (it only
# sets a cookie), signing out (it ends a session, if any), the health check used by the load
# balancer, the admin's own sign-in page, and resetting a forgotten password.
PUBLIC = {"login", "logout", "set_language", "health", "admin:login",
          # "Quên mật khẩu?": asking for a link and following it come before signing in.
          "password_reset", "password_reset_done", "password_reset_confirm",
          "password_reset_complete",
          # A new account's invitation link: its owner has no password yet.
          "invitation_accept"}
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
    "units:staff": lambda w: {"pk": w.cast.unit_a.pk},
    "units:staff_edit": lambda w: {"pk": w.cast.staff.staff_member.pk},
    "units:staff_transfer": lambda w: {"pk": w.cast.staff.staff_member.pk},
    "units:staff_deactivate": lambda w: {"pk": w.cast.staff.staff_member.pk},
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
    "tasks:evidence_preview": lambda w: {"pk": w.tasks.evidence.pk},
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
    "awards:propose_many": lambda w: {"pk": w.awards.draft.pk},
    "awards:nominee_edit": lambda w: {"pk": w.awards.draft.pk, "nominee_pk": w.awards.nominee.pk},
    "awards:nominee_remove": lambda w: {"pk": w.awards.draft.pk,
                                        "nominee_pk": w.awards.nominee.pk},
    "awards:proposal_step": lambda w: {"pk": w.awards.draft.pk, "step": "submit"},
    "awards:proposal_comment": lambda w: {"pk": w.awards.draft.pk},
    "awards:proposal_vote": lambda w: {"pk": w.awards.draft.pk},
    # A unit's list as a dossier: its uploads and the whole dossier (unit A's draft).
    "awards:proposal_upload": lambda w: {"pk": w.awards.draft.pk},
    "awards:proposal_zip": lambda w: {"pk": w.awards.draft.pk},
    "awards:proposal_attachment": lambda w: {"pk": w.awards.attachment.pk},
    "awards:proposal_detach": lambda w: {"pk": w.awards.attachment.pk},
    "awards:decision": lambda w: {"pk": w.awards.decision.pk},
    "awards:decision_revoke": lambda w: {"pk": w.awards.decision.pk},
    "awards:decision_sign": lambda w: {"pk": w.awards.decision.pk},
    "awards:decision_revoke_upper": lambda w: {"pk": w.awards.decision.pk},
    "awards:payout": lambda w: {"pk": w.awards.decision.pk},
    "awards:special_step": lambda w: {"pk": w.special_a.pk},
    # A dossier sent upward is read by the heads of the units it names (unit A here).
    **{label: (lambda w: {"pk": w.dossiers.dossier.pk}) for label in (
        "awards:dossier", "awards:dossier_upload", "awards:dossier_zip")},
    "awards:dossier_step": lambda w: {"pk": w.dossiers.dossier.pk, "step": "send"},
    "awards:dossier_report": lambda w: {"pk": w.dossiers.dossier.pk,
                                        "nominee_pk": w.dossiers.nominee.pk},
    # The seniority medal's dossier carrying unit A's accepted proposal.
    "awards:dossier_special_report": lambda w: {"pk": w.dossiers.special_dossier.pk,
                                                "special_pk": w.dossiers.special.pk},
    "awards:dossier_attachment": lambda w: {"pk": w.dossiers.attachment.pk},
    "awards:dossier_detach": lambda w: {"pk": w.dossiers.attachment.pk},
    # A cluster is its members' (unit A and another school; never unit B).
    **{label: (lambda w: {"pk": w.clusters.cluster.pk}) for label in (
        "scoring:cluster", "scoring:cluster_edit", "scoring:cluster_pact_upload",
        "scoring:cluster_score", "scoring:cluster_delete", "scoring:cluster_export",
        "scoring:cluster_extend", "awards:cluster_proposal")},
    "scoring:cluster_round": lambda w: {"pk": w.clusters.cluster.pk, "step": "close"},
    "scoring:cluster_pact": lambda w: {"pk": w.clusters.pact.pk},
    "awards:cluster_minutes": lambda w: {"pk": w.clusters.minutes.pk},
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
    # Emulation registration: a unit's page, its template and import (the POST-only steps
    # answer 405 to a GET, before any lookup: tests/awards/test_registration.py tries them).
    "awards:registration": lambda w: {"unit": w.cast.unit_a.pk, "year": 2022},
    "awards:registration_template": lambda w: {"unit": w.cast.unit_a.pk, "year": 2022},
    "awards:registration_import": lambda w: {"unit": w.cast.unit_a.pk, "year": 2022},
    "awards:registration_export": lambda w: {"unit": w.cast.unit_a.pk, "year": 2022},
    # Awards outside the annual cycle: a unit's proposals and the form to propose its people.
    "awards:specials": lambda w: {"unit": w.cast.unit_a.pk, "year": 2022},
    "awards:special_new": lambda w: {"unit": w.cast.unit_a.pk, "year": 2022},
    "awards:document_get": lambda w: {"kind": "decision", "fmt": "xlsx",
                                      "decision": w.awards.decision.pk},
}
SHARED = {
    # The organisation is read by everyone signed in; changing it, and adding people to a unit,
    # are the Office's and administrators' (403 for a unit head: the role is what is lacking).
    **dict.fromkeys(["units:unit_rename", "units:unit_move", "units:unit_deactivate",
                     "units:unit_merge", "units:staff_create"], "the organisation"),
    # A plan, once launched, is read by every unit; its managing pages are the Office's (403
    # for a unit head, whose role, not unit, is what is lacking).
    **dict.fromkeys(["campaigns:detail", "campaigns:plan_docx", "campaigns:edit",
                     "campaigns:copy", "campaigns:launch", "campaigns:close",
                     "campaigns:disseminations", "tasks:campaign", "tasks:create",
                     "tasks:progress_export", "tasks:import_template",
                     "tasks:assignment_import"], "a whole plan"),
    **dict.fromkeys(["scoring:overview", "scoring:scheme", "scoring:copy", "scoring:open",
                     "scoring:advance", "scoring:lock", "scoring:recompute", "scoring:ranking",
                     "scoring:items", "scoring:compare", "scoring:export", "scoring:dashboard",
                     "scoring:dashboard_pdf", "scoring:dashboard_mine"],
                    "a whole plan's scoring; the ranking shows a unit head only their own line"),
    # The reward fund is the Department's, not a unit's: an income entry and a payout list
    # awaiting approval are read by readers of everything; a unit head gets 403.
    **dict.fromkeys(["awards:income_correct", "awards:payout_decide",
                     "awards:income_correction_decide"],
                    "the reward fund: the Office corrects an income entry, a director approves "
                    "a list beyond the fund or a correction leaving it short"),
    **dict.fromkeys(["units:earlier_identity", "units:earlier_identity_remove"],
                    "the department's earlier names: the administrator's alone, 403 for everyone "
                    "else"),
    **dict.fromkeys(["units:account_deactivate", "units:account_unlock", "units:account_invite"],
                    "an account: the administrator's alone, 403 for everyone else"),
    **dict.fromkeys(["awards:certificate_layout", "awards:certificate_layout_remove",
                     "awards:certificate_layout_calibration"],
                    "a certificate blank's layout: the administrator's alone, 403 for everyone "
                    "else"),
    # The register of outgoing documents is the Department's: the Office keeps it, directors
    # read it; a unit head gets 403 (tests/awards/test_register.py).
    **dict.fromkeys(["awards:register_cancel", "awards:register_file"],
                    "the register of outgoing documents"),
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


# --- downloads -------------------------------------------------------------------------------


def _stored_files(world):
    """(download URL, stored file) of every kind of file the portal keeps."""
    return [
        (reverse("tasks:evidence", args=[world.tasks.evidence.pk]), world.tasks.evidence.file),
        (reverse("scoring:evidence", args=[world.scoring.evidence.pk]),
         world.scoring.evidence.file),
        (reverse("awards:document_file", args=[world.document_done_a.pk]),
         world.document_done_a.file),
        (reverse("scoring:cluster_pact", args=[world.clusters.pact.pk]),
         world.clusters.pact.file),
        (reverse("awards:cluster_minutes", args=[world.clusters.minutes.pk]),
         world.clusters.minutes.file),
        (reverse("awards:dossier_attachment", args=[world.dossiers.attachment.pk]),
         world.dossiers.attachment.file),
        (reverse("awards:proposal_attachment", args=[world.awards.attachment.pk]),
         world.awards.attachment.file),
    ]


def test_every_stored_file_is_downloaded_as_an_attachment_with_nosniff(world, client_for):
    client = client_for(world.cast.head_a)
    for url, stored in _stored_files(world):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Content-Disposition"].startswith("attachment;"), url
        assert response["X-Content-Type-Options"] == "nosniff", url
        assert "sandbox" in response["Content-Security-Policy"], url
        with stored.open("rb") as kept:
            assert b"".join(response.streaming_content) == kept.read()


# Every type evidence may have, with content that passes the upload check.
EVIDENCE_KINDS = {
    "pdf": lambda: PDF, "png": lambda: PNG, "jpg": lambda: JPEG, "jpeg": lambda: JPEG,
    "doc": lambda: OLE, "xls": lambda: OLE, "docx": lambda: _office_zip("word/"),
    "xlsx": lambda: _office_zip("xl/"), "pptx": lambda: _office_zip("ppt/"),
}


def test_only_pdfs_and_photos_are_shown_in_the_browser_sandboxed_and_unsniffed(world,
                                                                             client_for):
    client = client_for(world.cast.head_a)
    for extension, content in EVIDENCE_KINDS.items():
        upload = SimpleUploadedFile(f"minh-chung.{extension}", content())
        evidence = task_services.add_report_evidence(
            report=world.tasks.report, user=world.cast.head_a, checked=check_evidence(upload),
            upload=upload)
        preview = client.get(reverse("tasks:evidence_preview", args=[evidence.pk]))
        download = client.get(reverse("tasks:evidence", args=[evidence.pk]))

        assert download["Content-Disposition"].startswith("attachment;"), extension
        if extension not in ("pdf", "png", "jpg", "jpeg"):
            assert preview.status_code == 404, extension  # Word, Excel: downloaded only
            continue
        assert preview.status_code == 200, extension
        assert preview["Content-Disposition"].startswith("inline"), extension
        assert preview["Content-Type"] == evidence.content_type, extension
        assert preview["X-Content-Type-Options"] == "nosniff", extension
        policy = preview["Content-Security-Policy"]
        assert "default-src 'none'" in policy and "sandbox" in policy, extension
        assert "script-src" not in policy and "allow-scripts" not in policy, extension
        assert preview["X-Frame-Options"] == "DENY", extension


@pytest.mark.parametrize("role", ["admin", "head_a"])
def test_media_url_serves_nothing_even_when_signed_in(world, client_for, settings, role):
    client = client_for(world.cast.users()[role])
    for _url, stored in _stored_files(world):
        # The file is there, under MEDIA_ROOT; only its authorising view may send it.
        assert stored.path.startswith(str(settings.MEDIA_ROOT))
        response = client.get(f"{settings.MEDIA_URL}{stored.name}")
        assert response.status_code == 404, stored.name


# --- uploads ---------------------------------------------------------------------------------

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 32
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 32
HTML = b"<!doctype html><html><body><script>alert(document.cookie)</script></body></html>"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 64


def _office_zip(folder, bomb=0):
    """A minimal Office Open XML zip; `bomb` adds a member of that many zero bytes, which
    deflate packs a thousandfold."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(f"{folder}document.xml", "<document/>")
        if bomb:
            archive.writestr(f"{folder}media/zeros.bin", b"\x00" * bomb)
    return buffer.getvalue()


def _upload_targets(world):
    """(upload URL, the page that shows the outcome, who uploads) of both kinds of evidence."""
    return {
        "report": (reverse("tasks:evidence_upload", args=[world.tasks.report.pk]),
                   world.cast.head_a),
        "self-assessment": (reverse("scoring:evidence_upload", args=[world.scoring.manual_a.pk]),
                            world.cast.head_a),
    }


def _files_under(root):
    return sorted(str(p) for p in root.rglob("*") if p.is_file()) if root.exists() else []


@pytest.mark.parametrize("target", ["report", "self-assessment"])
@pytest.mark.parametrize(("name", "content", "message"), [
    pytest.param("bien-ban.pdf", PNG, "không phải là tệp .pdf", id="png-named-pdf"),
    pytest.param("bien-ban.pdf", HTML, "không phải là tệp .pdf", id="html-named-pdf"),
    pytest.param("bien-ban.pdf", EXE, "không phải là tệp .pdf", id="exe-named-pdf"),
    pytest.param("anh.png", SVG, "không phải là tệp .png", id="svg-named-png"),
    pytest.param("anh.jpg", HTML, "không phải là tệp .jpg", id="html-named-jpg"),
    pytest.param("bao-cao.xlsx", _office_zip("word/"), "bị hỏng", id="docx-named-xlsx"),
    pytest.param("trang.html", HTML, "không được chấp nhận", id="html"),
    pytest.param("trang.htm", HTML, "không được chấp nhận", id="htm"),
    pytest.param("hinh.svg", SVG, "không được chấp nhận", id="svg"),
    pytest.param("setup.exe", EXE, "không được chấp nhận", id="exe"),
    pytest.param("bao-cao", PDF, "không có phần mở rộng", id="no-extension"),
    pytest.param("bom.docx", _office_zip("word/", bomb=20_000_000), "giải nén", id="docx-bomb"),
    pytest.param("bom.xlsx", _office_zip("xl/", bomb=20_000_000), "giải nén", id="xlsx-bomb"),
])
def test_bad_upload_is_refused_by_its_content_and_nothing_is_stored(
        world, client_for, settings, target, name, content, message):
    url, user = _upload_targets(world)[target]
    client = client_for(user)  # signing in writes last_login: before the snapshot
    files, before = _files_under(settings.MEDIA_ROOT), db_snapshot()

    response = client.post(url, {"file": SimpleUploadedFile(name, content)},
                                     follow=True)

    assert response.status_code == 200
    assert message in response.content.decode()
    assert changed_tables(before, db_snapshot()) == []
    assert _files_under(settings.MEDIA_ROOT) == files


@pytest.mark.parametrize("target", ["report", "self-assessment"])
def test_upload_over_the_size_limit_is_refused(world, client_for, settings, target):
    settings.EVIDENCE_MAX_BYTES = 2000
    url, user = _upload_targets(world)[target]
    client = client_for(user)
    files, before = _files_under(settings.MEDIA_ROOT), db_snapshot()

    response = client.post(
        url, {"file": SimpleUploadedFile("lon.pdf", PDF + b"0" * 2001)}, follow=True)

    assert "vượt giới hạn 2,0 KB" in response.content.decode()
    assert changed_tables(before, db_snapshot()) == []
    assert _files_under(settings.MEDIA_ROOT) == files


@pytest.mark.parametrize("target", ["report", "self-assessment"])
@pytest.mark.parametrize("name", [
    "../../etc/passwd.pdf", "..\\..\\x.pdf", "/etc/passwd.pdf", "C:\\Windows\\x.pdf",
    "bien\x00ban.pdf", "..pdf.pdf", "<img src=x onerror=alert(1)>.pdf",
])
def test_the_stored_path_is_generated_whatever_the_file_name(world, client_for, settings,
                                                            target, name):
    url, user = _upload_targets(world)[target]
    known = set(_files_under(settings.MEDIA_ROOT))

    response = client_for(user).post(url, {"file": SimpleUploadedFile(name, PDF)}, follow=True)

    new = set(_files_under(settings.MEDIA_ROOT)) - known
    if not new:  # refused: then it said why
        assert "đường dẫn" in response.content.decode()
        return
    (path,) = new
    media = str(settings.MEDIA_ROOT)
    assert path.startswith(media + "/")
    stored = path[len(media) + 1:]
    # <folder>/<year>/<month>/<32 hex digits>.pdf: nothing of the name the browser sent.
    assert re.fullmatch(r"[a-z_]+/\d{4}/\d{2}/[0-9a-f]{32}\.pdf", stored), stored
    model = {"report": Evidence, "self-assessment": ScoreEvidence}[target]
    kept = model.objects.latest("pk").original_name
    assert not {"/", "\\", "\x00"} & set(kept), kept
    page = response.content.decode()
    assert "<img src=x" not in page  # the name, if shown, is text


@pytest.mark.parametrize("name", ["../../etc/passwd.pdf", "..\\x.pdf", "/etc/passwd.pdf",
                                  "bien\x00ban.pdf", ".htaccess.pdf"])
def test_the_check_itself_refuses_a_path_in_the_name(name):
    # Files that come from elsewhere than Django's upload parser (which keeps only a base
    # name) meet the same check.
    upload = SimpleUploadedFile("x.pdf", PDF)
    upload.name = name  # as a raw UploadedFile could carry it; the setter would strip it
    upload._name = name
    with pytest.raises(ValidationError) as refused:
        check_evidence(upload)
    assert "đường dẫn" in " ".join(refused.value.messages)


# --- Excel imports ---------------------------------------------------------------------------


def _workbook(headers, rows):
    book = Workbook()
    book.active.append(headers)
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _with_member(xlsx, name, text):
    """The workbook with one of its zip members replaced."""
    source, out = zipfile.ZipFile(io.BytesIO(xlsx)), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            target.writestr(item, text if item.filename == name else source.read(item))
    return out.getvalue()


def _entity(i):
    # lol1 is ten "lol"s, lol2 ten lol1s, ... lol9 a thousand million.
    return f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'


BILLION_LAUGHS = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
                  + "".join(_entity(i) for i in range(1, 10))
                  + ']><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/'
                  'main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is>'
                  "</c></row></sheetData></worksheet>")


def _import_pages(world):
    """(URL, who imports, the template's headers, a row naming unit A's code) of each import."""
    return {
        "assignments": (reverse("tasks:assignment_import", args=[world.work.campaign.pk]),
                        world.cast.office, list(task_imports.HEADERS),
                        lambda code, value: [world.work.task.pk, None, code, None, value, None]),
        "ratings": (f"{reverse('awards:ratings_import')}?unit={world.cast.unit_a.pk}&year=2022",
                    world.cast.head_a, list(rating_imports.HEADERS),
                    lambda code, value: [code, None, None, value]),
    }


def _bad_files(headers, row):
    good = _workbook(headers, [row("a", 70)])
    return {
        "csv": ("bang.csv", b"Task ID;Unit code\n1;a\n", "lưu dạng .xlsx"),
        "old-xls": ("bang.xls", b"\xd0\xcf\x11\xe0" + b"\x00" * 100, "lưu dạng .xlsx"),
        "pdf-named-xlsx": ("bang.xlsx", PDF, "không phải là tệp .xlsx"),
        "html-named-xlsx": ("bang.xlsx", HTML, "không phải là tệp .xlsx"),
        "oversized": ("bang.xlsx", b"PK\x03\x04" + b"\x00" * (5 * 1024 * 1024 + 1), "giới hạn"),
        "zip-bomb": ("bang.xlsx", _office_zip("xl/", bomb=20_000_000), "giải nén"),
        "malformed": ("bang.xlsx", _with_member(good, "xl/workbook.xml", "<not-a-workbook"),
                      "bị hỏng"),
        "billion-laughs": ("bang.xlsx", _with_member(good, "xl/worksheets/sheet1.xml",
                                                     BILLION_LAUGHS), "bị hỏng"),
    }


BAD_FILES = ["csv", "old-xls", "pdf-named-xlsx", "html-named-xlsx", "oversized", "zip-bomb",
             "malformed", "billion-laughs"]


@pytest.mark.parametrize("page", ["assignments", "ratings"])
@pytest.mark.parametrize("bad", BAD_FILES)
def test_import_refuses_a_bad_file_in_vietnamese_and_writes_nothing(world, client_for, page,
                                                                    bad):
    url, user, headers, row = _import_pages(world)[page]
    name, content, message = _bad_files(headers, row)[bad]
    client = client_for(user)
    before = db_snapshot()

    response = client.post(url, {"file": SimpleUploadedFile(name, content)})

    assert response.status_code == 200
    assert response.context["form"].errors["file"]
    assert message in response.content.decode()
    assert changed_tables(before, db_snapshot()) == []


@pytest.mark.parametrize("page", ["assignments", "ratings"])
def test_import_reads_formulas_as_nothing_and_shows_script_text_as_text(world, client_for,
                                                                        page):
    url, user, headers, row = _import_pages(world)[page]
    content = _workbook(headers, [
        row('=HYPERLINK("http://evil.example/","a")', '=WEBSERVICE("http://evil.example/")'),
        row("<script>alert(1)</script>", "<script>alert(2)</script>"),
    ])
    client = client_for(user)
    before = db_snapshot()

    response = client.post(url, {"file": SimpleUploadedFile("bang.xlsx", content)})

    page_text = response.content.decode()
    assert response.status_code == 200
    assert response.context["confirm"] is None  # errors: nothing offered to save
    assert "<script>alert(" not in page_text
    assert "&lt;script&gt;alert(" in page_text
    assert "evil.example" not in page_text  # a formula is not run, nor its text kept
    assert changed_tables(before, db_snapshot()) == []


# --- bad input in forms ----------------------------------------------------------------------

# The main forms, each opened as the person who fills it in. The page's own form is sent back
# as a browser would (with `fill` for what a new record still needs), one field spoiled at a
# time; which fields and how to spoil them is read from the form itself.
FORMS = {
    "progress report": (lambda w: reverse("tasks:report", args=[w.tasks.report.pk]),
                        "head_a", {}),
    "new progress report": (lambda w: reverse("tasks:report_start",
                                              args=[w.work.assignment_a.pk, "2022-Q3"]),
                            "head_a", {"value": "50", "narrative": "Đã niêm yết."}),
    "own target of a unit": (lambda w: reverse("tasks:assignment_terms",
                                               args=[w.work.assignment_a.pk]), "office", {}),
    "task": (lambda w: reverse("tasks:edit", args=[w.work.task.pk]), "office", {}),
    "campaign": (lambda w: reverse("campaigns:edit", args=[w.draft_campaign.pk]), "office", {}),
    "self-assessment": (lambda w: reverse("scoring:sheet", args=[w.scoring.campaign.pk,
                                                                 w.cast.unit_a.pk]),
                        "head_a", {}),
    "nominee": (lambda w: reverse("awards:nominee_edit",
                                  args=[w.awards.draft.pk, w.awards.nominee.pk]), "head_a", {}),
    "council vote": (lambda w: reverse("awards:proposal_vote", args=[_notice_over(w).pk]),
                     "office", lambda w: {"held_on": "20/12/2022", "members": "9", "present": "8"}
                     | {f"{side}_{n.pk}": "8" for n in w.awards.on_notice.nominees.all()
                        for side in ("for", "against")}),
    "decision": (lambda w: reverse("awards:decision_create"), "office",
                 {"year": "2022", "number": "99/QĐ-SGDĐT", "signed_on": "20/12/2022",
                  "signer_name": "Trần Văn Giám"}),
    "initiative": (lambda w: reverse("units:initiative_edit", args=[w.registers.initiative_a.pk]),
                   "office", {}),
    "violation": (lambda w: reverse("units:violation_edit", args=[w.registers.violation_a.pk]),
                  "office", {}),
}


def _notice_over(world):
    """The list on notice, its notice ended: the vote is offered only then."""
    proposal = world.awards.on_notice
    Proposal.objects.filter(pk=proposal.pk).update(notice_from=datetime.date(2022, 12, 1),
                                                   notice_until=datetime.date(2022, 12, 5))
    return proposal


VIETNAMESE = re.compile("[àáảãạăắằẳẵặâấầẩẫậđèéẻẽẹêếềểễệìíỉĩịòóỏõọôốồổỗộơớờởỡợùúủũụưứừửữựỳýỷỹỵ]",
                        re.IGNORECASE)


def _spoilt(field):
    """Values the field must refuse, read from its kind and limits."""
    values = []
    if isinstance(field, forms.CharField) and field.max_length:
        values.append("ệ" * (field.max_length + 1))
    if isinstance(field, forms.DateField):
        values += ["31/02/2022", "abc", "2022-13-45"]
    if isinstance(field, (forms.IntegerField, forms.DecimalField, forms.FloatField)):
        values += ["abc", "9" * 40, "1e400", "NaN"]
        low = field.min_value
        if low is None:
            low = max((v.limit_value for v in field.validators
                       if isinstance(v, MinValueValidator)), default=None)
        if low is not None and low >= 0:
            values.append("-1")
    if isinstance(field, (forms.ChoiceField, forms.ModelChoiceField)) and not isinstance(
            field, forms.TypedChoiceField) or isinstance(field, forms.ModelChoiceField):
        values += ["987654321", "<script>alert(1)</script>"]
    return values


def _open_form(world, client_for, name):
    url_of, role, fill = FORMS[name]
    url = url_of(world)
    client = client_for(world.cast.users()[role])
    page = client.get(url)
    assert page.status_code == 200, url
    fill = fill(world) if callable(fill) else fill
    data = form_data(page.content.decode(), url) | {k: [v] for k, v in fill.items()}
    return client, url, data, page.context["form"]


@pytest.mark.parametrize("name", sorted(FORMS))
def test_bad_values_are_explained_in_vietnamese_and_nothing_is_stored(world, client_for, name):
    client, url, data, form = _open_form(world, client_for, name)
    tried = 0
    before = db_snapshot()
    for field_name, field in form.fields.items():
        if field_name == "version":
            continue  # a forged version is a stale page: see the conflict tests
        for value in _spoilt(field):
            tried += 1
            response = client.post(url, data | {form.add_prefix(field_name): [value]})
            where = f"{name}: {field_name}={value[:20]!r}"
            assert response.status_code == 200, where
            errors = response.context["form"].errors
            assert field_name in errors or "__all__" in errors, where
            for message in errors.get(field_name, errors.get("__all__")):
                assert VIETNAMESE.search(message), f"{where}: {message}"
            assert changed_tables(before, db_snapshot()) == [], where
    assert tried >= 2  # the form had fields to spoil


SCRIPT = '<script>alert("xss")</script> ../../etc/passwd'
# form → (its text fields to fill with SCRIPT, the page that shows what was saved)
SHOWN = {
    "progress report": (["narrative"], lambda w: reverse("tasks:report",
                                                           args=[w.tasks.report.pk])),
    "task": (["title", "description"], lambda w: reverse("tasks:task", args=[w.work.task.pk])),
    "campaign": (["title"], lambda w: reverse("campaigns:detail", args=[w.draft_campaign.pk])),
    "nominee": (["summary"], lambda w: reverse("awards:proposal", args=[w.awards.draft.pk])),
    "initiative": (["title"], lambda w: reverse("units:initiatives")),
    "violation": (["description"], lambda w: reverse("units:violations")),
}


@pytest.mark.parametrize("name", sorted(SHOWN))
def test_script_and_path_text_is_stored_as_text_and_shown_escaped(world, client_for, name):
    client, url, data, _form = _open_form(world, client_for, name)
    fields, shown_at = SHOWN[name]

    saved = client.post(url, data | {field: [SCRIPT] for field in fields})

    assert saved.status_code == 302, saved.context and saved.context["form"].errors
    page = client.get(shown_at(world)).content.decode()
    assert "&lt;script&gt;alert(&quot;xss&quot;)&lt;/script&gt; ../../etc/passwd" in page
    assert '<script>alert("xss")' not in page


def test_a_return_reason_with_script_is_shown_escaped(world, client_for):
    report = world.tasks.submitted
    report.refresh_from_db()
    reviewer = client_for(world.cast.office)
    returned = reviewer.post(reverse("tasks:review", args=[report.pk]),
                             {"decision": "return", "comment": SCRIPT, "version": report.version},
                             follow=True)
    assert [str(m) for m in returned.context["messages"]][0] == "Đã trả lại báo cáo cho đơn vị."

    page = client_for(world.cast.head_a).get(reverse("tasks:report", args=[report.pk]))

    assert "&lt;script&gt;alert(&quot;xss&quot;)&lt;/script&gt;" in page.content.decode()
    assert '<script>alert("xss")' not in page.content.decode()


@pytest.mark.parametrize("posted", [
    pytest.param({"decision": "<script>", "comment": "x", "version": "1"}, id="bad-decision"),
    pytest.param({"decision": "accept", "comment": "x", "version": "abc"}, id="bad-version"),
    pytest.param({"decision": "return", "comment": "   ", "version": "1"}, id="return-no-reason"),
    pytest.param({"decision": "accept", "comment": "x", "version": "9" * 40},
                 id="forged-version"),
    pytest.param({"decision": ["accept", "return"], "comment": "", "version": ["1", "2"]},
                 id="repeated"),
])
def test_a_bad_review_is_explained_and_changes_nothing(world, client_for, posted):
    report = world.tasks.submitted
    client = client_for(world.cast.office)
    before = db_snapshot()

    response = client.post(reverse("tasks:review", args=[report.pk]), posted, follow=True)

    assert response.status_code == 200
    shown = [str(m) for m in response.context["messages"]]
    assert shown and all(VIETNAMESE.search(m) for m in shown), shown
    assert changed_tables(before, db_snapshot()) == []


def test_a_field_sent_twice_is_read_as_one_value_never_as_a_list(world, client_for):
    client, url, data, _form = _open_form(world, client_for, "progress report")

    client.post(url, data | {"narrative": ["thứ nhất", "thứ hai"]})

    world.tasks.report.refresh_from_db()
    assert world.tasks.report.narrative == "thứ hai"  # the last, as Django reads a form


# --- malformed posts never crash a page --------------------------------------------------------

GARBAGE = {
    "words": {name: "abc" for name in ("version", "value", "value_date", "decision", "comment",
                                       "reason", "days", "year", "members", "present", "held_on",
                                       "points", "units", "scope", "step", "token", "nominee",
                                       "text", "digest", "deadline", "target_value")},
    "huge": {name: "9" * 40 for name in ("version", "value", "days", "year", "members",
                                         "present", "units", "nominee", "target_value")},
    "lists": {name: ["1", "abc", ""] for name in ("version", "value", "decision", "comment",
                                                  "reason", "days", "year", "units", "token")},
    "nul": {name: "a\x00b" for name in ("version", "comment", "reason", "text", "narrative",
                                        "title", "summary", "token")},
}


def _any_object_url(world, route):
    if route.label in OWN:
        return route.url(**OWN[route.label](world))
    campaign = world.scoring.campaign if route.namespace == "scoring" else world.work.campaign
    return route.url(pk=campaign.pk, text="submit")


@pytest.mark.parametrize("kind", sorted(GARBAGE))
@pytest.mark.parametrize("role", ["head_a", "office", "director"])
def test_malformed_posts_never_crash_a_page(world, client_for, role, kind):
    client = client_for(world.cast.users()[role], raise_request_exception=False)
    posted = dict(GARBAGE[kind])
    if kind == "huge" and connection.vendor == "sqlite":
        # SQLite's driver cannot even send an integer past 2**63 (OverflowError), which Django's
        # multiple-choice field does not catch; PostgreSQL compares it and finds no row. The
        # portal runs on PostgreSQL, where this case is tried.
        posted.pop("units")
    crashed = []
    for route in routes():
        if route.namespace == "admin" or route.label in PUBLIC:
            continue
        url = _any_object_url(world, route)
        response = client.post(url, posted)
        if response.status_code >= 500:
            crashed.append(route.label)
    assert crashed == []


# --- no signed-in page, download or export stays in the browser's cache -----------------------


@pytest.mark.parametrize("role", ["admin", "head_a", "director"])
def test_every_signed_in_url_says_no_store(world, client_for, role):
    # A shared school computer must keep no copy of anyone's pages (ASVS 8.2.1): every URL of
    # the walk, pages, downloads and exports alike, whatever its status.
    client = client_for(world.cast.users()[role], raise_request_exception=False)
    cached = []
    answered = 0
    for route in routes():
        if route.label in PUBLIC:
            continue
        url = _any_object_url(world, route) if route.namespace != "admin" else route.url()
        response = client.get(url)
        answered += response.status_code == 200
        if "no-store" not in response.get("Cache-Control", ""):
            cached.append(f"{route.label} {response.status_code}")
    assert cached == []
    assert answered > 20  # the walk reached real pages, not only refusals


# --- imports: preview writes nothing, twice is once, a failure keeps nothing ------------------


def _good_import(world, page):
    url, user, headers, row = _import_pages(world)[page]
    if page == "assignments":
        rows = [row("a", 70), row("b", 55)]
    else:
        with translation.override("vi"):
            good = str(Rating.GOOD.label)
        rows = [row(world.cast.head_a.staff_member.pk, good),
                row(world.cast.staff.staff_member.pk, good)]
    return url, user, _workbook(headers, rows)


@pytest.mark.parametrize("page", ["assignments", "ratings"])
def test_preview_writes_nothing_and_the_same_file_twice_gives_the_same_state(world, client_for,
                                                                            page):
    url, user, content = _good_import(world, page)
    client = client_for(user)
    untouched = db_snapshot()

    preview = client.post(url, {"file": SimpleUploadedFile("bang.xlsx", content)})
    assert changed_tables(untouched, db_snapshot()) == []  # the preview wrote nothing
    token = preview.context["confirm"]["token"].value()
    client.post(url, {"token": token})
    once = db_snapshot()
    assert changed_tables(untouched, once) != []  # the import did write

    again = client.post(url, {"file": SimpleUploadedFile("bang.xlsx", content)})
    assert again.context["confirm"] is None  # nothing left to change: nothing to confirm
    assert changed_tables(once, db_snapshot()) == []


# --- locks on PostgreSQL -------------------------------------------------------------------------

HOLD = 0.6  # seconds the first transaction keeps its lock


def _race(first, second):
    """Run `first` in a transaction that holds its locks for HOLD seconds, and `second` in
    another connection as soon as `first` has done its work. Returns what each returned or
    raised, and whether `second` had to wait for `first` to commit."""
    done, outcome = threading.Event(), {}

    def run(name, action, hold):
        try:
            with transaction.atomic():
                outcome[name] = action()
                if hold:
                    done.set()
                    time.sleep(HOLD)
            outcome[f"{name}_committed"] = time.monotonic()
        except Exception as error:  # what the second person would see
            outcome[name] = error
            outcome[f"{name}_committed"] = time.monotonic()
        finally:
            done.set()
            connections.close_all()

    one = threading.Thread(target=run, args=("first", first, True))
    one.start()
    done.wait(10)
    started = time.monotonic()
    two = threading.Thread(target=run, args=("second", second, False))
    two.start()
    one.join(10)
    two.join(10)
    outcome["waited"] = outcome["second_committed"] - started >= HOLD * 0.8
    return outcome


POSTGRES_ONLY = pytest.mark.skipif(connection.vendor != "postgresql",
                                   reason="SQLite ignores select_for_update: it locks the whole "
                                          "database file instead, so there is no row lock to test")


@pytest.mark.skipif(connection.vendor != "postgresql",
                    reason="SQLite stores any number in a decimal column: no row fails there")
def test_a_failure_in_the_middle_of_an_import_keeps_none_of_its_rows(world):
    """Row 2 adds unit C's assignment; row 3 updates unit A's with a target past the column's
    twelve digits, which the checks refuse but the writer is given here as if it had slipped
    through. PostgreSQL refuses row 3 after row 2 was written: row 2 must go with it."""
    unit_c = UnitFactory(code="c", parent=world.cast.root)
    campaign, task = world.work.campaign, world.work.task
    result = task_imports.validate(campaign, [(2, task.pk, "c", 60, None),
                                              (3, task.pk, "a", 50, None)])
    assert [r.status for r in result.rows] == ["new", "update"]
    result.rows[1].target = Decimal("12345678901234.5")  # 14 digits before the point
    before = db_snapshot()

    with pytest.raises((DataError, InvalidOperation)):
        task_imports.apply(result, world.cast.office)

    assert not Assignment.objects.filter(unit=unit_c).exists()
    assert changed_tables(before, db_snapshot()) == []


@POSTGRES_ONLY
@LIVE
def test_two_submissions_of_the_same_report_are_serialised_by_the_row_lock(cast, work):
    report = task_services.save_report(assignment=work.assignment_a,
                                       period=work.assignment_a.period("2022-Q1"),
                                       data={"value": Decimal(80)}, user=cast.head_a)
    # Both pages were opened before either was sent, so neither carries a stale version: only
    # the lock stops the second from submitting the report a second time.
    submit = lambda: task_services.submit(report=report, user=cast.head_a)  # noqa: E731

    outcome = _race(submit, submit)

    assert outcome["waited"], "the second submission did not wait for the first to commit"
    assert isinstance(outcome["first"], ProgressReport)
    assert isinstance(outcome["second"], ValidationError)
    assert ReportEvent.objects.filter(report=report, action=ReportAction.SUBMITTED).count() == 1


@POSTGRES_ONLY
@LIVE
def test_accept_and_return_of_the_same_report_at_once_leave_one_decision(cast, work):
    report = task_services.save_report(assignment=work.assignment_a,
                                       period=work.assignment_a.period("2022-Q1"),
                                       data={"value": Decimal(80)}, user=cast.head_a)
    task_services.submit(report=report, user=cast.head_a)

    outcome = _race(
        lambda: task_services.accept(report=report, user=cast.office, comment="Đạt"),
        lambda: task_services.return_report(report=report, user=cast.union, reason="Thiếu"))

    assert outcome["waited"]
    assert isinstance(outcome["second"], ValidationError)
    report.refresh_from_db()
    assert report.status == ReportStatus.ACCEPTED
    assert not ReportEvent.objects.filter(report=report, action=ReportAction.RETURNED).exists()


# --- two people, one record --------------------------------------------------------------------

# Forms of records with a version: what the first person changes before the second sends the
# page they opened earlier.
CHANGE = {
    "progress report": lambda w: {"narrative": "Người thứ nhất sửa."},
    "campaign": lambda w: {"title": "Kế hoạch do người thứ nhất sửa"},
    "self-assessment": lambda w: {f"points_{w.scoring.manual_a.pk}": "15",
                                  f"note_{w.scoring.manual_a.pk}": "Người thứ nhất chấm."},
    "nominee": lambda w: {"summary": "Người thứ nhất sửa thành tích."},
    "initiative": lambda w: {"title": "Sáng kiến do người thứ nhất sửa"},
    "violation": lambda w: {"description": "Người thứ nhất sửa mô tả."},
}


CONFLICT_MESSAGES = {"progress report": task_services.ReportConflict.message,
                     "self-assessment": scoring_services.SheetConflict.message,
                     "nominee": STALE_KEPT}


@pytest.mark.parametrize("name", sorted(CHANGE))
def test_the_second_save_from_a_stale_page_gets_a_conflict_and_changes_nothing(world,
                                                                              client_for, name):
    first, url, data, _form = _open_form(world, client_for, name)
    second, _url, stale, _form = _open_form(world, client_for, name)
    saved = first.post(url, data | {k: [v] for k, v in CHANGE[name](world).items()})
    assert saved.status_code == 302, saved.context and saved.context["form"].errors
    after_first = db_snapshot()

    theirs = {k: ["10" if v.isdigit() else v + " (người thứ hai)"]
              for k, v in CHANGE[name](world).items()}
    response = second.post(url, stale | theirs, follow=True)

    with translation.override("vi"):
        # Forms that keep the typing say so instead of asking for it again (the report page
        # shows the stored version beside the typing, with a message of its own).
        conflict = str(CONFLICT_MESSAGES.get(name, StaleEdit.message))
    page = response.content.decode()
    assert conflict in html.unescape(page), name
    assert changed_tables(after_first, db_snapshot()) == []


# --- Excel downloads ---------------------------------------------------------------------------

EVIL = '=HYPERLINK("http://evil.example/","Bấm vào đây")'


def _downloads(world):
    """(URL, query, must it show unit A or its people?) of every Excel file the portal sends."""
    unit_a, year = world.cast.unit_a.pk, 2022
    document = reverse("awards:document_get")
    return [
        (reverse("tasks:progress_export", args=[world.work.campaign.pk]), {}, True),
        (reverse("tasks:import_template", args=[world.work.campaign.pk]), {}, True),
        (reverse("scoring:export", args=[world.scoring.campaign.pk]), {}, True),
        (reverse("awards:ratings_template"), {"unit": unit_a, "year": year}, True),
        (document, {"kind": "decision", "fmt": "xlsx", "decision": world.awards.decision.pk},
         True),
        (document, {"kind": "year_report", "fmt": "xlsx", "campaign": world.scoring.campaign.pk},
         True),
        (document, {"kind": "province_proposal", "fmt": "xlsx", "year": year}, False),
    ]


def test_text_that_looks_like_a_formula_is_downloaded_as_text(world, client_for):
    # A unit's name and a person's name are typed by people; neither may become a formula that
    # Excel runs in the file someone else downloads.
    world.cast.unit_a.name = EVIL
    world.cast.unit_a.save()
    StaffMember.objects.filter(unit=world.cast.unit_a).update(full_name=EVIL)
    client = client_for(world.cast.office)
    for url, query, shows_it in _downloads(world):
        response = client.get(url, query)
        assert response.status_code == 200, url
        book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
        cells = [c for ws in book.worksheets for row in ws.iter_rows() for c in row]
        formulas = [c.coordinate for c in cells if c.data_type == "f"]
        assert formulas == [], f"{url} {query}"
        if shows_it:
            assert any(c.value == EVIL for c in cells), f"{url} {query}: the name is not there"
