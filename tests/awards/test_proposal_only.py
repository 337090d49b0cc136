"""An award decided above the Department (proposal_only) is proposed upward, never decided by a
decision of the Department: the form and the service both refuse it."""

import datetime

import pytest
from django.urls import reverse

from awards import services
from awards.documents import province_proposal
from awards.forms_proposals import DecisionForm
from awards.models import Award, Conferral, Decision, Nominee
from units.models import AuditEntry

from .test_proposals import YEAR, rated, step, to_notice

D = datetime.date
BK_TTG = "bang-khen-thu-tuong"
REFUSAL = ("Bằng khen của Thủ tướng Chính phủ do Thủ tướng Chính phủ quyết định, Sở không ra "
           "quyết định: hãy lập hồ sơ đề nghị (Khen thưởng → Hồ sơ đề nghị), gửi lên cấp trên và "
           "ghi nhận quyết định ở hồ sơ khi nhận được; khen thưởng khi đó được ghi vào lịch sử "
           "khen thưởng.")


@pytest.fixture
def approved(cast):
    """Unit A's list with one person proposed for the Prime Minister's certificate, approved."""
    proposal = services.proposal_for(cast.unit_a, YEAR)
    person = rated(cast.unit_a)
    services.save_nominee(proposal, nominee=Nominee(
        award=Award.objects.get(code=BK_TTG), staff=person, summary="Nhiều năm dạy giỏi",
        justification="Thành tích xuất sắc nhiều năm"), version=proposal.version,
        user=cast.head_a)
    to_notice(proposal, cast)
    step(services.record_vote, proposal, held_on=D(2022, 12, 16), members=9, present=9,
         votes={n.pk: (9, 0) for n in proposal.nominees.all()}, user=cast.office,
         today=D(2022, 12, 16))
    step(services.approve, proposal, user=cast.director)
    return proposal


def test_decision_service_refuses_a_proposal_only_award(cast, approved):
    before = AuditEntry.objects.count()
    with pytest.raises(services.WorkflowError) as refused:
        services.issue_decision(award=Award.objects.get(code=BK_TTG), year=YEAR,
                                number="9/QĐ-SGDĐT", signed_on=D(2022, 12, 28),
                                signer_name="Trần Văn Giám", signer_title="GIÁM ĐỐC",
                                user=cast.office)
    assert refused.value.message == REFUSAL
    assert not Decision.objects.exists() and not Conferral.objects.exists()
    assert AuditEntry.objects.count() == before


def test_decision_form_refuses_a_proposal_only_award(cast, approved, client_for):
    award = Award.objects.get(code=BK_TTG)
    form = DecisionForm({"award": award.pk, "year": YEAR, "number": "9/QĐ-SGDĐT",
                         "signed_on": "28/12/2022", "signer_name": "Trần Văn Giám",
                         "signer_title": "GIÁM ĐỐC"})
    assert not form.is_valid()
    assert form.errors["award"] == [REFUSAL]
    response = client_for(cast.office).post(reverse("awards:decision_create"), {
        "award": award.pk, "year": YEAR, "number": "9/QĐ-SGDĐT", "signed_on": "28/12/2022",
        "signer_name": "Trần Văn Giám", "signer_title": "GIÁM ĐỐC"})
    assert response.status_code == 200
    assert REFUSAL in response.content.decode()
    assert not Decision.objects.exists()


def test_proposal_only_award_is_not_offered_for_a_decision_but_goes_upward(cast, approved,
                                                                           client_for):
    page = client_for(cast.office).get(reverse("awards:decisions")).content.decode()
    assert "Bằng khen của Thủ tướng Chính phủ" not in page
    assert [n.award.code for n in province_proposal.nominees_of(YEAR)] == [BK_TTG]


CSTD_TINH = "chien-si-thi-dua-cap-tinh"
REFUSAL_PROVINCE = ("Chiến sĩ thi đua cấp tỉnh do Chủ tịch Ủy ban nhân dân tỉnh quyết định, Sở "
                    "không ra quyết định: hãy lập hồ sơ đề nghị (Khen thưởng → Hồ sơ đề nghị)")


@pytest.fixture
def approved_province(cast):
    """Unit A's list with one person proposed for the province's emulation fighter title,
    approved: the province decides it, on the dossier the Department sends."""
    proposal = services.proposal_for(cast.unit_a, YEAR)
    services.save_nominee(proposal, nominee=Nominee(
        award=Award.objects.get(code=CSTD_TINH), staff=rated(cast.unit_a),
        summary="Sáng kiến cấp tỉnh", justification="Thành tích xuất sắc nhiều năm"),
        version=proposal.version, user=cast.head_a)
    to_notice(proposal, cast)
    step(services.record_vote, proposal, held_on=D(2022, 12, 16), members=9, present=9,
         votes={n.pk: (9, 0) for n in proposal.nominees.all()}, user=cast.office,
         today=D(2022, 12, 16))
    step(services.approve, proposal, user=cast.director)
    return proposal


def test_province_award_refused_on_a_departments_decision_and_routed_to_its_dossier(
        cast, approved_province, client_for):
    award = Award.objects.get(code=CSTD_TINH)
    assert not award.proposal_only and not award.decided_here
    before = AuditEntry.objects.count()
    with pytest.raises(services.WorkflowError) as refused:
        services.issue_decision(award=award, year=YEAR, number="10/QĐ-SGDĐT",
                                signed_on=D(2022, 12, 28), signer_name="Trần Văn Giám",
                                signer_title="GIÁM ĐỐC", user=cast.office)
    assert refused.value.message.startswith(REFUSAL_PROVINCE)
    assert not Decision.objects.exists() and not Conferral.objects.exists()
    assert AuditEntry.objects.count() == before
    office = client_for(cast.office)
    response = office.post(reverse("awards:decision_create"), {
        "award": award.pk, "year": YEAR, "number": "10/QĐ-SGDĐT", "signed_on": "28/12/2022",
        "signer_name": "Trần Văn Giám", "signer_title": "GIÁM ĐỐC"})
    assert REFUSAL_PROVINCE in response.content.decode()
    assert not Decision.objects.exists() and not Conferral.objects.exists()
    # Not offered as awaiting a decision of the Department: it waits for its dossier.
    page = office.get(reverse("awards:decisions")).content.decode()
    assert f"?award={award.pk}&amp;year={YEAR}" not in page


def test_only_grassroots_awards_not_reserved_upward_are_decided_here(db):
    here = set(Award.objects.filter(level="grassroots", proposal_only=False)
               .values_list("code", flat=True))
    assert {a.code for a in Award.objects.all() if a.decided_here} == here
    assert "lao-dong-tien-tien" in here and CSTD_TINH not in here
