# ruff: noqa: F811  (the fixtures of test_documents, imported, are redefined as arguments)
"""The Word (.docx) versions of the official documents (issue 18, item 2): opened back with
python-docx and checked for the Decree 30 layout (header table, rules, number, italic date,
signature block, recipients, Times New Roman, A4 and margins, the annex as a real table),
converted to PDF with LibreOffice and measured as the PDFs are, and the department's own
templates: a good one filled with the decision's data, each kind of broken one refused."""

import io
import shutil
import subprocess

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from docx import Document
from docx.oxml.ns import qn

from awards.documents import build
from awards.jobs import generate_document
from awards.models import DocumentStatus, GeneratedDocument, WordTemplate
from core import word
from units.models import AuditEntry

from ..conftest import SCREENSHOTS
from ..pdf_measure import page_count
from .test_decree30 import _assert_rules, _big_decision
from .test_documents import (  # noqa: F401  (fixtures)
    PEOPLE,
    make_decision,
    plan_2022,
    proposals,
    year_end,
)

SOFFICE = shutil.which("soffice")
needs_soffice = pytest.mark.skipif(
    not SOFFICE, reason="LibreOffice (soffice) missing: scripts/system-deps.sh installs it")


def _docx(kind, params):
    built = build(kind, params, "docx")
    assert built.filename.endswith(".docx")
    assert built.content_type == word.CONTENT_TYPE
    return built.content, Document(io.BytesIO(built.content))


def _texts(cell_or_doc):
    return [p.text for p in cell_or_doc.paragraphs]


def _rule_mm(paragraph, room_mm: float) -> float:
    """The length of a rule drawn as a paragraph's bottom border: the room less its indents."""
    borders = paragraph._p.pPr.find(qn("w:pBdr"))
    assert borders is not None and borders.find(qn("w:bottom")) is not None
    fmt = paragraph.paragraph_format
    return room_mm - fmt.left_indent.mm - fmt.right_indent.mm


def _rule_after(cell_or_doc, text: str):
    paragraphs = cell_or_doc.paragraphs
    index = next(i for i, p in enumerate(paragraphs) if p.text == text)
    return paragraphs[index + 1]


def _fonts(doc) -> set:
    """Every font the document's text is in: named on its runs, or the Normal style's."""
    names = {doc.styles["Normal"].font.name}
    for element in doc.element.body.iter(qn("w:rFonts")):
        names |= {element.get(qn(a)) for a in ("w:ascii", "w:hAnsi") if element.get(qn(a))}
    return names


def test_decision_docx_has_the_decree30_header_rules_number_italic_date_and_signature(
        cast, plan_2022):
    decision = make_decision(cast)
    _content, doc = _docx("decision", {"decision": decision.pk})
    section = doc.sections[0]
    assert round(section.page_width.mm) == 210 and round(section.page_height.mm) == 297
    assert [round(m.mm) for m in (section.top_margin, section.bottom_margin,
                                  section.left_margin, section.right_margin)] == [20, 20, 30, 15]
    # The header: a borderless two-column table opening the page.
    header = doc.tables[0]
    assert doc.element.body[0] is header._tbl
    assert header._tbl.tblPr.find(qn("w:tblBorders")) is None and header.style.name != \
        "Table Grid"
    left, right = header.rows[0].cells
    assert _texts(left)[:2] == ["UBND TỈNH BÌNH PHƯỚC", "SỞ GIÁO DỤC VÀ ĐÀO TẠO"]
    assert "Số: 1802/QĐ-SGDĐT" in _texts(left)
    assert _texts(right)[:2] == ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                                 "Độc lập - Tự do - Hạnh phúc"]
    date = next(p for p in right.paragraphs if p.text.startswith("Bình Phước, ngày"))
    assert date.text == "Bình Phước, ngày 04 tháng 01 năm 2023"
    assert all(run.italic for run in date.runs)
    # The rules: at least a third of the line above, at most half (the motto's its length).
    agency_mm = word.text_mm("SỞ GIÁO DỤC VÀ ĐÀO TẠO", 13, bold=True)
    agency_rule = _rule_mm(_rule_after(left, "SỞ GIÁO DỤC VÀ ĐÀO TẠO"), left.width.mm)
    assert agency_mm / 3 <= agency_rule <= agency_mm / 2
    motto_rule = _rule_mm(_rule_after(right, "Độc lập - Tự do - Hạnh phúc"), right.width.mm)
    assert motto_rule == pytest.approx(word.text_mm("Độc lập - Tự do - Hạnh phúc", 14, bold=True),
                                       abs=0.5)
    # Title, subject and its rule, the body.
    body = _texts(doc)
    assert "QUYẾT ĐỊNH" in body
    subject = "Về việc công nhận danh hiệu Lao động tiên tiến năm 2022"
    subject_rule = _rule_mm(_rule_after(doc, subject), 165)
    assert subject_rule >= word.text_mm(subject, 14, bold=True) / 3
    assert any(text.startswith("Điều 1. Công nhận danh hiệu") for text in body)
    assert any(text.startswith("Căn cứ Luật Thi đua") for text in body)
    # The signature block and the recipients, side by side in a borderless table.
    foot = doc.tables[1]
    recipients, sign = foot.rows[0].cells
    assert recipients.paragraphs[0].text == "Nơi nhận:"
    assert recipients.paragraphs[0].runs[0].bold and recipients.paragraphs[0].runs[0].italic
    assert "- Lưu: VT, VP." in _texts(recipients)
    assert _texts(sign) == ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "Nguyễn Văn Phó"]
    assert sign.paragraphs[-1].paragraph_format.space_before.mm > 15  # room for the signature
    assert foot.rows[0]._tr.trPr.find(qn("w:cantSplit")) is not None
    # Times New Roman throughout, 14 pt body.
    assert _fonts(doc) == {"Times New Roman"}
    assert doc.styles["Normal"].font.size.pt == 14


def test_decision_annex_is_a_real_table_with_a_row_per_awardee_on_its_own_numbered_section(
        cast, plan_2022):
    decision = make_decision(cast, extra=14)
    _content, doc = _docx("decision", {"decision": decision.pk})
    annex = doc.tables[-1]
    assert annex.style.name == "Table Grid"
    assert [c.text for c in annex.rows[0].cells] == ["TT", "Họ và tên", "Chức vụ", "Đơn vị"]
    assert annex.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None  # repeats on each page
    assert len(annex.rows) == 1 + len(PEOPLE) + 14
    assert [row.cells[0].text for row in annex.rows[1:4]] == ["1", "2", "3"]
    names = {row.cells[1].text for row in annex.rows[1:]}
    assert {name for name, _position, _unit in PEOPLE} <= names
    # The annex is a section of its own, numbered from 1, its first page unnumbered.
    assert len(doc.sections) == 2
    annex_section = doc.sections[1]
    assert annex_section._sectPr.find(qn("w:pgNumType")).get(qn("w:start")) == "1"
    assert annex_section.different_first_page_header_footer
    assert "PAGE" in doc.sections[0].header._element.xml


def _every_kind(titles):
    for kind, (params, title) in titles.items():
        _content, doc = _docx(kind, params)
        body = _texts(doc)
        assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in _texts(doc.tables[0].rows[0].cells[1]), kind
        if title:
            assert title in body, kind
        assert len(doc.tables) >= 3, kind  # header, at least one list, signatures
        assert _fonts(doc) == {"Times New Roman"}, kind


def test_every_printed_document_downloads_as_word(cast, plan_2022, year_end):
    decision = make_decision(cast, number="88/QĐ-SGDĐT")
    campaign, _decision = year_end
    _every_kind({"decision": ({"decision": decision.pk}, "QUYẾT ĐỊNH"),
                 "year_report": ({"campaign": campaign.pk}, "BÁO CÁO"),
                 "payout": ({"decision": decision.pk}, "DANH SÁCH CHI TIỀN THƯỞNG"),
                 "fund": ({"year": 2022}, None)})


def test_the_proposal_to_the_province_downloads_as_word(cast, proposals):
    _every_kind({"province_proposal": ({"year": 2022}, "TỜ TRÌNH")})


def test_word_download_is_vietnamese_and_allowed_as_the_pdf(cast, client_for, plan_2022):
    decision = make_decision(cast, people=[p for p in PEOPLE if p[2] == "a"])
    url = reverse("awards:document_get")
    params = {"kind": "decision", "decision": decision.pk}
    office = client_for(cast.office)
    office.cookies["django_language"] = "en"
    response = office.get(url, {**params, "fmt": "docx"})
    assert response.status_code == 200
    assert response["Content-Type"] == word.CONTENT_TYPE
    doc = Document(io.BytesIO(b"".join(response.streaming_content)))
    assert "QUYẾT ĐỊNH" in _texts(doc)
    # A unit the decision does not name gets no Word version, as it gets no PDF.
    for fmt in ("pdf", "docx"):
        assert client_for(cast.head_b).get(url, {**params, "fmt": fmt}).status_code == 404


def test_a_long_decision_as_word_goes_through_the_worker(cast, client_for, plan_2022,
                                                          settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    decision = make_decision(cast)
    client = client_for(cast.office)
    response = client.get(reverse("awards:document_get"), {
        "kind": "decision", "fmt": "docx", "decision": decision.pk, "background": "1"})
    document = GeneratedDocument.objects.get()
    assert response.status_code == 302 and document.file_format == "docx"
    assert generate_document.call(document.pk) == DocumentStatus.DONE
    download = client.get(reverse("awards:document_file", args=[document.pk]))
    assert download["Content-Type"] == word.CONTENT_TYPE
    assert download["Content-Disposition"].endswith('.docx"')
    doc = Document(io.BytesIO(b"".join(download.streaming_content)))
    assert len(doc.tables[-1].rows) == 1 + len(PEOPLE)


@needs_soffice
def test_docx_converted_by_libreoffice_reads_as_the_pdf(cast, plan_2022, tmp_path):
    """LibreOffice opens the .docx and prints it: the rules measured on its PDF as on ours, the
    decision on one page, its annex on the next; the pages are kept as PNGs to look at."""
    decision = make_decision(cast, extra=20)
    content, _doc = _docx("decision", {"decision": decision.pk})
    source = tmp_path / "quyet-dinh.docx"
    source.write_bytes(content)
    subprocess.run([SOFFICE, "--headless", f"-env:UserInstallation=file://{tmp_path}/lo",
                    "--convert-to", "pdf", "--outdir", str(tmp_path), str(source)],
                   check=True, capture_output=True, timeout=120)
    pdf = (tmp_path / "quyet-dinh.pdf").read_bytes()
    figures = _assert_rules(pdf, "QUYẾT ĐỊNH")
    assert figures["agency"][0] >= figures["agency"][1] / 3
    assert page_count(pdf) == 2
    text = subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True,
                          check=True).stdout.decode()
    for expected in ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Số: 1802/QĐ-SGDĐT", "Nơi nhận:",
                     "KT. GIÁM ĐỐC", "Nguyễn Văn Phó", "DANH SÁCH CÁ NHÂN"):
        assert expected in text
    fonts = subprocess.run(["pdffonts", "-"], input=pdf, capture_output=True,
                           check=True).stdout.decode()
    assert "LiberationSerif" in fonts or "TimesNewRoman" in fonts
    subprocess.run(["pdftoppm", "-r", "60", "-png", str(tmp_path / "quyet-dinh.pdf"),
                    str(tmp_path / "page")], check=True)
    pages = sorted(tmp_path.glob("page-*.png"))
    assert [p.name for p in pages] == ["page-1.png", "page-2.png"]
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)  # for a person to look at
    for number, png in enumerate(pages, start=1):
        shutil.copy(png, SCREENSHOTS / f"awards-decision-docx-libreoffice-{number}.png")


def test_a_1000_awardee_decision_as_word_has_every_awardee(cast, plan_2022):
    # Its speed is bench_docx's to measure (a timed test fails on a busy machine, not a slow
    # build); here, every row is there.
    decision = _big_decision(cast, 1000)
    with translation.override("vi"):
        built = build("decision", {"decision": decision.pk}, "docx")
    assert len(Document(io.BytesIO(built.content)).tables[-1].rows) == 1001


# -- the department's own template --------------------------------------------------------------


def _template(*paragraphs, table=True) -> bytes:
    """A .docx template written as a clerk would in Word: placeholders in paragraphs and a
    table whose second row repeats for each awardee."""
    doc = Document()
    for text in paragraphs:
        doc.add_paragraph(text)
    if table:
        grid = doc.add_table(rows=4, cols=3)
        grid.cell(0, 0).text, grid.cell(0, 1).text, grid.cell(0, 2).text = "STT", "Họ tên", "Đơn vị"
        grid.cell(1, 0).text = "{%tr for r in danh_sach %}"
        grid.cell(2, 0).text, grid.cell(2, 1).text, grid.cell(2, 2).text = (
            "{{ r.stt }}", "{{ r.ho_ten }}", "{{ r.don_vi }}")
        grid.cell(3, 0).text = "{%tr endfor %}"
    stream = io.BytesIO()
    doc.save(stream)
    return stream.getvalue()


GOOD = ("{{ co_quan }}", "Số: {{ so_hieu }}", "{{ dia_danh }}, {{ ngay_ky }}",
        "{{ trich_yeu }}", "{{ nguoi_ky }}")


def _upload(client, kind, content, name="mau.docx"):
    return client.post(reverse("awards:word_templates"),
                       {"kind": kind, "file": SimpleUploadedFile(name, content)})


def test_a_good_template_is_stored_audited_and_fills_with_the_decisions_data(
        cast, client_for, plan_2022, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    decision = make_decision(cast)
    admin = client_for(cast.admin)
    response = _upload(admin, "decision", _template(*GOOD))
    assert response.status_code == 302
    stored = WordTemplate.objects.get(kind="decision")
    assert AuditEntry.objects.filter(action="word_template.upload",
                                     object_id=str(stored.pk)).exists()
    _content, doc = _docx("decision", {"decision": decision.pk})
    body = _texts(doc)
    assert body[:5] == ["SỞ GIÁO DỤC VÀ ĐÀO TẠO", "Số: 1802/QĐ-SGDĐT",
                        "Bình Phước, ngày 04 tháng 01 năm 2023",
                        "Về việc công nhận danh hiệu Lao động tiên tiến năm 2022",
                        "Nguyễn Văn Phó"]
    rows = doc.tables[0].rows
    assert len(rows) == 1 + len(PEOPLE)
    assert rows[1].cells[0].text == "1"
    assert {row.cells[1].text for row in rows[1:]} == {name for name, _p, _u in PEOPLE}
    # Removed: the built-in layout again, the removal audited.
    assert admin.post(reverse("awards:word_template_remove", args=["decision"])).status_code \
        == 302
    assert not WordTemplate.objects.exists()
    assert AuditEntry.objects.filter(action="word_template.remove").exists()
    _content, doc = _docx("decision", {"decision": decision.pk})
    assert "QUYẾT ĐỊNH" in _texts(doc)


@pytest.mark.parametrize(("content", "message"), [
    (b"%PDF-1.7 not a word file", "không phải tài liệu Word (.docx)"),
    (_template("{{ so_hieu }", table=False), "viết sai"),
    (_template("{% for r in danh_sach %}{{ r.ho_ten }}", table=False), "viết sai"),
    (_template("{{ so_quyet_dinh }}", table=False), "{{ so_quyet_dinh }}"),
    (_template("{{ danh_sach[0].ngay_sinh }}", table=False), "ngay_sinh"),
    # Python's internals are out of reach (Jinja's sandbox): refused, never run.
    (_template("{{ so_hieu.__class__.__mro__ }}", table=False), "__class__"),
])
def test_a_broken_template_is_refused_with_what_to_fix_and_not_stored(
        cast, client_for, settings, tmp_path, content, message):
    settings.MEDIA_ROOT = tmp_path
    response = _upload(client_for(cast.admin), "decision", content)
    assert response.status_code == 200
    page = response.content.decode()
    assert message.replace("{", "&#x7B;") in page or message in page
    assert not WordTemplate.objects.exists()
    assert not AuditEntry.objects.filter(action="word_template.upload").exists()


def test_only_the_administrator_manages_the_templates(cast, client_for, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    for user in (cast.office, cast.director, cast.head_a):
        client = client_for(user)
        assert client.get(reverse("awards:word_templates")).status_code == 403
        assert _upload(client, "decision", _template(*GOOD)).status_code == 403
    assert not WordTemplate.objects.exists()
    page = client_for(cast.admin).get(reverse("awards:word_templates"))
    assert page.status_code == 200
    assert "so_hieu" in page.content.decode() and "danh_sach" in page.content.decode()


def test_the_documentation_lists_every_placeholder():
    from django.conf import settings

    from awards.documents.word import kinds, placeholders

    page = (settings.BASE_DIR / "docs" / "word-templates.md").read_text()
    for kind in kinds():
        for name in placeholders(kind):
            assert f"`{name}`" in page, name


def _kind_template(*paragraphs) -> bytes:
    return _template(*paragraphs, table=False)


def test_the_year_report_template_fills_with_its_own_placeholders(
        cast, client_for, year_end, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    campaign, _decision = year_end
    response = _upload(client_for(cast.admin), "year_report", _kind_template(
        "{{ ke_hoach }}", "{% for r in xep_hang %}{{ r.hang }}. {{ r.don_vi }}: {{ r.diem }} "
        "{{ r.xep_loai }}; {% endfor %}",
        "{% for k in khen_thuong %}{{ k.danh_hieu }} {{ k.ca_nhan }}/{{ k.tap_the }}; "
        "{% endfor %}"))
    assert response.status_code == 302

    _content, doc = _docx("year_report", {"campaign": campaign.pk})

    body = _texts(doc)
    assert body[0] == f"{campaign.code} – {campaign.title}"
    assert body[2] and "/" in body[2]  # the year's awards, counted


def test_the_proposal_template_fills_with_its_nominees(cast, client_for, proposals, settings,
                                                      tmp_path):
    settings.MEDIA_ROOT = tmp_path
    response = _upload(client_for(cast.admin), "province_proposal", _kind_template(
        "Kính gửi: {{ noi_gui }}", "{{ so_ca_nhan }} cá nhân, {{ so_tap_the }} tập thể",
        "{% for g in de_nghi %}{{ g.danh_hieu }}: {% for r in g.danh_sach %}{{ r.ho_ten }}, "
        "{% endfor %}{% endfor %}"))
    assert response.status_code == 302

    _content, doc = _docx("province_proposal", {"year": 2022})

    body = _texts(doc)
    assert body[0].startswith("Kính gửi: ")
    assert body[1].endswith("tập thể") and body[2]


@pytest.mark.parametrize(("kind", "foreign"), [
    ("year_report", "danh_sach"), ("province_proposal", "xep_hang"), ("decision", "de_nghi")])
def test_a_placeholder_of_another_kind_is_refused(cast, client_for, settings, tmp_path, kind,
                                                  foreign):
    settings.MEDIA_ROOT = tmp_path
    placeholder = "{{ " + foreign + " }}"
    response = _upload(client_for(cast.admin), kind, _kind_template(placeholder))
    assert placeholder in response.content.decode().replace("&#x7B;", "{")
    assert not WordTemplate.objects.exists()


# -- the year report's signature never alone on the last page (LibreOffice's pages) ----------


@needs_soffice
def test_the_year_report_docx_keeps_its_last_lines_with_the_signature(cast, year_end, tmp_path):
    """The list of units that have not disseminated the plan grows a line at a time, each
    length a .docx printed by LibreOffice (one run for all): wherever the page breaks, the last
    page holds lines of the list or the closing paragraph before the signature block, never the
    block alone (Word's keep-with-next on the lines before it)."""
    from django.template.loader import render_to_string

    from awards.documents import year_report as year_report_kind

    from ..pdf_measure import lines

    campaign, _decision = year_end
    data = year_report_kind.context(campaign.pk)
    base = list(data["not_disseminated"])
    extras = range(0, 48, 1)
    with translation.override("vi"):
        for extra in extras:
            data["not_disseminated"] = base + [f"Trường THCS số {i}" for i in range(extra)]
            (tmp_path / f"bao-cao-{extra:02d}.docx").write_bytes(
                word.convert(render_to_string("awards/documents/year_report.html", data)))
    subprocess.run([SOFFICE, "--headless", f"-env:UserInstallation=file://{tmp_path}/lo",
                    "--convert-to", "pdf", "--outdir", str(tmp_path),
                    *sorted(str(p) for p in tmp_path.glob("bao-cao-*.docx"))],
                   check=True, capture_output=True, timeout=600)
    counts = []
    for extra in extras:
        pages = lines((tmp_path / f"bao-cao-{extra:02d}.pdf").read_bytes())
        counts.append(len(pages))
        last = [line.text for line in pages[-1] if not line.text.strip().isdigit()]
        closing = next(i for i, text in enumerate(last) if text.startswith("Trên đây"))
        assert closing > 0, f"the closing line and signature alone with {extra} more rows"
        assert last.index("Nơi nhận:") > closing if "Nơi nhận:" in last else False, extra
    assert len(set(counts)) >= 2  # the list crossed at least one page boundary


def test_the_year_report_ranking_holds_every_class_on_one_line_in_word(cast, year_end):
    """Word lays the ranking's columns out at the widths the template gives: the class column
    holds its longest label ("Không hoàn thành") on one line, the text inside the cell's
    padding, as the PDF prints it."""
    from scoring.models import Grade

    campaign, _decision = year_end
    _content, doc = _docx("year_report", {"campaign": campaign.pk})
    ranking = next(t for t in doc.tables if "Xếp loại" in _texts(t.rows[0].cells[-1]))
    with translation.override("vi"):
        longest = max(word.text_mm(str(label), 12) for _value, label in Grade.choices)
    width_mm = ranking.columns[-1].width.mm
    assert width_mm >= longest + 2 * word.CELL_PADDING_MM
