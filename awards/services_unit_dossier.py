"""Writes of a unit's list as a dossier: its uploaded parts (the signed letter, the council's
minutes, each nominee's signed report or initiative, other files). The steps of its way (sent,
returned, recalled, sent again) are the list's own steps in services.py. Each upload is one
transaction and one audit line; bad input raises `WorkflowError` and stores nothing."""

from django.db import transaction
from django.utils.translation import gettext as _

from .dossier_parts import remove, store
from .models import Proposal, ProposalStage
from .models_dossier import PER_NOMINEE_PARTS, Part
from .models_unit_dossier import ProposalAttachment
from .services import WorkflowError
from .unit_dossier import UPLOADED

# One file stands for each of these: a new upload replaces the old one.
SINGLE = {Part.LETTER, Part.MINUTES}


def _editable(proposal) -> Proposal:
    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
    if proposal.stage != ProposalStage.DRAFT:
        raise WorkflowError(_("Files are added or removed only while the list is a draft: "
                              "recall it (or ask the Office to return it) first."))
    return proposal


@transaction.atomic
def attach(proposal, *, part, nominee_id, checked, upload, user) -> ProposalAttachment:
    """Store a checked upload as a part of the list; a new letter, minutes or nominee's report
    replaces the one before."""
    proposal = _editable(proposal)
    if part not in UPLOADED:
        raise WorkflowError(_("Choose what the file is: the signed letter, the council's "
                              "minutes, a signed report, an initiative or another file."))
    if part in PER_NOMINEE_PARTS:
        if not proposal.nominees.filter(pk=nominee_id).exists():
            raise WorkflowError(_("Choose whose document this is: a nominee of the list."))
    else:
        nominee_id = None
    replaced = []
    if part in SINGLE or part in PER_NOMINEE_PARTS:
        replaced = list(proposal.attachments.filter(part=part, nominee_id=nominee_id))
    return store(ProposalAttachment, checked=checked, upload=upload, user=user,
                 replaced=replaced, action="proposal.attach", target=proposal,
                 proposal=proposal, part=part, nominee_id=nominee_id)


@transaction.atomic
def detach(attachment, *, user) -> None:
    remove(attachment, user=user, action="proposal.detach", target=_editable(attachment.proposal))
