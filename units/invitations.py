"""Accounts the administrator manages in the portal: invitations to choose a password (Django's
token machinery), unlocking, deactivation. Every write here is audited.

An invited account has no usable password until its owner follows the one-time link, which is
Django's password-reset token with its own salt and lifetime (InvitationTokens): it stops working
once the password is set (the token covers the password hash) and after INVITATION_DAYS days,
whatever the (shorter) lifetime of a "forgotten password" link.
"""

import re
import unicodedata

from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.encoding import force_bytes
from django.utils.http import base36_to_int, urlsafe_base64_encode
from django.utils.translation import gettext as _

from core.audit.trail import record

from . import identity
from .collation import search_key
from .models import Role, Unit


def mail_configured() -> bool:
    """False where e-mail goes nowhere real (console or memory backend, no host): the
    administrator may then show the one-time link on screen instead."""
    backend = settings.EMAIL_BACKEND.rsplit(".", 2)[-2] if "." in settings.EMAIL_BACKEND else ""
    return backend not in ("console", "locmem", "dummy", "filebased") and bool(settings.EMAIL_HOST)


class InvitationTokens(PasswordResetTokenGenerator):
    """Django's reset token, salted apart (an invitation's token opens no reset page and the
    other way round) and valid INVITATION_DAYS days instead of PASSWORD_RESET_TIMEOUT, which
    Django's check_token reads directly: hence the check written out here."""

    key_salt = "units.invitations.InvitationTokens"

    def check_token(self, user, token):
        if not (user and token):
            return False
        ts_b36, _sep, _hash = str(token).partition("-")
        try:
            ts = base36_to_int(ts_b36)
        except ValueError:
            return False
        if not any(constant_time_compare(self._make_token_with_timestamp(user, ts, secret), token)
                   for secret in [self.secret, *self.secret_fallbacks]):
            return False
        return self._num_seconds(self._now()) - ts <= settings.INVITATION_DAYS * 24 * 60 * 60


invitation_tokens = InvitationTokens()


def sender() -> str:
    """The From of the portal's account e-mails: the department's contact address when the
    identity has one (people recognise and answer it), else DEFAULT_FROM_EMAIL."""
    return identity.current().email or settings.DEFAULT_FROM_EMAIL


def invitation_link(user) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = invitation_tokens.make_token(user)
    path = reverse("invitation_accept", args=[uid, token])
    return settings.PORTAL_URL.rstrip("/") + path


def administrators():
    User = get_user_model()
    return User.objects.filter(is_active=True).filter(
        Q(is_superuser=True)
        | Q(staff_member__role=Role.ADMIN, staff_member__is_active=True)
    ).distinct()


def with_lock_state(users):
    """Annotate `locked`: a sign-in lock of django-axes on the username, still in force."""
    failing = AccessAttempt.objects.filter(
        username=OuterRef("username"),
        failures_since_start__gte=settings.AXES_FAILURE_LIMIT,
    )
    if settings.AXES_COOLOFF_TIME:
        failing = failing.filter(
            attempt_time__gte=timezone.now() - settings.AXES_COOLOFF_TIME)
    return users.annotate(locked=Exists(failing))


# The states the accounts page filters on (AccountFilterForm).
ACTIVE, LOCKED, INACTIVE, INVITED, NEVER = "active", "locked", "inactive", "invited", "never"


def filter_accounts(users, *, q: str = "", role: str = "", state: str = ""):
    """Accounts (annotated by with_lock_state) matching a search and filters, in a fixed
    number of queries: `q` in the username, the person's name or their unit's name, accents and
    case aside ("hung vuong" finds "Trường THPT Hùng Vương"); `role` as the page shows it (a
    superuser is an administrator); `state` one of the constants above."""
    key = search_key(q)
    if key:
        # Unit names have no stored key: a department's few hundred units are folded here.
        unit_ids = [unit.pk for unit in Unit.objects.only("pk", "name", "short_name")
                    if key in search_key(unit.name) or key in search_key(unit.short_name)]
        users = users.filter(Q(username__icontains=q.strip())
                             | Q(staff_member__name_key__contains=key)
                             | Q(staff_member__unit__in=unit_ids))
    if role == Role.ADMIN:
        users = users.filter(Q(is_superuser=True) | Q(staff_member__role=role,
                                                      staff_member__is_active=True))
    elif role:
        users = users.filter(is_superuser=False, staff_member__role=role,
                             staff_member__is_active=True)
    # An invited account has no usable password yet: Django stores those starting with "!".
    invited = Q(password__startswith="!") | Q(password="")
    states = {
        ACTIVE: lambda u: u.filter(is_active=True, locked=False).exclude(invited),
        LOCKED: lambda u: u.filter(is_active=True, locked=True),
        INACTIVE: lambda u: u.filter(is_active=False),
        INVITED: lambda u: u.filter(invited, is_active=True),
        NEVER: lambda u: u.filter(last_login__isnull=True),
    }
    return states[state](users) if state in states else users


@transaction.atomic
def invite(*, user, actor, show_link: bool = False) -> str | None:
    """Send (or, with `show_link`, return instead) a one-time link to choose a password.

    Side effects: the account's password made unusable if it had none chosen yet; an e-mail
    unless `show_link`; an audit line either way.
    """
    if not user.has_usable_password() or not user.password:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    link = invitation_link(user)
    record(actor=actor, action="account.invite", target=user,
           after={"email": user.email, "shown_on_screen": show_link})
    if show_link:
        return link
    if not user.email:
        raise ValidationError(_("This account has no e-mail address: show the link on screen "
                                "instead, or add the address first."))
    department = identity.current()
    context = {"user": user, "link": link, "valid_days": settings.INVITATION_DAYS,
               "department": department}
    subject = render_to_string("units/invitation_subject.txt", context).strip()
    body = render_to_string("units/invitation_email.txt", context)
    # Inside the transaction: a refused message leaves no audit line claiming it was sent.
    send_mail(subject, body, sender(), [user.email])
    return None


@transaction.atomic
def unlock(*, user, actor) -> int:
    """Lift every sign-in lock on the username. Side effects: axes rows deleted; audit line."""
    attempts = AccessAttempt.objects.filter(username=user.get_username())
    failures = sum(attempts.values_list("failures_since_start", flat=True))
    deleted, _ = attempts.delete()
    record(actor=actor, action="login_unlock", target=user,
           before={"username": user.get_username(), "failures": failures})
    return deleted


@transaction.atomic
def deactivate(*, user, actor) -> None:
    """Disable the account (its sessions end at once, see units.accounts). The last active
    administrator is refused: nobody could manage accounts afterwards."""
    User = get_user_model()
    # Lock the administrators' rows so two administrators deactivating each other at once
    # cannot both succeed.
    admins = list(User.objects.select_for_update().filter(
        pk__in=administrators().values("pk")).values_list("pk", flat=True))
    if user.pk in admins and len(admins) <= 1:
        raise ValidationError(_("This is the last active administrator: make another account "
                                "administrator first."))
    user.is_active = False
    user.save(update_fields=["is_active"])
    record(actor=actor, action="account.deactivate", target=user,
           before={"is_active": True}, after={"is_active": False})


def suggested_username(full_name: str) -> str:
    """The given name and the initials of the rest, unaccented: "Ngô Thị Ánh" → "anhnt"."""
    plain = unicodedata.normalize("NFD", full_name.replace("đ", "d").replace("Đ", "D"))
    words = "".join(c for c in plain if not unicodedata.combining(c)).lower().split()
    words = [re.sub(r"[^a-z0-9]", "", w) for w in words]
    words = [w for w in words if w]
    if not words:
        return ""
    return words[-1] + "".join(w[0] for w in words[:-1])


@transaction.atomic
def create_accounts(*, actor, role, rows, show_links: bool) -> list[tuple]:
    """One account per (staff member, username, e-mail), each invited to choose its password.

    Side effects: users created (no usable password), each staff member linked and given
    `role`, and given the address if it was typed here (the staff record is the address's
    source, see StaffMember.email); an audit line per account and per invitation; e-mails
    unless `show_links`, and never to a person without an address (their link is returned).
    Returns [(staff member, user, the link or None)]. All or nothing.
    """
    User = get_user_model()
    created = []
    for staff, username, email in rows:
        user = User(username=username, email=email)
        user.set_unusable_password()
        user.save()
        before_role = staff.role
        staff.user, staff.role, staff.email = user, role, email
        staff.save(update_fields=["user", "role", "email"])
        record(actor=actor, action="account.create", target=user, unit=staff.unit_id,
               before={"role": before_role}, after={"username": username, "email": email,
                                                    "role": role, "staff": staff.pk})
        created.append((staff, user, invite(user=user, actor=actor,
                                            show_link=show_links or not email)))
    return created
