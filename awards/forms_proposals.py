"""Forms of the commendation workflow: nominees, the steps of a list, the vote, decisions."""

from django import forms
from django.utils.translation import gettext_lazy as _

from units.models import StaffMember

from .models import Award, Nominee, Subject


def _styled(form):
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.HiddenInput):
            continue
        widget.attrs.setdefault("class", "form-select" if isinstance(widget, forms.Select)
                                else "form-control")


class VersionForm(forms.Form):
    """The version of the list the page showed: a step on a changed list is refused."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class NomineeForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    class Meta:
        model = Nominee
        fields = ["award", "staff", "summary", "justification"]
        widgets = {"summary": forms.Textarea(attrs={"rows": 4}),
                   "justification": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "staff": _("Leave empty to propose the unit itself for a collective title."),
            "justification": _("Needed only when the nominee does not meet every condition."),
        }

    def __init__(self, *args, unit, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["staff"].queryset = StaffMember.objects.active().filter(
            unit=unit).leaders_first()
        self.fields["staff"].empty_label = _("— the unit itself —")
        self.fields["award"].queryset = Award.objects.all()
        _styled(self)

    def clean(self):
        cleaned = super().clean()
        award, staff = cleaned.get("award"), cleaned.get("staff")
        if award and award.subject == Subject.INDIVIDUAL and staff is None:
            self.add_error("staff", _("%(award)s is awarded to a person: choose who.")
                           % {"award": award.name})
        if award and award.subject == Subject.COLLECTIVE and staff is not None:
            self.add_error("staff", _("%(award)s is awarded to the unit: leave the person "
                                      "empty.") % {"award": award.name})
        return cleaned


class SummaryForm(VersionForm):
    summary = forms.CharField(label=_("The unit's achievements"), required=False,
                              widget=forms.Textarea(attrs={"rows": 4, "class": "form-control"}))


class ReturnForm(VersionForm):
    note = forms.CharField(label=_("What the unit must complete or correct"),
                           widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}))


class PublishForm(VersionForm):
    days = forms.IntegerField(label=_("Days on public notice"), min_value=1, max_value=60,
                              widget=forms.NumberInput(attrs={"class": "form-control"}))


class CommentForm(forms.Form):
    nominee = forms.ModelChoiceField(label=_("About"), queryset=Nominee.objects.none(),
                                     required=False, empty_label=_("The whole list"))
    text = forms.CharField(label=_("Comment"), max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, proposal, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["nominee"].queryset = proposal.nominees.select_related("award", "staff")
        _styled(self)


class VoteForm(VersionForm):
    """The meeting, and for and against for each nominee."""

    held_on = forms.DateField(label=_("Meeting date"))
    members = forms.IntegerField(label=_("Council members"), min_value=1, max_value=200)
    present = forms.IntegerField(label=_("Members present"), min_value=1, max_value=200)

    def __init__(self, *args, nominees, **kwargs):
        super().__init__(*args, **kwargs)
        self.nominees = nominees
        for nominee in nominees:
            for side, label in (("for", _("For")), ("against", _("Against"))):
                self.fields[f"{side}_{nominee.pk}"] = forms.IntegerField(
                    label=label, min_value=0, max_value=200,
                    initial=getattr(nominee, f"votes_{side}"))
        _styled(self)

    def rows(self):
        return [(n, self[f"for_{n.pk}"], self[f"against_{n.pk}"]) for n in self.nominees]

    def votes(self) -> dict:
        return {n.pk: (self.cleaned_data[f"for_{n.pk}"], self.cleaned_data[f"against_{n.pk}"])
                for n in self.nominees}

    def clean(self):
        cleaned = super().clean()
        if (cleaned.get("present") or 0) > (cleaned.get("members") or 0):
            self.add_error("present", _("More members present than the council has."))
        return cleaned


class DecisionForm(forms.Form):
    award = forms.ModelChoiceField(label=_("Title or form"), queryset=Award.objects.all())
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    number = forms.CharField(label=_("Number"), max_length=60,
                             help_text=_("As on the signed document, e.g. 1802/QĐ-SGDĐT."))
    signed_on = forms.DateField(label=_("Signed on"))
    signer_name = forms.CharField(label=_("Signed by"), max_length=120)
    signer_title = forms.CharField(label=_("Signer's title"), max_length=120,
                                   initial="GIÁM ĐỐC")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _styled(self)


class RevokeForm(forms.Form):
    reason = forms.CharField(label=_("Reason for revocation"), max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}))
