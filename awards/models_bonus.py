"""Bonus money (tiền thưởng): the base salary and each award's coefficient as effective-dated
law, the reward fund's income of each year, and the payout list recorded for each decision.

Every award carries money: its coefficient (hệ số) times the base salary (mức lương cơ sở) in
force on the decision's signed date, rounded up to the next 10,000 đồng (Decree 91/2017
Art. 68(2)). Both figures change by decree, so they are rows with their source and a confirmed
flag, not constants; the amounts themselves are computed (awards/bonus.py), never typed.
"""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.numbers import format_number
from units.collation import display_name

from .models import Award, Decision, LegalPeriod

NO_MONEY_SOURCE = _("Give the source of this figure: the article and the document it comes from "
                    "(e.g. “Nghị định 98/2023/NĐ-CP, Điều 54”). A figure you cannot trace yet "
                    "is entered with its best source and “confirmed” unticked.")


def _check_source(row) -> None:
    """Spaces only are no source either (the form and the database refuse an empty one)."""
    if row.source and not row.source.strip():
        raise ValidationError({"source": NO_MONEY_SOURCE})
    row.source = " ".join((row.source or "").split())


def overlap_message(clash) -> str:
    until = (clash.valid_until.strftime("%d/%m/%Y") if clash.valid_until
             else _("no end date"))
    return _("These dates overlap the base salary of %(amount)s đồng in force from %(start)s "
             "(until: %(end)s): a day has one base salary. Close that period first (its last "
             "day) or choose dates outside it.") % {
                 "amount": format_number(clash.amount),
                 "start": clash.valid_from.strftime("%d/%m/%Y"), "end": until}


class BaseSalaryQuerySet(models.QuerySet):
    def in_force_on(self, day: datetime.date):
        """The base salary in force on `day` (None when none is entered for it)."""
        return (self.filter(Q(valid_until__isnull=True) | Q(valid_until__gte=day),
                            valid_from__lte=day).order_by("-valid_from").first())

    def overlapping(self, valid_from, valid_until, exclude_pk=None):
        """Rows whose days meet [valid_from, valid_until] (an open end runs for ever)."""
        rows = self.filter(Q(valid_until__isnull=True) | Q(valid_until__gte=valid_from))
        if valid_until is not None:
            rows = rows.filter(valid_from__lte=valid_until)
        return rows.exclude(pk=exclude_pk) if exclude_pk else rows


class BaseSalary(models.Model):
    """The base salary (mức lương cơ sở) from `valid_from` to `valid_until` (empty: until a
    later row is entered). Periods never overlap: a day has one base salary."""

    amount = models.PositiveBigIntegerField(_("amount (đồng a month)"))
    valid_from = models.DateField(_("in force from"), unique=True)
    valid_until = models.DateField(_("in force until"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=300,
                              error_messages={"blank": NO_MONEY_SOURCE})
    confirmed = models.BooleanField(_("confirmed"), default=True,
                                    help_text=_("Untick when the figure still has to be checked "
                                                "against the document."))

    objects = BaseSalaryQuerySet.as_manager()

    class Meta:
        verbose_name = _("base salary")
        verbose_name_plural = _("base salaries")
        ordering = ["-valid_from"]
        constraints = [
            models.CheckConstraint(condition=~Q(source=""), name="base_salary_has_source"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="base_salary_positive"),
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=models.F("valid_from")),
                name="base_salary_dates_in_order"),
        ]

    def __str__(self):
        return f"{format_number(self.amount)} đồng ({self.valid_from:%d/%m/%Y})"

    def clean(self):
        _check_source(self)
        if self.valid_from and self.valid_until and self.valid_until < self.valid_from:
            raise ValidationError({"valid_until": _("The end date comes before the start date: "
                                                    "write the last day the amount applies.")})
        if self.valid_from:
            clash = (BaseSalary.objects.overlapping(self.valid_from, self.valid_until,
                                                    exclude_pk=self.pk)
                     .order_by("valid_from").first())
            if clash is not None:
                raise ValidationError(overlap_message(clash))


class AwardCoefficient(models.Model):
    """The multiple of the base salary an award pays under a legal period's decree. An award
    without a coefficient in the period pays no money (shown as such)."""

    period = models.ForeignKey(LegalPeriod, verbose_name=_("legal period"),
                               on_delete=models.CASCADE, related_name="coefficients")
    award = models.ForeignKey(Award, verbose_name=_("award"), on_delete=models.CASCADE,
                              related_name="coefficients")
    coefficient = models.DecimalField(_("coefficient"), max_digits=5, decimal_places=2)
    source = models.CharField(_("source"), max_length=300,
                              error_messages={"blank": NO_MONEY_SOURCE})
    confirmed = models.BooleanField(_("confirmed"), default=True,
                                    help_text=_("Untick when the figure still has to be checked "
                                                "against the document."))

    class Meta:
        verbose_name = _("bonus coefficient")
        verbose_name_plural = _("bonus coefficients")
        ordering = ["period", "award__order"]
        constraints = [
            models.UniqueConstraint(fields=["period", "award"], name="one_coefficient_a_period"),
            # A figure nobody can trace to a decree is not law: refused even by a script.
            models.CheckConstraint(condition=~Q(source=""), name="coefficient_has_source"),
            models.CheckConstraint(condition=Q(coefficient__gt=0), name="coefficient_positive"),
        ]

    def __str__(self):
        return f"{self.award} × {format_number(self.coefficient)} ({self.period})"

    def clean(self):
        _check_source(self)


class FundIncome(models.Model):
    """Money put into the year's reward fund (quỹ thi đua, khen thưởng)."""

    year = models.PositiveSmallIntegerField(_("fund year"))
    received_on = models.DateField(_("date"))
    amount = models.PositiveBigIntegerField(_("amount (đồng)"))
    source = models.CharField(_("source"), max_length=300,
                              help_text=_("Where the money comes from, e.g. the budget "
                                          "allocation and its document."))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)
    # Corrections go through services_bonus.correct_income (stale-edit guard, history row).
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("fund income")
        verbose_name_plural = _("fund income")
        ordering = ["year", "received_on", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="fund_income_positive"),
            models.CheckConstraint(condition=~Q(source=""), name="fund_income_has_source"),
        ]

    def __str__(self):
        return f"{self.year}: {self.amount}"


class Approval(models.TextChoices):
    PENDING = "pending", _("awaiting the director's approval")
    APPROVED = "approved", _("approved by the director")
    REFUSED = "refused", _("refused by the director")


class PayoutQuerySet(models.QuerySet):
    def counted(self):
        """Lists the fund has paid: within the fund, or beyond it with the director's
        approval (awaiting or refused ones are not money spent)."""
        return self.filter(approval__in=["", Approval.APPROVED])


class DirectorApproval(models.Model):
    """A write the Office made beyond the fund, waiting for a director (the Office does not
    approve its own): a payout list beyond the balance, an income correction written off.
    Empty: within the fund (or recorded before approvals existed), counted at once."""

    approval = models.CharField(_("director's approval"), max_length=10,
                                choices=Approval.choices, blank=True, default="")
    approval_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    null=True, blank=True, related_name="+")
    approval_at = models.DateTimeField(null=True, blank=True)
    approval_note = models.TextField(_("director's note"), blank=True)

    class Meta:
        abstract = True

    @property
    def counted(self) -> bool:
        return self.approval in ("", Approval.APPROVED)

    @property
    def pending(self) -> bool:
        return self.approval == Approval.PENDING

    @property
    def approver(self) -> str:
        return display_name(self.approval_by)


class Payout(DirectorApproval):
    """A decision's payout list, recorded against the year's fund: the figures as computed when
    it was recorded (base salary, coefficient, amount each, count, total), kept as paid."""

    decision = models.OneToOneField(Decision, verbose_name=_("decision"),
                                    on_delete=models.PROTECT, related_name="payout")
    year = models.PositiveSmallIntegerField(_("fund year"))
    base_salary = models.PositiveBigIntegerField(_("base salary"))
    coefficient = models.DecimalField(_("coefficient"), max_digits=5, decimal_places=2)
    amount_each = models.PositiveBigIntegerField(_("amount each"))
    paid_on = models.DateField(_("date of the list"))
    awardees = models.PositiveIntegerField(_("awardees"))
    total = models.PositiveBigIntegerField(_("total"))
    # Filled only when the fund could not cover the total: the Office's written reason.
    override_reason = models.TextField(_("reason for paying beyond the fund"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    objects = PayoutQuerySet.as_manager()

    class Meta:
        verbose_name = _("payout list")
        verbose_name_plural = _("payout lists")
        ordering = ["year", "recorded_at", "pk"]

    def __str__(self):
        return f"{self.decision} – {self.total}"

class IncomeCorrection(DirectorApproval):
    """An income entry as it stood before a correction, and why it was corrected: the entry
    itself holds the corrected figures, its history keeps every earlier one (never deleted).

    A correction written off (it leaves recorded payouts uncovered) waits for a director: the
    entry keeps its figures until approved, the proposed ones are held here (`new_*`); refused,
    they are never applied.
    """

    income = models.ForeignKey(FundIncome, on_delete=models.PROTECT, related_name="corrections")
    old_received_on = models.DateField(_("date before"))
    old_amount = models.PositiveBigIntegerField(_("amount before"))
    old_source = models.CharField(_("source before"), max_length=300)
    reason = models.TextField(_("reason for the correction"))
    # Filled when the corrected figures leave a payout uncovered: the Office's written reason.
    override_reason = models.TextField(_("reason for leaving the fund short"), blank=True)
    # The corrected figures, kept for a correction awaiting the director (and as applied).
    new_received_on = models.DateField(_("date after"), null=True, blank=True)
    new_amount = models.PositiveBigIntegerField(_("amount after"), null=True, blank=True)
    new_source = models.CharField(_("source after"), max_length=300, blank=True)
    corrected_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                     related_name="+")
    corrected_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("income correction")
        verbose_name_plural = _("income corrections")
        ordering = ["income", "corrected_at", "pk"]
        constraints = [models.CheckConstraint(condition=~Q(reason=""),
                                              name="income_correction_has_reason")]

    def __str__(self):
        return f"{self.income}: {self.old_amount} ({self.corrected_at:%d/%m/%Y})"

    @property
    def corrector(self) -> str:
        return display_name(self.corrected_by)


class Recovery(models.Model):
    """Bonus money paid for awards later revoked and recovered into the fund (thu hồi tiền
    thưởng): an income line of the year, split over the awardees it comes from."""

    year = models.PositiveSmallIntegerField(_("fund year"))
    decision = models.ForeignKey(Decision, verbose_name=_("decision"), on_delete=models.PROTECT,
                                 related_name="recoveries")
    received_on = models.DateField(_("date"))
    amount = models.PositiveBigIntegerField(_("amount (đồng)"))
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("bonus recovered")
        verbose_name_plural = _("bonuses recovered")
        ordering = ["year", "received_on", "pk"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0),
                                              name="recovery_positive")]

    def __str__(self):
        return f"{self.decision}: {self.amount}"


class RecoveryShare(models.Model):
    """The part of a recovery that comes from one revoked award."""

    recovery = models.ForeignKey(Recovery, on_delete=models.CASCADE, related_name="shares")
    conferral = models.ForeignKey("Conferral", on_delete=models.PROTECT,
                                  related_name="recovered")
    amount = models.PositiveBigIntegerField()

    class Meta:
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0),
                                              name="recovery_share_positive")]

    def __str__(self):
        return f"{self.conferral_id}: {self.amount}"
