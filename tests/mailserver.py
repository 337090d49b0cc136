"""A stand-in for a real mail server in tests: Django's memory backend under another name, so
the portal treats it as configured (units.invitations.mail_configured) while tests read
django.core.mail.outbox."""

from django.core.mail.backends.locmem import EmailBackend as MemoryBackend


class EmailBackend(MemoryBackend):
    pass
