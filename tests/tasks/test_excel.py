"""The progress export and the assignment import, as Excel files opened back with openpyxl."""

import datetime
from decimal import Decimal
from io import BytesIO

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from openpyxl import Workbook, load_workbook

from campaigns import services as campaign_services
from core.spreadsheets.import_preview import ImportUploadForm
from tasks import imports, services
from tasks.exports import write_progress_workbook
from tasks.models import Assignment, Cadence, IndicatorKind, ProgressReport, ReportStatus, Task
from units.models import AuditEntry

from ..factories import UnitFactory, plan

TODAY = datetime.date(2022, 12, 31)
HEADERS = ["Task", "Unit", "Target", "Latest reporting period", "Value reached in that period",
           "Report status", "Deadline", "Date submitted", "Date reviewed", "Overdue periods"]


@pytest.fixture(autouse=True)
def _vietnamese():
    with translation.override("vi"):
        yield


def _report(assignment, period, value, user, *, accept_by=None):
    report = services.save_report(assignment=assignment, period=assignment.period(period),
                                  data={"value": Decimal(value)}, user=user)
    report = services.submit(report=report, user=user)
    if accept_by:
        report = services.accept(report=report, user=accept_by)
    return report


def _export(campaign):
    stream = BytesIO()
    count = write_progress_workbook(campaign, stream, today=TODAY)
    stream.seek(0)
    return count, load_workbook(stream)


def _local_date(moment):
    return timezone.localtime(moment).date()


# Export -------------------------------------------------------------------------------------

def test_export_has_one_sheet_per_item_and_one_row_per_assignment(cast, work):
    a = work.assignment_a
    a.target_value, a.deadline = Decimal("90"), datetime.date(2022, 11, 30)
    a.save()
    _report(a, "2022-Q1", "40", cast.head_a, accept_by=cast.office)
    q2 = _report(a, "2022-Q2", "65.5", cast.head_a)

    count, workbook = _export(work.campaign)

    assert count == 2
    assert workbook.sheetnames == ["ND 1", "ND 2", "ND 3"]
    sheet = workbook["ND 1"]
    rows = list(sheet.values)
    assert work.campaign.code in rows[0][0]
    assert list(rows[1]) == [gettext(h) for h in HEADERS]
    assert len(rows) == 4
    by_unit = {row[1]: row for row in rows[2:]}
    assert by_unit[cast.unit_a.name] == (
        work.task.title, cast.unit_a.name, 90, "Quý 2/2022", 65.5,
        str(ReportStatus.SUBMITTED.label), datetime.datetime(2022, 11, 30),
        datetime.datetime.combine(_local_date(q2.submitted_at), datetime.time()), None,
        2,  # four quarters due by 31/12/2022; Q1 accepted and Q2 submitted
    )
    assert by_unit[cast.unit_b.name] == (
        work.task.title, cast.unit_b.name, 100, None, None, gettext("No report yet"),
        datetime.datetime(2022, 12, 31), None, None, 4,
    )
    assert sheet.freeze_panes == "A3"
    assert sheet.auto_filter.ref == "A2:J4"
    assert sheet.cell(row=3, column=7).number_format == "DD/MM/YYYY"
    assert sheet.column_dimensions["A"].width > sheet.column_dimensions["C"].width
    assert list(workbook["ND 2"].values)[2:] == []


def test_export_shows_the_accepted_report_with_its_review_date(cast, work):
    report = _report(work.assignment_b, "2022-Q3", "100", cast.head_b, accept_by=cast.union)

    _count, workbook = _export(work.campaign)

    row = next(r for r in workbook["ND 1"].values if r[1] == cast.unit_b.name)
    assert row[3:6] == ("Quý 3/2022", 100, str(ReportStatus.ACCEPTED.label))
    assert row[8].date() == _local_date(report.reviewed_at)
    assert ProgressReport.objects.count() == 1


@pytest.mark.parametrize("assignments", [1, 30])
def test_export_query_count_does_not_grow(cast, django_assert_num_queries, assignments):
    campaign = plan(units=[cast.unit_a])
    campaign_services.launch(campaign=campaign, user=cast.office)
    task = Task.objects.create(item=campaign.items.first(), title="Nhiệm vụ", target_value=100,
                               cadence=Cadence.QUARTERLY, deadline=datetime.date(2022, 12, 31))
    units = [cast.unit_a, *UnitFactory.create_batch(assignments - 1, parent=cast.root)]
    services.assign(task=task, units=units, user=cast.office)
    for assignment in task.assignments.all():
        _report(assignment, "2022-Q1", "50", cast.head_a)

    with django_assert_num_queries(3):  # items, row counts per item, the annotated rows
        count = write_progress_workbook(campaign, BytesIO(), today=TODAY)
    assert count == assignments


# Import: the template and a round trip -----------------------------------------------------

def _filled(campaign, rows, *, name="phan-cong.xlsx"):
    """The campaign's template with rows appended, as an uploaded file."""
    stream = BytesIO()
    imports.import_template(campaign, stream)
    stream.seek(0)
    workbook = load_workbook(stream)
    sheet = workbook.worksheets[0]
    for row in rows:
        sheet.append(list(row))
    out = BytesIO()
    workbook.save(out)
    return SimpleUploadedFile(name, out.getvalue())


@pytest.fixture
def task2(work):
    return Task.objects.create(item=work.task.item, title="Số hóa hồ sơ", target_value=50,
                               indicator_kind=IndicatorKind.COUNT, cadence=Cadence.ONCE,
                               deadline=datetime.date(2022, 12, 31))


def test_template_lists_the_plan_tasks_and_the_unit_codes(cast, work, task2):
    stream = BytesIO()
    imports.import_template(work.campaign, stream)
    stream.seek(0)
    workbook = load_workbook(stream)

    header = next(workbook.worksheets[0].values)
    assert list(header) == [gettext(h) for h in imports.HEADERS]
    reference = list(workbook.worksheets[1].values)
    assert workbook.sheetnames[1] == gettext("Reference lists")
    assert {row[0] for row in reference[2:]} >= {work.task.pk, task2.pk}
    codes = {row[6] for row in reference[2:]}
    assert {"a", "b", "vp"} <= codes
    assert not {"so", "bgd", "cd"} & codes  # the root, the board and the union take no tasks


def test_import_round_trip_previews_then_writes_once(cast, work, task2):
    upload = _filled(work.campaign, [
        (task2.pk, "", "a", "", 40, datetime.datetime(2022, 11, 30)),
        (task2.pk, "", "B", "", None, None),  # codes are matched regardless of case
        (),  # blank rows are skipped
        (work.task.pk, "", "a", "", "80,5", "15/12/2022"),
        (work.task.pk, "", "b", "", None, None),
    ])

    result = imports.parse(work.campaign, upload)

    assert not result.has_errors
    assert [(r.number, r.status) for r in result.rows] == [
        (2, "new"), (3, "new"), (5, "update"), (6, "unchanged")]
    assert Assignment.objects.count() == 2  # the preview wrote nothing
    assert not AuditEntry.objects.filter(action="task.import").exists()

    counts = imports.apply(result, cast.office)

    assert counts == {"created": 2, "updated": 1, "unchanged": 1}
    assert Assignment.objects.count() == 4
    new = Assignment.objects.get(task=task2, unit=cast.unit_a)
    assert (new.target_value, new.deadline) == (Decimal("40"), datetime.date(2022, 11, 30))
    work.assignment_a.refresh_from_db()
    assert work.assignment_a.target_value == Decimal("80.5")
    assert work.assignment_a.deadline == datetime.date(2022, 12, 15)
    audit = AuditEntry.objects.get(action="task.import")
    assert {k: audit.after[k] for k in ("created", "updated", "unchanged", "rows")} == {
        "created": 2, "updated": 1, "unchanged": 1, "rows": 4}
    assert audit.object_id == str(work.campaign.pk)

    upload.seek(0)
    again = imports.parse(work.campaign, upload)
    assert {r.status for r in again.rows} == {"unchanged"}
    assert imports.apply(again, cast.office) == {"created": 0, "updated": 0, "unchanged": 4}
    assert Assignment.objects.count() == 4
    assert AuditEntry.objects.filter(action="task.import").count() == 1


@pytest.mark.parametrize(("bad_row", "expected"), [
    pytest.param(("{task}", "", "thpt-xyz", "", 10, None), ["3", "thpt-xyz"], id="unknown-unit"),
    pytest.param(("{task}", "", "b", "", None, "31/02/2022"), ["3", "31/02/2022"], id="bad-date"),
    pytest.param(("{task}", "", "a", "", None, None), ["3", "2"], id="duplicate-row"),
    pytest.param(("{task}", "", "b", "", -5, None), ["3", "-5"], id="negative-target"),
])
def test_import_bad_row_is_reported_and_nothing_is_written(cast, work, task2, bad_row,
                                                            expected):
    row = [task2.pk if cell == "{task}" else cell for cell in bad_row]
    upload = _filled(work.campaign, [(task2.pk, "", "a", "", 10, None), row])

    result = imports.parse(work.campaign, upload)

    assert result.has_errors
    assert [r.number for r in result.rows if r.errors] == [3]
    (message,) = result.rows[1].errors
    assert all(part in message for part in expected)
    with pytest.raises(ValidationError):
        imports.apply(result, cast.office)
    assert not Assignment.objects.filter(task=task2).exists()


@pytest.mark.parametrize(("cells", "part"), [
    pytest.param((999999, "", "a", "", None, None), "999999", id="task-of-no-plan"),
    pytest.param((0, "", "a", "", 101, None), "100", id="percent-over-100"),
    pytest.param((0, "", "a", "", "12 cái", None), "12 cái", id="not-a-number"),
    pytest.param((0, "", "a", "", None, "30/06/2023"), "2022", id="deadline-of-another-year"),
])
def test_import_other_bad_values_are_explained(cast, work, cells, part):
    other = plan()
    other_task = Task.objects.create(item=other.items.first(), title="Khác",
                                     deadline=datetime.date(2022, 12, 31))
    cells = [work.task.pk if cell == 0 else cell for cell in cells]
    result = imports.parse(work.campaign, _filled(work.campaign, [
        cells, (other_task.pk, "", "a", "", None, None)]))

    assert [r.number for r in result.rows if r.errors] == [2, 3]
    assert part in result.rows[0].errors[0]
    assert str(other_task.pk) in result.rows[1].errors[0]  # a task of another plan is unknown


def test_import_refuses_an_inactive_unit(cast, work):
    cast.unit_b.is_active = False
    cast.unit_b.save()
    result = imports.parse(work.campaign, _filled(work.campaign, [
        (work.task.pk, "", "b", "", None, None)]))
    assert result.rows[0].status == "error"
    assert "'b'" in result.rows[0].errors[0]


def test_import_refuses_what_is_not_the_template(cast, work):
    with pytest.raises(imports.ImportFileError):
        imports.parse(work.campaign, BytesIO(b"Ma nhiem vu;Ma don vi\n1;a\n"))
    with pytest.raises(imports.ImportFileError):
        imports.parse(work.campaign, BytesIO(b"PK\x03\x04 damaged zip"))
    wrong = Workbook()
    wrong.active.append(["Đơn vị", "Nhiệm vụ"])
    wrong.active.append(["a", work.task.pk])
    stream = BytesIO()
    wrong.save(stream)
    with pytest.raises(imports.ImportFileError):
        imports.parse(work.campaign, stream)
    with pytest.raises(imports.ImportFileError):  # headers only
        imports.parse(work.campaign, _filled(work.campaign, []))


def test_import_accepts_the_english_headers_whatever_the_language(cast, work):
    workbook = Workbook()
    workbook.active.append(list(imports.HEADERS))
    workbook.active.append([work.task.pk, None, "a", None, 70, None])
    stream = BytesIO()
    workbook.save(stream)

    result = imports.parse(work.campaign, stream)

    assert [(r.status, r.target) for r in result.rows] == [("update", Decimal("70"))]


@pytest.mark.parametrize(("name", "content"), [
    pytest.param("phan-cong.csv", b"1;a\n", id="csv"),
    pytest.param("phan-cong.xls", b"\xd0\xcf\x11\xe0" + b"\x00" * 100, id="old-excel"),
    pytest.param("phan-cong.xlsx", b"just text renamed", id="renamed-text"),
])
def test_upload_form_refuses_a_file_that_is_not_xlsx(db, name, content):
    form = ImportUploadForm({}, {"file": SimpleUploadedFile(name, content)})
    assert not form.is_valid()
    assert form.errors["file"]


def test_upload_form_refuses_more_than_5_mb(db):
    upload = SimpleUploadedFile("big.xlsx", b"PK\x03\x04" + b"\x00" * (5 * 1024 * 1024))
    form = ImportUploadForm({}, {"file": upload})
    assert not form.is_valid()


# Views --------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["progress_export", "import_template", "assignment_import"])
def test_unit_head_is_refused(cast, client_for, work, name):
    url = reverse(f"tasks:{name}", args=[work.campaign.pk])
    client = client_for(cast.head_a)
    assert client.get(url).status_code == 403
    assert client.post(url).status_code == 403


def test_union_exports_but_does_not_import(cast, client_for, work):
    client = client_for(cast.union)
    assert client.get(reverse("tasks:progress_export", args=[work.campaign.pk])).status_code \
        == 200
    assert client.get(reverse("tasks:assignment_import", args=[work.campaign.pk])).status_code \
        == 403


def test_export_view_sends_an_xlsx_attachment(cast, client_for, work, django_assert_num_queries):
    client = client_for(cast.director)

    # session, user, viewer, campaign, the row count (request or worker?), the campaign again
    # (the job kind reads its params), the three queries of the workbook, then the copy kept
    # for "My documents" (savepoint, insert, update, release)
    with django_assert_num_queries(13):
        response = client.get(reverse("tasks:progress_export", args=[work.campaign.pk]))

    assert response.status_code == 200
    expected = f"tien-do-{work.campaign.number}-KH-SGDDT-2022.xlsx"
    assert response["Content-Disposition"] == f'attachment; filename="{expected}"'
    workbook = load_workbook(BytesIO(b"".join(response.streaming_content)))
    assert len(list(workbook["ND 1"].values)) == 4


def test_template_view_sends_the_template(cast, client_for, work):
    response = client_for(cast.office).get(
        reverse("tasks:import_template", args=[work.campaign.pk]))
    assert response.status_code == 200
    assert "mau-phan-cong-" in response["Content-Disposition"]
    workbook = load_workbook(BytesIO(b"".join(response.streaming_content)))
    assert len(workbook.sheetnames) == 2


def test_import_pages_preview_then_save(cast, client_for, work, task2):
    client = client_for(cast.office)
    url = reverse("tasks:assignment_import", args=[work.campaign.pk])
    page = client.get(url)
    assert page.status_code == 200 and page.content.decode().count("<h1") == 1
    assert not page.context["form"].is_bound

    preview = client.post(url, {"file": _filled(work.campaign, [
        (task2.pk, "", "a", "", 30, None), (task2.pk, "", "b", "", None, "30/11/2022")])})

    html = preview.content.decode()
    assert preview.status_code == 200 and html.count("<h1") == 1
    assert gettext("Save the data") in html
    assert not Assignment.objects.filter(task=task2).exists()
    token = preview.context["confirm"]["token"].value()

    saved = client.post(url, {"token": token})

    assert saved.status_code == 302 and saved["Location"] == work.campaign.get_absolute_url()
    assert Assignment.objects.filter(task=task2).count() == 2
    replay = client.post(url, {"token": token}, follow=True)
    assert replay.redirect_chain[-1][0] == url
    assert Assignment.objects.filter(task=task2).count() == 2


def test_import_page_with_an_error_offers_no_save_button(cast, client_for, work, task2):
    client = client_for(cast.office)
    url = reverse("tasks:assignment_import", args=[work.campaign.pk])

    preview = client.post(url, {"file": _filled(work.campaign, [
        (task2.pk, "", "a", "", 30, None), (task2.pk, "", "thpt-xyz", "", None, None)])})

    html = preview.content.decode()
    assert preview.status_code == 200
    assert preview.context["confirm"] is None
    assert gettext("Save the data") not in html
    assert "thpt-xyz" in html and "table-danger" in html
    assert client.post(url, {"token": "guessed"}).status_code == 302
    assert not Assignment.objects.filter(task=task2).exists()


def test_import_page_explains_a_file_that_is_not_a_workbook(cast, client_for, work):
    client = client_for(cast.office)
    url = reverse("tasks:assignment_import", args=[work.campaign.pk])

    response = client.post(url, {"file": SimpleUploadedFile("x.xlsx", b"PK\x03\x04broken")})

    assert response.status_code == 200
    assert response.context["form"].errors["file"]
    assert "is-invalid" in response.content.decode()


def test_confirm_checks_the_rows_again(cast, client_for, work, task2):
    client = client_for(cast.office)
    url = reverse("tasks:assignment_import", args=[work.campaign.pk])
    preview = client.post(url, {"file": _filled(work.campaign, [
        (task2.pk, "", "b", "", 30, None)])})
    token = preview.context["confirm"]["token"].value()
    cast.unit_b.is_active = False
    cast.unit_b.save()

    response = client.post(url, {"token": token})

    assert response.status_code == 200
    assert response.context["result"].has_errors
    assert not Assignment.objects.filter(task=task2).exists()


def test_export_shows_whole_numbers_without_a_trailing_point(cast, work):
    """`#,##0.##` printed 90 as "90." in Excel: a whole value takes `#,##0`, a decimal one
    `#,##0.0#` (issue 18)."""
    a = work.assignment_a
    a.target_value = Decimal("90")
    a.save()
    _report(a, "2022-Q2", "65.5", cast.head_a)

    _count, workbook = _export(work.campaign)

    sheet = workbook["ND 1"]
    row = next(r for r in sheet.iter_rows(min_row=3) if r[1].value == cast.unit_a.name)
    assert (row[2].value, row[2].number_format) == (90, "#,##0")
    assert (row[4].value, row[4].number_format) == (65.5, "#,##0.0#")
    for cell in (c for r in sheet.iter_rows(min_row=3) for c in r):
        assert cell.number_format != "#,##0.##"
