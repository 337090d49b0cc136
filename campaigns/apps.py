from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CampaignsConfig(AppConfig):
    name = "campaigns"
    verbose_name = _("Emulation campaigns")

    def ready(self):
        from . import audit_keys

        audit_keys.register()  # how its lines read on the audit trail
        from . import word

        word.register()  # the plan may have the department's own Word template
