"""The demo's cluster meetings: for each closed cluster of the current year (scoring's demo),
the meeting held two days after the round closed proposes its first-ranked member for the
emulation flag and its second for the collective Bằng khen of the provincial chairman, with the
minutes uploaded. Each candidate goes onto its school's draft list for the year, as in the
portal (awards.services_clusters)."""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from core.audit.trail import dated
from core.uploads import check_evidence
from scoring.demo_clusters import _days
from scoring.models import Cluster
from tasks.demo import ascii_text, minimal_pdf, unit_heads

from . import services_clusters
from .models import Award
from .models_clusters import COLLECTIVE_CERTIFICATE_CODE


def load_cluster_proposals(*, office_user, today: datetime.date) -> dict:
    """Record the meeting of every closed cluster of `today`'s year that has none yet."""
    meeting = _days(today)["meeting"]
    heads = unit_heads()
    # The collective Bằng khen of the province (catalogue migration 0014), as the meeting's
    # form offers it.
    commendation = Award.objects.get(code=COLLECTIVE_CERTIFICATE_CODE)
    made = 0
    for cluster in (Cluster.objects.filter(year=today.year, round_closed_at__isnull=False,
                                           proposal__isnull=True).order_by("name")):
        ranked = [r.unit for r in cluster.results.select_related("unit").order_by("rank")]
        present = len(ranked)
        name = f"bien-ban-hop-cum-{cluster.pk}-{today.year}.pdf"
        upload = SimpleUploadedFile(name, minimal_pdf([
            ascii_text(f"BIEN BAN HOP {cluster.name}"),
            f"Ngay {meeting:%d/%m/%Y} - du lieu minh hoa (demo)"]), "application/pdf")
        at = timezone.make_aware(datetime.datetime.combine(meeting, datetime.time(15)))
        with dated(at):
            services_clusters.record_proposal(
                cluster=cluster, held_on=meeting, present=present, flag_unit=ranked[0],
                flag_votes=present - 1, commended=ranked[1:2],
                commendation=commendation, checked=check_evidence(upload), upload=upload,
                user=heads.get(cluster.head_id, office_user))
        made += 1
    return {"year": today.year, "meetings": made}
