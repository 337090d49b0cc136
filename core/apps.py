from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """Machinery every app shares: numbers and dates the Vietnamese way, the audit trail's
    recording and reading, backups, spreadsheets, charts, upload checks.

    It sits left of `units` in the plan's flow: it imports none of the portal's apps.
    """

    name = "core"
    verbose_name = _("Shared machinery")

    def ready(self):
        from . import audit_keys

        audit_keys.register()  # how its lines (refused access) read on the audit trail
