"""A year's emulation registrations as Excel: every unit's for the Office, one unit's for its
head; opened back with openpyxl."""

import datetime
from io import BytesIO

import pytest
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from awards import registration_services as services
from awards.models import Award, UnitRegistration
from awards.registration_exports import write_registrations
from units.models import Unit

from ..export_jobs import workbook_cells
from ..factories import StaffMemberFactory
from ..helpers import READERS, ROLES, expect
from . import registration_export_before

YEAR = 2025
LDTT, CSTDCS = "lao-dong-tien-tien", "chien-si-thi-dua-co-so"
TTLDTT, TTLDXS = "tap-the-lao-dong-tien-tien", "tap-the-lao-dong-xuat-sac"


def award(code):
    return Award.objects.get(code=code)


def _version(unit):
    found = UnitRegistration.objects.filter(unit=unit, year=YEAR).first()
    return found.version if found else 1


@pytest.fixture
def registered(cast):
    """Unit A registered and accepted (two people), unit B sent then returned (one person)."""
    window = services.open_window(year=YEAR, deadline=datetime.date(YEAR, 1, 31),
                                  user=cast.office)
    an = StaffMemberFactory(unit=cast.unit_a, full_name="Trần Thị An")
    binh = StaffMemberFactory(unit=cast.unit_a, full_name="Lê Văn Bình")
    chi = StaffMemberFactory(unit=cast.unit_b, full_name="Phạm Thị Chi")
    for unit, head, titles, title in (
            (cast.unit_a, cast.head_a, {an.pk: award(CSTDCS), binh.pk: award(LDTT)}, TTLDXS),
            (cast.unit_b, cast.head_b, {chi.pk: award(LDTT)}, TTLDTT)):
        services.save_registration(unit=unit, window=window, user=head,
                                   expected_version=_version(unit), titles=titles,
                                   award=award(title))
        services.send(unit=unit, window=window, user=head, expected_version=_version(unit),
                      today=datetime.date(YEAR, 1, 20))
    services.accept(unit=cast.unit_a, window=window, user=cast.office,
                    expected_version=_version(cast.unit_a))
    services.return_registration(unit=cast.unit_b, window=window, user=cast.office,
                                 expected_version=_version(cast.unit_b),
                                 reason="Thiếu danh hiệu của 2 người")
    return an, binh, chi


def _sheets(response):
    """The rows of each sheet of the downloaded workbook."""
    book = load_workbook(BytesIO(b"".join(response.streaming_content)))
    return [[list(row) for row in sheet.iter_rows(values_only=True)] for sheet in book]


def test_office_export_lists_every_unit_and_person(cast, client_for, registered):
    response = client_for(cast.office).get(reverse("awards:registration_export"),
                                           {"year": YEAR})
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('dang-ky-thi-dua-2025.xlsx"')
    units, people = _sheets(response)
    assert units[0][:8] == ["TT", "Đơn vị", "Danh hiệu tập thể đăng ký", "Trạng thái",
                            "Ngày gửi", "Trễ hạn", "Ngày chấp nhận", "Số người đăng ký"]
    by_unit = {row[1]: row for row in units[1:]}
    a, b = by_unit[cast.unit_a.name], by_unit[cast.unit_b.name]
    assert a[2:4] == ["Tập thể lao động xuất sắc", "Đã chấp nhận"]
    assert isinstance(a[4], datetime.datetime) and isinstance(a[6], datetime.datetime)
    assert a[7] == 2
    assert b[2:4] == ["Tập thể lao động tiên tiến", "Bị trả lại để chỉnh sửa"]
    assert (b[6], b[7], b[8]) == (None, 1, "Thiếu danh hiệu của 2 người")
    # Each unit's people together, in Vietnamese order (given name: An before Bình).
    assert [(r[3], r[5], r[6]) for r in people[1:] if r[1] == cast.unit_a.name] == [
        ("Trần Thị An", "Chiến sĩ thi đua cơ sở", "Đã chấp nhận"),
        ("Lê Văn Bình", "Lao động tiên tiến", "Đã chấp nhận")]
    assert [(r[3], r[5], r[6]) for r in people[1:] if r[1] == cast.unit_b.name] == [
        ("Phạm Thị Chi", "Lao động tiên tiến", "Bị trả lại để chỉnh sửa")]


def test_head_export_holds_only_their_own_unit(cast, client_for, registered):
    response = client_for(cast.head_a).get(reverse("awards:registration_export"),
                                           {"year": YEAR, "unit": cast.unit_a.pk})
    assert response.status_code == 200
    units, people = _sheets(response)
    assert [row[1] for row in units[1:]] == [cast.unit_a.name]
    assert {row[3] for row in people[1:]} == {"Trần Thị An", "Lê Văn Bình"}


@pytest.mark.parametrize("role", ROLES)
def test_export_access_by_role(cast, client_for, registered, role):
    client = client_for(cast.users()[role])
    url = reverse("awards:registration_export")
    everything = client.get(url, {"year": YEAR}).status_code
    own = client.get(url, {"year": YEAR, "unit": cast.unit_a.pk}).status_code
    assert everything == expect(403, **READERS)[role]
    assert own == expect(403, **READERS, head_a=200, head_b=404)[role]


def test_write_only_workbook_shows_what_the_old_writer_showed(cast, registered):
    """The workbook is written write-only from plain values (issue 19): cell for cell what the
    old writer (frozen in registration_export_before.py) showed, with a name that reads as a
    formula kept as text; each sheet now also filters its rows and repeats its header on every
    printed page."""
    an, _binh, _chi = registered
    an.full_name = "=1+1"
    an.save()
    units = Unit.objects.all()
    new, old = BytesIO(), BytesIO()
    with translation.override("vi"):
        written = write_registrations(YEAR, units, new)
        assert written == registration_export_before.write_registrations(YEAR, units, old) == 3
    new_cells, old_cells = workbook_cells(new.getvalue()), workbook_cells(old.getvalue())
    # Sheets: the title, frozen pane and widths as before; a filter over the rows now.
    new_sheets = [entry for entry in new_cells if len(entry) == 4]
    assert [entry[:2] + entry[3:] for entry in new_sheets] == [
        entry[:2] + entry[3:] for entry in old_cells if len(entry) == 4]
    assert [entry[2] for entry in new_sheets] == [f"A1:J{1 + units.count()}", "A1:H4"]
    assert _cells_shown(new_cells) == _cells_shown(old_cells)
    book = load_workbook(BytesIO(new.getvalue()))
    people = book.worksheets[1]
    assert [sheet.print_title_rows for sheet in book.worksheets] == ["$1:$1", "$1:$1"]
    formula = [cell for cell in people["D"] if cell.value == "=1+1"]
    assert len(formula) == 1 and formula[0].data_type == "s"


def _cells_shown(seen):
    """Each cell's entry, a blank cell's number format left out: the old writer formatted whole
    columns, blank cells too, which nobody sees."""
    return [entry if entry[1] is not None else (entry[0], entry[1], entry[2], *entry[4:])
            for entry in seen if len(entry) != 4]
