"""Forms of the commendation workflow: nominees, the steps of a list, the vote, decisions."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.forms import DateField, NumberInput, VietnameseModelForm, WholeNumberField, YearField
from units.models import DocumentKind
from units.services_outgoing import next_number

from .models import Award, Nominee, Subject
from .models_dossier import Part
from .ratings import people_of
from .registration_services import registered_ids


def proposed_number(form, kind: str, date_field: str) -> dict:
    """The register's next number of `kind` for the year of the date typed in the form (a
    decision signed on 04/01/2023 takes a 2023 number), or of today before anything is typed:
    {"year", "number"} for the number field's hint."""
    day = timezone.localdate()
    if form.is_bound:
        try:
            day = form.fields[date_field].clean(form.data.get(form.add_prefix(date_field))) or day
        except ValidationError:
            pass  # the field says what to fix; the hint stays on today's year
    return {"year": day.year, "number": next_number(kind, day.year)}


def registered_on(day):
    """`day`, the date of a document entered in the register of outgoing documents, refused
    when after today: the register gives a number on the day a document is signed or later,
    never ahead (a year mistyped would register it years early). Decisions, the letters that
    send dossiers up and what the Office registers by hand all say the same."""
    if day and day > timezone.localdate():
        raise forms.ValidationError(_("The date is after today: a document is registered "
                                      "on the day it is signed or later."))
    return day


def _styled(form):
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.HiddenInput):
            continue
        css = "form-select" if isinstance(widget, forms.Select) else "form-control"
        own = widget.attrs.get("class", "")
        if css not in own.split():
            # Kept beside a widget's own class (js-date asks portal.js for the date picker).
            widget.attrs["class"] = f"{own} {css}".strip()


class VersionForm(forms.Form):
    """The version of the list the page showed: a step on a changed list is refused."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class NomineeForm(VietnameseModelForm):
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

    def __init__(self, *args, unit, year=None, **kwargs):
        super().__init__(*args, **kwargs)
        # The people the unit had in the proposal's year (a past year's list after a merge too).
        self.fields["staff"].queryset = people_of(unit, year).leaders_first()
        self.fields["staff"].empty_label = _("— the unit itself —")
        registered = registered_ids(unit, year) if year else None
        if registered is not None:
            # Once registration was opened, those who did not register are marked in the list.
            self.fields["staff"].label_from_instance = lambda person: (
                person.full_name if person.pk in registered
                else _("%(name)s (not registered)") % {"name": person.full_name})
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
                           widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
                           error_messages={"required": _("Say what the unit must complete or "
                                                         "correct.")})
    # The parts of the list's checklist to fix (the service checks one at least is ticked).
    parts = forms.MultipleChoiceField(label=_("Parts to fix"), required=False,
                                      choices=Part.choices, widget=forms.CheckboxSelectMultiple(
                                          attrs={"class": "form-check-input"}))


class PublishForm(VersionForm):
    days = WholeNumberField(label=_("Days on public notice"), min_value=1, max_value=60,
                            widget=NumberInput(attrs={"class": "form-control", "size": 4}))


class ProposeManyForm(VersionForm):
    """The suggested people (and the unit), each ticked to be proposed at once with an
    optional line of achievements; all ticked when the page opens."""

    def __init__(self, *args, suggestions, **kwargs):
        super().__init__(*args, **kwargs)
        self.suggestions = suggestions
        for suggestion in suggestions:
            key = self.key(suggestion)
            name = suggestion.staff.full_name if suggestion.staff else _("the unit itself")
            self.fields[f"pick_{key}"] = forms.BooleanField(
                label=_("Propose %(name)s for %(award)s")
                % {"name": name, "award": suggestion.award.name},
                required=False, initial=True,
                widget=forms.CheckboxInput(attrs={"class": "form-check-input"}))
            self.fields[f"summary_{key}"] = forms.CharField(
                label=_("Achievements of %(name)s") % {"name": name}, required=False,
                max_length=2000, widget=forms.TextInput(attrs={
                    "class": "form-control form-control-sm",
                    "placeholder": _("Achievements (can be written later)")}))

    @staticmethod
    def key(suggestion) -> str:
        return f"{suggestion.award.pk}_{suggestion.staff.pk if suggestion.staff else 'unit'}"

    def rows(self):
        """(suggestion, tick box, achievements field), for the template."""
        return [(s, self[f"pick_{self.key(s)}"], self[f"summary_{self.key(s)}"])
                for s in self.suggestions]

    def picks(self) -> list:
        """(award, staff or None, achievements) of the ticked rows, in the page's order."""
        return [(s.award, s.staff, self.cleaned_data[f"summary_{self.key(s)}"])
                for s in self.suggestions if self.cleaned_data.get(f"pick_{self.key(s)}")]

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not self.picks():
            raise forms.ValidationError(_("Tick at least one person to propose."))
        return cleaned


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

    held_on = DateField(label=_("Meeting date"))
    members = WholeNumberField(label=_("Council members"), min_value=1, max_value=200)
    present = WholeNumberField(label=_("Members present"), min_value=1, max_value=200)

    def __init__(self, *args, nominees, **kwargs):
        super().__init__(*args, **kwargs)
        self.nominees = nominees
        for nominee in nominees:
            for side, label in (("for", _("For")), ("against", _("Against"))):
                self.fields[f"{side}_{nominee.pk}"] = WholeNumberField(
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
    year = YearField(label=_("Year"))
    # Empty: the register of outgoing documents gives the next number (units.services_outgoing).
    number = forms.CharField(label=_("Number"), max_length=60, required=False)
    signed_on = DateField(label=_("Signed on"))
    signer_name = forms.CharField(label=_("Signed by"), max_length=120)
    signer_title = forms.CharField(label=_("Signer's title"), max_length=120,
                                   initial="GIÁM ĐỐC")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["number"].help_text = _(
            "Next number in %(year)s: %(number)s. Leave empty to take it (a decision signed in "
            "another year takes that year's next number); type a number only for a decision "
            "numbered outside the portal.") % proposed_number(self, DocumentKind.DECISION,
                                                               "signed_on")
        _styled(self)

    def clean_signed_on(self):
        return registered_on(self.cleaned_data["signed_on"])

    def clean_award(self):
        award = self.cleaned_data["award"]
        if not award.decided_here:
            raise forms.ValidationError(award.not_decided_here())
        return award


class RevokeForm(forms.Form):
    reason = forms.CharField(label=_("Reason for revocation"), max_length=2000,
                             error_messages={"required": _("Give the reason for the "
                                                           "revocation.")},
                             widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}))
