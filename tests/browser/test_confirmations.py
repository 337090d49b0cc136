"""In a real browser: every irreversible step asks first in the page's own dialog, saying what
will happen and to whom, and a fast double click on it still does it once.

Each case sets up the state the step needs with the services (quick), then takes the step as a
person would: opens the page, double-clicks the button, reads the question and goes ahead.
The step's audit line is then counted: one, never two.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from awards import services as award_services
from awards.demo_unit_dossier import give_parts
from awards.models import Award, Nominee, Proposal, Rating, YearRating
from campaigns import services as campaign_services
from scoring import services as scoring_services
from tasks.models import Task
from units.models import AuditEntry

from ..factories import PASSWORD, StaffMemberFactory, plan, send_list
from ..helpers import BROWSER, sign_in
from ..scoring.conftest import scored  # noqa: F401

pytestmark = BROWSER

YEAR = 2022
LDTT = "lao-dong-tien-tien"
FAR = datetime.date(2099, 1, 1)


def _person(cast, name="Âu Thị Ngọc Hân"):
    person = StaffMemberFactory(unit=cast.unit_a, full_name=name, position="Giáo viên",
                                recruitment_date=datetime.date(2015, 9, 1))
    YearRating.objects.create(staff=person, year=YEAR, rating=Rating.GOOD)
    return person


def _list(cast, *, until="draft"):
    """Unit A's 2022 list with one nominee, taken as far as the stage `until`."""
    proposal = award_services.proposal_for(cast.unit_a, YEAR)
    award_services.save_nominee(proposal, nominee=Nominee(
        award=Award.objects.get(code=LDTT), staff=_person(cast), summary="Dạy giỏi cấp tỉnh"),
        version=proposal.version, user=cast.head_a)
    # Its letter, minutes and signed report, so that it can be sent.
    give_parts(proposal, cast.head_a)
    stages = ["submitted", "reviewed", "notice", "voted", "approved"]
    steps = {
        "submitted": lambda p: send_list(p, cast.head_a),
        "reviewed": lambda p: award_services.accept(p, version=p.version, user=cast.office),
        "notice": lambda p: award_services.publish(p, days=3, version=p.version,
                                                   user=cast.office),
        "voted": lambda p: award_services.record_vote(
            p, held_on=timezone.localdate(), members=9, present=9,
            votes={n.pk: (9, 0) for n in p.nominees.all()}, version=p.version,
            user=cast.office),
        "approved": lambda p: award_services.approve(p, version=p.version, user=cast.director),
    }
    for stage in stages[:stages.index(until) + 1] if until != "draft" else []:
        if stage == "voted":  # the notice has ended before the council meets
            today = timezone.localdate()
            Proposal.objects.filter(pk=proposal.pk).update(
                notice_from=today - datetime.timedelta(days=4),
                notice_until=today - datetime.timedelta(days=1))
        proposal.refresh_from_db()
        steps[stage](proposal)
    proposal.refresh_from_db()
    return proposal


def _proposal_url(proposal):
    return reverse("awards:proposal", args=[proposal.pk])


@dataclass
class Step:
    user: str
    button: str
    said: tuple  # words the question must contain: what happens, and to whom
    action: str  # the audit line the step writes
    prepare: Callable  # (cast, scored) → the page's URL
    fill: Callable = lambda page: None
    ok: str | None = None  # the dialog's go-ahead button, when it names the step


def _launched(cast):
    campaign = plan(units=[cast.unit_a, cast.unit_b])
    campaign_services.launch(campaign=campaign, user=cast.office)
    return campaign


def _fill_vote(page):
    page.locator("#id_held_on").fill(timezone.localdate().strftime("%d/%m/%Y"))
    page.locator("#id_members").fill("9")
    page.locator("#id_present").fill("9")
    for box in page.locator("input[name^=for_]").all():
        box.fill("9")
    for box in page.locator("input[name^=against_]").all():
        box.fill("0")


def _to_final(cast, scored):  # noqa: F811
    scoring_services.open_first_round(scheme=scored.scheme, deadline=FAR, user=cast.office)
    for _ in range(3):
        scoring_services.advance(scheme=scored.scheme, deadline=FAR, user=cast.office)
    return reverse("scoring:overview", args=[scored.campaign.pk])


STEPS = {
    "launch a campaign": Step(
        "vanphong", "Phát động phong trào", ("Phát động kế hoạch", "2 đơn vị"), "campaign.launch",
        lambda cast, s: plan(units=[cast.unit_a, cast.unit_b]).get_absolute_url(),
        ok="Phát động"),
    "close a campaign": Step(
        "vanphong", "Kết thúc phong trào", ("Kết thúc phong trào", "mọi đơn vị"),
        "campaign.close", lambda cast, s: _launched(cast).get_absolute_url(),
        ok="Kết thúc phong trào"),
    "copy a campaign": Step(
        "vanphong", "Tạo dự thảo", ("Tạo dự thảo kế hoạch",), "campaign.copy",
        lambda cast, s: reverse("campaigns:copy", args=[_launched(cast).pk]),
        fill=lambda page: page.locator("#id_number").fill("99")),
    "confirm dissemination": Step(
        "head_a", "Xác nhận", ("Trường THPT Hùng Vương", "đã phổ biến"), "dissemination.confirm",
        lambda cast, s: reverse("campaigns:confirm", args=[
            _launched(cast).disseminations.get(unit=cast.unit_a).pk]),
        fill=lambda page: (page.locator("#id_disseminated_on").fill(
            timezone.localdate().strftime("%d/%m/%Y")),
            page.locator("#id_staff_reached").fill("55"))),
    "assign a task": Step(
        "vanphong", "Giao nhiệm vụ", ("Giao nhiệm vụ “Số hóa hồ sơ”", "không gỡ được"),
        "task.assign",
        lambda cast, s: reverse("tasks:assign", args=[Task.objects.create(
            item=_launched(cast).items.first(), title="Số hóa hồ sơ",
            deadline=datetime.date(2022, 12, 31)).pk]),
        fill=lambda page: page.locator("input[name=units]").first.check()),
    "open the self-assessment": Step(
        "vanphong", "Mở vòng tự đánh giá", ("Mở vòng tự đánh giá của kế hoạch",),
        "scoring.round_open", lambda cast, s: reverse("scoring:overview", args=[s.campaign.pk]),
        fill=lambda page: page.locator("#id_deadline").fill("31/12/2099")),
    "close a round": Step(
        "vanphong", "Đóng vòng và mở vòng thẩm định", ("Đóng vòng “Tự đánh giá”", "“Thẩm định”"),
        "scoring.round_open",
        lambda cast, s: (scoring_services.open_first_round(scheme=s.scheme, deadline=FAR,
                                                           user=cast.office),
                         reverse("scoring:overview", args=[s.campaign.pk]))[1],
        fill=lambda page: page.locator("#id_deadline").fill("31/12/2099")),
    "lock the results": Step(
        "giamdoc", "Chốt điểm", ("Chốt kết quả cuối cùng", "2 đơn vị"), "scoring.lock",
        _to_final, ok="Chốt điểm"),
    "confirm a self-assessment": Step(
        "head_a", "Xác nhận kết quả tự đánh giá", ("Trường THPT Hùng Vương",),
        "scoring.sheet_confirm",
        lambda cast, s: (scoring_services.open_first_round(scheme=s.scheme, deadline=FAR,
                                                           user=cast.office),
                         s.scheme.rounds.get().scores.filter(unit=cast.unit_a,
                                                             criterion=s.c4).update(
                             points=15, note="Có biên bản sinh hoạt chuyên môn."),
                         reverse("scoring:sheet", args=[s.campaign.pk, cast.unit_a.pk]))[2]),
    "send a list": Step(
        "head_a", "Gửi danh sách về Văn phòng",
        ("Gửi danh sách đề nghị khen thưởng năm 2022 của Trường THPT Hùng Vương",
         "Sau khi gửi không sửa được"), "proposal.submit",
        lambda cast, s: _proposal_url(_list(cast)), ok="Gửi",
        fill=lambda page: (page.locator("#id_number").fill("15/TTr-THPTHV"),
                           page.locator("#id_sent_on").fill(
                               timezone.localdate().strftime("%d/%m/%Y")))),
    "remove a nominee": Step(
        "head_a", "Xóa", ("Bỏ Âu Thị Ngọc Hân",), "nominee.remove",
        lambda cast, s: _proposal_url(_list(cast))),
    "accept a list": Step(
        "vanphong", "Hồ sơ đầy đủ: tiếp nhận", ("Tiếp nhận danh sách", "Trường THPT Hùng Vương"),
        "proposal.accept", lambda cast, s: _proposal_url(_list(cast, until="submitted"))),
    "return a list": Step(
        "vanphong", "Trả lại cho đơn vị", ("Trả danh sách", "về Trường THPT Hùng Vương"),
        "proposal.return", lambda cast, s: _proposal_url(_list(cast, until="submitted")),
        fill=lambda page: (page.locator("#id_note").fill("Thiếu bản thành tích."),
                           page.locator("input[name=parts]").first.check())),
    "put a list on notice": Step(
        "vanphong", "Công khai danh sách", ("Công khai danh sách", "không trả danh sách"),
        "proposal.publish", lambda cast, s: _proposal_url(_list(cast, until="reviewed"))),
    "comment on a notice": Step(
        "canbo", "Gửi ý kiến", ("Gửi ý kiến về danh sách của Trường THPT Hùng Vương",
                                "không sửa, xóa được"), "proposal.comment",
        lambda cast, s: _proposal_url(_list(cast, until="notice")),
        fill=lambda page: page.locator("#id_text").fill("Đồng ý với danh sách.")),
    "record the vote": Step(
        "vanphong", "Ghi kết quả bỏ phiếu", ("Ghi kết quả biểu quyết", "Trường THPT Hùng Vương"),
        "proposal.vote",
        lambda cast, s: (Proposal.objects.filter(pk=_list(cast, until="notice").pk).update(
            notice_until=timezone.localdate() - datetime.timedelta(days=1)),
            reverse("awards:proposal_vote", args=[Proposal.objects.get().pk]))[1],
        fill=_fill_vote),
    "approve a list": Step(
        "giamdoc", "Phê duyệt danh sách", ("Phê duyệt danh sách", "Trường THPT Hùng Vương"),
        "proposal.approve", lambda cast, s: _proposal_url(_list(cast, until="voted")),
        ok="Phê duyệt"),
    "register a decision": Step(
        "vanphong", "Ban hành quyết định", ("Lao động tiên tiến năm 2022", "1 người"),
        "decision.issue",
        lambda cast, s: (_list(cast, until="approved"),
                         reverse("awards:decision_create")
                         + f"?award={Award.objects.get(code=LDTT).pk}&year={YEAR}")[1],
        fill=lambda page: (page.locator("#id_number").fill("1802/QĐ-SGDĐT"),
                           page.locator("#id_signed_on").fill("28/12/2022"),
                           page.locator("#id_signer_name").fill("Trần Văn Giám"))),
    "revoke a decision": Step(
        "giamdoc", "Thu hồi", ("Thu hồi quyết định 1802/QĐ-SGDĐT", "1 danh hiệu"),
        "decision.revoke",
        lambda cast, s: (_list(cast, until="approved"), reverse("awards:decision", args=[
            award_services.issue_decision(
                award=Award.objects.get(code=LDTT), year=YEAR, number="1802/QĐ-SGDĐT",
                signed_on=datetime.date(2022, 12, 28), signer_name="Trần Văn Giám",
                signer_title="GIÁM ĐỐC", user=cast.office).pk]))[1],
        fill=lambda page: page.locator("#id_reason").fill("Kê khai không trung thực.")),
}
USERS = {"vanphong": "office", "giamdoc": "director", "head_a": "head_a", "canbo": "staff"}


@pytest.mark.parametrize("name", list(STEPS))
def test_each_irreversible_step_asks_first_and_a_double_click_does_it_once(
        name, page, live_server, cast, scored, screenshot):  # noqa: F811
    case = STEPS[name]
    url = case.prepare(cast, scored)
    before = AuditEntry.objects.filter(action=case.action).count()
    sign_in(page, live_server.url, cast.users()[USERS[case.user]].username, PASSWORD)
    page.goto(live_server.url + url)
    case.fill(page)

    # An impatient double click on the step, then another on the dialog's go-ahead button.
    page.get_by_role("button", name=case.button, exact=True).dblclick()
    dialog = page.locator("#confirm-dialog")
    expect(dialog).to_be_visible()
    question = dialog.locator(".js-confirm-text").inner_text()
    for words in case.said:
        assert words in question, question
    if case.ok:
        expect(dialog.locator(".js-confirm-ok")).to_have_text(case.ok)
    if name == "send a list":
        screenshot("awards-confirm-send-list")
    dialog.locator(".js-confirm-ok").dblclick()

    expect(page.locator(".alert-success[role=alert]")).to_be_visible()
    assert AuditEntry.objects.filter(action=case.action).count() == before + 1


def test_cancelling_the_question_does_nothing(page, live_server, cast):
    proposal = _list(cast)
    sign_in(page, live_server.url, "head_a", PASSWORD)
    page.goto(live_server.url + _proposal_url(proposal))
    page.get_by_role("button", name="Gửi danh sách về Văn phòng").click()
    dialog = page.locator("#confirm-dialog")
    expect(dialog).to_be_visible()
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    proposal.refresh_from_db()
    assert proposal.stage == "draft"
    assert not AuditEntry.objects.filter(action="proposal.submit").exists()
