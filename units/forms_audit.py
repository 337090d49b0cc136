"""The filters of the audit trail's page (Nhật ký hệ thống)."""

import datetime

from django import forms
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.audit.display import ACTIONS
from core.forms import DateField

from .collation import contains_text, sort_key, unit_order
from .models import Unit

# The apps whose objects the trail names, and the accounts people sign in with.
AUDITED_APPS = ("auth", "units", "campaigns", "tasks", "scoring", "awards")


class ObjectTypeField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        model = obj.model_class()
        return str(model._meta.verbose_name).capitalize() if model else obj.model


class AuditFilterForm(forms.Form):
    person = forms.CharField(label=_("Person"), required=False, max_length=120,
                             help_text=_("Part of the username or the full name."))
    unit = forms.ModelChoiceField(label=_("Unit"), required=False, queryset=Unit.objects.none(),
                                  empty_label=_("All units"))
    object_type = ObjectTypeField(label=_("Object type"), required=False,
                                  queryset=ContentType.objects.none(),
                                  empty_label=_("All types"))
    object = forms.CharField(label=_("Object"), required=False, max_length=120,
                             help_text=_("The object's number, or part of its name."))
    action = forms.ChoiceField(label=_("Action"), required=False)
    date_from = DateField(label=_("From"), required=False)
    date_to = DateField(label=_("To"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.order_by(*unit_order())
        self.fields["object_type"].queryset = ContentType.objects.filter(
            app_label__in=AUDITED_APPS).order_by("app_label", "model")
        self.fields["action"].choices = [("", _("All actions")), *sorted(
            ((code, str(label)) for code, label in ACTIONS.items()),
            key=lambda choice: sort_key(choice[1]))]
        for field in self.fields.values():
            css = "form-select form-select-sm" if isinstance(field, forms.ChoiceField) \
                else "form-control form-control-sm"
            # Keep a widget's own class: js-date asks portal.js for the date picker.
            own = field.widget.attrs.get("class")
            field.widget.attrs["class"] = f"{own} {css}" if own else css

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The end date is before the start date: swap the two "
                                        "dates."))
        return cleaned

    def filter(self, entries):
        """`entries` narrowed to the filters: all of them when the form is empty, none when
        it is wrong (the page shows what to fix; an unfiltered list would look filtered)."""
        if not self.is_bound:
            return entries
        if not self.is_valid():
            return entries.none()
        data = self.cleaned_data
        if data["person"]:
            text = data["person"].strip()
            entries = entries.filter(contains_text(
                "actor__username", "actor__staff_member__full_name", "actor__first_name",
                "actor__last_name", text=text))
        if data["unit"]:
            entries = entries.filter(unit=data["unit"])
        if data["object_type"]:
            entries = entries.filter(content_type=data["object_type"])
        if data["object"]:
            text = data["object"].strip()
            entries = entries.filter(Q(object_id=text) | Q(object_repr__icontains=text))
        if data["action"]:
            entries = entries.filter(action=data["action"])
        # Whole days in the portal's time zone, as bounds on the indexed column.
        if data["date_from"]:
            entries = entries.filter(at__gte=_start_of(data["date_from"]))
        if data["date_to"]:
            entries = entries.filter(at__lt=_start_of(data["date_to"]
                                                      + datetime.timedelta(days=1)))
        return entries

    def summary(self) -> str:
        """The search in words, each filter as its label and what was chosen ("Đơn vị: Trường
        THCS Hùng Vương; Từ: 01/03/2022"), empty when nothing narrows the list: it titles the
        download in My documents, where two exports of the trail must be told apart."""
        if not self.is_bound or not self.is_valid():
            return ""
        parts = []
        for name, field in self.fields.items():
            value = self.cleaned_data.get(name)
            if value in (None, ""):
                continue
            if isinstance(value, datetime.date):
                shown = f"{value:%d/%m/%Y}"
            elif isinstance(field, forms.ModelChoiceField):
                shown = field.label_from_instance(value)
            elif isinstance(field, forms.ChoiceField):
                shown = dict(field.choices).get(value, value)
            else:
                shown = value.strip()
            parts.append(f"{field.label}: {shown}")
        return "; ".join(parts)


def _start_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
