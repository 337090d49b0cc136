from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import VietnameseModelForm, WholeNumberField
from core.numbers import format_number, is_whole
from core.uploads import check_evidence
from units.models import Unit, UnitKind

from .models import (
    Assignment,
    Cadence,
    IndicatorKind,
    ProgressReport,
    ReportStatus,
    Task,
    parse_period,
    periods_for,
)


class TaskForm(VietnameseModelForm):
    class Meta:
        model = Task
        fields = ["title", "description", "indicator_kind", "indicator_label", "target_value",
                  "unit_of_measure", "cadence", "deadline", "lead_unit"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, item, **kwargs):
        super().__init__(*args, **kwargs)
        self.item = item
        self.fields["lead_unit"].queryset = Unit.objects.assignable()

    def clean(self):
        cleaned = super().clean()
        kind, target = cleaned.get("indicator_kind"), cleaned.get("target_value")
        if kind == IndicatorKind.PERCENT and target is not None and not 0 <= target <= 100:
            self.add_error("target_value", _("A percentage target must be between 0 and 100."))
        if kind == IndicatorKind.COUNT and (target is None or target <= 0):
            self.add_error("target_value", _("Enter the number to reach (more than 0)."))
        elif kind == IndicatorKind.COUNT and not is_whole(target):
            self.add_error("target_value", WholeNumberField.default_error_messages["whole"])
        deadline = cleaned.get("deadline")
        year = self.item.campaign.year
        if deadline and deadline.year != year:
            self.add_error("deadline", _("The deadline must fall in %(year)s, the plan's year.")
                           % {"year": year})
        return cleaned


ASSIGN_CHOICES = [
    ("affiliated", _("All affiliated units (schools, centres)")),
    ("internal", _("All offices and departments of the DoET")),
    ("picked", _("The units ticked below")),
]


class AssignForm(forms.Form):
    scope = forms.ChoiceField(label=_("Assign to"), choices=ASSIGN_CHOICES,
                              widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
                              initial="picked")
    units = forms.ModelMultipleChoiceField(
        label=_("Units"), queryset=Unit.objects.none(), required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["units"].queryset = (Unit.objects.assignable()
                                         .exclude(kind__in=[UnitKind.BOARD, UnitKind.UNION]))

    def clean(self):
        cleaned = super().clean()
        scope = cleaned.get("scope")
        units = self.fields["units"].queryset
        if scope == "affiliated":
            cleaned["units"] = list(units.affiliated())
        elif scope == "internal":
            cleaned["units"] = list(units.internal())
        elif not cleaned.get("units"):
            self.add_error("units", _("Tick at least one unit, or choose a group above."))
        return cleaned


# A version no page ever held (missing, damaged, forged) is a page to reload.
OUT_OF_DATE = _("This page is out of date: reload it and try again.")
VERSION_FIELD = dict(widget=forms.HiddenInput, min_value=1, max_value=2**31 - 1,
                     error_messages={key: OUT_OF_DATE for key in ("required", "invalid",
                                                                  "min_value", "max_value")})


class ReportForm(VietnameseModelForm):
    """The whole report page: the value reached, the narrative and an evidence file, sent by
    one of its buttons (`action`: save, upload, submit or remove). Values are read as people
    type them ("14,5", "1.200", dd/mm/yyyy) by the core fields; a count takes whole numbers
    only. The file is checked by its content (`uploads.check_evidence`)."""

    version = forms.IntegerField(required=False, **VERSION_FIELD)
    file = forms.FileField(label=_("Evidence file"), required=False,
                           help_text=_("PDF, Word, Excel, PowerPoint or a photo (PNG, JPG)."))

    class Meta:
        model = ProgressReport
        fields = ["value", "value_date", "narrative"]
        widgets = {"narrative": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args, assignment, action="save", **kwargs):
        super().__init__(*args, **kwargs)
        self.assignment = assignment
        self.action = action
        self.checked = None
        task = assignment.task
        # A new report has no version yet: a page that creates one, sent after someone else
        # created it, is then a stale page, never a silent overwrite.
        self.fields["version"].initial = self.instance.version if self.instance.pk else None
        if task.indicator_kind == IndicatorKind.DATE:
            del self.fields["value"]
            self.fields["value_date"].required = True
            self.fields["value_date"].error_messages["required"] = _(
                "Enter the date it was done, as dd/mm/yyyy (for example 30/06/2022).")
            return
        del self.fields["value_date"]
        if task.indicator_kind == IndicatorKind.YES_NO:
            self.fields["value"] = forms.TypedChoiceField(
                label=_("Achieved?"), coerce=int,
                choices=[(1, _("Yes")), (0, _("No"))],
                widget=forms.RadioSelect(attrs={"class": "form-check-input"}))
            if self.instance.value is not None:
                # The stored 1.00 would match neither radio button's "1".
                self.initial["value"] = int(self.instance.value)
        elif task.indicator_kind == IndicatorKind.COUNT:
            self.fields["value"] = WholeNumberField(
                max_digits=10, label=_("Value reached (%(unit)s)") % {"unit": task.unit_of_measure}
                if task.unit_of_measure else _("Value reached"))
        elif task.indicator_kind == IndicatorKind.PERCENT:
            self.fields["value"].label = _("Value reached (%)")
            self.fields["value"].help_text = _("For example 95,5")
        elif task.unit_of_measure:
            self.fields["value"].label = _("Value reached (%(unit)s)") % {
                "unit": task.unit_of_measure}
        self.fields["value"].required = True
        # "This field is required" says nothing of what to type in it.
        self.fields["value"].error_messages["required"] = (
            _("Choose Yes or No.") if task.indicator_kind == IndicatorKind.YES_NO
            else _("Enter the value reached, for example 12 or 1.200.")
            if task.indicator_kind == IndicatorKind.COUNT
            else _("Enter the value reached, for example 95,5."))

    def clean_value(self):
        value = self.cleaned_data["value"]
        low, high = self.assignment.task.value_bounds()
        if value < low or (high is not None and value > high):
            if high is None:
                raise forms.ValidationError(_("The value cannot be negative."))
            raise forms.ValidationError(_("Enter a value between %(low)s and %(high)s.")
                                        % {"low": format_number(low),
                                           "high": format_number(high)})
        return value

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload:
            self.checked = check_evidence(upload)
        elif self.action == "upload":
            raise forms.ValidationError(_("Choose a file first, then press Upload."))
        return upload

    def values(self) -> dict:
        """The typed values, as `services.save_page` takes them."""
        return {name: self.cleaned_data.get(name) for name in ("value", "value_date",
                                                               "narrative")
                if name in self.fields}


class EvidenceForm(forms.Form):
    file = forms.FileField(label=_("Evidence file"),
                           help_text=_("PDF, Word, Excel, PowerPoint or a photo (PNG, JPG)."))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        self.checked = check_evidence(upload)
        return upload


# The queue a reviewer came from ("item=3&sort=unit"), carried through the report page so that
# the next report is taken from the same list.
QUEUE_FIELD = dict(required=False, max_length=1000, widget=forms.HiddenInput)


class ReviewForm(forms.Form):
    """Accept (comment optional) or return (reason required) a submitted report."""

    decision = forms.ChoiceField(choices=[("accept", _("Accept")), ("return", _("Return"))],
                                 widget=forms.HiddenInput)
    comment = forms.CharField(label=_("Comment or reason"), required=False,
                              widget=forms.Textarea(attrs={"rows": 3}))
    version = forms.IntegerField(**VERSION_FIELD)
    queue = forms.CharField(**QUEUE_FIELD)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == "return" and not cleaned.get("comment", "").strip():
            self.add_error("comment", _("Write why the report is returned, so the unit knows "
                                        "what to fix."))
        return cleaned


class SubmitForm(forms.Form):
    """Sending a draft for review: only the version of the page it was sent from."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)


class ReopenForm(forms.Form):
    reason = forms.CharField(label=_("Why reopen this accepted report?"),
                             widget=forms.Textarea(attrs={"rows": 2}))
    version = forms.IntegerField(**VERSION_FIELD)
    queue = forms.CharField(**QUEUE_FIELD)


class _TickedField(forms.MultipleChoiceField):
    # Any "pk:version" may be ticked: which reports exist and wait is the service's to find.
    def valid_value(self, value):
        return True


class BulkAcceptForm(forms.Form):
    """The reports ticked in the review queue, each as "pk:version" of the page it was ticked on."""

    reports = _TickedField(error_messages={"required": _("Tick the reports to accept first.")})
    queue = forms.CharField(**QUEUE_FIELD)

    def clean_reports(self):
        picked = {}
        for text in self.cleaned_data["reports"]:
            pk, _sep, version = text.partition(":")
            if not (text.isascii() and pk.isdigit() and version.isdigit()) or len(pk) > 18 \
                    or len(version) > 9:
                raise forms.ValidationError(_("The list of reports was damaged; reload the "
                                              "queue and tick them again."))
            picked[int(pk)] = int(version)
        return list(picked.items())


class QueueFilterForm(forms.Form):
    item = forms.ModelChoiceField(label=_("Content item"), queryset=None, required=False,
                                  empty_label=_("All items"))
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=None, required=False,
                                  empty_label=_("All units"))
    status = forms.ChoiceField(label=_("Status"), required=False,
                               choices=[("", _("All statuses")), *ReportStatus.choices])
    # A list of the periods there are, labelled as the table shows them; a period typed into
    # the address (a link, a bookmark) is read in any of the ways people write it.
    period = forms.CharField(label=_("Period"), required=False, max_length=20,
                             widget=forms.Select)

    def __init__(self, *args, items, units, periods=(), **kwargs):
        """`periods`: the (cadence, year) pairs of the tasks whose reports may be listed."""
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = items
        self.fields["unit"].queryset = units
        self.fields["period"].widget.choices = [("", _("All periods")),
                                                *period_choices(periods)]
        for field in self.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs["class"] = f"{css} form-control-sm"




    def clean_period(self):
        text = self.cleaned_data["period"].strip()
        if not text:
            return ""
        key = parse_period(text)
        if key is None:
            raise forms.ValidationError(
                _("“%(text)s” is not a reporting period. Choose one from the list, or write it "
                  "as the table shows it: Quý 3/2022, 09/2022 or 2022.") % {"text": text})
        return key


def period_choices(periods) -> list:
    """Every period of the given (cadence, year) pairs, grouped by year, newest year first;
    within a year the whole year, then quarters, then months, as in the table."""
    by_year: dict[int, list] = {}
    for cadence, year in periods:
        by_year.setdefault(year, []).extend(periods_for(cadence, year, None))
    order = {Cadence.ONCE: 0, Cadence.QUARTERLY: 1, Cadence.MONTHLY: 2}
    choices = []
    for year in sorted(by_year, reverse=True):
        found = {p.key: p for p in by_year[year]}
        keys = sorted(found, key=lambda k: (order[_cadence_of(k)], k))
        choices.append((str(year), [(k, found[k].label) for k in keys]))
    return choices


def _cadence_of(key: str) -> str:
    if "-Q" in key:
        return Cadence.QUARTERLY
    return Cadence.MONTHLY if "-" in key else Cadence.ONCE


class AssignmentTermsForm(VietnameseModelForm):
    """The Office sets a unit's own target or deadline where it differs from the task's."""

    class Meta:
        model = Assignment
        fields = ["target_value", "deadline"]

    def clean_target_value(self):
        target = self.cleaned_data["target_value"]
        if target is None:
            return target
        task = self.instance.task
        low, high = task.value_bounds()
        if target < low or (high is not None and target > high):
            if high is None:
                raise forms.ValidationError(_("The value cannot be negative."))
            raise forms.ValidationError(_("Enter a value between %(low)s and %(high)s.")
                                        % {"low": low, "high": high})
        if task.indicator_kind == IndicatorKind.COUNT and not is_whole(target):
            raise forms.ValidationError(WholeNumberField.default_error_messages["whole"])
        return target

    def clean_deadline(self):
        deadline = self.cleaned_data["deadline"]
        year = self.instance.task.item.campaign.year
        if deadline and deadline.year != year:
            raise forms.ValidationError(
                _("The deadline must fall in %(year)s, the plan's year.") % {"year": year})
        return deadline
