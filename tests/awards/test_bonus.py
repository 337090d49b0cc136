"""Bonus money: the amount of each award either side of a base-salary change, the amounts in
Vietnamese words, the law's figures refused without a source or over another's dates, the
reward fund's ledger with payouts and an override, the payout list as PDF and workbook read
back, and who may see what."""

import datetime
import io
import re
import shutil
import subprocess
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.utils import translation
from openpyxl import load_workbook

from awards import bonus, documents, services_bonus
from awards.forms_bonus import BaseSalaryForm, CoefficientForm, IncomeForm
from awards.models import Award, Conferral, Decision, GeneratedDocument, LegalPeriod
from awards.models_bonus import Approval, AwardCoefficient, BaseSalary, FundIncome, Payout
from awards.services import WorkflowError
from core.audit.trail import audit_model
from core.words import amount_in_words, number_in_words

from ..factories import StaffMemberFactory

needs_poppler = pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils missing")

# The day the base salary rose from 1.800.000 to 2.340.000 đồng (Decree 73/2024).
CHANGE = datetime.date(2024, 7, 1)
BEFORE = CHANGE - datetime.timedelta(days=1)

# Every award with a coefficient under Decree 98/2023 (2024 – 30/06/2025), with the amounts
# computed by hand: coefficient × 1.800.000 (signed 30/06/2024) and × 2.340.000 (01/07/2024),
# rounded up to the next 10.000 đồng.
BY_HAND = {
    "chien-si-thi-dua-toan-quoc": ("4.5", 8_100_000, 10_530_000),
    "chien-si-thi-dua-cap-tinh": ("3.0", 5_400_000, 7_020_000),
    "chien-si-thi-dua-co-so": ("1.0", 1_800_000, 2_340_000),
    "lao-dong-tien-tien": ("0.3", 540_000, 710_000),  # 702.000 → 710.000
    "tap-the-lao-dong-xuat-sac": ("1.5", 2_700_000, 3_510_000),
    "tap-the-lao-dong-tien-tien": ("0.8", 1_440_000, 1_880_000),  # 1.872.000 → 1.880.000
    "co-thi-dua-ubnd-tinh": ("8.0", 14_400_000, 18_720_000),
    "bang-khen-chu-tich-ubnd-tinh": ("1.0", 1_800_000, 2_340_000),
    "bang-khen-chu-tich-ubnd-tinh-tap-the": ("2.0", 3_600_000, 4_680_000),
    "bang-khen-bo-truong-gddt": ("1.0", 1_800_000, 2_340_000),
    "bang-khen-thu-tuong": ("5.0", 9_000_000, 11_700_000),
    "giay-khen-giam-doc-so": ("0.3", 540_000, 710_000),
    "giay-khen-tap-the": ("0.6", 1_080_000, 1_410_000),  # 1.404.000 → 1.410.000
    "giay-khen-chuyen-de": ("0.3", 540_000, 710_000),
    "giay-khen-chuyen-de-tap-the": ("0.6", 1_080_000, 1_410_000),
    "giay-khen-dot-xuat": ("0.3", 540_000, 710_000),
}


def _decision(award, signed_on, people, *, number, created_by):
    decision = Decision.objects.create(award=award, year=signed_on.year, number=number,
                                       signed_on=signed_on, signer_name="Trần Văn Giám",
                                       signer_title="GIÁM ĐỐC", created_by=created_by)
    Conferral.objects.bulk_create(
        Conferral(award=award, year=signed_on.year, staff=person, unit_id=person.unit_id,
                  decision=number, decided_on=signed_on, issued_by=decision)
        for person in people)
    return decision


# -- the amount ------------------------------------------------------------------------------


@pytest.mark.parametrize(("value", "rounded"), [
    (447_000, 450_000), (450_000, 450_000), (450_001, 460_000), (1, 10_000), (0, 0),
    (Decimal("702000.0"), 710_000), (Decimal("1403999.99"), 1_410_000)])
def test_round_up_to_the_next_ten_thousand(value, rounded):
    assert bonus.round_up(value) == rounded


@pytest.mark.parametrize("code", sorted(BY_HAND))
def test_bonus_of_each_award_either_side_of_the_base_salary_change(cast, code):
    award = Award.objects.get(code=code)
    coefficient, before, on_the_day = BY_HAND[code]
    day_before = _decision(award, BEFORE, [StaffMemberFactory(unit=cast.unit_a)],
                           number="1/QĐ-T", created_by=cast.office)
    # A person is awarded a title once a year: the second decision names someone else.
    day_of = _decision(award, CHANGE, [StaffMemberFactory(unit=cast.unit_a)], number="2/QĐ-T",
                       created_by=cast.office)

    figures = bonus.figures_for(day_before)
    assert figures.coefficient.coefficient == Decimal(coefficient)
    assert (figures.base_salary.amount, figures.amount_each) == (1_800_000, before)
    figures = bonus.figures_for(day_of)
    assert (figures.base_salary.amount, figures.amount_each) == (2_340_000, on_the_day)


def test_bonus_of_a_2022_decision_uses_the_2022_base_salary(cast):
    award = Award.objects.get(code="lao-dong-tien-tien")
    decision = _decision(award, datetime.date(2022, 12, 30), [StaffMemberFactory(unit=cast.unit_a)],
                         number="1802/QĐ-T", created_by=cast.office)
    figures = bonus.figures_for(decision)
    # 0,3 × 1.490.000 = 447.000 → 450.000
    assert (figures.base_salary.amount, figures.amount_each) == (1_490_000, 450_000)
    assert not figures.confirmed  # the 2019 base salary still has to be checked


def test_award_without_a_coefficient_pays_nothing_and_says_so(cast):
    award = Award.objects.get(code="ky-niem-chuong-vi-su-nghiep-giao-duc")
    decision = _decision(award, CHANGE, [StaffMemberFactory(unit=cast.unit_a)], number="3/QĐ-T",
                         created_by=cast.office)
    figures = bonus.figures_for(decision)
    assert figures.amount_each is None
    assert award.name in figures.problem and "không có tiền thưởng" in figures.problem


def test_confirmed_figures_are_the_decree_98_titles_and_the_2024_base_salary(db):
    period = LegalPeriod.objects.get(first_year=2024)
    confirmed = set(AwardCoefficient.objects.filter(period=period, confirmed=True)
                    .values_list("award__code", flat=True))
    assert confirmed == {"chien-si-thi-dua-toan-quoc", "chien-si-thi-dua-cap-tinh",
                         "chien-si-thi-dua-co-so", "lao-dong-tien-tien",
                         "tap-the-lao-dong-xuat-sac", "tap-the-lao-dong-tien-tien",
                         "co-thi-dua-ubnd-tinh"}
    assert list(BaseSalary.objects.filter(confirmed=True).values_list("amount", "valid_from")) \
        == [(2_340_000, CHANGE)]
    assert not AwardCoefficient.objects.filter(source="").exists()


# -- amounts in words --------------------------------------------------------------------------


@pytest.mark.parametrize(("number", "words"), [
    (0, "không"), (5, "năm"), (10, "mười"), (11, "mười một"), (15, "mười lăm"),
    (20, "hai mươi"), (21, "hai mươi mốt"), (25, "hai mươi lăm"), (55, "năm mươi lăm"),
    (101, "một trăm linh một"), (105, "một trăm linh năm"), (110, "một trăm mười"),
    (115, "một trăm mười lăm"), (1_000, "một nghìn"), (1_005, "một nghìn không trăm linh năm"),
    (1_015, "một nghìn không trăm mười lăm"), (10_000, "mười nghìn"),
    (21_000, "hai mươi mốt nghìn"), (105_000, "một trăm linh năm nghìn"),
    (450_000, "bốn trăm năm mươi nghìn"), (710_000, "bảy trăm mười nghìn"),
    (1_000_000, "một triệu"), (1_000_500, "một triệu năm trăm"),
    (1_000_050, "một triệu không trăm năm mươi"),
    (1_410_000, "một triệu bốn trăm mười nghìn"),
    (2_340_000, "hai triệu ba trăm bốn mươi nghìn"),
    (17_550_000, "mười bảy triệu năm trăm năm mươi nghìn"),
    (18_720_000, "mười tám triệu bảy trăm hai mươi nghìn"),
    (105_030_000, "một trăm linh năm triệu không trăm ba mươi nghìn"),
    (1_000_000_000, "một tỷ"), (1_000_000_005, "một tỷ không trăm linh năm"),
    (2_015_000_000, "hai tỷ không trăm mười lăm triệu"),
    (1_200_000_000_000, "một nghìn hai trăm tỷ"),
    (999_999_999, "chín trăm chín mươi chín triệu chín trăm chín mươi chín nghìn chín trăm "
                   "chín mươi chín"),
])
def test_number_in_vietnamese_words(number, words):
    assert number_in_words(number) == words


def test_amount_in_words_is_capitalised_with_the_currency():
    assert amount_in_words(17_550_000) == "Mười bảy triệu năm trăm năm mươi nghìn đồng"
    assert amount_in_words(0) == "Không đồng"


# -- the law's figures refused ---------------------------------------------------------------


def test_base_salary_overlapping_another_is_refused_with_nothing_stored(db):
    form = BaseSalaryForm(data={"amount": "2.500.000", "valid_from": "01/07/2026",
                                "source": "Nghị định mới", "confirmed": ""})
    assert not form.is_valid()
    message = " ".join(form.non_field_errors())
    assert "trùng với mức lương cơ sở 2.340.000 đồng áp dụng từ ngày 01/07/2024" in message
    assert not BaseSalary.objects.filter(amount=2_500_000).exists()


def test_base_salary_typed_the_vietnamese_way_after_closing_the_last_period(db):
    BaseSalary.objects.filter(valid_from=CHANGE).update(valid_until=datetime.date(2026, 6, 30))
    form = BaseSalaryForm(data={"amount": "2.500.000", "valid_from": "01/07/2026",
                                "source": "  Nghị định   mới  ", "confirmed": ""})
    assert form.is_valid(), form.errors
    row = form.save()
    assert (row.amount, row.source, row.confirmed) == (2_500_000, "Nghị định mới", False)
    assert BaseSalary.objects.in_force_on(datetime.date(2026, 7, 1)) == row


def test_base_salary_inside_a_closed_period_is_refused(db):
    form = BaseSalaryForm(data={"amount": "1.600.000", "valid_from": "01/01/2020",
                                "valid_until": "31/12/2020", "source": "x"})
    assert not form.is_valid()
    assert "1.490.000" in " ".join(form.non_field_errors())


@pytest.mark.parametrize("source", ["", "   "])
def test_coefficient_without_a_source_is_refused_by_the_form(db, source):
    period = LegalPeriod.objects.get(first_year=2024)
    award = Award.objects.get(code="ky-niem-chuong-vi-su-nghiep-giao-duc")
    form = CoefficientForm(data={"period": period.pk, "award": award.pk, "coefficient": "1,5",
                                 "source": source})
    assert not form.is_valid()
    assert "Hãy ghi căn cứ của mức này" in " ".join(form.errors["source"])


def test_coefficient_typed_with_a_comma_is_read(db):
    period = LegalPeriod.objects.get(first_year=2024)
    award = Award.objects.get(code="ky-niem-chuong-vi-su-nghiep-giao-duc")
    form = CoefficientForm(data={"period": period.pk, "award": award.pk, "coefficient": "1,5",
                                 "source": "Thử"})
    assert form.is_valid(), form.errors
    assert form.save().coefficient == Decimal("1.5")


def test_database_refuses_a_coefficient_or_base_salary_without_a_source(db):
    period = LegalPeriod.objects.get(first_year=2024)
    award = Award.objects.get(code="ky-niem-chuong-vi-su-nghiep-giao-duc")
    with pytest.raises(IntegrityError), transaction.atomic():
        AwardCoefficient.objects.create(period=period, award=award, coefficient=1, source="")
    with pytest.raises(IntegrityError), transaction.atomic():
        BaseSalary.objects.create(amount=1, valid_from=datetime.date(2000, 1, 1), source="")


# -- the fund ----------------------------------------------------------------------------------


@pytest.fixture
def two_decisions(cast):
    """Three LĐTT of 2022 (3 × 450.000) and two CSTĐ cấp tỉnh (2 × 4.470.000: 3,0 × 1.490.000)."""
    ldtt = Award.objects.get(code="lao-dong-tien-tien")
    cstd = Award.objects.get(code="chien-si-thi-dua-cap-tinh")
    people = StaffMemberFactory.create_batch(3, unit=cast.unit_a)
    first = _decision(ldtt, datetime.date(2022, 12, 30), people, number="10/QĐ-T",
                      created_by=cast.office)
    second = _decision(cstd, datetime.date(2022, 12, 30),
                       [people[0], StaffMemberFactory(unit=cast.unit_b)], number="11/QĐ-T",
                       created_by=cast.office)
    return first, second


def test_fund_balance_after_payouts_and_an_override(cast, two_decisions):
    first, second = two_decisions
    office = cast.office
    services_bonus.add_income(year=2022, received_on=datetime.date(2022, 2, 1),
                              amount=5_000_000, source="Dự toán 2022", user=office)
    paid = services_bonus.record_payout(first, year=2022, paid_on=datetime.date(2022, 12, 30),
                                        override_reason="", user=office)
    assert (paid.amount_each, paid.awardees, paid.total) == (450_000, 3, 1_350_000)
    assert bonus.balance(2022) == 3_650_000

    # 2 × 4.470.000 = 8.940.000 > 3.650.000: refused without a reason, nothing stored.
    with pytest.raises(WorkflowError) as refused:
        services_bonus.record_payout(second, year=2022, paid_on=datetime.date(2022, 12, 31),
                                     override_reason="  ", user=office)
    assert refused.value.message.startswith("Quỹ năm 2022 còn 3.650.000 đồng, danh sách cần "
                                            "8.940.000 đồng (thiếu 5.290.000 đồng)")
    assert not Payout.objects.filter(decision=second).exists()

    pending = services_bonus.record_payout(
        second, year=2022, paid_on=datetime.date(2022, 12, 31),
        override_reason="Kinh phí bổ sung đã có quyết định", user=office)
    # Beyond the fund: awaiting the director, shown in the ledger, not counted.
    assert pending.approval == Approval.PENDING
    assert bonus.balance(2022) == 3_650_000
    assert bonus.pending_total(2022) == 8_940_000
    lines = bonus.ledger(2022)
    assert [(line.payout, line.balance, line.counted) for line in lines] == [
        (None, 5_000_000, True), (1_350_000, 3_650_000, True), (8_940_000, 3_650_000, False)]
    override = audit_model().objects.get(action="payout.override")
    assert override.before == {"fund_balance": 3_650_000}
    assert override.after["override_reason"] == "Kinh phí bổ sung đã có quyết định"
    assert override.after["approval"] == "pending"

    services_bonus.decide_override(pending, approve=True, note="", user=cast.director)
    assert bonus.balance(2022) == 3_650_000 - 8_940_000
    lines = bonus.ledger(2022)
    assert [(line.income, line.payout, line.balance) for line in lines] == [
        (5_000_000, None, 5_000_000), (None, 1_350_000, 3_650_000),
        (None, 8_940_000, -5_290_000)]
    approved = audit_model().objects.get(action="payout.approve")
    assert (approved.before["approval"], approved.after["approval"]) == ("pending", "approved")
    assert approved.after["fund_balance"] == -5_290_000
    assert audit_model().objects.filter(action__in=["fund.income", "payout.record"]).count() == 2


def test_payout_recorded_once_and_never_for_a_revoked_decision(cast, two_decisions):
    first, second = two_decisions
    office = cast.office
    services_bonus.record_payout(first, year=2022, paid_on=datetime.date(2022, 12, 30),
                                 override_reason="quỹ chưa cấp", user=office)
    with pytest.raises(WorkflowError, match="đã được ghi vào quỹ"):
        services_bonus.record_payout(first, year=2022, paid_on=datetime.date(2022, 12, 30),
                                     override_reason="lần hai", user=office)
    Decision.objects.filter(pk=second.pk).update(revoked_at=datetime.datetime(
        2023, 1, 5, tzinfo=datetime.UTC), revoked_reason="sai")
    with pytest.raises(WorkflowError, match="đã bị thu hồi"):
        services_bonus.record_payout(second, year=2022, paid_on=datetime.date(2022, 12, 30),
                                     override_reason="x", user=office)
    assert Payout.objects.count() == 1


def test_income_typed_the_vietnamese_way_and_dated_in_its_year(db):
    form = IncomeForm(data={"received_on": "15/02/2022", "amount": "20.000.000",
                            "source": "Dự toán"}, year=2022)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["amount"] == 20_000_000
    wrong = IncomeForm(data={"received_on": "15/02/2023", "amount": "1.000",
                             "source": "Dự toán"}, year=2022)
    assert not wrong.is_valid()
    assert "Đây là quỹ năm 2022" in " ".join(wrong.errors["received_on"])


# -- the payout list read back -----------------------------------------------------------------


@needs_poppler
def test_payout_pdf_and_workbook_carry_the_figures_and_the_words(cast, two_decisions):
    first, _second = two_decisions
    with translation.override("vi"):
        pdf = documents.build("payout", {"decision": first.pk}, "pdf")
        xlsx = documents.build("payout", {"decision": first.pk}, "xlsx")
    text = " ".join(subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf.content,
                                   capture_output=True, check=True).stdout.decode().split())
    assert "DANH SÁCH CHI TIỀN THƯỞNG" in text
    assert "hệ số 0,3 × mức lương cơ sở 1.490.000 đồng" in text
    assert text.count("450.000") >= 3
    assert "Tổng cộng 1.350.000" in text
    assert "Bằng chữ: Một triệu ba trăm năm mươi nghìn đồng." in text
    assert "Ký nhận" in text and "NGƯỜI LẬP BIỂU" in text and "KẾ TOÁN" in text
    assert pdf.filename == "chi-tien-thuong-10-QD-T.pdf"

    sheet = load_workbook(io.BytesIO(xlsx.content)).worksheets[0]
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert rows[0] == ["TT", "Họ và tên", "Đơn vị", "Danh hiệu, hình thức khen thưởng",
                       "Hệ số", "Số tiền (đồng)", "Ký nhận"]
    assert [row[5] for row in rows[1:4]] == [450_000] * 3
    assert rows[1][4] == pytest.approx(0.3)
    assert rows[4][1] == "Tổng cộng" and rows[4][5] == 1_350_000
    assert rows[5][1] == "Bằng chữ: Một triệu ba trăm năm mươi nghìn đồng."


def test_payout_list_above_the_direct_row_limit_goes_to_the_worker(cast, client_for):
    award = Award.objects.get(code="lao-dong-tien-tien")
    people = StaffMemberFactory.create_batch(documents.DIRECT_ROWS + 1, unit=cast.unit_a)
    decision = _decision(award, datetime.date(2022, 12, 30), people, number="12/QĐ-T",
                         created_by=cast.office)
    response = client_for(cast.office).get(
        f"/awards/documents/get/?kind=payout&fmt=pdf&decision={decision.pk}")
    document = GeneratedDocument.objects.get(kind="payout")
    assert response.status_code == 302
    assert response["Location"] == f"/awards/documents/{document.pk}/"


# -- pages and who may see them ----------------------------------------------------------------


def test_office_enters_income_and_records_a_payout_through_the_pages(cast, client_for,
                                                                    two_decisions):
    first, _second = two_decisions
    client = client_for(cast.office)
    response = client.post("/awards/fund/?year=2022", {
        "received_on": "01/03/2022", "amount": "2.000.000", "source": "Dự toán"})
    assert response.status_code == 302
    assert FundIncome.objects.get().amount == 2_000_000
    response = client.post(f"/awards/bonus/{first.pk}/", {
        "year": "2022", "paid_on": "30/12/2022", "override_reason": ""})
    assert response.status_code == 302
    page = client.get("/awards/fund/?year=2022").content.decode()
    assert "1.350.000" in page and "650.000" in page
    listing = client.get("/awards/bonus/").content.decode()
    assert "10/QĐ-T" in listing and "450.000" in listing and "2.340.000" in listing


def test_payout_over_the_fund_is_refused_on_the_page_with_the_reason_to_give(
        cast, client_for, two_decisions):
    first, _second = two_decisions
    page = client_for(cast.office).post(f"/awards/bonus/{first.pk}/", {
        "year": "2022", "paid_on": "30/12/2022", "override_reason": ""}).content.decode()
    assert "Quỹ năm 2022 còn 0 đồng, danh sách cần 1.350.000 đồng" in page
    assert not Payout.objects.exists()


@pytest.mark.parametrize(("role", "bonus_page", "fund_page"), [
    ("director", 200, 200), ("office", 200, 200), ("union", 200, 200), ("admin", 200, 200),
    ("head_a", 200, 403), ("head_b", 200, 403), ("staff", 403, 403)])
def test_who_sees_the_bonus_and_fund_pages(cast, client_for, role, bonus_page, fund_page):
    client = client_for(cast.users()[role])
    assert client.get("/awards/bonus/").status_code == bonus_page
    assert client.get("/awards/fund/?year=2022").status_code == fund_page


def test_a_unit_head_sees_only_the_payouts_naming_their_unit(cast, client_for):
    award = Award.objects.get(code="lao-dong-tien-tien")
    only_a = _decision(award, datetime.date(2022, 12, 30), [StaffMemberFactory(unit=cast.unit_a)],
                       number="20/QĐ-T", created_by=cast.office)
    head_b = client_for(cast.head_b)
    assert "20/QĐ-T" not in head_b.get("/awards/bonus/").content.decode()
    assert head_b.get(f"/awards/bonus/{only_a.pk}/").status_code == 404
    head_a = client_for(cast.head_a)
    page = head_a.get(f"/awards/bonus/{only_a.pk}/")
    assert page.status_code == 200
    # By unit: the head's school, one person, 450.000 đồng.
    assert re.search(r"Trường THPT Hùng Vương</td><td[^>]*>1</td><td[^>]*>450.000</td>",
                     page.content.decode())
    # A head reads; only the Office records.
    assert head_a.post(f"/awards/bonus/{only_a.pk}/", {
        "year": "2022", "paid_on": "30/12/2022", "override_reason": "x"}).status_code == 403
    assert not Payout.objects.exists()


def test_payout_list_dated_before_its_decision_is_refused(cast, client_for, two_decisions):
    first, _second = two_decisions
    page = client_for(cast.office).post(f"/awards/bonus/{first.pk}/", {
        "year": "2022", "paid_on": "29/12/2022", "override_reason": "x"}).content.decode()
    assert "trước ngày ký quyết định được chi (ký ngày 30/12/2022)" in page
    assert not Payout.objects.exists()


# -- the administration pages ------------------------------------------------------------------


@pytest.fixture
def superuser(db, client_for):
    from ..factories import UserFactory

    client = client_for(UserFactory(username="superuser", is_staff=True, is_superuser=True))
    client.cookies["django_language"] = "vi"
    return client


def test_admin_refuses_an_overlapping_base_salary_and_stores_nothing(superuser):
    from django.urls import reverse

    page = superuser.post(reverse("admin:awards_basesalary_add"), {
        "amount": "2.500.000", "valid_from": "01/01/2025", "source": "Thử"})
    assert page.status_code == 200
    assert "trùng với mức lương cơ sở 2.340.000 đồng" in page.content.decode()
    assert BaseSalary.objects.count() == 3
    assert not audit_model().objects.filter(action__startswith="catalogue.").exists()


def test_admin_adds_a_base_salary_typed_the_vietnamese_way_audited(superuser):
    from django.urls import reverse

    BaseSalary.objects.filter(valid_from=CHANGE).update(valid_until=datetime.date(2026, 6, 30))
    response = superuser.post(reverse("admin:awards_basesalary_add"), {
        "amount": "2.500.000", "valid_from": "01/07/2026", "source": "Nghị định mới"})
    assert response.status_code == 302
    row = BaseSalary.objects.get(valid_from=datetime.date(2026, 7, 1))
    assert row.amount == 2_500_000
    entry = audit_model().objects.get(action="catalogue.create")
    assert entry.after["amount"] == 2_500_000 and entry.after["source"] == "Nghị định mới"


def test_admin_edit_of_a_coefficient_is_audited_with_before_and_after(superuser):
    from django.urls import reverse

    from ..security.formdata import form_data

    row = AwardCoefficient.objects.get(period__first_year=2025, award__code="lao-dong-tien-tien")
    url = reverse("admin:awards_awardcoefficient_change", args=[row.pk])
    data = form_data(superuser.get(url).content.decode(), url)
    data.update({"coefficient": ["0,4"], "source": ["Nghị định 152/2025/NĐ-CP, Điều 60"]})
    assert superuser.post(url, data).status_code == 302
    entry = audit_model().objects.get(action="catalogue.edit")
    assert entry.before == {"coefficient": "0.30", "source": row.source}
    assert entry.after == {"coefficient": "0.4", "source": "Nghị định 152/2025/NĐ-CP, Điều 60"}
    data.update({"source": ["   "]})
    page = superuser.post(url, data)
    assert "Hãy ghi căn cứ của mức này" in page.content.decode()
    row.refresh_from_db()
    assert row.source == "Nghị định 152/2025/NĐ-CP, Điều 60"


def test_postgresql_refuses_overlapping_base_salaries_written_past_the_form(db):
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("SQLite has no exclusion constraint: the form and the model refuse it")
    with pytest.raises(IntegrityError), transaction.atomic():
        BaseSalary.objects.create(amount=2_500_000, valid_from=datetime.date(2025, 1, 1),
                                  source="Thử")
    assert BaseSalary.objects.count() == 3
