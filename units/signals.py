"""Signing in and out in the audit trail: success, failure (the username tried, never the
password), logout, and — when django-axes is installed — an account locked out."""

from django.apps import apps
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from core.audit.trail import record, user_agent

from .models import StaffMember

USERNAME_LENGTH = 150


def _unit_of(user):
    return (StaffMember.objects.filter(user=user).values_list("unit_id", flat=True).first()
            if user is not None and user.pk else None)


@receiver(user_logged_in, dispatch_uid="units.audit_login")
def audit_login(sender, request, user, **kwargs):
    record(actor=user, action="auth.login", target=user, unit=_unit_of(user), request=request,
           after={"user_agent": user_agent(request)})


@receiver(user_logged_out, dispatch_uid="units.audit_logout")
def audit_logout(sender, request, user, **kwargs):
    if user is None:  # the session had no signed-in user: nothing happened worth a line
        return
    record(actor=user, action="auth.logout", target=user, unit=_unit_of(user), request=request)


@receiver(user_login_failed, dispatch_uid="units.audit_login_failed")
def audit_login_failed(sender, credentials, request=None, **kwargs):
    # Django has already masked anything that looks secret in `credentials`; only the
    # username is kept all the same, so no form of the password ever reaches the trail.
    username = str(credentials.get("username", ""))[:USERNAME_LENGTH]
    record(actor=None, action="auth.login_failed", request=request,
           after={"username": username, "user_agent": user_agent(request)})


def audit_locked_out(sender, request=None, username=None, ip_address=None, **kwargs):
    record(actor=None, action="auth.locked_out", request=request,
           after={"username": str(username or "")[:USERNAME_LENGTH], "ip_address": ip_address,
                  "user_agent": user_agent(request)})


def connect_axes() -> None:
    """Record django-axes lockouts when axes is an installed app. Importing `axes.signals`
    otherwise would load its models outside INSTALLED_APPS and hook its handlers anyway."""
    if not apps.is_installed("axes"):
        return
    try:
        from axes.signals import user_locked_out
    except ImportError:  # pragma: no cover - depends on the environment
        return
    user_locked_out.connect(audit_locked_out, dispatch_uid="units.audit_locked_out")
