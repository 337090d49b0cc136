from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.utils.translation import gettext_lazy as _


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


class PolicyPasswordChangeForm(PasswordChangeForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The page lists the policy above the form, as plain text (Django's help text is HTML).
        self.fields["new_password1"].help_text = ""
