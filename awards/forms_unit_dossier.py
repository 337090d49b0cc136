"""The forms of a unit's list as a dossier: an uploaded part, sending it with the signed
letter, recalling it. They are the dossier's forms (forms_dossier.py) with the unit's words."""

from django.utils.translation import gettext_lazy as _

from .forms_dossier import AttachmentForm, LetterForm, RecallForm
from .unit_dossier import UPLOADED


class ProposalAttachmentForm(AttachmentForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["part"].choices = [(part.value, part.label) for part in UPLOADED]
        self.fields["part"].widget.attrs["class"] = "form-select"
        self.fields["file"].widget.attrs["class"] = "form-control"


class SubmitForm(LetterForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sent_on"].label = _("Letter dated")
        self.fields["number"].help_text = _("As on the unit's signed letter (tờ trình), e.g. "
                                            "15/TTr-THPTHV.")


class ProposalRecallForm(RecallForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].label = _("Why the list is recalled")
