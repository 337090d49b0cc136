"""The stale-edit guard: edits from a page opened before someone else saved the same record are
refused, never overwritten (optimistic locking on a `version` field).

A service calls `bump_version` inside its transaction and lets StaleEdit (or a subclass) roll
it back; the view shows the page again with `keep_typing`, so nothing typed is lost.
"""

from django.utils.translation import gettext_lazy


class StaleEdit(Exception):
    """Someone else saved the same record after this page was opened."""

    message = gettext_lazy(
        "Someone else saved this record after you opened the page. Your changes were not "
        "saved: reload the page, check their changes and enter yours again."
    )


def bump_version(obj, expected_version: int) -> None:
    """Claim the next version of `obj`, or raise StaleEdit when another save got there first.

    A conditional UPDATE is atomic on every database, so two saves from pages opened at the same
    version cannot both succeed. Every app's optimistic locking goes through here.
    """
    updated = type(obj).objects.filter(pk=obj.pk, version=expected_version).update(
        version=expected_version + 1
    )
    if not updated:
        raise StaleEdit
    obj.version = expected_version + 1


def keep_typing(form, version, field="version"):
    """A form refused because the record changed meanwhile, as the person typed it, now
    carrying the record's current version: the page shows the record as it stands with the
    typing still in place, and sending it again applies to what is shown."""
    data = form.data.copy()
    data[field] = version
    form.data = data
    return form
