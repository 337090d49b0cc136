"""A registered decision's page: the table of those it awards reads as the annex does."""

import datetime
import re

from django.urls import reverse
from django.utils.translation import gettext

from awards.models import Award, Conferral, Decision

SIGNED = datetime.date(2023, 1, 4)


def _cells(html: str) -> list[list[str]]:
    body = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return [[re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td>(.*?)</td>", row)]
            for row in re.findall(r"<tr>(.*?)</tr>", body, flags=re.S)]


def test_decision_page_for_collectives_lists_each_unit_without_a_position_column(
        cast, client_for):
    # A collective has no position: an empty "Chức vụ" column and "Tập thể" on every row took
    # half of a phone's width and wrapped the units' names (the annex shows No. and the unit).
    award = Award.objects.get(code="tap-the-lao-dong-tien-tien")
    decision = Decision.objects.create(award=award, year=2022, number="1900/QĐ-SGDĐT",
                                       signed_on=SIGNED, signer_name="Trần Văn Giám",
                                       signer_title="GIÁM ĐỐC", created_by=cast.office)
    for unit in (cast.unit_a, cast.unit_b):
        Conferral.objects.create(award=award, year=2022, unit=unit, decision=decision.number,
                                 decided_on=SIGNED, issued_by=decision)
    response = client_for(cast.office).get(reverse("awards:decision", args=[decision.pk]))
    html = response.content.decode()
    assert f'<th scope="col">{gettext("Position")}</th>' not in html
    assert f'<th scope="col">{gettext("Collective")}</th>' in html
    assert _cells(html) == [["1", "Trường THPT Đồng Xoài"], ["2", "Trường THPT Hùng Vương"]]
