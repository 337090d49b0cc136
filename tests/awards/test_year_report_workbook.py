"""The year-end report's workbook written through reused cells (issue 19, layout.RowCells),
opened back with openpyxl: cell for cell what the old writer (a frozen copy in
year_report_workbook_before.py) made, on the demo's plans, and with a unit whose name reads as
a formula."""

from io import BytesIO

import pytest
from django.utils import translation
from openpyxl import load_workbook

from awards.documents import year_report
from campaigns.models import Campaign
from tests.demo_data import module_demo

from . import year_report_workbook_before

pytestmark = pytest.mark.django_db

demo = module_demo()


def _cells(content):
    """Everything a person sees in the workbook: sheets, panes, filters, widths, and each cell's
    value, type, number format, style, font, fill, alignment, border and protection."""
    workbook = load_workbook(BytesIO(content))
    seen = []
    for ws in workbook.worksheets:
        seen.append((ws.title, ws.freeze_panes, ws.auto_filter.ref,
                     {key: dim.width for key, dim in ws.column_dimensions.items()}))
        for row in ws.iter_rows():
            seen.extend((cell.coordinate, cell.value, cell.data_type, cell.number_format,
                         cell.style, repr(cell.font), repr(cell.fill), repr(cell.alignment),
                         repr(cell.border), repr(cell.protection)) for cell in row)
    return seen


def test_year_report_workbook_equals_the_old_one_on_the_demo(demo):
    campaigns = list(Campaign.objects.exclude(scheme=None))
    assert campaigns
    with translation.override("vi"):
        for campaign in campaigns:
            data = year_report.context(campaign.pk)
            assert data["ranking"] and data["results"]
            now = _cells(year_report.workbook(data))
            assert now == _cells(year_report_workbook_before.workbook(data))


def test_year_report_workbook_keeps_a_formula_like_name_as_text(demo):
    campaign = Campaign.objects.exclude(scheme=None).first()
    with translation.override("vi"):
        data = year_report.context(campaign.pk)
        data["ranking"][0]["unit"] = '=HYPERLINK("http://x","y")'
        data["not_disseminated"] = ["=1+1", None, "Trường A"]
        content = year_report.workbook(data)
        assert _cells(content) == _cells(year_report_workbook_before.workbook(data))
    ranking = load_workbook(BytesIO(content))["Xếp hạng"]
    assert ranking["B2"].value == '=HYPERLINK("http://x","y")'
    assert ranking["B2"].data_type == "s"
