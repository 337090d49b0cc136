from django import forms
from django.forms import inlineformset_factory
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.forms import VietnameseModelForm, YearField
from units.models import Unit

from .models import Campaign, ContentItem, Dissemination, Duty, LegalBasis, Recipient

TEXTAREA_SMALL = forms.Textarea(attrs={"rows": 3})


class LaunchForm(forms.Form):
    """The number a plan is issued with when launched: empty, the register's next (shown)."""

    # Empty: the register of outgoing documents gives the next number (units.services_outgoing).
    number = forms.CharField(label=_("Number of the plan"), max_length=60, required=False)

    def __init__(self, *args, next_number="", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["number"].widget.attrs.update({"class": "form-control form-control-sm",
                                                   "placeholder": next_number})
        self.fields["number"].help_text = _(
            "Next number: %(number)s. Leave empty to take it; type a number only for a plan "
            "numbered outside the portal.") % {"number": next_number}

    def clean_number(self):
        return " ".join(self.cleaned_data["number"].split())


class CampaignForm(VietnameseModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Campaign
        fields = [
            "number", "symbol", "year", "title", "parent_agency", "issuing_unit", "issuing_name",
            "place",
            "issued_on", "signer_prefix", "signer_title", "signer_name", "preamble", "purposes",
            "requirements",
        ]
        widgets = {
            "title": forms.TextInput(attrs={"size": 80}),
            "preamble": TEXTAREA_SMALL,
            "purposes": forms.Textarea(attrs={"rows": 8}),
            "requirements": forms.Textarea(attrs={"rows": 8}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["issuing_unit"].queryset = Unit.objects.filter(parent__isnull=True)
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
        elif not self.is_bound:
            # Plans are issued early in the year they run for.
            self.initial["year"] = timezone.localdate().year

    def clean(self):
        cleaned = super().clean()
        issued_on, year = cleaned.get("issued_on"), cleaned.get("year")
        if issued_on and year and abs(issued_on.year - year) > 1:
            self.add_error("issued_on", _("The date of issue must fall in or next to the plan's "
                                          "year."))
        return cleaned


class LegalBasisForm(VietnameseModelForm):
    class Meta:
        model = LegalBasis
        fields = ["order", "doc_type", "number", "date", "issuer", "subject"]
        widgets = {"subject": forms.Textarea(attrs={"rows": 2})}


class ContentItemForm(VietnameseModelForm):
    class Meta:
        model = ContentItem
        fields = ["number", "short_title", "text"]
        widgets = {"text": TEXTAREA_SMALL}


class DutyForm(VietnameseModelForm):
    class Meta:
        model = Duty
        fields = ["number", "text", "units", "asks_dissemination"]
        widgets = {
            "text": TEXTAREA_SMALL,
            "units": forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
        }

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        if units is not None:
            self.fields["units"].queryset = units


class RecipientForm(VietnameseModelForm):
    class Meta:
        model = Recipient
        fields = ["order", "name", "purpose"]


class UniqueNumberFormSet(forms.BaseInlineFormSet):
    """Two rows of one section may not share a number: say so on the row, not as a crash."""

    number_field = "number"

    def validate_unique(self):
        # Replaces Django's formset-wide message (which names the field in English) with an
        # error on the row that repeats the number.
        seen = set()
        for form in self.forms:
            if not form.has_changed() and not form.instance.pk:
                continue
            if self.can_delete and self._should_delete_form(form):
                continue
            number = form.cleaned_data.get(self.number_field)
            if number is None:
                continue
            if number in seen:
                form.add_error(self.number_field, _("This number is used twice; renumber the "
                                                    "items."))
            seen.add(number)


def _formset(model, form, formset=forms.BaseInlineFormSet, extra=1):
    return inlineformset_factory(Campaign, model, form=form, formset=formset, extra=extra,
                                 can_delete=True)


LegalBasisFormSet = _formset(LegalBasis, LegalBasisForm)
ContentItemFormSet = _formset(ContentItem, ContentItemForm, UniqueNumberFormSet, extra=2)
DutyFormSet = _formset(Duty, DutyForm, UniqueNumberFormSet)
RecipientFormSet = _formset(Recipient, RecipientForm)

SECTIONS = [
    ("bases", LegalBasisFormSet, _("Legal bases")),
    ("items", ContentItemFormSet, _("II. Content items")),
    ("duties", DutyFormSet, _("III. Organisation")),
    ("recipients", RecipientFormSet, _("Recipients")),
]


def section_formsets(data=None, instance=None):
    """The four section formsets of a campaign form, bound to `data` when given."""
    units = Unit.objects.assignable()
    formsets = []
    for prefix, formset_class, title in SECTIONS:
        kwargs = {"form_kwargs": {"units": units}} if formset_class is DutyFormSet else {}
        formset = formset_class(data, instance=instance or Campaign(), prefix=prefix, **kwargs)
        formset.title = title
        formsets.append(formset)
    return formsets


class CopyCampaignForm(forms.Form):
    year = YearField(label=_("New year"))
    number = forms.CharField(label=_("Number of the new plan"), max_length=20)

    def __init__(self, *args, source, **kwargs):
        super().__init__(*args, **kwargs)
        self.source = source
        self.fields["year"].initial = source.year + 1

    def clean(self):
        cleaned = super().clean()
        year, number = cleaned.get("year"), cleaned.get("number")
        if year and number and Campaign.objects.filter(
            year=year, number=number, symbol=self.source.symbol
        ).exists():
            raise forms.ValidationError(
                _("A plan with this number and symbol already exists for this year.")
            )
        return cleaned


class DisseminationForm(VietnameseModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = Dissemination
        fields = ["disseminated_on", "staff_reached", "note"]
        widgets = {"note": TEXTAREA_SMALL}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["disseminated_on"].required = True
        self.fields["staff_reached"].required = True
        self.fields["version"].initial = self.instance.version

    def clean_disseminated_on(self):
        day = self.cleaned_data["disseminated_on"]
        launched = self.instance.campaign.launched_at
        if day > timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the future."))
        if launched and day < timezone.localtime(launched).date():
            raise forms.ValidationError(
                _("The date cannot be before the plan was launched (%(date)s)."),
                params={"date": timezone.localtime(launched).strftime("%d/%m/%Y")},
            )
        return day

    def clean_staff_reached(self):
        reached = self.cleaned_data["staff_reached"]
        headcount = self.instance.unit.headcount
        if reached < 1:
            raise forms.ValidationError(_("Enter how many staff were informed (at least 1)."))
        if headcount is not None and reached > headcount:
            raise forms.ValidationError(
                _("Your unit has %(headcount)s staff; enter a number no larger than that."),
                params={"headcount": headcount},
            )
        return reached
