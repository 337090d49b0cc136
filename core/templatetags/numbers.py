from django import template

from core.numbers import format_number

register = template.Library()


@register.filter
def number(value, places=None):
    """{{ value|number }} → '14,5', '1.200'; {{ value|number:2 }} rounds to 2 decimals first."""
    if value is None or value == "":
        return ""
    try:
        return format_number(value, None if places in (None, "") else int(places))
    except ValueError:
        return value
