"""The forms of a dossier sent upward: building it, uploading a part, and each step."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import DateField
from core.uploads import check_evidence
from units.models import DocumentKind

from .forms_proposals import VersionForm, _styled, proposed_number, registered_on
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
    # Or the proposal outside the annual cycle the report is of.
    special = forms.IntegerField(widget=forms.HiddenInput, required=False)
    file = forms.FileField(label=_("File"),
                           help_text=_("PDF, Word, Excel or a photo (PNG, JPG) of the signed "
                                       "document."),
                           error_messages={"required": _("Choose a file first, then press "
                                                         "Upload.")})

    def clean_file(self):
        upload = self.cleaned_data["file"]
        self.checked = check_evidence(upload)
        return upload


class LetterForm(VersionForm):
    """The date and number of a signed letter (a unit's list to the Department: its own
    number, typed)."""
    sent_on = DateField(label=_("Sent on"),
                        error_messages={"required": _("Give the date the dossier was sent.")})
    number = forms.CharField(label=_("Number of the letter"), max_length=60,
                             help_text=_("As on the signed letter, e.g. 125/TTr-SGDĐT."),
                             error_messages={"required": _("Give the number of the signed "
                                                           "letter.")})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _styled(self)


class SendForm(LetterForm):
    """The Department's letter to the upper level: empty, the register of outgoing documents
    gives the next tờ trình number (awards.services_dossier.send)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["number"].required = False
        self.fields["number"].help_text = _(
            "Next number in %(year)s: %(number)s. Leave empty to take it (a letter sent in "
            "another year takes that year's next number); type the number only for a letter "
            "numbered outside the portal.") % proposed_number(self, DocumentKind.SUBMISSION,
                                                              "sent_on")

    def clean_sent_on(self):
        return registered_on(self.cleaned_data["sent_on"])


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
    """The upper decision; `rows` are the dossier's nominees as sent: those the decision names
    stay ticked, each one left out takes the upper level's reason (its own, or the common
    one)."""

    number = forms.CharField(label=_("Number of the upper decision"), max_length=60,
                             help_text=_("e.g. 2150/QĐ-UBND."),
                             error_messages={"required": _("Give the decision's number.")})
    decided_on = DateField(label=_("Signed on"),
                           error_messages={"required": _("Give the decision's date.")})
    issuer = forms.CharField(label=_("Issued by"), max_length=200,
                             error_messages={"required": _("Say who issued the decision.")})
    commended = forms.TypedMultipleChoiceField(
        label=_("Commended by the decision"), coerce=int, required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Untick whoever the decision leaves out and write the upper level's "
                    "reason beside them."))
    reason = forms.CharField(label=_("Reason for everyone left out"), max_length=4000,
                             required=False,
                             help_text=_("Used for those unticked without a reason of their "
                                         "own."))

    def __init__(self, *args, rows=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = [row for row in rows if row.get("sent_id")]
        self.fields["commended"].choices = [(row["sent_id"], row["name"]) for row in self.rows]
        self.fields["commended"].initial = [row["sent_id"] for row in self.rows]
        _styled(self)
        self.fields["commended"].widget.attrs.pop("class", None)

    def reason_name(self, row) -> str:
        return self.add_prefix(f"reason-{row['sent_id']}")

    def clean(self):
        data = super().clean()
        data["reasons"] = {row["sent_id"]: (self.data.get(self.reason_name(row)) or "")[:4000]
                           for row in self.rows}
        return data

    def lines(self) -> list[tuple]:
        """(row, ticked, its reason) for the page, as posted when the form comes back."""
        if self.is_bound:
            ticked = {str(v) for v in self.data.getlist(self.add_prefix("commended"))}
        else:
            ticked = {str(row["sent_id"]) for row in self.rows}
        return [(row, str(row["sent_id"]) in ticked, self.reason_name(row),
                 self.data.get(self.reason_name(row), "") if self.is_bound else "")
                for row in self.rows]


class RefuseForm(VersionForm):
    reason = forms.CharField(label=_("The reason the upper level gave"), max_length=4000,
                             required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _styled(self)


class UpperRevocationForm(forms.Form):
    """The issuer's revocation of an upper decision, for all its standing awards or those
    ticked (`conferrals`: the decision's standing awards)."""

    number = forms.CharField(label=_("Number of the revoking decision"), max_length=60,
                             help_text=_("e.g. 310/QĐ-UBND."),
                             error_messages={"required": _("Give the number of the revoking "
                                                           "decision.")})
    revoked_on = DateField(label=_("Signed on"),
                           error_messages={"required": _("Give the date of the revoking "
                                                         "decision.")})
    issuer = forms.CharField(label=_("Issued by"), max_length=200,
                             error_messages={"required": _("Say who issued the revoking "
                                                           "decision.")})
    reason = forms.CharField(label=_("Reason it gives"), max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 2}),
                             error_messages={"required": _("Write the reason the revoking "
                                                           "decision gives.")})
    everyone = forms.BooleanField(label=_("Every award of the decision"), required=False,
                                  initial=True)
    conferrals = forms.TypedMultipleChoiceField(
        label=_("Only these awards"), coerce=int, required=False,
        widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, conferrals=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["conferrals"].choices = [
            (c.pk, c.staff.full_name if c.staff else c.unit.name) for c in conferrals]
        _styled(self)
        for name in ("everyone", "conferrals"):
            self.fields[name].widget.attrs["class"] = "form-check-input"

    def clean(self):
        data = super().clean()
        if not data.get("everyone") and not data.get("conferrals"):
            raise forms.ValidationError(_("Tick “Every award of the decision”, or the awards "
                                          "the revocation names."))
        if data.get("everyone") and data.get("conferrals"):
            # Both ticked is ambiguous: revoking everyone when some were meant is not undone.
            raise forms.ValidationError(_("Untick “Every award of the decision” to revoke only "
                                          "the awards ticked below, or untick those."))
        return data

    def chosen(self):
        """The conferral ids for the service: None for every award of the decision."""
        return None if self.cleaned_data["everyone"] else self.cleaned_data["conferrals"]
