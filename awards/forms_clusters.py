"""The cluster meeting's proposal: its date, the vote, the candidates and the minutes."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.forms import DateField, WholeNumberField
from core.uploads import check_evidence
from units.models import Unit

from .models import Award, AwardKind, AwardLevel, Subject
from .models_clusters import FLAG_CODE


class ClusterProposalForm(forms.Form):
    held_on = DateField(label=_("Meeting held on"))
    present = WholeNumberField(label=_("Member units present"), min_value=1, max_value=1000)
    flag_unit = forms.ModelChoiceField(label=_("Emulation flag candidate"),
                                       queryset=Unit.objects.none())
    flag_votes = WholeNumberField(label=_("Votes for the flag candidate"), min_value=0,
                                  max_value=1000)
    commended = forms.ModelMultipleChoiceField(
        label=_("Bằng khen candidates"), queryset=Unit.objects.none(), required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}))
    commendation = forms.ModelChoiceField(
        label=_("Bằng khen proposed"), required=False,
        queryset=Award.objects.filter(subject=Subject.COLLECTIVE, kind=AwardKind.FORM,
                                      level__in=[AwardLevel.PROVINCE, AwardLevel.NATIONAL]),
        help_text=_("A collective Bằng khen of the catalogue (the Department's own Giấy khen "
                    "is proposed on the unit's list)."))
    minutes = forms.FileField(label=_("Minutes of the meeting"),
                              help_text=_("PDF, Word or a scan of the signed minutes."))

    def __init__(self, *args, cluster, ranking, **kwargs):
        super().__init__(*args, **kwargs)
        units = Unit.objects.filter(cluster_memberships__cluster=cluster)
        self.fields["flag_unit"].queryset = units
        self.fields["commended"].queryset = units
        if ranking:
            # The ranking's leader is the usual flag candidate; the meeting decides.
            self.fields["flag_unit"].initial = ranking[0].unit_id
        offered = self.fields["commendation"].queryset.exclude(code=FLAG_CODE)
        self.fields["commendation"].queryset = offered
        choices = list(offered.values_list("pk", flat=True)[:2])
        if len(choices) == 1:
            # One collective Bằng khen in the catalogue (the chairman's): no choice to make.
            self.fields["commendation"].initial = choices[0]

    def clean_minutes(self):
        upload = self.cleaned_data["minutes"]
        self.checked = check_evidence(upload)
        return upload

    def clean(self):
        data = super().clean()
        flag = data.get("flag_unit")
        if flag is not None and flag in (data.get("commended") or []):
            raise ValidationError(gettext("The flag candidate is proposed for the flag: untick "
                                          "it among the Bằng khen candidates."))
        return data
