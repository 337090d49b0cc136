"""Measuring a PDF as a Decree 30 reviewer does with a ruler: where each line of text sits and how
wide it is (`pdftotext -bbox-layout`), how long the drawn rules are (page rendered by `pdftoppm`
to greyscale, dark horizontal runs found in it), the size the text is printed at.

All lengths are in PDF points (1 pt = 0.3528 mm); y grows down the page.
"""

import re
import subprocess
import tempfile
from dataclasses import dataclass
from html import unescape

MM = 72 / 25.4  # points per millimetre
# Liberation Serif and Sans: a word's box (ascent + descent) is 1.107 times the font size.
BOX_PER_POINT = 1.107
_DPI = 144  # two pixels a point: a 0.5 pt rule is still a pixel row


@dataclass(frozen=True)
class Line:
    x0: float
    y0: float
    x1: float
    y1: float
    text: str

    @property
    def width(self) -> float:
        return self.x1 - self.x0

    @property
    def size(self) -> float:
        """The font size the line is printed at (pt), from the height of its box."""
        return (self.y1 - self.y0) / BOX_PER_POINT


@dataclass(frozen=True)
class Rule:
    x0: float
    x1: float
    y: float

    @property
    def width(self) -> float:
        return self.x1 - self.x0


_LINE = re.compile(r'<line xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" '
                   r'yMax="([\d.]+)">(.*?)</line>', re.S)
_WORD = re.compile(r"<word [^>]*>(.*?)</word>", re.S)


def lines(content: bytes) -> list[list[Line]]:
    """Every page's lines of text, in reading order."""
    html = subprocess.run(["pdftotext", "-bbox-layout", "-", "-"], input=content,
                          capture_output=True, check=True).stdout.decode()
    pages = []
    for page in html.split("<page ")[1:]:
        pages.append([Line(float(a), float(b), float(c), float(d),
                           " ".join(unescape(w) for w in _WORD.findall(body)))
                      for a, b, c, d, body in _LINE.findall(page)])
    return pages


def find(page: list[Line], text: str) -> Line:
    found = [line for line in page if text in line.text]
    assert found, f"{text!r} not on the page"
    return found[0]


def rules(content: bytes, page: int = 1, *, shortest: float = 20.0) -> list[Rule]:
    """The horizontal rules drawn on `page` (1-based) at least `shortest` pt long: runs of dark
    pixels on one row, merged over the rows a thick rule covers."""
    with tempfile.NamedTemporaryFile(suffix=".pdf") as pdf:
        pdf.write(content)
        pdf.flush()
        # Without an output name pdftoppm writes the one page to stdout.
        pgm = subprocess.run(["pdftoppm", "-gray", "-r", str(_DPI), "-f", str(page), "-l",
                              str(page), pdf.name], capture_output=True, check=True).stdout
    # "P5\n<w> <h>\n255\n" then one byte a pixel.
    magic, width, height, _max, data = pgm.split(maxsplit=4)
    assert magic == b"P5"
    width, height = int(width), int(height)
    scale = 72 / _DPI
    found: list[Rule] = []
    for row in range(height):
        pixels = data[row * width:(row + 1) * width]
        for match in re.finditer(rb"[\x00-\x80]+", pixels):
            start, end = match.span()
            if (end - start) * scale < shortest:
                continue
            rule = Rule(start * scale, end * scale, row * scale)
            previous = found[-1] if found else None
            if (previous and abs(previous.y - rule.y) <= 2 * scale
                    and abs(previous.x0 - rule.x0) <= 2 * scale):
                continue  # the same rule, one pixel row lower
            found.append(rule)
    return found


def rule_under(page_rules: list[Rule], line: Line, *, within: float = 12.0) -> Rule:
    """The rule just under `line` (its top within `within` pt of the line's box) that overlaps
    it horizontally."""
    found = [rule for rule in page_rules
             if line.y1 - 2 <= rule.y <= line.y1 + within
             and rule.x0 < line.x1 and rule.x1 > line.x0]
    assert found, f"no rule under {line.text!r}"
    return min(found, key=lambda rule: rule.y)


def page_count(content: bytes) -> int:
    info = subprocess.run(["pdfinfo", "-"], input=content, capture_output=True, check=True,
                          text=False).stdout.decode()
    return int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))
