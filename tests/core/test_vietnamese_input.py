"""Vietnamese numbers and dates in the portal's own forms and in its Excel import, and round
changes that cannot apply twice."""

import datetime
from decimal import Decimal
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from awards.forms_proposals import DecisionForm, VoteForm
from scoring import services as scoring_services
from scoring.forms import CriterionForm, SchemeForm
from scoring.models import Stage
from tasks import imports
from tasks.forms import AssignmentTermsForm, TaskForm
from tasks.models import Assignment, Cadence, IndicatorKind, Task
from units.models import AuditEntry

from ..scoring.conftest import scored  # noqa: F401
from ..tasks.conftest import work  # noqa: F401


@pytest.fixture
def count_task(work):  # noqa: F811
    return Task.objects.create(item=work.task.item, title="Số hồ sơ số hóa", target_value=50,
                               indicator_kind=IndicatorKind.COUNT, cadence=Cadence.ONCE,
                               deadline=datetime.date(2022, 12, 31))


def _task_data(**changes):
    return {"title": "Số hóa hồ sơ", "description": "", "indicator_kind": IndicatorKind.COUNT,
            "indicator_label": "", "target_value": "1.200", "unit_of_measure": "hồ sơ",
            "cadence": Cadence.ONCE, "deadline": "30/06/2022", "lead_unit": "", **changes}


def test_a_task_form_reads_thousands_and_refuses_a_decimal_count(work):  # noqa: F811
    item = work.task.item
    form = TaskForm(_task_data(), item=item, instance=Task(item=item))
    assert form.is_valid(), form.errors
    assert form.cleaned_data["target_value"] == Decimal(1200)
    assert form.cleaned_data["deadline"] == datetime.date(2022, 6, 30)

    refused = TaskForm(_task_data(target_value="14,50"), item=item, instance=Task(item=item))
    assert refused.errors["target_value"] == [
        "Nhập số nguyên, không có phần thập phân (ví dụ 12 hoặc 1.200)."]
    percent = TaskForm(_task_data(target_value="95,5", indicator_kind=IndicatorKind.PERCENT),
                       item=item, instance=Task(item=item))
    assert percent.is_valid(), percent.errors
    assert percent.cleaned_data["target_value"] == Decimal("95.5")


def test_a_units_own_target_reads_the_comma(work, count_task):  # noqa: F811
    assignment = Assignment.objects.create(task=count_task, unit=work.assignment_a.unit)
    form = AssignmentTermsForm({"target_value": "1.200", "deadline": "1/7/2022"},
                               instance=assignment)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["target_value"] == 1200
    assert not AssignmentTermsForm({"target_value": "12,5", "deadline": ""},
                                   instance=assignment).is_valid()
    percent = AssignmentTermsForm({"target_value": "14,5", "deadline": ""},
                                  instance=work.assignment_a)
    assert percent.is_valid(), percent.errors
    assert percent.cleaned_data["target_value"] == Decimal("14.5")


def test_years_show_without_a_thousands_dot(cast):
    html = str(DecisionForm(initial={"year": 2022})["year"])
    assert 'value="2022"' in html and "2.022" not in html
    assert 'type="text"' in html and 'inputmode="numeric"' in html


def test_counts_on_the_vote_are_whole_numbers():
    form = VoteForm({"version": "1", "held_on": "20/12/2022", "members": "9,5", "present": "9"},
                    nominees=[])
    assert form.errors["members"] == [
        "Nhập số nguyên, không có phần thập phân (ví dụ 12 hoặc 1.200)."]


def test_scheme_figures_are_read_the_vietnamese_way(cast):
    from scoring.models import Scheme

    scheme = Scheme(band_excellent=90)
    form = SchemeForm({"scale": "100", "cutoff": "31/12/2022", "band_excellent": "92,5",
                       "band_good": "80", "band_pass": "65", "bonus_grassroots": "0,5",
                       "bonus_province": "1", "bonus_cap": "5", "penalty_late_reporting": "1",
                       "penalty_discipline": "-2", "penalty_complaint": "1",
                       "penalty_other": "1", "penalty_cap": "5"}, instance=scheme)
    assert not form.is_valid()
    assert list(form.errors) == ["penalty_discipline"]  # negative: refused, the rest read
    assert form.cleaned_data["band_excellent"] == Decimal("92.5")
    assert form.cleaned_data["bonus_grassroots"] == Decimal("0.5")


def test_bands_are_read_like_every_number(work):  # noqa: F811
    form = CriterionForm(campaign=work.campaign)
    form.cleaned_data = {"bands_text": "100:100; 82,5:75; 50:50,5"}
    assert form.clean_bands_text() == [[100.0, 100.0], [82.5, 75.0], [50.0, 50.5]]


# --- the import reads a cell as the form reads a field ---------------------------------------

def _workbook(campaign, rows):
    stream = BytesIO()
    imports.import_template(campaign, stream)
    stream.seek(0)
    workbook = load_workbook(stream)
    sheet = workbook.worksheets[0]
    for row in rows:
        sheet.append(list(row))
    out = BytesIO()
    workbook.save(out)
    return SimpleUploadedFile("phan-cong.xlsx", out.getvalue())


def test_an_import_reads_14_5_and_1_200_as_a_form_does(cast, client_for, work, count_task):  # noqa: F811
    """Text cells, as a person types them in a spreadsheet set to Vietnamese: "14,5" is 14.5
    and "1.200" is 1200, exactly as in the unit's own-target form."""
    client = client_for(cast.office)
    url = reverse("tasks:assignment_import", args=[work.campaign.pk])
    upload = _workbook(work.campaign, [
        (work.task.pk, "", "a", "", "14,5", "30/06/2022"),
        (count_task.pk, "", "a", "", "1.200", None),
        (count_task.pk, "", "b", "", "95,5 %", None),  # a count with decimals: refused
    ])

    preview = client.post(url, {"file": upload})

    assert preview.status_code == 200
    errors = [r.errors for r in preview.context["result"].rows]
    assert errors[:2] == [[], []]
    assert "phải là số nguyên" in errors[2][0]

    upload = _workbook(work.campaign, [
        (work.task.pk, "", "a", "", "14,5", "30/06/2022"),
        (count_task.pk, "", "a", "", "1.200", None),
    ])
    preview = client.post(url, {"file": upload})
    token = preview.context["confirm"]["token"].value()
    saved = client.post(url, {"token": token})

    assert saved.status_code == 302
    work.assignment_a.refresh_from_db()
    assert work.assignment_a.target_value == Decimal("14.5")
    assert work.assignment_a.deadline == datetime.date(2022, 6, 30)
    assert Assignment.objects.get(task=count_task).target_value == Decimal(1200)
    assert AuditEntry.objects.filter(action="task.import").count() == 1


@pytest.mark.parametrize(("cell", "expected"), [
    (14.5, Decimal("14.5")), ("14.5", Decimal("14.5")), ("1.200,5", Decimal("1200.5")),
    ("12 cái", None), ("14,555", None),
])
def test_import_cells_follow_the_form_rule(cell, expected):
    row = imports.ImportRow(number=2)
    imports._check_target(row, cell)
    if expected is None:
        assert row.errors
    else:
        assert row.target == expected and not row.errors


# --- a round change cannot apply twice -------------------------------------------------------

def test_a_second_press_does_not_close_two_rounds(cast, client_for, scored):  # noqa: F811
    scoring_services.open_first_round(scheme=scored.scheme, deadline=datetime.date(2099, 1, 1),
                                      user=cast.office)
    client = client_for(cast.office)
    url = reverse("scoring:advance", args=[scored.campaign.pk])
    data = {"deadline": "01/01/2099", "stage": Stage.SELF}

    first, second = client.post(url, data), client.post(url, data)

    scored.scheme.refresh_from_db()
    assert first.status_code == 302
    assert scored.scheme.stage == Stage.APPRAISAL  # not EXPLANATION
    assert "đã chuyển sang “Thẩm định”" in second.content.decode()
    assert 'value="01/01/2099"' in second.content.decode()  # the typed date is kept
    assert AuditEntry.objects.filter(action="scoring.round_open").count() == 2  # open + one
