"""The page that shows, before any list is drafted, who meets which award's conditions."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from awards.models import Rating, YearRating
from units.models import Initiative, InitiativeLevel

from ..factories import StaffMemberFactory
from ..helpers import ROLES, expect

URL = reverse("awards:eligibility")


def rated(unit, rating=Rating.GOOD, year=2022, **kwargs):
    person = StaffMemberFactory(unit=unit, **kwargs)
    YearRating.objects.create(staff=person, year=year, rating=rating)
    return person


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("unit", "expected"), [
    ("a", expect(200, head_b=404, staff=403)),
    ("b", expect(200, head_a=404, staff=404)),
])
def test_who_may_see_a_units_eligibility(cast, client_for, role, unit, expected):
    target = cast.unit_a if unit == "a" else cast.unit_b
    response = client_for(cast.users()[role]).get(URL, {"unit": target.pk, "year": 2022})
    assert response.status_code == expected[role]


def test_meeting_lao_dong_tien_tien_counts_for_chien_si_thi_dua_co_so(cast, client_for):
    teacher = rated(cast.unit_a, Rating.EXCELLENT, full_name="Âu Thị Ngọc Hân")
    idea = Initiative.objects.create(title="Số hóa học bạ", unit=cast.unit_a, year=2022,
                                     level=InitiativeLevel.GRASSROOTS, decision="215/QĐ-SGDĐT",
                                     decided_on=datetime.date(2022, 6, 15))
    idea.authors.add(teacher)
    late = rated(cast.unit_a, recruitment_date=datetime.date(2022, 9, 1), full_name="Bùi Văn Mới")

    response = client_for(cast.head_a).get(URL, {"year": 2022})

    review = response.context["review"]
    by_name = {person.full_name: {v.award.code: v.eligible for v in verdicts}
               for person, verdicts in review.people}
    assert by_name[teacher.full_name]["lao-dong-tien-tien"]
    assert by_name[teacher.full_name]["chien-si-thi-dua-co-so"]
    assert not by_name[late.full_name]["lao-dong-tien-tien"]  # 4 months by 31/12
    page = response.content.decode()
    assert "Tuyển dụng ngày 01/09/2022: 4 tháng tính đến 31/12/2022 — cần 10 tháng." in page


def test_the_page_keeps_its_query_count(cast, client_for):
    client = client_for(cast.office)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(URL, {"unit": cast.unit_a.pk, "year": 2022}).status_code == 200
        return len(queries)

    count()  # the first visit with ?year= remembers the year: a write, once
    rated(cast.unit_a)
    few = count()
    for _ in range(15):
        rated(cast.unit_a)
    assert count() == few
