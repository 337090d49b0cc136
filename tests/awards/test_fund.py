"""The reward fund after the first payouts: bonus recovered after a revocation, an income entry
corrected (history, stale page, a shortfall refused), a list beyond the fund approved or refused
by the director, and the year's ledger as a workbook and PDF read back."""

import datetime
import io
import shutil
import subprocess

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from awards import bonus, documents, services, services_bonus
from awards.forms_bonus import IncomeCorrectionForm, OverrideDecisionForm, RecoveryForm
from awards.models import Award, Conferral, Decision
from awards.models_bonus import Approval, FundIncome, IncomeCorrection, Payout, Recovery
from awards.services import WorkflowError
from core.audit.trail import audit_model
from core.stale_edits import StaleEdit

from ..factories import StaffMemberFactory

needs_poppler = pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils missing")
DAY = datetime.date(2022, 12, 30)


def _decision(code, people, *, number, created_by, signed_on=DAY):
    award = Award.objects.get(code=code)
    decision = Decision.objects.create(award=award, year=signed_on.year, number=number,
                                       signed_on=signed_on, signer_name="Trần Văn Giám",
                                       signer_title="GIÁM ĐỐC", created_by=created_by)
    Conferral.objects.bulk_create(
        Conferral(award=award, year=signed_on.year, staff=person, unit_id=person.unit_id,
                  decision=number, decided_on=signed_on, issued_by=decision)
        for person in people)
    return decision


@pytest.fixture
def paid(cast):
    """The 2022 fund: 5.000.000 income; decision 10/QĐ-T (3 LĐTT × 450.000 = 1.350.000) paid."""
    people = [StaffMemberFactory(unit=cast.unit_a, full_name=name)
              for name in ("Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường")]
    decision = _decision("lao-dong-tien-tien", people, number="10/QĐ-T", created_by=cast.office)
    income = services_bonus.add_income(year=2022, received_on=datetime.date(2022, 2, 1),
                                       amount=5_000_000, source="Dự toán 2022", user=cast.office)
    payout = services_bonus.record_payout(decision, year=2022, paid_on=DAY, override_reason="",
                                          user=cast.office)
    return decision, income, payout


def _revoke_some(decision, count, reason="Cấp trên thu hồi"):
    """As a revocation recorded from the upper level for some awardees does."""
    rows = list(decision.conferrals.order_by("staff__full_name")[:count])
    Conferral.objects.filter(pk__in=[row.pk for row in rows]).update(
        revoked_at=timezone.now(), revoked_reason=reason)
    return rows


# -- money back after a revocation -------------------------------------------------------------


def test_revoked_decision_after_its_payout_owes_every_bonus_back(cast, paid):
    decision, _income, _payout = paid
    services.revoke_decision(decision, reason="Hồ sơ không trung thực", user=cast.director)
    dues = bonus.to_recover()
    assert [(due.name, due.each, due.outstanding) for due in dues] == [
        ("Lê Văn Cường", 450_000, 450_000), ("Nguyễn Văn An", 450_000, 450_000),
        ("Trần Thị Bình", 450_000, 450_000)]
    assert {due.number for due in dues} == {"10/QĐ-T"}


def test_recovery_raises_the_balance_and_reads_as_a_recovery_in_the_ledger(cast, paid):
    decision, _income, _payout = paid
    an, binh = _revoke_some(decision, 2)[::-1][::-1]
    row = services_bonus.record_recovery(
        year=2022, decision=decision, conferrals=[an.pk, binh.pk], amount=600_000,
        received_on=datetime.date(2022, 12, 31), note="Nộp lại tại phòng kế toán",
        user=cast.office)
    # 5.000.000 − 1.350.000 + 600.000; the first chosen fully (450.000), the next 150.000.
    assert bonus.balance(2022) == 4_250_000
    assert sorted(share.amount for share in row.shares.all()) == [150_000, 450_000]
    assert sum(due.outstanding for due in bonus.to_recover()) == 300_000
    line = bonus.ledger(2022)[-1]
    assert (line.kind, line.income, line.balance) == ("recovery", 600_000, 4_250_000)
    assert "10/QĐ-T" in line.text
    entry = audit_model().objects.get(action="fund.recovery")
    assert entry.before == {"due": 900_000, "fund_balance": 3_650_000}
    assert entry.after["amount"] == 600_000 and entry.after["fund_balance"] == 4_250_000


def test_recovery_over_what_is_due_is_refused_and_nothing_stored(cast, paid):
    decision, _income, _payout = paid
    (one,) = _revoke_some(decision, 1)
    with pytest.raises(WorkflowError) as refused:
        services_bonus.record_recovery(year=2022, decision=decision, conferrals=[one.pk],
                                       amount=460_000, received_on=DAY, note="",
                                       user=cast.office)
    assert refused.value.message.startswith("Những người đã chọn chỉ còn phải nộp lại "
                                            "450.000 đồng")
    services_bonus.record_recovery(year=2022, decision=decision, conferrals=[one.pk],
                                   amount=450_000, received_on=DAY, note="", user=cast.office)
    # Everything back: a second recovery of the same award is over what is due.
    with pytest.raises(WorkflowError, match="Không còn khoản nào phải thu hồi"):
        services_bonus.record_recovery(year=2022, decision=decision, conferrals=[one.pk],
                                       amount=10_000, received_on=DAY, note="",
                                       user=cast.office)
    assert Recovery.objects.count() == 1 and bonus.balance(2022) == 4_100_000


def test_recovery_dated_before_the_payout_is_refused(cast, paid):
    decision, _income, _payout = paid
    (one,) = _revoke_some(decision, 1)
    with pytest.raises(WorkflowError, match="đã chi ngày 30/12/2022"):
        services_bonus.record_recovery(year=2022, decision=decision, conferrals=[one.pk],
                                       amount=450_000, received_on=datetime.date(2022, 12, 29),
                                       note="", user=cast.office)
    assert not Recovery.objects.exists()


def test_recovery_with_no_revoked_award_is_refused(cast, paid):
    decision, _income, _payout = paid
    standing = decision.conferrals.first()
    with pytest.raises(WorkflowError, match="Không còn khoản nào phải thu hồi theo Quyết định "
                                            "10/QĐ-T"):
        services_bonus.record_recovery(year=2022, decision=decision, conferrals=[standing.pk],
                                       amount=450_000, received_on=DAY, note="",
                                       user=cast.office)
    _revoke_some(decision, 1)
    # An awardee still standing is not among those who owe.
    with pytest.raises(WorkflowError, match="Chọn những người"):
        services_bonus.record_recovery(
            year=2022, decision=decision,
            conferrals=[decision.conferrals.standing().first().pk], amount=10_000,
            received_on=DAY, note="", user=cast.office)
    assert not Recovery.objects.exists()
    assert not audit_model().objects.filter(action="fund.recovery").exists()


def test_awards_revoked_before_the_payout_are_not_paid_nor_owed(cast):
    people = StaffMemberFactory.create_batch(3, unit=cast.unit_a)
    decision = _decision("lao-dong-tien-tien", people, number="12/QĐ-T", created_by=cast.office)
    _revoke_some(decision, 1)
    services_bonus.add_income(year=2022, received_on=datetime.date(2022, 2, 1),
                              amount=5_000_000, source="Dự toán", user=cast.office)
    payout = services_bonus.record_payout(decision, year=2022, paid_on=DAY, override_reason="",
                                          user=cast.office)
    assert (payout.awardees, payout.total) == (2, 900_000)
    assert bonus.to_recover() == []
    assert len(bonus.payees(decision)) == 2


def test_a_list_awaiting_the_director_owes_nothing_back(cast):
    people = StaffMemberFactory.create_batch(2, unit=cast.unit_a)
    decision = _decision("lao-dong-tien-tien", people, number="13/QĐ-T", created_by=cast.office)
    services_bonus.record_payout(decision, year=2022, paid_on=DAY, override_reason="Chờ cấp",
                                 user=cast.office)
    _revoke_some(decision, 1)
    assert bonus.to_recover() == []


def test_recovery_form_refuses_a_date_of_another_year_and_an_untyped_amount(cast, paid):
    decision, _income, _payout = paid
    _revoke_some(decision, 1)
    dues = bonus.to_recover(decision_id=decision.pk)
    prefix = f"recover-{decision.pk}"
    form = RecoveryForm({f"{prefix}-awardees": [dues[0].conferral_id],
                         f"{prefix}-received_on": "05/01/2023", f"{prefix}-amount": ""},
                        year=2022, decision_id=decision.pk, dues=dues)
    assert not form.is_valid()
    assert "Đây là quỹ năm 2022" in " ".join(form.errors["received_on"])
    assert "Hãy ghi số tiền đã thu hồi" in " ".join(form.errors["amount"])
    typed = RecoveryForm({f"{prefix}-awardees": [dues[0].conferral_id],
                          f"{prefix}-received_on": "05/12/2022", f"{prefix}-amount": "450.000"},
                         year=2022, decision_id=decision.pk, dues=dues)
    assert typed.is_valid(), typed.errors
    assert typed.cleaned_data["amount"] == 450_000


# -- correcting an income entry ---------------------------------------------------------------


def test_income_correction_keeps_the_old_figure_and_is_audited(cast, paid):
    _decision_, income, _payout = paid
    services_bonus.correct_income(income, version=1, received_on=datetime.date(2022, 2, 3),
                                  amount=4_000_000, source="Dự toán 2022 (QĐ 15)",
                                  reason="Gõ nhầm số tiền", user=cast.office)
    income.refresh_from_db()
    assert (income.amount, income.version) == (4_000_000, 2)
    old = IncomeCorrection.objects.get()
    assert (old.old_amount, old.old_received_on, old.reason) == (
        5_000_000, datetime.date(2022, 2, 1), "Gõ nhầm số tiền")
    assert bonus.balance(2022) == 2_650_000
    entry = audit_model().objects.get(action="fund.income_correct")
    assert entry.before["amount"] == 5_000_000 and entry.after["amount"] == 4_000_000
    assert entry.after["reason"] == "Gõ nhầm số tiền"
    assert FundIncome.objects.count() == 1  # corrected, never replaced by a new row


def test_correction_without_a_reason_is_refused_by_form_and_service(cast, paid):
    _decision_, income, _payout = paid
    form = IncomeCorrectionForm({"received_on": "01/02/2022", "amount": "4.000.000",
                                 "source": "Dự toán", "reason": "  ", "version": "1"},
                                instance=income, year=2022)
    assert not form.is_valid()
    assert "Hãy ghi lý do sửa" in " ".join(form.errors["reason"])
    with pytest.raises(WorkflowError, match="Hãy ghi lý do sửa"):
        services_bonus.correct_income(income, version=1, received_on=income.received_on,
                                      amount=4_000_000, source="x", reason=" ", user=cast.office)
    income.refresh_from_db()
    assert (income.amount, income.version) == (5_000_000, 1)
    assert not IncomeCorrection.objects.exists()


def test_stale_correction_is_refused(cast, paid):
    _decision_, income, _payout = paid
    services_bonus.correct_income(income, version=1, received_on=income.received_on,
                                  amount=4_500_000, source="Dự toán", reason="Sửa lần một",
                                  user=cast.office)
    with pytest.raises(StaleEdit):
        services_bonus.correct_income(FundIncome.objects.get(pk=income.pk), version=1,
                                      received_on=income.received_on, amount=6_000_000,
                                      source="Dự toán", reason="Trang mở từ trước",
                                      user=cast.office)
    assert FundIncome.objects.get(pk=income.pk).amount == 4_500_000
    assert IncomeCorrection.objects.count() == 1


def test_correction_leaving_the_payouts_uncovered_is_refused_unless_written_off(cast, paid):
    _decision_, income, _payout = paid
    with pytest.raises(WorkflowError) as refused:
        services_bonus.correct_income(income, version=1, received_on=income.received_on,
                                      amount=1_000_000, source="Dự toán", reason="Gõ nhầm",
                                      user=cast.office)
    assert refused.value.message.startswith("Nếu sửa như vậy, quỹ năm 2022 sẽ còn -350.000 đồng")
    assert FundIncome.objects.get(pk=income.pk).amount == 5_000_000
    # A date after the payout leaves the payout uncovered on its day: refused too.
    with pytest.raises(WorkflowError):
        services_bonus.correct_income(income, version=1, received_on=datetime.date(2022, 12, 31),
                                      amount=5_000_000, source="Dự toán", reason="Sai ngày",
                                      user=cast.office)
    services_bonus.correct_income(income, version=1, received_on=income.received_on,
                                  amount=1_000_000, source="Dự toán", reason="Gõ nhầm",
                                  override_reason="Đợt cấp bổ sung đã có quyết định",
                                  user=cast.office)
    # Written off: it waits for the director, the entry keeps its figures until then.
    correction = IncomeCorrection.objects.get()
    assert correction.override_reason == "Đợt cấp bổ sung đã có quyết định"
    assert correction.approval == Approval.PENDING and correction.new_amount == 1_000_000
    assert FundIncome.objects.get(pk=income.pk).amount == 5_000_000
    assert bonus.balance(2022) == 3_650_000


# -- the director approves an income correction written off -------------------------------------


@pytest.fixture
def written_off(cast, paid):
    """The 5.000.000 income corrected to 1.000.000 (the 1.350.000 list left 350.000 short)."""
    _decision_, income, _payout = paid
    services_bonus.correct_income(income, version=1, received_on=income.received_on,
                                  amount=1_000_000, source="Dự toán (sửa)", reason="Gõ nhầm",
                                  override_reason="Đợt cấp bổ sung đã có quyết định",
                                  user=cast.office)
    return IncomeCorrection.objects.get()


def test_written_off_correction_is_audited_and_counted_only_once_approved(cast, written_off):
    income = written_off.income
    entry = audit_model().objects.get(action="fund.income_write_off")
    assert entry.before["amount"] == 5_000_000 and entry.after["amount"] == 1_000_000
    assert entry.after["approval"] == Approval.PENDING
    assert entry.before["fund_balance"] == entry.after["fund_balance"] == 3_650_000
    services_bonus.decide_correction(written_off, approve=True, note="Đồng ý",
                                     user=cast.director)
    income.refresh_from_db()
    assert (income.amount, income.source) == (1_000_000, "Dự toán (sửa)")
    assert bonus.balance(2022) == -350_000
    entry = audit_model().objects.get(action="fund.income_approve")
    assert entry.before["fund_balance"] == 3_650_000 and entry.after["fund_balance"] == -350_000
    assert entry.after["note"] == "Đồng ý" and entry.after["approval"] == Approval.APPROVED


def test_refused_correction_keeps_the_earlier_figures_and_may_be_corrected_again(cast,
                                                                                 written_off):
    with pytest.raises(WorkflowError, match="Hãy ghi lý do không duyệt việc sửa"):
        services_bonus.decide_correction(written_off, approve=False, note="  ",
                                         user=cast.director)
    assert IncomeCorrection.objects.get().approval == Approval.PENDING
    # While it waits, the entry is not corrected again.
    with pytest.raises(WorkflowError, match="đang chờ Giám đốc duyệt"):
        services_bonus.correct_income(FundIncome.objects.get(), version=2,
                                      received_on=DAY, amount=4_000_000, source="Dự toán",
                                      reason="Sửa khác", user=cast.office)
    services_bonus.decide_correction(written_off, approve=False, note="Kiểm tra lại chứng từ",
                                     user=cast.director)
    income = FundIncome.objects.get()
    assert (income.amount, income.source) == (5_000_000, "Dự toán 2022")
    assert bonus.balance(2022) == 3_650_000
    assert audit_model().objects.get(action="fund.income_refuse").after["note"] == (
        "Kiểm tra lại chứng từ")
    with pytest.raises(WorkflowError, match="không ở trạng thái chờ duyệt"):
        services_bonus.decide_correction(written_off, approve=True, note="", user=cast.director)
    services_bonus.correct_income(income, version=2, received_on=income.received_on,
                                  amount=4_000_000, source="Dự toán", reason="Sửa lại",
                                  user=cast.office)
    assert bonus.balance(2022) == 2_650_000


def test_a_new_list_is_measured_after_the_correction_awaiting_the_director(cast, written_off):
    people = StaffMemberFactory.create_batch(1, unit=cast.unit_a)
    decision = _decision("lao-dong-tien-tien", people, number="14/QĐ-T", created_by=cast.office)
    # 3.650.000 left, but 4.000.000 may go with the correction: a 450.000 list is short.
    with pytest.raises(WorkflowError, match="thiếu 800.000 đồng"):
        services_bonus.record_payout(decision, year=2022, paid_on=DAY, override_reason="",
                                     user=cast.office)


def test_office_may_not_approve_its_own_correction(cast, client_for, written_off):
    url = f"/awards/fund/correction/{written_off.pk}/decide/"
    for user in (cast.office, cast.union, cast.head_a):
        assert client_for(user).post(url, {"approve": "yes", "note": ""}).status_code == 403
    assert IncomeCorrection.objects.get().approval == Approval.PENDING
    assert FundIncome.objects.get().amount == 5_000_000
    assert not audit_model().objects.filter(action="fund.income_approve").exists()


def test_director_sees_the_written_off_correction_and_decides_it_on_the_fund_page(
        cast, client_for, written_off):
    director = client_for(cast.director)
    page = director.get("/awards/fund/?year=2022").content.decode()
    assert "Chờ Giám đốc duyệt" in page and "Đợt cấp bổ sung đã có quyết định" in page
    assert f"/awards/fund/correction/{written_off.pk}/decide/" in page
    assert "3.650.000 đ" in page
    url = f"/awards/fund/correction/{written_off.pk}/decide/"
    refused = director.post(url, {"approve": "no", "note": ""})
    assert refused.status_code == 400
    assert "Hãy ghi lý do không duyệt" in refused.content.decode()
    assert director.post(url, {"approve": "no", "note": "Thiếu chứng từ"}).status_code == 302
    page = client_for(cast.office).get("/awards/fund/?year=2022").content.decode()
    assert "Giám đốc không duyệt" in page and "Thiếu chứng từ" in page
    assert "3.650.000 đ" in page
    income_page = client_for(cast.office).get(
        f"/awards/fund/income/{written_off.income_id}/").content.decode()
    assert "Thiếu chứng từ" in income_page and "5.000.000 đ" in income_page


def test_director_home_lists_the_correction_awaiting_approval(cast, client_for, written_off):
    home = client_for(cast.director).get("/").content.decode()
    assert "1 lần sửa khoản thu" in home and "/awards/fund/?year=2022#pending" in home
    assert "1 lần sửa khoản thu" not in client_for(cast.office).get("/").content.decode()
    services_bonus.decide_correction(written_off, approve=True, note="", user=cast.director)
    assert "1 lần sửa khoản thu" not in client_for(cast.director).get("/").content.decode()


def test_ledger_workbook_marks_a_correction_awaiting_the_director(cast, written_off):
    built = documents.build("fund", {"year": "2022"}, "xlsx")
    sheet = load_workbook(io.BytesIO(built.content)).active
    first = next(sheet.iter_rows(min_row=2, values_only=True))
    assert first[3] == 5_000_000 and "1.000.000" in first[6] and "chờ Giám đốc duyệt" in first[6]


# -- the director approves an override ---------------------------------------------------------


@pytest.fixture
def pending(cast, paid):
    """Decision 11/QĐ-T, 2 CSTĐ cấp tỉnh × 4.470.000 = 8.940.000 beyond the 3.650.000 left."""
    people = StaffMemberFactory.create_batch(2, unit=cast.unit_a)
    decision = _decision("chien-si-thi-dua-cap-tinh", people, number="11/QĐ-T",
                         created_by=cast.office)
    return services_bonus.record_payout(decision, year=2022, paid_on=DAY,
                                        override_reason="Kinh phí bổ sung", user=cast.office)


def test_refusal_without_a_reason_is_refused(cast, pending):
    with pytest.raises(WorkflowError, match="Hãy ghi lý do không duyệt"):
        services_bonus.decide_override(pending, approve=False, note="  ", user=cast.director)
    form = OverrideDecisionForm({"approve": "no", "note": ""})
    assert not form.is_valid() and "Hãy ghi lý do không duyệt" in str(form.errors["note"])
    assert Payout.objects.get(pk=pending.pk).approval == Approval.PENDING


def test_refused_list_is_not_counted_and_may_be_recorded_again(cast, pending):
    services_bonus.decide_override(pending, approve=False, note="Chờ kinh phí về",
                                   user=cast.director)
    assert bonus.balance(2022) == 3_650_000 and bonus.pending_total(2022) == 0
    with pytest.raises(WorkflowError, match="không ở trạng thái chờ duyệt"):
        services_bonus.decide_override(pending, approve=True, note="", user=cast.director)
    services_bonus.add_income(year=2022, received_on=datetime.date(2022, 12, 1),
                              amount=6_000_000, source="Bổ sung", user=cast.office)
    again = services_bonus.record_payout(pending.decision, year=2022, paid_on=DAY,
                                         override_reason="", user=cast.office)
    assert again.pk == pending.pk and again.approval == ""
    assert bonus.balance(2022) == 9_650_000 - 8_940_000


def test_second_override_is_measured_after_the_pending_one(cast, pending):
    people = StaffMemberFactory.create_batch(1, unit=cast.unit_a)
    decision = _decision("lao-dong-tien-tien", people, number="14/QĐ-T", created_by=cast.office)
    # 3.650.000 left but 8.940.000 promised: a 450.000 list is beyond what is free.
    with pytest.raises(WorkflowError, match="thiếu 5.740.000 đồng"):
        services_bonus.record_payout(decision, year=2022, paid_on=DAY, override_reason="",
                                     user=cast.office)


# -- pages ---------------------------------------------------------------------------------------


def test_bonus_page_marks_a_list_awaiting_the_director_then_refused(cast, client_for, pending):
    def mark():
        page = client_for(cast.office).get(reverse("awards:bonus")).content.decode()
        row = page[page.index("11/QĐ-T"):]
        return row[:row.index("</tr>")]

    assert "chờ Giám đốc duyệt" in mark() and "chi từ quỹ" not in mark()
    services_bonus.decide_override(pending, approve=False, note="Chờ kinh phí về",
                                   user=cast.director)
    assert "Giám đốc không duyệt" in mark() and "chờ Giám đốc duyệt" not in mark()


def test_office_may_not_approve_its_own_override(cast, client_for, pending):
    for user in (cast.office, cast.union, cast.head_a):
        response = client_for(user).post(f"/awards/fund/payout/{pending.pk}/decide/",
                                         {"approve": "yes", "note": ""})
        assert response.status_code == 403
    assert Payout.objects.get(pk=pending.pk).approval == Approval.PENDING
    assert not audit_model().objects.filter(action="payout.approve").exists()


def test_director_sees_the_pending_list_and_approves_it_on_the_fund_page(cast, client_for,
                                                                         pending):
    director = client_for(cast.director)
    page = director.get("/awards/fund/?year=2022").content.decode()
    assert "Chờ Giám đốc duyệt" in page and "Kinh phí bổ sung" in page
    assert "3.650.000 đ" in page
    refused = director.post(f"/awards/fund/payout/{pending.pk}/decide/",
                            {"approve": "no", "note": ""})
    assert refused.status_code == 400
    assert "Hãy ghi lý do không duyệt" in refused.content.decode()
    response = director.post(f"/awards/fund/payout/{pending.pk}/decide/",
                             {"approve": "yes", "note": "Đồng ý"})
    assert response.status_code == 302
    page = director.get("/awards/fund/?year=2022").content.decode()
    assert "-5.290.000 đ" in page and "Đã duyệt" in page


def test_office_records_a_recovery_and_corrects_income_through_the_pages(cast, client_for,
                                                                         paid):
    decision, income, _payout = paid
    (one,) = _revoke_some(decision, 1)
    office = client_for(cast.office)
    page = office.get("/awards/fund/?year=2022").content.decode()
    assert "Tiền thưởng phải thu hồi sau khi hủy khen thưởng: 450.000 đ" in page
    prefix = f"recover-{decision.pk}"
    over = office.post("/awards/fund/recover/?year=2022", {
        "decision": decision.pk, f"{prefix}-awardees": [one.pk],
        f"{prefix}-received_on": "31/12/2022", f"{prefix}-amount": "500.000"})
    assert over.status_code == 400 and "chỉ còn phải nộp lại 450.000 đồng" in over.content.decode()
    done = office.post("/awards/fund/recover/?year=2022", {
        "decision": decision.pk, f"{prefix}-awardees": [one.pk],
        f"{prefix}-received_on": "31/12/2022", f"{prefix}-amount": "450.000"})
    assert done.status_code == 302
    assert bonus.balance(2022) == 4_100_000
    # The income entry: the page, a correction without reason, then with one.
    url = f"/awards/fund/income/{income.pk}/"
    assert office.get(url).status_code == 200
    missing = office.post(url, {"received_on": "01/02/2022", "amount": "4.000.000",
                                "source": "Dự toán 2022", "reason": "", "version": "1"})
    assert missing.status_code == 400 and "Hãy ghi lý do sửa" in missing.content.decode()
    stale = office.post(url, {"received_on": "01/02/2022", "amount": "4.000.000",
                              "source": "Dự toán 2022", "reason": "Gõ nhầm", "version": "0"})
    assert "Người khác đã lưu" in stale.content.decode()
    saved = office.post(url, {"received_on": "01/02/2022", "amount": "4.000.000",
                              "source": "Dự toán 2022", "reason": "Gõ nhầm", "version": "1"})
    assert saved.status_code == 302
    page = office.get("/awards/fund/?year=2022").content.decode()
    assert "đã sửa" in page and "5.000.000 đ" in page and "Gõ nhầm" in page
    # A unit head reads none of it; the union reads but does not write.
    assert client_for(cast.head_a).get(url).status_code == 403
    assert client_for(cast.union).post(url, {"reason": "x"}).status_code == 403


# -- the ledger downloaded ---------------------------------------------------------------------


def test_ledger_workbook_reads_back_every_line_and_the_balance(cast, paid, pending):
    decision, income, _payout = paid
    _revoke_some(decision, 1)
    services_bonus.record_recovery(year=2022, decision=decision,
                                   conferrals=[bonus.to_recover()[0].conferral_id],
                                   amount=450_000, received_on=datetime.date(2022, 12, 31),
                                   note="", user=cast.office)
    services_bonus.correct_income(income, version=1, received_on=income.received_on,
                                  amount=6_000_000, source="Dự toán 2022", reason="Thiếu đợt",
                                  user=cast.office)
    built = documents.build("fund", {"year": "2022"}, "xlsx")
    sheet = load_workbook(io.BytesIO(built.content)).active
    rows = [row for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert [(row[1], row[3], row[4], row[5]) for row in rows] == [
        ("Thu", 6_000_000, None, 6_000_000), ("Chi", None, 1_350_000, 4_650_000),
        ("Chi", None, 8_940_000, 4_650_000), ("Thu hồi", 450_000, None, 5_100_000),
        (None, None, None, 5_100_000)]
    assert "5.000.000" in rows[0][6] and "Thiếu đợt" in rows[0][6]
    assert "chờ Giám đốc duyệt" in rows[2][6]
    assert built.filename == "so-quy-khen-thuong-2022.xlsx"


@needs_poppler
def test_ledger_pdf_carries_the_balance(cast, paid):
    built = documents.build("fund", {"year": "2022"}, "pdf")
    text = subprocess.run(["pdftotext", "-layout", "-", "-"], input=built.content,
                          capture_output=True, check=True).stdout.decode()
    assert "3.650.000" in text and "10/QĐ-T" in text


def test_director_home_lists_the_list_awaiting_approval(cast, client_for, pending):
    home = client_for(cast.director).get("/").content.decode()
    assert "1 danh sách chi vượt số dư quỹ khen thưởng đang chờ Giám đốc duyệt." in home
    assert "/awards/fund/?year=2022#pending" in home
    assert "chờ Giám đốc duyệt." not in client_for(cast.office).get("/").content.decode()
    services_bonus.decide_override(pending, approve=True, note="", user=cast.director)
    assert "chờ Giám đốc duyệt." not in client_for(cast.director).get("/").content.decode()


def test_readers_see_what_is_due_per_person_without_the_form(cast, client_for, paid):
    decision, _income, _payout = paid
    services.revoke_decision(decision, reason="Kê khai sai", user=cast.director)
    page = client_for(cast.director).get("/awards/fund/?year=2022").content.decode()
    assert "Tiền thưởng phải thu hồi sau khi hủy khen thưởng: 1.350.000 đ" in page
    assert ("Nguyễn Văn An (Trường THPT Hùng Vương): đã chi 450.000 đ, đã thu hồi 0 đ, còn "
            "phải nộp 450.000 đ — Kê khai sai") in page
    assert "Ghi khoản thu hồi" not in page


def test_ledger_downloads_for_readers_only(cast, client_for, paid):
    url = "/awards/documents/get/?kind=fund&fmt=xlsx&year=2022"
    response = client_for(cast.office).get(url)
    assert response.status_code == 200
    assert "so-quy-khen-thuong-2022.xlsx" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert sheet.cell(row=sheet.max_row, column=6).value == 3_650_000
    assert client_for(cast.head_a).get(url).status_code in (403, 404)
    assert client_for(cast.director).get(url.replace("year=2022", "year=abc")).status_code == 404


def test_fund_page_queries_do_not_grow_with_the_ledger(cast, client_for, paid, pending):
    decision, _income, _payout = paid
    client = client_for(cast.director)
    services_bonus.decide_override(pending, approve=True, note="", user=cast.director)
    _revoke_some(decision, 3)
    dues = bonus.to_recover()

    def add_lines(first, count):
        """`count` recoveries and `count` corrected income entries more."""
        for offset in range(first, first + count):
            services_bonus.record_recovery(year=2022, decision=decision,
                                           conferrals=[dues[offset].conferral_id],
                                           amount=100_000, received_on=DAY, note="",
                                           user=cast.office)
            row = services_bonus.add_income(year=2022,
                                            received_on=datetime.date(2022, 3, 1 + offset),
                                            amount=100_000, source="Đợt", user=cast.office)
            services_bonus.correct_income(row, version=1, received_on=row.received_on,
                                          amount=200_000, source=row.source, reason="Gõ nhầm",
                                          user=cast.office)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/awards/fund/?year=2022").status_code == 200
        return len(queries)

    add_lines(0, 1)
    count()  # the first page of the session reads the person's account and year once
    few = count()
    add_lines(1, 2)
    assert count() == few
