"""The register of outgoing documents' forms: searching it, registering a document by hand,
cancelling a number (units/services_outgoing.py numbers and keeps it)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import DateField, YearField
from core.uploads import check_evidence
from units.models import DocumentKind, DocumentState

from .forms_proposals import _styled, registered_on


class RegisterSearchForm(forms.Form):
    q = forms.CharField(label=_("Number, subject or signer"), max_length=200, required=False)
    kind = forms.ChoiceField(label=_("Kind of document"), required=False,
                             choices=[("", _("Every kind")), *DocumentKind.choices])
    year = YearField(label=_("Year"), required=False)
    date_from = DateField(label=_("From"), required=False)
    date_to = DateField(label=_("To"), required=False)
    state = forms.ChoiceField(label=_("State"), required=False,
                              choices=[("", _("Every state")), *DocumentState.choices])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _styled(self)

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", _("The end of the period is before its start: swap the "
                                        "two dates."))
        return data

    def filters(self) -> dict:
        """The filters for OutgoingDocument.objects.search (none when the form is wrong)."""
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        return {"text": data["q"].strip(), "kind": data["kind"], "year": data["year"],
                "date_from": data["date_from"], "date_to": data["date_to"],
                "state": data["state"]}


class OutgoingForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of document"), choices=DocumentKind.choices,
                             initial=DocumentKind.LETTER)
    issued_on = DateField(label=_("Date of the document"))
    number = forms.CharField(
        label=_("Number and symbol"), max_length=80, required=False,
        help_text=_("Leave empty: the register gives the next number of the kind. Type one "
                    "only for a document numbered outside the portal."))
    subject = forms.CharField(label=_("Subject (trích yếu)"), max_length=1000,
                              widget=forms.Textarea(attrs={"rows": 2}))
    signer_name = forms.CharField(label=_("Signed by"), max_length=120)
    signer_title = forms.CharField(label=_("Signer's title"), max_length=120, required=False)
    office = forms.CharField(label=_("Drafting office"), max_length=40, initial="VP",
                             help_text=_("Its abbreviation, e.g. VP for the Office: a letter's "
                                         "number ends with it (123/SGDĐT-VP)."))
    recipients = forms.CharField(label=_("Recipients (nơi nhận)"), max_length=2000,
                                 required=False, widget=forms.Textarea(attrs={"rows": 2}))
    file = forms.FileField(label=_("File as issued (PDF)"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _styled(self)

    def clean_issued_on(self):
        return registered_on(self.cleaned_data["issued_on"])

    def clean_office(self):
        office = self.cleaned_data["office"].strip().upper()
        if "/" in office or " " in office:
            raise forms.ValidationError(_("Write the office's abbreviation without spaces or "
                                          "“/”, e.g. VP."))
        return office

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload:
            check_evidence(upload)
        return upload


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Reason for cancelling"), max_length=2000,
                             error_messages={"required": _("Give the reason for cancelling "
                                                           "the number.")},
                             widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}))
