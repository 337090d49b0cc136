"""Forms of the year-end ratings page: which unit and year, and one select per person."""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.forms import VietnameseModelForm, YearField
from units.collation import contains_text, unit_order
from units.models import Unit

from .models import NO_SOURCE, Award, Condition, Rating
from .ratings import cap_error


class RatingFilterForm(forms.Form):
    """Year, and the unit when the view offers every unit (others only see their own)."""

    year = YearField(label=_("Year"))
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none())

    def __init__(self, *args, every_unit: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if every_unit:
            # Merged and closed units too: their past ratings and awards must stay reachable.
            field = self.fields["unit"]
            field.queryset = (Unit.objects.exclude(parent__isnull=True)
                              .select_related("merged_into").order_by("-is_active", *unit_order()))
            field.label_from_instance = unit_with_state
        else:
            del self.fields["unit"]
        for field in self.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs["class"] = f"{css} form-control-sm"


def field_name(person) -> str:
    return f"rating_{person.pk}"


class RatingsForm(forms.Form):
    """One select per active staff member (blank: not rated yet), and the page's lock."""

    digest = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args, people, stored, digest, cap, **kwargs):
        super().__init__(*args, **kwargs)
        self.people, self.cap = people, cap
        self.fields["digest"].initial = digest
        choices = [("", _("Not rated yet")), *Rating.choices]
        for person in people:
            row = stored.get(person.pk)
            self.fields[field_name(person)] = forms.ChoiceField(
                label=person.full_name, choices=choices, required=False,
                initial=row.rating if row else "",
                widget=forms.Select(attrs={"class": "form-select form-select-sm"}))

    def rows(self):
        """(person, bound field) in the order of the staff list, for the template."""
        return [(person, self[field_name(person)]) for person in self.people]

    def ratings(self) -> dict[int, str]:
        return {person.pk: self.cleaned_data[field_name(person)] for person in self.people}

    def clean(self):
        cleaned = super().clean()
        if not self.errors:
            message = cap_error(self.cap, self.ratings().values())
            if message:
                raise forms.ValidationError(message, code="cap")
        return cleaned


def unit_with_state(unit) -> str:
    """A unit's name in a list of every unit, saying which no longer take work."""
    if unit.merged_into_id:
        return _("%(unit)s (merged into %(into)s)") % {"unit": unit.name,
                                                     "into": unit.merged_into.name}
    if not unit.is_active:
        return _("%(unit)s (inactive)") % {"unit": unit.name}
    return unit.name


class HistoryFilterForm(forms.Form):
    """Search the award history by name, unit, award and year."""

    q = forms.CharField(label=_("Name"), required=False, max_length=100)
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none(), required=False,
                                  empty_label=_("All units"))
    award = forms.ModelChoiceField(label=_("Title or form"), queryset=Award.objects.all(),
                                   required=False, empty_label=_("All titles and forms"))
    year = YearField(label=_("Year"), required=False)

    def __init__(self, *args, every_unit: bool, **kwargs):
        """`every_unit`: the view decided (units.access.can_view_every_unit) that the person
        reads every unit's history, so the form offers a unit filter."""
        super().__init__(*args, **kwargs)
        if every_unit:
            # Merged and closed units too: their past ratings and awards must stay reachable.
            field = self.fields["unit"]
            field.queryset = (Unit.objects.exclude(parent__isnull=True)
                              .select_related("merged_into").order_by("-is_active", *unit_order()))
            field.label_from_instance = unit_with_state
        else:
            del self.fields["unit"]

    def filter(self, rows):
        if not self.is_valid():
            return rows
        data = self.cleaned_data
        if data["q"].strip():
            words = data["q"].strip()
            rows = rows.filter(contains_text("staff__full_name", text=words)
                               | (Q(staff__isnull=True) & contains_text("unit__name", text=words)))
        if data.get("unit"):
            rows = rows.filter(unit=data["unit"])
        if data["award"]:
            rows = rows.filter(award=data["award"])
        if data["year"]:
            rows = rows.filter(year=data["year"])
        return rows


class CatalogueFilterForm(forms.Form):
    """Which legal period the catalogue page shows (default: the one in force today)."""

    period = forms.TypedChoiceField(label=_("Legal period"), coerce=int, required=False)

    def __init__(self, *args, periods, **kwargs):
        super().__init__(*args, **kwargs)
        self.periods = {p.pk: p for p in periods}
        self.fields["period"].choices = [("", "—")] + [(p.pk, p.name) for p in periods]

    def chosen(self):
        """The chosen period, or None (none chosen, or an unknown one: the page's default)."""
        if not self.is_bound or not self.is_valid():
            return None
        return self.periods.get(self.cleaned_data["period"])


class ConditionForm(VietnameseModelForm):
    """A condition as the administration pages edit it: refused without its source."""

    class Meta:
        model = Condition
        fields = ["period", "award", "alternative", "predicate", "number", "strict", "years",
                  "rating", "discipline_level", "initiative_level", "grade", "other_award",
                  "women_number", "source", "confirmed"]
        error_messages = {"source": {"required": NO_SOURCE}}

    def clean_source(self):
        source = " ".join((self.cleaned_data.get("source") or "").split())
        if not source:
            raise forms.ValidationError(NO_SOURCE)
        return source
