"""Writes on tasks, assignments and progress reports; each runs in one transaction and leaves
a line in the report's history and in the audit trail."""

from dataclasses import replace

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from campaigns.models import Campaign
from core.audit.trail import record
from core.stale_edits import StaleEdit, bump_version

from . import tallies
from .models import (
    Assignment,
    Evidence,
    ProgressReport,
    ReportAction,
    ReportEvent,
    ReportStatus,
    closed_reason,
)

__all__ = ["StaleEdit", "ReportConflict", "save_task", "save_assignment_terms", "assign",
           "save_report", "save_page", "submit", "return_report", "accept", "accept_many",
           "reopen", "add_report_evidence", "remove_report_evidence"]


class ReportConflict(StaleEdit):
    """Someone saved the report after this page was opened; the page keeps what was typed."""

    message = gettext_lazy(
        "This report was saved after you opened this page, by someone else or by you in "
        "another tab. Nothing of yours has been saved yet, and what you typed is still in the "
        "form: compare it with the stored version, then save again to replace it with yours."
    )


def refuse_if_closed(assignment_id) -> None:
    """ValidationError when the assignment's plan is closed: its reports and their evidence no
    longer change. Read afresh inside the caller's transaction, whatever the page showed."""
    campaign = Campaign.objects.filter(items__tasks__assignments=assignment_id).first()
    reason = campaign and closed_reason(campaign)
    if reason:
        raise ValidationError(reason)


@transaction.atomic
def save_task(*, form, user):
    """Save a task form. Side effects: the task row and an audit line of what changed."""
    creating = form.instance.pk is None
    before = None if creating else {name: str(form.initial.get(name))
                                    for name in form.changed_data}
    task = form.save()
    if not creating and {"cadence", "deadline"} & set(form.changed_data):
        tallies.recount_assignments([task.item_id])
    record(actor=user, action="task.create" if creating else "task.edit", target=task,
           before=before,
           after={name: str(form.cleaned_data.get(name)) for name in form.changed_data})
    return task


@transaction.atomic
def save_assignment_terms(*, form, user):
    """Save a unit's own target/deadline. Side effects: the row and an audit line."""
    before = {name: str(form.initial.get(name)) for name in form.changed_data}
    assignment = form.save()
    if "deadline" in form.changed_data:
        tallies.recount_assignments([assignment.task.item_id])
    record(actor=user, action="assignment.terms", target=assignment, before=before,
           after={name: str(form.cleaned_data.get(name)) for name in form.changed_data})
    return assignment


@transaction.atomic
def assign(*, task, units, user) -> int:
    """Assign `task` to each of `units` not yet assigned. Returns how many were added."""
    existing = set(task.assignments.values_list("unit_id", flat=True))
    new = [Assignment(task=task, unit=unit) for unit in units if unit.pk not in existing]
    Assignment.objects.bulk_create(new)
    if new:
        tallies.recount_assignments([task.item_id])
        record(actor=user, action="task.assign", target=task,
               after={"units": sorted(a.unit_id for a in new)})
    return len(new)


def _event(report, *, user, action, from_status, comment=""):
    ReportEvent.objects.create(report=report, actor=user, action=action, from_status=from_status,
                               to_status=report.status, comment=comment,
                               values=report.snapshot())
    record(actor=user, action=f"report.{action}", target=report,
           before={"status": from_status} if from_status else None,
           after={**report.snapshot(), "comment": comment} if comment else report.snapshot())


@transaction.atomic
def save_report(*, assignment, period, data, user, report=None,
                expected_version=None) -> ProgressReport:
    """Create or update the draft (or returned) report of one period.

    Side effects: the report row (version bumped; ReportConflict if someone saved meanwhile),
    a history event and an audit line with the values before and after. Refused
    (ValidationError) once the plan is closed.
    """
    refuse_if_closed(assignment.pk)
    if report is None:
        report = ProgressReport(assignment=assignment, period=period.key, period_due=period.due)
        before = None
        counted = None
    else:
        stored = ProgressReport.objects.get(pk=report.pk)
        if not stored.is_editable:
            raise ValidationError(_("This report was submitted; it can no longer be changed."))
        before = stored.snapshot()
        counted = tallies.report_state(report.pk)
        if expected_version is None:
            raise ReportConflict  # a page that never showed this report: it was created since
        try:
            bump_version(report, expected_version)
        except StaleEdit:
            raise ReportConflict from None
    for field in ("value", "value_date", "narrative"):
        setattr(report, field, data.get(field))
    report.narrative = report.narrative or ""
    if report.pk is None:
        # Two people may open the empty report of one period together: the second save meets
        # the unique (assignment, period) constraint. That is a stale edit, not a server error;
        # the savepoint keeps the rest of the transaction usable.
        try:
            with transaction.atomic():
                report.save()
        except IntegrityError:
            raise ReportConflict from None
    else:
        report.save()
    tallies.count_report(counted, tallies.report_state(report.pk))
    ReportEvent.objects.create(report=report, actor=user, action=ReportAction.SAVED,
                               from_status=before["status"] if before else "",
                               to_status=report.status, values=report.snapshot())
    record(actor=user, action="report.saved", target=report, before=before,
           after=report.snapshot())
    return report


def _locked(report, expected_version):
    """The report row locked for this transaction, at the version the page showed, and what
    the tallies count of it now (see `_counted`)."""
    locked = ProgressReport.objects.select_for_update().get(pk=report.pk)
    if expected_version is not None and locked.version != expected_version:
        raise ReportConflict
    return locked, tallies.report_state(locked.pk)


def _counted(report, before):
    """Move the report's contribution to the tallies from `before` to what it is now."""
    tallies.count_report(before, replace(before, status=report.status, period_due=report.period_due,
                                       submitted_at=report.submitted_at))


@transaction.atomic
def submit(*, report, user, expected_version=None) -> ProgressReport:
    """Send a draft or returned report to the Office and the Union for review."""
    report, before = _locked(report, expected_version)
    refuse_if_closed(report.assignment_id)
    if not report.is_editable:
        raise ValidationError(_("Only a draft or returned report can be submitted."))
    if report.value is None and report.value_date is None:
        raise ValidationError(_("Enter the value reached before submitting."))
    was = report.status
    report.status = ReportStatus.SUBMITTED
    report.submitted_at = timezone.now()
    report.version += 1
    report.save()
    _counted(report, before)
    action = ReportAction.RESUBMITTED if was == ReportStatus.RETURNED else ReportAction.SUBMITTED
    _event(report, user=user, action=action, from_status=was)
    return report


@transaction.atomic
def return_report(*, report, user, reason, expected_version=None) -> ProgressReport:
    """Send a submitted report back to its unit with the reason."""
    report, before = _locked(report, expected_version)
    if report.status != ReportStatus.SUBMITTED:
        raise ValidationError(_("Only a submitted report can be returned."))
    if not reason.strip():
        raise ValidationError(_("Write why the report is returned, so the unit knows what to "
                                "fix."))
    report.status = ReportStatus.RETURNED
    report.return_reason = reason.strip()
    report.reviewed_at = timezone.now()
    report.reviewed_by = user
    report.version += 1
    report.save()
    _counted(report, before)
    _event(report, user=user, action=ReportAction.RETURNED, from_status=ReportStatus.SUBMITTED,
           comment=report.return_reason)
    return report


@transaction.atomic
def accept(*, report, user, comment="", expected_version=None) -> ProgressReport:
    """Accept a submitted report: it counts as reached, and changes only if reopened."""
    report, before = _locked(report, expected_version)
    if report.status != ReportStatus.SUBMITTED:
        raise ValidationError(_("Only a submitted report can be accepted."))
    report.status = ReportStatus.ACCEPTED
    report.reviewed_at = timezone.now()
    report.reviewed_by = user
    report.version += 1
    report.save()
    _counted(report, before)
    _event(report, user=user, action=ReportAction.ACCEPTED, from_status=ReportStatus.SUBMITTED,
           comment=comment.strip())
    return report


@transaction.atomic
def reopen(*, report, user, reason, expected_version=None) -> ProgressReport:
    """Reopen an accepted report for correction; the only way to change an accepted report.
    Not once the plan is closed: the unit could not correct it."""
    report, before = _locked(report, expected_version)
    refuse_if_closed(report.assignment_id)
    if report.status != ReportStatus.ACCEPTED:
        raise ValidationError(_("Only an accepted report can be reopened."))
    if not reason.strip():
        raise ValidationError(_("Write why the report is reopened."))
    report.status = ReportStatus.RETURNED
    report.return_reason = reason.strip()
    report.version += 1
    report.save()
    _counted(report, before)
    _event(report, user=user, action=ReportAction.REOPENED, from_status=ReportStatus.ACCEPTED,
           comment=report.return_reason)
    return report


@transaction.atomic
def add_report_evidence(*, report, checked, upload, user) -> Evidence:
    """Store an upload already checked by `uploads.check_evidence` under a random name."""
    refuse_if_closed(report.assignment_id)
    if not ProgressReport.objects.select_for_update().get(pk=report.pk).is_editable:
        raise ValidationError(_("Evidence can only be added while the report is a draft or "
                                "returned."))
    evidence = Evidence.from_checked(checked, upload=upload, user=user, report=report)
    try:
        evidence.save()
        ReportEvent.objects.create(report=report, actor=user,
                                   action=ReportAction.EVIDENCE_ADDED, from_status=report.status,
                                   to_status=report.status, comment=checked.name,
                                   values={"sha256": checked.sha256})
        record(actor=user, action="report.evidence_added", target=report,
               after={"file": checked.name, "size": checked.size, "sha256": checked.sha256})
    except Exception:
        # The rows roll back; the file must go too, so storage holds only what the database knows.
        evidence.file.delete(save=False)
        raise
    return evidence


@transaction.atomic
def remove_report_evidence(*, evidence, user) -> None:
    report = evidence.report
    refuse_if_closed(report.assignment_id)
    if not ProgressReport.objects.select_for_update().get(pk=report.pk).is_editable:
        raise ValidationError(_("Evidence of a submitted report cannot be removed."))
    name, sha = evidence.original_name, evidence.sha256
    stored = evidence.file
    evidence.delete()
    transaction.on_commit(lambda: stored.delete(save=False))
    ReportEvent.objects.create(report=report, actor=user, action=ReportAction.EVIDENCE_REMOVED,
                               from_status=report.status, to_status=report.status, comment=name,
                               values={"sha256": sha})
    record(actor=user, action="report.evidence_removed", target=report,
           before={"file": name, "sha256": sha})


@transaction.atomic
def accept_many(*, picked, user) -> dict[str, list]:
    """Accept each ticked report, given as (pk, version of the page it was ticked on), exactly
    as `accept` does one: the same history event, audit line and tallies each, all in one
    transaction. A report someone else handled since (status or version moved) is skipped;
    one this user accepted seconds ago (the same list sent twice) counts as accepted.

    Returns {"accepted": [...], "skipped": [...]} of reports.
    """
    found = ProgressReport.objects.select_related("assignment__unit").in_bulk(
        [pk for pk, _version in picked])
    outcome = {"accepted": [], "skipped": []}
    for pk, version in picked:
        report = found.get(pk)
        if report is None:
            continue  # gone, or never existed: nothing to say about it
        try:
            outcome["accepted"].append(accept(report=report, user=user,
                                              expected_version=version))
        except (StaleEdit, ValidationError):
            report.refresh_from_db()
            done = report.just_done_by(user, {ReportAction.ACCEPTED})
            outcome["accepted" if done else "skipped"].append(report)
    return outcome


@transaction.atomic
def save_page(*, assignment, period, user, report=None, data=None, expected_version=None,
              checked=None, upload=None, remove=None, submit_after=False):
    """One press of a button on the report page, all or nothing.

    In order: the typed `data` is saved if it differs from what is stored (ReportConflict if
    someone saved since the page was opened at `expected_version`; `data` None: the request
    carried no typed values), the checked `upload` is stored unless the same file is already
    there, the evidence `remove` is removed, and the report is submitted when `submit_after`.
    A refusal anywhere (a stale page, a closed plan, a report already submitted) rolls back
    all of it. Side effects: those of `save_report`, `add_report_evidence`,
    `remove_report_evidence` and `submit`.

    Returns the report and what was done: a set of "saved", "added", "duplicate", "removed",
    "submitted".
    """
    done = set()
    refuse_if_closed(assignment.pk)
    if report is None:
        report = save_report(assignment=assignment, period=period, data=data, user=user)
        done.add("saved")
    elif data is not None:
        stored = ProgressReport.objects.select_for_update().get(pk=report.pk)
        if not stored.is_editable:
            raise ValidationError(_("This report was submitted; it can no longer be changed."))
        if not stored.holds(data):
            report = save_report(assignment=assignment, period=period, data=data, user=user,
                                 report=report, expected_version=expected_version)
            done.add("saved")
        else:
            report.version = stored.version
    if upload is not None:
        if report.evidence.filter(sha256=checked.sha256).exists():
            done.add("duplicate")  # the same file twice (a double click) is kept once
        else:
            add_report_evidence(report=report, checked=checked, upload=upload, user=user)
            done.add("added")
    if remove is not None:
        remove_report_evidence(evidence=remove, user=user)
        done.add("removed")
    if submit_after:
        # What is on screen is what is stored now; without typed values the page's version
        # says whether the person saw the stored values.
        report = submit(report=report, user=user,
                        expected_version=expected_version if data is None else None)
        done.add("submitted")
    return report, done
