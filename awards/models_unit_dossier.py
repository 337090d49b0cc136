"""A unit's own proposal to the Department (its annual commendation list) as a dossier, like
the Department's dossiers sent upward (models_dossier.py): the parts the Department asks of a
unit per award as data rows, the files the unit uploads, and the steps of its way (sent with the
letter's number and date, returned with the reason and the parts to fix, recalled, sent again,
accepted), each shown on the list's page as its history.

`ProposalRequirement` is a sibling of `DossierRequirement`, not the same table with a level
column: an award decided here (Giấy khen, LĐTT, CSTĐCS, TTLĐTT) asks its parts of the unit,
an award of the province asks its dossier's parts of the Department, and a provincial title on a
school's list asks both, differently (the unit's signed report; the Department's letter). One
table would need the level in its unique key and in every reader's filter, and the admin's
inline of one award would mix the two lists; two small tables keep each reader's query plain.
Both share the `Part` vocabulary, so the checklists and the audit read the same.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tasks.models import StoredFile
from units.collation import display_name

from .models_dossier import Part, RequiredPart


class ProposalRequirement(RequiredPart):
    """One part a unit's proposal needs for an award on its list. The defaults (migration
    awards 0023) are unconfirmed, with their best source, until checked against the texts."""

    award = models.ForeignKey("awards.Award", verbose_name=_("award"), on_delete=models.CASCADE,
                              related_name="proposal_parts")

    class Meta(RequiredPart.Meta):
        verbose_name = _("required part of a unit's proposal")
        verbose_name_plural = _("required parts of units' proposals")
        constraints = [models.UniqueConstraint(fields=["award", "part"],
                                               name="proposal_part_once")]


class ProposalAttachment(StoredFile):
    """An uploaded part of a unit's proposal: the signed letter, the council's minutes, a
    nominee's signed report or initiative, another file."""

    upload_folder = "proposals"

    proposal = models.ForeignKey("awards.Proposal", on_delete=models.CASCADE,
                                 related_name="attachments")
    part = models.CharField(_("part"), max_length=12, choices=Part.choices)
    # For a per-nominee part: whose it is.
    nominee = models.ForeignKey("awards.Nominee", verbose_name=_("nominee"),
                                on_delete=models.CASCADE, null=True, blank=True,
                                related_name="+")

    class Meta(StoredFile.Meta):
        verbose_name = _("attachment of a unit's proposal")
        verbose_name_plural = _("attachments of units' proposals")


class ProposalStep(models.TextChoices):
    """The steps of a list's way shown as its history (the audit keys are `proposal.<step>`)."""

    SUBMIT = "submit", _("Sent to the Department")
    RESUBMIT = "resubmit", _("Sent again")
    RETURN = "return", _("Returned to the unit")
    RECALL = "recall", _("Recalled by the unit")
    ACCEPT = "accept", _("Found complete")
    PUBLISH = "publish", _("Put on public notice")
    VOTE = "vote", _("Council vote recorded")
    APPROVE = "approve", _("Approved by the director")


class ProposalEvent(models.Model):
    """One step of a list's way, shown on its page (the audit trail keeps it too)."""

    proposal = models.ForeignKey("awards.Proposal", on_delete=models.CASCADE,
                                 related_name="events")
    at = models.DateTimeField(auto_now_add=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                              related_name="+")
    step = models.CharField(_("step"), max_length=10, choices=ProposalStep.choices)
    note = models.TextField(_("note"), blank=True)
    # For a return: the parts the unit must fix (Part values).
    parts = models.JSONField(_("parts to fix"), default=list, blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.proposal} {self.step}"

    @property
    def actor_name(self) -> str:
        return display_name(self.actor)

    @property
    def part_labels(self) -> list[str]:
        return [str(Part(p).label) for p in self.parts if p in Part.values]
