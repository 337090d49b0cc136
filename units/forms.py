from django.contrib.auth.forms import (
    AuthenticationForm,
    PasswordChangeForm,
    PasswordResetForm,
    SetPasswordForm,
)
from django.utils.translation import gettext_lazy as _

from core.audit.trail import record, user_agent


class SignInForm(AuthenticationForm):
    # Django's own message names the fields mid-sentence with capitals; say what to do instead.
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _(
            "The username or password is wrong. Check both (the password is case-sensitive) "
            "and try again."
        ),
        "inactive": _("This account is disabled. Ask the Office to reactivate it."),
    }

    def clean(self):
        # No account has a username longer than the model allows; django-axes would store the
        # attempt in a 255-character column and fail on PostgreSQL (HTTP 500). Refuse it like
        # any wrong username, without asking the backends, and keep an audit line.
        username = self.cleaned_data.get("username") or ""
        if len(username) > self.username_field.max_length:
            record(actor=None, action="auth.login_failed", request=self.request,
                   after={"username": username[: self.username_field.max_length],
                          "username_length": len(username),
                          "user_agent": user_agent(self.request)})
            raise self.get_invalid_login_error()
        return super().clean()


class PolicyPasswordChangeForm(PasswordChangeForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The page lists the policy above the form, as plain text (Django's help text is HTML).
        self.fields["new_password1"].help_text = ""


class ResetRequestForm(PasswordResetForm):
    """"Quên mật khẩu?": the address, then the same answer whether or not an account has it."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].label = _("Your e-mail address")
        self.fields["email"].error_messages = {
            "required": _("Enter the e-mail address of your account."),
            "invalid": _("Enter a whole e-mail address, such as ten@truong.edu.vn."),
        }


class PolicySetPasswordForm(SetPasswordForm):
    """Choosing a password from an e-mailed link: the same rules as changing one."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].help_text = ""
