"""The province's scheme as the demo scores it, for what a score sheet looks like: ten content
items, seventeen criteria (three of them holding sub-criteria), five scored by people, every
rule; unit A works on six of the items, so that six criteria do not apply to it."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from campaigns import services as campaign_services
from campaigns.demo import CONTENT_ITEMS
from scoring import services
from scoring.demo import CRITERIA
from scoring.models import Criterion, Scheme, Score, Sheet
from tasks.models import Cadence, IndicatorKind, ReportStatus

from ..factories import AssignmentFactory, ProgressReportFactory, TaskFactory, plan
from .conftest import at

FAR = datetime.date(2099, 12, 31)
# Content item → does unit A have work in it (unit B has work in every item).
A_WORKS_IN = {1, 4, 6, 7, 9, 10}


@dataclass
class Realistic:
    campaign: object
    scheme: object
    round: object  # the open self-assessment

    def score(self, unit, number, round_=None):
        return Score.objects.get(round=round_ or self.round, unit=unit,
                                 criterion__number=number)

    def sheet(self, unit, round_=None):
        return Sheet.objects.get(round=round_ or self.round, unit=unit)


def realistic(cast, *, filled=("1.1", "7")) -> Realistic:
    """The plan launched, its tasks reported, the self-assessment open, and unit A's head having
    scored the manual criteria in `filled` with the demo's explanations."""
    campaign = plan(items=10, units=[cast.unit_a, cast.unit_b])
    for item in campaign.items.all():
        _number, short_title, text = CONTENT_ITEMS[item.number - 1]
        item.short_title, item.text = short_title, text
        item.save()
    campaign_services.launch(campaign=campaign, user=cast.office)
    items = {item.number: item for item in campaign.items.all()}
    named = {}  # (item, title) → task, for the criteria that read given tasks
    for spec in CRITERIA:
        for title in spec.tasks:
            named[(spec.item, title)] = TaskFactory(item=items[spec.item], title=title)
    for number, item in items.items():
        if not any(key[0] == number for key in named):
            named[(number, "")] = TaskFactory(
                item=item, cadence=Cadence.ONCE, indicator_kind=IndicatorKind.COUNT,
                target_value=10, unit_of_measure="lượt", title=f"Thực hiện nội dung {number}")
    specs = {spec.number: spec for spec in CRITERIA}
    # Unit A has not the task that criteria 1.2 and 6.2 read: they do not apply to it.
    skipped = {(1, specs["1.2"].tasks[0]), (6, specs["6.2"].tasks[0])}
    for (number, title), task in named.items():
        AssignmentFactory(task=task, unit=cast.unit_b)
        if number in A_WORKS_IN and (number, title) not in skipped:
            assignment = AssignmentFactory(task=task, unit=cast.unit_a)
            _reported(assignment)
    scheme = Scheme.objects.create(campaign=campaign, cutoff=datetime.date(2022, 9, 30))
    parents = {}
    for order, spec in enumerate(CRITERIA, start=1):
        criterion = Criterion.objects.create(
            scheme=scheme, item=items[spec.item], number=spec.number, title=spec.title,
            max_points=spec.max_points, rule=spec.rule, bands=[list(b) for b in spec.bands],
            guidance=spec.guidance, order=order,
            parent=parents.get(spec.number.split(".")[0]) if "." in spec.number else None)
        parents.setdefault(spec.number, criterion)
        if spec.tasks:
            criterion.tasks.set([named[(spec.item, title)] for title in spec.tasks])
    round_ = services.open_first_round(scheme=scheme, deadline=FAR, user=cast.office)
    world = Realistic(campaign=campaign, scheme=scheme, round=round_)
    changes = {world.score(cast.unit_a, number): (
        Decimal(specs[number].max_points) - 1, specs[number].notes[0].format(staff="viên chức"))
        for number in filled}
    services.save_sheet(sheet=world.sheet(cast.unit_a), changes=changes, user=cast.head_a,
                        expected_version=world.sheet(cast.unit_a).version)
    return world


def _reported(assignment):
    """Accepted reports of the quarters, or of the one-off count, most of them on time."""
    task = assignment.task
    if task.cadence == Cadence.ONCE:
        ProgressReportFactory(assignment=assignment, period="2022", value=6,
                              status=ReportStatus.ACCEPTED,
                              submitted_at=at(datetime.date(2022, 9, 20)))
        return
    for quarter, value, sent in ((1, 80, datetime.date(2022, 3, 28)),
                                 (2, 95, datetime.date(2022, 7, 4))):
        ProgressReportFactory(assignment=assignment, period=f"2022-Q{quarter}", value=value,
                              status=ReportStatus.ACCEPTED, submitted_at=at(sent))
