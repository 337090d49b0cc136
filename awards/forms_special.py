"""The form of a proposal outside the annual cycle (topic, extraordinary, seniority)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import DateField

from .forms_proposals import VersionForm, _styled
from .models import Award, Cycle
from .ratings import people_of

# The cycle in a word, beside each award of the list.
CYCLE_WORDS = {Cycle.TOPIC: _("by topic"), Cycle.EXTRAORDINARY: _("extraordinary"),
               Cycle.SENIORITY: _("seniority")}


class SpecialProposalForm(forms.Form):
    award = forms.ModelChoiceField(
        label=_("Award"), queryset=Award.objects.exclude(cycle=Cycle.ANNUAL),
        empty_label=_("— choose the award —"),
        error_messages={"required": _("Choose the award you propose."),
                        "invalid_choice": _("Choose one of the awards of the list.")})
    staff = forms.ModelChoiceField(label=_("Person proposed"), queryset=None, required=False,
                                   empty_label=_("— the unit itself —"),
                                   help_text=_("Leave empty to propose the unit itself."))
    deed_on = DateField(label=_("Date of the deed"), required=False,
                        help_text=_("Needed for an extraordinary award; the conditions are "
                                    "read by the law in force that day."))
    achievement = forms.CharField(
        label=_("Reason and achievements"), max_length=4000,
        error_messages={"required": _("Write the reason and the achievements the award is "
                                      "proposed for.")},
        widget=forms.Textarea(attrs={"rows": 4}))
    justification = forms.CharField(
        label=_("Justification"), max_length=4000, required=False,
        help_text=_("Needed only when the nominee does not meet every condition."),
        widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, unit, year, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["staff"].queryset = people_of(unit, year).leaders_first()
        self.fields["award"].label_from_instance = lambda award: (
            f"{award.name} ({CYCLE_WORDS.get(award.cycle, '')})")
        _styled(self)


class SpecialReviewForm(VersionForm):
    reason = forms.CharField(label=_("Why it is returned"), max_length=2000, required=False,
                             widget=forms.TextInput(attrs={
                                 "class": "form-control form-control-sm",
                                 "placeholder": _("Why it is returned")}))
