"""How the keys the organisation's lines record read on the audit trail (units.audit_display),
and the words every app's lines share: counts, files, reasons."""

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .audit_display import explain, name_objects


def register() -> None:
    # Sign-in, refused access, accounts.
    explain("user_agent", _("Browser"))
    explain("username", _("Username"))
    explain("ip_address", _("IP address"))
    explain("path", _("Address of the page"))
    explain("method", _("Request method"))
    explain("status", _("Answer"), action="access.denied",
            choices={403: _("403 – not allowed"), 404: _("404 – not found")})
    explain("failures", _("Failed sign-ins"))
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
    explain("unit", _("Unit"), model="units.Unit")
    explain("units", _("Units"), model="units.Unit")
    explain("staff", _("Staff member"), model="units.StaffMember")
    name_objects("units.Unit", "name")
    name_objects("units.StaffMember", "full_name")
    # A person by the name people know, then the account: "Ngô Thị Ánh (ht.hungvuong)".
    name_objects(settings.AUTH_USER_MODEL, "staff_member__full_name", "username",
                 shown=lambda name, username: f"{name} ({username})" if name else username)
