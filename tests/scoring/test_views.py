"""The scoring pages as people use them: forms, messages, figures and query counts."""

import datetime
from decimal import Decimal as D

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from scoring import services
from scoring.models import Criterion, Rule, Scheme, Score, Sheet
from tests.factories import AssignmentFactory, UnitFactory

from .conftest import accepted

DEADLINE = datetime.date(2099, 12, 31)


@pytest.fixture
def opened(scored, cast):
    return services.open_first_round(scheme=scored.scheme, deadline=DEADLINE, user=cast.office)


def sheet_url(scored, unit, round_=None):
    url = reverse("scoring:sheet", args=[scored.campaign.pk, unit.pk])
    return f"{url}?round={round_.pk}" if round_ else url


def manual(round_, unit, scored):
    return Score.objects.get(round=round_, unit=unit, criterion=scored.c4)


def post_sheet(client, scored, unit, round_, values):
    """Post the sheet as the browser does: every criterion's current values, with `values`
    changed."""
    sheet = Sheet.objects.get(round=round_, unit=unit)
    data = {"version": sheet.version}
    for score in Score.objects.filter(round=round_, unit=unit):
        data[f"points_{score.pk}"] = "" if score.points is None else str(score.points)
        data[f"note_{score.pk}"] = score.note
    return client.post(sheet_url(scored, unit, round_), {**data, **values})


def test_points_above_the_maximum_are_refused_in_vietnamese(cast, client_for, scored, opened):
    score = manual(opened, cast.unit_a, scored)
    response = post_sheet(client_for(cast.head_a), scored, cast.unit_a, opened,
                          {f"points_{score.pk}": "25", f"note_{score.pk}": "Có biên bản"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Tối đa 20 điểm cho tiêu chí này." in page
    assert "Chưa lưu gì" in page
    score.refresh_from_db()
    assert score.points is None


def test_points_need_evidence_or_an_explanation(cast, client_for, scored, opened):
    score = manual(opened, cast.unit_a, scored)
    response = post_sheet(client_for(cast.head_a), scored, cast.unit_a, opened,
                          {f"points_{score.pk}": "15", f"note_{score.pk}": ""})
    assert "đính kèm tài liệu kiểm chứng hoặc viết giải trình" in response.content.decode()
    score.refresh_from_db()
    assert score.points is None


def test_head_saves_and_confirms_the_self_assessment(cast, client_for, scored, opened):
    client = client_for(cast.head_a)
    score = manual(opened, cast.unit_a, scored)
    response = post_sheet(client, scored, cast.unit_a, opened,
                          {f"points_{score.pk}": "15,5", f"note_{score.pk}": "Biên bản số 3"})
    assert response.status_code == 302
    score.refresh_from_db()
    assert (score.points, score.note, score.updated_by) == (D("15.5"), "Biên bản số 3",
                                                            cast.head_a)

    sheet = Sheet.objects.get(round=opened, unit=cast.unit_a)
    response = client.post(reverse("scoring:confirm", args=[scored.campaign.pk, cast.unit_a.pk]),
                           {"version": sheet.version}, follow=True)
    assert "Đã xác nhận kết quả tự đánh giá" in response.content.decode()
    sheet.refresh_from_db()
    assert sheet.confirmed_by == cast.head_a
    # Once confirmed the sheet has no form any more.
    assert 'id="sheet-form"' not in client.get(sheet_url(scored, cast.unit_a)).content.decode()


def test_appraisal_below_the_self_assessment_needs_a_comment(cast, client_for, scored, opened):
    services.save_sheet(sheet=Sheet.objects.get(round=opened, unit=cast.unit_a),
                        changes={manual(opened, cast.unit_a, scored): (D(18), "Có biên bản")},
                        user=cast.head_a,
                        expected_version=Sheet.objects.get(round=opened, unit=cast.unit_a).version)
    appraisal = services.advance(scheme=scored.scheme, deadline=DEADLINE, user=cast.office)
    score = manual(appraisal, cast.unit_a, scored)
    client = client_for(cast.union)

    response = post_sheet(client, scored, cast.unit_a, appraisal,
                          {f"points_{score.pk}": "12", f"note_{score.pk}": ""})
    assert "Hãy nêu lý do chấm thấp hơn điểm tự đánh giá" in response.content.decode()
    score.refresh_from_db()
    assert score.points == D(18)

    response = post_sheet(client, scored, cast.unit_a, appraisal,
                          {f"points_{score.pk}": "12", f"note_{score.pk}": "Thiếu biên bản"})
    assert response.status_code == 302
    score.refresh_from_db()
    assert (score.points, score.note) == (D(12), "Thiếu biên bản")


def _appraised(cast, scored, opened, points, note):
    """The appraisal round, after unit A gave itself 18 on the manual criterion and the Office
    appraised it `points` with `note`."""
    first = Sheet.objects.get(round=opened, unit=cast.unit_a)
    services.save_sheet(sheet=first, changes={manual(opened, cast.unit_a, scored): (D(18), "x")},
                        user=cast.head_a, expected_version=first.version)
    appraisal = services.advance(scheme=scored.scheme, deadline=DEADLINE, user=cast.office)
    sheet = Sheet.objects.get(round=appraisal, unit=cast.unit_a)
    services.save_sheet(sheet=sheet, changes={manual(appraisal, cast.unit_a, scored):
                                              (points, note)},
                        user=cast.office, expected_version=sheet.version)
    return appraisal


def test_explanation_round_asks_only_where_appraisal_is_lower(cast, client_for, scored, opened):
    _appraised(cast, scored, opened, D(10), "Thiếu biên bản")
    explanation = services.advance(scheme=scored.scheme, deadline=DEADLINE, user=cast.office)
    score = manual(explanation, cast.unit_a, scored)
    page = client_for(cast.head_a).get(sheet_url(scored, cast.unit_a)).content.decode()

    assert f'name="note_{score.pk}"' in page
    assert f'name="points_{score.pk}"' not in page  # units explain, they do not re-score
    c1 = Score.objects.get(round=explanation, unit=cast.unit_a, criterion=scored.c1)
    assert f'name="note_{c1.pk}"' not in page

    response = post_sheet(client_for(cast.head_a), scored, cast.unit_a, explanation,
                          {f"note_{score.pk}": "Đã bổ sung biên bản quý 2"})
    assert response.status_code == 302
    score.refresh_from_db()
    assert (score.points, score.note) == (D(10), "Đã bổ sung biên bản quý 2")


def test_compare_shows_each_changed_criterion(cast, client_for, scored, opened):
    appraisal = _appraised(cast, scored, opened, D("12.5"), "Thiếu biên bản quý 2")

    response = client_for(cast.director).get(
        reverse("scoring:compare", args=[scored.campaign.pk]),
        {"first": opened.pk, "second": appraisal.pk})

    rows = response.context["changes"]
    assert [(r["unit"], r["criterion"].number, r["before"], r["after"], r["diff"])
            for r in rows] == [(cast.unit_a, "4", D(18), D("12.5"), D("-5.5"))]
    assert "Thiếu biên bản quý 2" in response.content.decode()


def test_content_item_view_aggregates_the_units(cast, client_for, scored, opened):
    response = client_for(cast.director).get(reverse("scoring:items",
                                                     args=[scored.campaign.pk]))
    summary = {row["item"].number: row for row in response.context["summary"]}
    # Item 1 holds criteria 1 (max 30) and 3 (max 20). A: 27 + 18.5, B: 0 + 18 → 63.5 of 100.
    assert summary[1]["score"] == D("31.75")  # 50 × 63.5 / 100
    assert summary[1]["lost"] == D("36.50")
    assert [u for _lost, u in summary[1]["losers"]] == [cast.unit_b, cast.unit_a]
    # Item 3 is manual and not yet entered: everything lost.
    assert summary[3]["score"] == D("0.00")
    grid = {row["unit"]: row for row in response.context["grid"]}
    assert grid[cast.unit_a]["lost"] == D("32.00")  # 3 + 7.5 + 1.5 + 20


def test_scheme_form_refuses_maxima_that_do_not_add_up(cast, client_for, scored):
    campaign = scored.campaign
    Scheme.objects.all().delete()
    item = campaign.items.first()
    data = _scheme_post(item, [("1", "60", Rule.PROPORTIONAL, ""),
                               ("2", "30", Rule.MANUAL, "")])
    response = client_for(cast.office).post(reverse("scoring:scheme", args=[campaign.pk]), data)
    page = response.content.decode()
    assert "Tổng điểm tối đa của các tiêu chí là 90" in page
    assert not Scheme.objects.exists()


def test_scheme_form_saves_sub_criteria_under_their_criterion(cast, client_for, scored):
    campaign = scored.campaign
    Scheme.objects.all().delete()
    item = campaign.items.first()
    data = _scheme_post(item, [("1", "60", Rule.PROPORTIONAL, ""),
                               ("2", "40", Rule.MANUAL, ""),
                               ("2.1", "25", Rule.BANDS, "100:100; 80:75"),
                               ("2.2", "15", Rule.TIMELINESS, "")])
    response = client_for(cast.office).post(reverse("scoring:scheme", args=[campaign.pk]), data)
    assert response.status_code == 302
    criteria = {c.number: c for c in Criterion.objects.filter(scheme__campaign=campaign)}
    assert criteria["2.1"].parent == criteria["2"] and criteria["2.2"].parent == criteria["2"]
    assert criteria["1"].parent is None
    assert criteria["2.1"].bands == [[100.0, 100.0], [80.0, 75.0]]


def test_scheme_form_explains_a_sub_criterion_without_parent(cast, client_for, scored):
    Scheme.objects.all().delete()
    item = scored.campaign.items.first()
    data = _scheme_post(item, [("1", "100", Rule.PROPORTIONAL, ""),
                               ("3.1", "10", Rule.MANUAL, "")])
    page = client_for(cast.office).post(reverse("scoring:scheme", args=[scored.campaign.pk]),
                                        data).content.decode()
    assert "Không có tiêu chí 3 để chứa tiêu chí thành phần này." in page
    assert not Scheme.objects.exists()


def _scheme_post(item, rows):
    data = {"version": "", "scale": "100", "cutoff": "", "band_excellent": "90",
            "band_good": "80", "band_pass": "65", "bonus_grassroots": "1",
            "bonus_province": "2", "bonus_cap": "5", "penalty_late_reporting": "1",
            "penalty_discipline": "2", "penalty_complaint": "2", "penalty_other": "1",
            "penalty_cap": "10", "criteria-TOTAL_FORMS": str(len(rows)),
            "criteria-INITIAL_FORMS": "0", "criteria-MIN_NUM_FORMS": "0",
            "criteria-MAX_NUM_FORMS": "1000"}
    for i, (number, maximum, rule, bands) in enumerate(rows):
        data.update({f"criteria-{i}-order": str(i), f"criteria-{i}-number": number,
                     f"criteria-{i}-item": str(item.pk),
                     f"criteria-{i}-title": f"Tiêu chí {number}",
                     f"criteria-{i}-max_points": maximum, f"criteria-{i}-rule": rule,
                     f"criteria-{i}-bands_text": bands, f"criteria-{i}-deduction": "0.5",
                     f"criteria-{i}-guidance": ""})
    return data


def _grow(scored, cast, count):
    """`count` more units with work on T1, and the round recomputed."""
    for n in range(count):
        unit = UnitFactory(parent=cast.root)
        assignment = AssignmentFactory(task=scored.t1, unit=unit)
        accepted(assignment, "2022-Q1", 50 + n, submitted=datetime.date(2022, 3, 1))
    services.recompute(scheme=scored.scheme, user=cast.office)


@pytest.mark.parametrize(("name", "unit_page"), [("scoring:ranking", False),
                                                 ("scoring:sheet", True),
                                                 ("scoring:items", False),
                                                 ("scoring:compare", False)])
def test_pages_keep_their_query_count_as_units_grow(cast, client_for, scored, opened, name,
                                                    unit_page):
    appraisal = services.advance(scheme=scored.scheme, deadline=DEADLINE, user=cast.office)
    sheet = Sheet.objects.get(round=appraisal, unit=cast.unit_a)
    services.save_sheet(sheet=sheet, changes={manual(appraisal, cast.unit_a, scored): (D(5), "")},
                        user=cast.office, expected_version=sheet.version)  # one difference
    args = [scored.campaign.pk, cast.unit_a.pk] if unit_page else [scored.campaign.pk]
    client = client_for(cast.office)
    url = reverse(name, args=args)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    few = count()
    _grow(scored, cast, 15)
    assert count() == few
    # The sheet's 17 include what explains each criterion's points: the criteria's tasks, the
    # unit's assignments, reports and returns (scoring/explain.py).
    assert few == {"scoring:ranking": 10, "scoring:sheet": 17, "scoring:items": 11,
                   "scoring:compare": 11}[name]


def test_after_the_deadline_the_unit_can_no_longer_edit(cast, client_for, scored):
    round_ = services.open_first_round(scheme=scored.scheme, deadline=datetime.date(2022, 11, 15),
                                       user=cast.office)
    score = manual(round_, cast.unit_a, scored)

    page = client_for(cast.head_a).get(sheet_url(scored, cast.unit_a)).content.decode()
    assert 'id="sheet-form"' not in page
    response = post_sheet(client_for(cast.head_a), scored, cast.unit_a, round_,
                          {f"points_{score.pk}": "10", f"note_{score.pk}": "Muộn"})
    assert response.status_code == 200
    score.refresh_from_db()
    assert score.points is None
