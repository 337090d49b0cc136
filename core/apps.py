from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """Machinery every app shares (reading and writing numbers and dates the Vietnamese way).

    It sits left of `units` in the plan's flow: it imports none of the portal's apps.
    """

    name = "core"
    verbose_name = _("Shared machinery")
