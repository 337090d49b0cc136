"""Awards outside the annual cycle (by topic, extraordinary, seniority): proposing with the
verdict by the law of the day, the Office's review, the decision entering the history, who may
do what, and bad input refused with nothing stored."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from awards import services
from awards import services_special as special
from awards.models import Award, Conferral, SpecialProposal, SpecialStatus
from units.models import AuditEntry, Gender, Violation, ViolationKind

from ..factories import StaffMemberFactory
from ..helpers import READERS, ROLES, expect

D = datetime.date
KNC = "ky-niem-chuong-vi-su-nghiep-giao-duc"
TOPIC, TOPIC_UNIT, EXTRA = ("giay-khen-chuyen-de", "giay-khen-chuyen-de-tap-the",
                            "giay-khen-dot-xuat")
# The page of the year's proposals, whatever their number, units and days.
QUERIES_SPECIALS_PAGE = 15


def award(code):
    return Award.objects.get(code=code)


def teacher(unit, gender, years, day, **kwargs):
    """Someone who entered the sector `years` full years before `day`."""
    return StaffMemberFactory(unit=unit, gender=gender, recruitment_date=D(1995, 9, 1),
                              sector_start_date=day.replace(year=day.year - years), **kwargs)


def propose(cast, code, staff=None, *, day, deed_on=None, justification="", user=None,
            unit=None):
    return special.propose(award=award(code), unit=unit or cast.unit_a, staff=staff,
                           year=(deed_on or day).year, deed_on=deed_on,
                           achievement="Nhiều năm tận tụy", justification=justification,
                           user=user or cast.head_a, today=day)


# Seniority: 20 years, 15 for women, in each legal period (by the day judged) ---------------

@pytest.mark.parametrize("day", [D(2022, 11, 20), D(2025, 6, 30), D(2025, 7, 1)],
                         ids=["decree-91-2017", "decree-98-2023", "decree-152-2025"])
@pytest.mark.parametrize(("gender", "years", "eligible"), [
    (Gender.FEMALE, 15, True), (Gender.FEMALE, 14, False),
    (Gender.MALE, 15, False), (Gender.MALE, 20, True)])
def test_seniority_proposal_reads_the_reduction_for_women(cast, day, gender, years, eligible):
    person = teacher(cast.unit_a, gender, years, day)
    if eligible:
        assert propose(cast, KNC, person, day=day).eligible
        return
    with pytest.raises(services.WorkflowError) as refused:
        propose(cast, KNC, person, day=day)
    needed = 15 if gender == Gender.FEMALE else 20
    women = " (mức dành cho nữ)" if gender == Gender.FEMALE else ""
    assert f"đủ {years} năm" in refused.value.message
    assert f"cần {needed} năm{women}" in refused.value.message
    assert not SpecialProposal.objects.exists()
    # With the proposer's reason it goes on, marked as not meeting the conditions.
    assert not propose(cast, KNC, person, day=day, justification="Vùng khó khăn").eligible


def test_seniority_candidates_are_who_qualifies_today_and_is_not_proposed(cast):
    day = D(2025, 11, 20)
    woman = teacher(cast.unit_a, Gender.FEMALE, 16, day, full_name="Trần Thị Hoa")
    teacher(cast.unit_a, Gender.MALE, 16, day, full_name="Lê Văn Nam")
    man = teacher(cast.unit_a, Gender.MALE, 25, day, full_name="Vũ Văn Lâm")
    assert [p for p, _v in special.qualifying(award(KNC), cast.unit_a, day)] == [man, woman]
    propose(cast, KNC, man, day=day)
    assert [p for p, _v in special.qualifying(award(KNC), cast.unit_a, day)] == [woman]


# Extraordinary: the deed's day decides the law and the year -------------------------------

def test_extraordinary_needs_the_deeds_date_and_not_a_disciplined_person(cast):
    person = StaffMemberFactory(unit=cast.unit_a)
    with pytest.raises(services.WorkflowError) as refused:
        propose(cast, EXTRA, person, day=D(2025, 8, 1))
    assert refused.value.message.startswith("Hãy ghi ngày của thành tích")
    Violation.objects.create(unit=cast.unit_a, staff=person, kind=ViolationKind.DISCIPLINE,
                             occurred_on=D(2025, 3, 1), description="x",
                             discipline_level="reprimand")
    with pytest.raises(services.WorkflowError):
        propose(cast, EXTRA, person, day=D(2025, 8, 1), deed_on=D(2025, 7, 20))
    assert not SpecialProposal.objects.exists()
    # The same deed a year earlier: no discipline that year, the award is met.
    assert propose(cast, EXTRA, person, day=D(2025, 8, 1), deed_on=D(2024, 7, 20)).eligible


@pytest.mark.parametrize(("deed_on", "words"), [
    (D(2025, 8, 2), "không sau hôm nay"), (None, "Hãy ghi ngày")])
def test_extraordinary_bad_dates_are_refused(cast, deed_on, words):
    with pytest.raises(services.WorkflowError) as refused:
        propose(cast, EXTRA, StaffMemberFactory(unit=cast.unit_a), day=D(2025, 8, 1),
                deed_on=deed_on)
    assert words in refused.value.message
    assert not AuditEntry.objects.filter(action="special.propose").exists()


# The whole way: topic award proposed, reviewed, decided, in the history ------------------

def test_topic_award_goes_from_proposal_to_decision_and_history(cast):
    day = D(2022, 12, 20)
    people = [StaffMemberFactory(unit=cast.unit_a, full_name=f"Giáo viên {i}") for i in range(2)]
    rows = [propose(cast, TOPIC, person, day=day) for person in people]
    special.review(rows[0], accept=True, version=rows[0].version, user=cast.office)
    with pytest.raises(services.WorkflowError):
        special.review(rows[1], accept=False, reason=" ", version=rows[1].version,
                       user=cast.office)
    special.review(rows[1], accept=False, reason="Thiếu minh chứng", version=rows[1].version,
                   user=cast.office)
    decision = services.issue_decision(
        award=award(TOPIC), year=2022, number="77/QĐ-SGDĐT", signed_on=D(2022, 12, 28),
        signer_name="Trần Văn Giám", signer_title="GIÁM ĐỐC", user=cast.office)
    held = Conferral.objects.standing().filter(award__code=TOPIC, year=2022)
    assert list(held.values_list("staff", "unit", "issued_by")) == [
        (people[0].pk, cast.unit_a.pk, decision.pk)]
    rows[0].refresh_from_db()
    assert rows[0].decision == decision
    # The returned one is proposed again (the same row), and awaits the Office again.
    again = propose(cast, TOPIC, people[1], day=day)
    assert (again.pk, again.status) == (rows[1].pk, SpecialStatus.PROPOSED)
    assert list(AuditEntry.objects.filter(action__startswith="special.").values_list(
        "action", flat=True).order_by("id")) == [
        "special.propose", "special.propose", "special.accept", "special.return",
        "special.propose"]
    issued = AuditEntry.objects.get(action="decision.issue")
    assert issued.after["special_proposals"] == {str(rows[0].pk): decision.pk}


def test_topic_award_for_a_unit_reads_its_campaign_class(cast):
    with pytest.raises(services.WorkflowError) as refused:
        propose(cast, TOPIC_UNIT, day=D(2022, 12, 20))
    assert "Xếp loại phong trào" in refused.value.message


def test_a_person_proposed_twice_and_an_annual_award_are_refused(cast):
    person = StaffMemberFactory(unit=cast.unit_a)
    propose(cast, TOPIC, person, day=D(2022, 12, 20))
    with pytest.raises(services.WorkflowError) as refused:
        propose(cast, TOPIC, person, day=D(2022, 12, 21))
    assert "đã được đề nghị" in refused.value.message
    with pytest.raises(services.WorkflowError):
        propose(cast, "lao-dong-tien-tien", person, day=D(2022, 12, 21))
    other = StaffMemberFactory(unit=cast.unit_b)
    with pytest.raises(services.WorkflowError):
        propose(cast, TOPIC, other, day=D(2022, 12, 21))  # not on unit A's staff
    assert SpecialProposal.objects.count() == 1


def test_seniority_medal_is_proposed_upward_never_decided_here(cast):
    day = D(2025, 11, 20)
    row = propose(cast, KNC, teacher(cast.unit_a, Gender.FEMALE, 16, day), day=day)
    special.review(row, accept=True, version=row.version, user=cast.office)
    with pytest.raises(services.WorkflowError):
        services.issue_decision(award=award(KNC), year=2025, number="5/QĐ-SGDĐT",
                                signed_on=D(2025, 12, 1), signer_name="A", signer_title="B",
                                user=cast.office)
    assert not Conferral.objects.exists()


# Pages -----------------------------------------------------------------------------------

@pytest.mark.parametrize("role", ROLES)
def test_role_gets_expected_status(cast, client_for, role):
    client = client_for(cast.users()[role])
    page = reverse("awards:specials")
    assert client.get(page).status_code == expect(403, **READERS, head_a=200, head_b=200)[role]
    new = f"{reverse('awards:special_new')}?unit={cast.unit_a.pk}"
    assert client.get(new).status_code == expect(
        403, office=200, admin=200, head_a=200, head_b=404)[role]


def test_page_shows_the_verdict_and_the_office_accepts(cast, client_for):
    day = datetime.date.today()
    person = teacher(cast.unit_a, Gender.FEMALE, 16, day, full_name="Trần Thị Hoa")
    row = propose(cast, KNC, person, day=day)
    page = client_for(cast.office).get(reverse("awards:specials"), {"year": day.year})
    text = page.content.decode()
    assert "Trần Thị Hoa" in text and "đủ 16 năm" in text and "mức dành cho nữ" in text
    response = client_for(cast.office).post(
        reverse("awards:special_step", args=[row.pk]),
        {f"{row.pk}-version": row.version, "step": "accept"})
    assert response.status_code == 302
    row.refresh_from_db()
    assert row.status == SpecialStatus.ACCEPTED
    # A unit head cannot review, even their own unit's.
    other = propose(cast, TOPIC, StaffMemberFactory(unit=cast.unit_a), day=day)
    refused = client_for(cast.head_a).post(reverse("awards:special_step", args=[other.pk]),
                                           {f"{other.pk}-version": 1, "step": "accept"})
    assert refused.status_code == 403


def test_head_proposes_on_the_page_and_bad_input_stores_nothing(cast, client_for):
    person = StaffMemberFactory(unit=cast.unit_a, full_name="Đặng Văn Dũng")
    url = f"{reverse('awards:special_new')}?unit={cast.unit_a.pk}&year=2025"
    client = client_for(cast.head_a)
    bad = client.post(url, {"award": award(EXTRA).pk, "staff": person.pk, "achievement": ""})
    assert bad.status_code == 200
    assert "Hãy ghi lý do và thành tích" in bad.content.decode()
    assert not SpecialProposal.objects.exists()
    good = client.post(url, {"award": award(EXTRA).pk, "staff": person.pk,
                             "deed_on": "03/02/2025", "achievement": "Cứu học sinh đuối nước"})
    assert good.status_code == 302
    assert SpecialProposal.objects.get().deed_on == D(2025, 2, 3)


def test_page_query_count_is_the_same_for_one_proposal_and_many(cast, client_for):
    """Proposals of two units, on different days of the year, cost what one does."""
    client = client_for(cast.office)

    def count():
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("awards:specials"), {"year": 2022})
        assert response.status_code == 200
        return len(queries)

    propose(cast, TOPIC, StaffMemberFactory(unit=cast.unit_a), day=D(2022, 12, 20))
    count()  # the session's first page
    one = count()
    for i, unit in enumerate([cast.unit_a, cast.unit_b, cast.unit_b]):
        propose(cast, EXTRA, StaffMemberFactory(unit=unit), day=D(2022, 12, 20),
                deed_on=D(2022, 3 + i, 10), unit=unit, user=cast.office)
    propose(cast, TOPIC, StaffMemberFactory(unit=cast.unit_b), day=D(2022, 12, 21),
            unit=cast.unit_b, user=cast.office)
    assert count() == one == QUERIES_SPECIALS_PAGE
