from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import (
    AuthenticationForm,
    PasswordChangeForm,
    PasswordResetForm,
    SetPasswordForm,
)
from django.utils.translation import gettext_lazy as _

from core.audit.trail import record, user_agent

from .invitations import ACTIVE, INACTIVE, INVITED, LOCKED, NEVER, suggested_username
from .models import Role, StaffMember


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


class AccountFilterForm(forms.Form):
    """The accounts page's search (username, name or unit, accents optional) and filters."""

    q = forms.CharField(label=_("Search"), max_length=120, required=False,
                        widget=forms.TextInput(attrs={
                            "class": "form-control", "type": "search",
                            "placeholder": _("Username, full name or unit")}))
    account_role = forms.ChoiceField(label=_("Role"), required=False,
                             choices=[("", _("All roles")), *Role.choices],
                             widget=forms.Select(attrs={"class": "form-select"}))
    state = forms.ChoiceField(label=_("State"), required=False, choices=[
        ("", _("All states")), (ACTIVE, _("Active")), (LOCKED, _("Sign-in locked")),
        (INVITED, _("Invited, no password yet")), (NEVER, _("Never signed in")),
        (INACTIVE, _("Deactivated"))], widget=forms.Select(attrs={"class": "form-select"}))

    def filters(self) -> dict:
        """Keyword arguments of units.invitations.filter_accounts."""
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        return {"q": data["q"], "role": data["account_role"], "state": data["state"]}


class AccountsFromStaffForm(forms.Form):
    """Accounts for a unit's staff in one go: tick the people, check each username and e-mail
    address, pick the role they all get. Fields per person are built from the unit's staff."""

    account_role = forms.ChoiceField(label=_("Role of the new accounts"), choices=Role.choices)
    show_links = forms.BooleanField(
        label=_("Show the one-time links on screen instead of sending e-mails"), required=False)

    def __init__(self, *args, people=(), mail_configured=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.people = list(people)
        self.mail_configured = mail_configured
        if mail_configured:
            del self.fields["show_links"]
        for person in self.people:
            self.fields[f"pick_{person.pk}"] = forms.BooleanField(
                label=person.full_name, required=False)
            self.fields[f"username_{person.pk}"] = forms.CharField(
                label=_("Username"), max_length=150, required=False,
                initial=suggested_username(person.full_name))
            # Prefilled from the staff record, which the typed address also updates.
            self.fields[f"email_{person.pk}"] = forms.EmailField(
                label=_("E-mail address"), required=False, initial=person.email)

    def rows(self):
        """[(person, pick field, username field, e-mail field)] for the template."""
        return [(p, self[f"pick_{p.pk}"], self[f"username_{p.pk}"], self[f"email_{p.pk}"])
                for p in self.people]

    def clean(self):
        data = super().clean()
        picked, seen, seen_emails = [], set(), {}
        ticked = [p for p in self.people if data.get(f"pick_{p.pk}")]
        existing = set(get_user_model().objects.filter(
            username__in=[data.get(f"username_{p.pk}") for p in ticked]
        ).values_list("username", flat=True))
        typed = {p.pk: (data.get(f"email_{p.pk}") or "").strip().lower() for p in ticked}
        # One query for every typed address: whose active staff record has it already.
        holders = {person.email.lower(): person for person in StaffMember.objects.active()
                   .filter(email__in=[e for e in typed.values() if e]).only("full_name", "email")}
        for person in ticked:
            username = (data.get(f"username_{person.pk}") or "").strip()
            email = typed[person.pk]
            if not username:
                self.add_error(f"username_{person.pk}", _("Type a username for this person."))
            elif username in existing or username in seen:
                self.add_error(f"username_{person.pk}", _(
                    "This username is taken: add a digit or the unit's code."))
            # Without an address the person's link is shown on screen, to hand over in person.
            holder = holders.get(email)
            other = (holder.full_name if holder is not None and holder.pk != person.pk
                     else seen_emails.get(email))
            if email and other:
                self.add_error(f"email_{person.pk}", _(
                    "This address is already %(name)s's: type this person's own address, or "
                    "leave it empty to show their link on screen.") % {"name": other})
            seen.add(username)
            seen_emails.setdefault(email, person.full_name)
            picked.append((person, username, email))
        if not picked:
            raise forms.ValidationError(_("Tick at least one person to create their account."))
        data["picked"] = picked
        return data
