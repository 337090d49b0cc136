"""The forms of a dossier sent upward: building it, uploading a part, and each step."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import DateField
from core.uploads import check_evidence

from .forms_proposals import VersionForm, _styled
from .models import Award
from .models_dossier import Part, Recipient

UPLOADED_PARTS = [(Part.REPORT.value, Part.REPORT.label), (Part.OTHER.value, Part.OTHER.label)]


class DossierCreateForm(forms.Form):
    award = forms.ModelChoiceField(
        label=_("Award"), queryset=Award.objects.filter(level__in=("province", "national")),
        error_messages={"required": _("Choose the award the dossier proposes."),
                        "invalid_choice": _("Choose one of the awards of the list.")})
    recipient = forms.ChoiceField(label=_("Sent to"), choices=Recipient.choices,
                                  error_messages={"required": _("Choose where it is sent.")})
    year = forms.IntegerField(widget=forms.HiddenInput, min_value=2000, max_value=2100)


class AttachmentForm(forms.Form):
    part = forms.ChoiceField(label=_("What the file is"), choices=UPLOADED_PARTS)
    nominee = forms.IntegerField(widget=forms.HiddenInput, required=False)
    file = forms.FileField(label=_("File"),
                           help_text=_("PDF, Word, Excel or a photo (PNG, JPG) of the signed "
                                       "document."),
                           error_messages={"required": _("Choose a file first, then press "
                                                         "Upload.")})

    def clean_file(self):
        upload = self.cleaned_data["file"]
        self.checked = check_evidence(upload)
        return upload


class SendForm(VersionForm):
    sent_on = DateField(label=_("Sent on"),
                        error_messages={"required": _("Give the date the dossier was sent.")})
    number = forms.CharField(label=_("Number of the letter"), max_length=60,
                             help_text=_("As on the signed letter, e.g. 125/TTr-SGDĐT."),
                             error_messages={"required": _("Give the number of the signed "
                                                           "letter.")})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _styled(self)


class ReturnForm(VersionForm):
    reason = forms.CharField(label=_("Why the upper level returned it"), max_length=4000,
                             required=False, widget=forms.Textarea(attrs={"rows": 2}))
    parts = forms.MultipleChoiceField(label=_("Parts to fix"), required=False,
                                      choices=Part.choices,
                                      widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].widget.attrs["class"] = "form-control"


class RecallForm(VersionForm):
    reason = forms.CharField(label=_("Why the dossier is recalled"), max_length=4000,
                             required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _styled(self)


class DecideForm(VersionForm):
    number = forms.CharField(label=_("Number of the upper decision"), max_length=60,
                             help_text=_("e.g. 2150/QĐ-UBND."),
                             error_messages={"required": _("Give the decision's number.")})
    decided_on = DateField(label=_("Signed on"),
                           error_messages={"required": _("Give the decision's date.")})
    issuer = forms.CharField(label=_("Issued by"), max_length=200,
                             error_messages={"required": _("Say who issued the decision.")})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _styled(self)
