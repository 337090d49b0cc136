"""Charts drawn on the server as inline SVG, for the Office's and the director's dashboards.

Pure functions: plain data in, a `Chart` out. No JavaScript and no CDN; the same markup goes
into the browser and into WeasyPrint's PDF, so it sticks to what WeasyPrint draws (rect, path,
line, polyline, circle, text, g, a, pattern) with presentation attributes, never CSS.
Black-and-white print stays readable: every value is printed next to its shape, series differ
by dash and marker shape, stacked segments by hatching, and the heatmap palette is a single
hue from light to dark. The figures also go out as a table (`columns`, `rows`) for screen
readers, rendered by templates/includes/chart.html.
"""

import itertools
import math
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import slugify
from django.utils.translation import gettext as _

from core.numbers import format_number

FONT = "Liberation Sans, Arial, sans-serif"
INK = "#212529"
MUTED = "#5c636a"
GRID = "#ced4da"
BAR = "#0b4a8b"
WIDTH = 640
CHAR = 0.56  # average advance of a Liberation Sans character, in ems (Vietnamese text)

# Stacked segments: a colour and a hatching, so that no two presets look alike in grey.
SWATCHES = {
    "good": ("#2e7d32", "solid"),
    "warning": ("#b26a00", "hatch"),
    "bad": ("#b3261e", "dots"),
    "neutral": ("#495057", "cross"),
    "info": ("#0b4a8b", "backhatch"),
}
SWATCH_ORDER = ["good", "warning", "bad", "neutral", "info"]

# Line series: colour, dash pattern and marker shape all differ.
SERIES = [
    ("#0b4a8b", "", "circle"),
    ("#b3261e", "7 4", "square"),
    ("#2e7d32", "2 3", "triangle"),
    ("#6f42c1", "10 3 2 3", "diamond"),
]

# Heatmap: ColorBrewer "Blues", five classes; lightness rises steadily, so it reads in grey.
PALETTE = ["#eff3ff", "#bdd7e7", "#6baed6", "#3182bd", "#08519c"]
PALETTE_INK = [INK, INK, INK, "#fff", "#fff"]
LABEL_W = 210  # the bar charts' label column, by default
HEAT_LABEL_W, HEAT_ROW_H = 200, 18  # the heatmap's row labels' width and its rows' height

_counter = itertools.count(1)


@dataclass
class Chart:
    """A drawn chart and the figures behind it.

    `links` holds, per row, the href of the list behind it (bar and stacked charts) or, for the
    heatmap, per row a list of hrefs per column; None where there is no list.
    """

    title: str
    description: str
    svg: SafeString
    columns: list[str]
    rows: list[list]
    links: list | None = None
    ident: str = ""
    note: str = ""

    @property
    def table(self):
        """Rows as [(text, href or None), …] for the template; the first cell is the row header."""
        for index, row in enumerate(self.rows):
            hrefs = [None] * len(row)
            link = self.links[index] if self.links and index < len(self.links) else None
            if isinstance(link, list | tuple):
                hrefs[1:] = list(link)[: len(row) - 1]
            elif link:
                hrefs[0] = link
            yield list(zip(row, hrefs, strict=False))

    @property
    def table_html(self) -> SafeString:
        """`table` as the <tr> rows of templates/includes/chart.html. Built here rather than by
        the template's loops: a heatmap of a thousand units has eleven thousand cells, which the
        template language took most of a second to render."""
        escaped = {}  # the same shares and links come back in many rows

        def escape(value):
            found = escaped.get(value)
            if found is None:
                found = escaped[value] = conditional_escape(value)
            return found

        out = []
        for row in self.table:
            cells = []
            for index, (text, href) in enumerate(row):
                text = escape(text)
                if href:
                    text = f'<a href="{escape(href)}">{text}</a>'
                cells.append(f'<th scope="row">{text}</th>' if index == 0 else
                             f"<td>{text}</td>")
            out.append(f"<tr>{''.join(cells)}</tr>\n")
        return mark_safe("".join(out))  # every piece escaped above


def shown(value, unit="", decimals=1):
    """A figure the Vietnamese way in the active language: '87,5 %', '100 %', '12'."""
    if value is None:
        return _("No data")
    text = format_number(Decimal(str(value)), decimals, rounding=ROUND_HALF_UP)
    return f"{text} {unit}" if unit else text


def _n(x):
    """A coordinate, short: 12, 12.5."""
    return f"{x:.1f}".rstrip("0").rstrip(".")


def _fit(label, pixels, size=12):
    """The label cut to the room it has, with an ellipsis."""
    label = str(label)
    room = max(int(pixels / (CHAR * size)), 2)
    return label if len(label) <= room else label[: room - 1].rstrip() + "…"


def _text_width(text, size=12):
    return len(str(text)) * CHAR * size


def label_room(labels, *, size=12, most=WIDTH * 3 // 5) -> int:
    """The label width (user units) that prints every label whole, up to `most`: for paper,
    where no label may be cut ("1. Trách nhiệm lãnh đạo, côn…" is not read at a meeting)."""
    widest = max((_text_width(label, size) for label in labels), default=0)
    return int(min(max(widest + 16, LABEL_W), most))


def _ident(ident, title):
    return ident or f"chart-{slugify(title)[:24] or 'x'}-{next(_counter)}"


def _nice(value):
    """The smallest of 1, 2, 2.5, 5 × 10^k that is ≥ value."""
    if value <= 0:
        return 1
    power = 10 ** math.floor(math.log10(value))
    for m in (1, 2, 2.5, 5, 10):
        if value <= m * power + 1e-9:
            return m * power
    return 10 * power


def _scale(values, unit, given):
    """The top of the axis and its ticks."""
    if given:
        top = float(given)
    else:
        biggest = max((float(v) for v in values if v is not None), default=0)
        top = 100.0 if unit == "%" and biggest <= 100 else biggest or 1
    step = _nice(top / 4)
    top = step * math.ceil(top / step - 1e-9)
    return top, [step * i for i in range(int(round(top / step)) + 1)]


def _svg(ident, title, description, width, height, body):
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" class="chart-svg" role="img" '
        'aria-labelledby="{0}-t {0}-d" width="{1}" height="{2}" viewBox="0 0 {1} {2}" '
        'font-family="{3}" font-size="12" fill="{4}">'
        '<title id="{0}-t">{5}</title><desc id="{0}-d">{6}</desc>{7}</svg>',
        ident, _n(width), _n(height), FONT, INK, title, description, body,
    )


def _empty(ident, title, description, columns, message=None):
    body = format_html(
        '<rect x="0.5" y="0.5" width="{}" height="59" fill="#fff" stroke="{}" '
        'stroke-dasharray="4 3"/><text x="{}" y="35" text-anchor="middle" fill="{}">{}</text>',
        WIDTH - 1, GRID, WIDTH / 2, MUTED, message or _("No data to show yet."),
    )
    return Chart(title, description, _svg(ident, title, description, WIDTH, 60, body),
                 columns, [], ident=ident)


def _link(href, inner):
    return format_html('<a href="{}">{}</a>', href, inner) if href else inner


def _href(links, index):
    return links[index] if links and index < len(links) else None


def _x_axis(x0, x1, y0, y1, top, ticks, unit):
    """Vertical grid lines with their figures under the plot."""
    parts = []
    for tick in ticks:
        x = x0 + (x1 - x0) * tick / top
        parts.append(format_html(
            '<line x1="{0}" y1="{1}" x2="{0}" y2="{2}" stroke="{3}"/>'
            '<text x="{0}" y="{4}" text-anchor="middle" font-size="10" fill="{5}">{6}</text>',
            _n(x), _n(y0), _n(y1), GRID, _n(y1 + 13), MUTED, shown(tick, unit),
        ))
    return mark_safe("".join(parts))


def bar_chart(items, *, title, description, unit="%", max_value=None, links=None,
              label_heading=None, value_heading=None, ident=None, label_width=None):
    """Horizontal bars, one per (label, value or None), each with its value printed at its end.

    `links` gives, per item, the href of the list behind the bar (or None). `label_width`
    (user units, default 210) is the room for the labels; a label wider is cut with "…", so a
    printed chart passes `label_room(labels)`.
    """
    ident = _ident(ident, title)
    columns = [label_heading or _("Label"),
               value_heading or (f"{_('Value')} ({unit})" if unit
                                 else _("Value"))]
    items = list(items)
    if not items:
        return _empty(ident, title, description, columns)
    top, ticks = _scale([v for _label, v in items], unit, max_value)
    label_w, row_h, bar_h, pad = label_width or LABEL_W, 26, 16, 6
    x0, x1 = label_w, WIDTH - 72
    height = pad + row_h * len(items) + 24
    parts = [_x_axis(x0, x1, pad, pad + row_h * len(items), top, ticks, unit)]
    rows = []
    for index, (label, value) in enumerate(items):
        y = pad + row_h * index
        mid = y + row_h / 2 + 4
        figure = shown(value, "" if value is None else unit)
        rows.append([str(label), figure])
        if value is None:
            shape = format_html(
                '<text x="{}" y="{}" font-style="italic" fill="{}">{}</text>',
                x0 + 6, _n(mid), MUTED, figure)
        else:
            length = (x1 - x0) * min(max(float(value), 0), top) / top
            shape = format_html(
                '<rect class="bar" x="{}" y="{}" width="{}" height="{}" fill="{}"/>'
                '<text x="{}" y="{}" font-weight="bold">{}</text>',
                x0, _n(y + (row_h - bar_h) / 2), _n(max(length, 1)), bar_h, BAR,
                _n(x0 + length + 5), _n(mid), figure)
        parts.append(format_html(
            '<g><title>{}: {}</title><text x="{}" y="{}" text-anchor="end">{}</text>{}</g>',
            label, figure, x0 - 8, _n(mid), _fit(label, label_w - 12),
            _link(_href(links, index), shape)))
    parts.append(format_html('<line x1="{0}" y1="{1}" x2="{0}" y2="{2}" stroke="{3}"/>',
                             x0, pad, pad + row_h * len(items), INK))
    svg = _svg(ident, title, description, WIDTH, height, mark_safe("".join(parts)))
    return Chart(title, description, svg, columns, rows, links=links, ident=ident)


def _pattern(pid, colour, kind):
    """A 6 × 6 tile: hatching, dots or a cross on a pale ground of the same colour."""
    ground = "#fff" if kind == "dots" else _tint(colour, 0.78)
    ink = {
        "hatch": '<path d="M-1 1l2-2M0 6l6-6M5 7l2-2" stroke="{c}" stroke-width="1.6"/>',
        "backhatch": '<path d="M-1 5l2 2M0 0l6 6M5-1l2 2" stroke="{c}" stroke-width="1.6"/>',
        "dots": '<circle cx="3" cy="3" r="1.5" fill="{c}"/>',
        "cross": '<path d="M0 3h6M3 0v6" stroke="{c}" stroke-width="1.2"/>',
    }[kind]
    return format_html(
        '<pattern id="{}" width="6" height="6" patternUnits="userSpaceOnUse">'
        '<rect width="6" height="6" fill="{}"/>{}</pattern>',
        pid, ground, mark_safe(ink.format(c=colour)))


def _tint(colour, amount):
    """The colour mixed with white."""
    r, g, b = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    return "#{:02x}{:02x}{:02x}".format(*(round(c + (255 - c) * amount) for c in (r, g, b)))


def _swatches(ident, segments):
    """Per segment: its name, its fill (a colour or a pattern url), its outline colour; defs."""
    used, out, defs = set(), [], []
    for index, segment in enumerate(segments):
        name, style = segment if isinstance(segment, list | tuple) else (segment, None)
        if style not in SWATCHES:
            style = next((s for s in SWATCH_ORDER if s not in used), SWATCH_ORDER[index % 5])
        used.add(style)
        colour, kind = SWATCHES[style]
        if kind == "solid":
            out.append((str(name), colour, colour, True))
        else:
            pid = f"{ident}-p{index}"
            defs.append(_pattern(pid, colour, kind))
            out.append((str(name), f"url(#{pid})", colour, False))
    return out, format_html("<defs>{}</defs>", mark_safe("".join(defs))) if defs else ""


def _legend(entries, y, x=0, width=WIDTH):
    """Swatches in a row (wrapping) with their names; returns markup and the height used."""
    parts, cx, cy = [], x, y
    for name, fill, outline, _solid, *strike in entries:
        room = 18 + _text_width(name) + 16
        if cx + room > width and cx > x:
            cx, cy = x, cy + 18
        parts.append(format_html(
            '<rect class="key" x="{}" y="{}" width="13" height="13" fill="{}" stroke="{}"/>'
            '<text x="{}" y="{}">{}</text>', _n(cx + 0.5), _n(cy + 0.5), fill, outline,
            _n(cx + 18), _n(cy + 11), name))
        if strike:  # "not applicable": an empty cell struck through, as in the grid
            parts.append(format_html('<path d="M{} {}l13-13" stroke="{}"/>',
                                     _n(cx + 0.5), _n(cy + 13.5), outline))
        cx += room
    return mark_safe("".join(parts)), cy - y + 18


def stacked_bar_chart(items, *, segments, title, description, unit="", max_value=None,
                      links=None, label_heading=None, ident=None, label_width=None):
    """Horizontal stacked bars: items = [(label, [v1, v2, …])], one value per segment.

    segments = [(name, style)], style one of SWATCHES ("good", "warning", "bad", "neutral",
    "info") or None to take the next unused one. Each part prints its figure when it has room;
    the total is printed at the end of the bar. `links` gives per item one href for the whole
    bar, or a list of hrefs: one per segment, then one for the total — each figure then opens
    the list it counts. `label_width` as in `bar_chart`.
    """
    ident = _ident(ident, title)
    keys, defs = _swatches(ident, segments)
    columns = [label_heading or _("Label"), *(k[0] for k in keys), _("Total")]
    items = [(label, list(values)) for label, values in items]
    if not items:
        return _empty(ident, title, description, columns)
    totals = [sum(float(v or 0) for v in values) for _label, values in items]
    top, ticks = _scale(totals, unit if max_value else "", max_value)
    label_w, row_h, bar_h = label_width or LABEL_W, 28, 18
    x0, x1 = label_w, WIDTH - 60
    legend, legend_h = _legend(keys, 4, x0)
    pad = legend_h + 12
    parts = [defs, legend, _x_axis(x0, x1, pad, pad + row_h * len(items), top, ticks, unit)]
    rows = []
    for index, ((label, values), total) in enumerate(zip(items, totals, strict=True)):
        y = pad + row_h * index
        mid = y + row_h / 2 + 4
        by = y + (row_h - bar_h) / 2
        rows.append([str(label), *(shown(v, unit) for v in values), shown(total, unit)])
        link = _href(links, index)
        parts_links = list(link) if isinstance(link, list | tuple) else None
        shapes, x = [], x0
        for position, ((_name, fill, outline, solid), value) in enumerate(
                zip(keys, values, strict=False)):
            width = (x1 - x0) * float(value or 0) / top
            if width <= 0:
                continue
            segment = []
            segment.append(format_html(
                '<rect class="seg" x="{}" y="{}" width="{}" height="{}" fill="{}" stroke="{}"/>',
                _n(x), _n(by), _n(width), bar_h, fill, "#fff" if solid else outline))
            figure = shown(value, unit)
            if _text_width(figure, 11) + 8 <= width:
                centre = x + width / 2
                if not solid:  # a white plate keeps the figure legible on hatching
                    half = _text_width(figure, 11) / 2 + 2
                    segment.append(format_html(
                        '<rect x="{}" y="{}" width="{}" height="13" fill="#fff"/>',
                        _n(centre - half), _n(by + 2.5), _n(2 * half)))
                segment.append(format_html(
                    '<text x="{}" y="{}" text-anchor="middle" font-size="11" fill="{}">{}</text>',
                    _n(centre), _n(by + 13), "#fff" if solid else INK, figure))
            segment = mark_safe("".join(segment))
            shapes.append(_link(parts_links[position], segment) if parts_links and
                          position < len(parts_links) else segment)
            x += width
        total_text = format_html('<text x="{}" y="{}" font-weight="bold">{}</text>',
                                 _n(x + 5), _n(mid), shown(total, unit))
        if parts_links and len(parts_links) > len(keys):
            total_text = _link(parts_links[len(keys)], total_text)
        shapes.append(total_text)
        parts.append(format_html(
            '<g><title>{}: {}</title><text x="{}" y="{}" text-anchor="end">{}</text>{}</g>',
            label, "; ".join(f"{k[0]} {c}" for k, c in zip(keys, rows[-1][1:], strict=False)),
            x0 - 8, _n(mid), _fit(label, label_w - 12),
            mark_safe("".join(shapes)) if parts_links is not None
            else _link(link, mark_safe("".join(shapes)))))
    parts.append(format_html('<line x1="{0}" y1="{1}" x2="{0}" y2="{2}" stroke="{3}"/>',
                             x0, pad, pad + row_h * len(items), INK))
    height = pad + row_h * len(items) + 24
    svg = _svg(ident, title, description, WIDTH, height, mark_safe("".join(parts)))
    return Chart(title, description, svg, columns, rows, links=links, ident=ident)


def _marker(shape, x, y, colour, css="pt"):
    if shape == "circle":
        return format_html('<circle class="{}" cx="{}" cy="{}" r="4" fill="{}"/>',
                           css, _n(x), _n(y), colour)
    d = {
        "square": f"M{_n(x - 3.5)} {_n(y - 3.5)}h7v7h-7z",
        "triangle": f"M{_n(x)} {_n(y - 5)}l4.5 8h-9z",
        "diamond": f"M{_n(x)} {_n(y - 5)}l5 5-5 5-5-5z",
    }[shape]
    return format_html('<path class="{}" d="{}" fill="{}"/>', css, d, colour)


def line_chart(labels, series, *, title, description, unit="%", y_max=None,
               label_heading=None, ident=None):
    """Lines over months: labels = ["01/2022", …], series = [(name, [value or None, …])].

    Each series has its own colour, dash and marker shape; a gap (None) breaks the line.
    """
    ident = _ident(ident, title)
    labels = [str(label) for label in labels]
    series = [(str(name), list(values)) for name, values in series]
    columns = [label_heading or _("Month"), *(name for name, _v in series)]
    if not labels or not any(v is not None for _name, values in series for v in values):
        return _empty(ident, title, description, columns)
    top, ticks = _scale([v for _n_, values in series for v in values], unit, y_max)
    styles = [SERIES[i % len(SERIES)] for i in range(len(series))]
    legend, legend_h = _line_legend([name for name, _v in series], styles, 4, 56)
    x0, x1, y0 = 56, WIDTH - 28, legend_h + 16
    y1 = y0 + 200
    step = (x1 - x0) / max(len(labels) - 1, 1)
    xs = [x0 + step * i for i in range(len(labels))] if len(labels) > 1 else [(x0 + x1) / 2]
    parts = [legend]
    for tick in ticks:
        y = y1 - (y1 - y0) * tick / top
        parts.append(format_html(
            '<line x1="{0}" y1="{2}" x2="{1}" y2="{2}" stroke="{3}"/>'
            '<text x="{4}" y="{5}" text-anchor="end" font-size="10" fill="{6}">{7}</text>',
            x0, x1, _n(y), GRID, x0 - 6, _n(y + 3.5), MUTED, shown(tick, unit)))
    every = max(1, math.ceil(len(labels) / 12))
    for i, (x, label) in enumerate(zip(xs, labels, strict=True)):
        if i % every == 0:
            parts.append(format_html(
                '<text x="{}" y="{}" text-anchor="middle" font-size="10" fill="{}">{}</text>',
                _n(x), _n(y1 + 15), MUTED, label))
    parts.append(format_html('<line x1="{0}" y1="{1}" x2="{2}" y2="{1}" stroke="{3}"/>',
                             x0, y1, x1, INK))
    for (name, values), (colour, dash, shape) in zip(series, styles, strict=True):
        points = [(x, y1 - (y1 - y0) * min(float(v), top) / top, label, v)
                  for x, label, v in zip(xs, labels, values, strict=False) if v is not None]
        runs, run = [], []
        for x, v in zip(xs, values + [None] * len(labels), strict=False):
            if v is not None:
                run.append((x, y1 - (y1 - y0) * min(float(v), top) / top))
            elif run:
                runs.append(run)
                run = []
        if run:
            runs.append(run)
        lines = format_html_join(
            "", '<polyline points="{}" fill="none" stroke="{}" stroke-width="2"{}/>',
            ((" ".join(f"{_n(x)},{_n(y)}" for x, y in r), colour,
              format_html(' stroke-dasharray="{}"', dash) if dash else "")
             for r in runs if len(r) > 1))
        marks = format_html_join(
            "", "<g><title>{}, {}: {}</title>{}</g>",
            ((name, label, shown(v, unit), _marker(shape, x, y, colour))
             for x, y, label, v in points))
        parts.append(format_html("<g>{}{}</g>", lines, marks))
    rows = [[label, *(shown(values[i] if i < len(values) else None, unit)
                      for _name, values in series)]
            for i, label in enumerate(labels)]
    svg = _svg(ident, title, description, WIDTH, y1 + 24, mark_safe("".join(parts)))
    return Chart(title, description, svg, columns, rows, ident=ident)


def _line_legend(names, styles, y, x):
    """Each series' name after a stretch of its own line and marker; markup and height."""
    parts, cx, cy = [], x, y
    for name, (colour, dash, shape) in zip(names, styles, strict=True):
        room = 34 + _text_width(name) + 18
        if cx + room > WIDTH and cx > x:
            cx, cy = x, cy + 18
        parts.append(format_html(
            '<line x1="{0}" y1="{1}" x2="{2}" y2="{1}" stroke="{3}" stroke-width="2"{4}/>{5}'
            '<text x="{6}" y="{7}">{8}</text>',
            _n(cx), _n(cy + 7), _n(cx + 28), colour,
            format_html(' stroke-dasharray="{}"', dash) if dash else "",
            _marker(shape, cx + 14, cy + 7, colour, "key"), _n(cx + 34), _n(cy + 11), name))
        cx += room
    return mark_safe("".join(parts)), cy - y + 18


def heatmap(row_labels, col_labels, values, *, title, description, links=None, max_rows=None,
            label_heading=None, ident=None, label_width=None):
    """A grid of shares 0..1 (None: not applicable), e.g. units × content items.

    values[r][c] is the share of row r in column c; links[r][c] the href behind a cell. Only
    the first `max_rows` rows are drawn (the table keeps them all). An SVG never breaks across
    PDF pages: for print use `heatmap_pages`.

    In order: the table of figures, the columns' width, the legend, the column headings (level
    or slanted), the rows' labels and cells, the note on rows left out of the drawing.
    `label_width` (default HEAT_LABEL_W) is the room of the rows' labels, as in `bar_chart`.
    """
    ident = _ident(ident, title)
    row_labels = [str(r) for r in row_labels]
    col_labels = [str(c) for c in col_labels]
    columns = [label_heading or _("Label"), *col_labels]
    if not row_labels or not col_labels:
        return _empty(ident, title, description, columns)
    rows = _heatmap_rows(row_labels, values)
    drawn = row_labels[:max_rows] if max_rows else row_labels
    label_w = label_width or HEAT_LABEL_W
    col_w = max(min((WIDTH - label_w) / len(col_labels), 90), 22)
    width = label_w + col_w * len(col_labels)
    legend, legend_h = _heatmap_legend(width)
    heads, grid_top, width = _heatmap_heads(col_labels, col_w, legend_h, width, label_w)
    labels, cells, texts = _heatmap_cells(drawn, col_labels, values, links, col_w, grid_top,
                                          label_w)
    height = grid_top + HEAT_ROW_H * len(drawn) + 8
    note = ""
    if len(drawn) < len(row_labels):
        note = _("%(count)s more rows are in the table of figures.") % {
            "count": len(row_labels) - len(drawn)}
        height += 20
    tail = format_html('<text x="0" y="{}" font-style="italic" fill="{}">{}</text>',
                       _n(height - 10), MUTED, note) if note else ""
    body = format_html(
        '{}<g font-size="11">{}</g><g font-size="11" text-anchor="end">{}</g>{}'
        '<g font-size="10" text-anchor="middle">{}</g>{}',
        legend, mark_safe("".join(heads)), mark_safe("".join(labels)),
        mark_safe("".join(cells)), mark_safe("".join(texts)), tail)
    svg = _svg(ident, title, description, max(width, 560), height, body)
    return Chart(title, description, svg, columns, rows, links=links, ident=ident, note=note)


def _heatmap_rows(row_labels, values):
    """The table of figures: each row's label and its shares as percentages."""
    texts = {}  # share → its text: a thousand units repeat a few hundred shares

    def text(v):
        if v is None:
            return _("Not applicable")
        found = texts.get(v)
        if found is None:
            found = texts[v] = shown(float(v) * 100, "%")
        return found

    return [[label, *(text(v) for v in line)]
            for label, line in zip(row_labels, values, strict=True)]


def _heatmap_legend(width):
    """(markup, height): the five classes, "not applicable", and a note under them."""
    keys = [(f"{i * 20}–{(i + 1) * 20} %", colour, "#adb5bd", True)
            for i, colour in enumerate(PALETTE)]
    keys.append((_("Not applicable"), "#fff", "#868e96", False, True))
    legend, legend_h = _legend(keys, 4, 0, max(width, 560))
    legend_note = format_html('<text x="0" y="{}" font-size="10" fill="{}">{}</text>',
                              _n(legend_h + 14), MUTED, _("Figures in the cells are percentages."))
    return format_html("{}{}", legend, legend_note), legend_h


def _heatmap_heads(col_labels, col_w, legend_h, width, label_w=HEAT_LABEL_W):
    """(headings, the grid's top, the chart's width): the column headings level when they fit,
    else slanted and cut (the chart widens for the last one's slant)."""
    fits = all(_text_width(c, 11) <= col_w - 4 for c in col_labels)
    head_top = legend_h + 26
    head_h = 18 if fits else min(max(_text_width(c, 11) for c in col_labels) * 0.71, 150) + 12
    grid_top = round(head_top + head_h)
    width = round(width + (0 if fits else max(head_h - 12 - col_w / 2, 0)))
    heads = []
    for c, label in enumerate(col_labels):
        cx = label_w + col_w * c + col_w / 2
        if fits:
            heads.append(format_html('<text x="{}" y="{}" text-anchor="middle">{}</text>',
                                     _n(cx), _n(grid_top - 5), label))
        else:
            heads.append(format_html(
                '<g><title>{}</title><text transform="translate({} {}) rotate(-45)">{}</text></g>',
                label, _n(cx - 2), _n(grid_top - 5), _fit(label, 200, 11)))
    return heads, grid_top, width


def _heatmap_cells(drawn, col_labels, values, links, col_w, grid_top, label_w=HEAT_LABEL_W):
    """(row labels, cells, figures in the cells) of the drawn rows; cells grouped by fill so
    that each cell carries nothing but its shape."""
    row_h = HEAT_ROW_H
    bins = [[] for _ in PALETTE]
    inks = [[] for _ in PALETTE]
    blank, labels = [], []
    show_text = col_w >= 24
    for r, label in enumerate(drawn):
        y = grid_top + row_h * r
        fitted = _fit(label, label_w - 10, 11)
        labels.append(format_html('<text x="{}" y="{}">{}</text>', label_w - 6, _n(y + 13),
                                  fitted) if fitted == label else format_html(
            '<g><title>{}</title><text x="{}" y="{}">{}</text></g>', label, label_w - 6,
            _n(y + 13), fitted))
        for c in range(len(col_labels)):
            v = values[r][c] if c < len(values[r]) else None
            x = label_w + col_w * c
            href = links[r][c] if links and r < len(links) and c < len(links[r]) else None
            if v is None:
                d = f"M{_n(x)} {y}h{_n(col_w)}v{row_h}h{_n(-col_w)}zM{_n(x)} {y + row_h}" \
                    f"l{_n(col_w)}-{row_h}"
                blank.append(format_html('<a href="{}"><path d="{}"/></a>', href, d) if href
                             else d)
                continue
            share = min(max(float(v), 0), 1)
            k = min(int(share * 5), 4)
            d = f"M{_n(x)} {y}h{_n(col_w)}v{row_h}h{_n(-col_w)}z"
            # Without links a fill's cells merge into one path: a third of the bytes.
            bins[k].append(format_html('<a href="{}"><path d="{}"/></a>', href, d) if href
                           else d)
            if show_text:
                inks[k].append(format_html('<text x="{}" y="{}">{}</text>', _n(x + col_w / 2),
                                           y + 13, shown(share * 100, decimals=0)))
    cells = [format_html('<g fill="{}" stroke="#fff">{}</g>', PALETTE[k], _cells(bins[k]))
             for k in range(5) if bins[k]]
    if blank:
        cells.append(format_html('<g fill="#fff" stroke="#adb5bd">{}</g>', _cells(blank)))
    texts = [format_html('<g fill="{}">{}</g>', colour, mark_safe("".join(inks[k])))
             for k, colour in enumerate(PALETTE_INK) if inks[k]]
    return labels, cells, texts


def heatmap_pages(row_labels, col_labels, values, *, title, description, links=None,
                  rows_per_page=40, label_heading=None, ident=None, label_width=None):
    """The heatmap cut into charts of `rows_per_page` rows, for the PDF.

    WeasyPrint never breaks an SVG across pages (a tall one is cut off at the page's foot), so
    a printed grid of many units goes out as several charts, titled "… (2/25)".
    """
    row_labels = list(row_labels)
    starts = range(0, len(row_labels), rows_per_page) or [0]
    charts = []
    for page, start in enumerate(starts, 1):
        end = start + rows_per_page
        charts.append(heatmap(
            row_labels[start:end], col_labels, values[start:end],
            title=title if len(starts) == 1 else f"{title} ({page}/{len(starts)})",
            description=description, links=links[start:end] if links else None,
            label_heading=label_heading, ident=f"{ident}-{page}" if ident else None,
            label_width=label_width))
    return charts


def _cells(shapes):
    """Plain path data joined into one path; linked cells stay apart, each in its <a>."""
    plain = "".join(s for s in shapes if not isinstance(s, SafeString))
    linked = mark_safe("".join(s for s in shapes if isinstance(s, SafeString)))
    return format_html('<path d="{}"/>{}', plain, linked) if plain else linked


__all__ = ["Chart", "bar_chart", "heatmap", "heatmap_pages", "label_room", "line_chart",
           "shown", "stacked_bar_chart"]
