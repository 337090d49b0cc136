"""The award history: search, what each role sees, likely duplicates, revocations shown."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from awards.models import Award, Conferral
from awards.views.history import likely_duplicates, name_key

from ..factories import StaffMemberFactory, UnitFactory
from ..helpers import ROLES

LDTT, CSTDCS = "lao-dong-tien-tien", "chien-si-thi-dua-co-so"


def confer(code, year, *, unit, staff=None, **extra):
    return Conferral.objects.create(award=Award.objects.get(code=code), year=year, staff=staff,
                                    unit=unit, decision=f"{100 + year}/QĐ-SGDĐT",
                                    decided_on=datetime.date(year, 12, 20), **extra)


@pytest.fixture
def history(cast):
    ha = StaffMemberFactory(unit=cast.unit_a, full_name="Nguyễn Thị Thu Hà")
    same = StaffMemberFactory(unit=cast.unit_b, full_name="Nguyen  Thi Thu Ha")
    other = StaffMemberFactory(unit=cast.unit_b, full_name="Trần Văn Bình")
    confer(LDTT, 2020, unit=cast.unit_a, staff=ha)
    confer(CSTDCS, 2021, unit=cast.unit_a, staff=ha)
    confer(LDTT, 2020, unit=cast.unit_b, staff=same)
    confer(LDTT, 2021, unit=cast.unit_b, staff=other, revoked_at=datetime.datetime(
        2022, 3, 1, tzinfo=datetime.UTC), revoked_reason="Kê khai không đúng thành tích")
    confer("tap-the-lao-dong-tien-tien", 2021, unit=cast.unit_b)
    return ha, same, other


@pytest.mark.parametrize("role", ROLES)
def test_everyone_signed_in_may_search_the_history(cast, client_for, history, role):
    client = client_for(cast.users()[role])
    units = {"head_a": {cast.unit_a}, "staff": {cast.unit_a}, "head_b": {cast.unit_b}}.get(
        role, {cast.unit_a, cast.unit_b})  # the others read every unit
    visible = {c for c in Conferral.objects.all() if c.unit in units}

    everything = client.get(reverse("awards:history"))
    searched = client.get(reverse("awards:history"), {"year": "2021"})

    assert everything.status_code == searched.status_code == 200
    assert set(everything.context["page"].object_list) == visible
    assert set(searched.context["page"].object_list) == {c for c in visible if c.year == 2021}
    assert 0 < len(searched.context["page"].object_list) < len(visible)


def test_a_unit_head_sees_only_their_units_awards(cast, client_for, history):
    rows = client_for(cast.head_a).get(reverse("awards:history")).context["page"].object_list
    assert {c.unit for c in rows} == {cast.unit_a}
    page = client_for(cast.head_a).get(reverse("awards:history")).content.decode()
    assert "Có thể là một người" not in page  # duplicates are for readers of every unit


def test_search_by_name_year_and_title(cast, client_for, history):
    client = client_for(cast.office)
    url = reverse("awards:history")
    by_name = client.get(url, {"q": "Thu Hà"}).context["page"].object_list
    assert {(c.staff.full_name, c.year) for c in by_name} == {("Nguyễn Thị Thu Hà", 2020),
                                                             ("Nguyễn Thị Thu Hà", 2021)}
    by_year_award = client.get(url, {"year": 2021, "award": Award.objects.get(code=LDTT).pk})
    assert [c.staff.full_name for c in by_year_award.context["page"].object_list] == [
        "Trần Văn Bình"]
    collective = client.get(url, {"q": "Đồng Xoài"}).context["page"].object_list
    assert [c.award.code for c in collective] == ["tap-the-lao-dong-tien-tien"]


def test_a_revoked_award_stays_in_the_history_with_its_reason(cast, client_for, history):
    page = client_for(cast.director).get(reverse("awards:history"), {"year": 2021}).content
    assert "Kê khai không đúng thành tích" in page.decode()


def test_names_differing_only_in_accents_are_flagged(cast, client_for, history):
    ha, same, _other = history
    assert name_key("Nguyễn  Thị Thu Hà") == name_key("nguyen thi thu ha") == "nguyen thi thu ha"
    assert name_key("Đỗ Văn Bình") == "do van binh"
    assert [sorted(p.pk for p in group) for group in likely_duplicates()] == [
        sorted([ha.pk, same.pk])]
    page = client_for(cast.office).get(reverse("awards:history")).content.decode()
    assert "Có thể là một người được nhập hai lần" in page
    assert "Nguyen  Thi Thu Ha" in page


def test_history_keeps_its_query_count(cast, client_for, history):
    client = client_for(cast.office)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("awards:history")).status_code == 200
        return len(queries)

    few = count()
    for _ in range(30):
        unit = UnitFactory(parent=cast.root)
        confer(LDTT, 2021, unit=unit, staff=StaffMemberFactory(unit=unit))
    assert count() == few


def test_search_ignores_the_case_of_every_letter(cast, client_for, history):
    # SQLite's LIKE folds ASCII letters only: "HÀ" did not find "Hà" there (units.collation).
    url = reverse("awards:history")
    found = client_for(cast.office).get(url, {"q": "THỊ THU HÀ"}).context["page"].object_list
    assert {(c.staff.full_name, c.year) for c in found} == {("Nguyễn Thị Thu Hà", 2020),
                                                           ("Nguyễn Thị Thu Hà", 2021)}
    units = client_for(cast.office).get(url, {"q": "đồng xoài"}).context["page"].object_list
    assert [c.award.code for c in units] == ["tap-the-lao-dong-tien-tien"]
