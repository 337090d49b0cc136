"""Awards outside the annual cycle (khen thưởng chuyên đề, đột xuất, thâm niên): a person or a
unit proposed for a topic, extraordinary or seniority award with the reason, any day of the year.

A unit's head proposes their own unit's people (the Office any unit's); the verdict is read by the
law in force on the day judged (the deed's date, else the proposal's: `LegalPeriod.for_date`);
the Office accepts or returns each proposal; an accepted one of an award the Department decides
goes into a decision through the same machinery as the annual lists (services.issue_decision),
one the Department may only propose (`Award.proposal_only`) is proposed upward.
"""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from units.collation import person_order, unit_order
from units.models import StaffMember, Unit


class SpecialStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed, awaiting the Office")
    RETURNED = "returned", _("Returned by the Office")
    ACCEPTED = "accepted", _("Accepted by the Office")


class SpecialProposalQuerySet(models.QuerySet):
    def visible_to(self, viewer):
        """Readers of everything see every proposal; others their own unit's."""
        if viewer.reads_everything:
            return self
        return self.filter(unit_id=viewer.unit_id)

    def awaiting_decision(self, award, year):
        return (self.filter(award=award, year=year, status=SpecialStatus.ACCEPTED,
                            decision__isnull=True)
                .select_related("staff", "unit")
                .order_by(*unit_order("unit__"), *person_order("staff__full_name"), "pk"))


class SpecialProposal(models.Model):
    """One person (or, without `staff`, the unit) proposed for an award outside the annual
    cycle."""

    award = models.ForeignKey("awards.Award", verbose_name=_("award"), on_delete=models.PROTECT,
                              related_name="special_proposals")
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT,
                             related_name="special_proposals")
    staff = models.ForeignKey(StaffMember, verbose_name=_("staff member"),
                              on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    # The year the award is entered in the history under (Conferral.year).
    year = models.PositiveSmallIntegerField(_("year"))
    deed_on = models.DateField(_("date of the deed"), null=True, blank=True,
                               help_text=_("For an extraordinary award: the day of the deed."))
    achievement = models.TextField(_("reason and achievements"))
    justification = models.TextField(_("justification"), blank=True)
    eligible = models.BooleanField(_("met the conditions when proposed"), default=True)
    status = models.CharField(_("status"), max_length=10, choices=SpecialStatus.choices,
                              default=SpecialStatus.PROPOSED)
    return_reason = models.TextField(_("reason for returning"), blank=True)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    proposed_at = models.DateTimeField(auto_now_add=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    null=True, blank=True, related_name="+")
    reviewed_at = models.DateTimeField(null=True, blank=True)
    decision = models.ForeignKey("awards.Decision", verbose_name=_("decision"),
                                 on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="special_proposals")
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = SpecialProposalQuerySet.as_manager()

    class Meta:
        verbose_name = _("proposal outside the annual cycle")
        verbose_name_plural = _("proposals outside the annual cycle")
        ordering = ["-year", "award__order", *unit_order("unit__"),
                    *person_order("staff__full_name"), "pk"]
        constraints = [
            # Conferral allows one award of a kind a year per person or unit: so does this.
            models.UniqueConstraint(fields=["award", "year", "staff"],
                                    condition=Q(staff__isnull=False),
                                    name="special_once_per_person"),
            models.UniqueConstraint(fields=["award", "year", "unit"],
                                    condition=Q(staff__isnull=True),
                                    name="special_once_per_unit"),
        ]

    def __str__(self):
        return f"{self.award} {self.year} – {self.staff or self.unit}"

    @property
    def audit_unit_id(self) -> int:
        return self.unit_id

    @property
    def day(self):
        """The day the verdict is read on: the deed's, else the day it was proposed (the last
        day of its year, for a year already over)."""
        return self.deed_on or judged_on(self.year, self.proposed_at.date())


def judged_on(year: int, today):
    """Without a deed's date: today, or 31 December of a year already over."""
    return min(today, datetime.date(year, 12, 31))
