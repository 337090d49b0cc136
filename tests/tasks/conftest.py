import datetime
from dataclasses import dataclass

import pytest

from campaigns import services as campaign_services
from tasks.models import Cadence, IndicatorKind, Task

from ..factories import plan


@dataclass
class Work:
    campaign: object
    task: object
    assignment_a: object
    assignment_b: object


@pytest.fixture
def work(cast, settings, tmp_path):
    """A launched 2022 plan with one quarterly percentage task assigned to units A and B."""
    settings.MEDIA_ROOT = tmp_path / "media"
    campaign = plan(units=[cast.unit_a, cast.unit_b])
    campaign_services.launch(campaign=campaign, user=cast.office)
    task = Task.objects.create(
        item=campaign.items.first(), title="Công khai 100 % thủ tục hành chính",
        indicator_kind=IndicatorKind.PERCENT, target_value=100, cadence=Cadence.QUARTERLY,
        deadline=datetime.date(2022, 12, 31), lead_unit=cast.office_unit,
    )
    from tasks import services

    services.assign(task=task, units=[cast.unit_a, cast.unit_b], user=cast.office)
    return Work(campaign=campaign, task=task,
                assignment_a=task.assignments.get(unit=cast.unit_a),
                assignment_b=task.assignments.get(unit=cast.unit_b))


def one_off_task(work, kind, *, title, units, user, deadline=datetime.date(2022, 12, 31),
                 **fields):
    """A one-off task of `kind` beside the plan's task in `work`, assigned to `units` by `user`
    (the Office): the task, its assignments read back with `task.assignments`."""
    from tasks import services

    task = Task.objects.create(item=work.task.item, title=title, indicator_kind=kind,
                               cadence=Cadence.ONCE, deadline=deadline, **fields)
    services.assign(task=task, units=units, user=user)
    return task
