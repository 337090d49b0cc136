"""The organisation workbook: the sample loads on an empty portal, a second import changes
nothing, a changed row renames or moves with history, bad rows name their cell."""

import io
from pathlib import Path

import pytest
from openpyxl import Workbook

from core.spreadsheets.import_preview import ERROR, NEW, UNCHANGED, UPDATE
from units import organisation_import
from units.models import AuditEntry, Unit, UnitChange, UnitKind

SAMPLE = Path(__file__).resolve().parents[2] / "docs" / "samples" / "don-vi.xlsx"
HEADER = ["Mã đơn vị", "Tên đơn vị", "Loại đơn vị", "Mã đơn vị cấp trên"]


def workbook(rows):
    book = Workbook()
    book.active.append(HEADER)
    for row in rows:
        book.active.append(row)
    stream = io.BytesIO()
    book.save(stream)
    stream.seek(0)
    return stream


@pytest.mark.django_db
def test_the_sample_loads_on_an_empty_portal_and_again_changes_nothing(django_user_model):
    user = django_user_model.objects.create_user("quantri")
    with SAMPLE.open("rb") as file:
        result = organisation_import.parse(file)
    assert result.errors == []
    counts = organisation_import.write(result, user=user)

    with SAMPLE.open("rb") as file:
        again = organisation_import.parse(file)

    assert counts["added"] == len(result.rows) == Unit.objects.count()
    root = Unit.objects.get(parent__isnull=True)
    assert root.kind == UnitKind.DEPARTMENT
    assert Unit.objects.get(code="thpt-hung-vuong").parent == root
    assert {row.status for row in again.rows} == {UNCHANGED}
    assert AuditEntry.objects.get(action="unit.import").after == {"added": counts["added"],
                                                                    "updated": 0}


def test_a_changed_row_renames_and_moves_with_history_and_children_come_before_parents(cast):
    result = organisation_import.parse(workbook([
        ["thcs-moi", "Trường THCS Mới", "Trường học", "phong-moi"],  # parent on a later row
        ["phong-moi", "Phòng Giáo dục Mới", "Phòng chức năng", "so"],
        ["a", "Trường THPT Hùng Vương (mới)", "Trường học", "so"],
        ["b", "Trường THPT Đồng Xoài", "Trường học", "phong-moi"],
    ]))

    assert [row.status for row in result.rows] == [NEW, NEW, UPDATE, UPDATE]
    organisation_import.write(result, user=cast.admin)

    assert Unit.objects.get(code="thcs-moi").parent.code == "phong-moi"
    assert Unit.objects.get(code="a").name == "Trường THPT Hùng Vương (mới)"
    assert Unit.objects.get(code="b").parent.code == "phong-moi"
    assert set(UnitChange.objects.filter(unit__code__in=["a", "b"]).values_list(
        "kind", flat=True)) == {"rename", "move"}


def test_bad_rows_name_their_cells_and_nothing_is_written(cast):
    units = Unit.objects.count()
    result = organisation_import.parse(workbook([
        ["Mã có dấu", "Trường X", "Trường học", "so"],
        ["c1", "Trường Y", "Không biết", "so"],
        ["c2", "Trường Z", "Trường học", "khong-co"],
        ["c3", "Trường T", "Trường học", "c4"],
        ["c4", "Trường U", "Trường học", "c3"],
        ["c1", "Trường V", "Trường học", "so"],
        ["c5", "Trường W", "Trường học", ""],
    ]))

    messages = [row.errors[0] for row in result.rows]
    assert all(row.status == ERROR for row in result.rows)
    assert messages[0].startswith("Ô A2: “mã có dấu” không phải là mã đơn vị")
    assert messages[1].startswith("Ô C3: “Không biết” không phải là loại đơn vị")
    assert messages[2].startswith("Ô D4: không có đơn vị nào có mã “khong-co”")
    assert messages[3].startswith("Ô D5: “c3” sẽ trực thuộc")
    assert messages[5].startswith("Ô A7: mã “c1” đã có ở dòng 3")
    assert messages[6].startswith("Ô D8:")
    with pytest.raises(ValueError):
        organisation_import.write(result, user=cast.admin)
    assert Unit.objects.count() == units


def test_office_imports_the_units_through_the_pages(cast, client_for):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    client = client_for(cast.office)
    url = reverse("units:units_import")
    upload = SimpleUploadedFile("don-vi.xlsx", workbook(
        [["thcs-moi", "Trường THCS Mới", "Trường học", "so"]]).getvalue())

    preview = client.post(url, {"file": upload})
    saved = client.post(url, {"token": preview.context["confirm"]["token"].value()})

    assert saved.status_code == 302
    assert Unit.objects.get(code="thcs-moi").parent == cast.root
    assert client.get(reverse("units:units_template")).status_code == 200
