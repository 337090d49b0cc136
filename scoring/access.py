"""Object helpers for scoring, built on the one policy in `units.access`.

Office, Union and directors read every sheet; a unit head reads their own unit's sheet and rank.
Who may write a sheet depends on the round: the unit's head in the self-assessment and the
explanation, the council (Office and Union) in the appraisals; nobody once a round is closed.
"""

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from campaigns.access import get_campaign_for
from units.access import refuse, require, viewer_for
from units.models import Unit

from .models import Cluster, ClusterPact, Round, Scheme, Score, ScoreEvidence, Sheet, Stage


def can_manage_scheme(user) -> bool:
    """The Office sets up the scheme and opens the self-assessment."""
    return viewer_for(user).manages_campaigns


def can_appraise(user) -> bool:
    """The council (Office and Union) appraises, moves the rounds on and recomputes."""
    return viewer_for(user).reviews


def can_lock_results(user) -> bool:
    """A director locks the final results."""
    return viewer_for(user).signs


def can_answer_for(user, unit_id) -> bool:
    """The unit's head answers its sheet in the self-assessment and the explanation round."""
    return viewer_for(user).heads(unit_id)


def get_scheme_for(user, campaign_pk, *, manage=False):
    """The campaign's scheme (404 when the campaign is not visible or has none yet);
    `manage` needs the Office."""
    campaign = get_campaign_for(user, campaign_pk)
    found = Scheme.objects.filter(campaign=campaign).select_related("campaign").first()
    if found is None:
        raise Http404
    found.campaign = campaign
    if manage:
        require(viewer_for(user).manages_campaigns, found)
    return found


def visible_round(scheme, round_pk=None) -> Round | None:
    """The round asked for, or the one people look at by default: the open round, else the last
    closed one."""
    rounds = scheme.rounds.all()
    if round_pk:
        try:
            return get_object_or_404(rounds, pk=int(round_pk))
        except ValueError as error:
            raise Http404 from error
    return rounds.filter(closed_at__isnull=True).first() or rounds.order_by("-opened_at").first()


def get_unit_sheet_for(user, unit_pk, round_) -> tuple[Unit, Sheet | None]:
    """A unit the user may read the sheet of (404 for other units' sheets), and its sheet in
    the round (None when the unit has no work in the campaign)."""
    unit = get_object_or_404(Unit, pk=unit_pk)
    if not viewer_for(user).can_see_unit(unit):
        refuse(unit)
    sheet = None
    if round_ is not None:
        sheet = round_.sheets.filter(unit=unit).first()
    return unit, sheet


def sheet_mode(user, sheet) -> str | None:
    """What the user may write on this sheet now: "self", "appraise", "explain" or None."""
    if sheet is None or sheet.round.is_closed:
        return None
    viewer = viewer_for(user)
    kind = sheet.round.kind
    # Units answer by the round's deadline; the council may still work until it closes the round.
    in_time = timezone.localdate() <= sheet.round.deadline
    if kind == Stage.SELF and in_time and viewer.heads(sheet.unit_id):
        return "self" if sheet.confirmed_at is None else None
    if kind == Stage.EXPLANATION and in_time and viewer.heads(sheet.unit_id):
        return "explain"
    if kind in (Stage.APPRAISAL, Stage.FINAL) and viewer.reviews:
        return "appraise"
    return None


def get_score_for(user, pk) -> Score:
    """A score (one criterion of a unit's sheet in a round) of a unit the user may read."""
    score = get_object_or_404(Score.objects.select_related("round__scheme", "criterion", "unit"),
                              pk=pk)
    if not viewer_for(user).can_see_unit(score.unit):
        refuse(score.unit)  # as get_unit_sheet_for: the refused unit is what the trail names
    return score


def get_score_evidence_for(user, pk) -> ScoreEvidence:
    evidence = get_object_or_404(
        ScoreEvidence.objects.select_related("score__unit", "score__round__scheme"), pk=pk)
    if not viewer_for(user).can_see_unit(evidence.score.unit):
        refuse(evidence.score)
    return evidence


# -- emulation clusters (cụm, khối thi đua) ---------------------------------------------------

def can_manage_clusters(user) -> bool:
    """The Office defines the clusters of a year, their members, head and pact."""
    return viewer_for(user).manages_campaigns


def get_cluster_for(user, pk, *, manage=False) -> Cluster:
    """A cluster the user may read (readers of everything; the members' people), else 404;
    `manage` needs the Office (403)."""
    cluster = get_object_or_404(Cluster.objects.select_related("head", "deputy"), pk=pk)
    viewer = viewer_for(user)
    if not Cluster.objects.visible_to(viewer).filter(pk=pk).exists():
        refuse(cluster)
    if manage:
        require(viewer.manages_campaigns, cluster)
    return cluster


def can_run_cluster_round(user, cluster) -> bool:
    """The Office or the head of the cluster's head unit opens and closes peer scoring and
    records the meeting's proposal."""
    viewer = viewer_for(user)
    return viewer.manages_campaigns or viewer.heads(cluster.head_id)


def peer_scorer_for(user, cluster) -> int | None:
    """The member unit whose head this user is (who scores the other members), else None."""
    viewer = viewer_for(user)
    if viewer.unit_id and viewer.heads(viewer.unit_id) and cluster.members.filter(
            unit_id=viewer.unit_id).exists():
        return viewer.unit_id
    return None


def get_cluster_pact_for(user, pk) -> ClusterPact:
    pact = get_object_or_404(ClusterPact, pk=pk)
    get_cluster_for(user, pact.cluster_id)
    return pact
