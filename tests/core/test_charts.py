"""Server-drawn SVG charts (core/charts.py): well-formed, true to the data, escaped, in the PDF.

The PDF tests also leave PNGs in artifacts/charts/ (colour and grey) for a person to look at.
"""

import random
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from core.charts import (
    bar_chart,
    heatmap,
    heatmap_pages,
    line_chart,
    shown,
    stacked_bar_chart,
)

SVG = "{http://www.w3.org/2000/svg}"
ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts" / "charts"
CSS = Path(__file__).resolve().parents[2] / "static" / "css" / "charts.css"
MONTHS = [f"{m:02d}/2022" for m in range(1, 13)]
# 1,000 units × 10 content items: what the director's dashboard may draw at most. gzip takes
# either to about a tenth on the wire.
HEATMAP_BUDGET = 700_000
HEATMAP_LINKED_BUDGET = 1_300_000


@pytest.fixture(autouse=True)
def vietnamese():
    with translation.override("vi"):
        yield


def parse(chart):
    return ET.fromstring(str(chart.svg))


def every(root, tag):
    return list(root.iter(SVG + tag))


def texts(root):
    return ["".join(node.itertext()) for node in every(root, "text")]


def units():
    return [
        ("Trường THPT Hùng Vương", 87.5),
        ("Trường THPT chuyên Quang Trung, thành phố Đồng Xoài, tỉnh Bình Phước", 100),
        ("Phòng GD&ĐT huyện Bù Gia Mập", None),
        ("<script>alert(1)</script>", 42.25),
    ]


def reports():
    return [
        ("Nội dung 1: Công khai thủ tục hành chính", [12, 3, 1]),
        ("Nội dung 2: Chuyển đổi số trong dạy học và quản lý", [5, 8, 4]),
        ("Nội dung 3", [20, 0, 0]),
        ("<b>Nội dung 4</b>", [None, 2, 14]),
    ]


SEGMENTS = [("Đúng hạn", "good"), ("Trễ hạn", "warning"), ("Chưa nộp", "bad")]


def progress():
    return [
        ("Khối THPT", [50, 55, 60, 62, 70, None, 75, 80, 82, 85, 90, 95]),
        ("Khối THCS", [40, 42, 45, 50, 52, 58, 60, 64, 66, 70, 71, 75]),
        ("<i>Tiểu học</i>", [30, 35, 33, 40, 48, 50, 55, 60, 58, 65, 70, None]),
    ]


def grid(rows, cols=10, seed=1):
    rng = random.Random(seed)
    row_labels = [f"Trường Tiểu học số {r} xã Minh Hưng, huyện Bù Đăng" for r in range(rows)]
    col_labels = [f"Nội dung {c}: công khai" for c in range(1, cols + 1)]
    values = [[None if rng.random() < 0.08 else rng.random() for _ in col_labels]
              for _ in row_labels]
    return row_labels, col_labels, values


def test_shown_writes_figures_the_vietnamese_way():
    assert shown(87.5, "%") == "87,5 %"
    assert shown(100, "%") == "100 %"
    assert shown(42.25) == "42,3"
    assert shown(1234.5) == "1.234,5"
    assert shown(None) == _("No data")


# Bars ---------------------------------------------------------------------------------------

def test_bar_chart_draws_one_bar_per_value():
    chart = bar_chart(units(), title="Tỷ lệ hoàn thành", description="Bốn đơn vị.")

    root = parse(chart)

    bars = [r for r in every(root, "rect") if r.get("class") == "bar"]
    assert len(bars) == 3  # the unit without data has no bar…
    assert _("No data") in texts(root)  # …but says so
    printed = [t.text for t in every(root, "text") if t.get("font-weight") == "bold"]
    assert printed == ["87,5 %", "100 %", "42,3 %"]  # each bar says its figure
    assert float(bars[1].get("width")) > float(bars[0].get("width")) > float(bars[2].get("width"))


def test_bar_chart_table_equals_the_data():
    chart = bar_chart(units(), title="Tỷ lệ", description="…", label_heading="Đơn vị")

    assert chart.columns == ["Đơn vị", "Giá trị (%)"]
    assert chart.rows == [[label, shown(value, "%")] for label, value in units()]


def test_bar_chart_escapes_labels():
    chart = bar_chart(units(), title="<Tỷ lệ>", description="a & b")

    assert "<script>" not in chart.svg
    assert "&lt;script&gt;" in chart.svg
    root = parse(chart)
    assert "<script>alert(1)</script>" in texts(root)
    assert root.find(SVG + "title").text == "<Tỷ lệ>"


def test_bar_chart_cuts_long_labels_but_keeps_them_whole_in_tooltip_and_table():
    chart = bar_chart(units(), title="Tỷ lệ", description="…")
    full = units()[1][0]

    root = parse(chart)

    cut = [t for t in texts(root) if t.startswith("Trường THPT chuyên")]
    assert len(cut) == 1 and cut[0].endswith("…") and len(cut[0]) < len(full)
    assert any(t.text.startswith(full) for t in every(root, "title"))
    assert chart.rows[1][0] == full


def test_bar_chart_links_each_bar_to_its_list():
    links = ["/tasks/?unit=1&status=late", None, None, "/tasks/?unit=4"]
    chart = bar_chart(units(), title="Tỷ lệ", description="…", links=links)

    anchors = every(parse(chart), "a")

    assert [a.get("href") for a in anchors] == ["/tasks/?unit=1&status=late", "/tasks/?unit=4"]
    assert all(a.find(SVG + "rect") is not None for a in anchors)


def test_bar_chart_without_items_says_there_is_no_data():
    chart = bar_chart([], title="Tỷ lệ", description="…")

    assert chart.rows == []
    assert _("No data to show yet.") in texts(parse(chart))


# Stacked bars -------------------------------------------------------------------------------

def test_stacked_bar_chart_draws_one_segment_per_nonzero_value():
    chart = stacked_bar_chart(reports(), segments=SEGMENTS, title="Báo cáo", description="…")

    root = parse(chart)

    segments = [r for r in every(root, "rect") if r.get("class") == "seg"]
    nonzero = sum(1 for _label, values in reports() for v in values if v)
    assert len(segments) == nonzero
    # Late and missing are hatched and dotted, not only coloured: they survive grey print.
    patterns = every(root, "pattern")
    assert len(patterns) == 2
    fills = {r.get("fill") for r in segments}
    assert {f"url(#{p.get('id')})" for p in patterns} <= fills
    keys = [r for r in every(root, "rect") if r.get("class") == "key"]
    assert [k.get("fill") for k in keys] == ["#2e7d32", *(f"url(#{p.get('id')})"
                                                         for p in patterns)]
    assert {"16", "17", "20"} <= set(texts(root))  # totals at the end of the bars


def test_stacked_bar_chart_table_equals_the_data():
    chart = stacked_bar_chart(reports(), segments=SEGMENTS, title="Báo cáo", description="…")

    assert chart.columns == [_("Label"), "Đúng hạn", "Trễ hạn", "Chưa nộp", "Tổng cộng"]
    assert chart.rows[0] == ["Nội dung 1: Công khai thủ tục hành chính", "12", "3", "1", "16"]
    assert chart.rows[3] == ["<b>Nội dung 4</b>", _("No data"), "2", "14", "16"]
    assert "&lt;b&gt;Nội dung 4&lt;/b&gt;" in chart.svg and "<b>" not in chart.svg


def test_stacked_bar_chart_without_items_says_there_is_no_data():
    chart = stacked_bar_chart([], segments=SEGMENTS, title="Báo cáo", description="…")

    assert chart.rows == [] and _("No data to show yet.") in texts(parse(chart))


# Lines --------------------------------------------------------------------------------------

def test_line_chart_marks_every_value_and_breaks_at_gaps():
    chart = line_chart(MONTHS, progress(), title="Tiến độ", description="…")

    root = parse(chart)

    points = [n for n in root.iter() if n.get("class") == "pt"]
    assert len(points) == sum(1 for _name, values in progress() for v in values if v is not None)
    # THPT has a gap in June (two runs); Tiểu học only misses December (one run).
    assert len(every(root, "polyline")) == 2 + 1 + 1
    dashes = {p.get("stroke-dasharray") for p in every(root, "polyline")}
    assert len(dashes) == 3  # solid, dashed, dotted
    shapes = {(n.tag, (n.get("d") or "")[-4:]) for n in points}
    assert len(shapes) == 3  # circle, square, triangle


def test_line_chart_table_and_escaping():
    chart = line_chart(MONTHS, progress(), title="Tiến độ", description="…")

    assert chart.columns == [_("Month"), "Khối THPT", "Khối THCS", "<i>Tiểu học</i>"]
    assert chart.rows[0] == ["01/2022", "50 %", "40 %", "30 %"]
    assert chart.rows[5][1] == _("No data")
    assert len(chart.rows) == 12
    assert "<i>" not in chart.svg and "<i>Tiểu học</i>" in texts(parse(chart))


def test_line_chart_without_values_says_there_is_no_data():
    chart = line_chart(MONTHS, [("Khối THPT", [None] * 12)], title="Tiến độ", description="…")

    assert chart.rows == [] and _("No data to show yet.") in texts(parse(chart))


# Heatmap ------------------------------------------------------------------------------------

def cells(root):
    """Cells drawn: each cell's outline is one closed sub-path."""
    return sum((p.get("d") or "").count("z") for g in every(root, "g") if g.get("stroke")
               for p in g.findall(f"{SVG}path") + g.findall(f"{SVG}a/{SVG}path"))


def test_heatmap_draws_every_cell_and_prints_its_share():
    row_labels, col_labels, values = grid(12)

    chart = heatmap(row_labels, col_labels, values, title="Tỷ lệ", description="…")

    root = parse(chart)
    assert cells(root) == 12 * 10
    applicable = [v for line in values for v in line if v is not None]
    figures = [t for t in texts(root) if re.fullmatch(r"\d{1,3}", t)]
    assert len(figures) == len(applicable)
    assert chart.rows[0][0] == row_labels[0]
    assert len(chart.rows) == 12 and all(len(row) == 11 for row in chart.rows)
    none_at = next((r, c) for r, line in enumerate(values) for c, v in enumerate(line)
                   if v is None)
    assert chart.rows[none_at[0]][none_at[1] + 1] == _("Not applicable")


def test_heatmap_cells_link_to_their_lists_and_labels_are_escaped():
    row_labels, col_labels, values = grid(3, 4)
    row_labels[0] = "<script>x</script>"
    links = [[f"/tasks/?unit={r}&item={c}" for c in range(4)] for r in range(3)]

    chart = heatmap(row_labels, col_labels, values, title="Tỷ lệ", description="…", links=links)

    root = parse(chart)
    assert len(every(root, "a")) == 12
    assert every(root, "a")[0].get("href").startswith("/tasks/?unit=")
    assert "<script>" not in chart.svg and "<script>x</script>" in texts(root)
    assert list(chart.table)[1][2] == (chart.rows[1][2], "/tasks/?unit=1&item=1")


def test_heatmap_max_rows_draws_the_first_rows_and_keeps_all_in_the_table():
    row_labels, col_labels, values = grid(30)

    chart = heatmap(row_labels, col_labels, values, title="Tỷ lệ", description="…", max_rows=25)

    assert cells(parse(chart)) == 25 * 10
    assert len(chart.rows) == 30
    assert chart.note == _("%(count)s more rows are in the table of figures.") % {"count": 5}


def test_heatmap_without_rows_says_there_is_no_data():
    chart = heatmap([], ["Nội dung 1"], [], title="Tỷ lệ", description="…")

    assert chart.rows == [] and _("No data to show yet.") in texts(parse(chart))


def test_heatmap_of_a_thousand_units_stays_within_budget():
    row_labels, col_labels, values = grid(1000)
    links = [[f"/tasks/?unit={r}&item={c}" for c in range(10)] for r in range(1000)]

    plain = heatmap(row_labels, col_labels, values, title="Tỷ lệ", description="…")
    linked = heatmap(row_labels, col_labels, values, title="Tỷ lệ", description="…", links=links)

    assert cells(parse(plain)) == 10_000
    assert len(str(plain.svg).encode()) < HEATMAP_BUDGET
    assert len(str(linked.svg).encode()) < HEATMAP_LINKED_BUDGET


def test_heatmap_pages_cut_a_long_grid_into_charts_of_a_page_each():
    row_labels, col_labels, values = grid(90)

    charts = heatmap_pages(row_labels, col_labels, values, title="Tỷ lệ", description="…",
                           rows_per_page=40)

    assert [c.title for c in charts] == ["Tỷ lệ (1/3)", "Tỷ lệ (2/3)", "Tỷ lệ (3/3)"]
    assert [cells(parse(c)) for c in charts] == [400, 400, 100]
    assert charts[2].rows[-1][0] == row_labels[-1]


# The include --------------------------------------------------------------------------------

def test_include_labels_the_drawing_and_gives_the_figures_as_a_table():
    first = bar_chart(units(), title="Tỷ lệ", description="Bốn đơn vị.", links=["/a?x=1&y=2"])
    second = bar_chart(units(), title="Tỷ lệ", description="Bốn đơn vị.")

    html = render_to_string("includes/chart.html", {"chart": first}) + render_to_string(
        "includes/chart.html", {"chart": second})

    ids = re.findall(r'aria-labelledby="([^"]+)"', html)
    assert len(ids) == 2 and ids[0] != ids[1]
    for label in " ".join(ids).split():
        assert html.count(f'id="{label}"') == 1
    assert '<figcaption class="chart-title">Tỷ lệ</figcaption>' in html
    assert f"<summary>{_('Figures')}</summary>" in html and "<caption>Tỷ lệ</caption>" in html
    assert f'<th scope="col">{_("Label")}</th>' in html
    assert '<th scope="row"><a href="/a?x=1&amp;y=2">Trường THPT Hùng Vương</a></th>' in html
    assert "<td>87,5 %</td>" in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script>" not in html


# In the PDF (WeasyPrint draws the same inline SVG) and in a browser ---------------------------

def html_page(*charts):
    body = "".join(render_to_string("includes/chart.html", {"chart": c}) for c in charts)
    return (f'<!doctype html><html lang="vi"><head><meta charset="utf-8"><style>'
            f"body {{ font-family: 'Liberation Sans', Arial, sans-serif; }}"
            f"{CSS.read_text()}</style></head><body>{body}</body></html>")


def every_chart():
    row_labels, col_labels, values = grid(30)
    return {
        "bar": (bar_chart(units(), title="Tỷ lệ hoàn thành theo đơn vị", description="…",
                          links=["/tasks/?unit=1", None, None, None]),
                "Trường THPT Hùng Vương", "87,5 %"),
        "stacked": (stacked_bar_chart(reports(), segments=SEGMENTS, title="Báo cáo theo nội dung",
                                      description="…"), "Chưa nộp", "17"),
        "line": (line_chart(MONTHS, progress(), title="Tiến độ theo tháng", description="…"),
                 "Khối THCS", "75 %"),
        "heatmap": (heatmap(row_labels, col_labels, values, title="Tỷ lệ theo đơn vị",
                            description="…", max_rows=25), "Trường Tiểu học số 3", "80–100 %"),
    }


needs_poppler = pytest.mark.skipif(not shutil.which("pdftotext") or not shutil.which("pdftoppm"),
                                   reason="poppler-utils not installed")


@needs_poppler
@pytest.mark.parametrize("name", ["bar", "stacked", "line", "heatmap"])
def test_chart_is_drawn_in_the_pdf(name, tmp_path):
    from weasyprint import HTML

    chart, label, figure = every_chart()[name]
    pdf = tmp_path / f"{name}.pdf"

    html = html_page(chart)
    pdf.write_bytes(HTML(string=html).write_pdf())

    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout
    assert label in text and figure in text
    # The table of figures (behind its "Figures" summary) is left out of print.
    assert "<caption>" in html and not re.search(rf"^\s*{_('Figures')}\s*$", text, re.M)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-singlefile", str(pdf),
                    str(ARTIFACTS / name)], check=True)
    subprocess.run(["pdftoppm", "-png", "-gray", "-r", "60", "-singlefile", str(pdf),
                    str(ARTIFACTS / f"{name}-grey")], check=True)
    assert (ARTIFACTS / f"{name}.png").stat().st_size > 1000


@needs_poppler
def test_long_heatmap_prints_every_row_over_several_pages(tmp_path):
    from weasyprint import HTML

    row_labels, col_labels, values = grid(90)
    charts = heatmap_pages(row_labels, col_labels, values, title="Tỷ lệ", description="…")
    pdf = tmp_path / "long.pdf"

    pdf.write_bytes(HTML(string=html_page(*charts)).write_pdf())

    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert "Trường Tiểu học số 89 " in text and "Tỷ lệ (3/3)" in text
    assert text.count("\f") == 3  # one page per forty rows


@pytest.mark.browser
def test_charts_in_a_browser(page):
    browser_page = page
    charts = [chart for chart, _label, _figure in every_chart().values()]
    browser_page.set_viewport_size({"width": 900, "height": 800})

    browser_page.set_content(html_page(*charts))

    assert browser_page.locator("figure.chart svg[role=img]").count() == 4
    browser_page.locator("details summary").first.click()
    assert browser_page.locator("table caption").first.is_visible()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    browser_page.screenshot(path=str(ARTIFACTS / "browser.png"), full_page=True)
