"""Writes of the registers (initiatives, violations) and of a unit's reporting delegation.

Nothing here deletes: the registers are history that scoring and awards read back.
"""

from django.db import transaction

from core.audit.trail import record
from core.stale_edits import bump_version

from .models import Initiative, StaffMember, Violation


def initiative_snapshot(initiative: Initiative) -> dict:
    """The audited values of an initiative, JSON-friendly (units and people by id)."""
    return {
        "title": initiative.title,
        "unit": initiative.unit_id,
        "authors": sorted(initiative.authors.values_list("pk", flat=True)),
        "level": initiative.level,
        "year": initiative.year,
        "decision": initiative.decision,
        "decided_on": initiative.decided_on.isoformat(),
    }


def violation_snapshot(violation: Violation) -> dict:
    """The audited values of a violation, JSON-friendly (units and people by id)."""
    return {
        "unit": violation.unit_id,
        "kind": violation.kind,
        "occurred_on": violation.occurred_on.isoformat(),
        "description": violation.description,
        "staff": violation.staff_id,
        "discipline_level": violation.discipline_level,
        "decision": violation.decision,
    }


@transaction.atomic
def save_initiative(*, form, user) -> Initiative:
    """Save an initiative form (authors included). Side effects: the rows and an audit line."""
    return _save(form=form, user=user, snapshot=initiative_snapshot, action="initiative")


@transaction.atomic
def save_violation(*, form, user) -> Violation:
    """Save a violation form. Side effects: the row and an audit line."""
    return _save(form=form, user=user, snapshot=violation_snapshot, action="violation")


def _save(*, form, user, snapshot, action):
    """Create or edit; an edit raises StaleEdit if the row changed since the page was opened."""
    instance = form.instance
    before = None
    if instance.pk is not None:
        # Read "before" from the database: the bound form has already copied the new values
        # onto its instance.
        stored = type(instance).objects.get(pk=instance.pk)
        before = snapshot(stored)
        bump_version(instance, form.cleaned_data.get("version"))
    saved = form.save()
    record_save(user=user, action=action, target=saved, before=before, after=snapshot(saved))
    return saved


@transaction.atomic
def toggle_reporting(*, person: StaffMember, user) -> None:
    """Let the staff member write and submit the unit's progress reports, or stop them;
    audited as "staff.reporting_delegation"."""
    before = person.reports_for_unit
    person.reports_for_unit = not before
    person.save(update_fields=["reports_for_unit"])
    record(actor=user, action="staff.reporting_delegation", target=person,
           before={"reports_for_unit": before}, after={"reports_for_unit": not before})


def record_save(*, user, action: str, target, before: dict | None, after: dict) -> None:
    """Audit a create (`before` is None: every value, as "<action>.create") or an edit (the
    values that changed, before and after, as "<action>.edit"; no line when none did)."""
    if before is None:
        record(actor=user, action=f"{action}.create", target=target, after=after)
        return
    changed = [name for name in after if after[name] != before.get(name)]
    if changed:
        record(actor=user, action=f"{action}.edit", target=target,
               before={name: before.get(name) for name in changed},
               after={name: after[name] for name in changed})


def department_snapshot(department) -> dict:
    """The audited values of the department's identity."""
    return {name: str(getattr(department, name) or "")
            for name in ("name", "short_name", "parent_agency", "issuing_name", "place",
                         "director_name", "director_title", "deputy_names", "deputy_title",
                         "email", "logo", "symbol", "numbering")}


@transaction.atomic
def save_department(*, form, user):
    """Save the department's identity. Side effects: the row (StaleEdit when it changed since the
    page was opened), the logo file, and an audit line with the values before and after."""
    return _save(form=form, user=user, snapshot=department_snapshot, action="department")


def earlier_identity_snapshot(earlier) -> dict:
    """The audited values of an earlier identity of the department."""
    return {"until": earlier.until.isoformat(),
            **{name: getattr(earlier, name) for name in (
                "name", "short_name", "parent_agency", "issuing_name", "place", "note")}}


@transaction.atomic
def save_earlier_identity(*, form, user):
    """Save the names the department printed until a day (units.identity.on reads them by a
    document's date). Side effects: the row (StaleEdit when it changed since the page was
    opened) and an audit line with the values before and after."""
    return _save(form=form, user=user, snapshot=earlier_identity_snapshot,
                 action="department_earlier")


@transaction.atomic
def remove_earlier_identity(*, earlier, user) -> None:
    """Documents dated in its period print today's names from now on; the audit line keeps
    every value removed."""
    record(actor=user, action="department_earlier.remove", target=earlier,
           before=earlier_identity_snapshot(earlier))
    earlier.delete()


@transaction.atomic
def start_department(*, username: str, full_name: str, email: str, password: str,
                     identity_form=None):
    """The first run of a department's own portal (manage.py start_department): an
    administrator who chose their own password, and — unless `identity_form` is None — the
    department's identity saved over the row the migrations made. All or nothing.

    Side effects: a superuser account (its password state recorded by the password validators'
    hook), an audit line for the account, and the identity's audit line (save_department).
    """
    from django.contrib.auth import get_user_model

    from .collation import split_name
    from .models import Role

    family_middle, given = split_name(full_name)
    user = get_user_model()(username=username, email=email, first_name=given,
                            last_name=family_middle, is_staff=True, is_superuser=True)
    user.set_password(password)
    user.save()
    record(actor=user, action="account.create", target=user,
           after={"username": username, "email": email, "role": Role.ADMIN})
    if identity_form is not None:
        save_department(form=identity_form, user=user)
    return user
