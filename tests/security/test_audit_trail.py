"""The audit trail: one append-only line per sensitive action, bulk changes, sign-in and refused
access included; nobody edits or deletes a line; directors and administrators search it."""

import datetime
import json
from decimal import Decimal
from io import BytesIO

import pytest
from django.db import connection
from django.db.models.deletion import ProtectedError
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.text import capfirst
from django.utils.translation import gettext
from openpyxl import load_workbook

from awards import services as award_services
from core.audit.display import ACTIONS
from core.audit.trail import record
from scoring import services as scoring_services
from scoring.models import Stage
from tasks import imports
from tasks import services as task_services
from tasks.models import ProgressReport, ReportStatus
from units.models import AppendOnlyError, AuditEntry, Role

from ..awards.test_proposals import (
    LDTT,
    award,
    nominate,
    rated,
    to_notice,
    vote_and_approve,
)
from ..factories import ProgressReportFactory, UserFactory, person, plan
from ..helpers import LIVE
from ..scoring.conftest import accepted
from ..tasks.test_excel import _filled

DEADLINE = datetime.date(2099, 12, 31)
IP = "203.0.113.7"
NO_DELETE_TRIGGER_ON_SQLITE = pytest.mark.skipif(
    "connection.vendor == 'sqlite'",
    reason="SQLite has no DELETE trigger: Django flushes SQLite test databases with DELETE")


def lines(action):
    return list(AuditEntry.objects.filter(action=action).order_by("id"))


def unlabelled():
    """Actions recorded so far that the trail's page would show as bare codes."""
    return sorted({a for a in AuditEntry.objects.values_list("action", flat=True)
                   if a not in ACTIONS})


def only(action):
    found = lines(action)
    assert len(found) == 1, f"{action}: {len(found)} lines"
    return found[0]


# --- One line per sensitive action --------------------------------------------------------

def test_saving_and_submitting_a_report_through_the_pages_is_audited(cast, client_for, work):
    head = client_for(cast.head_a, REMOTE_ADDR=IP)

    head.post(reverse("tasks:report_start", args=[work.assignment_a.pk, "2022-Q1"]),
              {"value": "80", "narrative": "Đã niêm yết."})
    report = ProgressReport.objects.get()
    head.post(reverse("tasks:report", args=[report.pk]),
              {"value": "85", "narrative": "Đã niêm yết.", "version": report.version})
    report.refresh_from_db()
    head.post(reverse("tasks:submit", args=[report.pk]), {"version": report.version})

    created, edited = lines("report.saved")
    assert created.before is None and created.after["value"] == "80.00"
    assert (edited.before["value"], edited.after["value"]) == ("80.00", "85.00")
    submitted = only("report.submitted")
    assert submitted.before == {"status": ReportStatus.DRAFT}
    assert submitted.after["status"] == ReportStatus.SUBMITTED
    for entry in (created, edited, submitted):
        assert (entry.actor, entry.unit, entry.ip) == (cast.head_a, cast.unit_a, IP)
        assert entry.object_id == str(report.pk)
    assert unlabelled() == []


def test_returning_and_accepting_a_report_is_audited(cast, client_for, work):
    report = task_services.save_report(assignment=work.assignment_a,
                                       period=work.assignment_a.period("2022-Q1"),
                                       data={"value": Decimal(90)}, user=cast.head_a)
    task_services.submit(report=report, user=cast.head_a)
    office = client_for(cast.office)

    office.post(reverse("tasks:review", args=[report.pk]),
                {"decision": "return", "comment": "Thiếu minh chứng.", "version": 2})
    report.refresh_from_db()
    task_services.submit(report=report, user=cast.head_a)
    report.refresh_from_db()
    office.post(reverse("tasks:review", args=[report.pk]),
                {"decision": "accept", "comment": "", "version": report.version})

    returned, accepted_line = only("report.returned"), only("report.accepted")
    assert returned.before == {"status": "submitted"}
    assert returned.after["status"] == "returned"
    assert returned.after["comment"] == "Thiếu minh chứng."
    assert accepted_line.after["status"] == "accepted"
    assert {returned.actor, accepted_line.actor} == {cast.office}
    assert {returned.unit, accepted_line.unit} == {cast.unit_a}
    assert unlabelled() == []


def test_scores_and_every_round_change_are_audited(scored, cast):
    first = scoring_services.open_first_round(scheme=scored.scheme, deadline=DEADLINE,
                                              user=cast.office)
    sheet = first.sheets.get(unit=cast.unit_a)
    manual = first.scores.get(unit=cast.unit_a, criterion=scored.c4)
    scoring_services.save_sheet(sheet=sheet, changes={manual: (Decimal(18), "Có biên bản")},
                                user=cast.head_a, expected_version=sheet.version)
    scoring_services.advance(scheme=scored.scheme, deadline=DEADLINE, user=cast.office)
    scoring_services.advance(scheme=scored.scheme, deadline=DEADLINE, user=cast.office)
    scoring_services.advance(scheme=scored.scheme, deadline=DEADLINE, user=cast.office)
    scoring_services.lock(scheme=scored.scheme, user=cast.director)

    opened = lines("scoring.round_open")
    assert [e.after["round"] for e in opened] == [Stage.SELF, Stage.APPRAISAL,
                                                  Stage.EXPLANATION, Stage.FINAL]
    assert [e.before and e.before["round"] for e in opened] == [
        None, Stage.SELF, Stage.APPRAISAL, Stage.EXPLANATION]
    score_line = only("scoring.sheet_self")
    assert score_line.before == {"4": {"points": None, "note": ""}}
    assert score_line.after == {"4": {"points": "18", "note": "Có biên bản"}}
    assert (score_line.actor, score_line.unit) == (cast.head_a, cast.unit_a)
    locked = only("scoring.lock")
    assert (locked.before["stage"], locked.after["stage"]) == (Stage.FINAL, Stage.LOCKED)
    assert locked.actor == cast.director
    first_computation = lines("scoring.recompute")[0]
    assert first_computation.after["created_for_units"] == sorted([cast.unit_a.pk,
                                                                   cast.unit_b.pk])
    assert unlabelled() == []


def test_a_recompute_lists_each_changed_score_before_and_after(scored, cast):
    round_ = scoring_services.open_first_round(scheme=scored.scheme, deadline=DEADLINE,
                                               user=cast.office)
    accepted(scored.t1.assignments.get(unit=cast.unit_b), "2022-Q1", 100,
             submitted=datetime.date(2022, 3, 20))

    counts = scoring_services.recompute(scheme=scored.scheme, user=cast.office)

    line = lines("scoring.recompute")[-1]
    changed = round_.scores.get(unit=cast.unit_b, criterion=scored.c1)
    assert counts["changed"] == len(line.after["scores"]) >= 1
    assert line.before["scores"][str(changed.pk)] == [True, "0.00", "0.00"]
    assert line.after["scores"][str(changed.pk)] == [True, str(changed.data_points),
                                                     str(changed.points)]
    assert changed.points == Decimal("30.00")


def test_nominations_votes_decision_and_revocation_are_audited(cast):
    draft = award_services.proposal_for(cast.unit_a, 2022)
    good = [rated(cast.unit_a, full_name=f"Giáo viên {i}") for i in range(2)]
    nominees = [nominate(draft, LDTT, person_, cast.head_a) for person_ in good]
    to_notice(draft, cast)
    vote_and_approve(draft, cast, {n.pk: (6, 1) for n in nominees}, present=7)
    decision = award_services.issue_decision(
        award=award(LDTT), year=2022, number="18/QĐ-SGDĐT", signed_on=datetime.date(2022, 12, 28),
        signer_name="Trần Văn Giám", signer_title="GIÁM ĐỐC", user=cast.office)
    award_services.revoke_decision(decision, reason="Kê khai sai", user=cast.director)

    added = lines("nominee.create")
    assert [e.object_id for e in added] == [str(n.pk) for n in nominees]
    assert {e.unit for e in added} == {cast.unit_a}
    votes = only("proposal.votes")
    assert votes.before["votes"] == {str(n.pk): [None, None, None] for n in nominees}
    assert votes.after["votes"] == {str(n.pk): [6, 1, True] for n in nominees}
    issued = only("decision.issue")
    conferrals = list(decision.conferrals.order_by("pk").values_list("pk", flat=True))
    assert issued.after["nominees"] == {str(n.pk): decision.pk for n in nominees}
    assert sorted(issued.after["conferrals"]) == conferrals
    revoked = only("decision.revoke")
    assert sorted(revoked.before["conferrals"]) == conferrals
    assert revoked.after == {"revoked": True, "reason": "Kê khai sai"}
    assert unlabelled() == []


def test_an_excel_import_leaves_one_line_naming_every_assignment(cast, work, task2):
    upload = _filled(work.campaign, [
        (task2.pk, "", "a", "", 40, datetime.datetime(2022, 11, 30)),
        (work.task.pk, "", "a", "", "80,5", "15/12/2022"),
    ])

    imports.apply(imports.parse(work.campaign, upload), cast.office)

    line = only("task.import")
    key = str(work.assignment_a.pk)
    assert line.before["assignments"] == {key: {"target": None, "deadline": None}}
    assert line.after["assignments"] == {key: {"target": "80.50", "deadline": "2022-12-15"}}
    assert line.after["new"] == [{"task": task2.pk, "unit": cast.unit_a.pk, "target": "40.00",
                                  "deadline": "2022-11-30"}]
    assert unlabelled() == []


# --- Signing in and out -------------------------------------------------------------------

def test_signing_in_is_audited_with_the_address_and_unit(cast, client, password):
    client.post(reverse("login"), {"username": "head_a", "password": password},
                REMOTE_ADDR=IP, HTTP_USER_AGENT="Firefox " + "x" * 500)

    line = only("auth.login")
    assert (line.actor, line.unit, line.ip) == (cast.head_a, cast.unit_a, IP)
    assert line.after["user_agent"].startswith("Firefox") and len(line.after["user_agent"]) == 200


def test_a_failed_sign_in_keeps_the_username_and_address_never_the_password(cast, client):
    response = client.post(reverse("login"), {"username": "head_a", "password": "Sai-mat-khau-9"},
                           REMOTE_ADDR=IP)

    assert response.status_code == 200
    line = only("auth.login_failed")
    assert (line.actor, line.ip) == (None, IP)
    assert line.after["username"] == "head_a"
    stored = json.dumps([line.before, line.after, line.object_repr])
    assert "Sai-mat-khau-9" not in stored and "password" not in stored
    assert not lines("auth.login")


def test_signing_out_is_audited(cast, client_for):
    client = client_for(cast.office, REMOTE_ADDR=IP)

    client.post(reverse("logout"))

    line = only("auth.logout")
    assert (line.actor, line.ip, line.unit) == (cast.office, IP, cast.office_unit)


@pytest.mark.parametrize(("proxies", "expected"), [(0, "10.0.0.2"), (1, IP)])
def test_forwarded_address_is_used_only_behind_a_trusted_proxy(cast, client, password,
                                                               settings, proxies, expected):
    settings.TRUSTED_PROXY_COUNT = proxies

    client.post(reverse("login"), {"username": "head_a", "password": password},
                REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=f"198.51.100.1, {IP}")

    assert only("auth.login").ip == expected


# --- Refused access -----------------------------------------------------------------------

def test_another_units_report_is_404_recorded_and_nothing_changes(cast, client_for, work):
    report = task_services.save_report(assignment=work.assignment_a,
                                       period=work.assignment_a.period("2022-Q1"),
                                       data={"value": Decimal(90)}, user=cast.head_a)
    before = ProgressReport.objects.filter(pk=report.pk).values().get()
    earlier = set(AuditEntry.objects.values_list("pk", flat=True))

    response = client_for(cast.head_b, REMOTE_ADDR=IP).post(
        reverse("tasks:report", args=[report.pk]), {"value": "1", "version": report.version})

    assert response.status_code == 404
    assert ProgressReport.objects.filter(pk=report.pk).values().get() == before
    assert ProgressReport.objects.count() == 1
    denied = only("access.denied")
    assert (denied.actor, denied.ip, denied.unit) == (cast.head_b, IP, cast.unit_a)
    assert denied.object_id == str(report.pk)
    assert denied.after["path"] == reverse("tasks:report", args=[report.pk])
    assert (denied.after["method"], denied.after["status"]) == ("POST", 404)
    # Besides the sign-in of the test client and the refusal, nothing was written.
    assert set(AuditEntry.objects.exclude(pk__in=earlier).values_list("action", flat=True)) \
        == {"auth.login", "access.denied"}


def test_a_draft_plan_asked_for_by_a_unit_head_is_404_and_recorded(cast, client_for):
    draft = plan(units=[cast.unit_a])

    response = client_for(cast.head_a).get(reverse("campaigns:detail", args=[draft.pk]))

    assert response.status_code == 404
    assert only("access.denied").object_id == str(draft.pk)


def test_a_page_that_does_not_exist_is_not_recorded_as_refused(cast, client_for):
    response = client_for(cast.head_a).get(reverse("campaigns:detail", args=[999999]))

    assert response.status_code == 404
    assert not lines("access.denied")


def test_a_forbidden_action_is_403_and_recorded(cast, client_for):
    response = client_for(cast.head_a).get(reverse("campaigns:create"))

    assert response.status_code == 403
    denied = only("access.denied")
    assert (denied.actor, denied.after["status"], denied.after["method"]) == (cast.head_a, 403,
                                                                              "GET")


# --- Append-only --------------------------------------------------------------------------

@pytest.fixture
def entry(cast):
    return record(actor=cast.office, action="campaign.close", target=cast.unit_a,
                  before={"status": "launched"}, after={"status": "closed"})


def test_a_stored_line_cannot_be_saved_again_or_deleted(entry):
    entry.action = "campaign.launch"

    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    assert AuditEntry.objects.get(pk=entry.pk).action == "campaign.close"


def test_querysets_cannot_update_or_delete_lines(entry):
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.filter(pk=entry.pk).update(action="x")
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.all().delete()
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.bulk_update([entry], ["action"])
    assert AuditEntry.objects.filter(pk=entry.pk, action="campaign.close").exists()


def test_the_database_refuses_a_raw_update(entry):
    with pytest.raises(Exception, match="append-only"), connection.cursor() as cursor:
        cursor.execute("UPDATE units_auditentry SET action = %s WHERE id = %s", ["x", entry.pk])


@NO_DELETE_TRIGGER_ON_SQLITE
def test_the_database_refuses_a_raw_delete_on_postgresql(entry):
    with pytest.raises(Exception, match="append-only"), connection.cursor() as cursor:
        cursor.execute("DELETE FROM units_auditentry WHERE id = %s", [entry.pk])


@LIVE
def test_lines_survive_in_committed_work_and_the_test_flush_still_works():
    # A transactional test commits; at its end the runner empties the tables (TRUNCATE on
    # PostgreSQL, which the trigger does not refuse; DELETE on SQLite, which has no DELETE
    # trigger). Serialized rollback, as the browser tests: see tests/helpers.py.
    user = UserFactory()
    record(actor=user, action="auth.login", target=user)
    assert AuditEntry.objects.filter(actor=user).count() == 1


def test_a_person_named_in_the_trail_cannot_be_deleted(entry, cast):
    with pytest.raises(ProtectedError):
        cast.office.delete()
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


def test_the_admin_cannot_add_change_or_delete_lines_even_for_a_superuser(entry, client_for):
    root = UserFactory(is_staff=True, is_superuser=True)
    admin = client_for(root)
    change = reverse("admin:units_auditentry_change", args=[entry.pk])

    assert admin.get(reverse("admin:units_auditentry_changelist")).status_code == 200
    assert admin.get(reverse("admin:units_auditentry_add")).status_code == 403
    assert admin.post(change, {"action": "x"}).status_code == 403
    delete = reverse("admin:units_auditentry_delete", args=[entry.pk])
    assert admin.get(delete).status_code == 403
    assert admin.post(delete, {"post": "yes"}).status_code == 403
    assert AuditEntry.objects.get(pk=entry.pk).action == "campaign.close"


# --- The trail's page ---------------------------------------------------------------------

AUDIT = reverse("units:audit")


def _search(client, **filters):
    """The lines found, leaving out those the test client's own sign-in wrote."""
    response = client.get(AUDIT, filters)
    assert response.status_code == 200
    return [e.pk for e in response.context["page"] if e.action != "auth.login"]


@pytest.fixture
def trail(cast):
    """Lines by different people, on different units, objects and days."""
    at = timezone.make_aware(datetime.datetime(2022, 5, 10, 9, 30))
    made = {
        "director": record(actor=cast.director, action="decision.revoke", target=cast.unit_b,
                           before={"revoked": False}, after={"revoked": True}),
        "head": record(actor=cast.head_a, action="report.saved", target=cast.unit_a,
                       before={"value": "80.00", "narrative": "Cũ"},
                       after={"value": "85.00", "narrative": "Cũ"}),
    }
    made["office"] = record(actor=cast.office, action="task.import", unit=cast.unit_b,
                            after={"created": 3})
    # A line from an earlier day: `at` is set on insert and no UPDATE can move it, so the line
    # is inserted as loaddata (and a restore) does, keeping its date.
    old = AuditEntry(at=at, actor=cast.union, action="proposal.accept", object_id="12",
                     object_repr="Danh sách khen thưởng", unit=cast.unit_b)
    old.save_base(raw=True, force_insert=True)
    made["old"] = AuditEntry.objects.get(action="proposal.accept")
    return made


def test_directors_deputies_and_administrators_may_read_the_trail_others_not(cast, client_for):
    deputy = person(Role.DEPUTY_DIRECTOR, cast.board, "phogiamdoc")
    for user in (cast.director, deputy, cast.admin):
        response = client_for(user).get(AUDIT)
        assert response.status_code == 200
        assert gettext("Audit trail") in response.content.decode()
    for user in (cast.office, cast.union, cast.head_a, cast.staff):
        assert client_for(user).get(AUDIT).status_code == 403
    assert {e.actor for e in lines("access.denied")} == {cast.office, cast.union, cast.head_a,
                                                         cast.staff}


def test_the_menu_links_the_trail_only_for_its_readers(cast, client_for):
    link = f'href="{AUDIT}"'
    assert link in client_for(cast.director).get(reverse("home")).content.decode()
    assert link not in client_for(cast.office).get(reverse("home")).content.decode()


def test_each_filter_narrows_the_trail(cast, client_for, trail):
    client = client_for(cast.director)
    unit_type = trail["head"].content_type_id

    assert _search(client, person="giamdoc") == [trail["director"].pk]
    assert _search(client, person="Ánh") == [trail["head"].pk]  # by full name
    assert set(_search(client, unit=cast.unit_b.pk)) == {trail["director"].pk,
                                                         trail["office"].pk, trail["old"].pk}
    assert _search(client, object=str(cast.unit_a.pk), object_type=unit_type) == [
        trail["head"].pk]
    assert _search(client, object="khen thưởng") == [trail["old"].pk]
    assert set(_search(client, object_type=unit_type)) == {trail["director"].pk,
                                                           trail["head"].pk}
    assert _search(client, action="report.saved") == [trail["head"].pk]
    assert _search(client, date_to="10/05/2022") == [trail["old"].pk]
    assert _search(client, date_from="10/05/2022", date_to="10/05/2022") == [trail["old"].pk]
    today = timezone.localdate().strftime("%d/%m/%Y")
    assert trail["old"].pk not in _search(client, date_from=today)


def test_person_search_folds_vietnamese_case(cast, client_for, trail):
    # On SQLite too, whose own LIKE folds the case of ASCII letters only (units.collation).
    assert _search(client_for(cast.director), person="NGÔ THỊ ÁNH") == [trail["head"].pk]
    assert _search(client_for(cast.director), person="ngô thị ánh") == [trail["head"].pk]


def test_dates_the_wrong_way_round_give_a_message(cast, client_for, trail):
    response = client_for(cast.director).get(AUDIT, {"date_from": "10/05/2022",
                                                     "date_to": "01/05/2022"})

    assert response.context["form"].errors["date_to"] == [
        gettext("The end date is before the start date: swap the two dates.")]
    assert list(response.context["page"]) == []  # not the whole trail, as if filtered


def test_changes_read_as_the_model_shows_them(cast, work):
    report = ProgressReportFactory(assignment=work.assignment_a, period="2022-Q1")
    line = record(actor=cast.office, action="report.returned", target=report,
                  before={"status": "submitted", "period_due": "2022-03-31"},
                  after={"status": "returned", "period_due": "2022-03-31",
                         "reviewed_at": "2022-04-05T03:00:00+00:00", "urgent": True})

    assert line.changes() == [
        (capfirst(ProgressReport._meta.get_field("status").verbose_name),
         str(ReportStatus.SUBMITTED.label), str(ReportStatus.RETURNED.label)),
        (capfirst(ProgressReport._meta.get_field("reviewed_at").verbose_name), "—",
         "05/04/2022 10:00"),
        ("urgent", "—", gettext("Yes"))]


def test_the_page_shows_newest_first_with_labels_and_changes(cast, client_for, trail):
    response = client_for(cast.director).get(AUDIT)
    html = response.content.decode()

    shown = list(response.context["page"])
    assert [e.at for e in shown] == sorted((e.at for e in shown), reverse=True)
    assert shown[-1] == trail["old"]
    for code in ("report.saved", "decision.revoke", "proposal.accept", "task.import"):
        assert escape(str(ACTIONS[code])) in html
    assert "10/05/2022 09:30" in html
    assert "Ngô Thị Ánh" in html and cast.unit_b.name in html
    # Only the value that changed is shown: the narrative did not.
    assert trail["head"].changes() == [("value", "80,00", "85,00")]
    assert "<td>value</td><td class=\"text-break\">80,00</td>" in html


def test_the_page_takes_the_same_number_of_queries_for_one_line_or_many(cast, client_for):
    client = client_for(cast.director)
    record(actor=cast.office, action="campaign.close", target=cast.unit_a)
    client.get(AUDIT)  # warm the content-type cache as in a running server
    with CaptureQueriesContext(connection) as one:
        client.get(AUDIT)
    for i in range(30):
        user = person(Role.STAFF, cast.unit_b, f"nguoi{i}")
        record(actor=user, action="report.saved", target=cast.unit_b,
               before={"value": str(i)}, after={"value": str(i + 1)})
    with CaptureQueriesContext(connection) as many:
        client.get(AUDIT)

    assert len(one) == len(many)


def test_the_excel_export_keeps_the_filters_and_text_stays_text(cast, client_for, trail):
    record(actor=None, action="auth.login_failed", after={"username": "=HYPERLINK(\"x\")"})

    response = client_for(cast.director).get(AUDIT, {"export": "xlsx",
                                                     "action": "auth.login_failed"})

    assert response["Content-Disposition"].startswith("attachment")
    sheet = load_workbook(BytesIO(b"".join(response.streaming_content))).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 2
    assert rows[1][10] == '{"username": "=HYPERLINK(\\"x\\")"}'
    assert sheet.cell(row=2, column=11).data_type == "s"
