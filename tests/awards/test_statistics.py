"""The statistics forms of Circular 02/2023/TT-BNV (awards/statistics.py): a varied year built
here, its figures checked against counts made in this test from the conferral rows, the query
count constant whatever the year's size, the workbook and the PDF read back, and who may have
them."""

import datetime
import io
import shutil
import subprocess

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from awards import documents, statistics
from awards.models import Award, Conferral, Decision
from campaigns.models import CampaignStatus
from scoring.models import Cluster
from units.models import Gender, Role

from ..factories import CampaignFactory, StaffMemberFactory, UnitFactory

needs_poppler = pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils missing")
YEAR = 2024
DAY = datetime.date(YEAR, 11, 20)

# The test's own reading of where each catalogue award counts (form, column), written out by
# hand rather than derived, so that the module's rule is checked against it.
WHERE = {
    "giay-khen-giam-doc-so": ("CS", "giay_khen"), "giay-khen-tap-the": ("CS", "giay_khen"),
    "giay-khen-dot-xuat": ("CS", "giay_khen"), "giay-khen-chuyen-de": ("CS", "giay_khen"),
    "lao-dong-tien-tien": ("CS", "worker_title"),
    "chien-si-thi-dua-co-so": ("CS", "fighter"),
    "bang-khen-chu-tich-ubnd-tinh": ("0603", "certificate"),
    "co-thi-dua-ubnd-tinh": ("0603", "flag"),
    "tap-the-lao-dong-xuat-sac": ("0603", ""),
    "ky-niem-chuong-vi-su-nghiep-giao-duc": ("0603", "badge"),
    "bang-khen-thu-tuong": ("0602", "pm_certificate"),
}


def _confer(code, *, staff=None, unit=None, day=DAY, decision=None, revoked=False):
    award = Award.objects.get(code=code)
    return Conferral.objects.create(
        award=award, year=day.year, staff=staff, unit=unit or staff.unit, decided_on=day,
        decision=decision.number if decision else f"{code[:10]}/QĐ-UBND", issued_by=decision,
        revoked_at=datetime.datetime(YEAR, 12, 1, tzinfo=datetime.UTC) if revoked else None,
        revoked_reason="Khai man thành tích" if revoked else "")


@pytest.fixture
def year(cast):
    """A year of a department: its own decisions and upper ones, collectives and individuals,
    women, leaders, a revoked award, and an award of another year."""
    school = cast.unit_a
    other = UnitFactory(name="Trường THCS Tân Phú", parent=cast.root)
    workers = [StaffMemberFactory(unit=school, gender=Gender.FEMALE if i % 2 else Gender.MALE)
               for i in range(6)]
    head = StaffMemberFactory(unit=school, role=Role.UNIT_HEAD, position="Hiệu trưởng",
                              gender=Gender.FEMALE)
    deputy_head = StaffMemberFactory(unit=other, position="Phó Hiệu trưởng")
    deputy_director = StaffMemberFactory(unit=cast.board, role=Role.DEPUTY_DIRECTOR,
                                         position="Phó Giám đốc Sở", gender=Gender.FEMALE)
    own = Decision.objects.create(
        award=Award.objects.get(code="giay-khen-giam-doc-so"), year=YEAR, number="77/QĐ-SGDĐT",
        signed_on=DAY, signer_name="Trần Văn Giám", signer_title="GIÁM ĐỐC",
        created_by=cast.director)
    for person in [*workers[:3], head, deputy_head]:
        _confer("giay-khen-giam-doc-so", staff=person, decision=own)
    for unit in (school, other):
        _confer("giay-khen-tap-the", unit=unit)
    _confer("lao-dong-tien-tien", staff=workers[3])
    _confer("lao-dong-tien-tien", staff=workers[4], revoked=True)
    _confer("giay-khen-dot-xuat", staff=workers[5])
    _confer("giay-khen-chuyen-de", staff=workers[1])
    _confer("bang-khen-chu-tich-ubnd-tinh", staff=deputy_director)
    _confer("bang-khen-chu-tich-ubnd-tinh", staff=workers[0])
    _confer("co-thi-dua-ubnd-tinh", unit=school)
    _confer("tap-the-lao-dong-xuat-sac", unit=other)
    _confer("ky-niem-chuong-vi-su-nghiep-giao-duc", staff=workers[1])
    _confer("bang-khen-thu-tuong", staff=head)
    # Decided the year before: not this year's.
    _confer("giay-khen-giam-doc-so", staff=workers[4], day=datetime.date(YEAR - 1, 12, 31))
    CampaignFactory(year=YEAR, status=CampaignStatus.LAUNCHED)
    CampaignFactory(year=YEAR, status=CampaignStatus.DRAFT)
    Cluster.objects.create(year=YEAR, name="Cụm trường THPT phía Nam", head=school)
    return cast


def _counted():
    """The year's standing conferrals read one by one, as a clerk would count them."""
    return [c for c in Conferral.objects.select_related("award", "staff")
            if c.decided_on.year == YEAR and c.revoked_at is None]


def _group(c):
    if c.staff is None:
        return "collective"
    if c.staff.role in (Role.DIRECTOR, Role.DEPUTY_DIRECTOR):
        return "dept_leader"
    if c.staff.role == Role.UNIT_HEAD or c.staff.position.startswith(("Hiệu trưởng", "Phó ")):
        return "other_leader"
    return "worker"


def _line(form, label):
    return next(line for line in form.lines if line.label == label)


def test_forms_count_as_the_rows_say_when_counted_one_by_one(year):
    rows = _counted()
    forms = {form.number: form for form in statistics.forms(YEAR)}
    for number in ("0602", "0603", "CS"):
        mine = [c for c in rows if WHERE[c.award.code][0] == number]
        form = forms[number]
        assert form.total == len(mine)
        assert _line(form, "- Tập thể").values[0] == sum(c.staff is None for c in mine)
        assert _line(form, "- Cá nhân").values[0] == sum(c.staff is not None for c in mine)
        for label, group in (("+ Lãnh đạo cấp vụ, sở, ngành và tương đương", "dept_leader"),
                             ("+ Các cấp lãnh đạo khác từ phó phòng trở lên", "other_leader")):
            assert _line(form, label).values[0] == sum(_group(c) == group for c in mine)
        for label, cycle in (("- Thường xuyên", "annual"), ("- Chuyên đề", "topic"),
                             ("- Đột xuất", "extraordinary"), ("- Niên hạn", "seniority")):
            assert _line(form, label).values[0] == sum(c.award.cycle == cycle for c in mine)
        assert _line(form, "- Đối ngoại").values == [None] * len(form.lines[0].values)
    # The figures this year holds, written out: 12 of the Department (the revoked LĐTT and
    # the award of the year before are not counted), 5 of the province, 1 of the Prime Minister.
    assert [forms[n].total for n in ("0602", "0603", "CS")] == [1, 5, 10]
    grassroots = forms["CS"]
    # Columns: total, Giấy khen (collective, individual), CSTĐCS, LĐTT, TTLĐTT.
    assert grassroots.lines[0].values == [10, 2, 7, 0, 1, 0]
    province = forms["0603"]
    # Columns: total, Bằng khen, CSTĐ, Cờ thi đua, Kỷ niệm chương; TTLĐXS in none of them.
    assert province.lines[0].values == [5, 2, 0, 1, 1]
    assert any("Tập thể lao động xuất sắc: 1" in note for note in province.notes)
    women = sum(1 for c in rows if WHERE[c.award.code][0] == "0603" and c.staff
                and c.staff.gender == Gender.FEMALE)
    assert any(f", {women} " in note for note in province.notes)
    state = forms["0602"]
    # The Prime Minister's Bằng khen to an individual (column 7, Cá nhân); orders, prizes and
    # honorary titles have no award in the catalogue: "—".
    assert state.lines[0].values[9] == 1
    assert state.lines[0].values[1] is None
    campaigns = forms["0601"]
    assert campaigns.lines[0].values == [2, 0, 0, 2]  # the launched plan and the cluster
    assert _line(campaigns, "- Thi đua theo chuyên đề").values == [None] * 4
    assert all(value is None for line in forms["0605"].lines for value in line.values
               if value != "")


def test_forms_take_the_same_queries_whatever_the_years_size(year):
    with CaptureQueriesContext(connection) as small:
        statistics.forms(YEAR)
    people = [StaffMemberFactory(unit=year.unit_b) for _ in range(40)]
    for person in people:
        _confer("lao-dong-tien-tien", staff=person)
        _confer("chien-si-thi-dua-co-so", staff=person)
    with CaptureQueriesContext(connection) as large:
        forms = {form.number: form for form in statistics.forms(YEAR)}
    assert len(large) == len(small) == 4
    assert forms["CS"].total == 10 + 80


def test_workbook_has_the_forms_header_merged_and_the_figures_in_place(year):
    built = documents.build("statistics", {"year": YEAR, "form": "0603"}, "xlsx")
    ws = load_workbook(io.BytesIO(built.content)).active
    assert ws["A1"].value == "Biểu số: 0603.N/BNV-TĐKT"
    assert ws["A5"].value.startswith("SỐ LƯỢNG KHEN THƯỞNG CẤP BỘ")
    assert ws["A6"].value == f"Năm {YEAR}"
    merged = {str(r) for r in ws.merged_cells.ranges}
    # Label, code, unit and total span the two header rows; "Chia ra" the four columns.
    assert {"A5:H5", "A8:A9", "B8:B9", "D8:D9", "E8:H8"} <= merged
    assert [ws.cell(10, c).value for c in range(1, 9)] == ["A", "B", "C", "1", "2", "3", "4", "5"]
    assert [ws.cell(11, c).value for c in range(1, 9)] == ["Tổng số", "01", None, 5, 2, 0, 1, 1]
    foreign = next(r for r in range(11, 40) if ws.cell(r, 1).value == "- Đối ngoại")
    assert ws.cell(foreign, 4).value == "—"
    assert any(ws.cell(r, c).value == "Người lập biểu" for r in range(30, 50) for c in (1,))
    assert ws.page_setup.orientation == "portrait"


@needs_poppler
def test_pdf_reads_back_with_its_totals_and_the_wide_form_is_landscape(year):
    built = documents.build("statistics", {"year": YEAR, "form": "CS"}, "pdf")
    text = subprocess.run(["pdftotext", "-layout", "-", "-"], input=built.content,
                          capture_output=True, check=True).stdout.decode()
    assert "SỐ LƯỢNG KHEN THƯỞNG CẤP CƠ SỞ" in text and f"Năm {YEAR}" in text
    total = next(line for line in text.splitlines() if line.strip().startswith("Tổng số"))
    assert total.split()[2:] == ["01", "10", "2", "7", "0", "1", "0"]
    assert "Người lập biểu" in text and "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    wide = documents.build("statistics", {"year": YEAR, "form": "0602"}, "pdf")
    size = subprocess.run(["pdfinfo", "-"], input=wide.content, capture_output=True,
                          check=True).stdout.decode()
    width, height = (float(v) for v in
                     next(line for line in size.splitlines() if line.startswith("Page size"))
                     .split(":")[1].split("pts")[0].split(" x "))
    assert width > height


def test_readers_of_everything_have_the_page_and_a_unit_head_is_refused(year, client_for):
    url = reverse("awards:statistics")
    page = client_for(year.office).get(f"{url}?year={YEAR}")
    assert page.status_code == 200
    body = page.content.decode()
    assert "0603.N/BNV-TĐKT" in body and "thu hồi" in body
    assert client_for(year.director).get(f"{url}?year={YEAR}").status_code == 200
    assert client_for(year.head_a).get(url).status_code == 403
    get = reverse("awards:document_get")
    query = f"?kind=statistics&fmt=xlsx&year={YEAR}&form=0601"
    assert client_for(year.union).get(get + query).status_code == 200
    # The documents' download answers a unit's user 404, as for any document not theirs.
    assert client_for(year.head_a).get(get + query).status_code == 404
    assert client_for(year.office).get(
        f"{get}?kind=statistics&fmt=pdf&year={YEAR}&form=9999").status_code == 404
