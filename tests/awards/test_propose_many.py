"""Proposing every suggested person at once, and steps offered only when they can be taken."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from awards import services
from awards.models import Nominee, NoticeComment, Proposal, ProposalStage, Rating
from units.models import AuditEntry, Initiative, InitiativeLevel

from ..factories import send_list
from .test_proposals import CSTDCS, LDTT, LETTER, YEAR, D, award, nominate, rated, step

# + 3: is the year's registration open (review, suggestions, box); + 3: the list as a dossier
# (its nominees, the uploads, the history; no nominee yet: no award's parts to ask for).
QUERIES_HEAD_PAGE = 30


@pytest.fixture
def draft(cast):
    return services.proposal_for(cast.unit_a, YEAR)


def _suggested(client, proposal):
    page = client.get(reverse("awards:proposal", args=[proposal.pk]))
    return page.context["many_form"]


def _post_all(client, proposal, form, code=LDTT, **changes):
    """The suggestions form as the page holds it, the rows of the award `code` left ticked
    (a head keeps Lao động tiên tiến for all, the Giấy khen for a few), with `changes`."""
    data = {"version": proposal.version}
    for suggestion, pick, summary in form.rows():
        if suggestion.award.code == code:
            data[pick.html_name] = "on"
        data[summary.html_name] = f"Thành tích của {pick.label}"
    data.update(changes)
    return client.post(reverse("awards:propose_many", args=[proposal.pk]), data)


def test_six_suggested_people_are_proposed_in_one_step(cast, client_for, draft):
    people = [rated(cast.unit_a, full_name=f"Giáo viên {i}") for i in range(6)]
    client = client_for(cast.head_a)
    form = _suggested(client, draft)
    assert {s.staff for s, _p, _s in form.rows() if s.award.code == LDTT} == set(people)
    assert all(pick.value() for _s, pick, _summary in form.rows())  # ticked by default

    response = _post_all(client, draft, form)

    assert response.status_code == 302
    nominees = Nominee.objects.filter(proposal=draft)
    assert {n.staff for n in nominees} == set(people)
    assert {n.award.code for n in nominees} == {LDTT}
    assert all(n.eligible and n.summary.startswith("Thành tích của") for n in nominees)
    # The same audit line per nominee as a single addition, and one version step.
    assert AuditEntry.objects.filter(action="nominee.create").count() == 6
    draft.refresh_from_db()
    assert draft.version == 2
    page = client.get(reverse("awards:proposal", args=[draft.pk]))
    assert "Đã thêm 6 đề nghị vào danh sách." in page.content.decode()
    left = {s.award.code for s, _p, _s in page.context["many_form"].rows()}
    assert LDTT not in left  # those proposed are no longer suggested


def test_unticked_people_are_left_out_and_an_added_one_can_be_removed(cast, client_for, draft):
    kept, left = rated(cast.unit_a, full_name="Người được chọn"), rated(cast.unit_a,
                                                                        full_name="Người bỏ ra")
    client = client_for(cast.head_a)
    form = _suggested(client, draft)
    unticked = next(pick.html_name for s, pick, _summary in form.rows() if s.staff == left)

    _post_all(client, draft, form, **{unticked: ""})

    nominee = Nominee.objects.get(proposal=draft)
    assert nominee.staff == kept
    draft.refresh_from_db()
    response = client.post(reverse("awards:nominee_remove", args=[draft.pk, nominee.pk]),
                           {"version": draft.version})
    assert response.status_code == 302 and not Nominee.objects.exists()


def test_each_one_is_checked_as_a_single_addition(cast, draft):
    """CSTĐCS needs LĐTT on the same list: alone it is refused and named; after its LĐTT it
    passes, exactly as when proposed one by one."""
    star = rated(cast.unit_a, Rating.EXCELLENT, full_name="Âu Thị Ngọc Hân")
    idea = Initiative.objects.create(title="Số hóa học bạ", unit=cast.unit_a, year=YEAR,
                                     level=InitiativeLevel.GRASSROOTS, decision="1/QĐ",
                                     decided_on=D(2022, 6, 1))
    idea.authors.add(star)
    other = rated(cast.unit_a, full_name="Bạch Văn Minh")

    done = step(services.propose_many, draft, user=cast.head_a, picks=[
        (award(CSTDCS), star, ""), (award(LDTT), other, "Dạy giỏi")])

    assert [n.staff for n in done.added] == [other]
    assert [(name, why[:20]) for name, _award, why in done.refused] == [
        ("Âu Thị Ngọc Hân", "Người được đề nghị c")]

    done = step(services.propose_many, draft, user=cast.head_a, picks=[
        (award(LDTT), star, ""), (award(CSTDCS), star, "")])
    assert len(done.added) == 2 and all(n.eligible for n in done.added)


def test_nothing_is_written_when_nobody_can_be_added(cast, draft):
    weak = rated(cast.unit_a, Rating.COMPLETED)
    with pytest.raises(services.WorkflowError):
        step(services.propose_many, draft, user=cast.head_a, picks=[(award(LDTT), weak, "")])
    draft.refresh_from_db()
    assert draft.version == 1 and not Nominee.objects.exists()


def test_a_stale_page_keeps_the_typed_achievements(cast, client_for, draft):
    rated(cast.unit_a, full_name="Giáo viên A")
    client = client_for(cast.head_a)
    form = _suggested(client, draft)
    summary = next(s.html_name for _x, _p, s in form.rows())
    step(services.save_summary, draft, summary="Đơn vị sửa thành tích chung", user=cast.head_a)

    response = _post_all(client, draft, form, **{summary: "Dạy giỏi cấp tỉnh"})

    assert response.status_code == 200
    html = response.content.decode()
    assert 'value="Dạy giỏi cấp tỉnh"' in html
    draft.refresh_from_db()
    assert f'name="version" value="{draft.version}"' in html
    assert not Nominee.objects.exists()


@pytest.mark.parametrize("people", [1, 8])
def test_the_heads_page_with_suggestions_keeps_its_query_count(cast, client_for, draft, people):
    for i in range(people):
        rated(cast.unit_a, full_name=f"Giáo viên {i}")
    client = client_for(cast.head_a)
    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("awards:proposal", args=[draft.pk]))
    assert len(page.context["many_form"].rows()) == 2 * people  # LĐTT and the Giấy khen
    assert len(queries) == QUERIES_HEAD_PAGE


# --- steps offered only when they can be taken ----------------------------------------------


def _on_notice(cast, draft, until):
    nominate(draft, LDTT, rated(cast.unit_a), cast.head_a)
    send_list(draft, cast.head_a)
    step(services.accept, draft, user=cast.office)
    step(services.publish, draft, days=5, user=cast.office)
    Proposal.objects.filter(pk=draft.pk).update(notice_until=until)
    draft.refresh_from_db()
    return draft


def test_the_vote_is_not_offered_during_the_notice(cast, client_for, draft):
    today = timezone.localdate()
    _on_notice(cast, draft, today + datetime.timedelta(days=2))
    client = client_for(cast.office)
    opens = (today + datetime.timedelta(days=3)).strftime("%d/%m/%Y")
    said = f"Có thể ghi kết quả biểu quyết từ ngày {opens}, khi hết thời gian niêm yết."

    page = client.get(reverse("awards:proposal", args=[draft.pk])).content.decode()
    vote = client.get(reverse("awards:proposal_vote", args=[draft.pk]))

    assert said in page and reverse("awards:proposal_vote", args=[draft.pk]) not in page
    assert said in vote.content.decode() and vote.context.get("form") is None


def test_the_vote_is_offered_once_the_notice_ends(cast, client_for, draft):
    _on_notice(cast, draft, timezone.localdate() - datetime.timedelta(days=1))
    client = client_for(cast.office)
    page = client.get(reverse("awards:proposal", args=[draft.pk])).content.decode()
    vote = client.get(reverse("awards:proposal_vote", args=[draft.pk]))
    assert reverse("awards:proposal_vote", args=[draft.pk]) in page
    assert "held_on" in vote.context["form"].fields


def test_sending_is_not_offered_until_every_achievement_is_written(cast, client_for, draft):
    nominate(draft, LDTT, rated(cast.unit_a, full_name="Giáo viên Chưa Ghi"), cast.head_a,
             summary="")
    page = client_for(cast.head_a).get(reverse("awards:proposal", args=[draft.pk]))
    html = page.content.decode()
    assert "Hãy ghi thành tích của Giáo viên Chưa Ghi" in html
    assert reverse("awards:proposal_step", args=[draft.pk, "submit"]) not in html
    with pytest.raises(services.WorkflowError):
        step(services.submit, draft, user=cast.head_a, **LETTER)


def test_a_refused_return_keeps_its_typing(cast, client_for, draft):
    nominate(draft, LDTT, rated(cast.unit_a), cast.head_a)
    send_list(draft, cast.head_a)
    draft.refresh_from_db()
    opened = draft.version
    step(services.accept, draft, user=cast.union)  # meanwhile, on another desk

    response = client_for(cast.office).post(
        reverse("awards:proposal_step", args=[draft.pk, "return"]),
        {"version": opened, "note": "Thiếu bản thành tích của cô Hân", "parts": ["report"]})

    assert response.status_code == 200
    assert "Thiếu bản thành tích của cô Hân" in response.content.decode()
    draft.refresh_from_db()
    assert draft.stage == ProposalStage.REVIEWED


# --- the same comment twice ----------------------------------------------------------------


def test_the_same_comment_posted_twice_is_stored_once(cast, client_for, draft):
    _on_notice(cast, draft, timezone.localdate() + datetime.timedelta(days=2))
    client = client_for(cast.staff)
    url = reverse("awards:proposal_comment", args=[draft.pk])
    data = {"text": "Đề nghị xem lại thành tích của cô Hân.", "nominee": ""}

    first, second = client.post(url, data), client.post(url, data)  # a double click, a resend

    assert first.status_code == second.status_code == 302
    assert NoticeComment.objects.count() == 1
    assert AuditEntry.objects.filter(action="proposal.comment").count() == 1
    # Another text, or the same one later, is a new comment.
    client.post(url, {**data, "text": "Ý kiến thứ hai."})
    NoticeComment.objects.update(at=timezone.now() - services.REPEAT_WINDOW)
    client.post(url, data)
    assert NoticeComment.objects.count() == 3
