"""Numbers as Vietnamese people write them, read and written by one rule everywhere.

Vietnamese writing uses a comma for decimals and a dot between thousands: "14,5", "1.200",
"1.200,5". People also paste figures written the English way ("95.5", "1,200.5") and browsers or
spreadsheets hand over plain "14.5". `parse_number` reads all of these; where a text could be read
two ways the Vietnamese reading wins ("1.200" is one thousand two hundred, "1,200" is 1,2), since
that is how the portal's users write and how it shows numbers back (`format_number`).
Forms (core.forms) and spreadsheet imports both call `parse_number`, so "14,5" means the same in a
form and in an Excel cell.
"""

import re
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext_lazy as _

# Spaces people type between thousands ("1 200"), including the no-break spaces spreadsheets use.
_SPACES = re.compile(r"[\s\u00a0\u202f\u2009]+")


class NumberFormatError(ValueError):
    """The text is not a number in any way people write one; `message` says what to write."""

    message = _('"%(value)s" is not a number. Write it the Vietnamese way, for example 14,5 '
                'or 1.200 (a comma before decimals, dots between thousands).')

    def __init__(self, value):
        super().__init__(value)
        self.value = value


def _grouped(digits: str, sep: str) -> bool:
    """'1.200.000' with sep '.': thousands groups of exactly three digits after the first."""
    return re.fullmatch(r"\d{1,3}(?:" + re.escape(sep) + r"\d{3})+", digits) is not None


def parse_number(text) -> Decimal | None:
    """The Decimal a person meant by `text`, None for an empty text.

    Accepts a sign (also "−"), spaces between thousands and a trailing "%". Raises
    NumberFormatError for anything else.
    """
    if text is None:
        return None
    if isinstance(text, Decimal):
        return text
    if isinstance(text, bool):
        raise NumberFormatError(text)
    if isinstance(text, int):
        return Decimal(text)
    if isinstance(text, float):
        # A spreadsheet cell's float: its shortest repr is what the person typed (14.5, not
        # 14.4999…).
        return Decimal(repr(text))
    raw = str(text)
    value = _SPACES.sub("", raw)
    if value.endswith("%"):
        value = value[:-1]
    if not value:
        return None
    sign = ""
    if value[0] in "+-−–":
        sign = "-" if value[0] != "+" else ""
        value = value[1:]
    # Digits and separators only, starting with a digit (or ",5" for 0,5).
    if not re.fullmatch(r"\d[\d.,]*|[.,]\d+", value):
        raise NumberFormatError(raw.strip())
    number = _normalise(value)
    if number is None:
        raise NumberFormatError(raw.strip())
    try:
        return Decimal(sign + number)
    except InvalidOperation:
        raise NumberFormatError(raw.strip()) from None


def _normalise(value: str) -> str | None:
    """The digits with a '.' decimal point, or None when the separators make no sense."""
    dots, commas = value.count("."), value.count(",")
    if dots and commas:
        # Both: the last one is the decimal mark, the other groups thousands.
        decimal_mark = "," if value.rfind(",") > value.rfind(".") else "."
        group_mark = "." if decimal_mark == "," else ","
        whole, _sep, fraction = value.rpartition(decimal_mark)
        if value.count(decimal_mark) != 1 or not fraction or not _grouped(whole, group_mark):
            return None
        return whole.replace(group_mark, "") + "." + fraction
    mark = "," if commas else "." if dots else ""
    count = commas or dots
    if not mark:
        return value
    if count > 1:
        return value.replace(mark, "") if _grouped(value, mark) else None
    whole, _sep, fraction = value.partition(mark)
    if mark == "." and len(fraction) == 3 and whole and whole != "0" and len(whole) <= 3:
        # "1.200", "14.500": a Vietnamese thousands dot, not a decimal point.
        return whole + fraction
    if not fraction:
        return None  # "14," or "14." — half a number
    return (whole or "0") + "." + fraction


def format_number(value, places: int | None = None, *, grouping: bool = True,
                  rounding: str | None = None) -> str:
    """A number the way the portal shows it: '14,5', '1.200', '0'; '' for None.

    The one formatter of the screen, the PDFs and the Excel files. `places` rounds to that many
    decimals (half to even, or `rounding`, e.g. ROUND_HALF_UP for figures people check by hand)
    and then drops trailing zeros ('33,3' with places=2); None keeps every significant decimal.
    `grouping=False` leaves out the thousands dots ('1200'). Never shows a negative zero.
    """
    if value is None or value == "":
        return ""
    number = value if isinstance(value, Decimal) else parse_number(value)
    if places is not None:
        number = number.quantize(Decimal(1).scaleb(-places), rounding)
    if number == 0:
        return "0"
    sign = "-" if number < 0 else ""
    text = format(abs(number), "f")
    whole, _sep, fraction = text.partition(".")
    fraction = fraction.rstrip("0")
    if grouping:
        whole = f"{int(whole):,}".replace(",", ".")
    return sign + whole + ("," + fraction if fraction else "")


def is_whole(value: Decimal) -> bool:
    return value == value.to_integral_value()
