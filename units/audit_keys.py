"""How the organisation's lines (sign-in, accounts, registers) read on the audit trail
(core.audit.display)."""

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from core.audit.display import explain, name_actions, name_objects

# What the trail's page calls each action this app records.
ACTIONS = {
    # Signing in and out.
    "auth.login": _("Signed in"),
    "auth.login_failed": _("Failed sign-in"),
    "auth.logout": _("Signed out"),
    "auth.locked_out": _("Account locked after failed sign-ins"),
    "auth.password_reset_requested": _("Password reset requested by e-mail"),
    "auth.password_reset": _("Password reset from an e-mailed link"),
    # Accounts (units/admin.py).
    "password_set_by_admin": _("Password set by an administrator"),
    "login_unlock": _("Sign-in lockout lifted"),
    "account.create": _("Account created"),
    "account.invite": _("Invitation to choose a password"),
    "account.deactivate": _("Account deactivated"),
    # Organisation and registers.
    "staff.reporting_delegation": _("Progress reporting delegated or withdrawn"),
    "initiative.create": _("Initiative recorded"),
    "initiative.edit": _("Initiative edited"),
    "violation.create": _("Violation recorded"),
    "violation.edit": _("Violation edited"),
    # The department's identity (units/views/identity.py).
    "department.create": _("Department identity entered"),
    "department.edit": _("Department identity changed"),
    "department_earlier.create": _("Earlier name of the department entered"),
    "department_earlier.edit": _("Earlier name of the department changed"),
    "department_earlier.remove": _("Earlier name of the department removed"),
    # Changes of the organisation and its people (units/organisation.py).
    "unit.create": _("Unit created"),
    "unit.rename": _("Unit renamed"),
    "unit.move": _("Unit moved under another unit"),
    "unit.deactivate": _("Unit deactivated"),
    "unit.merge": _("Unit merged into another unit"),
    "unit.edit": _("Unit edited"),
    "unit.import": _("Units imported from Excel"),
    "staff.create": _("Staff member added"),
    "staff.edit": _("Staff member edited"),
    "staff.transfer": _("Staff member transferred"),
    "staff.deactivate": _("Staff member deactivated"),
    "staff.import": _("Staff imported from Excel"),
    # The register of outgoing documents (units/services_outgoing.py).
    "outgoing.register": _("Outgoing document registered"),
    "outgoing.cancel": _("Outgoing document's number cancelled"),
}


def register() -> None:
    name_actions(ACTIONS)
    # Sign-in and accounts.
    explain("username", _("Username"))
    explain("username_length", _("Username length"))
    explain("email", _("E-mail address"))
    explain("accounts", _("Accounts with this address"))
    explain("shown_on_screen", _("Link shown on screen"))
    explain("is_active", _("Active"))
    explain("role", _("Role"))
    explain("ip_address", _("IP address"))
    explain("failures", _("Failed sign-ins"))
    explain("unit", _("Unit"), model="units.Unit")
    explain("units", _("Units"), model="units.Unit")
    explain("staff", _("Staff member"), model="units.StaffMember")
    explain("effective_on", _("Date of effect"))
    explain("added", _("People added"), action="staff.import")
    explain("added", _("Units added"), action="unit.import")
    explain("updated", _("Units updated"), action="unit.import")
    explain("updated", _("People updated"), action="staff.import")
    explain("transferred", _("People transferred"), action="staff.import")
    explain("staff", _("People"), model="units.StaffMember", action="staff.import")
    explain("staff", _("Staff transferred"), model="units.StaffMember", action="unit.merge")
    explain("demoted", _("No longer unit head or reporting for the unit"),
            model="units.StaffMember", action="unit.merge")
    for key, label in (("number", _("Number and symbol")), ("kind", _("Kind of document")),
                       ("issued_on", _("Date of the document")), ("subject", _("Subject")),
                       ("typed", _("Number typed")), ("state", _("State")),
                       ("reason", _("Reason for cancelling"))):
        explain(key, label, action=("outgoing.cancel" if key in ("state", "reason")
                                    else "outgoing.register"))
    name_objects("units.Unit", "name")
    name_objects("units.StaffMember", "full_name")
    # A person by the name people know, then the account: "Ngô Thị Ánh (ht.hungvuong)".
    name_objects(settings.AUTH_USER_MODEL, "staff_member__full_name", "username",
                 shown=lambda name, username: f"{name} ({username})" if name else username)
