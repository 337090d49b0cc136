# ruff: noqa: F811  (the fixtures of test_documents, imported, are redefined as arguments)
"""What a Decree 30/2020 reviewer checks with a ruler, measured on the PDFs the portal prints
(issue 18, item 6): the place before the date, the rules under the agency and the subject, the
space between paragraphs, the last legal basis, the annex's own page numbers and its rows, the
signature never alone, and the language (always Vietnamese, whatever the screen's).

Positions come from `pdftotext -bbox-layout`, rules from the rendered page (tests/pdf_measure).
"""

import datetime
import io
import shutil
import zipfile

import pytest
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from awards.documents import build, layout
from awards.documents import year_report as year_report_kind
from awards.models import Award, Conferral, Decision
from units import identity
from units.models import Department

from ..factories import StaffMemberFactory, UnitFactory
from ..pdf_measure import MM, find, lines, page_count, rule_under, rules
from .test_documents import (  # noqa: F401  (fixtures)
    LDTT,
    make_decision,
    plan_2022,
    proposals,
    year_end,
)
from .test_dossiers import people, sent  # noqa: F401  (fixtures)

pytestmark = pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils missing")

THIRD = 1 / 3


def _pdf(kind: str, params: dict) -> bytes:
    with translation.override("vi"):
        return build(kind, params, "pdf").content


def _subject_block(page, title: str, rule_y: float):
    """The lines of the subject: under the document's title, above its rule."""
    top = find(page, title).y1
    return [line for line in page if top - 1 < line.y0 and line.y1 <= rule_y + 1]


# -- the place before the date ------------------------------------------------------------------


def test_the_place_before_the_date_is_the_provinces_name(cast, plan_2022):
    decision = make_decision(cast)
    first = lines(_pdf("decision", {"decision": decision.pk}))[0]

    date = find(first, "ngày 04 tháng 01 năm 2023")
    assert date.text.startswith("Bình Phước, ngày")
    assert "Đồng Xoài" not in " ".join(line.text for line in first)


def test_after_the_merger_new_documents_print_dong_nai_and_old_ones_binh_phuoc(cast, plan_2022):
    """On 01/07/2025 Bình Phước merged into Đồng Nai: the administrator changes the identity;
    a 2022 decision, issued with its letterhead, still reads as signed."""
    old = make_decision(cast)
    old.letterhead = layout.issued_letterhead(2022)
    old.save(update_fields=["letterhead"])
    Department.objects.update(parent_agency="UBND TỈNH ĐỒNG NAI", place="Đồng Nai",
                              name="Sở Giáo dục và Đào tạo Đồng Nai")
    identity.forget()
    award = Award.objects.get(code=LDTT)
    new = Decision.objects.create(award=award, year=2026, number="12/QĐ-SGDĐT",
                                  signed_on=datetime.date(2026, 12, 20), signer_name="Lê Văn B",
                                  signer_title="GIÁM ĐỐC", created_by=cast.office)
    staff = StaffMemberFactory(unit=cast.unit_a)
    Conferral.objects.create(award=award, year=2026, staff=staff, unit=cast.unit_a,
                             decision=new.number, decided_on=new.signed_on, issued_by=new)

    new_page = lines(_pdf("decision", {"decision": new.pk}))[0]
    old_page = lines(_pdf("decision", {"decision": old.pk}))[0]

    assert find(new_page, "ngày 20 tháng 12 năm 2026").text.startswith("Đồng Nai, ngày")
    assert find(new_page, "UBND TỈNH").text == "UBND TỈNH ĐỒNG NAI"
    assert find(old_page, "ngày 04 tháng 01 năm 2023").text.startswith("Bình Phước, ngày")
    assert find(old_page, "UBND TỈNH").text == "UBND TỈNH BÌNH PHƯỚC"


# -- rules ----------------------------------------------------------------------------------------


def _assert_rules(content: bytes, title: str) -> dict:
    """The rule under the agency and under the subject: at least a third of the line right
    above each, and of the longest line of the subject. Returns the figures in mm."""
    page, drawn = lines(content)[0], rules(content)
    agency = find(page, "SỞ GIÁO DỤC VÀ ĐÀO TẠO")
    agency_rule = rule_under(drawn, agency)
    assert agency_rule.width >= THIRD * agency.width
    # Centred under it.
    assert abs((agency_rule.x0 + agency_rule.x1) / 2 - (agency.x0 + agency.x1) / 2) < 2
    heading = find(page, title)
    subject_rule = min((r for r in drawn if r.y > heading.y1 and r.width < 170 * MM),
                       key=lambda r: r.y)
    block = _subject_block(page, title, subject_rule.y)
    assert block, "no subject under the title"
    above = max(block, key=lambda line: line.y1)
    assert rule_under(drawn, above) == subject_rule
    assert subject_rule.width >= THIRD * above.width
    assert subject_rule.width >= THIRD * max(line.width for line in block)
    return {"agency": (agency_rule.width / MM, agency.width / MM),
            "subject": (subject_rule.width / MM, above.width / MM)}


def test_rules_under_agency_and_subject_are_a_third_of_the_line_above(cast, plan_2022, year_end):
    decision = make_decision(cast, number="77/QĐ-SGDĐT")
    campaign, _decision = year_end
    figures = {
        "decision": _assert_rules(_pdf("decision", {"decision": decision.pk}), "QUYẾT ĐỊNH"),
        "year_report": _assert_rules(_pdf("year_report", {"campaign": campaign.pk}),
                                     "BÁO CÁO"),
    }
    # The report's subject runs over two lines: its rule is no longer the fixed 41 mm it was.
    assert figures["year_report"]["subject"][0] > 42


def test_rules_of_the_proposal_to_the_province(cast, proposals):
    _assert_rules(_pdf("province_proposal", {"year": 2022}), "TỜ TRÌNH")


# -- paragraphs and the legal bases -------------------------------------------------------------


def test_paragraphs_are_at_least_6_pt_apart_and_the_last_basis_ends_with_a_full_stop(
        cast, plan_2022):
    decision = make_decision(cast)
    page = lines(_pdf("decision", {"decision": decision.pk}))[0]
    start = page.index(find(page, "Căn cứ"))
    end = page.index(find(page, "QUYẾT ĐỊNH:"))
    basis = page[start:end]
    starts = [i for i, line in enumerate(basis) if line.text.startswith(("Căn cứ", "Xét"))]
    assert len(starts) >= 3
    # A wrapped paragraph gives the line pitch; between paragraphs it grows by the spacing.
    wrapped = next(i for i in starts if i + 1 < len(basis) and i + 1 not in starts)
    pitch = basis[wrapped + 1].y0 - basis[wrapped].y0
    for second in starts[1:]:
        gap = basis[second].y0 - basis[second - 1].y0 - pitch
        assert gap >= 6 - 0.1, (basis[second].text, gap)
    texts = [line.text for line in basis]
    last = basis[-1].text
    assert last.endswith("."), last
    assert texts[starts[-1]].startswith("Xét đề nghị")
    for index in starts[:-1]:
        paragraph_end = basis[starts[starts.index(index) + 1] - 1].text
        assert paragraph_end.endswith(";"), paragraph_end


def test_the_proposals_last_legal_basis_ends_with_a_full_stop(cast, proposals):
    page = lines(_pdf("province_proposal", {"year": 2022}))[0]
    bases = [i for i, line in enumerate(page) if line.text.startswith("Căn cứ")]
    after = page[bases[-1]:]
    end = next(line for line in after if line.text.endswith((".", ";")))
    assert end.text.endswith("."), end.text


# -- the annex ------------------------------------------------------------------------------------

SCHOOLS = ["Trường THPT Chuyên Quang Trung", "Trường Phổ thông Dân tộc nội trú tỉnh",
           "Trung tâm Giáo dục thường xuyên tỉnh", "Trường THPT Nguyễn Du",
           "Trường THPT Chuyên Bình Long", "Trường THPT Đồng Xoài"]
NAMES = ["Nguyễn Thị Thanh Hương", "Hoàng Thị Thanh Oanh", "Huỳnh Thị Thanh Chi",
         "Đinh Thị Quỳnh Như", "Trần Bích Phượng", "Lê Văn Đức"]
POSITIONS = ["Giáo viên", "Tổ trưởng chuyên môn", "Phó Hiệu trưởng", "Phó Chánh Văn phòng"]


def _big_decision(cast, rows: int) -> Decision:
    award = Award.objects.get(code=LDTT)
    decision = Decision.objects.create(
        award=award, year=2022, number="1900/QĐ-SGDĐT", signed_on=datetime.date(2023, 1, 4),
        signer_name="Nguyễn Văn Phó", signer_title="PHÓ GIÁM ĐỐC", created_by=cast.office)
    units = [UnitFactory(name=name, parent=cast.root) for name in SCHOOLS]
    conferrals = []
    for i in range(rows):
        staff = StaffMemberFactory(full_name=NAMES[i % len(NAMES)],
                                   position=POSITIONS[i % len(POSITIONS)],
                                   unit=units[i % len(units)])
        conferrals.append(Conferral(award=award, year=2022, staff=staff, unit=staff.unit,
                                    decision=decision.number, decided_on=decision.signed_on,
                                    issued_by=decision))
    Conferral.objects.bulk_create(conferrals)
    return decision


def _page_number(page) -> str:
    """The number printed in the top margin (above 20 mm), or '' for none."""
    top = [line.text for line in page if line.y1 < 20 * MM]
    return top[0] if top else ""


def test_a_340_row_annex_has_one_line_a_row_its_own_numbers_and_no_lone_year(cast, plan_2022):
    """Before: the unit column wrapped on every row (63 mm for 'Trường THPT Chuyên Quang
    Trung'), the title left '2022' alone, the annex went on from page 2."""
    decision = _big_decision(cast, 340)
    content = _pdf("decision", {"decision": decision.pk})
    pages = lines(content)

    assert page_count(content) <= 11  # the decision and 9 annex pages (was 16)
    assert _page_number(pages[0]) == ""
    assert not [line.text for page in pages for line in page if "{" in line.text]
    annex = pages[1]
    assert _page_number(annex) == ""  # the annex starts its own numbering
    assert annex[0].text.startswith("DANH SÁCH CÁ NHÂN")
    assert annex[1].text.endswith("NĂM 2022") and annex[1].text != "2022"
    assert [_page_number(page) for page in pages[2:4]] == ["2", "3"]
    # Every row on one line: a unit's name never runs onto a second line of its cell.
    cells = [line.text for page in pages[1:] for line in page]
    for school in SCHOOLS:
        assert sum(text.endswith(school) for text in cells) > 0, school
    stray = [text for text in cells if text in {"Trung", "tỉnh", "Long", "Xoài", "Du"}]
    assert not stray
    rows = [text for text in cells if any(text.endswith(s) for s in SCHOOLS)]
    assert len(rows) == 340


# -- the signature keeps the last lines with it -------------------------------------------------


def test_the_year_report_signature_never_stands_alone_on_the_last_page(cast, year_end):
    """The list of units that have not disseminated the plan grows a line at a time; at the
    length where the closing and the signature first need a page of their own, the last lines of
    the list go with them."""
    campaign, _decision = year_end
    data = year_report_kind.context(campaign.pk)
    base = list(data["not_disseminated"])
    with translation.override("vi"):
        content, first_pages = layout.render_pdf("awards/documents/year_report.html", data)
        checked = 0
        for extra in range(1, 60):
            data["not_disseminated"] = base + [(0, f"Trường THCS số {i}", i)
                                               for i in range(extra)]
            content, pages = layout.render_pdf("awards/documents/year_report.html", data)
            last = lines(content)[-1]
            body = [line for line in last if line.y1 > 20 * MM]
            closing = next(i for i, line in enumerate(body) if line.text.startswith("Trên đây"))
            assert closing > 0, f"the signature alone with {extra} more rows"
            if pages > first_pages:
                checked += 1
                if checked == 3:
                    break
    assert checked == 3


# -- always Vietnamese --------------------------------------------------------------------------


def _english(client):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    return client


def _download(client, **params) -> bytes:
    response = client.get(reverse("awards:document_get"), params)
    assert response.status_code == 200, response.status_code
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_official_documents_are_vietnamese_with_the_interface_in_english(
        cast, client_for, plan_2022, year_end):
    decision = make_decision(cast, number="88/QĐ-SGDĐT")
    campaign, _decision = year_end
    client = _english(client_for(cast.office))
    assert 'lang="en"' in client.get("/").content.decode()  # the screen is in English

    for params in ({"kind": "decision", "decision": decision.pk},
                   {"kind": "year_report", "campaign": campaign.pk},
                   {"kind": "province_proposal", "year": 2022}):  # (no nominee: still a letter)
        text = " ".join(line.text for page in lines(_download(client, fmt="pdf", **params))
                        for line in page)
        assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text, params
        assert "Độc lập - Tự do - Hạnh phúc" in text and "Số:" in text
        for english in ("SOCIALIST", "Number:", "DECISION", "Recipients"):
            assert english not in text, (params, english)
    assert "QUYẾT ĐỊNH" in " ".join(
        line.text for line in lines(_download(client, kind="decision", decision=decision.pk,
                                              fmt="pdf"))[0])
    book = load_workbook(io.BytesIO(_download(client, kind="decision", decision=decision.pk,
                                              fmt="xlsx")))
    headers = [cell.value for cell in next(book.worksheets[0].iter_rows(max_row=1))]
    assert headers[:3] == ["STT", "Họ và tên", "Chức vụ"] or "Họ và tên" in headers
    assert "Full name" not in headers


def test_a_document_built_while_english_is_active_is_vietnamese(cast, plan_2022):
    """The kinds all go through documents.build: whatever language is active around it (the
    request's, a management command's), the document is Vietnamese."""
    decision = make_decision(cast)
    with translation.override("en"):
        content = build("decision", {"decision": decision.pk}, "pdf").content
        book = load_workbook(io.BytesIO(
            build("decision", {"decision": decision.pk}, "xlsx").content))
        assert translation.get_language() == "en"  # given back as it was
    first = " ".join(line.text for line in lines(content)[0])
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in first and "Số: 1802/QĐ-SGDĐT" in first
    assert book.sheetnames[0] == "Danh sách khen thưởng" or "Awardees" not in book.sheetnames


def test_the_printed_plan_is_vietnamese_with_the_interface_in_english(cast, client_for,
                                                                      plan_2022):
    """The plan is printed from its page (the browser's print): the document part of the page
    is Vietnamese whatever the screen's language, the place is the province's."""
    client = _english(client_for(cast.office))
    html = client.get(reverse("campaigns:detail", args=[plan_2022.pk])).content.decode()
    document = html[html.index('<article class="official-document" lang="vi">'):
                    html.index("</article>")]

    assert 'lang="en"' in html
    for vietnamese in ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT", "Độc lập - Tự do - Hạnh phúc",
                       "Số: ", "KẾ HOẠCH", "Bình Phước, ngày 14 tháng 01 năm 2022",
                       "Nơi nhận:"):
        assert vietnamese in document, vietnamese
    assert "SOCIALIST" not in document and "Number:" not in document


def test_a_dossiers_zip_asked_for_in_english_holds_vietnamese_parts(cast, client_for, sent):
    client = _english(client_for(cast.office))
    response = client.get(reverse("awards:dossier_zip", args=[sent.pk]))
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))

    letter = " ".join(line.text for page in lines(archive.read("01-to-trinh.pdf"))
                      for line in page)
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in letter and "TỜ TRÌNH" in letter
    assert "SOCIALIST" not in letter and "SUBMISSION" not in letter
    book = load_workbook(io.BytesIO(archive.read("02-danh-sach.xlsx")))
    assert book.sheetnames[0] == "Danh sách đề nghị"


# -- workbooks ------------------------------------------------------------------------------------


def _book(kind: str, params: dict):
    return load_workbook(io.BytesIO(build(kind, params, "xlsx").content))


def test_year_report_workbook_shows_whole_numbers_plainly_and_the_final_score_with_2_decimals(
        cast, year_end):
    campaign, _decision = year_end
    book = _book("year_report", {"campaign": campaign.pk})
    items, ranking = book.worksheets[0], book.worksheets[1]

    figures = [cell for row in items.iter_rows(min_row=2) for cell in row[2:5]
               if cell.value is not None]
    assert figures
    for cell in figures:
        whole = cell.value == int(cell.value)
        assert cell.number_format == ("#,##0" if whole else "#,##0.0#"), (cell.value,
                                                                          cell.number_format)
    finals = [row[2] for row in ranking.iter_rows(min_row=2)]
    assert [(cell.value, cell.number_format) for cell in finals] == [(84, "0.00"),
                                                                    (65.5, "0.00")]


def test_the_proposals_nominee_sheet_is_named_for_its_list(cast, proposals):
    book = _book("province_proposal", {"year": 2022})
    assert book.sheetnames[0] == "Danh sách đề nghị"
    assert "Số đề nghị" not in book.sheetnames
