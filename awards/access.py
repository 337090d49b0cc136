"""Who may see and act on commendation lists and decisions (built on units.access.Viewer)."""

from django.shortcuts import get_object_or_404

from units.access import refuse, viewer_for

from .models import Decision, Proposal, ProposalStage

# From the public notice on, a list is shown to all staff (transparency before the decision).
PUBLIC_STAGES = {ProposalStage.NOTICE, ProposalStage.VOTED, ProposalStage.APPROVED}


def sees_details(viewer, proposal) -> bool:
    """Verdicts cite colleagues' ratings and discipline: the unit's head and the reviewers."""
    return viewer.reads_everything or viewer.heads(proposal.unit_id)


def get_proposal_for(user, pk) -> Proposal:
    proposal = get_object_or_404(Proposal.objects.select_related("unit"), pk=pk)
    viewer = viewer_for(user)
    if sees_details(viewer, proposal) or proposal.stage in PUBLIC_STAGES:
        return proposal
    return refuse(proposal)


def edits(viewer, proposal) -> bool:
    """The unit's head drafts its list (administrators may step in)."""
    return viewer.heads(proposal.unit_id) or viewer.is_admin


def issues_decisions(viewer) -> bool:
    """The Office registers signed decisions; directors sign them and may register them too."""
    return viewer.is_office or viewer.is_director or viewer.is_admin


def approves(viewer) -> bool:
    return viewer.is_director or viewer.is_admin


def get_decision_for(user, pk) -> Decision:
    """Readers of everything see every decision; others those naming their unit."""
    decision = get_object_or_404(Decision.objects.select_related("award"), pk=pk)
    viewer = viewer_for(user)
    if viewer.reads_everything or decision.conferrals.filter(unit_id=viewer.unit_id).exists():
        return decision
    return refuse(decision)
