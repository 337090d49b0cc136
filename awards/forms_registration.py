"""Forms of emulation registration: the Office's window, a unit's page (one select per person
on the page shown), the "everyone" shortcut and the Office's answer."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import DateField

from .models import Award

SELECT = {"class": "form-select form-select-sm"}


class WindowForm(forms.Form):
    """Open a year's registration or change its deadline; close or reopen it."""

    deadline = DateField(label=_("Registration deadline"))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    closed = forms.TypedChoiceField(
        label=_("State"), required=False, coerce=lambda v: v == "closed",
        choices=[("open", _("Open")), ("closed", _("Closed"))],
        widget=forms.Select(attrs=SELECT))

    def clean_deadline(self):
        deadline = self.cleaned_data["deadline"]
        if deadline.year < 2000:
            raise forms.ValidationError(_("Enter a deadline as dd/mm/yyyy."))
        return deadline


def field_name(person) -> str:
    return f"title_{person.pk}"


class TitleChoice(forms.ModelChoiceField):
    def label_from_instance(self, award):
        return award.name


class RegistrationForm(forms.Form):
    """The unit's collective title and one select per person of the page shown (blank: not
    registered). `version` is the stale-edit guard of the whole registration."""

    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, people, stored: dict, unit_award, titles, collective,
                 version: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.people = people
        self.fields["version"].initial = version
        self.fields["award"] = TitleChoice(
            label=_("Collective title the unit aims for"), queryset=collective, required=False,
            empty_label=_("Not registered"), initial=unit_award,
            # Drawn above the shortcuts, outside the page's form, and sent with it.
            widget=forms.Select(attrs={**SELECT, "form": "registration-form"}))
        # One query for the titles, shared by every select of the page.
        choices = [("", _("Not registered")), *((a.pk, a.name) for a in titles)]
        self.titles = {a.pk: a for a in titles}
        for person in people:
            self.fields[field_name(person)] = forms.TypedChoiceField(
                label=person.full_name, choices=choices, required=False, coerce=int,
                empty_value=None, initial=stored.get(person.pk, ""),
                widget=forms.Select(attrs=SELECT))

    def rows(self):
        """(person, field name, value chosen as text) for the template, which draws the
        selects itself: a hundred widgets rendered through Django's widget templates took
        most of a page's time."""
        rows = []
        for person in self.people:
            name = field_name(person)
            value = (self.data.get(self.add_prefix(name), "") if self.is_bound
                     else self.fields[name].initial)
            rows.append((person, name, str(value or "")))
        return rows

    def choices(self):
        """(value as text, label) of every title, for the template's selects."""
        return [(str(pk), award.name) for pk, award in self.titles.items()]

    def chosen(self) -> dict:
        """staff id → Award or None, for the people of the page."""
        return {person.pk: self.titles.get(self.cleaned_data[field_name(person)])
                for person in self.people}


class EveryoneForm(forms.Form):
    """The shortcut: one title for everyone, or for everyone not registered yet."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    title = forms.ModelChoiceField(label=_("Title"), queryset=Award.objects.none(),
                                   empty_label=None, widget=forms.Select(attrs=SELECT))
    only_missing = forms.BooleanField(label=_("Only people not registered yet"), required=False,
                                      initial=True)

    def __init__(self, *args, titles, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["title"].queryset = titles


STEPS = ("send", "accept", "return")


class StepForm(forms.Form):
    step = forms.ChoiceField(choices=[(s, s) for s in STEPS])
    version = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(label=_("Reason"), required=False, max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}))


class StaffSearchForm(forms.Form):
    q = forms.CharField(label=_("Search by name or staff code"), required=False, max_length=100)

