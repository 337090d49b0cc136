"""A unit's commendation list from draft to decision and revocation, and who may do what."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from awards import services
from awards.demo_unit_dossier import give_parts
from awards.models import (
    Award,
    Conferral,
    Decision,
    Nominee,
    NoticeComment,
    Proposal,
    ProposalStage,
    Rating,
    YearRating,
)
from core.stale_edits import StaleEdit
from units.models import AuditEntry, Initiative, InitiativeLevel

from ..factories import LETTER_NUMBER, StaffMemberFactory, send_list
from ..helpers import ROLES, expect

YEAR = 2022
D = datetime.date
LDTT, CSTDCS = "lao-dong-tien-tien", "chien-si-thi-dua-co-so"
# The proposal page: + 3 since registration (is the year's registration open? asked by the
# review, the suggestions and the registration box). The lists page: + the year last chosen,
# + what the clusters proposed. The list as a dossier: + 4 (its nominees, the parts their awards
# ask, the uploads, the history).
QUERIES_PROPOSAL_PAGE, QUERIES_LISTS_PAGE = 32, 10


def award(code):
    return Award.objects.get(code=code)


def rated(unit, rating=Rating.GOOD, **kwargs):
    person = StaffMemberFactory(unit=unit, recruitment_date=D(2015, 9, 1), **kwargs)
    YearRating.objects.create(staff=person, year=YEAR, rating=rating)
    return person


def nominate(proposal, code, staff=None, user=None, justification="", summary="Dạy giỏi"):
    proposal.refresh_from_db()
    return services.save_nominee(
        proposal, nominee=Nominee(award=award(code), staff=staff, summary=summary,
                                  justification=justification),
        version=proposal.version, user=user)


def step(fn, proposal, **kwargs):
    proposal.refresh_from_db()
    return fn(proposal, version=proposal.version, **kwargs)


@pytest.fixture
def draft(cast):
    return services.proposal_for(cast.unit_a, YEAR)


NOTICE_DAY = D(2022, 12, 10)
# The unit's signed letter a list is sent with (services.submit).
LETTER = {"sent_on": D(2022, 12, 5), "number": LETTER_NUMBER}


def to_notice(proposal, cast, today=NOTICE_DAY):
    send_list(proposal, cast.head_a)
    step(services.accept, proposal, user=cast.office)
    step(services.publish, proposal, days=5, user=cast.union, today=today)


def vote_and_approve(proposal, cast, votes, present):
    """The council's vote on 16/12/2022 (9 members, `present` of them; `votes`: nominee id →
    (for, against)), then the Director's approval."""
    step(services.record_vote, proposal, held_on=D(2022, 12, 16), members=9, present=present,
         votes=votes, user=cast.office, today=D(2022, 12, 16))
    step(services.approve, proposal, user=cast.director)


def test_the_whole_way_to_a_decision_and_its_revocation(cast, draft):
    good = [rated(cast.unit_a, full_name=f"Giáo viên {i}") for i in range(3)]
    for person in good:
        nominate(draft, LDTT, person, cast.head_a)
    to_notice(draft, cast)
    draft.refresh_from_db()
    assert (draft.stage, draft.notice_from, draft.notice_until) == (
        ProposalStage.NOTICE, D(2022, 12, 10), D(2022, 12, 14))
    services.comment(draft, text="Đồng ý", user=cast.staff)
    votes = {n.pk: (5, 2) for n in draft.nominees.all()}
    last = draft.nominees.get(staff=good[2])
    votes[last.pk] = (4, 3)  # 4 of 9 members: not more than half
    step(services.record_vote, draft, held_on=D(2022, 12, 16), members=9, present=7,
         votes=votes, user=cast.office, today=D(2022, 12, 16))
    assert list(draft.nominees.order_by("staff__full_name").values_list("passed", flat=True)) \
        == [True, True, False]
    step(services.approve, draft, user=cast.director)

    decision = services.issue_decision(
        award=award(LDTT), year=YEAR, number="1802/QĐ-SGDĐT", signed_on=D(2022, 12, 28),
        signer_name="Trần Văn Giám", signer_title="GIÁM ĐỐC", user=cast.office)

    held = Conferral.objects.standing().filter(award__code=LDTT, year=YEAR)
    assert set(held.values_list("staff", flat=True)) == {good[0].pk, good[1].pk}
    assert set(held.values_list("issued_by", flat=True)) == {decision.pk}
    assert not services.awaiting_decision(award(LDTT), YEAR).exists()

    services.revoke_decision(decision, reason="Hồ sơ kê khai không trung thực", user=cast.director)

    assert not Conferral.objects.standing().filter(award__code=LDTT, year=YEAR).exists()
    assert Conferral.objects.filter(issued_by=decision).count() == 2  # kept, marked revoked
    assert set(Conferral.objects.values_list("revoked_reason", flat=True)) == {
        "Hồ sơ kê khai không trung thực"}
    actions = list(AuditEntry.objects.order_by("id").values_list("action", flat=True))
    assert [a for a in actions if a.startswith(("proposal.", "decision."))] == [
        "proposal.attach", "proposal.attach", "proposal.submit", "proposal.accept",
        "proposal.publish", "proposal.comment",
        "proposal.vote", "proposal.votes", "proposal.approve", "decision.issue",
        "decision.revoke"]
    revoke = AuditEntry.objects.get(action="decision.revoke")
    assert revoke.actor == cast.director and len(revoke.before["conferrals"]) == 2


def test_a_nominee_who_fails_needs_a_justification(cast, draft):
    weak = rated(cast.unit_a, Rating.COMPLETED, full_name="Lê Văn Yếu")
    with pytest.raises(ValidationError) as refused:
        nominate(draft, LDTT, weak, cast.head_a)
    assert refused.value.message_dict["justification"] == [
        "Người được đề nghị chưa đáp ứng đủ điều kiện (Xếp loại 2022: Hoàn thành nhiệm vụ — cần "
        "từ Hoàn thành tốt nhiệm vụ trở lên). Hãy ghi rõ lý do vẫn đề nghị, hoặc bỏ khỏi danh "
        "sách."]
    assert not Nominee.objects.exists()

    nominee = nominate(draft, LDTT, weak, cast.head_a, justification="Cứu học sinh đuối nước")
    assert not nominee.eligible


def test_a_proposal_counts_for_the_next_title_on_the_same_list(cast, draft):
    star = rated(cast.unit_a, Rating.EXCELLENT, full_name="Âu Thị Ngọc Hân")
    idea = Initiative.objects.create(title="Số hóa học bạ", unit=cast.unit_a, year=YEAR,
                                     level=InitiativeLevel.GRASSROOTS, decision="1/QĐ",
                                     decided_on=D(2022, 6, 1))
    idea.authors.add(star)
    with pytest.raises(ValidationError):
        nominate(draft, CSTDCS, star, cast.head_a)  # not yet proposed for LĐTT
    nominate(draft, LDTT, star, cast.head_a)
    assert nominate(draft, CSTDCS, star, cast.head_a).eligible


def test_a_list_over_quota_cannot_be_sent_nor_voted(cast, draft):
    people = [rated(cast.unit_a, Rating.EXCELLENT, full_name=f"Người {i}") for i in range(3)]
    for person in people:
        idea = Initiative.objects.create(title=f"SK {person.pk}", unit=cast.unit_a, year=YEAR,
                                         level=InitiativeLevel.GRASSROOTS, decision="1/QĐ",
                                         decided_on=D(2022, 6, 1))
        idea.authors.add(person)
        nominate(draft, LDTT, person, cast.head_a)
    nominate(draft, CSTDCS, people[0], cast.head_a)  # 15 % of 3 LĐTT allows 0

    review = services.review_proposal(draft)
    assert [(q.count, q.allowed) for q in review.over_quota] == [(1, 0)]
    with pytest.raises(services.WorkflowError):
        step(services.submit, draft, user=cast.head_a, **LETTER)
    draft.refresh_from_db()
    assert draft.stage == ProposalStage.DRAFT


def test_over_quota_after_the_notice_still_cannot_go_to_the_vote(cast, draft):
    person = rated(cast.unit_a, Rating.EXCELLENT)
    nominate(draft, LDTT, person, cast.head_a)
    to_notice(draft, cast)
    # A CSTĐCS entered for a colleague after the notice (e.g. from another list) fills the quota.
    other = rated(cast.unit_a)
    Conferral.objects.create(award=award(CSTDCS), year=YEAR, staff=other, unit=cast.unit_a,
                             decision="x", decided_on=D(2022, 12, 1))
    with pytest.raises(services.WorkflowError) as refused:
        step(services.record_vote, draft, held_on=D(2022, 12, 16), members=9, present=9,
             votes={n.pk: (9, 0) for n in draft.nominees.all()}, user=cast.office,
             today=D(2022, 12, 16))
    assert refused.value.message.startswith("Danh sách vượt tỷ lệ (Chiến sĩ thi đua cơ sở: đề "
                                            "nghị 1, tỷ lệ cho phép 0)")


@pytest.mark.parametrize(("held_on", "today"), [
    (D(2022, 12, 14), D(2022, 12, 16)),  # meeting during the notice
    (D(2022, 12, 16), D(2022, 12, 14)),  # the notice has not ended
])
def test_the_vote_comes_after_the_notice(cast, draft, held_on, today):
    nominate(draft, LDTT, rated(cast.unit_a), cast.head_a)
    to_notice(draft, cast)
    with pytest.raises(services.WorkflowError):
        step(services.record_vote, draft, held_on=held_on, members=9, present=9,
             votes={n.pk: (9, 0) for n in draft.nominees.all()}, user=cast.office, today=today)


@pytest.mark.parametrize(("votes_for", "percent", "strict", "passed"), [
    (5, 50, True, True), (4, 50, True, False), (6, "66.67", False, True),
    (5, "66.67", False, False),
])
def test_the_vote_threshold_is_the_awards(cast, votes_for, percent, strict, passed):
    ldtt = award(LDTT)
    ldtt.vote_percent, ldtt.vote_strict = Decimal(percent), strict
    assert services.passes(ldtt, votes_for, 9) is passed


def test_votes_cannot_exceed_those_present(cast, draft):
    nominate(draft, LDTT, rated(cast.unit_a), cast.head_a)
    to_notice(draft, cast)
    with pytest.raises(services.WorkflowError):
        step(services.record_vote, draft, held_on=D(2022, 12, 16), members=9, present=5,
             votes={n.pk: (4, 2) for n in draft.nominees.all()}, user=cast.office,
             today=D(2022, 12, 16))
    assert Nominee.objects.filter(votes_for__isnull=False).count() == 0


def test_a_returned_list_goes_back_to_draft_with_the_note(cast, draft):
    nominate(draft, LDTT, rated(cast.unit_a), cast.head_a)
    send_list(draft, cast.head_a)
    step(services.send_back, draft, note="Thiếu tóm tắt thành tích", parts=["letter"],
         user=cast.union)
    draft.refresh_from_db()
    assert (draft.stage, draft.return_note, draft.return_parts) == (
        ProposalStage.DRAFT, "Thiếu tóm tắt thành tích", ["letter"])


def test_a_step_from_a_stale_page_is_refused(cast, draft):
    nominate(draft, LDTT, rated(cast.unit_a), cast.head_a)
    give_parts(draft, cast.head_a)
    draft.refresh_from_db()
    opened = draft.version
    services.submit(draft, version=opened, user=cast.head_a, **LETTER)
    with pytest.raises(StaleEdit):
        services.submit(draft, version=opened, user=cast.head_a, **LETTER)


def test_a_decision_number_is_unique(cast, draft):
    nominate(draft, LDTT, rated(cast.unit_a), cast.head_a)
    to_notice(draft, cast)
    vote_and_approve(draft, cast, {n.pk: (9, 0) for n in draft.nominees.all()}, present=9)
    Decision.objects.create(award=award(CSTDCS), year=YEAR, number="1802/QĐ-SGDĐT",
                            signed_on=D(2022, 12, 20), signer_name="A", signer_title="B",
                            created_by=cast.office)
    with pytest.raises(services.WorkflowError) as refused:
        services.issue_decision(award=award(LDTT), year=YEAR, number="1802/qđ-sgdđt",
                                signed_on=D(2022, 12, 28), signer_name="Trần Văn Giám",
                                signer_title="GIÁM ĐỐC", user=cast.office)
    assert "1802" in refused.value.message
    assert not Conferral.objects.exists()


# --- pages --------------------------------------------------------------------------------


class World:
    """A list of unit A at each interesting stage, and a decision naming unit A."""

    def __init__(self, cast):
        self.cast = cast
        self.draft = services.proposal_for(cast.unit_a, YEAR)
        self.person = rated(cast.unit_a)
        self.nominee = nominate(self.draft, LDTT, self.person, cast.head_a)
        # The draft's signed letter and minutes, uploaded by its head.
        give_parts(self.draft, cast.head_a)
        self.attachment = self.draft.attachments.get(part="letter")
        self.on_notice = services.proposal_for(cast.unit_b, YEAR)
        nominate(self.on_notice, LDTT, rated(cast.unit_b), cast.head_b)
        send_list(self.on_notice, cast.head_b)
        step(services.accept, self.on_notice, user=cast.office)
        step(services.publish, self.on_notice, days=5, user=cast.office)
        self.decision = Decision.objects.create(
            award=award(LDTT), year=2021, number="1/QĐ", signed_on=D(2021, 12, 20),
            signer_name="A", signer_title="GIÁM ĐỐC", created_by=cast.office)
        Conferral.objects.create(award=award(LDTT), year=2021, staff=self.person,
                                 unit=cast.unit_a, decision="1/QĐ", decided_on=D(2021, 12, 20),
                                 issued_by=self.decision)


MATRIX = [
    ("awards:proposals", lambda w: [], "get", expect(200)),
    ("awards:proposal_mine", lambda w: [], "get", expect(403, head_a=302, head_b=302)),
    ("awards:proposal", lambda w: [w.draft.pk], "get", expect(200, head_b=404, staff=404)),
    ("awards:proposal", lambda w: [w.on_notice.pk], "get", expect(200)),
    ("awards:nominee_add", lambda w: [w.draft.pk], "get",
     expect(403, head_a=200, head_b=404, staff=404, admin=200)),
    ("awards:nominee_edit", lambda w: [w.draft.pk, w.nominee.pk], "get",
     expect(403, head_a=200, head_b=404, staff=404, admin=200)),
    ("awards:nominee_remove", lambda w: [w.draft.pk, w.nominee.pk], "post",
     expect(403, head_a=302, head_b=404, staff=404, admin=302)),
    ("awards:proposal_summary", lambda w: [w.draft.pk], "post",
     expect(403, head_a=302, head_b=404, staff=404, admin=302)),
    # Without the letter's number and date: the page again, saying what to give.
    ("awards:proposal_step", lambda w: [w.draft.pk, "submit"], "post",
     expect(403, head_a=200, head_b=404, staff=404, admin=200)),
    ("awards:proposal_step", lambda w: [w.on_notice.pk, "accept"], "post",
     expect(403, office=302, union=302, admin=302)),
    ("awards:proposal_step", lambda w: [w.on_notice.pk, "approve"], "post",
     expect(403, director=302, admin=302)),
    # The list as a dossier: its head (or the Office) uploads, whoever reads it downloads a
    # file, readers of everything the whole ZIP.
    ("awards:proposal_upload", lambda w: [w.draft.pk], "post",
     expect(403, head_a=200, head_b=404, staff=404, office=200, admin=200)),
    ("awards:proposal_attachment", lambda w: [w.attachment.pk], "get",
     expect(200, head_b=404, staff=404)),
    ("awards:proposal_zip", lambda w: [w.draft.pk], "get",
     expect(200, head_a=403, head_b=404, staff=404)),
    ("awards:proposal_step", lambda w: [w.on_notice.pk, "recall"], "post",
     expect(403, head_b=200, admin=200)),
    # An empty comment: the page again, saying what to write.
    ("awards:proposal_comment", lambda w: [w.on_notice.pk], "post", expect(200)),
    ("awards:proposal_vote", lambda w: [w.on_notice.pk], "get",
     expect(403, office=200, union=200, admin=200)),
    ("awards:decisions", lambda w: [], "get", expect(200)),
    ("awards:decision_create", lambda w: [], "get",
     expect(403, director=200, office=200, admin=200)),
    ("awards:decision", lambda w: [w.decision.pk], "get", expect(200, head_b=404)),
    # No reason given: the page again, saying so beside the field.
    ("awards:decision_revoke", lambda w: [w.decision.pk], "post",
     expect(403, director=200, admin=200, head_b=404)),
    # Digital signing: whoever approves signs (no key file sent: the form again, saying so);
    # verifying a PDF is open to everyone signed in.
    ("awards:decision_sign", lambda w: [w.decision.pk], "get",
     expect(403, director=200, admin=200, head_b=404)),
    ("awards:decision_sign", lambda w: [w.decision.pk], "post",
     expect(403, director=200, admin=200, head_b=404)),
    ("awards:signature_verify", lambda w: [], "get", expect(200)),
    ("awards:signature_verify", lambda w: [], "post", expect(200)),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("name", "args", "method", "expected"), MATRIX,
                         ids=[f"{m[0]}-{i}" for i, m in enumerate(MATRIX)])
def test_role_gets_expected_status(cast, client_for, role, name, args, method, expected):
    world = World(cast)
    url = reverse(name, args=args(world))
    client = client_for(cast.users()[role])
    response = getattr(client, method)(url, {"year": YEAR} if method == "get" else {})
    assert response.status_code == expected[role]


def test_anonymous_is_sent_to_login(cast, client_for):
    world = World(cast)
    response = client_for(None).get(reverse("awards:proposal", args=[world.draft.pk]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_head_proposes_from_the_page_and_sees_the_warning(cast, client_for, draft):
    weak = rated(cast.unit_a, Rating.COMPLETED, full_name="Lê Văn Yếu")
    client = client_for(cast.head_a)
    url = reverse("awards:nominee_add", args=[draft.pk])
    data = {"award": award(LDTT).pk, "staff": weak.pk, "summary": "Nhiệt tình",
            "version": draft.version}

    page = client.post(url, data).content.decode()
    assert "cần từ Hoàn thành tốt nhiệm vụ trở lên" in page  # the failed condition is named
    assert not Nominee.objects.exists()

    response = client.post(url, {**data, "justification": "Thành tích đột xuất"})
    assert response.status_code == 302
    page = client.get(reverse("awards:proposal", args=[draft.pk])).content.decode()
    assert "Thành tích đột xuất" in page and "table-warning" in page


def test_a_comment_is_only_taken_during_the_notice(cast, client_for, draft):
    nominate(draft, LDTT, rated(cast.unit_a), cast.head_a)
    client_for(cast.staff).post(reverse("awards:proposal_comment", args=[draft.pk]),
                                {"text": "Sớm quá"})  # staff of the unit cannot even see it
    assert not NoticeComment.objects.exists()


def test_the_proposal_page_keeps_its_query_count(cast, client_for, draft):
    client = client_for(cast.office)
    url = reverse("awards:proposal", args=[draft.pk])

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    nominate(draft, LDTT, rated(cast.unit_a), cast.head_a)
    few = count()
    for _ in range(10):
        nominate(draft, LDTT, rated(cast.unit_a), cast.head_a)
    assert count() == few == QUERIES_PROPOSAL_PAGE


def test_the_lists_page_keeps_its_query_count(cast, client_for):
    client = client_for(cast.director)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("awards:proposals"), {"year": YEAR}).status_code == 200
        return len(queries)

    count()  # the first visit with ?year= remembers the year: a write, once
    nominate(services.proposal_for(cast.unit_a, YEAR), LDTT, rated(cast.unit_a), cast.head_a)
    few = count()
    nominate(services.proposal_for(cast.unit_b, YEAR), LDTT, rated(cast.unit_b), cast.head_b)
    assert count() == few == QUERIES_LISTS_PAGE


def test_nothing_is_half_saved_when_a_decision_fails(cast, draft, monkeypatch):
    nominate(draft, LDTT, rated(cast.unit_a), cast.head_a)
    to_notice(draft, cast)
    vote_and_approve(draft, cast, {n.pk: (9, 0) for n in draft.nominees.all()}, present=9)

    def broken(**kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(services, "record", broken)
    with pytest.raises(RuntimeError):
        services.issue_decision(award=award(LDTT), year=YEAR, number="9/QĐ",
                                signed_on=D(2022, 12, 28), signer_name="A", signer_title="B",
                                user=cast.office)
    assert not Decision.objects.exists() and not Conferral.objects.exists()
    assert Proposal.objects.get().nominees.filter(decision__isnull=False).count() == 0


def test_notice_comments_name_their_author_family_name_first(cast, client_for, draft):
    # The demo's accounts keep the given name as first_name: get_full_name() read
    # "Cúc Hồ Thị" where the list must say "Hồ Thị Cúc".
    cast.staff.first_name, cast.staff.last_name = "Cúc", "Hồ Thị"
    cast.staff.save(update_fields=["first_name", "last_name"])
    nominate(draft, LDTT, rated(cast.unit_a), cast.head_a)
    to_notice(draft, cast)
    services.comment(draft, text="Đồng ý với danh sách", user=cast.staff)

    page = client_for(cast.office).get(reverse("awards:proposal", args=[draft.pk]))

    assert "Hồ Thị Cúc" in page.content.decode()
    assert "Cúc Hồ Thị" not in page.content.decode()
