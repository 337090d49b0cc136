"""The campaign dashboards: every headline figure against an independent count, who may open
which, a constant number of queries as units grow, and the PDF for the meeting."""

import datetime
import re
import subprocess

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from campaigns import services as campaign_services
from campaigns.models import CampaignStatus
from scoring import services
from scoring.dashboard import Filters, director_figures, unit_figures
from tasks.figures import campaign_progress
from tasks.models import Assignment, ProgressReport, ReportStatus

from ..factories import AssignmentFactory, ProgressReportFactory, UnitFactory, plan
from ..helpers import ROLES, expect
from ..pdf_measure import lines
from .conftest import at

TODAY = datetime.date(2022, 12, 31)


def independent(campaign, today, *, quarter_months=None):
    """Headline counts by walking every assignment with plain ORM calls."""
    due = reported = on_time = waiting = returned = 0
    for assignment in Assignment.objects.filter(task__item__campaign=campaign):
        periods = [p for p in assignment.periods() if p.due <= today
                   and (quarter_months is None or p.due.month in quarter_months)]
        due += len(periods)
        for period in periods:
            report = ProgressReport.objects.filter(assignment=assignment,
                                                   period=period.key).first()
            if report and report.status in (ReportStatus.SUBMITTED, ReportStatus.ACCEPTED):
                reported += 1
                local = timezone.localtime(report.submitted_at).date()
                on_time += local <= period.due
        waiting += assignment.reports.filter(status=ReportStatus.SUBMITTED).count()
        returned += assignment.reports.filter(status=ReportStatus.RETURNED).count()
    return {"due": due, "reported": reported, "on_time": on_time, "waiting": waiting,
            "returned": returned, "overdue": due - reported}


@pytest.fixture
def busy(scored, cast):
    """The scored plan, plus a report awaiting review and a returned one at unit B."""
    b1 = scored.t1.assignments.get(unit=cast.unit_b)
    ProgressReportFactory(assignment=b1, period="2022-Q1", status=ReportStatus.SUBMITTED,
                          submitted_at=at(datetime.date(2022, 4, 2)))
    ProgressReportFactory(assignment=b1, period="2022-Q2", status=ReportStatus.RETURNED,
                          submitted_at=at(datetime.date(2022, 6, 20)))
    return scored


def test_headline_figures_match_an_independent_count(busy, cast):
    figures = director_figures(busy.campaign, today=TODAY, filters=Filters())
    total = figures.progress.total
    counted = independent(busy.campaign, TODAY)
    assert {"due": total.due, "reported": total.reported, "on_time": total.on_time,
            "waiting": total.waiting, "returned": total.returned,
            "overdue": total.overdue} == counted
    # By hand: A has Q1 (on time), Q2 (late), T2 (on time); B has Q1 submitted late (2/4).
    assert (total.due, total.reported, total.on_time, total.overdue) == (10, 4, 2, 6)
    assert total.assignments == Assignment.objects.count() == 4
    assert (figures.disseminated, figures.dissemination_total) == (0, 2)


def test_each_unit_and_item_adds_up_to_the_whole(busy, cast):
    progress = campaign_progress(busy.campaign, today=TODAY)
    for name in ("due", "reported", "on_time", "waiting", "returned", "assignments"):
        assert sum(getattr(p, name) for p in progress.by_unit.values()) == \
            getattr(progress.total, name)
        assert sum(getattr(p, name) for p in progress.by_item.values()) == \
            getattr(progress.total, name)
    a = progress.by_unit[cast.unit_a.pk]
    assert (a.due, a.reported, a.on_time) == (5, 3, 2)


def test_a_quarter_counts_only_its_periods(busy):
    first = director_figures(busy.campaign, today=TODAY, filters=Filters(quarter=1))
    counted = independent(busy.campaign, TODAY, quarter_months={1, 2, 3})
    assert (first.progress.total.due, first.progress.total.reported) == (
        counted["due"], counted["reported"]) == (2, 2)


def test_the_month_by_month_trend(busy):
    months = campaign_progress(busy.campaign, today=TODAY).months
    assert [m.label for m in months][:2] == ["01/2022", "02/2022"]
    by_key = {m.key: m for m in months}
    # End of April: the two Q1 periods are due and both were sent (A 30/3, B 2/4, late).
    assert by_key["2022-04"].completion == 1.0
    assert (by_key["2022-04"].submitted, by_key["2022-04"].late) == (1, 1)
    # End of July: four periods due (Q1, Q2 × 2 units); A's Q2 arrived 5/7, B's was returned.
    assert by_key["2022-07"].completion == 0.75
    assert len(months) == 12


def test_the_department_score_is_the_content_item_pages(busy, cast, client_for):
    services.open_first_round(scheme=busy.scheme, deadline=datetime.date(2099, 1, 1),
                              user=cast.office)
    figures = director_figures(busy.campaign, today=TODAY, filters=Filters())
    items_page = client_for(cast.director).get(reverse("scoring:items",
                                                       args=[busy.campaign.pk]))
    assert figures.department.total == items_page.context["total"]
    page_items = [(row["item"].pk, row["score"], row["share"], row["lost"])
                  for row in items_page.context["summary"]]
    assert [(row["item"].pk, row["score"], row["share"], row["lost"])
            for row in figures.department.summary] == page_items
    assert [(row["unit"].pk, row["lost"]) for row in figures.most_lost] == [
        (row["unit"].pk, row["lost"]) for row in items_page.context["grid"] if row["lost"]][:10]
    assert figures.ranked == 2 and figures.top[0].rank == 1


def test_a_unit_against_the_department(busy, cast):
    other = UnitFactory(kind=cast.unit_a.kind)
    AssignmentFactory(task=busy.t2, unit=other)
    figures = unit_figures(busy.campaign, cast.unit_a, today=TODAY)
    assert (figures.progress.due, figures.progress.reported) == (5, 3)
    assert figures.department.due == 11
    assert figures.same_kind.due == 11  # the factory's units share one kind


# --- pages --------------------------------------------------------------------------------


def urls(world):
    pk = world.campaign.pk
    return [
        ("scoring:dashboard", [pk], expect(403, director=200, office=200, union=200,
                                           admin=200)),
        ("scoring:dashboard_pdf", [pk], expect(403, director=200, office=200, union=200,
                                               admin=200)),
        ("scoring:dashboard_mine", [pk], expect(200)),
        ("scoring:dashboard_unit", [pk, world.cast.unit_a.pk], expect(200, head_b=404)),
        ("scoring:dashboard_unit", [pk, world.cast.unit_b.pk],
         expect(200, head_a=404, staff=404)),
        ("scoring:years", [], expect(403, director=200, office=200, union=200, admin=200)),
    ]


@pytest.mark.parametrize("role", ROLES)
def test_role_gets_expected_status(busy, cast, client_for, role):
    busy.cast = cast
    client = client_for(cast.users()[role])
    for name, args, expected in urls(busy):
        response = client.get(reverse(name, args=args))
        assert response.status_code == expected[role], (name, args)


def test_anonymous_is_sent_to_login(busy, client_for):
    response = client_for(None).get(reverse("scoring:dashboard", args=[busy.campaign.pk]))
    assert response.status_code == 302


def _count(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_pages_keep_their_query_count_as_units_grow(busy, cast, client_for):
    services.open_first_round(scheme=busy.scheme, deadline=datetime.date(2099, 1, 1),
                              user=cast.office)
    director = client_for(cast.director)
    head = client_for(cast.head_a)
    pages = [(director, reverse("scoring:dashboard", args=[busy.campaign.pk])),
             (director, reverse("scoring:years")),
             (head, reverse("scoring:dashboard_mine", args=[busy.campaign.pk]))]
    few = [_count(client, url) for client, url in pages]
    for _ in range(12):
        unit = UnitFactory()
        for task in (busy.t1, busy.t2):
            assignment = AssignmentFactory(task=task, unit=unit)
            ProgressReportFactory(assignment=assignment, period=assignment.periods()[0].key,
                                  status=ReportStatus.SUBMITTED,
                                  submitted_at=at(datetime.date(2022, 3, 1)))
    services.recompute(scheme=busy.scheme, user=cast.office)
    assert [_count(client, url) for client, url in pages] == few
    # The director's 28 include the units' places (pk, order, name) and the shown units, and
    # the progress read three times: summed per unit (with the trend), summed per item, and
    # cell by cell for the units drawn only.
    assert few == [28, 13, 14]


@pytest.mark.parametrize("state", ["empty", "no reports", "closed"])
def test_every_state_of_a_campaign_renders(cast, client_for, state):
    campaign = plan(units=[cast.unit_a])
    campaign_services.launch(campaign=campaign, user=cast.office)
    if state != "empty":
        from ..factories import TaskFactory
        task = TaskFactory(item=campaign.items.first())
        AssignmentFactory(task=task, unit=cast.unit_a)
    if state == "closed":
        campaign.status = CampaignStatus.CLOSED
        campaign.save()
    for user, url in ((cast.director, reverse("scoring:dashboard", args=[campaign.pk])),
                      (cast.head_a, reverse("scoring:dashboard_mine", args=[campaign.pk])),
                      (cast.director, reverse("scoring:years"))):
        assert client_for(user).get(url).status_code == 200


def test_the_pdf_is_landscape_with_the_date_and_filters(busy, cast, client_for, tmp_path):
    response = client_for(cast.director).get(
        reverse("scoring:dashboard_pdf", args=[busy.campaign.pk]), {"quarter": 2})
    assert response["Content-Type"] == "application/pdf"
    pdf = tmp_path / "dashboard.pdf"
    pdf.write_bytes(b"".join(response.streaming_content))
    info = subprocess.run(["pdfinfo", "-l", "99", str(pdf)], capture_output=True,
                          text=True).stdout
    sizes = re.findall(r"^Page\s+\d+ size:\s+([\d.]+) x ([\d.]+) pts", info, re.M)
    assert sizes and all(w.startswith("841.") and h.startswith("595.") for w, h in sizes)
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                          text=True).stdout
    today = timezone.localdate().strftime("%d/%m/%Y")
    assert busy.campaign.code in text and today in text
    assert "Quý 2" in text


def test_the_meeting_pdf_prints_every_unit_whole_names_and_nothing_under_8_pt(
        busy, cast, client_for):
    """Before (issue 18): chart text at 3.8-4.9 pt, items cut ("1. Trách nhiệm lãnh đạo,
    côn…"), 10 of 23 units in the grid; and English with the screen in English."""
    item = busy.t1.item
    item.short_title = "Giải pháp, sáng kiến; khen thưởng kịp thời, đúng người"
    item.save(update_fields=["short_title"])
    extra = [UnitFactory(name=f"Trường Trung học cơ sở số {i}", short_name=f"THCS số {i}",
                         parent=cast.root) for i in range(1, 26)]
    # A name of 48 characters and no short name: printed whole in the grid (cut at 30 before).
    extra.append(UnitFactory(name="Trường Phổ thông Dân tộc nội trú tỉnh Bình Phước",
                             short_name="", parent=cast.root))
    for unit in extra:
        AssignmentFactory(task=busy.t1, unit=unit)
    client = client_for(cast.director)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    response = client.get(reverse("scoring:dashboard_pdf", args=[busy.campaign.pk]))
    content = b"".join(response.streaming_content)

    pages = lines(content)
    texts = [line.text for page in pages for line in page]
    smallest = min(line.size for page in pages for line in page)
    assert smallest >= 8 - 0.05, smallest
    cut = [text for text in texts if text.endswith("…") and text != "…"]
    assert not cut
    assert any(text.endswith(item.short_title) for text in texts)
    for unit in extra:  # every unit in the grid, not the least complete ten
        assert unit.label in texts, unit.label
    assert any(text.startswith("Tổng quan Kế hoạch") for text in texts)
    assert not any("Dashboard" in text for text in texts)


@pytest.mark.parametrize("quarter", [None, 1, 2, 4])
def test_summed_per_unit_in_the_database_gives_the_same_figures(busy, quarter):
    cells = campaign_progress(busy.campaign, today=TODAY, quarter=quarter)
    units = campaign_progress(busy.campaign, today=TODAY, quarter=quarter, group="unit")
    items = campaign_progress(busy.campaign, today=TODAY, quarter=quarter, group="item")
    assert units.total == items.total == cells.total
    assert dict(units.by_unit) == dict(cells.by_unit)
    assert dict(items.by_item) == dict(cells.by_item)
    assert units.months == items.months == cells.months
    assert not units.grid and not units.by_item and not items.grid and not items.by_unit


@pytest.mark.parametrize("quarter", [None, 2])
@pytest.mark.parametrize("by_kind", [False, True])
def test_director_figures_equal_the_cell_by_cell_count(busy, cast, quarter, by_kind):
    # The director's page sums per unit and per item in the database and reads cells only for
    # the units it draws: every figure as the count cell by cell gives it.
    kinds = (cast.unit_a.kind,) if by_kind else ()
    figures = director_figures(busy.campaign, today=TODAY,
                               filters=Filters(unit_kinds=kinds, quarter=quarter))
    cells = campaign_progress(busy.campaign, today=TODAY, quarter=quarter,
                              unit_kinds=kinds or None)

    assert figures.progress.total == cells.total
    assert dict(figures.progress.by_unit) == dict(cells.by_unit)
    assert dict(figures.progress.by_item) == dict(cells.by_item)
    assert figures.progress.months == cells.months
    assert figures.units and set(figures.units) <= set(cells.by_unit)
    assert figures.progress.grid == {key: cell for key, cell in cells.grid.items()
                                     if key[0] in figures.units}


def test_units_least_complete_first_names_compared_only_where_the_rest_ties():
    # The director's order sorts names (the costly Vietnamese key) only within ties of
    # completion and order: it must equal the plain sort on the whole key, ties included.
    import random

    from scoring.dashboard import _least_complete_first
    from tasks.figures import Progress
    from units.collation import sort_key

    rng = random.Random(19)
    names = ["Ánh", "An", "Ân", "Bình", "Dũng", "Đức", "an", "Zoe", "Trường A", "Trường Á"]
    for _ in range(100):
        by_unit, places = {}, []
        for pk in range(1, rng.randint(0, 40) + 1):
            due = rng.choice([0, 2, 4])  # 0: completion unknown, sorted last
            by_unit[pk] = Progress(due=due, reported=rng.randint(0, due))
            places.append((pk, rng.choice([0, 0, 1]), rng.choice(names)))
        rng.shuffle(places)
        whole_key = [pk for pk, *_rest in sorted(places, key=lambda row: (
            by_unit[row[0]].completion is None, by_unit[row[0]].completion or 0, row[1],
            sort_key(row[2])))]

        assert _least_complete_first(places, by_unit) == whole_key
