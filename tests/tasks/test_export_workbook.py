"""The progress workbook, streamed from tuples with shared styles (issue 19), opened back with
openpyxl: cell for cell what the old writer (a frozen copy in progress_export_before.py) made,
on the demo's plans."""

from io import BytesIO

import pytest
from django.utils import translation
from openpyxl import load_workbook

from campaigns.models import Campaign
from tasks.exports import write_progress_workbook
from tests.demo_data import module_demo
from tests.export_jobs import workbook_cells

from . import progress_export_before

pytestmark = pytest.mark.django_db

demo = module_demo()


def _cells(content):
    return workbook_cells(content, named_style=False)


def test_streamed_workbook_equals_the_old_one_on_the_demo(demo):
    campaigns = list(Campaign.objects.filter(items__tasks__assignments__isnull=False).distinct())
    assert len(campaigns) >= 2  # 2022 and the current year
    with translation.override("vi"):
        for campaign in campaigns:
            before, now = BytesIO(), BytesIO()
            rows_before = progress_export_before.write_progress_workbook(
                campaign, before, today=demo.today)
            rows_now = write_progress_workbook(campaign, now, today=demo.today)
            assert rows_now == rows_before > 0
            assert _cells(now.getvalue()) == _cells(before.getvalue())


def test_the_demo_workbook_has_its_frozen_header_filter_and_formats(demo):
    campaign = Campaign.objects.filter(year=2022).first()
    stream = BytesIO()
    with translation.override("vi"):
        rows = write_progress_workbook(campaign, stream, today=demo.today)
    ws = load_workbook(BytesIO(stream.getvalue())).worksheets[0]
    assert ws.freeze_panes == "A3"
    assert ws.auto_filter.ref.startswith("A2:J")
    assert ws["A2"].value == "Nhiệm vụ" and ws["A2"].font.b
    dates = [cell.number_format for cell in ws["G"][2:] if cell.value is not None]
    assert dates and set(dates) == {"DD/MM/YYYY"}
    assert rows > 0


def test_a_name_starting_with_equals_stays_text_as_the_old_writer_kept_it(demo):
    """Rows are handed to openpyxl as cells (core.spreadsheets.rows.RowCells), past the guard of
    core.spreadsheets.safe_text.append: a unit's or a task's name that starts with "=" must still
    be written as text, never as a formula Excel would run."""
    from tasks.models import Assignment

    campaign = Campaign.objects.filter(year=2022).first()
    assignment = Assignment.objects.filter(task__item__campaign=campaign).select_related(
        "unit", "task").first()
    assignment.unit.name = '=HYPERLINK("http://example.invalid","Trường")'
    assignment.unit.save(update_fields=["name"])
    assignment.task.title = "=1+1 Nhiệm vụ"
    assignment.task.save(update_fields=["title"])
    before, now = BytesIO(), BytesIO()
    with translation.override("vi"):
        progress_export_before.write_progress_workbook(campaign, before, today=demo.today)
        write_progress_workbook(campaign, now, today=demo.today)
    assert _cells(now.getvalue()) == _cells(before.getvalue())
    found = [cell for ws in load_workbook(BytesIO(now.getvalue())).worksheets
             for row in ws.iter_rows(min_row=3) for cell in row
             if isinstance(cell.value, str) and cell.value.startswith("=")]
    assert {cell.value for cell in found} == {assignment.unit.name, assignment.task.title}
    assert {cell.data_type for cell in found} == {"s"}
