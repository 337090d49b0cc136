"""Scores as people read them: Vietnamese decimals, no trailing zeros, never "−0"."""

from decimal import Decimal, InvalidOperation

from django import template

from scoring.models import shown

register = template.Library()


@register.filter
def points(value):
    """3.33 → '3,33', 7.50 → '7,5', 10.00 → '10', -0.00 → '0'; '' for no value."""
    if value is None or value == "":
        return ""
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return value
    return shown(abs(number) if not number else number)


@register.filter
def hidden_initial(field):
    """The hidden copy of what the page showed in a box (the field's show_hidden_initial),
    rendered beside a box drawn by hand: saving after someone else's save compares with it."""
    return field.as_hidden(only_initial=True)
