"""The dashboards' tallies: whatever sequence of writes the services make, they equal a fresh
count of the assignments and reports (`tally.rebuild`)."""

import datetime
import random

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from core.stale_edits import StaleEdit
from tasks import services, tally
from tasks.figures import campaign_progress
from tasks.models import (
    AssignmentTally,
    Cadence,
    DueReportTally,
    ProgressReport,
    ReportStatus,
    ReportTally,
    SubmissionTally,
    Task,
)

from ..factories import UnitFactory

TALLIES = (AssignmentTally, ReportTally, DueReportTally, SubmissionTally)
COUNTED = {AssignmentTally: ["assignments"],
           ReportTally: list(tally.COUNTS), DueReportTally: list(tally.COUNTS),
           SubmissionTally: list(tally.SUBMISSION_COUNTS)}


def _rows(model):
    """The tally's rows, without the ones counting nothing (left behind when counts go back
    to zero; a rebuild never writes them)."""
    counted = COUNTED[model]
    keys = [f.attname for f in model._meta.fields if f.attname not in {"id", *counted}]
    return {tuple(row[k] for k in keys): tuple(row[c] for c in counted)
            for row in model.objects.values(*keys, *counted)
            if any(row[c] for c in counted)}


def _kept_and_fresh():
    kept = {model: _rows(model) for model in TALLIES}
    with transaction.atomic():
        tally.rebuild()
        fresh = {model: _rows(model) for model in TALLIES}
        transaction.set_rollback(True)
    return kept, fresh


@pytest.fixture
def tasks(work, cast):
    """The plan's quarterly task, a monthly and a one-off task, on units A, B and two more."""
    item = work.task.item
    monthly = Task.objects.create(item=item, title="Báo cáo tháng", cadence=Cadence.MONTHLY,
                                  deadline=datetime.date(2022, 12, 31), target_value=100)
    once = Task.objects.create(item=work.campaign.items.last(), title="Một lần",
                               cadence=Cadence.ONCE, deadline=datetime.date(2022, 8, 15),
                               target_value=100)
    units = [cast.unit_a, cast.unit_b, UnitFactory(), UnitFactory()]
    services.assign(task=work.task, units=units, user=cast.office)
    for task in (monthly, once):
        services.assign(task=task, units=units, user=cast.office)
    return [work.task, monthly, once]


def _at(day, hour):
    return datetime.datetime.combine(day, datetime.time(hour),
                                     tzinfo=timezone.get_current_timezone())


@pytest.mark.parametrize("seed", range(6))
def test_random_writes_leave_the_tallies_equal_to_a_fresh_count(cast, tasks, monkeypatch,
                                                                seed):
    rng = random.Random(seed)
    assignments = [a for task in tasks for a in task.assignments.all()]
    clock = [_at(datetime.date(2022, 1, 1), 9)]
    # The services stamp reports with timezone.now(): move it about the year, across due
    # dates, month ends and midnight in the portal's zone (late or on time by minutes).
    monkeypatch.setattr(timezone, "now", lambda: clock[0])
    for _step in range(120):
        clock[0] = _at(datetime.date(2022, 1, 1) + datetime.timedelta(days=rng.randint(0, 420)),
                       rng.choice([0, 6, 16, 23]))
        assignment = rng.choice(assignments)
        period = rng.choice(assignment.periods())
        report = ProgressReport.objects.filter(assignment=assignment, period=period.key).first()
        try:
            if report is None or report.is_editable and rng.random() < 0.3:
                report = services.save_report(
                    assignment=assignment, period=period, user=cast.head_a, report=report,
                    expected_version=report.version if report else None,
                    data={"value": rng.randint(0, 100), "narrative": "Đã làm."})
                continue
            action = {ReportStatus.DRAFT: ["submit"], ReportStatus.RETURNED: ["submit"],
                      ReportStatus.SUBMITTED: ["return", "accept"],
                      ReportStatus.ACCEPTED: ["reopen"]}[report.status]
            match rng.choice(action):
                case "submit":
                    services.submit(report=report, user=cast.head_a)
                case "return":
                    services.return_report(report=report, user=cast.office, reason="Sửa lại.")
                case "accept":
                    services.accept(report=report, user=cast.union)
                case "reopen":
                    services.reopen(report=report, user=cast.office, reason="Sai số liệu.")
        except (ValidationError, StaleEdit):
            pass
    kept, fresh = _kept_and_fresh()
    assert ProgressReport.objects.exclude(status=ReportStatus.DRAFT).exists()
    for model in TALLIES:
        assert kept[model] == fresh[model], model.__name__


def test_assignments_are_counted_again_when_their_terms_change(cast, tasks, work):
    more = UnitFactory()
    services.assign(task=tasks[2], units=[more], user=cast.office)
    from tasks.forms import AssignmentTermsForm

    assignment = tasks[2].assignments.get(unit=more)
    form = AssignmentTermsForm({"target_value": "90", "deadline": "2022-10-01"},
                               instance=assignment)
    assert form.is_valid(), form.errors
    services.save_assignment_terms(form=form, user=cast.office)
    kept, fresh = _kept_and_fresh()
    assert kept[AssignmentTally] == fresh[AssignmentTally]
    progress = campaign_progress(work.campaign, today=datetime.date(2022, 9, 1), trend=False)
    # The one-off task is due on 15/8 for everyone but `more`, now due on 1/10.
    assert progress.by_unit[more.pk].due == 0
    assert progress.by_unit[cast.unit_a.pk].due == 1 + 2 + 8  # one-off, Q1–Q2, Jan–Aug


def test_rebuild_command_prints_what_it_wrote(tasks):
    from io import StringIO

    out = StringIO()
    call_command("rebuild_tallies", stdout=out)
    assert "rows" in out.getvalue()
    assert AssignmentTally.objects.exists()
