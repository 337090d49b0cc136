from django import forms
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# Django's Vietnamese catalogue leaves this message untranslated, so a tampered multiple choice
# (an initiative's authors, a task's units, a duty's units) was answered in English. Set here,
# when the app registry loads its configs: before any form class (the admin's included) is
# built, since a field copies the messages of its class when it is created.
forms.ModelMultipleChoiceField.default_error_messages = {
    **forms.ModelMultipleChoiceField.default_error_messages,
    "invalid_pk_value": _("“%(pk)s” is not one of the choices."),
}


class UnitsConfig(AppConfig):
    name = "units"
    verbose_name = _("Organisation")

    def ready(self):
        from django.db.backends.signals import connection_created

        from .collation import register_sqlite_collation

        # Every SQLite connection, opened later by any thread, learns the Vietnamese collation.
        connection_created.connect(register_sqlite_collation,
                                   dispatch_uid="units.vietnamese_collation")
        from . import accounts

        accounts.connect_signals()
        from . import signals  # connects the sign-in receivers

        signals.connect_axes()
        from . import audit_keys

        audit_keys.register()
        from . import jobs

        jobs.register()  # the audit trail's workbook, for the background worker
        from . import identity  # noqa: F401  (forgets the kept identity when it is saved)
