"""A campaign is one year's plan (kế hoạch phát động phong trào thi đua), kept as a document."""

from django.conf import settings
from django.db import models
from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from units import identity
from units.models import Unit


class CampaignStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    LAUNCHED = "launched", _("Launched")
    CLOSED = "closed", _("Closed")


class CampaignQuerySet(models.QuerySet):
    def visible_to(self, viewer):
        """Drafts are working papers of the Office; everyone reads launched and closed plans."""
        if viewer.sees_drafts:
            return self
        return self.exclude(status=CampaignStatus.DRAFT)

    def with_counts(self):
        return self.annotate(
            item_count=Count("items", distinct=True),
            confirmed_count=Count(
                "disseminations",
                filter=Q(disseminations__confirmed_at__isnull=False),
                distinct=True,
            ),
            dissemination_count=Count("disseminations", distinct=True),
        )


class Campaign(models.Model):
    number = models.CharField(
        _("number"), max_length=20, help_text=_("The document number, e.g. 25.")
    )
    symbol = models.CharField(
        _("symbol"), max_length=40, default="KH-SGDĐT", help_text=_("For example KH-SGDĐT.")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    title = models.CharField(
        pgettext_lazy("campaign", "title"),
        max_length=300,
        help_text=_("The campaign's motto, without quotation marks."),
    )
    # A new plan starts from the department's identity (units.identity), then keeps what it
    # printed: a later change of identity leaves issued plans as they were.
    parent_agency = models.CharField(
        _("parent agency"), max_length=200, default=identity.parent_agency
    )
    issuing_unit = models.ForeignKey(
        Unit, verbose_name=_("issuing body"), on_delete=models.PROTECT, related_name="+"
    )
    issuing_name = models.CharField(
        _("issuing body as printed"),
        max_length=200,
        default=identity.issuing_name,
        help_text=_("The name in the document header, under the parent agency."),
    )
    place = models.CharField(_("place of issue"), max_length=80, default=identity.place)
    issued_on = models.DateField(_("date of issue"), null=True, blank=True)
    signer_name = models.CharField(_("signer"), max_length=120, blank=True,
                                   default=identity.director_name)
    signer_title = models.CharField(_("signer's title"), max_length=120,
                                    default=identity.director_title)
    signer_prefix = models.CharField(
        _("signature prefix"), max_length=10, blank=True, help_text=_("KT., TM. or TL.")
    )
    preamble = models.TextField(
        _("closing line of the legal bases"),
        blank=True,
        help_text=_("The sentence after the legal bases, e.g. '… xây dựng Kế hoạch … như sau:'."),
    )
    purposes = models.TextField(_("purposes"), blank=True, help_text=_("One paragraph per line."))
    requirements = models.TextField(
        _("requirements"), blank=True, help_text=_("One paragraph per line.")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=CampaignStatus.choices, default=CampaignStatus.DRAFT
    )
    launched_at = models.DateTimeField(_("launched at"), null=True, blank=True)
    launched_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    copied_from = models.ForeignKey(
        "self",
        verbose_name=_("copied from"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="copies",
    )
    # Optimistic locking: an edit made from a stale page is refused instead of overwriting.
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CampaignQuerySet.as_manager()

    class Meta:
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        ordering = ["-year", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["number", "symbol", "year"],
                name="campaign_unique_number_year",
                violation_error_message=_(
                    "A plan with this number and symbol already exists for this year."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.code} – {self.title}"

    def get_absolute_url(self):
        return reverse("campaigns:detail", args=[self.pk])

    @property
    def code(self):
        return f"{self.number}/{self.symbol}"

    @property
    def is_draft(self):
        return self.status == CampaignStatus.DRAFT

    @property
    def is_launched(self):
        return self.status == CampaignStatus.LAUNCHED

    def purpose_paragraphs(self):
        return [p.strip() for p in self.purposes.splitlines() if p.strip()]

    def requirement_paragraphs(self):
        return [p.strip() for p in self.requirements.splitlines() if p.strip()]

    def implementing_units(self):
        """Units asked to disseminate the plan (section III of the plan, the duties that say so)."""
        return Unit.objects.filter(
            duties__campaign=self, duties__asks_dissemination=True, is_active=True
        ).distinct()


class LegalBasis(models.Model):
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="legal_bases")
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    doc_type = models.CharField(_("document type"), max_length=40, help_text=_("E.g. Quyết định."))
    number = models.CharField(_("document number"), max_length=40)
    date = models.DateField(_("date"))
    issuer = models.CharField(_("issuer"), max_length=200)
    subject = models.TextField(_("subject"))

    class Meta:
        verbose_name = _("legal basis")
        verbose_name_plural = _("legal bases")
        ordering = ["order", "id"]

    def __str__(self):
        return f"{self.doc_type} {self.number}"


class ContentItem(models.Model):
    """One numbered item of section II (Nội dung thực hiện); tasks are created under it."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="items")
    number = models.PositiveSmallIntegerField(_("number"))
    text = models.TextField(_("content"))
    short_title = models.CharField(
        _("short title"), max_length=120, blank=True, help_text=_("Used in tables and charts.")
    )

    class Meta:
        verbose_name = _("content item")
        verbose_name_plural = _("content items")
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "number"],
                name="content_item_unique_number",
                violation_error_message=_("Two content items cannot have the same number."),
            ),
        ]

    def __str__(self):
        return f"{self.number}. {self.short_title or self.text[:80]}"


class Duty(models.Model):
    """One numbered point of section III (Tổ chức thực hiện): which units do what."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="duties")
    number = models.PositiveSmallIntegerField(_("number"))
    text = models.TextField(_("text"))
    units = models.ManyToManyField(
        Unit, verbose_name=_("responsible units"), blank=True, related_name="duties"
    )
    asks_dissemination = models.BooleanField(
        _("units must confirm dissemination"),
        default=False,
        help_text=_(
            "On launch, each of these units is asked to confirm it has informed its staff."
        ),
    )

    class Meta:
        verbose_name = _("organisation duty")
        verbose_name_plural = _("organisation duties")
        ordering = ["number"]

    def __str__(self):
        return f"{self.number}. {self.text[:80]}"


class RecipientPurpose(models.TextChoices):
    REPORT = "report", _("để báo cáo")
    IMPLEMENT = "implement", _("để thực hiện")
    INFORM = "inform", _("để biết")
    ARCHIVE = "archive", _("archive")


class Recipient(models.Model):
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="recipients")
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    name = models.CharField(_("recipient"), max_length=200)
    purpose = models.CharField(
        _("purpose"), max_length=10, choices=RecipientPurpose.choices, blank=True
    )

    class Meta:
        verbose_name = _("recipient")
        verbose_name_plural = _("recipients")
        ordering = ["order", "id"]

    def __str__(self):
        return self.display

    @property
    def display(self):
        if self.purpose == RecipientPurpose.ARCHIVE:
            return f"Lưu: {self.name}"
        if self.purpose:
            return f"{self.name} ({self.get_purpose_display()})"
        return self.name


class DisseminationQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(confirmed_at__isnull=True)

    def confirmed(self):
        return self.filter(confirmed_at__isnull=False)


class Dissemination(models.Model):
    """A unit's confirmation that it has informed all its staff of the plan (section III.2)."""

    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="disseminations"
    )
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="disseminations")
    disseminated_on = models.DateField(_("date disseminated"), null=True, blank=True)
    staff_reached = models.PositiveIntegerField(_("staff reached"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("confirmed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = DisseminationQuerySet.as_manager()

    class Meta:
        verbose_name = _("dissemination confirmation")
        verbose_name_plural = _("dissemination confirmations")
        ordering = ["unit__order", "unit__name"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "unit"], name="dissemination_unique_unit"),
        ]

    def __str__(self):
        return f"{self.unit} – {self.campaign.code}"

    @property
    def is_confirmed(self):
        return self.confirmed_at is not None

    def snapshot(self):
        return {
            "disseminated_on": self.disseminated_on.isoformat() if self.disseminated_on else None,
            "staff_reached": self.staff_reached,
            "note": self.note,
        }
