"""How every workbook the portal writes looks: the content type, the date and number formats,
the header row's style, and names Excel and browsers accept."""

import re
import unicodedata

from openpyxl.styles import Alignment, Font, PatternFill

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DATE_FORMAT = "DD/MM/YYYY"
DATETIME_FORMAT = "DD/MM/YYYY HH:MM"
# Whole numbers without a decimal point: Excel shows "#,##0.##" as "12." for twelve. A value
# with decimals takes one or two of them ("12.5", "12.25"); number_format() chooses.
WHOLE_FORMAT = "#,##0"
DECIMAL_FORMAT = "#,##0.0#"
NUMBER_FORMAT = DECIMAL_FORMAT  # a column that may hold either: 12 reads "12.0", never "12."
BOLD = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDE6F0")
WRAP = Alignment(wrap_text=True, vertical="top")
HEADER_ALIGNMENT = Alignment(wrap_text=True, vertical="center")


def ascii_filename(prefix: str, campaign, extension: str = "xlsx") -> str:
    """`tien-do-25-KH-SGDDT-2022.xlsx`: ASCII only, so every browser and mail client keeps it.

    `campaign` is anything with a `number`, `symbol` and `year` (a plan)."""
    raw = f"{prefix}-{campaign.number}-{campaign.symbol}-{campaign.year}"
    raw = raw.replace("Đ", "D").replace("đ", "d")
    raw = unicodedata.normalize("NFKD", raw).encode("ascii", "ignore").decode()
    raw = re.sub(r"[^A-Za-z0-9-]+", "-", raw)
    return f"{re.sub(r'-{2,}', '-', raw).strip('-')}.{extension}"


def sheet_title(text: str) -> str:
    """A legal sheet title: at most 31 characters and none of []:*?/\\."""
    return re.sub(r"[\[\]:*?/\\]", "-", text)[:31] or "-"


def number_format(value) -> str:
    """The format of one number: "#,##0" when it is whole (12, 12.00), else two decimals at most
    ("12.5"). None and non-numbers get the whole format (a blank cell shows nothing)."""
    try:
        whole = value is None or value == int(value)
    except (TypeError, ValueError, OverflowError):
        whole = True
    return WHOLE_FORMAT if whole else DECIMAL_FORMAT
