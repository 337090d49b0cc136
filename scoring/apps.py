from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScoringConfig(AppConfig):
    name = "scoring"
    verbose_name = _("Scoring")

    def ready(self):
        from . import audit_keys, jobs, recompute  # noqa: F401  (recompute connects its receiver)

        audit_keys.register()  # how its lines read on the audit trail
        jobs.register()  # the ranking workbook, for the background worker
