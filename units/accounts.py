"""Account security: the password state behind forced changes, session bookkeeping, lockouts.

What the middleware needs on every request (is a password change due? when was the last
activity?) is kept in the session at sign-in, so an ordinary page costs no extra query.
"""

import time
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import check_password
from django.contrib.auth.signals import user_logged_in
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.db.models.signals import post_save
from django.utils import timezone
from django.utils.translation import ngettext

from core.audit.trail import record
from core.session_rules import (
    LAST_ACTIVITY,
    PASSWORD_CHANGE_REASON,
    PASSWORD_EXPIRES,
    SET_BY_ADMINISTRATOR,
    SIGNED_IN_AT,
)

from .models import AccountSecurity, PasswordHistory, UserSession

# --- passwords ---------------------------------------------------------------------------------


def recent_password_hashes(user, count: int) -> list[str]:
    """The hashes of the person's last `count` passwords, the current one first."""
    hashes = list(
        PasswordHistory.objects.filter(user=user).values_list("password", flat=True)[:count]
    )
    if user.password and user.password not in hashes:
        hashes = [user.password, *hashes[: count - 1]]
    return hashes


@transaction.atomic
def record_new_password(user) -> None:
    """Remember the new password's hash and date; keep no more history than the policy needs.

    Side effects: AccountSecurity.password_changed_at; PasswordHistory rows added and pruned.
    """
    AccountSecurity.objects.update_or_create(
        user=user, defaults={"password_changed_at": timezone.now()}
    )
    count = settings.PASSWORD_HISTORY_COUNT
    history = PasswordHistory.objects.filter(user=user)
    if count and user.has_usable_password():
        PasswordHistory.objects.create(user=user, password=user.password)
        keep = list(history.values_list("pk", flat=True)[:count])
        history.exclude(pk__in=keep).delete()
    elif not count:
        history.delete()


def require_password_change(user) -> None:
    """Someone other than the person set their password: they must choose their own."""
    AccountSecurity.objects.update_or_create(user=user, defaults={"must_change_password": True})


def password_changed_by_owner(request) -> None:
    """The person chose their own password: lift the forced change, restart the period."""
    AccountSecurity.objects.update_or_create(
        user=request.user,
        defaults={"must_change_password": False, "password_changed_at": timezone.now()},
    )
    request.session.pop(PASSWORD_CHANGE_REASON, None)
    days = settings.PASSWORD_CHANGE_DAYS
    if days:
        request.session[PASSWORD_EXPIRES] = time.time() + timedelta(days=days).total_seconds()
    else:
        request.session.pop(PASSWORD_EXPIRES, None)


@transaction.atomic
def record_reset_request(*, email: str, users: list) -> None:
    """Audit a "forgotten password" request: one line, with how many accounts have the address
    (the person asking is told the same either way)."""
    record(actor=None, action="auth.password_reset_requested",
           after={"email": email[:254], "accounts": len(users)})


@transaction.atomic
def password_reset_by_owner(user) -> None:
    """The person chose a new password from an e-mailed link: it is their own, so any forced
    change is lifted and the period restarts. Side effects: AccountSecurity; an audit line."""
    AccountSecurity.objects.update_or_create(
        user=user, defaults={"must_change_password": False, "password_changed_at": timezone.now()}
    )
    record(actor=user, action="auth.password_reset", target=user)


def password_state(user) -> tuple[str | None, float | None]:
    """(reason a change is required now or None, when the password expires as a timestamp)."""
    state = AccountSecurity.objects.filter(user=user).first()
    if state is not None and state.exempt_from_password_change:
        return None, None
    reason = SET_BY_ADMINISTRATOR if state is not None and state.must_change_password else None
    expires = None
    days = settings.PASSWORD_CHANGE_DAYS
    if days:
        changed = (state and state.password_changed_at) or user.date_joined
        expires = (changed + timedelta(days=days)).timestamp()
    return reason, expires


# --- sessions ----------------------------------------------------------------------------------


def end_sessions(user) -> int:
    """End every session of `user`, in every process. Returns how many there were."""
    deleted, _ = UserSession.objects.filter(user_id=user.pk).delete()
    return deleted


def _on_login(sender, request, user, **kwargs):
    session = request.session
    session[LAST_ACTIVITY] = session[SIGNED_IN_AT] = int(time.time())
    reason, expires = password_state(user)
    for key, value in ((PASSWORD_CHANGE_REASON, reason), (PASSWORD_EXPIRES, expires)):
        if value is None:
            session.pop(key, None)
        else:
            session[key] = value


def _on_user_saved(sender, instance, **kwargs):
    # Whoever deactivates an account (admin, a form, a script) ends its sessions at once;
    # QuerySet.update() sends no signal, but Django's backend refuses inactive users anyway.
    if not instance.is_active:
        end_sessions(instance)


def connect_signals():
    user_logged_in.connect(_on_login, dispatch_uid="units.accounts.login")
    post_save.connect(_on_user_saved, sender=get_user_model(),
                      dispatch_uid="units.accounts.user_saved")


# --- the password history rule -----------------------------------------------------------------


class PasswordHistoryValidator:
    """None of the person's last PASSWORD_HISTORY_COUNT passwords, the current one included.

    Its `password_changed` hook (Django calls it whenever a password is saved) is also what keeps
    the history and the date of the change, so keep it in AUTH_PASSWORD_VALIDATORS.
    """

    def validate(self, password, user=None):
        count = settings.PASSWORD_HISTORY_COUNT
        if not count or user is None or user.pk is None:
            return
        for encoded in recent_password_hashes(user, count):
            if check_password(password, encoded):
                raise ValidationError(
                    ngettext(
                        "You have used this password recently. Choose one that is not your "
                        "last password.",
                        "You have used this password recently. Choose one that is none of your "
                        "last %(count)d passwords.",
                        count,
                    ),
                    code="password_reused",
                    params={"count": count},
                )

    def password_changed(self, password, user=None):
        if user is not None and user.pk is not None:
            record_new_password(user)

    def get_help_text(self):
        count = settings.PASSWORD_HISTORY_COUNT
        if not count:
            return ""
        return ngettext(
            "Your password cannot be the same as your last password.",
            "Your password cannot be any of your last %(count)d passwords.",
            count,
        ) % {"count": count}


# --- the sign-in lockout by address --------------------------------------------------------------


def failures_from_address(request) -> int:
    """Failed sign-ins from the request's address within the cool-off, whatever the username."""
    from axes.attempts import get_cool_off_threshold
    from axes.models import AccessAttempt

    attempts = AccessAttempt.objects.filter(ip_address=request.axes_ip_address)
    if settings.AXES_COOLOFF_TIME:
        attempts = attempts.filter(attempt_time__gte=get_cool_off_threshold(request))
    return attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0


def address_locked(request) -> bool:
    limit = settings.LOGIN_ADDRESS_FAILURE_LIMIT
    return bool(limit and getattr(request, "axes_ip_address", None)
                and failures_from_address(request) >= limit)

