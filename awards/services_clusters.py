"""Recording a cluster meeting's proposal and putting its candidates on the commendation lists.

The meeting proposes, from the cluster's final ranking, one unit for the emulation flag (Cờ thi
đua của UBND tỉnh) and any units for a Bằng khen. Each candidate becomes a collective nominee on
that unit's list for the year (`Proposal`), through the same check and audit line as a nominee
added by hand; the lists then follow their usual path to the Office, the council and the
province. All or nothing: a candidate whose list has already been sent refuses the whole record.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from core.audit.trail import record
from scoring.models import Cluster

from . import services
from .models import Award, Nominee, ProposalStage
from .models_clusters import FLAG_CODE, ClusterMinutes, ClusterProposal


def flag_award() -> Award:
    return Award.objects.get(code=FLAG_CODE)


@transaction.atomic
def record_proposal(*, cluster, held_on, present, flag_unit, flag_votes, commended,
                    commendation, checked, upload, user) -> ClusterProposal:
    """Store the meeting's proposal with its minutes and add each candidate to its unit's list.

    Refused, with nothing stored, when the ranking is not final, a candidate is not a member,
    the votes exceed those present, or a candidate's list is no longer a draft."""
    # Locked: two people recording the same meeting at once would otherwise both pass.
    cluster = Cluster.objects.select_for_update().get(pk=cluster.pk)
    if cluster.round_closed_at is None:
        raise ValidationError(_("Close peer scoring first: the meeting proposes from the final "
                                "ranking."))
    if ClusterProposal.objects.filter(cluster=cluster).exists():
        raise ValidationError(_("The meeting's proposal is already recorded."))
    members = {m.unit_id: m.unit for m in cluster.members.select_related("unit")}
    if present > len(members):
        raise ValidationError(_("The cluster has %(count)s members: at most %(count)s can be "
                                "present.") % {"count": len(members)})
    if flag_votes > present:
        raise ValidationError(_("More votes than members present: correct the vote."))
    for unit in [flag_unit, *commended]:
        if unit.pk not in members:
            raise ValidationError(_("“%(unit)s” is not a member of the cluster.")
                                  % {"unit": unit})
    if commended and commendation is None:
        raise ValidationError(_("Choose the Bằng khen proposed for the units ticked."))
    proposal = ClusterProposal.objects.create(
        cluster=cluster, held_on=held_on, present=present, flag_unit=flag_unit,
        flag_votes=flag_votes, commendation=commendation if commended else None,
        recorded_by=user)
    proposal.commended.set(commended)
    meeting = _("Proposed by the meeting of %(cluster)s on %(date)s (%(votes)s of %(present)s "
                "members present voted for).") % {
        "cluster": cluster, "date": date_format(held_on, "SHORT_DATE_FORMAT"),
        "votes": flag_votes, "present": present}
    picks = [(flag_award(), flag_unit)] + [(commendation, unit) for unit in commended]
    for award, unit in picks:
        proposal.nominees.add(_nominate(unit, cluster.year, award, meeting, user))
    minutes = ClusterMinutes.from_checked(checked, upload=upload, user=user, proposal=proposal)
    try:
        minutes.save()
        record(actor=user, action="cluster.proposal", target=proposal, before=None, after={
            "held_on": held_on.isoformat(), "present": present, "flag_unit": flag_unit.pk,
            "flag_votes": flag_votes, "commended": sorted(u.pk for u in commended),
            "commendation": commendation.pk if commendation and commended else None,
            "minutes": checked.name, "sha256": checked.sha256})
    except Exception:
        minutes.file.delete(save=False)  # the row rolls back; the file must not stay behind
        raise
    return proposal


def _nominate(unit, year, award, meeting, user) -> Nominee:
    """The unit as a collective nominee for `award` on its draft list for `year`."""
    proposal = services._locked(services.proposal_for(unit, year), None)
    if proposal.stage != ProposalStage.DRAFT:
        raise ValidationError(_("The commendation list of %(unit)s for %(year)s has already "
                                "been sent (%(stage)s): ask the Office to return it to draft, "
                                "then record the meeting's proposal again.")
                              % {"unit": unit, "year": year,
                                 "stage": proposal.get_stage_display()})
    nominee = Nominee(award=award, staff=None, summary=meeting, justification=meeting)
    return services._save_checked(proposal, nominee, user)
