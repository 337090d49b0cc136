"""The round workflow on a small plan whose figures are computed by hand (see conftest)."""

import datetime
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError

from scoring import recompute, services
from scoring.models import Grade, Score, Sheet, Stage
from tasks.models import ReportStatus
from units.models import AuditEntry, Initiative, InitiativeLevel, Violation, ViolationKind

from .conftest import accepted

DEADLINE = datetime.date(2099, 12, 31)


def points(round_, unit):
    return {s.criterion.number: s.points
            for s in Score.objects.filter(round=round_, unit=unit).select_related("criterion")}


def sheet_of(round_, unit):
    return Sheet.objects.get(round=round_, unit=unit)


def save(round_, unit, user, values: dict):
    """Write {criterion number: (points, note)} on a unit's sheet as `user`."""
    sheet = sheet_of(round_, unit)
    scores = {s.criterion.number: s for s in round_.scores.filter(unit=unit)
              .select_related("criterion")}
    return services.save_sheet(sheet=sheet, changes={scores[n]: v for n, v in values.items()},
                               user=user, expected_version=sheet.version)


def test_self_assessment_proposes_points_from_the_task_data(scored, cast):
    round_ = services.open_first_round(scheme=scored.scheme, deadline=DEADLINE, user=cast.office)

    # A: T1 latest accepted 90/100 → 30 × 0.9; T2 8/10 = 80 % → band 75 % of 30;
    # timeliness: Q2 late + Q3, Q4 missing = 3 faults → 20 − 1.5; manual not yet entered.
    assert points(round_, cast.unit_a) == {"1": D("27.00"), "2": D("22.50"), "3": D("18.50"),
                                           "4": None}
    # B: nothing accepted; T1's four quarters missing → 20 − 2.
    assert points(round_, cast.unit_b) == {"1": D("0.00"), "2": D("0.00"), "3": D("18.00"),
                                           "4": None}
    a = sheet_of(round_, cast.unit_a)
    assert (a.raw, a.max_points, a.appraised, a.final) == (D("68.00"), D(100), D("68.00"),
                                                           D("68.00"))
    assert (a.rank, a.grade) == (1, Grade.PASS)
    assert scored.scheme.__class__.objects.get(pk=scored.scheme.pk).stage == Stage.SELF


def test_manual_points_bonus_and_penalty_make_the_final_score(scored, cast):
    Initiative.objects.create(title="Số hoá hồ sơ", unit=cast.unit_a, year=2022,
                              level=InitiativeLevel.PROVINCE, decision="1/QĐ-UBND",
                              decided_on=datetime.date(2022, 6, 1))
    Initiative.objects.create(title="Khác năm", unit=cast.unit_a, year=2021,
                              level=InitiativeLevel.PROVINCE, decision="2/QĐ-UBND",
                              decided_on=datetime.date(2021, 6, 1))
    Violation.objects.create(unit=cast.unit_a, kind=ViolationKind.LATE_REPORTING,
                             occurred_on=datetime.date(2022, 5, 2), description="Chậm báo cáo")
    round_ = services.open_first_round(scheme=scored.scheme, deadline=DEADLINE, user=cast.office)

    save(round_, cast.unit_a, cast.head_a, {"4": (D(15), "Đã tổ chức 3 buổi tuyên truyền")})

    a = sheet_of(round_, cast.unit_a)
    # 68 + 15 = 83; bonus one province initiative (2) of 2022 only; penalty 1.
    assert (a.raw, a.appraised, a.bonus, a.penalty, a.final) == (
        D("83.00"), D("83.00"), D("2.00"), D("1.00"), D("84.00"))
    assert a.grade == Grade.GOOD
    entry = AuditEntry.objects.get(action="scoring.sheet_self")
    assert entry.before == {"4": {"points": None, "note": ""}}
    assert entry.after == {"4": {"points": "15", "note": "Đã tổ chức 3 buổi tuyên truyền"}}


def test_bonus_and_penalty_stop_at_their_caps(scored, cast):
    for n in range(4):  # 4 × 2 = 8 > cap 5
        Initiative.objects.create(title=f"Sáng kiến {n}", unit=cast.unit_b, year=2022,
                                  level=InitiativeLevel.PROVINCE, decision=f"{n}/QĐ",
                                  decided_on=datetime.date(2022, 6, 1))
    for n in range(5):  # 5 × 2 = 10 = cap 10 exactly
        Violation.objects.create(unit=cast.unit_b, kind=ViolationKind.COMPLAINT,
                                 occurred_on=datetime.date(2022, 5, 2), description=f"KN {n}")
    round_ = services.open_first_round(scheme=scored.scheme, deadline=DEADLINE, user=cast.office)
    b = sheet_of(round_, cast.unit_b)
    assert (b.bonus, b.penalty) == (D("5.00"), D("10.00"))
    # 18 + 5 − 10 = 13
    assert b.final == D("13.00")


def test_a_criterion_without_tasks_for_the_unit_does_not_count_against_it(scored, cast):
    scored.t2.assignments.filter(unit=cast.unit_a).delete()
    round_ = services.open_first_round(scheme=scored.scheme, deadline=DEADLINE, user=cast.office)
    score = Score.objects.get(round=round_, unit=cast.unit_a, criterion=scored.c2)
    assert not score.applicable
    a = sheet_of(round_, cast.unit_a)
    # 27 + 18.5 of 70 applicable → 45.5 / 70 × 100 = 65.00
    assert (a.raw, a.max_points, a.appraised) == (D("45.50"), D("70.00"), D("65.00"))
    assert a.grade == Grade.PASS  # exactly the limit


def test_equal_scores_share_a_rank(scored, cast):
    for task in (scored.t1, scored.t2):
        task.assignments.filter(unit=cast.unit_a).delete()
        task.assignments.filter(unit=cast.unit_b).delete()
    from tests.factories import AssignmentFactory

    AssignmentFactory(task=scored.t1, unit=cast.unit_a)
    AssignmentFactory(task=scored.t1, unit=cast.unit_b)
    round_ = services.open_first_round(scheme=scored.scheme, deadline=DEADLINE, user=cast.office)
    ranks = set(Sheet.objects.filter(round=round_).values_list("rank", flat=True))
    assert ranks == {1}


def test_the_open_round_follows_task_data_and_a_closed_round_does_not(scored, cast):
    first = services.open_first_round(scheme=scored.scheme, deadline=DEADLINE, user=cast.office)
    save(first, cast.unit_b, cast.head_b, {"4": (D(10), "Có biên bản")})
    accepted(scored.t1.assignments.get(unit=cast.unit_b), "2022-Q1", 100,
             submitted=datetime.date(2022, 3, 20))

    services.recompute(scheme=scored.scheme, user=cast.office)
    assert points(first, cast.unit_b)["1"] == D("30.00")  # follows in the open round
    assert points(first, cast.unit_b)["4"] == D(10)  # people's points are kept

    second = services.advance(scheme=scored.scheme, deadline=DEADLINE, user=cast.office)
    frozen = points(first, cast.unit_b), sheet_of(first, cast.unit_b).final
    report = scored.t1.assignments.get(unit=cast.unit_b).reports.get()
    report.status = ReportStatus.RETURNED
    report.save()
    services.recompute(scheme=scored.scheme, user=cast.office)

    assert (points(first, cast.unit_b), sheet_of(first, cast.unit_b).final) == frozen
    later = Score.objects.get(round=second, unit=cast.unit_b, criterion=scored.c1)
    # In the appraisal the data column follows; the council's points stay as they were.
    assert (later.data_points, later.points) == (D("0.00"), D("30.00"))


def test_full_workflow_keeps_a_snapshot_per_round_and_locks(scored, cast):
    first = services.open_first_round(scheme=scored.scheme, deadline=DEADLINE, user=cast.office)
    save(first, cast.unit_a, cast.head_a, {"4": (D(18), "Có kế hoạch và biên bản")})
    services.confirm_sheet(sheet=sheet_of(first, cast.unit_a), user=cast.head_a,
                           expected_version=sheet_of(first, cast.unit_a).version)

    appraisal = services.advance(scheme=scored.scheme, deadline=DEADLINE, user=cast.union)
    assert points(appraisal, cast.unit_a) == points(first, cast.unit_a)
    save(appraisal, cast.unit_a, cast.union, {"4": (D(12), "Thiếu biên bản quý 2")})

    explanation = services.advance(scheme=scored.scheme, deadline=DEADLINE, user=cast.office)
    save(explanation, cast.unit_a, cast.head_a, {"4": (D(12), "Biên bản quý 2 đã bổ sung")})

    final = services.advance(scheme=scored.scheme, deadline=DEADLINE, user=cast.office)
    save(final, cast.unit_a, cast.office, {"4": (D(16), "Chấp nhận giải trình")})
    services.lock(scheme=scored.scheme, user=cast.director)

    assert [points(r, cast.unit_a)["4"] for r in (first, appraisal, explanation, final)] == [
        D(18), D(12), D(12), D(16)]
    assert sheet_of(final, cast.unit_a).final == D("84.00")  # 68 + 16
    scored.scheme.refresh_from_db()
    assert scored.scheme.stage == Stage.LOCKED
    assert all(r.is_closed for r in scored.scheme.rounds.all())

    # Locked: task data changing later moves nothing.
    accepted(scored.t1.assignments.get(unit=cast.unit_b), "2022-Q1", 100,
             submitted=datetime.date(2022, 3, 20))
    assert services.recompute(scheme=scored.scheme, user=cast.office) == {"created": 0,
                                                                          "changed": 0}
    assert sheet_of(final, cast.unit_b).final == D("18.00")
    with pytest.raises(ValidationError, match="đã đóng"):
        save(final, cast.unit_a, cast.office, {"4": (D(20), "")})


def test_rounds_go_in_order_and_only_the_final_is_locked(scored, cast):
    with pytest.raises(ValidationError):
        services.advance(scheme=scored.scheme, deadline=DEADLINE, user=cast.office)
    services.open_first_round(scheme=scored.scheme, deadline=DEADLINE, user=cast.office)
    with pytest.raises(ValidationError):
        services.open_first_round(scheme=scored.scheme, deadline=DEADLINE, user=cast.office)
    with pytest.raises(ValidationError, match="cuối cùng"):
        services.lock(scheme=scored.scheme, user=cast.director)


def test_a_scheme_that_does_not_add_up_cannot_open(scored, cast):
    scored.c4.max_points = 25
    scored.c4.save()
    with pytest.raises(ValidationError, match="105"):
        services.open_first_round(scheme=scored.scheme, deadline=DEADLINE, user=cast.office)
    assert not scored.scheme.rounds.exists()


def test_confirming_needs_every_manual_criterion(scored, cast):
    round_ = services.open_first_round(scheme=scored.scheme, deadline=DEADLINE, user=cast.office)
    sheet = sheet_of(round_, cast.unit_a)
    with pytest.raises(ValidationError, match="4"):
        services.confirm_sheet(sheet=sheet, user=cast.head_a, expected_version=sheet.version)
    assert sheet_of(round_, cast.unit_a).confirmed_at is None


def test_a_stale_sheet_is_refused_and_nothing_is_saved(scored, cast):
    round_ = services.open_first_round(scheme=scored.scheme, deadline=DEADLINE, user=cast.office)
    stale_version = sheet_of(round_, cast.unit_a).version
    save(round_, cast.unit_a, cast.head_a, {"4": (D(10), "Lần một")})
    score = Score.objects.get(round=round_, unit=cast.unit_a, criterion=scored.c4)
    with pytest.raises(services.StaleEdit):
        services.save_sheet(sheet=sheet_of(round_, cast.unit_a), changes={score: (D(5), "x")},
                            user=cast.head_a, expected_version=stale_version)
    score.refresh_from_db()
    assert (score.points, score.note) == (D(10), "Lần một")


def test_a_failed_recompute_leaves_the_previous_figures(scored, cast, monkeypatch):
    round_ = services.open_first_round(scheme=scored.scheme, deadline=DEADLINE, user=cast.office)
    before = points(round_, cast.unit_b), sheet_of(round_, cast.unit_b).final
    accepted(scored.t1.assignments.get(unit=cast.unit_b), "2022-Q1", 100,
             submitted=datetime.date(2022, 3, 20))

    def broken(**kwargs):
        raise RuntimeError("disk full")

    # Fault injection: the results step fails after the scores were written.
    monkeypatch.setattr(recompute, "refresh_results", broken)
    with pytest.raises(RuntimeError):
        services.recompute(scheme=scored.scheme, user=cast.office)

    assert (points(round_, cast.unit_b), sheet_of(round_, cast.unit_b).final) == before


def test_copy_from_last_year_maps_items_and_tasks_by_number_and_title(scored, cast):
    from campaigns import services as campaign_services

    copy = campaign_services.copy_to_year(source=scored.campaign, year=2023, number="9",
                                          user=cast.office)
    item1 = copy.items.get(number=1)
    from tests.factories import TaskFactory

    TaskFactory(item=item1, title=scored.t1.title)
    new = services.copy_scheme(source=scored.scheme, campaign=copy, user=cast.office)
    criteria = {c.number: c for c in new.criteria.all()}
    assert sorted(criteria) == ["1", "2", "3", "4"]
    assert criteria["3"].item == item1
    assert list(criteria["3"].tasks.values_list("title", flat=True)) == [scored.t1.title]
    assert criteria["2"].bands == [[100, 100], [80, 75], [50, 50]]
    assert new.stage == Stage.SETUP and new.copied_from == scored.scheme


def test_reviewing_a_report_moves_the_open_round(scored, cast,
                                                 django_capture_on_commit_callbacks):
    from tasks import services as task_services

    # Reports submitted today count only when the data is not cut off at a past date.
    scored.scheme.cutoff = None
    scored.scheme.save()
    round_ = services.open_first_round(scheme=scored.scheme, deadline=DEADLINE, user=cast.office)
    assignment = scored.t1.assignments.get(unit=cast.unit_b)
    with django_capture_on_commit_callbacks(execute=True):
        report = task_services.save_report(assignment=assignment,
                                           period=assignment.period("2022-Q1"),
                                           data={"value": D(60)}, user=cast.head_b)
        task_services.submit(report=report, user=cast.head_b)
        task_services.accept(report=report, user=cast.office)

    # B now has 60 % of T1 (30 × 0.6); only B's sheet was recomputed, A's is as it was.
    assert points(round_, cast.unit_b)["1"] == D("18.00")
    # Timeliness: Q1 reported late, Q2–Q4 missing → 20 − 4 × 0.5.
    assert sheet_of(round_, cast.unit_b).raw == D("36.00")  # 18 + 0 + 18
    assert sheet_of(round_, cast.unit_a).raw == D("68.00")


def test_work_not_yet_due_at_the_cut_off_is_not_scored(scored, cast):
    scored.scheme.cutoff = datetime.date(2022, 3, 1)  # before the first quarter is due
    scored.scheme.save()
    accepted(scored.t2.assignments.get(unit=cast.unit_b), "2022", 10,
             submitted=datetime.date(2022, 2, 20))  # B reported T2 early
    round_ = services.open_first_round(scheme=scored.scheme, deadline=DEADLINE, user=cast.office)

    a = {s.criterion.number: s.applicable
         for s in Score.objects.filter(round=round_, unit=cast.unit_a).select_related("criterion")}
    assert a == {"1": False, "2": False, "3": False, "4": True}
    assert points(round_, cast.unit_b)["2"] == D("30.00")  # early and complete: counted
    assert sheet_of(round_, cast.unit_a).max_points == D("20.00")
