"""Changes of the organisation and of its people: create, rename, move, deactivate and merge
units; transfer and deactivate staff.

Every change has a day of effect and leaves history as it was: tasks, reports, scores, ratings,
nominations and awards keep pointing at the unit they were made for, and a person's past unit is
read from their transfers (StaffMemberQuerySet.with_unit_on). Each function runs in one
transaction, writes a UnitChange row (the unit's own history, by day of effect) or a
StaffTransfer row, and an audit line (core.audit.trail.record; labels in units/audit_keys.py).
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core.audit.trail import record

from .models import Role, StaffMember, StaffTransfer, Unit, UnitChange, UnitChangeKind


def _change(*, unit, kind, on, user, before, after, note="") -> UnitChange:
    change = UnitChange.objects.create(unit=unit, kind=kind, effective_on=on, before=before,
                                       after=after, note=note, recorded_by=user)
    record(actor=user, action=f"unit.{kind}", target=unit, unit=unit,
           before=before or None, after={**after, "effective_on": on.isoformat()})
    return change


def _check_parent(unit: Unit | None, parent: Unit) -> None:
    if not parent.is_active or parent.is_merged:
        raise ValidationError(_("“%(parent)s” is no longer active: choose an active unit as "
                                "the parent.") % {"parent": parent})
    if unit is not None and (parent.pk == unit.pk or parent.pk in unit.descendant_ids()):
        raise ValidationError(_("“%(unit)s” cannot be placed under itself or under one of its "
                                "own units: choose another parent.") % {"unit": unit})


@transaction.atomic
def create_unit(*, user, name: str, code: str, kind: str, parent: Unit, on: datetime.date,
                short_name: str = "", note: str = "") -> Unit:
    """A new unit under `parent`. Side effects: the unit, a UnitChange, an audit line."""
    _check_parent(None, parent)
    unit = Unit.objects.create(name=name, short_name=short_name, code=code, kind=kind,
                               parent=parent)
    _change(unit=unit, kind=UnitChangeKind.CREATE, on=on, user=user, before={},
            after={"name": name, "code": code, "kind": kind, "parent": parent.pk}, note=note)
    return unit


@transaction.atomic
def rename_unit(*, unit: Unit, user, name: str, short_name: str, on: datetime.date,
                note: str = "") -> Unit:
    """A new name from `on`. Documents already issued keep the name they were issued with
    (they are stored); the unit's history lists the old name with its dates."""
    before = {"name": unit.name, "short_name": unit.short_name}
    after = {"name": name, "short_name": short_name}
    if before == after:
        return unit
    unit.name, unit.short_name = name, short_name
    unit.save(update_fields=["name", "short_name"])
    _change(unit=unit, kind=UnitChangeKind.RENAME, on=on, user=user, before=before, after=after,
            note=note)
    return unit


@transaction.atomic
def move_unit(*, unit: Unit, user, parent: Unit, on: datetime.date, note: str = "") -> Unit:
    """Place the unit under another parent from `on`; refused under itself or its own units."""
    if unit.parent_id == parent.pk:
        return unit
    _check_parent(unit, parent)
    before = {"parent": unit.parent_id}
    unit.parent = parent
    unit.save(update_fields=["parent"])
    _change(unit=unit, kind=UnitChangeKind.MOVE, on=on, user=user, before=before,
            after={"parent": parent.pk}, note=note)
    return unit


@transaction.atomic
def deactivate_unit(*, unit: Unit, user, on: datetime.date, note: str = "") -> Unit:
    """The unit stops receiving work from `on`; its history stays. Refused while it still has
    active staff or active units under it (transfer or merge them first)."""
    if not unit.is_active:
        raise ValidationError(_("“%(unit)s” is already inactive.") % {"unit": unit})
    if unit.parent_id is None:
        raise ValidationError(_("The department itself cannot be deactivated."))
    if unit.staff.active().exists():
        raise ValidationError(_("“%(unit)s” still has active staff: transfer or deactivate them "
                                "first, or merge the unit into another.") % {"unit": unit})
    if unit.children.filter(is_active=True).exists():
        raise ValidationError(_("“%(unit)s” still has active units under it: move or deactivate "
                                "them first.") % {"unit": unit})
    unit.is_active, unit.inactive_since = False, on
    unit.save(update_fields=["is_active", "inactive_since"])
    _change(unit=unit, kind=UnitChangeKind.DEACTIVATE, on=on, user=user,
            before={"is_active": True}, after={"is_active": False}, note=note)
    return unit


@transaction.atomic
def merge_unit(*, unit: Unit, into: Unit, user, on: datetime.date, note: str = "") -> Unit:
    """Merge `unit` (A) into `into` (B) from `on`.

    Side effects: A's active staff are transferred to B on `on` (a StaffTransfer each); A's
    head becomes ordinary staff of B: their account still signs in and sees B as B's staff do,
    but heads nothing (B has its own head; A takes no new work) until someone names them head
    of B; a staff member A's head had let report for A reports for nobody. The audit line
    names the people who lost those rights ("demoted"). A's active units are moved under B;
    A becomes inactive and "merged into B" and receives no new assignments
    (UnitQuerySet.assignable).
    Nothing of A's past is touched: its tasks, reports, scores, ratings, nominations and awards
    keep pointing at A. Refused into itself, into one of its own units, into an inactive or
    merged unit, and for the department itself.
    """
    if unit.parent_id is None:
        raise ValidationError(_("The department itself cannot be merged into another unit."))
    if into.pk == unit.pk:
        raise ValidationError(_("A unit cannot be merged into itself: choose another unit."))
    if into.pk in unit.descendant_ids():
        raise ValidationError(_("“%(unit)s” cannot be merged into “%(into)s”, one of its own "
                                "units: choose a unit outside it.") % {"unit": unit, "into": into})
    if not unit.is_active or unit.is_merged:
        raise ValidationError(_("“%(unit)s” is already inactive or merged.") % {"unit": unit})
    if not into.is_active or into.is_merged:
        raise ValidationError(_("“%(into)s” is no longer active: merge into an active unit.")
                              % {"into": into})
    people = list(unit.staff.active().select_for_update())
    demoted = _transfer_all(people, to_unit=into, on=on, user=user, by_merge=True)
    children = list(unit.children.filter(is_active=True))
    for child in children:
        move_unit(unit=child, user=user, parent=into, on=on, note=note)
    unit.is_active, unit.inactive_since = False, on
    unit.merged_into, unit.merged_on = into, on
    unit.save(update_fields=["is_active", "inactive_since", "merged_into", "merged_on"])
    _change(unit=unit, kind=UnitChangeKind.MERGE, on=on, user=user,
            before={"is_active": True},
            after={"is_active": False, "merged_into": into.pk,
                   "staff": sorted(person.pk for person in people),
                   "demoted": sorted(person.pk for person in demoted)}, note=note)
    return unit


def _transfer_all(people, *, to_unit, on, user, by_merge=False) -> list[StaffMember]:
    """Set-based: one INSERT of the transfers and one UPDATE of the people, whatever their
    number. Returns the people who lost a right over their old unit (its head, or reporting
    for it)."""
    moving = [person for person in people if person.unit_id != to_unit.pk]
    StaffTransfer.objects.bulk_create(
        [StaffTransfer(staff=person, from_unit_id=person.unit_id, to_unit=to_unit, on=on,
                       by_merge=by_merge, recorded_by=user) for person in moving],
        batch_size=1000)
    demoted = []
    for person in moving:
        person.unit = to_unit
        if person.role == Role.UNIT_HEAD or person.reports_for_unit:
            demoted.append(person)
        if person.role == Role.UNIT_HEAD:
            # The head of a unit moved or merged heads nothing in the new one until named.
            person.role = Role.STAFF
        # Reporting for a unit is its head's delegation: it does not follow the person into
        # another unit (units.access.Viewer.reports_for reads it against their current unit).
        person.reports_for_unit = False
    StaffMember.objects.bulk_update(moving, ["unit", "role", "reports_for_unit"],
                                    batch_size=1000)
    return demoted


@transaction.atomic
def transfer_staff(*, person: StaffMember, to_unit: Unit, user, on: datetime.date) -> None:
    """Move a person to another unit from `on`. Their ratings and awards follow them (they hang
    on the person); which unit they counted for before `on` is read from the transfer."""
    if to_unit.pk == person.unit_id:
        raise ValidationError(_("%(person)s is already in “%(unit)s”: choose another unit.")
                              % {"person": person, "unit": to_unit})
    if not to_unit.is_active or to_unit.is_merged:
        raise ValidationError(_("“%(unit)s” is no longer active: choose an active unit.")
                              % {"unit": to_unit})
    last = person.transfers.order_by("-on", "-pk").first()
    if last is not None and on < last.on:
        raise ValidationError(_("%(person)s was last transferred on %(day)s: the date of "
                                "effect cannot be earlier.")
                              % {"person": person, "day": last.on.strftime("%d/%m/%Y")})
    from_unit = person.unit
    before = {"unit": from_unit.pk, "role": person.role,
              "reports_for_unit": person.reports_for_unit}
    _transfer_all([person], to_unit=to_unit, on=on, user=user)
    record(actor=user, action="staff.transfer", target=person, unit=to_unit,
           before=before, after={"unit": to_unit.pk, "role": person.role,
                                 "reports_for_unit": person.reports_for_unit,
                                 "effective_on": on.isoformat()})


@transaction.atomic
def deactivate_staff(*, person: StaffMember, user, on: datetime.date) -> None:
    """The person has left (retired, moved away) from `on`: kept with their history, no longer
    listed among the unit's active staff. Their account, if any, is left to the accounts page."""
    if not person.is_active:
        raise ValidationError(_("%(person)s is already inactive.") % {"person": person})
    person.is_active, person.left_on = False, on
    person.save(update_fields=["is_active", "left_on"])
    record(actor=user, action="staff.deactivate", target=person,
           before={"is_active": True}, after={"is_active": False, "left_on": on.isoformat()})


STAFF_FIELDS = ("full_name", "staff_code", "date_of_birth", "gender", "position", "category",
                "recruitment_date", "email")


def staff_snapshot(person: StaffMember) -> dict:
    """The audited values of a person's record, JSON-friendly (dates as ISO text)."""
    values = {name: getattr(person, name) for name in STAFF_FIELDS}
    return {name: value.isoformat() if hasattr(value, "isoformat") else value
            for name, value in values.items()}


@transaction.atomic
def save_staff(*, form, user, unit: Unit | None = None) -> StaffMember:
    """Add a person to `unit`, or save the edit of one. Side effects: the row and an audit line
    ("staff.create", or "staff.edit" with the values that changed)."""
    from .services import record_save

    person = form.instance
    before = None
    if person.pk is None:
        person.unit = unit
    else:
        before = staff_snapshot(StaffMember.objects.get(pk=person.pk))
    saved = form.save()
    if before is not None and before["email"] != saved.email:
        sync_account_email(saved)
    record_save(user=user, action="staff", target=saved, before=before,
                after=staff_snapshot(saved))
    return saved


def sync_account_email(person: StaffMember) -> None:
    """The staff record is the source of its account's address (see StaffMember.email): a
    changed address is copied to the account. Only a change: an account made before staff had
    addresses keeps its own while the record has none."""
    if person.user_id and person.user.email != person.email:
        person.user.email = person.email
        person.user.save(update_fields=["email"])
