"""Where the texts of a certificate go on the department's pre-printed blanks (Giấy khen).

A blank comes from the printer with the border, the national title and the agency already on it:
the portal prints only the texts, each at the position the administrator measured on the
calibration sheet (awards/documents/certificates.py). Positions are millimetres from the top
left corner of the paper, as a ruler laid on the blank reads them.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Paper(models.TextChoices):
    A4_LANDSCAPE = "a4-landscape", _("A4 landscape")
    A4_PORTRAIT = "a4-portrait", _("A4 portrait")


# (width, height) in millimetres.
PAPER_SIZES = {Paper.A4_LANDSCAPE: (297, 210), Paper.A4_PORTRAIT: (210, 297)}


class Align(models.TextChoices):
    LEFT = "left", _("Left")
    CENTER = "center", pgettext_lazy("alignment", "Centre")
    RIGHT = "right", _("Right")


# The texts printed on a blank, in the order the form lists them.
FIELDS = {
    "name": _("Recipient's name"),
    "position": _("Position and unit"),
    "achievement": _("Achievement"),
    "number": _("Decision number"),
    "date": _("Decision date"),
    "place_date": _("Place and date"),
    "signer_title": _("Signer's title"),
    "signer_name": _("Signer's name"),
    "book": _("Book number"),
}

# Where each text sits on the department's Giấy khen blank until measured (A4 landscape, the
# usual design: name in the middle, place and date and signature bottom right).
DEFAULT_FIELDS = {
    "name": {"x": 48.5, "y": 86, "width": 200, "size": 22, "align": "center", "shown": True},
    "position": {"x": 48.5, "y": 100, "width": 200, "size": 14, "align": "center",
                 "shown": True},
    "achievement": {"x": 48.5, "y": 112, "width": 200, "size": 14, "align": "center",
                    "shown": True},
    "number": {"x": 40, "y": 160, "width": 70, "size": 12, "align": "left", "shown": True},
    "date": {"x": 40, "y": 168, "width": 70, "size": 12, "align": "left", "shown": True},
    "place_date": {"x": 160, "y": 132, "width": 110, "size": 13, "align": "center",
                   "shown": True},
    "signer_title": {"x": 160, "y": 142.5, "width": 110, "size": 13, "align": "center",
                     "shown": True},
    "signer_name": {"x": 160, "y": 180, "width": 110, "size": 14, "align": "center",
                    "shown": True},
    "book": {"x": 40, "y": 176, "width": 70, "size": 12, "align": "left", "shown": True},
}


class CertificateLayoutQuerySet(models.QuerySet):
    def for_award(self, award_id):
        """The layouts that fit an award: its own and those for any award."""
        return self.filter(models.Q(award_id=award_id) | models.Q(award__isnull=True))


class CertificateLayout(models.Model):
    """The positions of a certificate's texts on one kind of pre-printed blank."""

    name = models.CharField(_("name"), max_length=120, unique=True,
                            help_text=_("As the clerk knows the blank, e.g. “Giấy khen của "
                                        "Giám đốc Sở (phôi 2022)”."))
    award = models.ForeignKey("awards.Award", verbose_name=_("award"), null=True, blank=True,
                              on_delete=models.PROTECT, related_name="certificate_layouts",
                              help_text=_("Empty: offered for every award."))
    paper = models.CharField(_("paper"), max_length=20, choices=Paper.choices,
                             default=Paper.A4_LANDSCAPE)
    # {field: {"x", "y", "width" (mm), "size" (pt), "align", "shown"}} for each key of FIELDS.
    positions = models.JSONField(_("positions"), default=dict)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = CertificateLayoutQuerySet.as_manager()

    class Meta:
        verbose_name = _("certificate layout")
        verbose_name_plural = _("certificate layouts")
        ordering = ["name", "pk"]

    def __str__(self):
        return self.name

    @property
    def size(self) -> tuple[int, int]:
        """(width, height) of the paper in millimetres."""
        return PAPER_SIZES[Paper(self.paper)]

    def field(self, key: str) -> dict:
        """A field's position, the default where the layout was saved before the field
        existed."""
        return {**DEFAULT_FIELDS[key], **self.positions.get(key, {})}
