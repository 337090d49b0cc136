"""Storing and removing a department's own Word template (audited, all or nothing)."""

from django.core.files.base import ContentFile
from django.db import transaction

from core.audit.trail import record

from .models import WordTemplate


@transaction.atomic
def save_word_template(*, kind: str, content: bytes, name: str, user) -> WordTemplate:
    """Replaces the template of `kind` (the form checked it renders)."""
    template = WordTemplate.objects.select_for_update().filter(kind=kind).first()
    before = {"file": template.original_name} if template else None
    old_file = template.file.name if template else None
    if template is None:
        template = WordTemplate(kind=kind)
    template.original_name = name[:200]
    template.uploaded_by = user
    template.file.save(f"{kind}.docx", ContentFile(content), save=False)
    template.save()
    record(actor=user, action="word_template.upload", target=template, before=before,
           after={"kind": kind, "file": template.original_name})
    if old_file and old_file != template.file.name:
        storage = template.file.storage
        transaction.on_commit(lambda: storage.delete(old_file))
    return template


@transaction.atomic
def remove_word_template(*, kind: str, user) -> bool:
    """Back to the built-in layout for `kind`; False when there was no template."""
    template = WordTemplate.objects.select_for_update().filter(kind=kind).first()
    if template is None:
        return False
    record(actor=user, action="word_template.remove", target=template,
           before={"kind": kind, "file": template.original_name})
    name, storage = template.file.name, template.file.storage
    template.delete()
    transaction.on_commit(lambda: storage.delete(name))
    return True
