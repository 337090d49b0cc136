"""How the keys the tasks' and reports' lines record read on the audit trail
(core.audit.display)."""

from django.utils.translation import gettext_lazy as _

from core.audit.display import Key, explain, name_actions, name_objects

TERMS = Key("", fields_of="tasks.Assignment")  # a unit's own target and deadline


# What the trail's page calls each action this app records.
ACTIONS = {
    "task.create": _("Task created"),
    "task.edit": _("Task edited"),
    "task.assign": _("Task assigned to units"),
    "task.import": _("Assignments imported from Excel"),
    "assignment.terms": _("Target or deadline of an assignment changed"),
    "report.saved": _("Progress report saved"),
    "report.submitted": _("Progress report submitted"),
    "report.resubmitted": _("Progress report resubmitted"),
    "report.returned": _("Progress report returned"),
    "report.accepted": _("Progress report accepted"),
    "report.reopened": _("Progress report reopened"),
    "report.evidence_added": _("Evidence added to a report"),
    "report.evidence_removed": _("Evidence removed from a report"),
}


def register() -> None:
    name_actions(ACTIONS)
    explain("task", _("Task"), model="tasks.Task")
    explain("assignments", _("Assignments changed"), model="tasks.Assignment", each=TERMS)
    explain("new", _("Assignments added"), each=TERMS)
    explain("target_value", _("Target"))
    explain("target", _("Target"))  # the import's name for a unit's own target
    explain("deadline", _("Deadline"))
    name_objects("tasks.Task", "title")
    name_objects("tasks.Assignment", "task__title", "unit__name")
    name_objects("tasks.ProgressReport", "assignment__task__title", "assignment__unit__name",
                 "period")
