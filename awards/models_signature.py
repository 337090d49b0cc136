"""A decision's PDF as the director signed it digitally (awards/services_signing.py)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class SignedDecision(models.Model):
    """The decision's PDF as built when it was signed, and the same file signed beside it: every
    later download of the decision's PDF serves the signed one (awards/documents/decision.py)."""

    decision = models.OneToOneField("Decision", verbose_name=_("decision"),
                                    on_delete=models.PROTECT, related_name="signed")
    unsigned_file = models.FileField(upload_to="signed/%Y/")
    file = models.FileField(upload_to="signed/%Y/")
    filename = models.CharField(max_length=200)
    unsigned_sha256 = models.CharField(max_length=64)
    sha256 = models.CharField(max_length=64)
    subject = models.CharField(_("certificate"), max_length=500)
    serial = models.CharField(_("certificate serial number"), max_length=80)
    timestamped = models.BooleanField(_("timestamped"), default=False)
    signed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                  related_name="+")
    signed_at = models.DateTimeField(_("signed at"))
    pages = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        verbose_name = _("digitally signed decision")
        verbose_name_plural = _("digitally signed decisions")

    def __str__(self):
        return str(self.decision)
