"""Awards decided above the Department proposed outside the annual cycle go up in a dossier too:
the seniority medal to the Ministry, an extraordinary Bằng khen of the province with one of two
proposals left out; where each proposal is, on the proposals' page; who sees such a dossier."""

import datetime
import io
import subprocess
import zipfile

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from awards import dossiers
from awards import services_dossier as services
from awards import services_special as special
from awards.documents.dossier import minutes_pdf, pack, reports_pdf
from awards.models import (
    Award,
    AwardLevel,
    Conferral,
    Decision,
    Dossier,
    DossierAttachment,
    DossierRequirement,
    DossierStatus,
    SentNominee,
    SpecialProposal,
    SpecialStatus,
)
from awards.services import WorkflowError
from units.models import AuditEntry, Gender

from ..factories import StaffMemberFactory
from .test_dossiers import YEAR, fresh, needs_poppler, nominee, upload

D = datetime.date
KNC = "ky-niem-chuong-vi-su-nghiep-giao-duc"
DAY = D(YEAR, 11, 20)


def teacher(unit, name, years=21, gender=Gender.MALE):
    return StaffMemberFactory(unit=unit, full_name=name, gender=gender,
                              recruitment_date=D(1995, 9, 1),
                              sector_start_date=DAY.replace(year=DAY.year - years))


def accepted(cast, award, person, *, unit=None, deed_on=None, text="Nhiều năm tận tụy",
             justification=""):
    row = special.propose(award=award, unit=unit or cast.unit_a, staff=person, year=YEAR,
                          deed_on=deed_on, achievement=text, justification=justification,
                          user=cast.office, today=DAY)
    return special.review(row, accept=True, version=row.version, user=cast.office)


def knc():
    return Award.objects.get(code=KNC)


@pytest.fixture
def medal(cast):
    """Hoa's seniority medal, accepted by the Office."""
    return accepted(cast, knc(), teacher(cast.unit_a, "Trần Thị Hoa", 16, Gender.FEMALE),
                    text="16 năm công tác trong ngành, giáo viên dạy giỏi cấp tỉnh")


@pytest.fixture
def extraordinary(db):
    """An extraordinary Bằng khen of the province's chairman, its parts without minutes."""
    award = Award.objects.create(
        code="bang-khen-ubnd-tinh-dot-xuat", name="Bằng khen đột xuất của Chủ tịch UBND tỉnh",
        kind="form", subject="individual", level=AwardLevel.PROVINCE,
        authority="Chủ tịch Ủy ban nhân dân tỉnh", cycle="extraordinary", proposal_only=True,
        order=30)
    DossierRequirement.objects.bulk_create([
        DossierRequirement(award=award, part=part, source="Nghị định 152/2025/NĐ-CP")
        for part in ("letter", "list", "report")])
    return award


def to_ministry(cast, year=YEAR):
    award = knc()
    return services.create(award=award, year=year, recipient=dossiers.recipient_for(award),
                           user=cast.office)


def sign(dossier, cast):
    for row in dossiers.checklist(fresh(dossier)).nominees:
        services.attach(fresh(dossier), part="report", nominee_id=row["pk"],
                        special_id=row["special_id"], user=cast.office, **upload())


def send(dossier, cast):
    return services.send(fresh(dossier), sent_on=D(YEAR, 12, 1), number="210/TTr-SGDĐT",
                         version=fresh(dossier).version, user=cast.office)


# --- The seniority medal, from the proposal to the history -----------------------------------


def test_the_seniority_medals_parts_ask_for_no_council_minutes(db):
    assert set(DossierRequirement.objects.filter(award=knc()).values_list("part", flat=True)
               ) == {"letter", "list", "report"}
    assert not DossierRequirement.objects.filter(award=knc(), confirmed=True).exists()
    assert "Phụ lục" in DossierRequirement.objects.get(award=knc(), part="report").source


def test_an_accepted_seniority_medal_is_offered_for_a_dossier_to_the_ministry(cast, medal):
    assert [(award.code, count) for award, count in dossiers.candidates(YEAR)] == [(KNC, 1)]
    assert dossiers.recipient_for(knc()) == "ministry"


def test_a_proposal_not_yet_accepted_is_not_in_the_dossier(cast):
    special.propose(award=knc(), unit=cast.unit_a, staff=teacher(cast.unit_a, "Lê Văn Bình"),
                    year=YEAR, deed_on=None, achievement="21 năm", justification="",
                    user=cast.head_a, today=DAY)
    assert dossiers.candidates(YEAR) == []
    with pytest.raises(WorkflowError):
        to_ministry(cast)


def test_seniority_medal_goes_from_the_proposal_to_the_history(cast, medal):
    dossier = to_ministry(cast)
    assert dossier.recipient == "ministry"
    found = dossiers.checklist(dossier)
    assert [(r["name"], r["special_id"], r["pk"], r["key"]) for r in found.nominees] == [
        ("Trần Thị Hoa", medal.pk, None, f"s{medal.pk}")]
    assert found.nominees[0]["summary"].startswith("16 năm công tác")
    assert found.missing == ["Trần Thị Hoa: thiếu báo cáo thành tích đã ký."]

    sign(dossier, cast)
    assert DossierAttachment.objects.get().special_id == medal.pk
    assert dossiers.checklist(fresh(dossier)).complete
    send(dossier, cast)
    assert SentNominee.objects.get().special_id == medal.pk
    assert AuditEntry.objects.get(action="dossier.send").after["special_proposals"] == [medal.pk]

    services.decide(fresh(dossier), number="3456/QĐ-BGDĐT", decided_on=D(2023, 3, 1),
                    issuer="Bộ trưởng Bộ Giáo dục và Đào tạo", version=fresh(dossier).version,
                    user=cast.office)
    conferral = Conferral.objects.get()
    assert (conferral.staff, conferral.award, conferral.year, conferral.decision,
            conferral.dossier) == (medal.staff, knc(), YEAR, "3456/QĐ-BGDĐT", fresh(dossier))
    medal.refresh_from_db()
    assert medal.decision == Decision.objects.get(number="3456/QĐ-BGDĐT")
    assert medal.decision.issuer == "Bộ trưởng Bộ Giáo dục và Đào tạo"
    line = AuditEntry.objects.get(action="dossier.decide")
    assert line.after["special_proposals"] == {str(medal.pk): medal.decision.pk}
    # Decided, it waits no longer: no new dossier is offered for it.
    assert dossiers.candidates(YEAR) == []


def test_the_history_shows_the_ministrys_number(cast, client_for, medal):
    dossier = to_ministry(cast)
    sign(dossier, cast)
    send(dossier, cast)
    services.decide(fresh(dossier), number="3456/QĐ-BGDĐT", decided_on=D(2023, 3, 1),
                    issuer="Bộ trưởng Bộ Giáo dục và Đào tạo", version=fresh(dossier).version,
                    user=cast.office)
    text = client_for(cast.office).get(reverse("awards:history"), {"year": YEAR}
                                       ).content.decode()
    assert "Trần Thị Hoa" in text and "3456/QĐ-BGDĐT" in text


def test_the_upper_revocation_reaches_a_special_proposals_award(cast, medal):
    dossier = to_ministry(cast)
    sign(dossier, cast)
    send(dossier, cast)
    services.decide(fresh(dossier), number="3456/QĐ-BGDĐT", decided_on=D(2023, 3, 1),
                    issuer="Bộ trưởng Bộ Giáo dục và Đào tạo", version=fresh(dossier).version,
                    user=cast.office)
    services.revoke_upper(Decision.objects.get(number="3456/QĐ-BGDĐT"), number="99/QĐ-BGDĐT",
                          revoked_on=D(2023, 6, 1), issuer="Bộ trưởng Bộ Giáo dục và Đào tạo",
                          reason="Khai sai số năm công tác", user=cast.office)
    conferral = Conferral.objects.get()
    assert conferral.revoked_at and "99/QĐ-BGDĐT" in conferral.revoked_reason


def test_the_generated_parts_carry_the_proposal_without_minutes(cast, medal):
    dossier = to_ministry(cast)
    found = dossiers.checklist(dossier)
    assert dossiers.checklist(dossier).parts[0].part == "letter"
    assert "minutes" not in {p.part for p in found.parts}
    sign(dossier, cast)
    content, name = pack(fresh(dossier))
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        names = archive.namelist()
    # No council minutes in the ZIP of an award no council voted on.
    assert names[:3] == ["01-to-trinh.pdf", "02-danh-sach.xlsx", "04-bao-cao-thanh-tich-mau.pdf"]
    assert any(n.startswith("05-bao-cao-da-ky/") for n in names)
    assert minutes_pdf(fresh(dossier), found)[:4] == b"%PDF"


@needs_poppler
def test_the_medals_report_reads_the_years_in_the_sector_and_the_achievements(cast, medal):
    dossier = to_ministry(cast)
    rows = dossiers.checklist(dossier).nominees
    text = subprocess.run(["pdftotext", "-layout", "-", "-"], input=reports_pdf(dossier, rows),
                          capture_output=True, check=True).stdout.decode()
    since = medal.staff.sector_start_date.strftime("%d/%m/%Y")
    assert "Ngày vào ngành giáo dục: " + since in " ".join(text.split())
    assert "16 năm công tác trong ngành" in text and "Trần Thị Hoa" in text


# --- An extraordinary Bằng khen of the province, one of two left out ---------------------------


def test_a_partial_decision_leaves_one_special_proposal_out(cast, extraordinary):
    hung = accepted(cast, extraordinary, teacher(cast.unit_a, "Phạm Văn Hùng"),
                    deed_on=D(YEAR, 5, 3), text="Cứu hai học sinh đuối nước",
                    justification="Khen đột xuất theo đề nghị của UBND huyện")
    mai = accepted(cast, extraordinary, teacher(cast.unit_b, "Đỗ Thị Mai"), unit=cast.unit_b,
                   deed_on=D(YEAR, 6, 9), text="Bắt giữ kẻ trộm tài sản trường",
                   justification="Khen đột xuất theo đề nghị của Công an tỉnh")
    dossier = services.create(award=extraordinary, year=YEAR,
                              recipient=dossiers.recipient_for(extraordinary), user=cast.office)
    assert dossier.recipient == "province"
    sign(dossier, cast)
    send(dossier, cast)
    rows = {row["name"]: row for row in dossiers.sent_rows(fresh(dossier))}
    services.decide(fresh(dossier), number="1200/QĐ-UBND", decided_on=D(2023, 2, 1),
                    issuer="Chủ tịch UBND tỉnh", version=fresh(dossier).version,
                    user=cast.office, commended=[rows["Phạm Văn Hùng"]["sent_id"]],
                    reason="Thành tích đã được khen ở cấp huyện")
    assert list(Conferral.objects.values_list("staff__full_name", flat=True)) == [
        "Phạm Văn Hùng"]
    hung.refresh_from_db()
    mai.refresh_from_db()
    assert hung.decision.number == "1200/QĐ-UBND" and mai.decision is None
    left = SentNominee.objects.get(special=mai)
    assert (left.commended, left.upper_reason) == (False, "Thành tích đã được khen ở cấp huyện")
    line = AuditEntry.objects.get(action="dossier.decide")
    assert line.after["specials_not_commended"] == {str(mai.pk): left.upper_reason}
    assert fresh(dossier).status == DossierStatus.DECIDED


# --- Keys: a Nominee id and a SpecialProposal id of the same number -----------------------------


def test_a_nominee_and_a_proposal_of_the_same_id_keep_their_own_reports(cast):
    # The seniority medal is never on an annual list; a nominee is put on one here, and a
    # proposal given the nominee's id, to prove the two kinds never mix.
    other = nominee(cast.unit_b, KNC, StaffMemberFactory(unit=cast.unit_b,
                                                         full_name="Vũ Văn Khoa"))
    same = SpecialProposal.objects.create(
        id=other.pk, award=knc(), unit=cast.unit_a, year=YEAR, achievement="21 năm",
        staff=teacher(cast.unit_a, "Trần Thị Hoa"), status=SpecialStatus.ACCEPTED,
        proposed_by=cast.office)
    dossier = to_ministry(cast)
    rows = dossiers.checklist(dossier).nominees
    assert sorted(r["key"] for r in rows) == sorted([f"n{other.pk}", f"s{same.pk}"])
    services.attach(dossier, part="report", nominee_id=None, special_id=same.pk,
                    user=cast.office, **upload())
    found = dossiers.checklist(fresh(dossier))
    assert found.missing == ["Vũ Văn Khoa: thiếu báo cáo thành tích đã ký."]
    assert found.report_of(f"n{other.pk}") is None
    assert found.report_of(f"s{same.pk}").special_id == same.pk


def test_a_report_names_one_owner_only(cast, medal):
    dossier = to_ministry(cast)
    with pytest.raises(WorkflowError):
        services.attach(dossier, part="report", nominee_id=None, special_id=medal.pk + 999,
                        user=cast.office, **upload())
    with pytest.raises(IntegrityError), transaction.atomic():
        SentNominee.objects.create(dossier=dossier, nominee=nominee(
            cast.unit_a, "chien-si-thi-dua-cap-tinh"), special=medal, unit=cast.unit_a,
            name="x", unit_name="x")


# --- Pages --------------------------------------------------------------------------------------


def test_the_proposals_page_says_where_an_accepted_proposal_is(cast, client_for, medal):
    client = client_for(cast.office)

    def text():
        return client.get(reverse("awards:specials"), {"year": YEAR}).content.decode()

    assert "Chờ lập hồ sơ đề nghị" in text()
    dossier = to_ministry(cast)
    assert f'href="{reverse("awards:dossier", args=[dossier.pk])}"' in text()
    sign(dossier, cast)
    send(dossier, cast)
    assert "gửi ngày 01/12/2022 (công văn 210/TTr-SGDĐT)" in text()
    services.decide(fresh(dossier), number="3456/QĐ-BGDĐT", decided_on=D(2023, 3, 1),
                    issuer="Bộ trưởng Bộ Giáo dục và Đào tạo", version=fresh(dossier).version,
                    user=cast.office)
    page = text()
    assert "3456/QĐ-BGDĐT" in page and "Bộ trưởng Bộ Giáo dục và Đào tạo" in page


def test_the_dossiers_page_offers_to_build_the_medals_dossier(cast, client_for, medal):
    text = client_for(cast.office).get(reverse("awards:dossiers"), {"year": YEAR}
                                       ).content.decode()
    assert "Kỷ niệm chương" in text and '<option value="ministry" selected>' in text


def test_the_units_head_sees_the_dossier_carrying_their_proposal(cast, client_for, medal):
    dossier = to_ministry(cast)
    assert client_for(cast.head_a).get(reverse("awards:dossier", args=[dossier.pk])
                                       ).status_code == 200
    assert client_for(cast.head_b).get(reverse("awards:dossier", args=[dossier.pk])
                                       ).status_code in (403, 404)


def test_the_office_uploads_the_report_of_a_proposal_on_the_page(cast, client_for, medal):
    dossier = to_ministry(cast)
    client = client_for(cast.office)
    page = client.get(reverse("awards:dossier", args=[dossier.pk])).content.decode()
    assert f'name="special" value="{medal.pk}"' in page
    assert "Đề nghị ngoài đợt hằng năm" in page
    assert reverse("awards:dossier_special_report", args=[dossier.pk, medal.pk]) in page
    report = client.get(reverse("awards:dossier_special_report", args=[dossier.pk, medal.pk]))
    assert report.status_code == 200 and report.content[:4] == b"%PDF"
    posted = client.post(reverse("awards:dossier_upload", args=[dossier.pk]),
                         {"part": "report", "special": medal.pk,
                          "file": upload()["upload"]})
    assert posted.status_code == 302
    assert DossierAttachment.objects.get().special_id == medal.pk


def test_the_checklist_of_specials_costs_the_same_queries_for_2_and_30(cast, extraordinary):
    def count(n):
        for i in range(n - SpecialProposal.objects.count()):
            person = teacher(cast.unit_a, f"Người {i:02d}")
            SpecialProposal.objects.create(
                award=extraordinary, unit=cast.unit_a, staff=person, year=YEAR,
                deed_on=D(YEAR, 5, 1), achievement="Dũng cảm", status=SpecialStatus.ACCEPTED,
                proposed_by=cast.office)
        dossier = (Dossier.objects.filter(award=extraordinary).first()
                   or services.create(award=extraordinary, year=YEAR, recipient="province",
                                      user=cast.office))
        with CaptureQueriesContext(connection) as queries:
            assert len(dossiers.checklist(fresh(dossier)).nominees) == n
        return len(queries)

    assert count(2) == count(30)
