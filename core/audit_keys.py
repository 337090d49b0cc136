"""How the lines the shared machinery records (refused access) read on the audit trail, and the
words every app's lines share: counts, files, reasons (core.audit.display)."""

from django.utils.translation import gettext_lazy as _

from .audit.display import explain, name_actions

ACTIONS = {
    "access.denied": _("Access refused"),
}


def register() -> None:
    name_actions(ACTIONS)
    # Refused access (core.audit.trail.AuditMiddleware); the browser is on sign-in lines too.
    explain("user_agent", _("Browser"))
    explain("path", _("Address of the page"))
    explain("method", _("Request method"))
    explain("status", _("Answer"), action="access.denied",
            choices={403: _("403 – not allowed"), 404: _("404 – not found")})
    # Words every app's lines use.
    explain("file", _("File"))
    explain("size", _("Size (bytes)"))
    explain("sha256", _("Checksum (SHA-256)"))
    explain("reason", _("Reason"))
    explain("comment", _("Comment"))
    explain("summary", _("Summary"))
    explain("year", _("Year"))
    explain("note", _("Note"))
    explain("rows", _("Rows in the file"))
    explain("added", _("Added"))
    explain("created", _("Added"))
    explain("changed", _("Changed"))
    explain("updated", _("Changed"))
    explain("deleted", _("Deleted"))
    explain("unchanged", _("Unchanged"))
    explain("skipped", _("Left out"))
