"""Password validators of the portal's policy (Decision 742/QĐ-BTTTT, see docs/security.md):
length and character classes. The history rule reads the accounts' stored passwords, so it is
`units.accounts.PasswordHistoryValidator`.

Each reads its rule from settings when it runs, not when it is built: Django builds validators
once and keeps them, and the rules are settings an operator (or a test) may change.
"""

from django.conf import settings
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
