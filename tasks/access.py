"""Object helpers for tasks, built on the one policy in `units.access`."""

from django.shortcuts import get_object_or_404

from units.access import refuse, require, viewer_for

from .models import Assignment, Evidence, ProgressReport, Task


def can_review_reports(user) -> bool:
    """The Office together with the Union accepts or returns reports (plan, section III.1)."""
    return viewer_for(user).reviews


def can_report_for(user, unit_id) -> bool:
    """The unit's head, or a staff member the head delegated progress reporting to."""
    return viewer_for(user).reports_for(unit_id)


def can_edit_report(user, report) -> bool:
    """Its unit's reporter, while the report is a draft or returned and its plan still runs."""
    return (can_report_for(user, report.assignment.unit_id) and report.is_editable
            and not report.closed_reason)


def get_task_for(user, pk, *, manage=False) -> Task:
    """A task: readers of everything see it, unit heads only if their unit is assigned."""
    viewer = viewer_for(user)
    task = get_object_or_404(Task.objects.select_related("item__campaign", "lead_unit"), pk=pk)
    if not viewer.reads_everything and not task.assignments.filter(
        unit_id=viewer.unit_id
    ).exists():
        refuse(task)
    if manage:
        require(viewer.manages_campaigns, task)
    return task


def get_assignment_for(user, pk) -> Assignment:
    """An assignment of the user's own unit, or any for readers of everything (else 404)."""
    assignment = get_object_or_404(
        Assignment.objects.select_related("task__item__campaign", "unit"), pk=pk
    )
    if not viewer_for(user).can_see_unit(assignment.unit):
        refuse(assignment)
    return assignment


def get_report_for(user, pk, *, edit=False, review=False) -> ProgressReport:
    """A report the user may read; `edit` needs the head or a delegate, `review` a reviewer."""
    viewer = viewer_for(user)
    report = get_object_or_404(
        ProgressReport.objects.select_related("assignment__task__item__campaign",
                                              "assignment__unit"),
        pk=pk,
    )
    if not viewer.can_see_unit(report.assignment.unit):
        refuse(report)
    if edit:
        require(viewer.reports_for(report.assignment.unit_id), report)
    if review:
        require(viewer.reviews, report)
    return report


def get_evidence_for(user, pk) -> Evidence:
    evidence = get_object_or_404(Evidence.objects.select_related("report__assignment__unit"),
                                 pk=pk)
    if not viewer_for(user).can_see_unit(evidence.report.assignment.unit):
        refuse(evidence.report)
    return evidence
