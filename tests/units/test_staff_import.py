"""The staff import from Excel: real HR files accepted, bad ones refused cell by cell, nothing
half-saved, a second import of the same file changing nothing."""

import datetime
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import Workbook

from core.spreadsheets import import_preview
from core.spreadsheets.import_preview import ERROR, NEW, UNCHANGED, UPDATE
from units import staff_import
from units.models import AuditEntry, StaffCategory, StaffMember, StaffTransfer

from ..factories import StaffMemberFactory

HEADER = ["Họ và tên", "Ngày sinh", "Giới tính", "Mã đơn vị", "Chức vụ", "Phân loại",
          "Ngày tuyển dụng", "Mã cán bộ"]


def workbook(rows, *, header=HEADER, title=True, formula=None) -> io.BytesIO:
    """An HR-style workbook: a merged title row above the header (when `title`), then rows."""
    book = Workbook()
    sheet = book.active
    if title:
        sheet.append(["DANH SÁCH CÁN BỘ, VIÊN CHỨC NĂM 2025"])
        sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(header))
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    if formula:
        sheet[formula] = "=A3"
    stream = io.BytesIO()
    book.save(stream)
    stream.seek(0)
    return stream


def rows_of_a(cast):
    return [
        # Trailing spaces, a text date, a decomposed name, a real date cell.
        ["Nguye\u0302\u0303n Văn An  ", "04/01/1980", "Nam", " a ", "Giáo viên", "viên chức",
         datetime.datetime(2005, 9, 1), "HV-001"],
        ["Trần Thị Bích", datetime.datetime(1990, 5, 17), "Nữ", "a", "Giáo viên",
         "Viên chức", "01/09/2012", None],
        ["Lê Văn Cường", "17/5/1975", "nam", "b", "Bảo vệ", "người lao động", None, "DX-7"],
    ]


def parse(stream):
    return staff_import.parse(stream)


def test_an_hr_file_with_a_title_row_spaces_text_dates_and_decomposed_names_is_read(cast):
    result = parse(workbook(rows_of_a(cast)))

    assert result.errors == []
    assert [row.status for row in result.rows] == [NEW, NEW, NEW]
    first = result.rows[0].values
    assert first["full_name"] == "Nguyễn Văn An"  # composed, trimmed
    assert first["date_of_birth"] == datetime.date(1980, 1, 4)
    assert first["unit_id"] == cast.unit_a.pk
    assert first["category"] == StaffCategory.PUBLIC_EMPLOYEE
    assert result.rows[2].values["date_of_birth"] == datetime.date(1975, 5, 17)


def test_write_adds_everyone_and_a_second_import_changes_nothing(cast):
    counts = staff_import.write(parse(workbook(rows_of_a(cast))), user=cast.office)
    people = StaffMember.objects.count()

    again = parse(workbook(rows_of_a(cast)))

    assert counts == {"added": 3, "updated": 0, "transferred": 0}
    assert StaffMember.objects.get(staff_code="HV-001").full_name == "Nguyễn Văn An"
    assert [row.status for row in again.rows] == [UNCHANGED] * 3
    assert again.changes == 0
    assert StaffMember.objects.count() == people
    assert AuditEntry.objects.get(action="staff.import").after["added"] == 3


def test_a_changed_row_updates_the_person_matched_on_code_or_name_birth_and_unit(cast):
    staff_import.write(parse(workbook(rows_of_a(cast))), user=cast.office)
    rows = rows_of_a(cast)
    rows[0][4] = "Tổ trưởng chuyên môn"  # by staff code
    rows[1][4] = "Thư viện"  # no code: by name, date of birth and unit
    rows[2][3] = "a"  # moved from B to A, by staff code

    result = parse(workbook(rows))
    staff_import.write(result, user=cast.office)

    assert [row.status for row in result.rows] == [UPDATE] * 3
    assert StaffMember.objects.get(staff_code="HV-001").position == "Tổ trưởng chuyên môn"
    assert StaffMember.objects.get(full_name="Trần Thị Bích").position == "Thư viện"
    moved = StaffMember.objects.get(staff_code="DX-7")
    assert moved.unit == cast.unit_a
    assert StaffTransfer.objects.get(staff=moved).from_unit == cast.unit_b


def test_an_impossible_date_names_its_cell(cast):
    rows = rows_of_a(cast)
    rows[1][1] = "31/02/1980"

    result = parse(workbook(rows))

    assert result.rows[1].status == ERROR
    assert result.errors == ["Ô B4: “31/02/1980” không phải là ngày. Hãy viết theo dạng "
                             "dd/mm/yyyy, ví dụ 04/01/1980."]


def test_dates_that_cannot_be_right_name_their_cells(cast):
    """A year typed wrong: a recruitment before the birth, a birth after today, a start in the
    unit years ahead. A recruitment next school year is allowed."""
    rows = rows_of_a(cast)
    rows[0][6] = "01/09/1975"  # recruited before born in 1980
    next_year = datetime.date.today().year + 1
    rows[1][1] = f"17/05/{next_year + 1}"  # born in the future
    rows[1][6] = None
    rows[2][6] = f"01/09/{next_year + 3}"  # recruited three years ahead
    rows.append(["Phạm Thị Dung", "02/02/1995", "Nữ", "a", "Giáo viên", "Viên chức",
                 datetime.date.today() + datetime.timedelta(days=100), None])

    result = parse(workbook(rows))

    assert result.errors == [
        "Ô G3: ngày này trước ngày sinh: hãy kiểm tra lại năm.",
        "Ô B4: ngày sinh sau ngày hôm nay: hãy kiểm tra lại năm.",
        "Ô G5: ngày này sau hôm nay hơn một năm: hãy kiểm tra lại năm.",
    ]
    assert [row.status for row in result.rows] == [ERROR, ERROR, ERROR, NEW]


def test_an_unknown_unit_code_names_its_cell(cast):
    rows = rows_of_a(cast)
    rows[0][3] = "khong-co"

    result = parse(workbook(rows))

    assert result.rows[0].status == ERROR
    assert result.rows[0].errors[0].startswith("Ô D3: không có đơn vị nào có mã “khong-co”")


def test_two_rows_for_one_person_are_refused(cast):
    rows = rows_of_a(cast)
    rows.append(list(rows[1]))  # same name, birth date and unit, no code
    rows.append(["Phạm Văn Dũng", "01/01/1970", "Nam", "b", "", "công chức", None, "HV-001"])

    result = parse(workbook(rows))

    assert [row.status for row in result.rows[3:]] == [ERROR, ERROR]
    assert "dòng 4" in result.rows[3].errors[0]
    assert "H7" in result.rows[4].errors[0]


def test_the_same_name_and_birth_date_in_another_unit_is_flagged_not_created(cast):
    StaffMemberFactory(unit=cast.unit_b, full_name="Trần Thị Bích",
                       date_of_birth=datetime.date(1990, 5, 17))

    result = parse(workbook(rows_of_a(cast)))

    assert result.rows[1].status == ERROR
    assert "Trường THPT Đồng Xoài" in result.rows[1].errors[0]


def test_a_missing_column_refuses_the_file(cast):
    header = [h for h in HEADER if h != "Mã đơn vị"]

    with pytest.raises(staff_import.ImportFileError) as refused:
        parse(workbook([["Nguyễn Văn An", "04/01/1980"]], header=header))

    assert "“Mã đơn vị”" in refused.value.messages[0]


def test_a_formula_refuses_the_file_naming_its_cell(cast):
    with pytest.raises(staff_import.ImportFileError) as refused:
        parse(workbook(rows_of_a(cast), formula="E4"))

    assert "E4" in refused.value.messages[0]


def test_a_workbook_with_macros_is_refused(cast):
    with pytest.raises(staff_import.ImportFileError) as refused:
        parse(_with_macros(workbook(rows_of_a(cast))))

    assert ".xlsm" in refused.value.messages[0]


def test_the_check_takes_the_same_queries_for_few_and_many_rows(cast):
    many = [[f"Nguyễn Văn {i}", "04/01/1980", "Nam", "a", "", "viên chức", None, f"C{i}"]
            for i in range(300)]
    with CaptureQueriesContext(connection) as few_queries:
        parse(workbook(rows_of_a(cast)))
    with CaptureQueriesContext(connection) as many_queries:
        parse(workbook(many))

    assert len(many_queries) == len(few_queries)


def _write_queries(cast, size):
    """The queries of writing `size` new people, then of moving each to unit B with a new
    position (an update and a transfer per row)."""
    rows = [[f"Phạm Thị {size}-{i}", "04/01/1980", "Nữ", "a", "", "viên chức", None,
             f"W{size}-{i}"] for i in range(size)]
    added = parse(workbook(rows))
    with CaptureQueriesContext(connection) as adding:
        staff_import.write(added, user=cast.office)
    for row in rows:
        row[3], row[4] = "b", "Giáo viên"
    moved = parse(workbook(rows))
    with CaptureQueriesContext(connection) as moving:
        counts = staff_import.write(moved, user=cast.office)
    assert counts == {"added": 0, "updated": size, "transferred": size}
    return len(adding), len(moving)


def test_the_write_takes_the_same_queries_for_50_and_500_rows(cast):
    few = _write_queries(cast, 50)
    many = _write_queries(cast, 500)

    assert few == many
    # Around a savepoint: the ids, the people, the audit line; then the update, the transfers'
    # ids, the transfers, the audit line.
    assert many == (5, 6)
    people = StaffMember.objects.filter(staff_code__startswith="W500-")
    assert people.count() == 500
    assert set(people.values_list("unit__code", flat=True)) == {"b"}
    assert people.filter(name_key="pham thi 500-7").exists()
    assert StaffTransfer.objects.filter(staff__in=people, from_unit=cast.unit_a,
                                        to_unit=cast.unit_b,
                                        recorded_by=cast.office).count() == 500
    line = AuditEntry.objects.filter(action="staff.import").order_by("-pk").first()
    assert line.after["updated"] == 500 and line.after["transferred"] == 500
    assert sorted(line.after["staff"]) == sorted(people.values_list("pk", flat=True))


def upload(stream, name="nhan-su.xlsx"):
    return SimpleUploadedFile(name, stream.getvalue(),
                              content_type="application/vnd.openxmlformats-officedocument"
                                           ".spreadsheetml.sheet")


def test_office_previews_then_saves_and_errors_store_nothing(cast, client_for):
    client = client_for(cast.office)
    url = reverse("units:staff_import")
    bad = rows_of_a(cast)
    bad[0][3] = "khong-co"
    people = StaffMember.objects.count()

    refused = client.post(url, {"file": upload(workbook(bad))})
    preview = client.post(url, {"file": upload(workbook(rows_of_a(cast)))})
    saved = client.post(url, {"token": preview.context["confirm"]["token"].value()})

    assert refused.status_code == 200 and refused.context["confirm"] is None
    assert "Ô D3" in refused.content.decode()
    assert saved.status_code == 302
    assert StaffMember.objects.count() == people + 3


def test_a_big_preview_lists_errors_and_changes_capped_and_counts_the_unchanged(
        cast, client_for, monkeypatch):
    monkeypatch.setattr(import_preview, "LISTED", 20)
    staff_import.write(parse(workbook(rows_of_a(cast))), user=cast.office)
    rows = [*rows_of_a(cast)]  # three unchanged
    rows += [[f"Đỗ Văn {i}", "04/01/1980", "Nam", "a", "", "viên chức", None, f"P{i}"]
             for i in range(25)]
    rows += [[f"Hồ Thị {i}", "31/02/1980", "Nữ", "a", "", "viên chức", None, f"E{i}"]
             for i in range(23)]

    response = client_for(cast.office).post(reverse("units:staff_import"),
                                            {"file": upload(workbook(rows))})

    listed = response.context["result"].listed
    assert [row.status for row in listed.rows] == [ERROR] * 20 + [NEW] * 20
    assert (listed.more_errors, listed.more_changes, listed.unchanged) == (3, 5, 3)
    page = response.content.decode()
    assert "Hồ Thị 19" in page and "Hồ Thị 20" not in page
    assert "Đỗ Văn 19" in page and "Đỗ Văn 20" not in page and "Trần Thị Bích" not in page
    assert "… và 3 dòng có lỗi nữa" in page and "… và 5 dòng cần thêm hoặc cập nhật nữa" in page
    assert "3 dòng đã có trên cổng với cùng giá trị, không liệt kê" in page


def test_a_file_over_the_size_limit_or_not_xlsx_is_refused(cast, client_for, settings):
    client = client_for(cast.admin)
    big = SimpleUploadedFile("nhan-su.xlsx", b"PK\x03\x04" + b"\x00" * (6 * 1024 * 1024))

    too_big = client.post(reverse("units:staff_import"), {"file": big})
    xlsm = client.post(reverse("units:staff_import"),
                       {"file": upload(workbook(rows_of_a(cast)), "nhan-su.xlsm")})

    assert too_big.context["form"].errors["file"]
    assert xlsm.context["form"].errors["file"]
    assert StaffMember.objects.count() == 7  # the cast only


FORTY_MB = b"PK\x03\x04" + b"\x00" * (40 * 1024 * 1024)


@pytest.mark.parametrize("url_name", ["units:staff_import", "units:units_import"])
def test_a_40_mb_file_gets_the_size_message_and_nothing_is_stored(cast, client_for, url_name):
    client = client_for(cast.office)
    people, entries = StaffMember.objects.count(), AuditEntry.objects.count()

    response = client.post(reverse(url_name),
                           {"file": SimpleUploadedFile("nhan-su.xlsx", FORTY_MB)})

    assert response.status_code == 200
    assert response.context["form"].errors["file"] == [
        "Tệp có dung lượng 40,0\xa0MB; giới hạn là 5,0\xa0MB. Hãy xóa các dòng trống và hình "
        "ảnh, hoặc tách tệp."]
    assert (StaffMember.objects.count(), AuditEntry.objects.count()) == (people, entries)
    assert not any(key.endswith("import") for key in client.session.keys())


def test_the_nginx_example_lets_a_40_mb_import_reach_the_portal(settings):
    conf = (settings.BASE_DIR / "deploy" / "nginx" / "thidua.conf").read_text()
    location = conf.split("location ~ ^/units/(staff|organisation)/import/$ {")[1].split("}")[0]

    assert "client_max_body_size 64m;" in location and "proxy_pass http://thidua_app;" in location
    assert reverse("units:staff_import") == "/units/staff/import/"
    assert reverse("units:units_import") == "/units/organisation/import/"


def test_twenty_thousand_people_fit_well_under_the_upload_limit(db):
    from units.management.commands.bench_staff import _workbook

    size = len(_workbook(20000, 600).getvalue())

    assert size < import_preview.IMPORT_MAX_BYTES / 4


def _with_macros(stream):
    """The workbook as Excel saves an .xlsm (the macros in xl/vbaProject.bin)."""
    with_macros = io.BytesIO()
    with zipfile.ZipFile(stream) as source, zipfile.ZipFile(with_macros, "w") as target:
        for item in source.infolist():
            target.writestr(item, source.read(item.filename))
        target.writestr("xl/vbaProject.bin", b"\x00" * 16)
    with_macros.seek(0)
    return with_macros


def test_a_renamed_macro_workbook_or_a_formula_is_refused_by_the_page_saying_what_to_do(
        cast, client_for):
    client = client_for(cast.office)
    url = reverse("units:staff_import")
    people = StaffMember.objects.count()

    macros = client.post(url, {"file": upload(_with_macros(workbook(rows_of_a(cast))))})
    formula = client.post(url, {"file": upload(workbook(rows_of_a(cast), formula="E4"))})

    assert "(.xlsx, không phải .xlsm)" in macros.context["form"].errors["file"][0]
    assert "Ô E4 chứa công thức" in formula.context["form"].errors["file"][0]
    assert StaffMember.objects.count() == people


def test_the_template_downloads_with_the_header_row(cast, client_for):
    response = client_for(cast.office).get(reverse("units:staff_template"))
    stream = io.BytesIO(b"".join(response.streaming_content))

    result_rows, letters = staff_import.read_rows(_with_one_row(stream))

    assert response.status_code == 200
    assert set(letters) == set(staff_import.HEADERS)
    assert len(result_rows) == 1


def _with_one_row(stream):
    from openpyxl import load_workbook

    book = load_workbook(stream)
    book.active.append(["Nguyễn Văn An", "04/01/1980", "Nam", "a", "", "viên chức"])
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    return out


def test_the_sample_staff_workbook_imports_cleanly(db):
    from pathlib import Path

    from openpyxl import load_workbook

    from units.models import Unit, UnitKind

    samples = Path(__file__).resolve().parents[2] / "docs" / "samples"
    units = load_workbook(samples / "don-vi.xlsx", read_only=True).active
    for code, name, _kind, _parent in list(units.iter_rows(values_only=True))[1:]:
        Unit.objects.create(code=code, name=name, kind=UnitKind.SCHOOL)

    with (samples / "can-bo.xlsx").open("rb") as file:
        result = staff_import.parse(file)

    assert result.errors == []
    assert len(result.rows) == result.counts()[NEW] > 50


# The optional e-mail column ------------------------------------------------------------------

def _with_emails(cast, *emails, heading="Thư điện tử"):
    return workbook([[*row, email] for row, email in zip(rows_of_a(cast), emails, strict=False)],
                    header=[*HEADER, heading])


@pytest.mark.parametrize("heading", ["Thư điện tử", "Email", "E-mail", "Địa chỉ email"])
def test_the_email_column_is_read_under_its_usual_headings(cast, heading):
    result = parse(_with_emails(cast, " An.Nguyen@Truong.edu.vn ", None, "cuong@truong.edu.vn",
                                heading=heading))

    assert result.errors == []
    assert [row.values["email"] for row in result.rows] == [
        "an.nguyen@truong.edu.vn", "", "cuong@truong.edu.vn"]


def test_a_file_without_the_email_column_keeps_the_addresses(cast):
    staff_import.write(parse(_with_emails(cast, "an@truong.edu.vn", None, None)),
                       user=cast.office)

    again = parse(workbook(rows_of_a(cast)))

    assert [row.status for row in again.rows] == [UNCHANGED] * 3
    assert StaffMember.objects.get(staff_code="HV-001").email == "an@truong.edu.vn"


def test_a_bad_email_names_its_cell_and_what_to_write(cast):
    result = parse(_with_emails(cast, "an@", None, None))

    assert result.rows[0].status == ERROR
    assert result.errors == ["Ô I3: “an@” không phải là địa chỉ thư điện tử. Hãy viết địa chỉ "
                             "riêng của người này, ví dụ ten@truong.edu.vn, hoặc để trống ô."]


def test_an_email_given_twice_or_already_someone_elses_is_refused(cast):
    StaffMemberFactory(unit=cast.unit_b, full_name="Lê Văn Kế", email="ke@truong.edu.vn")

    result = parse(_with_emails(cast, "an@truong.edu.vn", "AN@truong.edu.vn", "ke@truong.edu.vn"))

    assert [row.status for row in result.rows] == [NEW, ERROR, ERROR]
    assert "dòng 3" in result.rows[1].errors[0] and "I4" in result.rows[1].errors[0]
    assert "Lê Văn Kế" in result.rows[2].errors[0] and "I5" in result.rows[2].errors[0]


def test_a_changed_email_reaches_the_persons_account(cast):
    person = StaffMember.objects.get(user=cast.staff)
    person.staff_code = "HV-001"
    person.save()
    cast.staff.email = "cu@truong.edu.vn"
    cast.staff.save()
    rows = rows_of_a(cast)
    rows[0][0], rows[0][3] = person.full_name, person.unit.code

    result = parse(workbook([[*rows[0], "moi@truong.edu.vn"]], header=[*HEADER, "Email"]))
    staff_import.write(result, user=cast.office)

    cast.staff.refresh_from_db()
    assert result.rows[0].status == UPDATE and "email" in result.rows[0].changed
    assert cast.staff.email == "moi@truong.edu.vn"


# The optional start of service in the sector (ngày vào ngành) ---------------------------------

def _with_sector(cast, *dates, heading="Ngày vào ngành"):
    return workbook([[*row, day] for row, day in zip(rows_of_a(cast), dates, strict=False)],
                    header=[*HEADER, heading])


@pytest.mark.parametrize("heading", ["Ngày vào ngành", "Ngày vào ngành giáo dục",
                                     "In the sector since"])
def test_the_sector_start_column_is_read_under_its_usual_headings(cast, heading):
    result = parse(_with_sector(cast, "01/09/2001", None, datetime.datetime(1998, 9, 5),
                                heading=heading))

    assert result.errors == []
    assert [row.values["sector_start_date"] for row in result.rows] == [
        datetime.date(2001, 9, 1), None, datetime.date(1998, 9, 5)]
    # Not taken for the recruitment date any more (it was an alias of it before).
    assert result.rows[0].values["recruitment_date"] == datetime.date(2005, 9, 1)


def test_the_sector_start_is_written_and_an_empty_cell_keeps_it(cast):
    staff_import.write(parse(_with_sector(cast, "01/09/2001", None, None)), user=cast.office)
    assert StaffMember.objects.get(staff_code="HV-001").sector_start_date == datetime.date(
        2001, 9, 1)

    again = parse(_with_sector(cast, None, None, None))
    without_column = parse(workbook(rows_of_a(cast)))

    assert [row.status for row in again.rows] == [UNCHANGED] * 3
    assert [row.status for row in without_column.rows] == [UNCHANGED] * 3


def test_a_bad_sector_start_names_its_cell(cast):
    result = parse(_with_sector(cast, "31/02/2001", None, None))

    assert result.rows[0].status == ERROR
    assert result.errors == ["Ô I3: “31/02/2001” không phải là ngày. Hãy viết theo dạng "
                             "dd/mm/yyyy, ví dụ 04/01/1980."]


def test_the_sample_staff_workbook_carries_the_sector_start(db):
    from pathlib import Path

    from units.models import Unit, UnitKind

    samples = Path(__file__).resolve().parents[2] / "docs" / "samples"
    from openpyxl import load_workbook
    units = load_workbook(samples / "don-vi.xlsx", read_only=True).active
    for code, name, _kind, _parent in list(units.iter_rows(values_only=True))[1:]:
        Unit.objects.create(code=code, name=name, kind=UnitKind.SCHOOL)
    with (samples / "can-bo.xlsx").open("rb") as file:
        result = staff_import.parse(file)

    starts = [row.values["sector_start_date"] for row in result.rows]
    recruited = [row.values["recruitment_date"] for row in result.rows]
    assert sum(1 for s in starts if s is None) >= 1
    assert any(s and r and s < r for s, r in zip(starts, recruited, strict=True))
