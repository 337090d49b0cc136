"""Who may see and change what: the one place that decides it.

The `Viewer` (built once per request from the signed-in user) holds the roles and the policies
drawn from them. Views never read it themselves: they call the `get_*_for` helpers, which return
the object or raise 404/403, the named predicates (`can_*`), and the QuerySets' `visible_to`,
here and in each later app's access.py, built on top of `Viewer`, so the rules stay here.
Templates show the permissions the view decided (a `can` dict); the navigation asks `nav_for`.
"""

from dataclasses import dataclass

from django.shortcuts import get_object_or_404

from core.audit.trail import Forbidden, Refused

from .models import Initiative, Role, StaffMember, Unit, Violation

READ_ALL_ROLES = {Role.DIRECTOR, Role.DEPUTY_DIRECTOR, Role.OFFICE, Role.UNION, Role.ADMIN}


@dataclass(frozen=True)
class Viewer:
    user: object
    staff: StaffMember | None

    @property
    def role(self) -> str | None:
        if self.user.is_superuser:
            return Role.ADMIN
        return self.staff.role if self.staff else None

    @property
    def unit_id(self) -> int | None:
        return self.staff.unit_id if self.staff else None

    @property
    def role_label(self) -> str:
        return Role(self.role).label if self.role else ""

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN

    @property
    def is_director(self) -> bool:
        return self.role in (Role.DIRECTOR, Role.DEPUTY_DIRECTOR)

    @property
    def is_office(self) -> bool:
        return self.role == Role.OFFICE

    @property
    def is_unit_head(self) -> bool:
        return self.role == Role.UNIT_HEAD

    @property
    def reads_everything(self) -> bool:
        """Directors, the Office, the Union and administrators read every unit's work."""
        return self.role in READ_ALL_ROLES

    @property
    def reviews(self) -> bool:
        """The Office together with the Union monitors and reviews (plan, section III.1)."""
        return self.role in (Role.OFFICE, Role.UNION, Role.ADMIN)

    @property
    def manages_organisation(self) -> bool:
        """The Office and administrators keep the organisation and its staff (issue 15)."""
        return self.role in (Role.OFFICE, Role.ADMIN)

    @property
    def keeps_registers(self) -> bool:
        """The Office, the Union and administrators record initiatives and violations."""
        return self.role in (Role.OFFICE, Role.UNION, Role.ADMIN)

    @property
    def signs(self) -> bool:
        """Directors sign: they lock the results and approve commendation lists (and
        administrators may step in)."""
        return self.is_director or self.is_admin

    @property
    def reads_audit_trail(self) -> bool:
        """Directors and administrators search the audit trail (Nhật ký hệ thống)."""
        return self.is_director or self.is_admin

    @property
    def sees_legal_notes(self) -> bool:
        """The law kept as data carries drafting notes — each figure's source, "to be checked"
        on figures not yet confirmed against the documents. They are for the administrators
        who correct them in the admin; everyone else reads the rules as they apply."""
        return self.is_admin

    @property
    def manages_campaigns(self) -> bool:
        return self.role in (Role.OFFICE, Role.ADMIN)

    @property
    def sees_drafts(self) -> bool:
        return self.manages_campaigns or self.is_director

    def reviews_eligibility(self, unit_id) -> bool:
        """Who meets an award's conditions cites colleagues' ratings and discipline: for the
        unit's head and readers of everything, never for staff."""
        return self.reads_everything or self.heads(unit_id)

    def can_see_unit(self, unit: Unit) -> bool:
        return self.reads_everything or unit.pk == self.unit_id

    def heads(self, unit_id: int) -> bool:
        """True for the head of that unit, who acts on the unit's behalf."""
        return self.is_unit_head and unit_id == self.unit_id

    def reports_for(self, unit_id: int) -> bool:
        """The head, or a staff member the head has delegated progress reporting to."""
        if self.heads(unit_id):
            return True
        return bool(self.staff and self.staff.reports_for_unit and self.unit_id == unit_id)


def viewer_for(user) -> Viewer:
    """The Viewer for a user, cached on the user object for the rest of the request."""
    cached = getattr(user, "_viewer", None)
    if cached is not None:
        return cached
    staff = None
    if user.is_authenticated:
        staff = StaffMember.objects.filter(user=user, is_active=True).select_related("unit").first()
    viewer = Viewer(user=user, staff=staff)
    user._viewer = viewer
    return viewer


def can_manage_accounts(user) -> bool:
    """Administrators create, invite, unlock and deactivate accounts (Tài khoản)."""
    return viewer_for(user).is_admin


def account_role_label(account) -> str:
    """The role an account has in the portal, as the accounts page shows it."""
    staff = getattr(account, "staff_member", None)
    return Viewer(user=account, staff=staff if staff and staff.is_active else None).role_label


def get_account_for(user, pk):
    """An account the administrator manages, or 403 for anyone else, 404 if none."""
    from django.contrib.auth import get_user_model

    require(can_manage_accounts(user))
    return get_object_or_404(get_user_model(), pk=pk)


def can_view_every_unit(user) -> bool:
    """The province-wide pages (review queue, dashboards, exports): readers of everything."""
    return viewer_for(user).reads_everything


def can_view_unit(user, unit) -> bool:
    return viewer_for(user).can_see_unit(unit)


def can_keep_registers(user) -> bool:
    return viewer_for(user).keeps_registers


def can_read_audit_trail(user) -> bool:
    return viewer_for(user).reads_audit_trail


def can_read_legal_notes(user) -> bool:
    return viewer_for(user).sees_legal_notes


def can_manage_organisation(user) -> bool:
    """Create, rename, move, deactivate and merge units; add, edit, transfer and deactivate
    staff: the Office and administrators."""
    return viewer_for(user).manages_organisation


def get_unit_to_manage_for(user, pk) -> Unit:
    """A unit (active or not) whose organisation or staff the user changes: 403 for anyone else
    (the structure is public inside the portal, so the unit's existence is no secret)."""
    unit = get_object_or_404(Unit.objects.select_related("parent", "merged_into"), pk=pk)
    require(viewer_for(user).manages_organisation, unit)
    return unit


def get_staff_to_manage_for(user, pk) -> StaffMember:
    """A staff member (active or not) the user edits, transfers or deactivates: readers of their
    unit who may not manage get 403; others 404."""
    person = get_object_or_404(StaffMember.objects.select_related("unit"), pk=pk)
    viewer = viewer_for(user)
    if not viewer.can_see_unit(person.unit):
        refuse(person)
    require(viewer.manages_organisation, person)
    return person


def can_delegate_reporting(user, unit_id) -> bool:
    """The head of the unit lets its staff report progress (or stops them)."""
    return viewer_for(user).heads(unit_id)


def own_unit_id(user) -> int | None:
    """The unit the user belongs to (their "my unit" pages), None without one."""
    return viewer_for(user).unit_id


def headed_unit_id(user) -> int | None:
    """The unit the user heads, None for anyone but a unit head."""
    viewer = viewer_for(user)
    return viewer.unit_id if viewer.is_unit_head else None


def has_role(user) -> bool:
    """False for a signed-in account not (or no longer) linked to an active staff member."""
    return viewer_for(user).role is not None


def nav_for(user) -> dict:
    """What the navigation offers (base.html, and an app's tabs such as scoring/_nav.html),
    decided here as for any page: the province-wide pages, "my unit"'s, the audit trail."""
    viewer = viewer_for(user)
    return {
        "every_unit": viewer.reads_everything, "own_unit_id": viewer.unit_id,
        "awards": bool(viewer.unit_id) or viewer.reads_everything,
        "audit_trail": viewer.reads_audit_trail, "admin": bool(user.is_staff),
        "accounts": viewer.is_admin,
        # Both open on the person's own unit (awards/_tabs.html).
        "ratings": bool(viewer.unit_id),
        "eligibility": bool(viewer.unit_id) and viewer.reviews_eligibility(viewer.unit_id),
        "identity": viewer.is_admin,
        # Awards outside the annual cycle (awards.access.can_view_specials).
        "specials": viewer.reads_everything or viewer.is_unit_head,
        # Bonus money and the reward fund (awards.access.can_view_bonus, can_view_fund).
        "bonus": viewer.reads_everything or viewer.is_unit_head,
        "fund": viewer.reads_everything,
        # The statistics forms of Circular 02/2023 (awards.access.can_view_statistics).
        "statistics": viewer.reads_everything,
        # Dossiers sent upward (awards.access.can_view_dossiers).
        "dossiers": viewer.reads_everything or viewer.is_unit_head,
        # The register of outgoing documents (awards.access.can_read_register).
        "register": viewer.is_office or viewer.signs,
    }


def get_unit_for(user, pk) -> Unit:
    """A unit whose details (staff list) the user may read; others' units are 404."""
    unit = get_object_or_404(Unit, pk=pk)
    if not viewer_for(user).can_see_unit(unit):
        # 404, not 403: a unit head must not learn more about units that are not theirs.
        refuse(unit)
    return unit


def get_staff_member_for(user, pk, *, delegate=False) -> StaffMember:
    """An active staff member of a unit the user may read (404 otherwise); `delegate` needs the
    unit's head, and never applies to the head themselves."""
    person = get_object_or_404(StaffMember.objects.select_related("unit"), pk=pk, is_active=True)
    viewer = viewer_for(user)
    if not viewer.can_see_unit(person.unit):
        refuse(person)
    if delegate:
        require(viewer.heads(person.unit_id) and person.role != Role.UNIT_HEAD, person)
    return person


def register_rows_for(user, rows):
    """The rows of a register (initiatives or violations) the user may read.

    Readers of everything see every unit's rows; anyone else only their own unit's, and someone
    without a unit none at all.
    """
    viewer = viewer_for(user)
    if viewer.reads_everything:
        return rows
    if viewer.unit_id is None:
        return rows.none()
    return rows.filter(unit_id=viewer.unit_id)


def get_initiative_for(user, pk, *, edit=False) -> Initiative:
    """An initiative the user may read (another unit's is 404); 403 if `edit` and they may not."""
    return _register_row(user, Initiative.objects.select_related("unit"), pk, edit=edit)


def get_violation_for(user, pk, *, edit=False) -> Violation:
    """A violation the user may read (another unit's is 404); 403 if `edit` and they may not."""
    return _register_row(user, Violation.objects.select_related("unit", "staff"), pk, edit=edit)


def _register_row(user, rows, pk, *, edit):
    viewer = viewer_for(user)
    row = get_object_or_404(rows, pk=pk)
    if not viewer.can_see_unit(row.unit):
        refuse(row)
    if edit:
        require(viewer.keeps_registers, row)
    return row


def require(condition: bool, target=None) -> None:
    """Raise 403 unless condition holds; for actions on objects the user may already see.
    The refusal is recorded in the audit trail, naming `target` when given."""
    if not condition:
        raise Forbidden(target)


def refuse(target):
    """Answer 404 for an object that exists but is not the viewer's, as for a missing page, and
    record the refused access with the object (see `core.audit.trail.AuditMiddleware`)."""
    raise Refused(target)



def can_edit_identity(user) -> bool:
    """The department's identity (name, letterhead, signers, logo) is the administrator's."""
    return viewer_for(user).is_admin
