"""The pages of a person's own account: changing the password, resetting a forgotten one by
e-mail, and the sign-in lockout page."""

from axes.helpers import get_client_username, get_cool_off, get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.password_validation import password_validators_help_texts
from django.shortcuts import render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from core.session_rules import password_change_due

from .. import accounts, identity, invitations
from ..forms import PolicyPasswordChangeForm, PolicySetPasswordForm, ResetRequestForm, SignInForm


class PasswordChangeView(auth_views.PasswordChangeView):
    form_class = PolicyPasswordChangeForm

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            **kwargs,
            reason=password_change_due(self.request.session),
            password_change_days=settings.PASSWORD_CHANGE_DAYS,
            policy=_policy(),
        )

    def form_valid(self, form):
        response = super().form_valid(form)
        accounts.password_changed_by_owner(self.request)
        return response


def _policy():
    return [text for text in password_validators_help_texts() if text]


class PasswordResetView(auth_views.PasswordResetView):
    """Sends the reset link to every active account with that address, and answers the same
    whether there is one or not (the done page), so the page tells nobody who has an account."""

    form_class = ResetRequestForm
    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"

    def form_valid(self, form):
        # The link is built from PORTAL_URL, never from the request's Host header.
        self.extra_email_context = {
            "portal_url": settings.PORTAL_URL.rstrip("/"),
            "valid_days": settings.PASSWORD_RESET_DAYS,
            "department": identity.current(),
        }
        self.from_email = invitations.sender()
        accounts.record_reset_request(email=form.cleaned_data["email"],
                                      users=list(form.get_users(form.cleaned_data["email"])))
        return super().form_valid(form)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    form_class = PolicySetPasswordForm

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs, policy=_policy())

    def form_valid(self, form):
        response = super().form_valid(form)
        accounts.password_reset_by_owner(form.user)
        return response


class InvitationAcceptView(PasswordResetConfirmView):
    """A new account's first password, from the invitation's link (its own tokens and
    lifetime, units.invitations.InvitationTokens)."""

    token_generator = invitations.invitation_tokens

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs, invitation=True)


def locked_out(request, original_response=None, credentials=None):
    """What django-axes shows instead of signing in: the sign-in page, saying until when."""
    username = get_client_username(request, credentials) or ""
    cool_off = get_cool_off(request)
    last = (
        AccessAttempt.objects.filter(username=username, ip_address=request.axes_ip_address)
        .order_by("-attempt_time").values_list("attempt_time", flat=True).first()
    )
    until = timezone.localtime((last or timezone.now()) + cool_off)
    if accounts.address_locked(request):
        message = _(
            "Sign-in from your computer's address is locked after too many failed attempts on "
            "several accounts. Try again after %(time)s, or ask the portal administrator."
        ) % {"time": date_format(until, "H:i d/m/Y")}
    else:
        message = _(
            "Sign-in to this account from your computer is locked after %(limit)d failed "
            "attempts. Try again after %(time)s, or ask the portal administrator to unlock it."
        ) % {"limit": get_failure_limit(request, credentials),
             "time": date_format(until, "H:i d/m/Y")}
    context = {
        "form": SignInForm(request, initial={"username": username}),
        "lockout": message,
        "next": request.POST.get("next", request.GET.get("next", "")),
    }
    # 429 Too Many Requests: scripts see the refusal, people see the page.
    return render(request, "registration/login.html", context, status=429)
