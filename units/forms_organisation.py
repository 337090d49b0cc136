"""Forms of the organisation page and of a unit's staff: each change asks its day of effect."""

import unicodedata
from collections import Counter

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.forms import DateField, VietnameseModelForm

from .models import StaffMember, Unit, staff_date_problems


def clean_text(value: str) -> str:
    """One space between words, none at the ends, composed Unicode (NFC): names typed or pasted
    from HR files in decomposed form then compare and sort like the others."""
    return " ".join(unicodedata.normalize("NFC", value or "").split())


class _Day(forms.Form):
    on = DateField(label=_("Date of effect"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["on"].initial = timezone.localdate()


class _Dated(_Day):
    note = forms.CharField(label=_("Decision or note"), max_length=300, required=False,
                           help_text=_("E.g. the number of the decision."))


class UnitChoiceField(forms.ModelChoiceField):
    """A list of units where namesakes (a school re-created, an imported unit under its own
    code) are told apart by their codes, so a merge or a transfer reaches the unit meant."""

    def label_from_instance(self, unit):
        if not hasattr(self, "_namesakes"):
            names = Counter(self.queryset.values_list("name", flat=True))
            self._namesakes = {name for name, count in names.items() if count > 1}
        return f"{unit.name} ({unit.code})" if unit.name in self._namesakes else unit.name


def _unit_choices(exclude: set[int]):
    return (Unit.objects.filter(is_active=True, merged_into__isnull=True)
            .exclude(pk__in=exclude))


class UnitCreateForm(_Dated):
    field_order = ["name", "short_name", "code", "kind", "parent", "on", "note"]
    name = forms.CharField(label=_("Unit name"), max_length=200)
    short_name = forms.CharField(label=_("Short name"), max_length=60, required=False)
    code = forms.SlugField(label=_("Code"), max_length=40,
                           help_text=_("Letters without accents, digits and hyphens, e.g. "
                                       "thpt-hung-vuong; the workbooks name the unit by it."))
    kind = forms.ChoiceField(label=_("Unit kind"), choices=Unit._meta.get_field("kind").choices)
    parent = UnitChoiceField(label=_("Parent unit"), queryset=Unit.objects.none())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = _unit_choices(set())

    def clean_name(self):
        return clean_text(self.cleaned_data["name"])

    def clean_code(self):
        code = self.cleaned_data["code"].strip().lower()
        if Unit.objects.filter(code__iexact=code).exists():
            raise forms.ValidationError(_("Another unit already has the code “%(code)s”: "
                                          "choose another.") % {"code": code})
        return code


class UnitRenameForm(_Dated):
    field_order = ["name", "short_name", "on", "note"]
    name = forms.CharField(label=_("New name"), max_length=200)
    short_name = forms.CharField(label=_("Short name"), max_length=60, required=False)

    def __init__(self, *args, unit, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].initial = unit.name
        self.fields["short_name"].initial = unit.short_name

    def clean_name(self):
        return clean_text(self.cleaned_data["name"])


class UnitMoveForm(_Dated):
    field_order = ["parent", "on", "note"]
    parent = UnitChoiceField(label=_("New parent unit"), queryset=Unit.objects.none())

    def __init__(self, *args, unit, **kwargs):
        super().__init__(*args, **kwargs)
        # Not itself nor one of its own units (the service refuses them too).
        self.fields["parent"].queryset = _unit_choices({unit.pk, *unit.descendant_ids()})


class UnitMergeForm(_Dated):
    field_order = ["into", "on", "note"]
    into = UnitChoiceField(label=_("Merge into"), queryset=Unit.objects.none(),
                                  help_text=_("The unit's active staff move to this unit on "
                                              "the date of effect; its past work stays its own."))

    def __init__(self, *args, unit, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["into"].queryset = _unit_choices(
            {unit.pk, *unit.descendant_ids()}).exclude(parent__isnull=True)


class UnitDeactivateForm(_Dated):
    pass


class StaffForm(VietnameseModelForm):
    class Meta:
        model = StaffMember
        fields = ["full_name", "staff_code", "date_of_birth", "gender", "position", "category",
                  "recruitment_date", "sector_start_date", "email"]
        help_texts = {"email": _("Optional. The person's own address: their account's "
                                 "invitation and password resets are sent there.")}

    def clean_full_name(self):
        return clean_text(self.cleaned_data["full_name"])

    def clean_position(self):
        return clean_text(self.cleaned_data["position"])

    def clean_email(self):
        # Lower case: addresses are compared and matched (password resets) whatever the case.
        email = self.cleaned_data["email"].strip().lower()
        other = StaffMember.objects.with_email(email).exclude(pk=self.instance.pk).first()
        if other is not None:
            raise forms.ValidationError(
                _("%(name)s already has the address “%(email)s”. Type this person's own "
                  "address, or leave it empty.") % {"name": other.full_name, "email": email})
        return email

    def clean(self):
        cleaned = super().clean()
        problems = staff_date_problems(
            today=timezone.localdate(),
            **{name: cleaned.get(name) for name in (
                "date_of_birth", "recruitment_date", "sector_start_date")})
        for name, message in problems.items():
            if name not in self.errors:
                self.add_error(name, message)
        return cleaned

    def clean_staff_code(self):
        # Empty is "no code" (NULL), so that many people may have none.
        code = clean_text(self.cleaned_data.get("staff_code") or "")
        if code and StaffMember.objects.filter(staff_code__iexact=code).exclude(
                pk=self.instance.pk).exists():
            raise forms.ValidationError(_("Another person already has the staff code "
                                          "“%(code)s”: check the code.") % {"code": code})
        return code or None


class StaffTransferForm(_Day):
    field_order = ["to_unit", "on"]
    to_unit = UnitChoiceField(label=_("Transfer to"), queryset=Unit.objects.none())

    def __init__(self, *args, person, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_unit"].queryset = _unit_choices({person.unit_id})


class StaffDeactivateForm(_Day):
    pass


class StaffSearchForm(forms.Form):
    q = forms.CharField(label=_("Search by name or staff code"), max_length=120,
                        required=False, widget=forms.TextInput(attrs={
                            "class": "form-control", "type": "search",
                            "placeholder": _("Name (accents optional) or staff code")}))
