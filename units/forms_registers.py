"""Forms of the registers: recognised initiatives, violations, and the filters of their lists."""

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.forms import VietnameseModelForm

from .collation import person_order, unit_order
from .models import Initiative, InitiativeLevel, StaffMember, Unit, Violation, ViolationKind


def _units(keep=None):
    """Units a row may belong to: the active units below the department, and the row's own."""
    wanted = Q(is_active=True) | Q(pk=keep) if keep else Q(is_active=True)
    return Unit.objects.filter(wanted).exclude(parent__isnull=True)


def _people(keep=()):
    """Active staff (and the people a row already names), by unit then name."""
    wanted = Q(is_active=True) | Q(pk__in=keep) if keep else Q(is_active=True)
    return (StaffMember.objects.filter(wanted).select_related("unit")
            .order_by(*unit_order("unit__"), *person_order(), "pk"))


def _grouped(people):
    """Choices with one <optgroup> per unit, so a person is found under their unit."""
    groups = {}
    for person in people:
        groups.setdefault(person.unit_id, (person.unit.label, []))[1].append(
            (person.pk, person.full_name))
    return list(groups.values())


class InitiativeRules(VietnameseModelForm):
    """What makes an initiative right; the portal's form and the admin's both check it."""

    class Meta:
        model = Initiative
        fields = ["title", "unit", "authors", "level", "year", "decision", "decided_on"]

    def clean_year(self):
        year = self.cleaned_data["year"]
        if not 2000 <= year <= 2100:
            raise forms.ValidationError(_("Enter a year between 2000 and 2100."))
        return year

    def clean(self):
        cleaned = super().clean()
        year, decided_on = cleaned.get("year"), cleaned.get("decided_on")
        if year and decided_on and decided_on.year != year:
            self.add_error("decided_on", forms.ValidationError(
                _("The decision date must fall in %(year)s, the year of the initiative. "
                  "Correct the date or the year."), params={"year": year}))
        unit, authors = cleaned.get("unit"), cleaned.get("authors")
        if unit and authors:
            strangers = [person.full_name for person in authors if person.unit_id != unit.pk]
            if strangers:
                self.add_error("authors", forms.ValidationError(
                    _("These people do not work at %(unit)s: %(names)s. Choose authors from "
                      "that unit's staff, or change the unit."),
                    params={"unit": unit.name, "names": ", ".join(strangers)}))
        return cleaned


class InitiativeForm(InitiativeRules):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta(InitiativeRules.Meta):
        widgets = {"title": forms.Textarea(attrs={"rows": 2}),
                   "authors": forms.SelectMultiple(attrs={"size": 10})}
        help_texts = {"authors": _("People of the unit chosen above. Hold Ctrl (⌘ on a Mac) to "
                                   "choose several.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        initiative = self.instance
        self.fields["unit"].queryset = _units(initiative.unit_id)
        named = list(initiative.authors.values_list("pk", flat=True)) if initiative.pk else []
        people = _people(named)
        self.fields["authors"].queryset = people
        self.fields["authors"].choices = _grouped(people)
        if initiative.pk and not self.is_bound:
            self.fields["version"].initial = initiative.version
        elif not self.is_bound:
            self.initial.setdefault("year", timezone.localdate().year)


class ViolationRules(VietnameseModelForm):
    """What makes a violation right; the portal's form and the admin's both check it."""

    class Meta:
        model = Violation
        fields = ["unit", "kind", "occurred_on", "description", "staff", "discipline_level",
                  "decision"]

    def clean_occurred_on(self):
        day = self.cleaned_data["occurred_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("The date of the violation cannot be in the future."))
        return day

    def clean(self):
        cleaned = super().clean()
        unit, staff = cleaned.get("unit"), cleaned.get("staff")
        kind, level = cleaned.get("kind"), cleaned.get("discipline_level")
        if unit and staff and staff.unit_id != unit.pk:
            self.add_error("staff", forms.ValidationError(
                _("%(name)s does not work at %(unit)s. Choose a staff member of that unit, or "
                  "change the unit."), params={"name": staff.full_name, "unit": unit.name}))
        if level and kind and kind != ViolationKind.DISCIPLINE:
            self.add_error("discipline_level", forms.ValidationError(
                _("A disciplinary measure is only recorded for a staff discipline case. Set the "
                  "kind to “%(kind)s”, or leave the measure empty."),
                params={"kind": ViolationKind.DISCIPLINE.label}))
        if level and not staff and "staff" not in self.errors:
            self.add_error("staff", _("Choose the staff member who received the disciplinary "
                                      "measure."))
        return cleaned


class ViolationForm(ViolationRules):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta(ViolationRules.Meta):
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}
        help_texts = {
            "staff": _("The person concerned, from the unit chosen above. Required with a "
                       "disciplinary measure."),
            "discipline_level": _("Only for a staff discipline case."),
            "decision": _("Number and symbol of the decision, or the record that established "
                          "the violation."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        violation = self.instance
        self.fields["unit"].queryset = _units(violation.unit_id)
        people = _people([violation.staff_id] if violation.staff_id else ())
        staff = self.fields["staff"]
        staff.queryset = people
        staff.choices = [("", staff.empty_label), *_grouped(people)]
        if violation.pk and not self.is_bound:
            self.fields["version"].initial = violation.version


class RegisterFilterForm(forms.Form):
    """The filters above a register: year, unit (when the view offers every unit, as decided by
    units.access.can_view_every_unit) and one choice."""

    year_lookup = "year"
    choice_name = ""

    year = forms.TypedChoiceField(label=_("Year"), coerce=int, empty_value=None, required=False)
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none(), required=False,
                                  empty_label=_("All units"))

    def __init__(self, *args, years, every_unit: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", _("All years")), *((y, str(y)) for y in years)]
        if every_unit:
            self.fields["unit"].queryset = Unit.objects.active().exclude(parent__isnull=True)
        else:
            del self.fields["unit"]  # they only see their own unit's rows
        for field in self.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs["class"] = f"{css} form-control-sm"

    def filter(self, rows):
        """`rows` narrowed by the valid filters (all of them ignored when one is invalid)."""
        if not self.is_bound or not self.is_valid():
            return rows
        data = self.cleaned_data
        if data["year"]:
            rows = rows.filter(**{self.year_lookup: data["year"]})
        if data.get("unit"):
            rows = rows.filter(unit=data["unit"])
        if data[self.choice_name]:
            rows = rows.filter(**{self.choice_name: data[self.choice_name]})
        return rows


class InitiativeFilterForm(RegisterFilterForm):
    choice_name = "level"

    level = forms.ChoiceField(label=_("Level"), required=False,
                              choices=[("", _("All levels")), *InitiativeLevel.choices])


class ViolationFilterForm(RegisterFilterForm):
    year_lookup = "occurred_on__year"
    choice_name = "kind"

    kind = forms.ChoiceField(label=_("Kind"), required=False,
                             choices=[("", _("All kinds")), *ViolationKind.choices])
