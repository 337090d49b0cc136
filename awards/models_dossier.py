"""Dossiers up the levels (hồ sơ đề nghị khen thưởng): an award the Department only proposes
(CSTĐ cấp tỉnh, TTLĐXS, Bằng khen, Cờ thi đua of the province; the Minister's Bằng khen) goes up
as a dossier per year, award and receiving level.

The portal builds most of it from what it holds — the proposal letter (tờ trình), the list of
the approved nominees, each nominee's achievement report from the prescribed template, the
council's minutes from the recorded vote, the nominees' recognised initiatives — and keeps the
uploaded attachments (the signed reports, anything else the level asks for). `DossierPart` rows
of an award say which parts its dossier needs (`awards.dossiers.checklist` reads them); the
tracking goes draft → sent → returned → sent again → decided (or recalled), every step audited
(`services_dossier`).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tasks.models import StoredFile
from units.collation import display_name


class Part(models.TextChoices):
    """The parts a dossier may need, in the order they are filed."""

    LETTER = "letter", _("Proposal letter (tờ trình)")
    LIST = "list", _("List of the nominees")
    REPORT = "report", _("Signed achievement report of each nominee")
    MINUTES = "minutes", _("Minutes of the emulation council's meeting")
    INITIATIVES = "initiatives", _("Recognised initiatives of each nominee")
    OTHER = "other", _("Other attachments")


# Parts the portal makes itself from its data; the others are uploaded.
GENERATED_PARTS = {Part.LETTER, Part.LIST, Part.MINUTES}
# Parts checked nominee by nominee ("Nguyễn Văn A: thiếu báo cáo thành tích đã ký").
PER_NOMINEE_PARTS = {Part.REPORT, Part.INITIATIVES}


class Recipient(models.TextChoices):
    PROVINCE = "province", _("Provincial Emulation and Commendation Board (Department of Home "
                             "Affairs)")
    MINISTRY = "ministry", _("Ministry of Education and Training")


class DossierStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SENT = "sent", _("Sent")
    RETURNED = "returned", _("Returned for correction")
    RESENT = "resent", _("Sent again")
    RECALLED = "recalled", _("Recalled")
    DECIDED = "decided", _("Decided by the upper level")
    # The upper level commended no one of the dossier (its reason is kept): final.
    REFUSED = "refused", _("Not commended by the upper level")


# A dossier the upper level holds: it may return it, decide it, or the Office may recall it.
AT_UPPER_LEVEL = {DossierStatus.SENT, DossierStatus.RESENT}
# The Office may still change what it contains.
EDITABLE = {DossierStatus.DRAFT, DossierStatus.RETURNED}


class RequiredPart(models.Model):
    """One part an award asks for, with where that comes from: of the Department's dossier
    upward (`DossierRequirement`) or of a unit's list (`ProposalRequirement`,
    models_unit_dossier.py)."""

    part = models.CharField(_("part"), max_length=12, choices=Part.choices)
    source = models.CharField(_("source"), max_length=300)
    confirmed = models.BooleanField(_("confirmed"), default=False)

    class Meta:
        abstract = True
        ordering = ["award__order", "part"]

    def __str__(self):
        return f"{self.award}: {self.get_part_display()}"


class DossierRequirement(RequiredPart):
    """One part an award's dossier needs. The defaults (migration awards 0017) come from the
    practice of the provincial suites; where the decree's text was not checked the row says so
    (`confirmed` unticked)."""

    award = models.ForeignKey("awards.Award", verbose_name=_("award"), on_delete=models.CASCADE,
                              related_name="dossier_parts")

    class Meta(RequiredPart.Meta):
        verbose_name = _("required part of a dossier")
        verbose_name_plural = _("required parts of dossiers")
        constraints = [models.UniqueConstraint(fields=["award", "part"],
                                               name="dossier_part_once")]


class DossierQuerySet(models.QuerySet):
    def visible_to(self, viewer):
        """Readers of everything see every dossier; a unit's people those naming their unit
        (one of its people or the unit itself among the nominees)."""
        if viewer.reads_everything:
            return self
        if viewer.unit_id is None:
            return self.none()
        from .models import Nominee, ProposalStage  # models imports this module at its end
        from .models_special import SpecialProposal, SpecialStatus

        named = Nominee.objects.filter(
            proposal__unit_id=viewer.unit_id, proposal__stage=ProposalStage.APPROVED,
            passed=True).values_list("award_id", "proposal__year")
        # A unit's accepted proposal outside the annual cycle travels in the dossier too.
        special = SpecialProposal.objects.filter(
            unit_id=viewer.unit_id, status=SpecialStatus.ACCEPTED).values_list("award_id",
                                                                                "year")
        keys = set(named) | set(special)
        if not keys:
            return self.none()
        match = Q()
        for award_id, year in sorted(keys):
            match |= Q(award_id=award_id, year=year)
        return self.filter(match)


class Dossier(models.Model):
    """The dossier of one award for one year sent to one upper level."""

    year = models.PositiveSmallIntegerField(_("year"))
    award = models.ForeignKey("awards.Award", verbose_name=_("award"), on_delete=models.PROTECT,
                              related_name="dossiers")
    recipient = models.CharField(_("sent to"), max_length=10, choices=Recipient.choices)
    status = models.CharField(_("status"), max_length=10, choices=DossierStatus.choices,
                              default=DossierStatus.DRAFT)
    sent_on = models.DateField(_("sent on"), null=True, blank=True)
    sent_number = models.CharField(_("number of the letter"), max_length=60, blank=True)
    return_reason = models.TextField(_("reason for returning"), blank=True)
    # The parts the upper level asks to fix, chosen from the checklist (Part values).
    return_parts = models.JSONField(_("parts to fix"), default=list, blank=True)
    recall_reason = models.TextField(_("reason for the recall"), blank=True)
    decision_number = models.CharField(_("number of the upper decision"), max_length=60,
                                       blank=True)
    decided_on = models.DateField(_("date of the upper decision"), null=True, blank=True)
    decided_by = models.CharField(_("issued by"), max_length=200, blank=True)
    refusal_reason = models.TextField(_("why the upper level commended no one"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = DossierQuerySet.as_manager()

    class Meta:
        verbose_name = _("dossier sent upward")
        verbose_name_plural = _("dossiers sent upward")
        ordering = ["-year", "award__order", "recipient"]
        constraints = [
            models.UniqueConstraint(fields=["year", "award", "recipient"],
                                    name="one_dossier_per_level"),
            # An upper decision is registered once (with the Department's decisions: services).
            models.UniqueConstraint(fields=["decision_number"], condition=~Q(decision_number=""),
                                    name="upper_decision_once"),
        ]

    def __str__(self):
        return f"{self.award} {self.year} → {self.get_recipient_display()}"

    @property
    def editable(self) -> bool:
        return self.status in EDITABLE


class DossierAttachment(StoredFile):
    """An uploaded part: a nominee's signed achievement report (of a nominee of the annual lists,
    or of a proposal outside the annual cycle: `special`), or another attachment."""

    upload_folder = "dossiers"

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="attachments")
    part = models.CharField(_("part"), max_length=12, choices=Part.choices)
    # For a per-nominee part: whose it is.
    nominee = models.ForeignKey("awards.Nominee", verbose_name=_("nominee"),
                                on_delete=models.PROTECT, null=True, blank=True,
                                related_name="+")
    special = models.ForeignKey("awards.SpecialProposal", verbose_name=_("proposal"),
                                on_delete=models.PROTECT, null=True, blank=True,
                                related_name="+")

    class Meta(StoredFile.Meta):
        verbose_name = _("dossier attachment")
        verbose_name_plural = _("dossier attachments")
        constraints = [
            # Whose report it is: a nominee's or a special proposal's, never both.
            models.CheckConstraint(condition=Q(nominee__isnull=True) | Q(special__isnull=True),
                                   name="dossier_attachment_one_owner"),
        ]

    @property
    def owner_key(self):
        """The key of the row it belongs to (`dossiers.row_key`), None for another part."""
        if self.nominee_id:
            return f"n{self.nominee_id}"
        return f"s{self.special_id}" if self.special_id else None


class DossierEvent(models.Model):
    """One step of a dossier's way, shown on its page (the audit trail keeps it too)."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(auto_now_add=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                              related_name="+")
    status = models.CharField(_("status"), max_length=10, choices=DossierStatus.choices)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.dossier} {self.status}"

    @property
    def actor_name(self) -> str:
        """Who took the step, family name first ("Lê Thị Vân")."""
        return display_name(self.actor)


class SentNominee(models.Model):
    """A nominee as the dossier carried them when it was sent (or sent again): the province
    holds this list, whatever changes later in the annual lists. A returned dossier reads the
    lists again and is frozen anew when resent. `commended` says what the upper level did:
    None until it decides, False with the reason it gave for leaving the nominee out."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="sent_nominees")
    # SET_NULL: the record of what was sent outlives a list reopened and edited afterwards.
    nominee = models.ForeignKey("awards.Nominee", verbose_name=_("nominee"),
                                on_delete=models.SET_NULL, null=True, related_name="+")
    # Or the accepted proposal outside the annual cycle it carried (the seniority medal, an
    # extraordinary award of the province): at most one of the two.
    special = models.ForeignKey("awards.SpecialProposal", verbose_name=_("proposal"),
                                on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="sent_rows")
    staff = models.ForeignKey("units.StaffMember", on_delete=models.PROTECT, null=True,
                              blank=True, related_name="+")
    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("name as sent"), max_length=300)
    position = models.CharField(_("position as sent"), max_length=200, blank=True)
    unit_name = models.CharField(_("unit as sent"), max_length=300)
    order = models.PositiveIntegerField(default=0)
    commended = models.BooleanField(_("commended by the upper level"), null=True)
    upper_reason = models.TextField(_("why the upper level did not commend"), blank=True)

    class Meta:
        verbose_name = _("nominee as sent")
        verbose_name_plural = _("nominees as sent")
        ordering = ["dossier", "order"]
        constraints = [
            models.CheckConstraint(condition=Q(nominee__isnull=True) | Q(special__isnull=True),
                                   name="sent_nominee_one_source"),
        ]

    def __str__(self):
        return f"{self.dossier}: {self.name}"


class UpperRevocation(models.Model):
    """The issuer's revocation of an upper decision (or of some of its awards), recorded by the
    Office: the Department cannot revoke what the province or the Ministry decided, it records
    that they did. The conferrals it names are marked revoked as `services.revoke_decision`
    marks them, the reason carrying the revocation's number and date."""

    decision = models.ForeignKey("awards.Decision", verbose_name=_("revoked decision"),
                                 on_delete=models.PROTECT, related_name="upper_revocations")
    number = models.CharField(_("number of the revoking decision"), max_length=60, unique=True)
    revoked_on = models.DateField(_("date of the revoking decision"))
    issuer = models.CharField(_("issued by"), max_length=200)
    reason = models.TextField(_("reason"))
    conferrals = models.ManyToManyField("awards.Conferral", related_name="upper_revocations")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("revocation by the upper level")
        verbose_name_plural = _("revocations by the upper level")
        ordering = ["revoked_on", "pk"]

    def __str__(self):
        return f"{self.number} ({self.decision.number})"
