from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TasksConfig(AppConfig):
    name = "tasks"
    verbose_name = _("Tasks and progress")

    def ready(self):
        from . import audit_keys, jobs

        audit_keys.register()  # how its lines read on the audit trail
        jobs.register()  # the progress export, for the background worker
