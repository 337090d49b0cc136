from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import VietnameseModelForm, WholeNumberField
from core.numbers import is_whole
from units.models import Unit, UnitKind

from .models import Assignment, IndicatorKind, ProgressReport, ReportStatus, Task
from .uploads import check_evidence

DATE_WIDGET = forms.DateInput(format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy"})


class TaskForm(VietnameseModelForm):
    class Meta:
        model = Task
        fields = ["title", "description", "indicator_kind", "indicator_label", "target_value",
                  "unit_of_measure", "cadence", "deadline", "lead_unit"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, item, **kwargs):
        super().__init__(*args, **kwargs)
        self.item = item
        self.fields["lead_unit"].queryset = Unit.objects.active().exclude(parent__isnull=True)

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
        self.fields["units"].queryset = (Unit.objects.active().exclude(parent__isnull=True)
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


class ReportForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = ProgressReport
        fields = ["value", "value_date", "narrative"]
        widgets = {"value_date": DATE_WIDGET, "narrative": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args, assignment, **kwargs):
        super().__init__(*args, **kwargs)
        self.assignment = assignment
        task = assignment.task
        self.fields["version"].initial = self.instance.version
        if task.indicator_kind == IndicatorKind.DATE:
            del self.fields["value"]
            self.fields["value_date"].required = True
        else:
            del self.fields["value_date"]
            self.fields["value"].required = True
            if task.indicator_kind == IndicatorKind.YES_NO:
                self.fields["value"] = forms.TypedChoiceField(
                    label=_("Achieved?"), coerce=int,
                    choices=[(1, _("Yes")), (0, _("No"))],
                    widget=forms.RadioSelect(attrs={"class": "form-check-input"}))
            elif task.indicator_kind == IndicatorKind.PERCENT:
                self.fields["value"].label = _("Value reached (%)")
            elif task.unit_of_measure:
                self.fields["value"].label = _("Value reached (%(unit)s)") % {
                    "unit": task.unit_of_measure}

    def clean_value(self):
        value = self.cleaned_data["value"]
        low, high = self.assignment.task.value_bounds()
        if value < low or (high is not None and value > high):
            if high is None:
                raise forms.ValidationError(_("The value cannot be negative."))
            raise forms.ValidationError(_("Enter a value between %(low)s and %(high)s.")
                                        % {"low": low, "high": high})
        return value


class EvidenceForm(forms.Form):
    file = forms.FileField(label=_("Evidence file"),
                           help_text=_("PDF, Word, Excel, PowerPoint or a photo (PNG, JPG)."))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        self.checked = check_evidence(upload)
        return upload


class ReviewForm(forms.Form):
    """Accept (comment optional) or return (reason required) a submitted report."""

    decision = forms.ChoiceField(choices=[("accept", _("Accept")), ("return", _("Return"))],
                                 widget=forms.HiddenInput)
    comment = forms.CharField(label=_("Comment or reason"), required=False,
                              widget=forms.Textarea(attrs={"rows": 3}))
    version = forms.IntegerField(widget=forms.HiddenInput)

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
    version = forms.IntegerField(widget=forms.HiddenInput)


class QueueFilterForm(forms.Form):
    item = forms.ModelChoiceField(label=_("Content item"), queryset=None, required=False,
                                  empty_label=_("All items"))
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=None, required=False,
                                  empty_label=_("All units"))
    status = forms.ChoiceField(label=_("Status"), required=False,
                               choices=[("", _("All statuses")), *ReportStatus.choices])
    period = forms.CharField(label=_("Period"), required=False, max_length=10,
                             widget=forms.TextInput(attrs={"placeholder": "2022-Q1"}))

    def __init__(self, *args, items, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = items
        self.fields["unit"].queryset = units
        for field in self.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs["class"] = f"{css} form-control-sm"




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
