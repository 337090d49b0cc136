"""A cluster meeting's proposal (cụm thi đua): the flag candidate and Bằng khen candidates.

The cluster, its members and its ranking live in `scoring` (the round runs on the scoring
engine); what the meeting proposes belongs to the commendation lists, so it lives here and
becomes nominees on each candidate unit's list (`awards.services_clusters`).
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from scoring.models import Cluster
from tasks.models import StoredFile
from units.models import Unit

# The emulation flag of the provincial People's Committee, the award a cluster proposes.
FLAG_CODE = "co-thi-dua-ubnd-tinh"
# The collective Bằng khen of the provincial chairman, the one the demo's meetings propose
# (the form offers every collective Bằng khen of the catalogue).
COLLECTIVE_CERTIFICATE_CODE = "bang-khen-chu-tich-ubnd-tinh-tap-the"


class ClusterProposal(models.Model):
    """What a cluster's year-end meeting proposed, with the vote and the minutes."""

    cluster = models.OneToOneField(Cluster, on_delete=models.CASCADE, related_name="proposal")
    held_on = models.DateField(_("meeting held on"))
    present = models.PositiveSmallIntegerField(_("member units present"))
    flag_unit = models.ForeignKey(Unit, verbose_name=_("emulation flag candidate"),
                                  on_delete=models.PROTECT, related_name="+")
    flag_votes = models.PositiveSmallIntegerField(_("votes for the flag candidate"))
    commended = models.ManyToManyField(Unit, verbose_name=_("Bằng khen candidates"),
                                       blank=True, related_name="+")
    commendation = models.ForeignKey("awards.Award", verbose_name=_("Bằng khen proposed"),
                                     on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+")
    # The nominees this proposal put on the candidates' lists (the commendation lists).
    nominees = models.ManyToManyField("awards.Nominee", blank=True, related_name="+")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("cluster proposal")
        verbose_name_plural = _("cluster proposals")

    def __str__(self):
        return str(self.cluster)

    @property
    def audit_unit_id(self) -> int:
        return self.cluster.head_id


class ClusterMinutes(StoredFile):
    """The minutes of the cluster's meeting (biên bản họp cụm), as uploaded."""

    upload_folder = "clusters"

    proposal = models.ForeignKey(ClusterProposal, on_delete=models.CASCADE,
                                 related_name="minutes")

    class Meta(StoredFile.Meta):
        verbose_name = _("meeting minutes")
        verbose_name_plural = _("meeting minutes")

    def get_absolute_url(self):
        return reverse("awards:cluster_minutes", args=[self.pk])
