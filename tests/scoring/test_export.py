"""The ranking export, downloaded as the Office and opened back with openpyxl."""

import datetime
from decimal import Decimal
from io import BytesIO

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from openpyxl import load_workbook

from awards.jobs import generate_document
from awards.models import DocumentStatus, GeneratedDocument
from campaigns import services as campaign_services
from scoring import jobs, services
from scoring.exports import write_ranking_workbook
from scoring.models import Criterion, Grade, Round, Rule, Scheme, Score, Sheet, Stage
from scoring.rules import q2
from tasks import services as task_services
from tasks.models import Cadence, IndicatorKind, Task
from units.models import Initiative, InitiativeLevel, Unit, UnitKind, Violation, ViolationKind

from ..export_jobs import workbook_cells
from ..factories import UnitFactory, plan
from . import ranking_export_before

RANKING = ["Rank", "Unit", "Unit kind", "Points", "Applicable maximum", "Score on the scale",
           "Bonus", "Penalty", "Final score", "Class"]
DETAIL = ["Unit", "Content item", "Criterion", "Criterion title", "Maximum", "Rule",
          "Applicable", "Points from the task data", "Points", "Note"]
CUTOFF = datetime.date(2022, 12, 31)
DEADLINE = datetime.date(2099, 12, 31)  # the unit heads' deadline for the self-assessment


@pytest.fixture(autouse=True)
def _vietnamese():
    with translation.override("vi"):
        yield


def _scheme(campaign, units, office):
    """A launched plan's scheme (scale 100) with four leaf criteria under three content items:
    proportional and timeliness on a quarterly task, bands on a one-off task that only the first
    unit has, and a manual criterion."""
    items = list(campaign.items.order_by("number"))
    quarterly = Task.objects.create(
        item=items[0], title="Công khai thủ tục hành chính", target_value=100,
        indicator_kind=IndicatorKind.PERCENT, cadence=Cadence.QUARTERLY, deadline=CUTOFF)
    once = Task.objects.create(
        item=items[1], title="Số hóa hồ sơ", target_value=10, indicator_kind=IndicatorKind.COUNT,
        cadence=Cadence.ONCE, deadline=CUTOFF)
    task_services.assign(task=quarterly, units=units, user=office)
    task_services.assign(task=once, units=units[:1], user=office)
    scheme = Scheme.objects.create(campaign=campaign)  # scored up to today
    parent = Criterion.objects.create(scheme=scheme, item=items[0], number="1", order=1,
                                      title="Cải cách thủ tục hành chính", max_points=40)
    proportional = Criterion.objects.create(
        scheme=scheme, item=items[0], parent=parent, number="1.1", order=2,
        title="Tỷ lệ thủ tục được công khai", max_points=20, rule=Rule.PROPORTIONAL)
    proportional.tasks.set([quarterly])
    Criterion.objects.create(scheme=scheme, item=items[0], parent=parent, number="1.2", order=3,
                             title="Báo cáo đúng hạn", max_points=20, rule=Rule.TIMELINESS)
    banded = Criterion.objects.create(
        scheme=scheme, item=items[1], number="2", order=4, title="Số hóa hồ sơ",
        max_points=30, rule=Rule.BANDS, bands=[[100, 100], [50, 50]])
    banded.tasks.set([once])
    Criterion.objects.create(scheme=scheme, item=items[2], number="3", order=5,
                             title="Sáng kiến, mô hình mới", max_points=30, rule=Rule.MANUAL)
    return scheme, quarterly, once


def _report(task, unit, period, value, user, *, accept_by=None):
    assignment = task.assignments.get(unit=unit)
    report = task_services.save_report(assignment=assignment, period=assignment.period(period),
                                       data={"value": Decimal(value)}, user=user)
    report = task_services.submit(report=report, user=user)
    if accept_by:
        task_services.accept(report=report, user=accept_by)


@pytest.fixture
def ranked(cast, settings, tmp_path):
    """Units A and B in the self-assessment of a 2022 plan, with reports, registers and a manual
    mark with a note; returns the scheme."""
    settings.MEDIA_ROOT = tmp_path / "media"
    # B before A in the unit order, the reverse of their names' order under any collation.
    Unit.objects.filter(pk=cast.unit_b.pk).update(order=1)
    Unit.objects.filter(pk=cast.unit_a.pk).update(order=2)
    campaign = plan(units=[cast.unit_a, cast.unit_b])
    campaign_services.launch(campaign=campaign, user=cast.office)
    scheme, quarterly, once = _scheme(campaign, [cast.unit_a, cast.unit_b], cast.office)
    _report(quarterly, cast.unit_a, "2022-Q1", "80", cast.head_a, accept_by=cast.office)
    _report(quarterly, cast.unit_b, "2022-Q1", "50", cast.head_b)
    _report(once, cast.unit_a, "2022", "10", cast.head_a, accept_by=cast.office)
    Initiative.objects.create(title="Phần mềm quản lý hồ sơ", unit=cast.unit_a,
                              level=InitiativeLevel.PROVINCE, year=2022,
                              decision="12/QĐ-SGDĐT", decided_on=datetime.date(2022, 6, 1))
    Violation.objects.create(unit=cast.unit_b, kind=ViolationKind.LATE_REPORTING,
                             occurred_on=datetime.date(2022, 5, 3), description="Báo cáo chậm.")
    services.open_first_round(scheme=scheme, deadline=DEADLINE, user=cast.office)
    round_ = scheme.rounds.get()
    sheet = round_.sheets.get(unit=cast.unit_a)
    manual = round_.scores.get(unit=cast.unit_a, criterion__number="3")
    services.save_sheet(sheet=sheet, changes={manual: (Decimal("25.5"), "Có mô hình “Một cửa”")},
                        user=cast.head_a, expected_version=sheet.version)
    return Scheme.objects.select_related("campaign").get(pk=scheme.pk)


def _download(client, scheme, **params):
    return client.get(reverse("scoring:export", args=[scheme.campaign_id]), params)


def _workbook(response):
    assert response.status_code == 200
    return load_workbook(BytesIO(b"".join(response.streaming_content)))


def _number(value):
    """A number read back from the workbook, as the two-decimal Decimal it was written from."""
    return None if value is None else q2(Decimal(str(value)))


def _expected_ranking(round_):
    sheets = Sheet.objects.filter(round=round_).select_related("unit")
    sheets = sorted(sheets, key=lambda s: (s.rank, s.unit.order, s.unit.name))
    return [(s.rank, s.unit.name, str(UnitKind(s.unit.kind).label), s.raw, s.max_points,
             s.appraised, s.bonus, s.penalty, s.final, str(Grade(s.grade).label))
            for s in sheets]


def _expected_detail(round_):
    scores = Score.objects.filter(round=round_).select_related("unit", "criterion__item")
    scores = sorted(scores, key=lambda s: (s.unit.order, s.unit.name, s.criterion.order))
    assert len({s.unit.order for s in scores}) == len({s.unit_id for s in scores})
    return [(s.unit.name, s.criterion.item.number, s.criterion.number, s.criterion.title,
             s.criterion.max_points, str(Rule(s.criterion.rule).label),
             gettext("Yes") if s.applicable else gettext("No"), s.data_points, s.points,
             s.note or None)
            for s in scores]


def _read(sheet, numbers):
    """The data rows of a sheet, with the columns at `numbers` (0-based) read as Decimals."""
    return [tuple(_number(v) if i in numbers else v for i, v in enumerate(row))
            for row in list(sheet.values)[1:]]


def test_every_ranking_and_criterion_row_matches_the_database(cast, client_for, ranked):
    round_ = ranked.rounds.get()

    response = _download(client_for(cast.office), ranked)

    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert (f'filename="xep-hang-{ranked.campaign.number}-KH-SGDDT-2022.xlsx"'
            in response["Content-Disposition"])
    workbook = _workbook(response)
    assert workbook.sheetnames == [gettext("Ranking"), gettext("Criteria in detail"),
                                   gettext("Information")]
    ranking, detail, info = workbook.worksheets

    assert list(next(ranking.values)) == [gettext(h) for h in RANKING]
    expected = _expected_ranking(round_)
    assert _read(ranking, {3, 4, 5, 6, 7, 8}) == expected
    assert len(expected) == 2
    a = next(row for row in expected if row[1] == cast.unit_a.name)
    # The data behind it: A reached 80 % on the quarterly task (16 of 20), reported Q1 late and
    # Q2–Q4 not at all (20 − 4 × 0.5 = 18), reached the one-off target (30), entered 25.5 for
    # the manual criterion and has a province-level initiative (bonus 2).
    assert a[3:9] == (Decimal("89.50"), 100, Decimal("89.50"), 2, 0, Decimal("91.50"))

    assert list(next(detail.values)) == [gettext(h) for h in DETAIL]
    expected = _expected_detail(round_)
    assert _read(detail, {4, 7, 8}) == expected
    assert len(expected) == 2 * 4  # two units × four leaf criteria
    assert (cast.unit_a.name, 3, "3", "Sáng kiến, mô hình mới", 30,
            str(Rule.MANUAL.label), gettext("Yes"), None, Decimal("25.50"),
            "Có mô hình “Một cửa”") in expected
    assert (cast.unit_b.name, 2, "2", "Số hóa hồ sơ", 30, str(Rule.BANDS.label),
            gettext("No"), None, None, None) in expected

    for sheet, last, wide, narrow in ((ranking, "J3", "B", "A"), (detail, "J9", "D", "C")):
        assert sheet.freeze_panes == "A2"
        assert sheet.auto_filter.ref == f"A1:{last}"
        assert sheet.column_dimensions[wide].width > sheet.column_dimensions[narrow].width
        assert not any(isinstance(v, str) and v.startswith("=")
                       for row in sheet.values for v in row)
    assert ranking["I2"].number_format == "0.00"
    assert detail["E2"].number_format == "0.00"

    facts = dict(info.values)
    assert facts[gettext("Plan")] == ranked.campaign.code
    assert facts[gettext("Title")] == ranked.campaign.title
    assert facts[gettext("Round")] == str(Stage.SELF.label)
    # No cut-off date on the scheme: the task data was read up to the day of the last recompute.
    assert facts[gettext("Data cut-off date")].date() == timezone.localdate(ranked.computed_at)
    assert facts[gettext("Units ranked")] == 2
    assert isinstance(facts[gettext("Generated at")], datetime.datetime)
    assert info["B6"].number_format == "DD/MM/YYYY"


def test_a_closed_round_is_chosen_with_the_round_parameter(cast, client_for, ranked):
    first = ranked.rounds.get()
    services.advance(scheme=ranked, deadline=DEADLINE, user=cast.office)
    appraisal = ranked.rounds.get(kind=Stage.APPRAISAL)
    score = appraisal.scores.get(unit=cast.unit_a, criterion__number="3")
    sheet = appraisal.sheets.get(unit=cast.unit_a)
    services.save_sheet(sheet=sheet, changes={score: (Decimal(20), "Thẩm định lại")},
                        user=cast.office, expected_version=sheet.version)
    office = client_for(cast.office)

    default = _workbook(_download(office, ranked))
    asked = _workbook(_download(office, ranked, round=first.pk))

    assert dict(default.worksheets[2].values)[gettext("Round")] == str(Stage.APPRAISAL.label)
    assert _read(default.worksheets[1], {4, 7, 8}) == _expected_detail(appraisal)
    assert _read(asked.worksheets[1], {4, 7, 8}) == _expected_detail(first)
    assert _read(asked.worksheets[0], {3, 4, 5, 6, 7, 8}) == _expected_ranking(first)
    info = dict(asked.worksheets[2].values)
    assert info[gettext("Round")] == str(Stage.SELF.label)
    first.refresh_from_db()
    closed = timezone.localdate(first.closed_at)
    assert info[gettext("Round status")] == gettext("Closed on %(date)s") % {
        "date": f"{closed:%d/%m/%Y}"}
    assert info[gettext("Data cut-off date")].date() == closed


def test_a_round_of_another_scheme_or_a_bad_round_is_not_found(cast, client_for, ranked):
    other = plan(units=[cast.unit_a])
    campaign_services.launch(campaign=other, user=cast.office)
    other_scheme = Scheme.objects.create(campaign=other)
    stranger = Round.objects.create(scheme=other_scheme, kind=Stage.SELF, deadline=DEADLINE,
                                    opened_at=datetime.datetime(2022, 3, 1, tzinfo=datetime.UTC),
                                    opened_by=cast.office)
    office = client_for(cast.office)

    assert _download(office, ranked, round=stranger.pk).status_code == 404
    assert _download(office, ranked, round="abc").status_code == 404
    # A campaign without a scheme has nothing to export.
    assert client_for(cast.office).get(
        reverse("scoring:export", args=[plan().pk])).status_code == 404


def test_before_the_first_round_the_workbook_has_headers_only(cast, client_for):
    campaign = plan(units=[cast.unit_a])
    campaign_services.launch(campaign=campaign, user=cast.office)
    scheme, _quarterly, _once = _scheme(campaign, [cast.unit_a], cast.office)
    scheme.cutoff = CUTOFF
    scheme.save()

    workbook = _workbook(_download(client_for(cast.office), scheme))

    ranking, detail, info = workbook.worksheets
    assert list(ranking.values) == [tuple(gettext(h) for h in RANKING)]
    assert list(detail.values) == [tuple(gettext(h) for h in DETAIL)]
    facts = dict(info.values)
    assert facts[gettext("Round")] == gettext("No round has been opened yet.")
    assert facts[gettext("Data cut-off date")] == datetime.datetime(2022, 12, 31)
    assert facts[gettext("Units ranked")] == 0


def test_unit_heads_are_refused_and_anonymous_users_sent_to_sign_in(cast, client_for, ranked):
    assert _download(client_for(cast.head_a), ranked).status_code == 403
    assert _download(client_for(cast.staff), ranked).status_code == 403
    response = _download(client_for(None), ranked)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    for reader in (cast.director, cast.union, cast.admin):
        assert _download(client_for(reader), ranked).status_code == 200


@pytest.mark.parametrize("units", [1, 20])
def test_query_count_does_not_grow_with_the_units(cast, client_for, django_assert_num_queries,
                                                  units):
    campaign = plan(units=[cast.unit_a])
    campaign_services.launch(campaign=campaign, user=cast.office)
    all_units = [cast.unit_a, *UnitFactory.create_batch(units - 1, parent=cast.root)]
    scheme, _quarterly, _once = _scheme(campaign, all_units, cast.office)
    services.open_first_round(scheme=scheme, deadline=DEADLINE, user=cast.office)
    office = client_for(cast.office)
    assert Sheet.objects.filter(round__scheme=scheme).count() == units

    # session, user, staff record, campaign, scheme, round, the two row counts (request or
    # worker?), scheme and round again (the job kind reads its params), sheets, scores, then the
    # copy kept for "My documents" (savepoint, insert, update, release)
    with django_assert_num_queries(16):
        response = _download(office, scheme)
    workbook = _workbook(response)
    assert len(list(workbook.worksheets[1].values)) == 1 + units * 4


def test_the_writer_reads_two_queries_whatever_the_units(cast, django_assert_num_queries,
                                                         ranked):
    round_ = ranked.rounds.get()
    with django_assert_num_queries(2):
        counts = write_ranking_workbook(ranked, round_, BytesIO())
    assert counts == (2, 8)
    assert Criterion.objects.filter(scheme=ranked).count() == 5


def test_rows_through_reused_cells_are_the_workbook_the_old_writer_wrote(cast, ranked):
    """The rows go through reused cells (core.spreadsheets.rows.RowCells): cell for cell the
    workbook of the writer before (frozen in ranking_export_before.py), a unit name and a note
    that read as formulas kept as text."""
    Unit.objects.filter(pk=cast.unit_a.pk).update(name="=HYPERLINK(\"http://x\",\"y\")")
    Score.objects.filter(note__gt="").update(note="=1+1")
    round_ = ranked.rounds.get()
    now = timezone.now()
    new, old = BytesIO(), BytesIO()
    assert write_ranking_workbook(ranked, round_, new, now=now) == \
        ranking_export_before.write_ranking_workbook(ranked, round_, old, now=now) == (2, 8)
    assert workbook_cells(new.getvalue()) == workbook_cells(old.getvalue())
    detail = load_workbook(new).worksheets[1]
    formulas = [cell for row in detail.iter_rows() for cell in row
                if isinstance(cell.value, str) and cell.value.startswith("=")]
    assert {cell.value for cell in formulas} == {'=HYPERLINK("http://x","y")', "=1+1"}
    assert {cell.data_type for cell in formulas} == {"s"}
    assert detail["D2"].alignment.wrap_text


# The background worker (core.jobs) ------------------------------------------------------------

def test_export_sent_to_the_worker_shows_progress_then_the_same_workbook(cast, client_for,
                                                                          ranked):
    office = client_for(cast.office)
    response = _download(office, ranked, background="1")
    document = GeneratedDocument.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("awards:document", args=[document.pk])
    assert (document.kind, document.status) == (jobs.RANKING, DocumentStatus.QUEUED)

    assert generate_document.call(document.pk) == DocumentStatus.DONE

    document.refresh_from_db()
    assert (document.progress, document.rows) == (100, 2 + Score.objects.count())
    queued = load_workbook(BytesIO(b"".join(office.get(
        reverse("awards:document_file", args=[document.pk])).streaming_content)))
    direct = _workbook(_download(office, ranked))
    for name in ("Xếp hạng", "Chi tiết theo tiêu chí"):
        assert list(queued[name].values) == list(direct[name].values)
    # Only the Office member who asked reads it.
    other = client_for(cast.director).get(reverse("awards:document_file", args=[document.pk]))
    assert other.status_code == 404


def test_a_unit_head_cannot_send_the_ranking_to_the_worker(cast, client_for, ranked):
    response = _download(client_for(cast.head_a), ranked, background="1")
    assert response.status_code == 403
    assert not GeneratedDocument.objects.exists()
