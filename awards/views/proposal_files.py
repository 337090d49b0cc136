"""A unit's list as a dossier: uploading and removing its parts, downloading one, and the
whole dossier as one ZIP for the Office. The checklist and the history are on the list's page
(views/proposals.py)."""

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.uploads import send_stored
from units.access import require

from .. import services_unit_dossier as services
from ..access import (
    can_attach_to_proposal,
    can_download_proposal_dossier,
    get_proposal_attachment_for,
    get_proposal_for,
)
from ..documents.unit_dossier import pack
from ..dossier_parts import zip_download
from ..forms_unit_dossier import ProposalAttachmentForm
from ..services import WorkflowError
from .proposals import _page


@require_POST
def proposal_upload(request, pk):
    item = get_proposal_for(request.user, pk)
    require(can_attach_to_proposal(request.user, item))
    form = ProposalAttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.attach(item, part=form.cleaned_data["part"],
                            nominee_id=form.cleaned_data["nominee"], checked=form.checked,
                            upload=form.cleaned_data["file"], user=request.user)
        except WorkflowError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The file was added to the list's dossier."))
            return redirect("awards:proposal", item.pk)
    messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return _page(request, item, upload_form=form)


def proposal_attachment(request, pk):
    return send_stored(get_proposal_attachment_for(request.user, pk))


@require_POST
def proposal_detach(request, pk):
    attachment = get_proposal_attachment_for(request.user, pk)
    require(can_attach_to_proposal(request.user, attachment.proposal))
    try:
        services.detach(attachment, user=request.user)
    except WorkflowError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The file was removed from the list's dossier."))
    return redirect("awards:proposal", attachment.proposal_id)


def proposal_zip(request, pk):
    """The unit's whole dossier: its list, its signed letter and every attachment."""
    item = get_proposal_for(request.user, pk)
    require(can_download_proposal_dossier(request.user))
    return zip_download(*pack(item))
