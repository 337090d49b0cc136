"""How the keys the tasks' and reports' lines record read on the audit trail
(units.audit_display)."""

from django.utils.translation import gettext_lazy as _

from units.audit_display import Key, explain, name_objects

TERMS = Key("", fields_of="tasks.Assignment")  # a unit's own target and deadline


def register() -> None:
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
