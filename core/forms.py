"""Form fields that read what Vietnamese staff type, whatever the browser's language.

Numbers are plain text inputs (`inputmode="decimal"`), never `type="number"`: a browser set to
English reads "14,5" in a number input as 145 and refuses "1.200", and hands the server nothing
of what was typed when it cannot read it. The server reads the text with `core.numbers` and
shows it back the same way. Dates are text in dd/mm/yyyy; a small script adds the browser's
date picker beside them (static/js/portal.js), and the ISO date a picker sends is read too.

Every ModelForm of the portal gets these fields through `formfield_callback` (see
`VietnameseModelForm`); plain forms use the fields directly.
"""

import calendar
import datetime
import re
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.forms.models import ModelFormMetaclass
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from .dates import DATE_INPUT_FORMATS
from .numbers import NumberFormatError, format_number, is_whole, parse_number

DATE_HINT = _("dd/mm/yyyy, for example 04/01/2022")


class NumberInput(forms.TextInput):
    """A text box for a number, shown back as people write it ('14,5', '1.200').

    `grouping=False` leaves out the thousands dots, for figures that are names rather than
    amounts: a year is "2022", never "2.022".
    """

    input_type = "text"

    def __init__(self, attrs=None, *, places=None, grouping=True):
        self.places = places
        self.grouping = grouping
        super().__init__({"inputmode": "decimal", "autocomplete": "off", **(attrs or {})})

    def format_value(self, value):
        if value is None or value == "":
            return None
        if isinstance(value, str):
            return value  # what the person typed, shown back untouched after an error
        return format_number(value, self.places, grouping=self.grouping)


class NumberField(forms.DecimalField):
    """A decimal typed the Vietnamese way ("14,5", "1.200,5", "95,5 %") or the English way."""

    widget = NumberInput
    default_error_messages = {
        "max_decimal_places": _("Write at most %(max)s digits after the comma, for example "
                                "14,25."),
        "max_digits": _("This number is too long: at most %(max)s digits."),
        "max_whole_digits": _("This number is too large."),
        "max_value": _("Enter a number no greater than %(limit_value)s."),
        "min_value": _("Enter a number no smaller than %(limit_value)s."),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.widget.places = self.decimal_places

    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            number = parse_number(value)
        except NumberFormatError as error:
            raise ValidationError(NumberFormatError.message, code="invalid",
                                  params={"value": error.value}) from None
        if number is None:
            return None
        if not number.is_finite():
            raise ValidationError(NumberFormatError.message, code="invalid",
                                  params={"value": value})
        return number

    def widget_attrs(self, widget):
        # No min/max/step attributes: they belong to type="number", which this is not.
        return forms.Field.widget_attrs(self, widget)


class WholeNumberField(NumberField):
    """A count: "1.200" is read as 1200, "14,5" is refused with a message saying why."""

    default_error_messages = {
        "whole": _("Enter a whole number, without decimals (for example 12 or 1.200)."),
    }

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("decimal_places", 0)
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        number = super().to_python(value)
        if number is None:
            return None
        if not is_whole(number):
            raise ValidationError(self.error_messages["whole"], code="whole")
        return int(number)

    def validate(self, value):
        forms.Field.validate(self, value)

    def run_validators(self, value):
        # The decimal validators would count digits of an int; the bounds still apply.
        if value in self.empty_values:
            return
        super().run_validators(Decimal(value))


class YearField(WholeNumberField):
    """A year, 2000–2100, shown as "2022" (no thousands dot) and read as a count is."""

    default_error_messages = {
        "min_value": _("Enter a year between 2000 and 2100, for example 2022."),
        "max_value": _("Enter a year between 2000 and 2100, for example 2022."),
    }

    def __init__(self, *args, **kwargs):
        # A model's year column says only "positive": the portal's years are 2000–2100.
        kwargs["min_value"] = max(kwargs.get("min_value") or 0, 2000)
        kwargs["max_value"] = min(kwargs.get("max_value") or 2100, 2100)
        super().__init__(*args, **kwargs)
        self.widget.grouping = False
        self.widget.attrs["inputmode"] = "numeric"
        self.widget.attrs.setdefault("size", 6)


class DateInput(forms.DateInput):
    """dd/mm/yyyy as text; `js-date` asks portal.js to add the browser's date picker."""

    input_type = "text"

    def __init__(self, attrs=None):
        super().__init__(
            {"placeholder": "dd/mm/yyyy", "inputmode": "numeric", "autocomplete": "off",
             "class": "js-date", **(attrs or {})},
            format="%d/%m/%Y",
        )


def _hint(text) -> str:
    """'Leave empty to use the task's deadline (dd/mm/yyyy, for example 04/01/2022).'"""
    return f"{str(text).rstrip('.')} ({DATE_HINT})."


_with_hint = lazy(_hint, str)  # in the language of the page that shows it


# A date typed in the portal's own order (d/m/y with one separator), to say what is wrong in it.
_DAY_MONTH_YEAR = re.compile(r"(\d{1,2})([/.-])(\d{1,2})\2(\d{2}|\d{4})")


class DateField(forms.DateField):
    """A date as dd/mm/yyyy (also d/m/yyyy, dd-mm-yyyy, dd.mm.yyyy and the picker's ISO date)."""

    widget = DateInput
    input_formats = DATE_INPUT_FORMATS
    default_error_messages = {
        "invalid": _('"%(value)s" is not a date. Write it as dd/mm/yyyy, for example '
                     '04/01/2022.'),
        "no_such_day": _('Month %(month)s/%(year)s has only %(days)s days, so "%(value)s" does '
                         'not exist. Correct the day (dd/mm/yyyy).'),
        "no_such_month": _('There is no month %(month)s in "%(value)s": write the day first, '
                           'then the month (dd/mm/yyyy), for example 30/06/2022.'),
        "short_year": _('Write the year of "%(value)s" with all 4 digits (dd/mm/yyyy), for '
                        'example 30/06/2022.'),
    }

    def __init__(self, *args, **kwargs):
        # A model's own hint ("leave empty to use the task's deadline") keeps the format too.
        own = kwargs.get("help_text")
        kwargs["help_text"] = _with_hint(own) if own else DATE_HINT
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip()
        try:
            return super().to_python(value)
        except ValidationError:
            raise self._why_not(value) from None

    def _why_not(self, value) -> ValidationError:
        # "31/06/2022" is written the right way: "not a date, write dd/mm/yyyy" would leave
        # the person looking for a mistake in the format. Name the part that is wrong.
        parts = _DAY_MONTH_YEAR.fullmatch(value)
        code, params = "invalid", {"value": value}
        if parts:
            day, month, year = (int(part) for part in parts.group(1, 3, 4))
            if len(parts[4]) != 4:
                code = "short_year"
            elif month > 12:
                code = "no_such_month"
                params["month"] = month
            elif day > 0 and month > 0 and year > 0:
                code = "no_such_day"
                params |= {"month": month, "year": year,
                           "days": calendar.monthrange(year, month)[1]}
        return ValidationError(self.error_messages[code], code=code, params=params)

    def strptime(self, value, format):
        return datetime.datetime.strptime(value, format).date()


def formfield_callback(db_field, **kwargs):
    """The portal's form field for a model field: Vietnamese numbers and dates."""
    if isinstance(db_field, models.DateField) and not isinstance(db_field, models.DateTimeField):
        return db_field.formfield(form_class=DateField, **kwargs)
    if isinstance(db_field, models.DecimalField | models.FloatField):
        return db_field.formfield(form_class=NumberField, **kwargs)
    if isinstance(db_field, models.IntegerField) and not isinstance(db_field, models.AutoField):
        if not db_field.choices:
            # "year", "first_year"…: a year, shown without a thousands dot.
            is_year = db_field.name == "year" or db_field.name.endswith("_year")
            return db_field.formfield(form_class=YearField if is_year else WholeNumberField,
                                      **kwargs)
    return db_field.formfield(**kwargs)


class _VietnameseMetaclass(ModelFormMetaclass):
    # A subclass's own `class Meta` replaces its parent's: give each one the callback unless it
    # names another.
    def __new__(mcs, name, bases, attrs):
        meta = attrs.get("Meta")
        if meta is not None and not hasattr(meta, "formfield_callback"):
            meta.formfield_callback = staticmethod(formfield_callback)
        return super().__new__(mcs, name, bases, attrs)


class VietnameseModelForm(forms.ModelForm, metaclass=_VietnameseMetaclass):
    """Base of the portal's ModelForms: numbers and dates through the fields above."""
