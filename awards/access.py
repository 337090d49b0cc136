"""Who may see and act on ratings, commendation lists, decisions and generated documents
(built on units.access.Viewer)."""

from django.conf import settings
from django.shortcuts import get_object_or_404

from scoring.access import can_run_cluster_round, get_cluster_for
from units.access import can_edit_identity, refuse, require, viewer_for
from units.models import OutgoingDocument

from .models import PUBLIC_STAGES, Conferral, Decision, GeneratedDocument, Proposal
from .models_clusters import ClusterMinutes
from .models_special import SpecialProposal


def can_edit_ratings(user, unit) -> bool:
    """The unit's head enters its year-end ratings; the reviewers may correct them."""
    viewer = viewer_for(user)
    return viewer.heads(unit.pk) or viewer.reviews


def can_read_catalogue(user) -> bool:
    """The catalogue and its legal sources are public law: everyone signed in reads them."""
    return user.is_authenticated


def can_review_eligibility(user, unit) -> bool:
    return viewer_for(user).reviews_eligibility(unit.pk)


def can_view_details(user, proposal) -> bool:
    """Verdicts cite colleagues' ratings and discipline: the unit's head and the reviewers."""
    viewer = viewer_for(user)
    return viewer.reads_everything or viewer.heads(proposal.unit_id)


def can_edit_proposal(user, proposal) -> bool:
    """The unit's head drafts its list (administrators may step in)."""
    viewer = viewer_for(user)
    return viewer.heads(proposal.unit_id) or viewer.is_admin


def can_review_proposals(user) -> bool:
    """The Office and the Union check a list, put it on notice; the council votes."""
    return viewer_for(user).reviews


def can_approve(user) -> bool:
    """A director approves a list and revokes a decision."""
    return viewer_for(user).signs


def can_issue_decisions(user) -> bool:
    """The Office registers signed decisions; directors sign them and may register them too."""
    viewer = viewer_for(user)
    return viewer.is_office or viewer.signs


def can_read_register(user) -> bool:
    """The register of outgoing documents: the Office keeps it, directors read it."""
    viewer = viewer_for(user)
    return viewer.is_office or viewer.signs


def can_keep_register(user) -> bool:
    """The Office registers a document by hand and cancels a number (administrators too)."""
    viewer = viewer_for(user)
    return viewer.is_office or viewer.is_admin


def get_outgoing_for(user, pk, *, keep=False) -> OutgoingDocument:
    """A document of the register (the Department's: no unit to hide it from; 403 without the
    role)."""
    document = get_object_or_404(OutgoingDocument, pk=pk)
    require(can_keep_register(user) if keep else can_read_register(user), document)
    return document


def get_proposal_for(user, pk) -> Proposal:
    proposal = get_object_or_404(Proposal.objects.select_related("unit"), pk=pk)
    if can_view_details(user, proposal) or proposal.stage in PUBLIC_STAGES:
        return proposal
    return refuse(proposal)


def can_view_decision(user, decision_id) -> bool:
    """Readers of everything see every decision; others those naming their unit (the decision
    page and its printed document, awards/documents/decision.py)."""
    viewer = viewer_for(user)
    if viewer.reads_everything:
        return True
    if viewer.unit_id is None:
        return False
    return Conferral.objects.filter(issued_by_id=decision_id, unit_id=viewer.unit_id).exists()


def can_sign_decision(user, decision) -> bool:
    """Who approves signs: a director (an administrator may step in, as for approving), on the
    Department's own decisions (an upper level's decision is signed by its issuer)."""
    return viewer_for(user).signs and not decision.from_upper_level


def can_verify_signatures(user) -> bool:
    """The verification page: everyone signed in, or anyone when SIGNATURE_VERIFY_PUBLIC says
    so (whoever received a signed PDF may check it)."""
    return user.is_authenticated or settings.SIGNATURE_VERIFY_PUBLIC


def get_decision_for(user, pk) -> Decision:
    decision = get_object_or_404(Decision.objects.select_related("award"), pk=pk)
    if can_view_decision(user, decision.pk):
        return decision
    return refuse(decision)


def get_document_for(user, pk) -> GeneratedDocument:
    """A generated document its requester (or an administrator) may see; anyone else gets 404.

    Documents are personal: what someone else asked for is not even said to exist.
    """
    document = get_object_or_404(GeneratedDocument, pk=pk)
    if document.requested_by_id != user.pk and not viewer_for(user).is_admin:
        refuse(document)
    return document


def refuse_document(user):
    """A document kind the user may not have: someone who sees only their own unit gets 404,
    as in units.access, so that asking for another unit's document does not tell them it
    exists; others learn that it is refused (403)."""
    viewer = viewer_for(user)
    if viewer.unit_id is not None and not viewer.reads_everything:
        refuse(None)
    require(False)


def can_record_cluster_proposal(user, cluster) -> bool:
    """Who runs the cluster's round (the Office or the cluster head's head) records what its
    meeting proposed."""
    return can_run_cluster_round(user, cluster)


def get_cluster_minutes_for(user, pk) -> ClusterMinutes:
    minutes = get_object_or_404(ClusterMinutes.objects.select_related("proposal"), pk=pk)
    get_cluster_for(user, minutes.proposal.cluster_id)
    return minutes


# --- Emulation registration ----------------------------------------------------------------


def can_manage_registration(user) -> bool:
    """The Office opens a year's registration, extends or closes it, and accepts or returns
    each unit's (administrators may step in)."""
    return viewer_for(user).manages_campaigns


def can_view_every_registration(user) -> bool:
    """The overview of every unit's registration: readers of everything."""
    return viewer_for(user).reads_everything


def can_edit_registration(user, unit) -> bool:
    """The unit's head registers the unit and its people (administrators may step in)."""
    viewer = viewer_for(user)
    return viewer.heads(unit.pk) or viewer.is_admin


def can_export_registration(user, unit) -> bool:
    """A unit's registrations as Excel: its head, and readers of everything (colleagues'
    titles are read on the unit's page, the file is for whoever files them)."""
    viewer = viewer_for(user)
    return viewer.heads(unit.pk) or viewer.reads_everything


# --- Awards outside the annual cycle (topic, extraordinary, seniority) --------------------------


def can_propose_special(user, unit) -> bool:
    """A unit's head proposes their own unit's people; the Office (and administrators) any
    unit's."""
    viewer = viewer_for(user)
    return viewer.heads(unit.pk) or viewer.manages_campaigns


def can_review_special(user) -> bool:
    """The Office accepts or returns a proposal outside the annual cycle."""
    return viewer_for(user).manages_campaigns


def can_view_specials(user) -> bool:
    """The proposals' page: readers of everything and unit heads (each person's verdict cites
    their record, as on the eligibility page)."""
    viewer = viewer_for(user)
    return viewer.reads_everything or viewer.is_unit_head


def specials_visible_to(user):
    return SpecialProposal.objects.visible_to(viewer_for(user))


def get_special_for(user, pk):
    special = get_object_or_404(SpecialProposal.objects.select_related("unit", "award"), pk=pk)
    viewer = viewer_for(user)
    if viewer.reads_everything or viewer.heads(special.unit_id):
        return special
    return refuse(special)


# --- Bonus money and the reward fund ----------------------------------------------------------


def can_manage_bonus(user) -> bool:
    """The Office records payout lists and the fund's income (administrators may step in)."""
    return viewer_for(user).manages_campaigns


def can_approve_fund_override(user) -> bool:
    """A payout list beyond the fund is paid once a director approves it (administrators may
    step in); the Office that wrote the reason does not approve its own override."""
    return viewer_for(user).signs


def can_view_fund(user) -> bool:
    """The reward fund's ledger: readers of everything (directors approve the spending)."""
    return viewer_for(user).reads_everything


def can_view_statistics(user) -> bool:
    """The statistics forms of Circular 02/2023/TT-BNV: readers of everything (the Office
    prepares them, a director signs). They count the whole Department's awards for its report
    upward; a unit's slice is no form of the circular, and a unit head reads their unit's
    awards in the award history."""
    return viewer_for(user).reads_everything


def can_view_bonus(user) -> bool:
    """The bonus page: readers of everything, and unit heads (the payouts naming their unit)."""
    viewer = viewer_for(user)
    return viewer.reads_everything or viewer.is_unit_head


# --- Dossiers sent upward (hồ sơ đề nghị khen thưởng) -----------------------------------------


def can_view_dossiers(user) -> bool:
    """The dossiers' page: readers of everything, and unit heads (the dossiers naming their
    unit), as for the proposals outside the annual cycle."""
    viewer = viewer_for(user)
    return viewer.reads_everything or viewer.is_unit_head


def payout_decisions_for(user):
    """The decisions whose payout lists the user may read: as the decisions themselves."""
    return Decision.objects.visible_to(viewer_for(user))


def can_manage_dossiers(user) -> bool:
    """The Office builds a dossier, uploads its parts, sends it (the signed letter's number is
    the director's approval) and records what the upper level did (administrators may step
    in)."""
    return viewer_for(user).manages_campaigns


def dossiers_visible_to(user):
    from .models_dossier import Dossier

    return Dossier.objects.visible_to(viewer_for(user))


def get_dossier_for(user, pk):
    """A dossier its readers may see: readers of everything, the heads of the units it names;
    anyone else gets 404."""
    from .models_dossier import Dossier

    dossier = get_object_or_404(Dossier.objects.select_related("award"), pk=pk)
    if can_view_dossiers(user) and dossiers_visible_to(user).filter(pk=dossier.pk).exists():
        return dossier
    return refuse(dossier)


def get_dossier_attachment_for(user, pk):
    from .models_dossier import DossierAttachment

    attachment = get_object_or_404(DossierAttachment.objects.select_related("dossier"), pk=pk)
    get_dossier_for(user, attachment.dossier_id)
    return attachment


def can_download_dossier(user) -> bool:
    """The assembled dossier (every unit's signed reports): readers of everything."""
    return viewer_for(user).reads_everything


def can_read_nominee_report(user, unit_id) -> bool:
    """A nominee's achievement report from the template: readers of everything, and the head
    of the nominee's unit, who has it completed and signed."""
    viewer = viewer_for(user)
    return viewer.reads_everything or viewer.heads(unit_id)


# --- A unit's list as a dossier to the Department ---------------------------------------------


def can_attach_to_proposal(user, proposal) -> bool:
    """The unit's head uploads its own list's parts; the Office (and administrators) any
    unit's."""
    viewer = viewer_for(user)
    return viewer.heads(proposal.unit_id) or viewer.is_office or viewer.is_admin


def get_proposal_attachment_for(user, pk):
    """An uploaded part, for whoever may read its list; anyone else gets 404."""
    from .models_unit_dossier import ProposalAttachment

    attachment = get_object_or_404(ProposalAttachment.objects.select_related("proposal"), pk=pk)
    get_proposal_for(user, attachment.proposal_id)
    return attachment


def can_download_proposal_dossier(user) -> bool:
    """A unit's whole dossier as one ZIP (every nominee's signed report): readers of
    everything."""
    return viewer_for(user).reads_everything


def can_manage_word_templates(user) -> bool:
    """The department's own Word templates are part of its letterhead: the administrator's,
    as the identity is (units.access.can_edit_identity)."""
    return can_edit_identity(user)


def can_manage_certificate_layouts(user) -> bool:
    """Where the texts go on the department's pre-printed certificate blanks: set, with its
    calibration sheet, by the administrator who keeps the letterhead and the Word templates."""
    return can_manage_word_templates(user)
