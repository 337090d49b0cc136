"""The year-end report's and the decision's workbooks written through reused cells (issue 19,
layout.RowCells), opened back with openpyxl: cell for cell what the old writers (frozen copies in
year_report_workbook_before.py and decision_workbook_before.py) made, on the demo's plans and
decisions, and with names that read as formulas."""

from io import BytesIO

import pytest
from django.utils import timezone, translation
from openpyxl import load_workbook

from awards.documents import decision, year_report
from awards.models import Conferral, Decision
from campaigns.models import Campaign
from tests.demo_data import module_demo
from tests.export_jobs import workbook_cells

from . import decision_workbook_before, year_report_workbook_before

pytestmark = pytest.mark.django_db

demo = module_demo()


def _cells(content):
    return workbook_cells(content)


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


def test_decision_workbook_equals_the_old_one_on_the_demo(demo):
    one = Decision.objects.filter(dossier__isnull=True, conferrals__isnull=False).first()
    assert one is not None

    def both():
        with translation.override("vi"):
            data = decision.context(one.pk)
            data["rows"][0]["staff__position"] = "=1+1"
            now = _cells(decision.workbook(data))
            assert now == _cells(decision_workbook_before.workbook(data))
            return now

    assert len(both()) > 10
    # One award revoked, then the whole decision: the revocation columns filled.
    some = Conferral.objects.filter(issued_by=one).first()
    some.revoked_at, some.revoked_reason = timezone.now(), "Khai không đúng thành tích"
    some.save()
    assert any(cell[1] == "Khai không đúng thành tích" for cell in both())
    one.revoked_at, one.revoked_reason = timezone.now(), "Sai thẩm quyền"
    one.save()
    assert any(cell[1] == "Sai thẩm quyền" for cell in both())
