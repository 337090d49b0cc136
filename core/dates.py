"""Dates as Vietnamese people write them: dd/mm/yyyy, read by one rule in forms and imports.

Also read: d/m/yyyy, dd-mm-yyyy, dd.mm.yyyy, and the ISO date (yyyy-mm-dd) that a browser's date
picker sends and that spreadsheets write. A spreadsheet's own date cell is taken as it is.
"""

import datetime

DATE_INPUT_FORMATS = ["%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d"]


def parse_date(value) -> datetime.date | None:
    """The date meant by `value` (a date, a datetime or a text), None for an empty one.

    Raises ValueError for a text that is not a date in any of the formats above.
    """
    if value is None:
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = str(value).strip()
    if not text:
        return None
    for pattern in DATE_INPUT_FORMATS:
        try:
            return datetime.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise ValueError(text)
