"""The report page is one form: every button saves what is on screen first, all or nothing; a
refused press shows the page again with everything typed; a repeated press counts once; a
closed plan's reports no longer change."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from campaigns import services as campaign_services
from tasks import services
from tasks.models import (
    Cadence,
    Evidence,
    IndicatorKind,
    ProgressReport,
    ReportAction,
    ReportEvent,
    ReportStatus,
    Task,
)
from units.models import AuditEntry

from ..helpers import changed_tables, db_snapshot
from .conftest import one_off_task

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


@pytest.fixture
def draft(cast, work):
    return services.save_report(assignment=work.assignment_a,
                                period=work.assignment_a.period("2022-Q1"),
                                data={"value": Decimal(80), "narrative": "Bản đầu."},
                                user=cast.head_a)


def _page(client, report, **typed):
    """What the report page sends: its fields as shown, with `typed` over them."""
    form = client.get(reverse("tasks:report", args=[report.pk])).context["form"]
    data = {name: form[name].value() or "" for name in ("version", "value", "narrative")}
    data["value"] = form["value"].value() or ""
    return {**data, **typed}


def _post(client, report, data, **files):
    return client.post(reverse("tasks:report", args=[report.pk]), {**data, **files})


def _count_task(work, unit="trường"):
    task = Task.objects.create(item=work.task.item, title="Số trường đạt chuẩn",
                               indicator_kind=IndicatorKind.COUNT, target_value=1500,
                               unit_of_measure=unit, cadence=Cadence.QUARTERLY,
                               deadline=datetime.date(2022, 12, 31))
    services.assign(task=task, units=[work.assignment_a.unit], user=work.campaign.launched_by)
    return task.assignments.get()


# --- one form ------------------------------------------------------------------------------------

def test_upload_saves_the_typed_values_with_the_file(cast, client_for, draft):
    client = client_for(cast.head_a)
    data = _page(client, draft, value="90", narrative="Đã sửa trước khi tải lên.",
                 action="upload")

    response = _post(client, draft, data, file=SimpleUploadedFile("bien-ban.pdf", PDF))

    draft.refresh_from_db()
    assert response.status_code == 302
    assert draft.value == Decimal(90) and draft.narrative == "Đã sửa trước khi tải lên."
    assert draft.evidence.get().original_name == "bien-ban.pdf"
    assert list(draft.events.values_list("action", flat=True)) == [
        ReportAction.SAVED, ReportAction.SAVED, ReportAction.EVIDENCE_ADDED]


def test_submit_saves_what_is_on_screen_then_submits(cast, client_for, draft):
    client = client_for(cast.head_a)

    client.post(reverse("tasks:report", args=[draft.pk]),
                _page(client, draft, value="95,5", narrative="Bản cuối.", action="submit"))

    draft.refresh_from_db()
    assert draft.status == ReportStatus.SUBMITTED
    assert draft.value == Decimal("95.5") and draft.narrative == "Bản cuối."
    saved = AuditEntry.objects.filter(action="report.saved").order_by("id").last()
    assert saved.before["value"] == "80.00" and saved.after["value"] == "95.50"
    assert AuditEntry.objects.filter(action="report.submitted").count() == 1


def test_a_refused_file_submits_nothing_and_keeps_the_typing(cast, client_for, draft):
    client = client_for(cast.head_a)
    data = _page(client, draft, value="99", narrative="Không được mất.", action="submit")
    before = db_snapshot()

    response = _post(client, draft, data, file=SimpleUploadedFile("trang.html", b"<html>"))

    assert response.status_code == 200
    assert changed_tables(before, db_snapshot()) == []
    form = response.context["form"]
    assert form["value"].value() == "99" and form["narrative"].value() == "Không được mất."
    assert "không được chấp nhận" in " ".join(form.errors["file"])


def test_a_refused_value_submits_nothing_and_says_where(cast, client_for, draft):
    client = client_for(cast.head_a)
    data = _page(client, draft, value="120", narrative="Vượt 100 %.", action="submit")
    before = db_snapshot()

    response = _post(client, draft, data, file=SimpleUploadedFile("bien-ban.pdf", PDF))

    assert response.status_code == 200
    assert changed_tables(before, db_snapshot()) == []
    assert response.context["form"].errors["value"] == ["Nhập giá trị từ 0 đến 100."]
    assert 'value="120"' in response.content.decode()


def test_upload_without_a_file_says_to_choose_one(cast, client_for, draft):
    client = client_for(cast.head_a)

    response = _post(client, draft, _page(client, draft, narrative="Giữ lại", action="upload"))

    assert response.status_code == 200
    assert response.context["form"].errors["file"] == ["Hãy chọn tệp trước, rồi bấm Tải lên."]
    assert response.context["form"]["narrative"].value() == "Giữ lại"


def test_removing_a_file_saves_the_typing_too(cast, client_for, draft):
    client = client_for(cast.head_a)
    _post(client, draft, _page(client, draft, action="upload"),
          file=SimpleUploadedFile("bien-ban.pdf", PDF))
    evidence = draft.evidence.get()

    _post(client, draft, _page(client, draft, narrative="Sửa rồi xóa tệp.",
                               remove=str(evidence.pk)))

    draft.refresh_from_db()
    assert not Evidence.objects.exists()
    assert draft.narrative == "Sửa rồi xóa tệp."
    assert draft.events.last().action == ReportAction.EVIDENCE_REMOVED


@pytest.mark.parametrize("key", ["²", "9" * 40, "abc", "-1"])
def test_removing_a_file_that_is_not_there_saves_the_typing_and_says_so(cast, client_for, draft,
                                                                       key):
    client = client_for(cast.head_a)

    response = _post(client, draft, _page(client, draft, narrative="Vẫn lưu.", remove=key))

    draft.refresh_from_db()
    assert response.status_code == 302 and draft.narrative == "Vẫn lưu."


def test_a_new_report_can_be_saved_with_its_file_and_sent_at_once(cast, client_for, work):
    url = reverse("tasks:report_start", args=[work.assignment_a.pk, "2022-Q3"])

    client_for(cast.head_a).post(url, {"value": "70,5", "narrative": "Gửi ngay.",
                                       "action": "submit",
                                       "file": SimpleUploadedFile("bien-ban.pdf", PDF)})

    report = ProgressReport.objects.get()
    assert report.status == ReportStatus.SUBMITTED and report.value == Decimal("70.5")
    assert list(report.events.values_list("action", flat=True)) == [
        ReportAction.SAVED, ReportAction.EVIDENCE_ADDED, ReportAction.SUBMITTED]


# --- numbers ----------------------------------------------------------------------------------

@pytest.mark.parametrize(("typed", "stored", "shown"), [
    ("14,5", "14.5", "14,5"), ("95,5 %", "95.5", "95,5"), ("100", "100", "100"),
    ("14.5", "14.5", "14,5"),
])
def test_a_percentage_is_read_as_vietnamese_write_it(cast, client_for, draft, typed, stored,
                                                    shown):
    client = client_for(cast.head_a)

    _post(client, draft, _page(client, draft, value=typed))

    draft.refresh_from_db()
    assert draft.value == Decimal(stored)
    assert client.get(reverse("tasks:report", args=[draft.pk])).context["form"][
        "value"].value() == Decimal(stored)
    assert f'value="{shown}"' in client.get(draft.get_absolute_url()).content.decode()


def test_a_count_reads_thousands_and_refuses_decimals(cast, client_for, work):
    assignment = _count_task(work)
    url = reverse("tasks:report_start", args=[assignment.pk, "2022-Q1"])
    client = client_for(cast.head_a)

    refused = client.post(url, {"value": "14,5", "narrative": ""})
    client.post(url, {"value": "1.200", "narrative": ""})

    assert refused.context["form"].errors["value"] == [
        "Nhập số nguyên, không có phần thập phân (ví dụ 12 hoặc 1.200)."]
    report = ProgressReport.objects.get()
    assert report.value == Decimal(1200)
    page = client.get(report.get_absolute_url()).content.decode()
    assert 'value="1.200"' in page


def test_a_date_task_takes_dd_mm_yyyy_and_says_the_format(cast, client_for, work):
    task = one_off_task(work, IndicatorKind.DATE, title="Ngày hoàn thành niêm yết",
                        deadline=datetime.date(2022, 6, 30), units=[cast.unit_a],
                        user=cast.office)
    url = reverse("tasks:report_start", args=[task.assignments.get().pk, "2022"])
    client = client_for(cast.head_a)

    refused = client.post(url, {"value_date": "31/02/2022", "narrative": ""})
    client.post(url, {"value_date": "4/1/2022", "narrative": ""})

    assert "dd/mm/yyyy" in " ".join(refused.context["form"].errors["value_date"])
    report = ProgressReport.objects.get()
    assert report.value_date == datetime.date(2022, 1, 4)
    page = client.get(report.get_absolute_url()).content.decode()
    assert 'value="04/01/2022"' in page and "js-date" in page


@pytest.mark.parametrize(("typed", "says"), [
    ("31/06/2022", "Tháng 6/2022 chỉ có 30 ngày nên không có ngày “31/06/2022”. "
                   "Hãy sửa lại ngày (dd/mm/yyyy)."),
    ("29/02/2023", "Tháng 2/2023 chỉ có 28 ngày nên không có ngày “29/02/2023”. "
                   "Hãy sửa lại ngày (dd/mm/yyyy)."),
    ("06/30/2022", "Không có tháng 30 trong “06/30/2022”: hãy viết ngày trước, tháng sau "
                   "(dd/mm/yyyy), ví dụ 30/06/2022."),
    ("30/06/22", "Hãy viết năm của “30/06/22” đủ 4 chữ số (dd/mm/yyyy), ví dụ 30/06/2022."),
    ("hôm qua", "“hôm qua” không phải là ngày. Viết theo dạng dd/mm/yyyy, ví dụ 04/01/2022."),
])
def test_a_date_written_right_but_impossible_says_which_part_is_wrong(cast, client_for, work,
                                                                      typed, says):
    # "31/06/2022" follows dd/mm/yyyy: telling the head to write dd/mm/yyyy sends them looking
    # for a mistake they did not make.
    task = one_off_task(work, IndicatorKind.DATE, title="Ngày hoàn thành niêm yết",
                        deadline=datetime.date(2022, 6, 30), units=[cast.unit_a],
                        user=cast.office)
    url = reverse("tasks:report_start", args=[task.assignments.get().pk, "2022"])
    client = client_for(cast.head_a)
    before = db_snapshot()

    refused = client.post(url, {"value_date": typed, "narrative": "Đã xong."})

    assert refused.context["form"].errors["value_date"] == [says]
    assert changed_tables(before, db_snapshot()) == []


@pytest.mark.parametrize(("kind", "field", "says"), [
    (IndicatorKind.DATE, "value_date",
     "Nhập ngày hoàn thành theo dạng dd/mm/yyyy (ví dụ 30/06/2022)."),
    (IndicatorKind.COUNT, "value", "Nhập giá trị đạt được, ví dụ 12 hoặc 1.200."),
    (IndicatorKind.PERCENT, "value", "Nhập giá trị đạt được, ví dụ 95,5."),
    (IndicatorKind.YES_NO, "value", "Hãy chọn Có hoặc Không."),
])
def test_an_empty_value_says_what_to_enter(cast, client_for, work, kind, field, says):
    # "Trường này là bắt buộc" (this field is required) says nothing of what to type.
    task = Task.objects.create(item=work.task.item, title="Chỉ tiêu", indicator_kind=kind,
                               cadence=Cadence.ONCE, deadline=datetime.date(2022, 6, 30))
    services.assign(task=task, units=[cast.unit_a], user=cast.office)
    url = reverse("tasks:report_start", args=[task.assignments.get().pk, "2022"])
    client = client_for(cast.head_a)
    before = db_snapshot()

    refused = client.post(url, {field: "", "narrative": "Đã xong.", "action": "submit"})

    assert refused.context["form"].errors[field] == [says]
    assert changed_tables(before, db_snapshot()) == []


def test_the_read_only_page_and_the_queue_show_vietnamese_numbers(cast, client_for, draft):
    client = client_for(cast.head_a)
    _post(client, draft, _page(client, draft, value="12,5", action="submit"))

    report_page = client_for(cast.office).get(draft.get_absolute_url()).content.decode()
    queue = client_for(cast.office).get(reverse("tasks:queue")).content.decode()

    assert "12,5 %" in report_page and "12,5 %" in queue


# --- one press, once ----------------------------------------------------------------------------

def test_a_submit_sent_twice_submits_once_and_answers_the_same(cast, client_for, draft):
    client = client_for(cast.head_a)
    data = _page(client, draft, value="96", action="submit")

    first = client.post(reverse("tasks:report", args=[draft.pk]), data, follow=True)
    second = client.post(reverse("tasks:report", args=[draft.pk]), data, follow=True)

    assert ReportEvent.objects.filter(action=ReportAction.SUBMITTED).count() == 1
    assert AuditEntry.objects.filter(action="report.submitted").count() == 1
    # The second is answered as sent, not as someone else's conflict.
    for response in (first, second):
        assert response.redirect_chain[-1][0] == draft.get_absolute_url()
        [said] = [str(m) for m in response.context["messages"]]
        assert said.startswith("Đã gửi báo cáo đến Văn phòng và Công đoàn để duyệt.")


def test_an_accept_sent_twice_accepts_once(cast, client_for, draft):
    services.submit(report=draft, user=cast.head_a)
    draft.refresh_from_db()
    client = client_for(cast.office)
    data = {"decision": "accept", "comment": "", "version": draft.version}

    client.post(reverse("tasks:review", args=[draft.pk]), data)
    second = client.post(reverse("tasks:review", args=[draft.pk]), data, follow=True)

    assert ReportEvent.objects.filter(action=ReportAction.ACCEPTED).count() == 1
    assert "Đã chấp nhận báo cáo." in [str(m) for m in second.context["messages"]]


def test_the_same_file_twice_is_stored_once(cast, client_for, draft):
    client = client_for(cast.head_a)
    data = _page(client, draft, action="upload")
    for _time in range(2):
        _post(client, draft, data, file=SimpleUploadedFile("bien-ban.pdf", PDF))

    assert Evidence.objects.count() == 1
    assert ReportEvent.objects.filter(action=ReportAction.EVIDENCE_ADDED).count() == 1


# --- a closed plan -------------------------------------------------------------------------------

@pytest.fixture
def closed(cast, work, draft):
    campaign_services.close(campaign=work.campaign, user=cast.office)
    return draft


def test_a_closed_plans_report_offers_no_form_and_says_why(cast, client_for, closed):
    html = client_for(cast.head_a).get(closed.get_absolute_url()).content.decode()

    assert "đã kết thúc ngày" in html and "báo cáo không sửa được nữa" in html
    assert 'id="report-form"' not in html and "Gửi để duyệt" not in html


@pytest.mark.parametrize("action", ["save", "submit", "upload"])
def test_a_post_to_a_closed_plans_report_changes_nothing(cast, client_for, closed, action):
    client = client_for(cast.head_a)
    before = db_snapshot()

    response = _post(client, closed, {"version": closed.version, "value": "10",
                                      "narrative": "Sau khi kết thúc.", "action": action},
                     file=SimpleUploadedFile("muon.pdf", PDF))

    assert response.status_code == 200
    html = response.content.decode()
    assert "báo cáo không sửa được nữa" in html
    assert "Sau khi kết thúc." in html  # what was typed, shown to copy
    assert changed_tables(before, db_snapshot()) == []


def test_a_closed_plans_new_report_is_refused(cast, client_for, work):
    campaign_services.close(campaign=work.campaign, user=cast.office)
    url = reverse("tasks:report_start", args=[work.assignment_a.pk, "2022-Q2"])

    page = client_for(cast.head_a).get(url).content.decode()
    posted = client_for(cast.head_a).post(url, {"value": "10", "narrative": "x"})

    assert "báo cáo không sửa được nữa" in page and 'id="report-form"' not in page
    assert posted.status_code == 200 and not ProgressReport.objects.exists()


def test_the_services_refuse_a_closed_plans_report(cast, closed):
    upload = SimpleUploadedFile("muon.pdf", PDF)
    from core.uploads import check_evidence

    steps = [
        lambda: services.save_report(assignment=closed.assignment, period=closed.assignment
                                     .period(closed.period), data={"value": Decimal(1)},
                                     user=cast.head_a, report=closed,
                                     expected_version=closed.version),
        lambda: services.submit(report=closed, user=cast.head_a),
        lambda: services.add_report_evidence(report=closed, checked=check_evidence(upload),
                                             upload=upload, user=cast.head_a),
    ]
    for step in steps:
        with pytest.raises(ValidationError, match="không sửa được nữa"):
            step()
    closed.refresh_from_db()
    assert closed.value == Decimal(80) and closed.status == ReportStatus.DRAFT
    assert not Evidence.objects.exists()


# --- queries -------------------------------------------------------------------------------------

@pytest.mark.parametrize("files", [1, 8])
@pytest.mark.parametrize(("role", "query", "queries"), [
    # session, user, viewer, then the page's own: the report, its evidence and history
    ("head_a", "", 6),
    # a reviewer from the queue: + the key of the next report waiting in it
    ("office", "?queue=sort%3Dunit", 7),
])
def test_the_report_page_query_count_does_not_grow_with_its_files(cast, client_for, draft,
                                                                   django_assert_num_queries,
                                                                   files, role, query, queries):
    from core.uploads import check_evidence

    for n in range(files):
        upload = SimpleUploadedFile(f"bien-ban-{n}.pdf", PDF + str(n).encode())
        services.add_report_evidence(report=draft, checked=check_evidence(upload), upload=upload,
                                     user=cast.head_a)
    client = client_for(getattr(cast, role))

    with django_assert_num_queries(queries):
        response = client.get(draft.get_absolute_url() + query)
    assert response.status_code == 200
