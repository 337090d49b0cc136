"""The first steps of a department's own portal (README, "Starting your own department"), as the
administrator's home page lists them until they are done."""

from django.contrib.auth import get_user_model
from django.db.models import Exists

from .access import can_manage_accounts
from .models import StaffMember, Unit


def first_steps(user) -> dict | None:
    """For an administrator, which first steps are done — {"units", "staff", "accounts"}: the
    organisation imported, its staff, at least one person's account — in one query; None for
    anyone else."""
    if not can_manage_accounts(user):
        return None
    return get_user_model().objects.filter(pk=user.pk).values(
        units=Exists(Unit.objects.all()),
        staff=Exists(StaffMember.objects.all()),
        accounts=Exists(StaffMember.objects.filter(user__isnull=False)),
    ).get()
