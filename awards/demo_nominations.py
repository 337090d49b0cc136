"""The 2022 commendation round for the demo: a list at every stage and one issued decision.

Used by `awards.demo.load` after the ratings and the history. Units' lists go through the same
services the pages use (so the audit trail shows each step), at back-dated days of December
2022, and stop at different stages:

- eight units (three schools with 2022 initiatives among them): approved by the director; their
  Lao động tiên tiến nominees are named in decision 1802/QĐ-SGDĐT of 30/12/2022; the Chiến sĩ
  thi đua cơ sở and Bằng khen nominees await their decisions (the Bằng khen goes to the
  province);
- two units voted (awaiting the director), two on notice with comments (the notice has ended:
  the council can vote), one reviewed, two submitted, two drafts (one returned by the Office);
- the other units have no list yet (see STOPS).

Each list proposes the people who meet Lao động tiên tiến, those who also meet Chiến sĩ thi đua
cơ sở within the unit's quota, one Bằng khen where someone meets it, and the unit itself for
the collective titles it meets. Those need the locked campaign class, so the director first
locks the 2022 scoring on 16/12/2022 (the scoring demo leaves the final appraisal open). One
teacher who does not meet every condition is proposed with a justification. With four to
seven people in the portal per unit, the 15 % quota rarely allows a Chiến sĩ thi đua cơ sở;
the province's list gets a Bằng khen for an outstanding achievement (with a justification).

A second run creates nothing when any 2022 list exists.
"""

import datetime
import zoneinfo

from django.contrib.auth import get_user_model

from campaigns.models import Campaign
from core.audit.trail import dated
from scoring import services as scoring_services
from scoring.models import Round, Scheme, Stage
from units.demo import DIRECTOR_USERNAME, OFFICE_USERNAME, UNION_USERNAME, head_of
from units.models import Unit

from . import services
from .demo_unit_dossier import give_parts
from .eligibility import review_unit
from .models import (
    Award,
    Decision,
    Nominee,
    NoticeComment,
    Proposal,
    ProposalEvent,
    ProposalStage,
)
from .unit_dossier import checklist

TZ = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
D = datetime.date
YEAR = 2022
LDTT, CSTDCS, BK = "lao-dong-tien-tien", "chien-si-thi-dua-co-so", "bang-khen-chu-tich-ubnd-tinh"

# Where each unit's list stops. Schools with 2022 initiatives are among the approved lists, so
# Chiến sĩ thi đua cơ sở and Bằng khen nominees await their decisions and the province.
STOPS = {
    "thpt-chuyen-quang-trung": ProposalStage.APPROVED, "thpt-hung-vuong": ProposalStage.APPROVED,
    "thpt-loc-ninh": ProposalStage.APPROVED, "van-phong": ProposalStage.APPROVED,
    "phong-tccb": ProposalStage.APPROVED, "phong-khtc": ProposalStage.APPROVED,
    "phong-gdtrh": ProposalStage.APPROVED, "thanh-tra": ProposalStage.APPROVED,
    "thpt-dong-xoai": ProposalStage.VOTED, "pt-dtnt-tinh": ProposalStage.VOTED,
    "thpt-phuoc-binh": ProposalStage.NOTICE, "thpt-chuyen-binh-long": ProposalStage.NOTICE,
    "thpt-nguyen-du": ProposalStage.REVIEWED,
    "thpt-chon-thanh": ProposalStage.SUBMITTED, "phong-ktqlcl": ProposalStage.SUBMITTED,
    "thpt-bu-dang": ProposalStage.DRAFT, "phong-gdmn-gdth": ProposalStage.DRAFT,
}
RETURNED = "phong-gdmn-gdth"
LOCKED = D(2022, 12, 16)  # the day after the final appraisal's deadline
SUBMITTED, REVIEWED, PUBLISHED = D(2022, 12, 19), D(2022, 12, 20), D(2022, 12, 21)
NOTICE_DAYS = 3  # 21/12 to 23/12
COMMENTED, VOTED, APPROVED = D(2022, 12, 22), D(2022, 12, 26), D(2022, 12, 27)
COUNCIL_MEMBERS, PRESENT = 11, 9
DECISION_NUMBER, DECISION_DAY = "1802/QĐ-SGDĐT", D(2022, 12, 30)
RETURN_NOTE = ("Bổ sung tóm tắt thành tích của tập thể và minh chứng sáng kiến của người đề "
               "nghị Chiến sĩ thi đua cơ sở.")
RETURN_PARTS = ("initiatives", "report")
JUSTIFICATION = ("Có thành tích đột xuất: tham gia cứu hộ học sinh trong đợt lũ tháng 10/2022 "
                 "(được UBND huyện tặng Giấy khen).")
PROVINCE_AUTHOR = ("thpt-chuyen-quang-trung", "Lương Đình Tú")
PROVINCE_JUSTIFICATION = ("Đồng tác giả sáng kiến được công nhận cấp tỉnh năm 2022, áp dụng "
                          "trong toàn tỉnh; đề nghị Chủ tịch UBND tỉnh tặng Bằng khen vì thành "
                          "tích xuất sắc đột xuất.")
COMMENTS = ["Thống nhất với danh sách đề nghị.",
            "Đề nghị làm rõ sáng kiến của người được đề nghị Chiến sĩ thi đua cơ sở."]


STEP_DAYS = {"submit": SUBMITTED, "return": SUBMITTED, "accept": REVIEWED, "publish": PUBLISHED,
             "vote": VOTED, "approve": APPROVED}


def _at(day, hour=9):
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=TZ)


def _summary(person, award) -> str:
    if award.code == LDTT:
        return (f"Hoàn thành tốt nhiệm vụ được giao năm {YEAR}; chấp hành tốt chủ trương, "
                "chính sách của Đảng, pháp luật của Nhà nước; tích cực tham gia phong trào thi "
                "đua cải cách hành chính.")
    if award.code == CSTDCS:
        return (f"Đạt danh hiệu Lao động tiên tiến năm {YEAR}, có sáng kiến được công nhận "
                "cấp cơ sở, áp dụng hiệu quả tại đơn vị.")
    return ("Hai năm liền đạt danh hiệu Chiến sĩ thi đua cơ sở, có sáng kiến áp dụng hiệu quả "
            "trong công tác chuyên môn.")


def _draft(unit, head, awards) -> Proposal:
    """A draft list: who meets LĐTT, then CSTĐCS within the list's quota, the Bằng khen, and
    the unit's collective titles, each checked as the page checks it."""
    proposal = services.proposal_for(unit, YEAR)
    review = review_unit(unit, YEAR)
    proposal.summary = (f"{unit.name} hoàn thành tốt các nhiệm vụ năm học 2021-2022, triển "
                        "khai đầy đủ kế hoạch thi đua nâng cao chỉ số cải cách hành chính.")
    proposal.save(update_fields=["summary"])
    column = {a.pk: i for i, a in enumerate(review.individual)}

    def meeting(code):
        return [p for p, verdicts in review.people if verdicts[column[awards[code].pk]].eligible]

    def propose(award, person, justification=""):
        proposal.refresh_from_db()
        services.save_nominee(proposal, nominee=Nominee(
            award=award, staff=person,
            summary=_summary(person, award) if person else proposal.summary,
            justification=justification), version=proposal.version, user=head)

    for person in meeting(LDTT):
        propose(awards[LDTT], person)
    missing = [p for p, verdicts in review.people
               if not verdicts[column[awards[LDTT].pk]].eligible]
    if unit.code == "thpt-hung-vuong" and missing:
        propose(awards[LDTT], missing[0], JUSTIFICATION)
    quota = next((q for q in services.review_proposal(proposal).quotas
                  if q.quota.award_id == awards[CSTDCS].pk), None)
    stars = meeting(CSTDCS)[:quota.allowed - quota.count if quota else 0]
    for person in stars:
        propose(awards[CSTDCS], person)
    # The Bằng khen needs this year's CSTĐCS: only someone proposed for it.
    for person in [p for p in meeting(BK) if p in stars][:1]:
        propose(awards[BK], person)
    if unit.code == PROVINCE_AUTHOR[0]:
        # A Bằng khen for an outstanding achievement, outside the usual conditions: the
        # province's list gets one name.
        author = next((p for p, _v in review.people if p.full_name == PROVINCE_AUTHOR[1]), None)
        if author is not None:
            propose(awards[BK], author, PROVINCE_JUSTIFICATION)
    for result in review.collective:
        if result.eligible and _still_meets(proposal, result.award):
            propose(result.award, None)
    return proposal


def _still_meets(proposal, award) -> bool:
    """A collective title checked against the list as proposed (TTLĐXS needs a member with
    CSTĐCS, which the quota may have kept off the list)."""
    trial = Nominee(proposal=proposal, award=award, summary=proposal.summary)
    others = list(proposal.nominees.select_related("award", "staff"))
    verdict = services.review_proposal(proposal, [*others, trial]).nominees[-1][1]
    return verdict is None or verdict.eligible


def _advance(proposal, stop, users):
    """Take a draft list through the steps up to `stop`, each on its day of December."""
    order = [s for s, _label in ProposalStage.choices]
    target = order.index(stop)

    def go(step, **kwargs):
        proposal.refresh_from_db()
        step(proposal, version=proposal.version, **kwargs)

    if target >= order.index(ProposalStage.SUBMITTED):
        # Sent as a unit sends it: with its parts (demo files) and its signed letter.
        give_parts(proposal, users["head"])
        go(services.submit, sent_on=SUBMITTED, number=f"{proposal.pk}/TTr", user=users["head"])
    if target >= order.index(ProposalStage.REVIEWED):
        go(services.accept, user=users["office"])
    if target >= order.index(ProposalStage.NOTICE):
        go(services.publish, days=NOTICE_DAYS, user=users["union"], today=PUBLISHED)
        for text in COMMENTS[:1 + proposal.pk % 2]:
            services.comment(proposal, text=text, user=users["union"])
    if target >= order.index(ProposalStage.VOTED):
        # The council turns down the one nominee with an ordinary justification.
        votes = {n.pk: (4, 5) if n.justification == JUSTIFICATION else (PRESENT - 1, 1)
                 for n in proposal.nominees.all()}
        go(services.record_vote, held_on=VOTED, members=COUNCIL_MEMBERS, present=PRESENT,
           votes=votes, user=users["office"], today=VOTED)
    if target >= order.index(ProposalStage.APPROVED):
        go(services.approve, user=users["director"])
    Proposal.objects.filter(pk=proposal.pk).update(
        submitted_at=_at(SUBMITTED) if target >= 1 else None,
        reviewed_at=_at(REVIEWED) if target >= 2 else None,
        approved_at=_at(APPROVED) if target >= 5 else None)


def _lock_scoring(director) -> None:
    """The director locks the 2022 results: collective titles read the campaign class."""
    scheme = Scheme.objects.filter(campaign__year=YEAR, stage=Stage.FINAL).first()
    if scheme is None:
        return
    with dated(_at(LOCKED, 16)):
        final = scoring_services.lock(scheme=scheme, user=director)
    Round.objects.filter(pk=final.pk).update(closed_at=_at(LOCKED, 16))


def _replay(users) -> tuple[int, Decision]:
    """Every unit's list to its stop, the returned list, and the decision on LĐTT."""
    awards = {a.code: a for a in Award.objects.all()}
    proposals = 0
    for unit in Unit.objects.filter(code__in=STOPS).order_by("order", "code"):
        head, stop = head_of(unit), STOPS[unit.code]
        if head is None:
            continue
        proposal = _draft(unit, head, awards)
        if not proposal.nominees.exists():
            proposal.delete()
            continue
        _advance(proposal, stop, {**users, "head": head})
        proposals += 1
    returned = Proposal.objects.filter(year=YEAR, unit__code=RETURNED).first()
    if returned:
        _return(returned, users["office"])
    campaign = Campaign.objects.filter(year=YEAR).first()
    decision = services.issue_decision(
        award=awards[LDTT], year=YEAR, number=DECISION_NUMBER, signed_on=DECISION_DAY,
        signer_name=campaign.signer_name if campaign else "", signer_title="GIÁM ĐỐC",
        user=users["office"])
    return proposals, decision


def load_nominations() -> dict:
    if Proposal.objects.filter(year=YEAR).exists():
        return {"proposals": 0, "decisions": 0}
    User = get_user_model()
    users = {"office": User.objects.get(username=OFFICE_USERNAME),
             "union": User.objects.get(username=UNION_USERNAME),
             "director": User.objects.get(username=DIRECTOR_USERNAME)}
    _lock_scoring(users["director"])
    # The audit lines of the round carry its December days, not today's.
    with dated(_at(APPROVED, 10)):
        proposals, decision = _replay(users)
    Decision.objects.filter(pk=decision.pk).update(created_at=_at(DECISION_DAY, 15))
    NoticeComment.objects.filter(proposal__year=YEAR).update(at=_at(COMMENTED, 10))
    # The lists' histories carry their December days, as their audit lines do.
    for step, day in STEP_DAYS.items():
        ProposalEvent.objects.filter(proposal__year=YEAR, step=step).update(at=_at(day, 10))
    return {"proposals": proposals, "decisions": 1}


def _return(proposal, office):
    """Send a draft in, and back with the Office's note."""
    head = head_of(proposal.unit)
    give_parts(proposal, head)
    proposal.refresh_from_db()
    services.submit(proposal, sent_on=SUBMITTED, number=f"{proposal.pk}/TTr",
                    version=proposal.version, user=head)
    proposal.refresh_from_db()
    # The note asks for the initiative's proof: the part ticked to fix.
    parts = [p.part for p in checklist(proposal).parts if p.part in RETURN_PARTS] or ["other"]
    services.send_back(proposal, note=RETURN_NOTE, parts=parts, version=proposal.version,
                       user=office)
