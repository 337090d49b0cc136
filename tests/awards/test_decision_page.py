"""A registered decision's page: the table of those it awards reads as the annex does."""

import datetime
import html
import re

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from awards.models import Award, Decision

from .test_documents import collective_decision


def _cells(html: str) -> list[list[str]]:
    body = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return [[re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td>(.*?)</td>", row)]
            for row in re.findall(r"<tr>(.*?)</tr>", body, flags=re.S)]


def test_decision_page_for_collectives_lists_each_unit_without_a_position_column(
        cast, client_for):
    # A collective has no position: an empty "Chức vụ" column and "Tập thể" on every row took
    # half of a phone's width and wrapped the units' names (the annex shows No. and the unit).
    decision = collective_decision(cast, [cast.unit_a, cast.unit_b])
    response = client_for(cast.office).get(reverse("awards:decision", args=[decision.pk]))
    html = response.content.decode()
    assert f'<th scope="col">{gettext("Position")}</th>' not in html
    assert f'<th scope="col">{gettext("Collective")}</th>' in html
    assert _cells(html) == [["1", "Trường THPT Đồng Xoài"], ["2", "Trường THPT Hùng Vương"]]


def test_decision_form_confirmation_does_not_place_the_list_beside_the_form(cast, client_for):
    # On a phone "The decision will name" comes below the button, not beside it: the question
    # asked before issuing points at the list wherever the width puts it.
    from .test_proposals import LDTT, nominate, rated, services, to_notice, vote_and_approve

    proposal = services.proposal_for(cast.unit_a, 2022)
    for n in range(2):
        nominate(proposal, LDTT, rated(cast.unit_a, full_name=f"Giáo viên {n}"), cast.head_a)
    to_notice(proposal, cast)
    proposal.refresh_from_db()
    vote_and_approve(proposal, cast, {n.pk: (7, 0) for n in proposal.nominees.all()}, present=7)
    award = Award.objects.get(code=LDTT)

    response = client_for(cast.office).get(reverse("awards:decision_create"),
                                           {"award": award.pk, "year": 2022})

    confirm = html.unescape(re.search(r'data-confirm="([^"]*)"', response.content.decode())[1])
    assert confirm == gettext(
        "Register this decision on %(award)s %(year)s for the %(count)s nominee(s) listed on "
        "this page? Each enters the award history, which the conditions of later years read; "
        "a decision can then only be revoked, not changed.") % {
        "award": award.name, "year": 2022, "count": 2}


def test_decision_form_refuses_a_signing_date_after_today(cast, client_for):
    # The decision takes its number in the register of outgoing documents, which gives a number
    # on the day a document is signed, never ahead (a year typed wrong: 31/12/2062).
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)

    page = client_for(cast.office).post(reverse("awards:decision_create"), {
        "award": Award.objects.get(code="lao-dong-tien-tien").pk, "year": "2022",
        "signed_on": tomorrow.strftime("%d/%m/%Y"), "signer_name": "Trần Văn Giám",
        "signer_title": "GIÁM ĐỐC"})

    assert page.status_code == 200
    assert page.context["form"].errors["signed_on"] == [gettext(
        "The date is after today: a document is registered on the day it is signed or later.")]
    assert not Decision.objects.exists()
