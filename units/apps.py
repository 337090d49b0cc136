from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class UnitsConfig(AppConfig):
    name = "units"
    verbose_name = _("Organisation")

    def ready(self):
        from . import accounts

        accounts.connect_signals()
        from . import signals  # connects the sign-in receivers

        signals.connect_axes()
