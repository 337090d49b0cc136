import pytest
from django.urls import reverse

from units.models import Unit

from ..factories import StaffMemberFactory, UnitFactory


def test_unit_page_lists_staff_with_dates(cast, client_for):
    html = client_for(cast.office).get(reverse("units:detail", args=[cast.unit_a.pk])).content
    html = html.decode()
    assert "Ngô Thị Ánh" in html
    assert "01/09/2015" in html  # dd/mm/yyyy


def test_unit_list_groups_by_kind_in_vietnamese(cast, client_for):
    html = client_for(cast.staff).get(reverse("units:list")).content.decode()
    assert "Trường học" in html
    assert "Văn phòng Sở" in html


@pytest.mark.django_db
def test_names_sort_in_vietnamese_order():
    # On both databases: SQLite has the portal's collation, PostgreSQL ICU's (units.collation).
    for name in ["Zoe", "Ánh", "Bình", "Đức", "Dũng", "Ân", "An"]:
        UnitFactory(name=name, order=0)

    names = list(Unit.objects.values_list("name", flat=True))

    assert names == ["An", "Ánh", "Ân", "Bình", "Dũng", "Đức", "Zoe"]


def _detail_queries(cast, client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("units:detail", args=[cast.unit_a.pk]))
    return len(queries), response.content.decode()


def test_unit_page_counts_the_staff_lists_accounts_and_links_the_list_at_any_size(
        cast, client_for):
    client = client_for(cast.office)
    client.get(reverse("units:detail", args=[cast.unit_a.pk]))  # the session's first queries
    few, _html = _detail_queries(cast, client)
    StaffMemberFactory.create_batch(120, unit=cast.unit_a, full_name="Lương Văn Tám")

    many, html = _detail_queries(cast, client)

    assert many == few
    assert "122 người đã có hồ sơ trên cổng thông tin" in html
    assert "Lương Văn Tám" not in html  # no account: in the staff list, not here
    assert "Ngô Thị Ánh" in html and "Hồ Thị Cúc" in html
    assert reverse("units:staff", args=[cast.unit_a.pk]) in html


def test_imported_staff_list_heads_then_deputies_by_position_before_the_others(db):
    # Imported people have no portal role yet; the head's account is made from this list.
    unit = UnitFactory()
    for name, position in [("An Văn Giáo", "Giáo viên"), ("Bùi Thị Phó", "Phó Hiệu trưởng"),
                           ("Cao Văn Tổ", "Tổ trưởng chuyên môn"),
                           ("Đào Thị Hiệu", "Hiệu trưởng")]:
        StaffMemberFactory(unit=unit, full_name=name, position=position)

    order = [person.position for person in unit.staff.active().leaders_first()]

    assert order[:2] == ["Hiệu trưởng", "Phó Hiệu trưởng"]
    assert set(order[2:]) == {"Giáo viên", "Tổ trưởng chuyên môn"}
