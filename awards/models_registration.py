"""Emulation registration (đăng ký thi đua): at the start of a year each unit says which
collective title it aims for and which individual title each of its people aims for.

The Office opens a year's window with a deadline (`RegistrationWindow`); a unit's head fills
and sends the unit's registration (`UnitRegistration`, one per unit and year, with one
`StaffRegistration` per person); the Office accepts it or returns it with a reason. One sent after
the deadline is marked late and needs the Office's acceptance with a reason. Only accepted
registrations count for the "registered" condition of eligibility (Predicate.REGISTERED).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from units.collation import unit_order
from units.models import StaffMember, Unit


class RegistrationWindow(models.Model):
    """The Office's registration of a year: open until `deadline` (inclusive), then late
    registrations only, until it is closed."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    deadline = models.DateField(_("deadline"))
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                  related_name="+")
    opened_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("registration window")
        verbose_name_plural = _("registration windows")
        ordering = ["-year"]

    def __str__(self):
        return _("Emulation registration %(year)s") % {"year": self.year}

    @property
    def is_open(self) -> bool:
        return self.closed_at is None

    def is_late(self, day) -> bool:
        return day > self.deadline


class RegistrationStatus(models.TextChoices):
    DRAFT = "draft", _("Being filled in")
    SENT = "sent", _("Sent to the Office")
    RETURNED = "returned", _("Returned for correction")
    ACCEPTED = "accepted", _("Accepted")


class UnitRegistrationQuerySet(models.QuerySet):
    def accepted(self):
        return self.filter(status=RegistrationStatus.ACCEPTED)


class UnitRegistration(models.Model):
    """A unit's registration of a year: its collective title and (through `people`) each
    person's individual title."""

    window = models.ForeignKey(RegistrationWindow, on_delete=models.PROTECT,
                               related_name="registrations")
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT,
                             related_name="registrations")
    year = models.PositiveSmallIntegerField(_("year"))
    # Any collective award of the catalogue: titles added later appear without a change here.
    award = models.ForeignKey("awards.Award", verbose_name=_("collective title aimed for"),
                              on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    status = models.CharField(_("status"), max_length=10, choices=RegistrationStatus.choices,
                              default=RegistrationStatus.DRAFT)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    late = models.BooleanField(_("sent after the deadline"), default=False)
    return_reason = models.TextField(_("reason for returning"), blank=True)
    late_reason = models.TextField(_("reason for accepting a late registration"), blank=True)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    accepted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    null=True, blank=True, related_name="+")
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = UnitRegistrationQuerySet.as_manager()

    class Meta:
        verbose_name = _("unit registration")
        verbose_name_plural = _("unit registrations")
        ordering = ["-year", *unit_order("unit__")]
        constraints = [
            models.UniqueConstraint(fields=["unit", "year"], name="registration_once_a_year"),
        ]

    def __str__(self):
        return _("Registration %(year)s, %(unit)s") % {"year": self.year, "unit": self.unit}

    @property
    def editable(self) -> bool:
        """The head may change it before sending and after it was returned."""
        return self.status in (RegistrationStatus.DRAFT, RegistrationStatus.RETURNED)


class StaffRegistration(models.Model):
    """The individual title one person aims for in a year. `year` repeats the registration's so
    the database itself refuses a person registered twice (in two units after a transfer)."""

    registration = models.ForeignKey(UnitRegistration, on_delete=models.CASCADE,
                                     related_name="people")
    staff = models.ForeignKey(StaffMember, verbose_name=_("staff member"),
                              on_delete=models.PROTECT, related_name="registrations")
    year = models.PositiveSmallIntegerField(_("year"))
    award = models.ForeignKey("awards.Award", verbose_name=_("individual title aimed for"),
                              on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("staff registration")
        verbose_name_plural = _("staff registrations")
        constraints = [
            models.UniqueConstraint(fields=["staff", "year"], name="registered_once_a_year"),
        ]

    def __str__(self):
        return f"{self.staff} {self.year}: {self.award}"

    @property
    def audit_unit_id(self) -> int:
        return self.registration.unit_id
