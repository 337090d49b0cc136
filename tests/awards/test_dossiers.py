"""Dossiers sent upward: the checklist, every step and every refusal, the achievement report
read back from its PDF, the upper decision entering the history, and who may do what."""

import datetime
import io
import shutil
import subprocess
import zipfile
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import load_workbook

from awards import bonus, documents, dossiers, services_bonus
from awards import services_dossier as services
from awards.documents.dossier import DIRECT_NOMINEES, reports_pdf
from awards.jobs import generate_document
from awards.models import (
    Award,
    Conferral,
    Decision,
    DocumentStatus,
    Dossier,
    DossierAttachment,
    DossierStatus,
    GeneratedDocument,
    Nominee,
    Proposal,
    ProposalStage,
    SpecialProposal,
    SpecialStatus,
)
from awards.models_bonus import FundIncome
from awards.services import WorkflowError, revoke_decision
from core.uploads import check_evidence
from units.models import AuditEntry, Gender, Initiative, InitiativeLevel

from ..factories import StaffMemberFactory, UserFactory
from ..helpers import ROLES, expect

YEAR = 2022
D = datetime.date
CSTD_TINH, FLAG = "chien-si-thi-dua-cap-tinh", "co-thi-dua-ubnd-tinh"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
needs_poppler = pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils missing")


def award(code):
    return Award.objects.get(code=code)


def approved_list(unit, year=YEAR):
    """The unit's list of the year, voted on 16/12 and approved (the workflow itself is
    tests/awards/test_proposals.py's)."""
    proposal, _ = Proposal.objects.get_or_create(
        unit=unit, year=year, defaults={"stage": ProposalStage.APPROVED,
                                        "voted_on": D(year, 12, 16), "council_members": 9,
                                        "council_present": 9})
    return proposal


def nominee(unit, code, staff=None, summary="Hoàn thành xuất sắc nhiệm vụ", year=YEAR):
    return Nominee.objects.create(proposal=approved_list(unit, year), award=award(code),
                                  staff=staff, summary=summary, passed=True, votes_for=8)


def initiative(person, year=YEAR):
    found = Initiative.objects.create(title="Dạy học theo dự án", unit=person.unit,
                                      level=InitiativeLevel.GRASSROOTS, year=year,
                                      decision="12/QĐ-SGDĐT", decided_on=D(year, 6, 1))
    found.authors.add(person)
    return found


def upload(name="bao-cao.pdf"):
    file = SimpleUploadedFile(name, PDF)
    return {"checked": check_evidence(file), "upload": file}


def build(code, cast, year=YEAR):
    return services.create(award=award(code), year=year, recipient="province", user=cast.office)


def fresh(dossier):
    dossier.refresh_from_db()
    return dossier


def sign_all(dossier, cast):
    for row in dossiers.checklist(dossier).nominees:
        services.attach(dossier, part="report", nominee_id=row["pk"], user=cast.office,
                        **upload())


def send(dossier, cast, number="125/TTr-SGDĐT", day=None):
    return services.send(fresh(dossier), sent_on=day or D(2023, 1, 10), number=number,
                         version=fresh(dossier).version, user=cast.office)


@pytest.fixture
def people(cast):
    """Two CSTĐ cấp tỉnh nominees of unit A (one with an initiative), unit B for the flag."""
    lan = StaffMemberFactory(unit=cast.unit_a, full_name="Nguyễn Thị Lan",
                             date_of_birth=D(1985, 3, 7), gender=Gender.FEMALE,
                             position="Giáo viên Toán")
    an = StaffMemberFactory(unit=cast.unit_a, full_name="Nguyễn Văn An")
    initiative(lan)
    return {"lan": nominee(cast.unit_a, CSTD_TINH, lan, "Giáo viên dạy giỏi cấp tỉnh"),
            "an": nominee(cast.unit_a, CSTD_TINH, an), "flag": nominee(cast.unit_b, FLAG)}


# --- The checklist ---------------------------------------------------------------------------


def test_checklist_names_each_missing_report_and_initiative_per_nominee(cast, people):
    dossier = build(CSTD_TINH, cast)

    found = dossiers.checklist(dossier)

    # By given name, as Vietnamese lists are ordered: An before Lan.
    assert found.missing == [
        "Nguyễn Văn An: thiếu báo cáo thành tích đã ký.",
        "Nguyễn Thị Lan: thiếu báo cáo thành tích đã ký.",
        "Nguyễn Văn An: chưa có sáng kiến được công nhận trong các năm 2020–2022.",
    ]
    assert {p.part: p.done for p in found.parts} == {
        "letter": True, "list": True, "report": False, "minutes": True, "initiatives": False,
        "other": True}


def test_checklist_of_a_collective_award_asks_no_initiative(cast, people):
    dossier = build(FLAG, cast)

    found = dossiers.checklist(dossier)

    assert found.missing == ["Trường THPT Đồng Xoài: thiếu báo cáo thành tích đã ký."]
    assert "initiatives" not in {p.part for p in found.parts}


def test_checklist_names_a_list_whose_vote_is_not_recorded(cast, people):
    Proposal.objects.filter(unit=cast.unit_a).update(voted_on=None)

    found = dossiers.checklist(build(CSTD_TINH, cast))

    assert "Trường THPT Hùng Vương: chưa ghi kết quả bỏ phiếu của Hội đồng." in found.missing


def test_checklist_costs_the_same_queries_for_2_and_40_nominees(cast, people):
    dossier = build(CSTD_TINH, cast)
    dossier = Dossier.objects.select_related("award").get(pk=dossier.pk)
    with CaptureQueriesContext(connection) as small:
        dossiers.checklist(dossier)
    for _n in range(38):
        person = StaffMemberFactory(unit=cast.unit_b)
        initiative(person)
        nominee(cast.unit_b, CSTD_TINH, person)
    with CaptureQueriesContext(connection) as large:
        found = dossiers.checklist(dossier)

    assert len(found.nominees) == 40
    assert len(large) == len(small) <= 5


# --- Building and sending ----------------------------------------------------------------------


def test_create_refuses_an_award_the_department_decides(cast, people):
    with pytest.raises(WorkflowError, match="không cần hồ sơ"):
        services.create(award=award("lao-dong-tien-tien"), year=YEAR, recipient="province",
                        user=cast.office)
    assert not Dossier.objects.exists()


def test_create_refuses_a_second_dossier_to_the_same_level(cast, people):
    build(FLAG, cast)
    with pytest.raises(WorkflowError, match="Đã có hồ sơ"):
        build(FLAG, cast)
    assert Dossier.objects.count() == 1


def test_send_with_a_part_missing_is_refused_and_stores_nothing(cast, people):
    dossier = build(CSTD_TINH, cast)
    lines = AuditEntry.objects.count()

    with pytest.raises(WorkflowError) as refused:
        send(dossier, cast)

    assert "Chưa gửi được hồ sơ" in refused.value.message
    assert "Nguyễn Văn An: thiếu báo cáo thành tích đã ký" in refused.value.message
    dossier = fresh(dossier)
    assert (dossier.status, dossier.sent_number, dossier.sent_on) == ("draft", "", None)
    assert AuditEntry.objects.count() == lines


def test_send_a_complete_dossier_records_date_number_and_audit(cast, people):
    dossier = build(FLAG, cast)
    sign_all(dossier, cast)

    send(dossier, cast)

    dossier = fresh(dossier)
    assert (dossier.status, dossier.sent_number, dossier.sent_on) == (
        "sent", "125/TTr-SGDĐT", D(2023, 1, 10))
    line = AuditEntry.objects.filter(action="dossier.send").get()
    assert line.before["status"] == "draft" and line.after["status"] == "sent"
    assert dossier.attachments.get().file.storage.exists(dossier.attachments.get().file.name)


def test_a_new_signed_report_replaces_the_old_one(cast, people):
    dossier = build(FLAG, cast)
    sign_all(dossier, cast)
    sign_all(dossier, cast)

    assert DossierAttachment.objects.filter(dossier=dossier).count() == 1


# --- Returned, sent again, recalled, decided ---------------------------------------------------


@pytest.fixture
def sent(cast, people):
    dossier = build(FLAG, cast)
    sign_all(dossier, cast)
    return send(dossier, cast)


def test_return_without_a_reason_is_refused_and_stores_nothing(cast, sent):
    with pytest.raises(WorkflowError, match="Ghi lý do"):
        services.return_(sent, reason="  ", parts=["report"], version=sent.version,
                         user=cast.office)
    assert fresh(sent).status == "sent"
    assert not AuditEntry.objects.filter(action="dossier.return").exists()


def test_return_without_the_parts_to_fix_is_refused(cast, sent):
    with pytest.raises(WorkflowError, match="Đánh dấu"):
        services.return_(sent, reason="Thiếu chữ ký", parts=[], version=sent.version,
                         user=cast.office)
    assert fresh(sent).status == "sent"


def test_return_then_send_again(cast, sent):
    services.return_(sent, reason="Báo cáo chưa đóng dấu", parts=["report"],
                     version=sent.version, user=cast.office)
    returned = fresh(sent)
    assert (returned.status, returned.return_parts) == ("returned", ["report"])

    send(returned, cast, number="140/TTr-SGDĐT", day=D(2023, 1, 20))

    again = fresh(sent)
    assert (again.status, again.sent_number) == ("resent", "140/TTr-SGDĐT")
    assert [e.status for e in again.events.all()] == ["draft", "sent", "returned", "resent"]
    assert AuditEntry.objects.filter(action="dossier.resend").get().before["status"] == (
        "returned")


def test_recall_without_a_reason_is_refused(cast, sent):
    with pytest.raises(WorkflowError, match="thu hồi"):
        services.recall(sent, reason="", version=sent.version, user=cast.office)
    assert fresh(sent).status == "sent"


def decide(dossier, cast, number="2150/QĐ-UBND"):
    dossier = fresh(dossier)
    return services.decide(dossier, number=number, decided_on=D(2023, 3, 1),
                           issuer="Chủ tịch UBND tỉnh", version=dossier.version, user=cast.office)


def test_the_upper_decision_enters_the_awards_in_the_history(cast, sent, people):
    decide(sent, cast)

    dossier = fresh(sent)
    assert (dossier.status, dossier.decision_number, dossier.decided_by) == (
        "decided", "2150/QĐ-UBND", "Chủ tịch UBND tỉnh")
    held = Conferral.objects.get(award=award(FLAG), year=YEAR, unit=cast.unit_b)
    assert (held.decision, held.decided_on, held.dossier_id, held.staff_id) == (
        "2150/QĐ-UBND", D(2023, 3, 1), dossier.pk, None)
    line = AuditEntry.objects.filter(action="dossier.decide").get()
    assert line.after["conferrals"] == [held.pk]


def test_recall_after_the_upper_level_decided_is_refused(cast, sent):
    decide(sent, cast)
    with pytest.raises(WorkflowError, match="không thể thu hồi"):
        services.recall(fresh(sent), reason="Nhầm", version=fresh(sent).version,
                        user=cast.office)
    assert fresh(sent).status == "decided"


def test_recall_while_the_upper_level_holds_it(cast, sent):
    services.recall(sent, reason="Bổ sung thành tích", version=sent.version, user=cast.office)
    assert (fresh(sent).status, fresh(sent).recall_reason) == ("recalled", "Bổ sung thành tích")


@pytest.mark.parametrize("taken", ["decision", "dossier"])
def test_an_upper_decision_number_already_registered_is_refused(cast, sent, people, taken):
    if taken == "decision":
        Decision.objects.create(award=award("lao-dong-tien-tien"), year=YEAR,
                                number="2150/QĐ-UBND", signed_on=D(2023, 1, 5), signer_name="A",
                                signer_title="GIÁM ĐỐC", created_by=cast.office)
    else:
        other = build(CSTD_TINH, cast)
        Dossier.objects.filter(pk=other.pk).update(decision_number="2150/QĐ-UBND",
                                                   status=DossierStatus.DECIDED)
    with pytest.raises(WorkflowError, match="đã được vào sổ"):
        decide(sent, cast, number="2150/qđ-ubnd")
    assert fresh(sent).status == "sent"
    assert not Conferral.objects.filter(award=award(FLAG)).exists()


# --- The upper decision's bonus ---------------------------------------------------------------

TTLDXS = "tap-the-lao-dong-xuat-sac"


def test_the_upper_decision_is_registered_beside_the_departments_decisions(cast, sent, people):
    decide(sent, cast)

    decision = Decision.objects.get(number="2150/QĐ-UBND")
    assert (decision.dossier_id, decision.issuer, decision.signed_on, decision.year) == (
        sent.pk, "Chủ tịch UBND tỉnh", D(2023, 3, 1), YEAR)
    assert decision.from_upper_level and decision.award == award(FLAG)
    assert Conferral.objects.get(dossier=sent).issued_by == decision
    people["flag"].refresh_from_db()
    assert people["flag"].decision == decision
    line = AuditEntry.objects.get(action="dossier.decide")
    assert line.after["decision"] == decision.pk
    assert (line.before["nominees"], line.after["nominees"]) == (
        {str(people["flag"].pk): None}, {str(people["flag"].pk): decision.pk})


@pytest.mark.parametrize(("decided_on", "salary", "each"), [
    # 1,5 × 1.490.000 = 2.235.000, rounded up to 2.240.000; from 01/07/2023 1,5 × 1.800.000.
    (D(2023, 6, 30), 1_490_000, 2_240_000),
    (D(2023, 7, 1), 1_800_000, 2_700_000)])
def test_an_upper_decision_is_paid_at_the_base_salary_of_its_own_date(cast, decided_on, salary,
                                                                      each):
    nominee(cast.unit_a, TTLDXS)
    nominee(cast.unit_b, TTLDXS)
    dossier = build(TTLDXS, cast)
    sign_all(dossier, cast)
    send(dossier, cast)
    services.decide(fresh(dossier), number="2300/QĐ-UBND", decided_on=decided_on,
                    issuer="Chủ tịch UBND tỉnh", version=fresh(dossier).version,
                    user=cast.office)
    decision = Dossier.objects.get(pk=dossier.pk).upper_decision
    FundIncome.objects.create(year=2023, received_on=D(2023, 1, 5), amount=10_000_000,
                              source="Dự toán 2023", recorded_by=cast.office)

    paid = services_bonus.record_payout(decision, year=2023, paid_on=decided_on,
                                        override_reason="", user=cast.office)

    assert (paid.base_salary, paid.coefficient, paid.amount_each, paid.awardees, paid.total) == (
        salary, Decimal("1.5"), each, 2, 2 * each)
    assert bonus.balance(2023) == 10_000_000 - 2 * each
    line = bonus.ledger(2023)[-1]
    assert "2300/QĐ-UBND" in line.text and line.payout == 2 * each
    with translation.override("vi"):
        sheet = load_workbook(io.BytesIO(
            documents.build("payout", {"decision": decision.pk}, "xlsx").content)).worksheets[0]
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert sorted((row[1], row[5]) for row in rows[1:3]) == [
        ("Trường THPT Hùng Vương", each), ("Trường THPT Đồng Xoài", each)]
    assert rows[3][1] == "Tổng cộng" and rows[3][5] == 2 * each


@needs_poppler
def test_the_payout_pdf_of_an_upper_decision_names_its_issuer_and_amount(cast, sent):
    decide(sent, cast)
    decision = Decision.objects.get(number="2150/QĐ-UBND")

    with translation.override("vi"):
        pdf = documents.build("payout", {"decision": decision.pk}, "pdf")
    text = " ".join(subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf.content,
                                   capture_output=True, check=True).stdout.decode().split())

    assert ("theo Quyết định số 2150/QĐ-UBND ngày 01/03/2023 của Chủ tịch UBND tỉnh"
            in text)
    assert "năm 2023" in text  # drawn up in the year of the decision, not of the title
    assert "hệ số 8 × mức lương cơ sở 1.490.000 đồng" in text and "11.920.000" in text
    assert "Bằng chữ: Mười một triệu chín trăm hai mươi nghìn đồng." in text


def test_the_department_prints_no_decision_and_revokes_none_of_the_upper_level(cast, sent):
    decide(sent, cast)
    decision = Decision.objects.get(number="2150/QĐ-UBND")

    with pytest.raises(LookupError):
        documents.build("decision", {"decision": decision.pk}, "pdf")
    with pytest.raises(WorkflowError, match="chỉ cơ quan ban hành"):
        revoke_decision(decision, reason="Nhầm", user=cast.director)
    assert not Conferral.objects.filter(issued_by=decision, revoked_at__isnull=False).exists()


def test_the_upper_decision_shows_as_such_without_the_departments_pdf(cast, client_for, sent):
    decide(sent, cast)
    decision = Decision.objects.get(number="2150/QĐ-UBND")
    office = client_for(cast.office)

    listed = office.get(reverse("awards:decisions")).content.decode()
    page = office.get(reverse("awards:decision", args=[decision.pk])).content.decode()
    payout = office.get(reverse("awards:payout", args=[decision.pk])).content.decode()
    money = office.get(reverse("awards:bonus")).content.decode()
    history = office.get(reverse("awards:history") + f"?year={YEAR}").content.decode()

    assert "Quyết định của cấp trên" in listed and "Chủ tịch UBND tỉnh" in listed
    assert "kind=decision&amp;fmt=pdf" not in page and "Thu hồi quyết định" not in page
    assert "Chủ tịch UBND tỉnh" in page
    assert "kind=payout&amp;fmt=pdf" in payout and "11.920.000" in payout  # 8 × 1.490.000
    assert "2150/QĐ-UBND" in money and "Quyết định của cấp trên" in money
    assert "2150/QĐ-UBND" in history and "Quyết định của cấp trên" in history


# --- The documents -----------------------------------------------------------------------------


@needs_poppler
def test_the_achievement_report_pdf_carries_the_persons_data(cast, people):
    dossier = build(CSTD_TINH, cast)
    rows = [r for r in dossiers.checklist(dossier).nominees if r["pk"] == people["lan"].pk]

    text = subprocess.run(["pdftotext", "-layout", "-", "-"], input=reports_pdf(dossier, rows),
                          capture_output=True, check=True).stdout.decode()

    assert "BÁO CÁO THÀNH TÍCH" in text
    assert "Chiến sĩ thi đua cấp tỉnh (2022)" in text
    assert "Nguyễn Thị Lan" in text and "07/03/1985" in text and "Nữ" in text
    assert "Giáo viên Toán" in text and "Trường THPT Hùng Vương" in text
    assert "Giáo viên dạy giỏi cấp tỉnh" in text and "Dạy học theo dự án" in text


def test_the_zip_holds_the_generated_parts_and_the_uploads(cast, client_for, sent):
    response = client_for(cast.office).get(reverse("awards:dossier_zip", args=[sent.pk]))

    names = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content))).namelist()
    assert names[:4] == ["01-to-trinh.pdf", "02-danh-sach.xlsx", "03-bien-ban-hoi-dong.pdf",
                         "04-bao-cao-thanh-tich-mau.pdf"]
    assert any(n.startswith("05-bao-cao-da-ky/") for n in names)


def test_a_short_dossiers_zip_is_built_at_once_and_kept_in_my_documents(cast, client_for, sent):
    response = client_for(cast.office).get(reverse("awards:dossier_zip", args=[sent.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    assert archive.testzip() is None
    kept = GeneratedDocument.objects.get(kind="dossier")
    assert (kept.file_format, kept.status, kept.rows) == ("zip", DocumentStatus.DONE, 1)


def test_a_long_dossiers_zip_goes_to_the_worker_and_holds_every_part(cast, client_for):
    people = StaffMemberFactory.create_batch(DIRECT_NOMINEES + 1, unit=cast.unit_a)
    for person in people:
        nominee(cast.unit_a, CSTD_TINH, person)
    dossier = build(CSTD_TINH, cast)
    services.attach(dossier, part="other", nominee_id=None, user=cast.office,
                    **upload("cong-van.pdf"))
    client = client_for(cast.office)

    response = client.get(reverse("awards:dossier_zip", args=[dossier.pk]))

    document = GeneratedDocument.objects.get(kind="dossier")
    assert response.status_code == 302
    assert response["Location"] == reverse("awards:document", args=[document.pk])
    assert (document.file_format, document.status) == ("zip", DocumentStatus.QUEUED)
    waiting = client.get(response["Location"]).content.decode()
    assert "Tài liệu đang chờ" in waiting and "Hồ sơ đề nghị" in waiting
    assert generate_document.call(document.pk) == DocumentStatus.DONE
    document.refresh_from_db()
    assert (document.filename, document.rows) == (
        "ho-so-chien-si-thi-dua-cap-tinh-2022.zip", DIRECT_NOMINEES + 1)
    file = client.get(reverse("awards:document_file", args=[document.pk]))
    assert file["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(b"".join(file.streaming_content)))
    names = archive.namelist()
    assert names[:4] == ["01-to-trinh.pdf", "02-danh-sach.xlsx", "03-bien-ban-hoi-dong.pdf",
                         "04-bao-cao-thanh-tich-mau.pdf"]
    assert archive.read("04-bao-cao-thanh-tich-mau.pdf").startswith(b"%PDF")
    other = [n for n in names if n.startswith("06-tai-lieu-khac/")]
    assert len(other) == 1 and archive.read(other[0]) == PDF
    listed = load_workbook(io.BytesIO(archive.read("02-danh-sach.xlsx"))).active
    cells = {cell.value for row in listed.iter_rows() for cell in row}
    assert {person.full_name for person in people} <= cells


def test_no_other_kind_of_document_is_packed_as_a_zip(cast, client_for, sent):
    response = client_for(cast.office).get(reverse("awards:document_get"), {
        "kind": "payout", "fmt": "zip", "decision": 1})

    assert response.status_code == 404
    assert not GeneratedDocument.objects.exists()


# --- Who may do what ---------------------------------------------------------------------------


class World:
    """A dossier naming a person of unit A. Of 2021: the security tests' world holds unit A's
    draft list of 2022 (tests/awards/test_proposals.py). And the seniority medal's dossier to
    the Ministry carrying unit A's accepted proposal."""

    def __init__(self, cast):
        people = StaffMemberFactory(unit=cast.unit_a)
        nominee(cast.unit_a, CSTD_TINH, people, year=2021)
        self.dossier = build(CSTD_TINH, cast, year=2021)
        self.nominee = Nominee.objects.get(staff=people)
        services.attach(self.dossier, part="other", nominee_id=None, user=cast.office,
                        **upload("cong-van.pdf"))
        self.attachment = DossierAttachment.objects.get()
        medal = award("ky-niem-chuong-vi-su-nghiep-giao-duc")
        self.special = SpecialProposal.objects.create(
            award=medal, unit=cast.unit_a, staff=StaffMemberFactory(unit=cast.unit_a),
            year=2021, achievement="21 năm công tác trong ngành",
            status=SpecialStatus.ACCEPTED, proposed_by=cast.office)
        self.special_dossier = services.create(award=medal, year=2021, recipient="ministry",
                                               user=cast.office)


MATRIX = [
    ("awards:dossiers", lambda w: [], "get", expect(200, staff=403)),
    ("awards:dossier_create", lambda w: [], "post", expect(403, office=302, admin=302)),
    ("awards:dossier", lambda w: [w.dossier.pk], "get", expect(200, head_b=404, staff=404)),
    # An empty step: the page again, saying what is missing.
    ("awards:dossier_step", lambda w: [w.dossier.pk, "send"], "post",
     expect(403, office=200, admin=200, head_b=404, staff=404)),
    ("awards:dossier_upload", lambda w: [w.dossier.pk], "post",
     expect(403, office=200, admin=200, head_b=404, staff=404)),
    ("awards:dossier_zip", lambda w: [w.dossier.pk], "get",
     expect(200, head_a=403, head_b=404, staff=404)),
    ("awards:dossier_report", lambda w: [w.dossier.pk, w.nominee.pk], "get",
     expect(200, head_b=404, staff=404)),
    ("awards:dossier_special_report", lambda w: [w.special_dossier.pk, w.special.pk], "get",
     expect(200, head_b=404, staff=404)),
    # A Nominee's id under the special's URL (or the reverse) names no one of that dossier.
    ("awards:dossier_special_report", lambda w: [w.dossier.pk, w.nominee.pk], "get",
     expect(302, head_b=404, staff=404)),
    ("awards:dossier_attachment", lambda w: [w.attachment.pk], "get",
     expect(200, head_b=404, staff=404)),
    ("awards:dossier_detach", lambda w: [w.attachment.pk], "post",
     expect(403, office=302, admin=302, head_b=404, staff=404)),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("name", "args", "method", "expected"), MATRIX,
                         ids=[f"{m[0]}-{i}" for i, m in enumerate(MATRIX)])
def test_role_gets_expected_status(cast, client_for, role, name, args, method, expected):
    world = World(cast)
    client = client_for(cast.users()[role])
    url = reverse(name, args=args(world))
    response = getattr(client, method)(url)
    assert response.status_code == expected[role], f"{role} {method} {url}"


def test_a_send_refused_on_the_page_says_what_is_missing_and_stores_nothing(cast, client_for,
                                                                            people):
    dossier = build(CSTD_TINH, cast)
    client = client_for(cast.office)  # (signing in is a line of its own)
    lines = AuditEntry.objects.count()

    response = client.post(
        reverse("awards:dossier_step", args=[dossier.pk, "send"]),
        {"send-version": dossier.version, "send-sent_on": "10/01/2023",
         "send-number": "125/TTr-SGDĐT"})

    assert response.status_code == 200
    assert "Chưa gửi được hồ sơ, còn thiếu: Nguyễn Văn An: thiếu báo cáo thành tích đã ký" in (
        response.content.decode())
    assert fresh(dossier).status == "draft" and AuditEntry.objects.count() == lines


def test_a_letter_dated_after_today_is_refused_as_the_register_refuses_it(cast, client_for,
                                                                         people):
    # The letter takes its number in the register of outgoing documents, which never gives one
    # ahead of the signing: a year typed 2062 would have registered it decades early.
    dossier = build(CSTD_TINH, cast)
    ahead = timezone.localdate() + datetime.timedelta(days=1)

    response = client_for(cast.office).post(
        reverse("awards:dossier_step", args=[dossier.pk, "send"]),
        {"send-version": dossier.version, "send-sent_on": f"{ahead:%d/%m/%Y}",
         "send-number": ""})

    assert response.status_code == 200
    assert "Ngày văn bản sau hôm nay: văn bản chỉ được vào sổ từ ngày ký trở đi." in (
        response.content.decode())
    assert fresh(dossier).status == "draft" and fresh(dossier).sent_on is None


def test_a_unit_head_lists_only_the_dossiers_naming_their_unit(cast, client_for, people):
    build(CSTD_TINH, cast)  # unit A's people
    build(FLAG, cast)  # unit B itself

    page = client_for(cast.head_a).get(reverse("awards:dossiers"), {"year": YEAR})

    assert [row.award.code for row in page.context["rows"]] == [CSTD_TINH]
    assert page.context["todo"] == []  # building is the Office's


def test_an_award_sent_upward_no_longer_awaits_a_department_decision(cast, client_for, sent):
    awaiting = client_for(cast.office).get(reverse("awards:decisions")).context["awaiting"]

    assert FLAG not in [award.code for award, _year, _count in awaiting]


def test_an_awards_required_parts_are_edited_with_it_in_the_administration(cast, client_for):
    flag = award(FLAG)

    superuser = UserFactory(username="superuser", is_staff=True, is_superuser=True)
    page = client_for(superuser).get(reverse("admin:awards_award_change", args=[flag.pk]))

    assert page.status_code == 200
    assert list(flag.dossier_parts.values_list("part", "confirmed")) == [
        ("letter", False), ("list", False), ("minutes", False), ("report", False)]
    assert "dossier_parts-TOTAL_FORMS" in page.content.decode()


@needs_poppler
def test_the_merged_pdf_holds_the_letter_the_vote_and_every_report(cast, client_for, people):
    dossier = build(CSTD_TINH, cast)
    url = reverse("awards:document_get")
    query = {"kind": "dossier", "fmt": "pdf", "dossier": dossier.pk}

    response = client_for(cast.office).get(url, query)

    text = subprocess.run(["pdftotext", "-layout", "-", "-"],
                          input=b"".join(response.streaming_content),
                          capture_output=True, check=True).stdout.decode()
    assert "TỜ TRÌNH" in text and "KẾT QUẢ BỎ PHIẾU" in text
    assert text.count("Đề nghị tặng: Chiến sĩ thi đua cấp tỉnh") == 2  # one report each
    assert "Nguyễn Thị Lan" in text and "Nguyễn Văn An" in text
    # The assembled dossier is for readers of everything: a unit head is told nothing.
    assert client_for(cast.head_a).get(url, query).status_code == 404
