from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AwardsConfig(AppConfig):
    name = "awards"
    verbose_name = _("Awards and commendation")

    def ready(self):
        from units.documents import document_made

        from .services_documents import keep_made

        # Every download the other apps make is kept in its person's "My documents".
        document_made.connect(keep_made, dispatch_uid="awards.keep_made")
        # The other apps' heavy exports (core.jobs) go to this app's worker and status page.
        from core import jobs

        from .services_documents import queue_job

        jobs.install_queue(queue_job)
        from . import registration_jobs

        registration_jobs.register()  # the year's registrations workbook
        from . import audit_keys

        audit_keys.register()  # how its lines read on the audit trail
        from core import word_templates

        from .documents import word

        # The department's Word templates are stored here; the other apps read them through
        # core (core/word_templates.py says why).
        word_templates.set_source(word.stored)
