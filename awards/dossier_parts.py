"""What the two kinds of dossier share: the Department's dossiers sent upward
(services_dossier.py) and a unit's list sent to the Department (services_unit_dossier.py) store
their uploads and name what is missing the same way."""

from django.db import transaction
from django.http import HttpResponse
from django.utils.translation import gettext as _

from core.audit.trail import record

# How many missing items a refused send names before "and N more".
SHOWN_MISSING = 5


def missing_text(missing: list[str]) -> str:
    shown = "; ".join(missing[:SHOWN_MISSING])
    more = len(missing) - SHOWN_MISSING
    if more > 0:
        shown += " " + _("(and %(count)s more)") % {"count": more}
    return shown


def store(cls, *, checked, upload, user, replaced=(), action, target, part, nominee_id,
          **fields):
    """Save an upload checked by `core.uploads.check_evidence` as a `cls` row (a part of
    `target`, a nominee's when `nominee_id`), remove the rows it replaces and write the audit
    line `action`, inside the caller's transaction. Storage holds only what the database knows:
    the new file goes if anything fails, the old ones only once the transaction commits."""
    stored = cls.from_checked(checked, upload=upload, user=user, part=part,
                              nominee_id=nominee_id, **fields)
    try:
        stored.save()
        for old in replaced:
            _discard(old)
        record(actor=user, action=action, target=target,
               before={"files": [old.original_name for old in replaced]} if replaced else None,
               after={"part": part, "nominee": nominee_id, "file": checked.name,
                      "sha256": checked.sha256})
    except Exception:
        stored.file.delete(save=False)
        raise
    return stored


def remove(attachment, *, user, action, target) -> None:
    """Delete an uploaded part (its audit line `action` on `target`); the file goes when the
    transaction commits."""
    record(actor=user, action=action, target=target,
           before={"part": attachment.part, "nominee": attachment.nominee_id,
                   "file": attachment.original_name})
    _discard(attachment)


def _discard(attachment) -> None:
    file = attachment.file
    attachment.delete()
    transaction.on_commit(lambda: file.delete(save=False))


def zip_download(content: bytes, name: str) -> HttpResponse:
    """A whole dossier, built in the request, as a download."""
    response = HttpResponse(content, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
