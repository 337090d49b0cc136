import pytest
from django.urls import reverse

from units.models import Unit

from ..factories import UnitFactory


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
