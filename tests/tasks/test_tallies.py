"""The dashboards' tallies (derived data, `tasks.tallies`): after every kind of write the
services make, and after any sequence of them, they equal a fresh count of the assignments and
reports (`tallies.rebuild`)."""

import datetime
import importlib
import random
from types import SimpleNamespace

import pytest
from django.apps import apps as django_apps
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone

from core.stale_edits import StaleEdit
from tasks import services, tallies
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
           ReportTally: list(tallies.COUNTS), DueReportTally: list(tallies.COUNTS),
           SubmissionTally: list(tallies.SUBMISSION_COUNTS)}


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
        tallies.rebuild()
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


def _save(assignment, key, user, report=None, value=50):
    return services.save_report(assignment=assignment, period=assignment.period(key), user=user,
                                report=report, expected_version=report and report.version,
                                data={"value": value, "narrative": "Đã làm."})


@pytest.fixture
def written(cast, tasks):
    """Reports in every state: a draft, a submitted, an accepted and a returned one."""
    quarterly, monthly, once = tasks
    a_quarterly = quarterly.assignments.get(unit=cast.unit_a)
    draft = _save(a_quarterly, "2022-Q1", cast.head_a)
    sent = services.submit(report=_save(a_quarterly, "2022-Q2", cast.head_a), user=cast.head_a)
    b_monthly = monthly.assignments.get(unit=cast.unit_b)
    accepted = services.accept(report=services.submit(
        report=_save(b_monthly, "2022-01", cast.head_b), user=cast.head_b), user=cast.union)
    returned = services.return_report(report=services.submit(
        report=_save(once.assignments.get(unit=cast.unit_a), "2022", cast.head_a),
        user=cast.head_a), user=cast.office, reason="Thiếu minh chứng.")
    return {"draft": draft, "sent": sent, "accepted": accepted, "returned": returned,
            "tasks": tasks, "a_quarterly": a_quarterly}


def _task_form(task, **changes):
    from tasks.forms import TaskForm

    data = {"title": task.title, "description": task.description,
            "indicator_kind": task.indicator_kind, "indicator_label": task.indicator_label,
            "target_value": "100", "unit_of_measure": task.unit_of_measure,
            "cadence": task.cadence, "deadline": task.deadline.isoformat(),
            "lead_unit": task.lead_unit_id or "", **changes}
    form = TaskForm(data, instance=task, item=task.item)
    assert form.is_valid(), form.errors
    return form


def _terms_form(assignment, deadline):
    from tasks.forms import AssignmentTermsForm

    form = AssignmentTermsForm({"target_value": "", "deadline": deadline}, instance=assignment)
    assert form.is_valid(), form.errors
    return form


# Every write of `tasks.services` that moves what the tallies count (the imports of assignments
# go through the same recount as `assign`). Reports and assignments are never deleted: no
# service removes one. (name, write, whether the tallies move: a draft counts nothing.)
WRITES = [
    ("report created", lambda cast, w: _save(w["a_quarterly"], "2022-Q3", cast.head_a), False),
    ("draft saved again",
     lambda cast, w: _save(w["a_quarterly"], "2022-Q1", cast.head_a, report=w["draft"],
                           value=70), False),
    ("report submitted", lambda cast, w: services.submit(report=w["draft"], user=cast.head_a),
     True),
    ("returned report resubmitted",
     lambda cast, w: services.submit(report=w["returned"], user=cast.head_a), True),
    ("report returned",
     lambda cast, w: services.return_report(report=w["sent"], user=cast.office,
                                            reason="Sửa lại."), True),
    ("report accepted", lambda cast, w: services.accept(report=w["sent"], user=cast.union),
     True),
    ("reports accepted together",
     lambda cast, w: services.accept_many(picked=[(w["sent"].pk, w["sent"].version)],
                                          user=cast.union), True),
    ("accepted report reopened",
     lambda cast, w: services.reopen(report=w["accepted"], user=cast.office,
                                     reason="Sai số liệu."), True),
    ("report page saved and submitted",
     lambda cast, w: services.save_page(
         assignment=w["a_quarterly"], period=w["a_quarterly"].period("2022-Q4"),
         user=cast.head_a, data={"value": 90, "narrative": "Xong."}, submit_after=True), True),
    ("assignments added",
     lambda cast, w: services.assign(task=w["tasks"][0], units=[UnitFactory()],
                                     user=cast.office), True),
    ("assignment deadline moved",
     lambda cast, w: services.save_assignment_terms(
         form=_terms_form(w["tasks"][2].assignments.get(unit=cast.unit_b), "2022-10-01"),
         user=cast.office), True),
    ("task cadence changed",
     lambda cast, w: services.save_task(form=_task_form(w["tasks"][1], cadence=Cadence.QUARTERLY),
                                        user=cast.office), True),
    ("task deadline moved",
     lambda cast, w: services.save_task(form=_task_form(w["tasks"][2], deadline="2022-11-30"),
                                        user=cast.office), True),
]


@pytest.mark.parametrize(("write", "moves"), [(write, moves) for _name, write, moves in WRITES],
                         ids=[name for name, _write, _moves in WRITES])
def test_every_kind_of_write_leaves_the_tallies_equal_to_a_rebuild(cast, written, write, moves):
    before = {model: _rows(model) for model in TALLIES}

    write(cast, written)

    kept, fresh = _kept_and_fresh()
    for model in TALLIES:
        assert kept[model] == fresh[model], model.__name__
    assert (kept != before) is moves


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


def test_migration_0005_counts_as_the_rebuild_does(cast, written):
    """The migration's frozen copy of the rebuild, run on today's rows, writes what
    `tallies.rebuild()` writes."""
    migration = importlib.import_module("tasks.migrations.0005_due_tally_period")
    services.accept(report=written["sent"], user=cast.union)
    with transaction.atomic():
        migration.count_again(django_apps, SimpleNamespace(connection=connection))
        frozen = {model: _rows(model) for model in TALLIES}
        transaction.set_rollback(True)
    _kept, fresh = _kept_and_fresh()
    assert all(fresh[model] for model in TALLIES)
    assert frozen == fresh


def test_rebuild_command_prints_what_it_wrote(tasks):
    from io import StringIO

    out = StringIO()
    call_command("rebuild_tallies", stdout=out)
    assert "rows" in out.getvalue()
    assert AssignmentTally.objects.exists()
