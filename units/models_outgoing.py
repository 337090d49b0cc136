"""The register of outgoing documents (sổ đăng ký văn bản đi): every document the Department
issues, with its number, date, subject, signer and file.

It lives in `units`, the Department's own app, not in `awards`: the register is the Department's
(Decree 30/2020, Article 15: one register per agency, numbers in sequence from 01/01 to 31/12),
and the plans of `campaigns` (KH) number from it as well as the decisions, letters and reports of
`awards`. An app to the right links its own object through the generic `target` (units never
imports awards). The numbering itself (the counter row locked per kind and year) is in
units/services_outgoing.py.
"""

import re

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.uploads import ALLOWED

from .collation import search_key


class DocumentKind(models.TextChoices):
    DECISION = "QD", _("Decision")
    PLAN = "KH", _("Plan")
    REPORT = "BC", _("Report")
    SUBMISSION = "TTR", _("Submission (tờ trình)")
    NOTICE = "TB", _("Notice")
    INVITATION = "GM", _("Invitation")
    LETTER = "CV", _("Official letter (công văn)")


# The abbreviation printed in the number (Decree 30, Appendix III); a công văn has none: its
# number is "123/SGDĐT-VP", the agency then the drafting office.
ABBREVIATION = {DocumentKind.DECISION: "QĐ", DocumentKind.PLAN: "KH", DocumentKind.REPORT: "BC",
                DocumentKind.SUBMISSION: "TTr", DocumentKind.NOTICE: "TB",
                DocumentKind.INVITATION: "GM", DocumentKind.LETTER: ""}


class DocumentState(models.TextChoices):
    ISSUED = "issued", _("Issued")
    # A cancelled number stays in the register with its reason: the sequence keeps no gap.
    CANCELLED = "cancelled", _("Cancelled")


def number_key(number: str) -> str:
    """The number as compared: capitals, no spaces ("1802/qđ-sgdđt " = "1802/QĐ-SGDĐT")."""
    return re.sub(r"\s+", "", number or "").upper()


def format_number(kind: str, sequence: int, *, symbol: str, office: str = "") -> str:
    """'05/QĐ-SGDĐT', '123/SGDĐT-VP': numbers under 10 take a leading 0 (Decree 30)."""
    abbreviation = ABBREVIATION[DocumentKind(kind)]
    if abbreviation:
        return f"{sequence:02d}/{abbreviation}-{symbol}"
    return f"{sequence:02d}/{symbol}-{office}" if office else f"{sequence:02d}/{symbol}"


def sequence_in_series(kind: str, number: str, *, symbol: str) -> int | None:
    """The sequence of a typed number when it is written as the register writes this kind
    ('1805/QĐ-SGDĐT' for a decision), else None (a number of another form or agency)."""
    abbreviation = ABBREVIATION[DocumentKind(kind)]
    tail = (re.escape(number_key(f"{abbreviation}-{symbol}")) if abbreviation
            else re.escape(number_key(symbol)) + r"(-[^/]+)?")
    found = re.fullmatch(rf"0*(\d{{1,7}})/{tail}", number_key(number))
    return int(found.group(1)) if found else None


class OutgoingCounter(models.Model):
    """The last number given in a series of a year; the row is locked (select_for_update) while
    a number is taken, and moves in the same transaction as the document it numbers."""

    year = models.PositiveSmallIntegerField()
    # A kind (per-kind numbering) or "" (one sequence for every kind): Department.numbering.
    series = models.CharField(max_length=8, blank=True)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["year", "series"],
                                               name="one_counter_per_series_and_year")]

    def __str__(self):
        return f"{self.series or '*'} {self.year}: {self.last}"


class OutgoingDocumentQuerySet(models.QuerySet):
    def search(self, *, text="", kind="", year=None, date_from=None, date_to=None, state=""):
        """The register's filters: text in the number, subject or signer (without accents)."""
        rows = self
        if text:
            rows = rows.filter(search_text__contains=search_key(text))
        if kind:
            rows = rows.filter(kind=kind)
        if year:
            rows = rows.filter(year=year)
        if date_from:
            rows = rows.filter(issued_on__gte=date_from)
        if date_to:
            rows = rows.filter(issued_on__lte=date_to)
        if state:
            rows = rows.filter(state=state)
        return rows


class OutgoingDocument(models.Model):
    year = models.PositiveSmallIntegerField(_("year"))
    kind = models.CharField(_("kind of document"), max_length=4, choices=DocumentKind.choices)
    series = models.CharField(max_length=8, blank=True, editable=False)
    # The place in its series; None for a typed number written in another form (another
    # agency's symbol, an old register's style): it keeps its number and takes no place.
    sequence = models.PositiveIntegerField(_("sequence"), null=True, blank=True)
    number = models.CharField(_("number and symbol"), max_length=80)
    number_key = models.CharField(max_length=80, editable=False)
    # Typed by the Office (a document numbered outside the portal), not given by the register.
    typed = models.BooleanField(_("number typed"), default=False)
    issued_on = models.DateField(_("date of the document"))
    subject = models.TextField(_("subject (trích yếu)"))
    signer_name = models.CharField(_("signed by"), max_length=120)
    signer_title = models.CharField(_("signer's title"), max_length=120, blank=True)
    office = models.CharField(_("drafting office"), max_length=40, default="VP",
                              help_text=_("Its abbreviation, e.g. VP for the Office."))
    recipients = models.TextField(_("recipients (nơi nhận)"), blank=True)
    file = models.FileField(_("file as issued"), upload_to="outgoing/%Y/", blank=True)
    filename = models.CharField(max_length=200, blank=True)
    # The object numbered (a decision, a dossier's letter): its app is to the right of units.
    # A dossier sent again has a letter each time: several entries may name one object.
    target_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, null=True,
                                    blank=True, related_name="+")
    target_id = models.PositiveBigIntegerField(null=True, blank=True)
    target = GenericForeignKey("target_type", "target_id")
    state = models.CharField(_("state"), max_length=10, choices=DocumentState.choices,
                             default=DocumentState.ISSUED)
    cancelled_reason = models.TextField(_("reason for cancelling"), blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancelled_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                     null=True, blank=True, related_name="+")
    search_text = models.TextField(editable=False, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = OutgoingDocumentQuerySet.as_manager()

    class Meta:
        verbose_name = _("outgoing document")
        verbose_name_plural = _("register of outgoing documents")
        ordering = ["-issued_on", "-sequence", "-id"]
        constraints = [
            # Numbers start again each year: unique within a year.
            models.UniqueConstraint(fields=["year", "number_key"],
                                    name="outgoing_number_once_a_year"),
            models.UniqueConstraint(fields=["year", "series", "sequence"],
                                    condition=Q(sequence__isnull=False),
                                    name="outgoing_sequence_once_a_year"),
        ]
        indexes = [models.Index(fields=["target_type", "target_id"])]

    def __str__(self):
        return self.number

    def save(self, *args, **kwargs):
        self.number_key = number_key(self.number)
        self.search_text = search_key(" ".join(
            (self.number, self.subject, self.signer_name, self.recipients)))
        super().save(*args, **kwargs)

    @property
    def cancelled(self) -> bool:
        return self.state == DocumentState.CANCELLED

    # What core.uploads.send_stored needs of a stored file.
    @property
    def original_name(self) -> str:
        return self.filename

    @property
    def extension(self) -> str:
        return self.filename.rsplit(".", 1)[-1].lower() if "." in self.filename else ""

    @property
    def content_type(self) -> str:
        return ALLOWED.get(self.extension, ("application/octet-stream",))[0]
