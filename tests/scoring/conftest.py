"""A small scored plan whose figures are computed by hand in the tests."""

import datetime
import zoneinfo
from dataclasses import dataclass

import pytest

from campaigns import services as campaign_services
from scoring.models import Criterion, Rule, Scheme
from tasks.models import Cadence, IndicatorKind, ReportStatus

from ..factories import AssignmentFactory, ProgressReportFactory, TaskFactory, plan

TZ = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")


def at(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(9), tzinfo=TZ)


def accepted(assignment, period, value, *, submitted: datetime.date):
    return ProgressReportFactory(assignment=assignment, period=period, value=value,
                                 status=ReportStatus.ACCEPTED, submitted_at=at(submitted))


@dataclass
class Scored:
    campaign: object
    scheme: object
    c1: object  # proportional, item 1 (task T1), max 30
    c2: object  # bands, item 2 (task T2), max 30
    c3: object  # timeliness on T1, max 20
    c4: object  # manual, item 3, max 20
    t1: object
    t2: object


@pytest.fixture
def scored(cast, settings, tmp_path):
    """A launched 2022 plan with a four-criterion scheme (scale 100) and task data:

    Unit A — T1 (quarterly %, target 100): Q1 80 on time, Q2 90 late, Q3–Q4 missing;
             T2 (once, count, target 10): 8 accepted.
    Unit B — T1 and T2 assigned, nothing reported.
    """
    settings.MEDIA_ROOT = tmp_path / "media"
    campaign = plan(units=[cast.unit_a, cast.unit_b])
    campaign_services.launch(campaign=campaign, user=cast.office)
    item1, item2, item3 = campaign.items.order_by("number")
    t1 = TaskFactory(item=item1, cadence=Cadence.QUARTERLY, target_value=100)
    t2 = TaskFactory(item=item2, cadence=Cadence.ONCE, indicator_kind=IndicatorKind.COUNT,
                     target_value=10, deadline=datetime.date(2022, 12, 31))
    for task in (t1, t2):
        for unit in (cast.unit_a, cast.unit_b):
            AssignmentFactory(task=task, unit=unit)
    a1 = t1.assignments.get(unit=cast.unit_a)
    accepted(a1, "2022-Q1", 80, submitted=datetime.date(2022, 3, 30))
    accepted(a1, "2022-Q2", 90, submitted=datetime.date(2022, 7, 5))
    accepted(t2.assignments.get(unit=cast.unit_a), "2022", 8,
             submitted=datetime.date(2022, 11, 20))
    scheme = Scheme.objects.create(campaign=campaign, cutoff=datetime.date(2022, 12, 31))
    c1 = Criterion.objects.create(scheme=scheme, item=item1, number="1", order=1,
                                  title="Công khai thủ tục hành chính", max_points=30,
                                  rule=Rule.PROPORTIONAL)
    c2 = Criterion.objects.create(scheme=scheme, item=item2, number="2", order=2,
                                  title="Hồ sơ trực tuyến", max_points=30, rule=Rule.BANDS,
                                  bands=[[100, 100], [80, 75], [50, 50]])
    c3 = Criterion.objects.create(scheme=scheme, item=item1, number="3", order=3,
                                  title="Báo cáo đúng hạn", max_points=20,
                                  rule=Rule.TIMELINESS, deduction=0.5)
    c3.tasks.set([t1])
    c4 = Criterion.objects.create(scheme=scheme, item=item3, number="4", order=4,
                                  title="Tuyên truyền, phổ biến", max_points=20,
                                  rule=Rule.MANUAL, guidance="Biên bản sinh hoạt chuyên môn.")
    return Scored(campaign=campaign, scheme=scheme, c1=c1, c2=c2, c3=c3, c4=c4, t1=t1, t2=t2)
