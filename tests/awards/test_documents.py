"""The printable reports: the decision with its annex, the year-end report of a campaign and the
proposal to the province, each as PDF and as an Excel workbook.

PDFs are read back as a person would check them: `pdftotext -layout` must give the exact text
(names with diacritics, the Decree 30 header lines, the date with its leading zeros), `pdffonts`
must list only embedded Liberation Serif, page 1 carries no number and page 2 carries "2"; page 1
is rendered to PNG under artifacts/documents/ to be looked at. Text from the translation
catalogue is compared through gettext, so the tests hold before and after the Vietnamese
catalogue has the new strings.
"""

import datetime
import io
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import timezone, translation
from django.utils.translation import gettext
from openpyxl import load_workbook

from awards.documents import DIRECT_ROWS, REGISTRY, Built, build, layout, year_report
from awards.documents import decision as decision_kind
from awards.models import (
    Award,
    Conferral,
    Decision,
    LegalPeriod,
    Nominee,
    Proposal,
    ProposalStage,
)
from campaigns.models import CampaignStatus, Dissemination
from scoring.models import Criterion, Grade, Round, Scheme, Score, Sheet, Stage

from ..factories import CampaignFactory, ContentItemFactory, StaffMemberFactory, UnitFactory
from ..helpers import ROLES

ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts" / "documents"
LDTT, CSTDT, BK = "lao-dong-tien-tien", "chien-si-thi-dua-cap-tinh", "bang-khen-chu-tich-ubnd-tinh"
TTLDXS, TTLDTT = "tap-the-lao-dong-xuat-sac", "tap-the-lao-dong-tien-tien"
SIGNED = datetime.date(2023, 1, 4)

needs_poppler = pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils missing")


@pytest.fixture(autouse=True)
def _vietnamese():
    with translation.override("vi"):
        yield


# -- reading PDFs back ---------------------------------------------------------------------------


def pdf_pages(content: bytes) -> list[str]:
    """The text of each page, as `pdftotext -layout` lays it out."""
    text = subprocess.run(["pdftotext", "-layout", "-", "-"], input=content,
                          capture_output=True, check=True).stdout.decode()
    return text.split("\f")[:-1]


def one_line(text: str) -> str:
    return " ".join(text.split())


def pdf_fonts(content: bytes, tmp_path) -> list[tuple[str, str]]:
    """(font name, embedded yes/no) of every font in the PDF."""
    path = tmp_path / "fonts.pdf"
    path.write_bytes(content)
    lines = subprocess.run(["pdffonts", str(path)], capture_output=True, check=True,
                           text=True).stdout.splitlines()[2:]
    return [(line.split()[0], line.split()[-5]) for line in lines if line.strip()]


def keep_first_page(content: bytes, name: str) -> Path:
    """Page 1 as PNG at 60 dpi under artifacts/documents/, for a person to look at."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    pdf = ARTIFACTS / f"{name}.pdf"
    pdf.write_bytes(content)
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile", str(pdf),
                    str(ARTIFACTS / f"{name}-page1")], check=True)
    return ARTIFACTS / f"{name}-page1.png"


def assert_pdf_layout(built: Built, tmp_path, name: str) -> list[str]:
    """Checks every document shares: A4 pages counted right, header lines, page numbers from
    page 2 only, embedded Liberation Serif only. Returns the pages' text."""
    assert built.content.startswith(b"%PDF")
    assert built.content_type == "application/pdf"
    assert built.filename.isascii() and built.filename.endswith(".pdf")
    pages = pdf_pages(built.content)
    assert len(pages) == built.pages
    first = pages[0]
    for line in ("UBND TỈNH BÌNH PHƯỚC", "SỞ GIÁO DỤC VÀ ĐÀO TẠO",
                 gettext("SOCIALIST REPUBLIC OF VIETNAM"),
                 gettext("Independence - Freedom - Happiness")):
        assert line in first
    # No page number on page 1: no line of it is a bare number.
    assert not [line for line in first.splitlines() if line.strip().isdigit()]
    if len(pages) > 1:
        # A decision's annex starts its own numbering, unnumbered as page 1 (test_decree30).
        top = pages[1].strip().splitlines()[0].strip()
        assert top == "2" or top.startswith("DANH SÁCH")
    fonts = pdf_fonts(built.content, tmp_path)
    assert fonts
    for font, embedded in fonts:
        assert font.split("+")[-1].startswith("Liberation-Serif"), font
        assert embedded == "yes"
    assert keep_first_page(built.content, name).stat().st_size > 0
    return pages


def workbook(built: Built):
    assert built.filename.isascii() and built.filename.endswith(".xlsx")
    return load_workbook(io.BytesIO(built.content))


# -- data -----------------------------------------------------------------------------------------


@pytest.fixture
def plan_2022(cast):
    """The 2022 plan whose header (agency names, place) the year's documents repeat."""
    return CampaignFactory(year=2022, number="25", issuing_unit=cast.root,
                           status=CampaignStatus.LAUNCHED, signer_name="Trần Văn Giám",
                           signer_title="GIÁM ĐỐC")


PEOPLE = [  # (name, position, unit letter)
    ("Trần Thị Ấu", "Giáo viên", "a"),
    ("Nguyễn Thị Ánh", "Tổ trưởng chuyên môn", "a"),
    ("Đỗ Thị Bích", "Giáo viên", "a"),
    ("Võ Văn Ơn", "Nhân viên", "b"),
    ("Lê Văn Đức", "Phó Hiệu trưởng", "b"),
    ("Phạm Minh Anh", "Giáo viên", "b"),
]


def make_decision(cast, *, people=PEOPLE, number="1802/QĐ-SGDĐT", code=LDTT, extra=0,
                  signer_title="PHÓ GIÁM ĐỐC"):
    award = Award.objects.get(code=code)
    decision = Decision.objects.create(
        award=award, year=2022, number=number, signed_on=SIGNED, signer_name="Nguyễn Văn Phó",
        signer_title=signer_title, created_by=cast.office)
    units = {"a": cast.unit_a, "b": cast.unit_b}
    rows = list(people) + [(f"Nguyễn Văn Thêm {i}", "Giáo viên", "ab"[i % 2])
                           for i in range(extra)]
    for name, position, letter in rows:
        staff = StaffMemberFactory(full_name=name, position=position, unit=units[letter])
        Conferral.objects.create(award=award, year=2022, staff=staff, unit=staff.unit,
                                 decision=decision.number, decided_on=SIGNED, issued_by=decision)
    return decision


def collective_decision(cast, units, *, number="1900/QĐ-SGDĐT"):
    """A decision conferring Tập thể lao động tiên tiến on `units`."""
    award = Award.objects.get(code=TTLDTT)
    decision = Decision.objects.create(award=award, year=2022, number=number,
                                       signed_on=SIGNED, signer_name="Trần Văn Giám",
                                       signer_title="GIÁM ĐỐC", created_by=cast.office)
    for unit in units:
        Conferral.objects.create(award=award, year=2022, unit=unit, decision=decision.number,
                                 decided_on=SIGNED, issued_by=decision)
    return decision


# -- shared pieces ---------------------------------------------------------------------------------


def test_registry_has_the_four_kinds():
    assert set(REGISTRY) == {"decision", "year_report", "province_proposal", "payout",
                             "dossier", "fund", "statistics", "certificates",
                             "decision_signing", "register"}
    assert DIRECT_ROWS > 0


def test_vietnamese_date_takes_leading_zeros_for_day_below_10_and_months_1_2():
    line = gettext("day %(day)s month %(month)s year %(year)s")
    assert layout.vi_date(datetime.date(2023, 1, 4)) == line % {
        "day": "04", "month": "01", "year": 2023}
    assert layout.vi_date(datetime.date(2022, 2, 28)) == line % {
        "day": "28", "month": "02", "year": 2022}
    assert layout.vi_date(datetime.date(2022, 11, 5)) == line % {
        "day": "05", "month": "11", "year": 2022}
    assert layout.vi_date(datetime.date(2022, 3, 15)) == line % {
        "day": "15", "month": "3", "year": 2022}


def test_signature_lines_follow_decree_30_prefixes():
    def lines(title, prefix=""):
        return layout.Letterhead("UBND TỈNH", "SỞ GIÁO DỤC VÀ ĐÀO TẠO", "1/QĐ", "Đồng Xoài",
                                 None, "A", title, prefix).signature_lines

    assert lines("GIÁM ĐỐC") == ["GIÁM ĐỐC"]
    assert lines("PHÓ GIÁM ĐỐC") == ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"]
    assert lines("CHÁNH VĂN PHÒNG", "TL.") == ["TL. GIÁM ĐỐC", "CHÁNH VĂN PHÒNG"]
    assert layout.recipient_name("UBND TỈNH BÌNH PHƯỚC") == "Ủy ban nhân dân tỉnh Bình Phước"


# -- the decision ---------------------------------------------------------------------------------


@needs_poppler
def test_decision_pdf_has_the_decree_30_layout_and_the_annex(cast, plan_2022, tmp_path):
    decision = make_decision(cast, extra=40)
    progress = []
    built = build("decision", {"decision": str(decision.pk)}, "pdf", progress.append)
    assert progress == sorted(progress) and progress[-1] == 100
    assert built.rows == 46 and built.pages >= 2
    assert built.filename == "quyet-dinh-1802-QD-SGDDT.pdf"
    pages = assert_pdf_layout(built, tmp_path, "decision")
    first = pages[0]
    assert gettext("Number: %(number)s") % {"number": "1802/QĐ-SGDĐT"} in first
    date = gettext("day %(day)s month %(month)s year %(year)s") % {
        "day": "04", "month": "01", "year": 2023}
    assert f"Bình Phước, {date}" in first
    flat = one_line(first)
    assert gettext("On the recognition of the title %(award)s for %(year)s") % {
        "award": "Lao động tiên tiến", "year": 2022} in flat
    assert "GIÁM ĐỐC SỞ GIÁO DỤC VÀ ĐÀO TẠO" in first
    assert "Nghị định số 91/2017/NĐ-CP ngày 31/7/2017 của Chính phủ" in flat
    assert "KT. GIÁM ĐỐC" in first and "PHÓ GIÁM ĐỐC" in first
    assert "Nguyễn Văn Phó" in first
    assert gettext("Recipients:") in first
    assert gettext("To recognise the title “%(award)s” of %(year)s for %(count)s individuals "
                   "on the attached list.") % {"award": "Lao động tiên tiến", "year": 2022,
                                               "count": 46} in flat
    annex = "\n".join(pages[1:])
    # Unit order (both 0: by name, Đ before H), then given names in Vietnamese order.
    found = [name for line in annex.splitlines() for name, _pos, _unit in PEOPLE
             if f" {name} " in f" {one_line(line)} "]
    assert found == ["Phạm Minh Anh", "Lê Văn Đức", "Võ Văn Ơn", "Nguyễn Thị Ánh",
                     "Trần Thị Ấu", "Đỗ Thị Bích"]
    line = next(one_line(row) for row in annex.splitlines() if "Nguyễn Thị Ánh" in row)
    assert "Tổ trưởng chuyên môn" in line and "Trường THPT Hùng Vương" in line
    assert "1802/QĐ-SGDĐT" in one_line(annex)


@needs_poppler
def test_a_revoked_decision_is_marked_in_pdf_and_workbook(cast, plan_2022, tmp_path):
    decision = make_decision(cast)
    decision.revoked_at = timezone.make_aware(datetime.datetime(2023, 3, 2, 9))
    decision.revoked_reason = "Kê khai không đúng thành tích"
    decision.revoked_by = cast.office
    decision.save()
    Conferral.objects.filter(issued_by=decision).update(
        revoked_at=decision.revoked_at, revoked_reason=decision.revoked_reason)
    pages = pdf_pages(build("decision", {"decision": decision.pk}, "pdf").content)
    assert gettext("REVOKED") in pages[0]
    assert "Kê khai không đúng thành tích" in pages[0]
    book = workbook(build("decision", {"decision": decision.pk}, "xlsx"))
    rows = list(book.worksheets[0].iter_rows(min_row=2, values_only=True))
    assert {row[7] for row in rows} == {gettext("Yes")}
    assert {row[8] for row in rows} == {datetime.datetime(2023, 3, 2)}


def test_decision_workbook_matches_the_conferrals(cast, plan_2022):
    decision = make_decision(cast)
    one = Conferral.objects.get(staff__full_name="Võ Văn Ơn")
    one.revoked_at = timezone.now()
    one.revoked_reason = "Hồ sơ sai"
    one.save()
    built = build("decision", {"decision": decision.pk}, "xlsx")
    assert built.filename == "quyet-dinh-1802-QD-SGDDT.xlsx" and built.rows == 6
    book = workbook(built)
    awardees, by_unit = book.worksheets
    header, *rows = list(awardees.iter_rows(values_only=True))
    assert header[:4] == (gettext("No."), gettext("Full name"), gettext("Position"),
                          gettext("Unit"))
    expected = {(c.staff.full_name, c.staff.position, c.unit.name) for c in
                Conferral.objects.filter(issued_by=decision).select_related("staff", "unit")}
    assert {row[1:4] for row in rows} == expected
    assert [row[0] for row in rows] == list(range(1, 7))
    assert {row[4] for row in rows} == {"Lao động tiên tiến"}
    assert {row[5] for row in rows} == {"1802/QĐ-SGDĐT"}
    assert {row[6] for row in rows} == {datetime.datetime(2023, 1, 4)}
    date_cell = awardees.cell(row=2, column=7)
    assert date_cell.number_format == "DD/MM/YYYY"
    revoked = [row for row in rows if row[7] == gettext("Yes")]
    assert [(r[1], r[9]) for r in revoked] == [("Võ Văn Ơn", "Hồ sơ sai")]
    stats = list(by_unit.iter_rows(min_row=2, values_only=True))
    assert stats[:-1] == [(1, "Trường THPT Đồng Xoài", 2, 1), (2, "Trường THPT Hùng Vương", 3, 0)]
    assert stats[-1][1:] == (gettext("Total"), 5, 1)


def test_document_workbooks_repeat_their_header_row_on_every_printed_page(cast, year_end):
    """A thousand awardees print on twenty pages: each page repeats the columns' names."""
    campaign, decision = year_end
    for name, params in (("decision", {"decision": decision.pk}),
                         ("year_report", {"campaign": campaign.pk})):
        book = workbook(build(name, params, "xlsx"))
        assert [sheet.print_title_rows for sheet in book.worksheets] == \
            ["$1:$1"] * len(book.worksheets), name


def test_a_decision_for_collectives_lists_the_units(cast, plan_2022):
    decision = collective_decision(cast, [cast.unit_a, cast.unit_b])
    rows = list(workbook(build("decision", {"decision": decision.pk}, "xlsx"))
                .worksheets[0].iter_rows(min_row=2, values_only=True))
    assert [row[1] for row in rows] == ["Trường THPT Đồng Xoài", "Trường THPT Hùng Vương"]
    if shutil.which("pdftotext"):
        text = one_line("".join(pdf_pages(build("decision", {"decision": decision.pk},
                                                 "pdf").content)))
        assert "Trường THPT Đồng Xoài" in text and "Trường THPT Hùng Vương" in text
        assert "KT." not in text


def test_a_decision_for_collectives_heads_its_name_column_collective(cast, plan_2022):
    # The column holds the units' names: "Họ và tên" over "Trường THPT …" misread the sheet.
    decision = collective_decision(cast, [cast.unit_a], number="1901/QĐ-SGDĐT")
    sheet = workbook(build("decision", {"decision": decision.pk}, "xlsx")).worksheets[0]
    header = next(sheet.iter_rows(max_row=1, values_only=True))
    assert header[:2] == (gettext("No."), gettext("Collective"))
    people = workbook(build("decision", {"decision": make_decision(cast, people=PEOPLE[:1]).pk},
                            "xlsx")).worksheets[0]
    assert next(people.iter_rows(max_row=1, values_only=True))[1] == gettext("Full name")


def test_without_a_plan_of_the_year_the_header_takes_the_department_identity(cast):
    decision = make_decision(cast, people=PEOPLE[:1], signer_title="GIÁM ĐỐC")
    decision_context = decision_kind.context(decision.pk)
    head = decision_context["head"]
    # units.Department as its migration stored it: the province's name before the date.
    assert (head.parent_agency, head.agency, head.place) == (
        "UBND TỈNH BÌNH PHƯỚC", "SỞ GIÁO DỤC VÀ ĐÀO TẠO", "Bình Phước")
    assert head.signature_lines == ["GIÁM ĐỐC"]
    # "Giám đốc" with a no-break space: never split over two lines of the annex's reference.
    assert decision_context["authority_name"] == "Giám\u00a0đốc Sở Giáo dục và Đào tạo Bình Phước"


@pytest.mark.parametrize("extra", [0, 48])
def test_decision_build_takes_the_same_queries_for_2_or_50_awardees(
        cast, plan_2022, django_assert_num_queries, extra):
    decision = make_decision(cast, people=PEOPLE[:2], extra=extra)
    # clean (1), its signed copy (none: awards/services_signing.py), the decision with its
    # award, the awardees, the legal period, the year's plan, the department's earlier names
    # (units.identity.on: read once, then kept in the process like the identity).
    with django_assert_num_queries(7):
        built = build("decision", {"decision": decision.pk}, "pdf")
    assert built.rows == 2 + extra
    with django_assert_num_queries(5):
        build("decision", {"decision": decision.pk}, "xlsx")


def test_clean_refuses_unknown_objects_and_bad_params(cast):
    with pytest.raises(LookupError):
        REGISTRY["decision"].clean({"decision": 999999})
    with pytest.raises(LookupError):
        REGISTRY["year_report"].clean({"campaign": 999999})
    with pytest.raises(ValueError):
        REGISTRY["province_proposal"].clean({"year": "abc"})
    with pytest.raises(ValueError):
        REGISTRY["decision"].clean({"decision": None})
    with pytest.raises(LookupError):
        REGISTRY["year_report"].clean({})
    with pytest.raises(ValueError):
        build("decision", {"decision": 1}, "odt")  # docx is made (issue 18); odt is not


# -- the year-end report --------------------------------------------------------------------------


@pytest.fixture
def year_end(cast, plan_2022):
    """Scores of two rounds (the closed one is reported), awards, a pending nomination and a
    unit that has not confirmed dissemination."""
    campaign = plan_2022
    item1 = ContentItemFactory(campaign=campaign, number=1, short_title="Công khai thủ tục")
    item2 = ContentItemFactory(campaign=campaign, number=2, short_title="Chuyển đổi số")
    scheme = Scheme.objects.create(campaign=campaign)
    c1 = Criterion.objects.create(scheme=scheme, item=item1, number="1", title="Công khai",
                                  max_points=Decimal(60), order=1)
    c2 = Criterion.objects.create(scheme=scheme, item=item2, number="2", title="Số hóa",
                                  max_points=Decimal(40), order=2)
    now = timezone.now()
    days = datetime.timedelta(days=1)
    closed = Round.objects.create(scheme=scheme, kind=Stage.SELF,
                                  deadline=datetime.date(2022, 12, 1), opened_at=now - 20 * days,
                                  opened_by=cast.office, closed_at=now - 10 * days,
                                  closed_by=cast.office)
    Round.objects.create(scheme=scheme, kind=Stage.APPRAISAL,
                         deadline=datetime.date(2022, 12, 20), opened_at=now - 9 * days,
                         opened_by=cast.office)
    points = {cast.unit_a: (Decimal(54), Decimal(30)), cast.unit_b: (Decimal(45), Decimal(20))}
    for unit, (p1, p2) in points.items():
        Score.objects.create(round=closed, unit=unit, criterion=c1, points=p1)
        Score.objects.create(round=closed, unit=unit, criterion=c2, points=p2)
    Sheet.objects.create(round=closed, unit=cast.unit_a, final=Decimal("84.00"), rank=1,
                         grade=Grade.GOOD)
    Sheet.objects.create(round=closed, unit=cast.unit_b, final=Decimal("65.50"), rank=2,
                         grade=Grade.PASS)
    decision = make_decision(cast, people=PEOPLE[:3], signer_title="GIÁM ĐỐC")
    tt = Award.objects.get(code=TTLDTT)
    Conferral.objects.create(award=tt, year=2022, unit=cast.unit_b, decision="5/QĐ-SGDĐT",
                             decided_on=SIGNED)
    Conferral.objects.create(award=Award.objects.get(code=LDTT), year=2021, unit=cast.unit_b,
                             staff=StaffMemberFactory(unit=cast.unit_b), decision="9/QĐ",
                             decided_on=datetime.date(2021, 12, 1))  # another year
    proposal = Proposal.objects.create(unit=cast.unit_b, year=2022, stage=ProposalStage.VOTED)
    Nominee.objects.create(proposal=proposal, award=Award.objects.get(code=BK),
                           staff=StaffMemberFactory(unit=cast.unit_b), summary="Thành tích")
    Dissemination.objects.create(campaign=campaign, unit=cast.unit_a, confirmed_at=now)
    Dissemination.objects.create(campaign=campaign, unit=cast.unit_b)
    return campaign, decision


@needs_poppler
def test_year_report_pdf_has_items_ranking_awards_and_dissemination(cast, year_end, tmp_path):
    campaign, _decision = year_end
    built = build("year_report", {"campaign": campaign.pk}, "pdf")
    assert built.filename == "bao-cao-tong-ket-25-KH-SGDDT-2022.pdf"
    pages = assert_pdf_layout(built, tmp_path, "year_report")
    text = "\n".join(pages)
    flat = one_line(text)
    assert gettext("REPORT") in pages[0]
    assert "/BC-SGDĐT" in pages[0]
    assert campaign.title in flat
    # Item 1: 60 × (54 + 45) / 120 = 49,50 of 60; item 2: 40 × 50 / 80 = 25,00; total 74,50.
    item1 = one_line(next(line for line in text.splitlines() if "Công khai thủ tục" in line))
    assert item1.split()[-3:] == ["60,00", "49,50", "82,50"]
    item2 = one_line(next(line for line in text.splitlines() if "Chuyển đổi số" in line))
    assert item2.split()[-3:] == ["40,00", "25,00", "62,50"]
    assert "74,50" in flat
    rank1 = one_line(next(line for line in text.splitlines()
                          if "Trường THPT Hùng Vương" in line and "84,00" in line))
    assert rank1 == f"1 Trường THPT Hùng Vương 84,00 {Grade.GOOD.label}"
    assert "Lao động tiên tiến" in flat and "Tập thể lao động tiên tiến" in flat
    assert "Bằng khen của Chủ tịch UBND tỉnh" in flat  # the nomination on its way
    section4 = flat.split(gettext("IV. UNITS THAT HAVE NOT CONFIRMED DISSEMINATING THE PLAN"))[1]
    assert "Trường THPT Đồng Xoài" in section4 and "Trường THPT Hùng Vương" not in section4


def test_year_report_workbook_matches_the_data(cast, year_end):
    campaign, _decision = year_end
    built = build("year_report", {"campaign": campaign.pk}, "xlsx")
    book = workbook(built)
    items, ranking, commendations, by_award, nominations, pending = book.worksheets
    assert list(items.iter_rows(min_row=2, values_only=True)) == [
        (1, "Công khai thủ tục", 60, 49.5, 82.5), (2, "Chuyển đổi số", 40, 25, 62.5)]
    assert list(ranking.iter_rows(min_row=2, values_only=True)) == [
        (1, "Trường THPT Hùng Vương", 84, str(Grade.GOOD.label)),
        (2, "Trường THPT Đồng Xoài", 65.5, str(Grade.PASS.label))]
    header = next(commendations.iter_rows(values_only=True))
    assert header == (gettext("Unit"), "Lao động tiên tiến", "Tập thể lao động tiên tiến",
                      gettext("Total"))
    assert list(commendations.iter_rows(min_row=2, values_only=True)) == [
        ("Trường THPT Đồng Xoài", None, 1, 1), ("Trường THPT Hùng Vương", 3, None, 3)]
    assert list(by_award.iter_rows(min_row=2, values_only=True)) == [
        ("Lao động tiên tiến", 3, 0), ("Tập thể lao động tiên tiến", 0, 1)]
    assert list(nominations.iter_rows(min_row=2, values_only=True)) == [
        ("Bằng khen của Chủ tịch UBND tỉnh", str(ProposalStage.VOTED.label), 1)]
    assert list(pending.iter_rows(min_row=2, values_only=True)) == [
        (1, "Trường THPT Đồng Xoài")]


@pytest.mark.parametrize("extra", [0, 30])
def test_year_report_build_takes_the_same_queries_for_few_or_many_units(
        cast, year_end, django_assert_num_queries, extra):
    campaign, _decision = year_end
    closed = Round.objects.get(scheme__campaign=campaign, closed_at__isnull=False)
    award = Award.objects.get(code=LDTT)
    for n in range(extra):
        unit = UnitFactory()
        Sheet.objects.create(round=closed, unit=unit, final=Decimal(70), rank=3 + n,
                             grade=Grade.PASS)
        Conferral.objects.create(award=award, year=2022, unit=unit,
                                 staff=StaffMemberFactory(unit=unit), decision="7/QĐ-SGDĐT",
                                 decided_on=SIGNED)
        Dissemination.objects.create(campaign=campaign, unit=unit)
    # clean, the plan, the round, items, criteria, the item sums, the ranking, the awards by
    # unit, the nominations, the dissemination confirmations, the department's earlier names
    # (the name of the report's date, units.identity.on: read once a process).
    with django_assert_num_queries(11):
        built = build("year_report", {"campaign": campaign.pk}, "xlsx")
    assert built.rows == 5 + 3 * extra
    with django_assert_num_queries(10):
        build("year_report", {"campaign": campaign.pk}, "pdf")


def test_year_report_without_a_scheme_still_builds(cast, plan_2022):
    built = build("year_report", {"campaign": plan_2022.pk}, "xlsx")
    assert built.rows == 0
    if shutil.which("pdftotext"):
        text = one_line("".join(pdf_pages(build("year_report", {"campaign": plan_2022.pk},
                                                "pdf").content)))
        assert gettext("The campaign has no scoring round yet.") in text


@needs_poppler
def test_year_report_numbers_pending_nominations_2_when_no_award_is_conferred(cast, plan_2022):
    # Without conferrals the two "awards conferred" headings give way to one sentence, so the
    # nominations' heading follows "1." directly: it must read "2.", not "3.".
    proposal = Proposal.objects.create(unit=cast.unit_b, year=2022, stage=ProposalStage.VOTED)
    Nominee.objects.create(proposal=proposal, award=Award.objects.get(code=BK),
                           staff=StaffMemberFactory(unit=cast.unit_b), summary="Thành tích")
    text = one_line("".join(pdf_pages(build("year_report", {"campaign": plan_2022.pk},
                                            "pdf").content)))
    section3 = text.split(gettext("III. COMMENDATIONS"))[1]
    assert gettext("No award has been conferred for this year yet.") in section3
    heading = gettext("%(number)s. Nominations in progress") % {"number": 2}
    assert heading in section3
    assert (gettext("%(number)s. Nominations in progress") % {"number": 3}) not in section3


# -- the proposal to the province -----------------------------------------------------------------


@pytest.fixture
def proposals(cast, plan_2022):
    approved_a = Proposal.objects.create(unit=cast.unit_a, year=2022,
                                         stage=ProposalStage.APPROVED)
    approved_b = Proposal.objects.create(unit=cast.unit_b, year=2022,
                                         stage=ProposalStage.APPROVED)
    voted = Proposal.objects.create(unit=UnitFactory(name="Trường THPT Chưa Duyệt"), year=2022,
                                    stage=ProposalStage.VOTED)
    award = {code: Award.objects.get(code=code) for code in (CSTDT, BK, TTLDXS, LDTT)}

    def nominee(proposal, code, name=None, passed=True, summary="Hoàn thành xuất sắc nhiệm vụ"):
        staff = StaffMemberFactory(full_name=name, unit=proposal.unit,
                                   position="Giáo viên") if name else None
        return Nominee.objects.create(proposal=proposal, award=award[code], staff=staff,
                                      summary=summary, passed=passed)

    nominee(approved_a, BK, "Nguyễn Thị Ánh", summary="Hai năm liền Chiến sĩ thi đua cơ sở")
    nominee(approved_b, BK, "Phạm Minh Anh")
    nominee(approved_a, CSTDT, "Trần Thị Ấu", summary="Sáng kiến áp dụng toàn tỉnh")
    nominee(approved_b, TTLDXS, summary="Tập thể hoàn thành xuất sắc nhiệm vụ")
    nominee(approved_a, BK, "Lê Văn Trượt", passed=False)   # failed the vote
    nominee(approved_a, LDTT, "Võ Văn Cơ Sở")               # grassroots award
    nominee(voted, BK, "Đỗ Thị Chờ")                         # not approved yet
    return award


@needs_poppler
def test_province_proposal_pdf_lists_approved_province_nominees(cast, proposals, tmp_path):
    assert REGISTRY["province_proposal"].rows({"year": 2022}) == 4
    built = build("province_proposal", {"year": "2022"}, "pdf")
    assert built.rows == 4
    assert built.filename == "to-trinh-khen-thuong-tinh-2022.pdf"
    pages = assert_pdf_layout(built, tmp_path, "province_proposal")
    flat = one_line("\n".join(pages))
    assert gettext("SUBMISSION") in pages[0] and "/TTr-SGDĐT" in pages[0]
    assert "Ủy ban nhân dân tỉnh Bình Phước" in flat
    for text in ("Nguyễn Thị Ánh", "Phạm Minh Anh", "Trần Thị Ấu", "Sáng kiến áp dụng toàn tỉnh",
                 "Hai năm liền Chiến sĩ thi đua cơ sở", "Tập thể hoàn thành xuất sắc nhiệm vụ"):
        assert text in flat
    for text in ("Lê Văn Trượt", "Võ Văn Cơ Sở", "Đỗ Thị Chờ"):
        assert text not in flat
    # Grouped by award in catalogue order: the provincial title, the collective one, Bằng khen.
    order = [flat.index(name) for name in ("Chiến sĩ thi đua cấp tỉnh: 1",
                                           "Tập thể lao động xuất sắc: 1",
                                           "Bằng khen của Chủ tịch UBND tỉnh: 2")]
    assert order == sorted(order)
    assert flat.index("Phạm Minh Anh") < flat.index("Nguyễn Thị Ánh")  # Đồng Xoài before Hùng


PROPOSING = (
    "Based on the results of the emulation movement in %(year)s and the proposal of the Emulation "
    "and Commendation Council, the %(agency)s respectfully proposes that the Chairman of the "
    "Provincial People's Committee consider conferring the following awards on "
    "%(individuals)s individuals and %(collectives)s collectives:")


@needs_poppler
def test_province_proposal_without_nominees_proposes_no_one_as_follows(cast, plan_2022):
    # "… khen thưởng cho 0 cá nhân và 0 tập thể, cụ thể như sau:" followed by nothing.
    flat = one_line("".join(pdf_pages(build("province_proposal", {"year": "2022"},
                                            "pdf").content)))
    assert gettext("No nominee for a province or national award has been approved for this "
                   "year.") in flat
    after_agency = gettext(PROPOSING).split("%(agency)s")[1]
    assert (after_agency % {"individuals": 0, "collectives": 0}).strip() not in flat


def test_province_proposal_workbook_matches_the_nominees(cast, proposals):
    book = workbook(build("province_proposal", {"year": 2022}, "xlsx"))
    nominees, by_award, by_unit = book.worksheets
    rows = list(nominees.iter_rows(min_row=2, values_only=True))
    assert [(r[1], r[2], r[4]) for r in rows] == [
        ("Chiến sĩ thi đua cấp tỉnh", "Trần Thị Ấu", "Trường THPT Hùng Vương"),
        ("Tập thể lao động xuất sắc", None, "Trường THPT Đồng Xoài"),
        ("Bằng khen của Chủ tịch UBND tỉnh", "Phạm Minh Anh", "Trường THPT Đồng Xoài"),
        ("Bằng khen của Chủ tịch UBND tỉnh", "Nguyễn Thị Ánh", "Trường THPT Hùng Vương"),
    ]
    assert list(by_award.iter_rows(min_row=2, values_only=True)) == [
        ("Chiến sĩ thi đua cấp tỉnh", 1, 0), ("Tập thể lao động xuất sắc", 0, 1),
        ("Bằng khen của Chủ tịch UBND tỉnh", 2, 0), (gettext("Total"), 3, 1)]
    assert len(list(by_unit.iter_rows(min_row=2))) == 4


# -- who may have them ---------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_who_may_have_each_document(cast, plan_2022, role):
    decision = make_decision(cast, people=[("Võ Văn Ơn", "Nhân viên", "b")])
    user = cast.users()[role]
    reads_all = role in ("director", "office", "union", "admin")
    # The decision: readers of everything, and the people of a unit with an awardee in it.
    assert REGISTRY["decision"].allowed(user, {"decision": decision.pk}) == (
        reads_all or role == "head_b")
    assert REGISTRY["year_report"].allowed(user, {"campaign": plan_2022.pk}) == reads_all
    assert REGISTRY["province_proposal"].allowed(user, {"year": 2022}) == reads_all


def test_rows_counts_what_the_document_lists(cast, year_end):
    campaign, decision = year_end
    assert REGISTRY["decision"].rows({"decision": decision.pk}) == 3
    # Two ranked units, two units with awards, one unit yet to confirm dissemination.
    assert REGISTRY["year_report"].rows({"campaign": campaign.pk}) == 5
    assert LegalPeriod.objects.for_year(2022) is not None


def test_year_report_is_dated_in_the_year_its_round_closed(cast, year_end):
    """The report prints the plan's header (the place as in 2022), so it is dated in the year
    its figures became final, the round's closing, not the year it is printed again: a 2022
    report printed in 2026 read "…, năm 2026" under the 2022 header."""
    campaign, _decision = year_end
    closed = Round.objects.get(closed_at__isnull=False)
    closed.closed_at = timezone.make_aware(datetime.datetime(2023, 1, 5, 9, 0))
    closed.save(update_fields=["closed_at"])

    head = year_report.context(campaign.pk)["head"]
    assert head.date == 2023
    assert head.date_line.endswith("năm 2023")

    Round.objects.update(closed_at=None)  # no round closed yet: a report of today
    assert year_report.context(campaign.pk)["head"].date == timezone.localdate().year
