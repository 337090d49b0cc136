"""Template filters for Vietnamese administrative documents (Decree 30/2020/NĐ-CP)."""

from django import forms, template

register = template.Library()


def _day_month(value):
    # Decree 30/2020, Appendix I: days below 10 and the months 1 and 2 take a leading zero.
    month = f"{value.month:02d}" if value.month < 3 else str(value.month)
    return f"{value.day:02d}", month


@register.filter
def doc_date(value):
    """28/7/2021, 04/01/2022: the short date as written inside official documents."""
    if not value:
        return ""
    day, month = _day_month(value)
    return f"{day}/{month}/{value.year}"


@register.filter
def doc_long_date(value):
    """'ngày 04 tháng 01 năm 2022': the date line under the national motto."""
    if not value:
        return "ngày … tháng … năm …"
    day, month = _day_month(value)
    return f"ngày {day} tháng {month} năm {value.year}"


@register.filter
def widget_kind(field):
    """'checkbox' for one box, 'checkboxes' for a list of boxes or radios, else 'input'."""
    widget = field.field.widget
    if isinstance(widget, forms.RadioSelect):  # also CheckboxSelectMultiple, its subclass
        return "checkboxes"
    if isinstance(widget, forms.CheckboxInput):
        return "checkbox"
    return "input"


@register.filter
def control(field):
    """Render a form field's widget with Bootstrap's classes, marking invalid input."""
    widget = field.field.widget
    if isinstance(widget, forms.RadioSelect):
        css = "form-check-input"
    elif isinstance(widget, forms.Select):
        css = "form-select"
    else:
        css = "form-control"
    if field.errors:
        css += " is-invalid"
    # Keep the widget's own classes (js-date asks portal.js for a date picker).
    own = widget.attrs.get("class")
    attrs = {"class": f"{own} {css}" if own else css}
    if field.errors:
        attrs["aria-invalid"] = "true"
        attrs["aria-describedby"] = f"{field.auto_id}_error"
    return field.as_widget(attrs=attrs)
