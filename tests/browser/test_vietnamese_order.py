"""In a real browser, on SQLite and on PostgreSQL alike: the Office's staff list and the award
history list people in Vietnamese order — by given name, then family and middle names, with
Vietnamese letters (a < ă < â, d < đ, o < ô < ơ) and tones — not by character code, which put
"Đào Minh Duy" after "Võ Thanh Tú"."""

import datetime

from django.urls import reverse

from awards.models import Award, Conferral
from units.models import Role

from ..factories import PASSWORD, StaffMemberFactory
from ..helpers import BROWSER, sign_in

pytestmark = BROWSER

# The names and a few more, in the order they are created (not the expected one).
OFFICE_STAFF = ["Võ Thanh Tú", "Đào Minh Duy", "Đặng Xuân Bình", "Nguyễn Văn Bảo",
                "Nguyễn Đức Khoa", "Ôn Văn Lực", "Phạm Văn Nam", "Trần Thị Ánh", "Lý Văn An",
                "Hồ Thị Ân", "Nguyễn Thị Ánh", "Vũ Thị Hà", "Đỗ Thị Hà"]
# The head first, then everyone by given name (An < Ánh < Ân < Bảo < Bình < Duy < Hà …); equal
# given names by family and middle names (Nguyễn < Trần, Đỗ < Vũ). The cast's "Quản Trị" and
# "Lê Thị Vân" work in the Office too.
OFFICE_LIST = ["Trương Văn Xuân", "Lý Văn An", "Nguyễn Thị Ánh", "Trần Thị Ánh", "Hồ Thị Ân",
               "Nguyễn Văn Bảo", "Đặng Xuân Bình", "Đào Minh Duy", "Đỗ Thị Hà", "Vũ Thị Hà",
               "Nguyễn Đức Khoa", "Ôn Văn Lực", "Phạm Văn Nam", "Quản Trị", "Võ Thanh Tú",
               "Lê Thị Vân"]

HONOURED = ["Phạm Văn Nam", "Nguyễn Văn Bảo", "Ôn Văn Lực", "Nguyễn Đức Khoa", "Võ Thanh Tú",
            "Đào Minh Duy", "Đặng Xuân Bình"]
HISTORY_LIST = ["Nguyễn Văn Bảo", "Đặng Xuân Bình", "Đào Minh Duy", "Nguyễn Đức Khoa",
                "Ôn Văn Lực", "Phạm Văn Nam", "Võ Thanh Tú"]


def names_in_page_order(page, names):
    """`names` in the order the page shows them (each must appear exactly once)."""
    text = page.locator("main").inner_text()
    for name in names:
        assert text.count(name) == 1, name
    return sorted(names, key=text.index)


def test_office_staff_list_is_in_vietnamese_order(page, live_server, cast, screenshot):
    for name in OFFICE_STAFF:
        StaffMemberFactory(unit=cast.office_unit, full_name=name)
    StaffMemberFactory(unit=cast.office_unit, full_name="Trương Văn Xuân", role=Role.UNIT_HEAD,
                       position="Chánh Văn phòng")

    sign_in(page, live_server.url, "vanphong", PASSWORD)
    page.goto(live_server.url + reverse("units:staff", args=[cast.office_unit.pk]))
    screenshot("vietnamese-order-office-staff")

    assert names_in_page_order(page, OFFICE_LIST) == OFFICE_LIST


def test_award_history_is_in_vietnamese_order(page, live_server, cast, screenshot):
    award = Award.objects.get(code="lao-dong-tien-tien")
    for name in HONOURED:
        person = StaffMemberFactory(unit=cast.unit_a, full_name=name, position="Giáo viên")
        Conferral.objects.create(award=award, year=2022, staff=person, unit=cast.unit_a,
                                 decision="1802/QĐ-SGDĐT", decided_on=datetime.date(2022, 12, 28))

    sign_in(page, live_server.url, "vanphong", PASSWORD)
    page.goto(live_server.url + reverse("awards:history") + "?year=2022")
    screenshot("vietnamese-order-award-history")

    assert names_in_page_order(page, HISTORY_LIST) == HISTORY_LIST
