"""Password validators of the portal's policy (Decision 742/QĐ-BTTTT, see docs/security.md).

Each reads its rule from settings when it runs, not when it is built: Django builds validators
once and keeps them, and the rules are settings an operator (or a test) may change.
"""

from django.conf import settings
from django.contrib.auth.hashers import check_password
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

# Each class: (how it is tested, what the person is told is missing).
CHARACTER_CLASSES = {
    "upper": (str.isupper, gettext_lazy("an upper-case letter")),
    "lower": (str.islower, gettext_lazy("a lower-case letter")),
    "digit": (str.isdigit, gettext_lazy("a digit")),
    "special": (lambda c: not c.isalnum(), gettext_lazy("a special character such as ! @ # $ &")),
}


def required_classes() -> list[str]:
    names = [name.strip().lower() for name in settings.PASSWORD_REQUIRED_CLASSES if name.strip()]
    unknown = sorted(set(names) - set(CHARACTER_CLASSES))
    if unknown:
        raise ImproperlyConfigured(
            f"PASSWORD_REQUIRED_CLASSES: unknown {', '.join(unknown)}; "
            f"use any of {', '.join(CHARACTER_CLASSES)}."
        )
    return names


def _join(labels) -> str:
    return ", ".join(str(label) for label in labels)


class MinimumLengthValidator:
    """At least PASSWORD_MIN_LENGTH characters."""

    def validate(self, password, user=None):
        minimum = settings.PASSWORD_MIN_LENGTH
        if len(password) < minimum:
            raise ValidationError(
                ngettext(
                    "This password is too short: it must have at least %(min_length)d "
                    "character.",
                    "This password is too short: it must have at least %(min_length)d "
                    "characters.",
                    minimum,
                ),
                code="password_too_short",
                params={"min_length": minimum},
            )

    def get_help_text(self):
        minimum = settings.PASSWORD_MIN_LENGTH
        return ngettext(
            "Your password must have at least %(min_length)d character.",
            "Your password must have at least %(min_length)d characters.",
            minimum,
        ) % {"min_length": minimum}


class CharacterClassesValidator:
    """At least one character of each class in PASSWORD_REQUIRED_CLASSES."""

    def validate(self, password, user=None):
        missing = [
            CHARACTER_CLASSES[name][1]
            for name in required_classes()
            if not any(CHARACTER_CLASSES[name][0](c) for c in password)
        ]
        if missing:
            raise ValidationError(
                _("This password lacks %(missing)s. Add at least one of each."),
                code="password_missing_character_class",
                params={"missing": _join(missing)},
            )

    def get_help_text(self):
        names = required_classes()
        if not names:
            return ""
        return _("Your password must contain %(classes)s.") % {
            "classes": _join(CHARACTER_CLASSES[name][1] for name in names)
        }


class PasswordHistoryValidator:
    """None of the person's last PASSWORD_HISTORY_COUNT passwords, the current one included.

    Its `password_changed` hook (Django calls it whenever a password is saved) is also what keeps
    the history and the date of the change, so keep it in AUTH_PASSWORD_VALIDATORS.
    """

    def validate(self, password, user=None):
        count = settings.PASSWORD_HISTORY_COUNT
        if not count or user is None or user.pk is None:
            return
        from .accounts import recent_password_hashes

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
            from .accounts import record_new_password

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
