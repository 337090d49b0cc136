"""Signed figures as people read them: "+1,50", "−2,00", and a plain "0" for nothing.

A bonus or penalty of zero used to read "+0,00 / −0,00": a minus in front of nothing looks like a
deduction that did not happen.
"""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django import template
from django.template.defaultfilters import floatformat

register = template.Library()

MINUS = "−"  # U+2212, the typographic minus the pages use


def _number(value):
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError, TypeError):
        return None


@register.filter
def signed(value, places=2):
    """The value with its sign ("+" or "−") and `places` decimals; "0" when it rounds to zero."""
    number = _number(value)
    if number is None:
        return value
    # floatformat's "-2" drops zero decimals; either way two decimals decide what shows as 0.
    step = Decimal(1).scaleb(-abs(int(places)))
    if number.quantize(step, rounding=ROUND_HALF_UP).is_zero():  # as floatformat rounds
        return "0"
    return f"{'+' if number > 0 else MINUS}{floatformat(abs(number), places)}"


@register.filter
def deducted(value, places=2):
    """A deduction (stored positive) shown as "−2,00"; "0" when there is none."""
    number = _number(value)
    if number is None:
        return value
    return signed(-number, places)
