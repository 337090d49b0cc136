"""What the two kinds of dossier share: the Department's dossiers sent upward
(services_dossier.py) and a unit's list sent to the Department (services_unit_dossier.py) store
their uploads and name what is missing the same way."""

from django.db import transaction
from django.utils.translation import gettext as _

# How many missing items a refused send names before "and N more".
SHOWN_MISSING = 5


def missing_text(missing: list[str]) -> str:
    shown = "; ".join(missing[:SHOWN_MISSING])
    more = len(missing) - SHOWN_MISSING
    if more > 0:
        shown += " " + _("(and %(count)s more)") % {"count": more}
    return shown


def store(cls, *, checked, upload, user, replaced=(), audit, **fields):
    """Save an upload checked by `core.uploads.check_evidence` as a `cls` row, remove the rows
    it replaces and write its audit line (`audit(stored)`), inside the caller's transaction.
    Storage holds only what the database knows: the new file goes if anything fails, the old
    ones only once the transaction commits."""
    stored = cls.from_checked(checked, upload=upload, user=user, **fields)
    try:
        stored.save()
        for old in replaced:
            discard(old)
        audit(stored)
    except Exception:
        stored.file.delete(save=False)
        raise
    return stored


def discard(attachment) -> None:
    """Delete an attachment's row now and its file when the transaction commits."""
    file = attachment.file
    attachment.delete()
    transaction.on_commit(lambda: file.delete(save=False))
