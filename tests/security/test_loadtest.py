"""The load and fault test (deploy/loadtest.py) and the checks it makes afterwards.

The checks run here against writes made through the services, once clean and once with a fault
planted in the database or in what the clients were told; the script itself (a throwaway
PostgreSQL, two gunicorn processes, restarts) runs only with LOADTEST=1.
"""

import datetime
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db.models import F
from django.utils import timezone

from deploy import loadcheck
from deploy.loadcheck import ACCEPT, CONFLICT, OK, SAVE, SUBMIT, UNKNOWN, Write
from tasks import services
from tasks.models import ProgressReport, ReportAction, ReportEvent, ReportStatus, ReportTally

from ..tasks.conftest import work  # noqa: F401 (the fixture)

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def played(cast, work):  # noqa: F811
    """What two heads and a reviewer did to one report, as the services did it and as the
    clients would have recorded it: a save, a save refused as stale, a submit, an acceptance."""
    since = timezone.now() - datetime.timedelta(seconds=1)
    assignment = work.assignment_a
    period = assignment.period("2022-Q1")
    report = services.save_report(assignment=assignment, period=period,
                                  data={"value": 50, "narrative": "lt a#1"}, user=cast.head_a)
    with pytest.raises(services.StaleEdit):
        services.save_report(assignment=assignment, period=period, data={
            "value": 60, "narrative": "lt b#1"}, user=cast.head_a, report=report,
            expected_version=0)
    services.submit(report=report, user=cast.head_a, expected_version=1)
    services.accept(report=report, user=cast.office, comment="lt r#1", expected_version=2)
    writes = [
        Write(SAVE, OK, None, assignment.pk, "2022-Q1", 0, "lt a#1", "a"),
        Write(SAVE, CONFLICT, report.pk, assignment.pk, "2022-Q1", 0, "lt b#1", "b"),
        Write(SUBMIT, OK, report.pk, assignment.pk, "2022-Q1", 1, "", "a"),
        Write(ACCEPT, OK, report.pk, 0, "", 2, "lt r#1", "r"),
    ]
    return report, writes, since


def test_clean_writes_pass_every_check(played):
    report, writes, since = played
    assert loadcheck.verify_writes(writes, {}, since) == []
    assert loadcheck.duplicate_periods() == []
    assert loadcheck.half_written_reports() == []
    assert loadcheck.history_contradicts_status([report.pk]) == []
    assert loadcheck.events_without_audit(since) == []
    assert loadcheck.tallies_differ_from_rebuild() == []


def test_an_accepted_write_missing_from_the_database_is_found(played):
    report, writes, since = played
    writes.append(Write(SAVE, OK, report.pk, report.assignment_id, "2022-Q1", 3, "lt c#9", "c"))
    problems = loadcheck.verify_writes(writes, {}, since)
    assert any("save by c (ok)" in p and "0 audit lines" in p
               for p in problems), problems
    assert any("version moved by 3, 4 writes accepted" in p for p in problems), problems


def test_a_refused_write_found_in_the_database_is_found(played):
    report, writes, since = played
    writes[1].outcome = OK  # the client was told the stale save was refused: say it was not
    writes[1].expected_version = 0
    problems = loadcheck.verify_writes(writes, {}, since)
    assert any("save by b (ok)" in p and "0 audit lines" in p for p in problems), problems
    assert any("2 accepted writes from version 0 (a lost update)" in p for p in problems)


def test_a_report_no_client_wrote_but_changed_is_found(cast, played, work):  # noqa: F811
    report, writes, since = played
    other = services.save_report(assignment=work.assignment_b, period=work.assignment_b.period(
        "2022-Q1"), data={"value": 10, "narrative": "before"}, user=cast.head_b)
    ProgressReport.objects.filter(pk=other.pk).update(version=F("version") + 1)
    assert loadcheck.verify_writes(writes, {other.pk: 1}, since) == [
        f"report {other.pk}: no client wrote it, yet its version went from 1 to 2"]


def test_a_write_whose_answer_was_lost_may_be_there_once(played):
    report, writes, since = played
    writes[1].outcome = UNKNOWN
    assert loadcheck.verify_writes(writes, {}, since) == []


def test_a_report_left_in_the_wrong_state_is_found(played):
    report, writes, since = played
    ProgressReport.objects.filter(pk=report.pk).update(status=ReportStatus.SUBMITTED,
                                                       reviewed_by=None)
    problems = loadcheck.verify_writes(writes, {}, since)
    assert f"report {report.pk} is submitted after an accepted accept" in problems
    assert loadcheck.history_contradicts_status([report.pk]) == [
        f"report {report.pk} is submitted but its history ends in accepted"]
    assert loadcheck.tallies_differ_from_rebuild()  # the tallies still count it accepted


def test_half_written_reports_are_found(played):
    report, _writes, _since = played
    ProgressReport.objects.filter(pk=report.pk).update(submitted_at=None, reviewed_by=None)
    assert loadcheck.half_written_reports() == [
        f"report {report.pk}: sent but no submission time",
        f"report {report.pk}: reviewed but no reviewer or review time",
    ]
    ProgressReport.objects.filter(pk=report.pk).update(status=ReportStatus.RETURNED)
    assert f"report {report.pk}: returned without a reason" in loadcheck.half_written_reports()


def test_a_history_step_without_its_audit_line_is_found(cast, played):
    report, _writes, since = played
    ReportEvent.objects.create(report=report, actor=cast.office, action=ReportAction.REOPENED,
                               from_status=ReportStatus.ACCEPTED, to_status=ReportStatus.RETURNED)
    assert loadcheck.events_without_audit(since) == [
        f"report {report.pk}: 1 'report.reopened' history steps, 0 audit lines"]


def test_a_tally_off_by_one_is_found(played):
    ReportTally.objects.update(accepted=F("accepted") + 1)
    problems = loadcheck.tallies_differ_from_rebuild()
    assert len(problems) == 1 and problems[0].startswith("ReportTally"), problems


def test_one_accounts_submit_sent_twice_counts_once(played):
    report, writes, since = played
    writes[2].account = "head_a"
    twice = Write(SUBMIT, OK, report.pk, report.assignment_id, "2022-Q1", 1, "", "a2", "head_a")
    assert loadcheck.verify_writes([*writes, twice], {}, since) == []
    # Two accounts told "done" from one version: one of them was lost.
    twice.account = "head_b"
    assert f"report {report.pk}: 2 accepted writes from version 1 (a lost update)" in \
        loadcheck.verify_writes([*writes, twice], {}, since)


def _look(report, kind, *, listed, own=True, after=0.1):
    written = timezone.now()
    return loadcheck.Probe(kind, report.pk, listed, written,
                           written + datetime.timedelta(seconds=after), own, False, "c01")


def test_own_writes_seen_on_the_lists_pass(played):
    report, _writes, _since = played
    assert loadcheck.writes_missing_from_lists([
        _look(report, ACCEPT, listed=False),
        _look(report, ACCEPT, listed=True, own=False, after=0.5),  # another user, within 5 s
    ], 5) == []


def test_an_accepted_report_still_waiting_on_the_list_is_found(played):
    report, _writes, _since = played
    problems = loadcheck.writes_missing_from_lists([
        _look(report, ACCEPT, listed=True),
        _look(report, ACCEPT, listed=True, own=False, after=6),
    ], 5)
    assert [p.split(" but ")[0] for p in problems] == [f"report {report.pk} accepted"] * 2
    assert "its reviewer read" in problems[0] and "the director read" in problems[1]


def test_a_submitted_report_missing_from_the_list_is_found_unless_reviewed(played):
    report, _writes, _since = played
    # The played report was submitted, then accepted before the look: explained.
    assert loadcheck.writes_missing_from_lists([_look(report, SUBMIT, listed=False)], 5) == []
    # Looked at before the acceptance: the submission itself is missing.
    submitted = report.events.get(to_status=ReportStatus.SUBMITTED)
    probe = _look(report, SUBMIT, listed=False)
    probe.written = submitted.at
    probe.seen = submitted.at + datetime.timedelta(microseconds=1)
    report.events.filter(to_status=ReportStatus.ACCEPTED).update(
        at=submitted.at + datetime.timedelta(seconds=1))
    assert loadcheck.writes_missing_from_lists([probe], 5) == [
        f"report {report.pk} submitted by c01 but missing from the waiting list it read "
        "0.00 s later (replica)"]


@pytest.mark.skipif(os.environ.get("LOADTEST") != "1",
                    reason="starts PostgreSQL and two gunicorn processes for ~1 min: "
                           "set LOADTEST=1 (or run `make loadtest`)")
def test_the_load_test_passes_its_checks():
    done = subprocess.run([sys.executable, "deploy/loadtest.py", "--seconds", "8",
                           "--clients", "4"], cwd=ROOT, capture_output=True, text=True,
                          timeout=600)
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    assert "RESULT: all checks passed" in done.stdout
    assert "database restarted" in done.stdout


@pytest.mark.skipif(os.environ.get("LOADTEST") != "1",
                    reason="starts PostgreSQL, a streaming replica and gunicorn for ~2 min: "
                           "set LOADTEST=1 (or run `make loadtest`)")
def test_the_load_test_with_a_replica_passes_its_checks():
    done = subprocess.run([sys.executable, "deploy/loadtest.py", "--seconds", "8",
                           "--clients", "4", "--replica", "--throughput",
                           "--step-seconds", "2"], cwd=ROOT, capture_output=True, text=True,
                          timeout=900)
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    assert "RESULT: all checks passed" in done.stdout
    assert "streaming replica on 127.0.0.1:" in done.stdout
    assert "replay lag p50" in done.stdout
    assert "PASS  no user saw their own write missing" in done.stdout
    assert "THROUGHPUT primary only:" in done.stdout
    assert "THROUGHPUT with replica:" in done.stdout
