"""In a real browser: a unit head proposes six eligible colleagues in one step, and the Office
is told when the council's vote can be recorded instead of being offered it too early."""

import datetime
import time

from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from awards import services
from awards.models import Nominee, Proposal, Rating, YearRating
from units.models import AuditEntry

from ..factories import PASSWORD, StaffMemberFactory, send_list
from ..helpers import BROWSER, confirm_in_page, sign_in

pytestmark = BROWSER

YEAR = 2022
NAMES = ["Âu Thị Ngọc Hân", "Bạch Văn Minh", "Cao Thị Lan", "Đặng Xuân Bình", "Hồ Văn Tài",
         "Lý Thị Thu"]


def _rated(cast, name):
    person = StaffMemberFactory(unit=cast.unit_a, full_name=name, position="Giáo viên",
                                recruitment_date=datetime.date(2015, 9, 1))
    YearRating.objects.create(staff=person, year=YEAR, rating=Rating.GOOD)
    return person


def test_six_eligible_colleagues_are_proposed_in_one_step(page, live_server, cast, screenshot):
    people = [_rated(cast, name) for name in NAMES]
    proposal = services.proposal_for(cast.unit_a, YEAR)
    sign_in(page, live_server.url, "head_a", PASSWORD)
    page.goto(live_server.url + reverse("awards:proposal", args=[proposal.pk]))
    section = page.locator("#suggestions")
    rows = section.locator("tbody tr:has(input[type=checkbox])")
    expect(rows).to_have_count(12)  # each one meets Lao động tiên tiến and the Giấy khen
    screenshot("awards-propose-all")

    started = time.monotonic()
    loads = []
    page.on("load", lambda _page: loads.append(time.monotonic()))
    # The head keeps Lao động tiên tiến for all six and the Giấy khen for none.
    for row in rows.all():
        box = row.locator("input[type=checkbox]")
        if box.get_attribute("name").startswith(f"pick_{_ldtt()}_"):
            row.locator("input[type=text]").fill("Hoàn thành tốt nhiệm vụ năm học 2021–2022.")
        else:
            box.uncheck()
    page.get_by_role("button", name="Đề nghị tất cả người đã đánh dấu").click()
    question = confirm_in_page(page, "Đề nghị")
    expect(page.locator(".alert-success[role=alert]")).to_contain_text(
        "Đã thêm 6 đề nghị vào danh sách.")
    took = time.monotonic() - started

    assert "danh sách đề nghị khen thưởng năm 2022 của Trường THPT Hùng Vương" in question
    nominees = Nominee.objects.filter(proposal=proposal)
    assert {n.staff for n in nominees} == set(people)
    assert {n.award.code for n in nominees} == {"lao-dong-tien-tien"}
    assert AuditEntry.objects.filter(action="nominee.create").count() == 6
    assert len(loads) == 1  # one page load after the step (the redirect), not twelve
    assert took < 30, took
    print(f"six nominees in one step: {took:.1f} s, {len(loads)} page load")
    # Each one stays removable on its own.
    expect(page.get_by_role("button", name="Xóa")).to_have_count(6)
    screenshot("awards-propose-all-done")


def test_the_vote_is_not_offered_during_the_notice(page, live_server, cast, screenshot):
    person = _rated(cast, NAMES[0])
    proposal = services.proposal_for(cast.unit_a, YEAR)
    services.save_nominee(proposal, nominee=Nominee(award_id=_ldtt(), staff=person,
                                                    summary="Dạy giỏi"),
                          version=proposal.version, user=cast.head_a)
    for act in (lambda p: send_list(p, cast.head_a),
                lambda p: services.accept(p, version=p.version, user=cast.office),
                lambda p: services.publish(p, days=5, version=p.version, user=cast.office)):
        proposal.refresh_from_db()
        act(proposal)
    proposal.refresh_from_db()
    opens = (proposal.notice_until + datetime.timedelta(days=1)).strftime("%d/%m/%Y")

    sign_in(page, live_server.url, "vanphong", PASSWORD)
    page.goto(live_server.url + reverse("awards:proposal", args=[proposal.pk]))

    said = f"Có thể ghi kết quả biểu quyết từ ngày {opens}, khi hết thời gian niêm yết."
    expect(page.locator("#why-not-vote")).to_have_text(said)
    expect(page.get_by_role("link", name="Ghi kết quả bỏ phiếu của Hội đồng")).to_have_count(0)
    page.locator("#why-not-vote").scroll_into_view_if_needed()
    screenshot("awards-vote-during-notice")
    # Typed straight into the address bar: the same sentence, and no form to fill in vain.
    page.goto(live_server.url + reverse("awards:proposal_vote", args=[proposal.pk]))
    expect(page.locator("#why-not-vote")).to_have_text(said)
    expect(page.locator("#id_members")).to_have_count(0)

    Proposal.objects.filter(pk=proposal.pk).update(
        notice_until=timezone.localdate() - datetime.timedelta(days=1))
    page.goto(live_server.url + reverse("awards:proposal", args=[proposal.pk]))
    expect(page.get_by_role("link", name="Ghi kết quả bỏ phiếu của Hội đồng")).to_be_visible()


def _ldtt():
    from awards.models import Award

    return Award.objects.get(code="lao-dong-tien-tien").pk
