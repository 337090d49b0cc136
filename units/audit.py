"""Recording sensitive changes into the audit trail."""

from django.contrib.contenttypes.models import ContentType

from .models import AuditEntry


def record(*, actor, action: str, target=None, before=None, after=None) -> AuditEntry:
    """Append one audit line. Call it inside the same transaction as the change it records."""
    entry = AuditEntry(actor=actor if actor and actor.is_authenticated else None, action=action,
                       before=before, after=after)
    if target is not None:
        entry.content_type = ContentType.objects.get_for_model(target)
        entry.object_id = str(target.pk)
        entry.object_repr = str(target)[:300]
    entry.save()
    return entry
