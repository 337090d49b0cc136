"""Task pages keep a constant, literal query count between one row and many."""

from decimal import Decimal

import pytest
from django.urls import reverse

from tasks import services
from tasks.models import Task

from ..factories import UnitFactory


def _grow(cast, work, n):
    """n more units on the task, each with a submitted Q1 report, and n more tasks for unit A."""
    units = UnitFactory.create_batch(n, parent=cast.root)
    services.assign(task=work.task, units=units, user=cast.office)
    for assignment in work.task.assignments.filter(unit__in=units):
        report = services.save_report(assignment=assignment,
                                      period=assignment.period("2022-Q1"),
                                      data={"value": Decimal(50)}, user=cast.head_a)
        services.submit(report=report, user=cast.head_a)
    for i in range(n):
        task = Task.objects.create(item=work.task.item, title=f"Nhiệm vụ {i}",
                                   deadline=work.task.deadline, target_value=100)
        services.assign(task=task, units=[cast.unit_a], user=cast.office)


@pytest.mark.parametrize("extra", [1, 15])
@pytest.mark.parametrize(("url", "role", "queries"), [
    # session, user, viewer, then the page's own queries
    (lambda w: reverse("tasks:queue"), "office", 8),  # + the periods of the filter
    (lambda w: reverse("tasks:unit", args=[w.assignment_a.unit_id]), "head_a", 5),
    (lambda w: reverse("tasks:task", args=[w.task.pk]), "office", 6),  # + the page count
    (lambda w: reverse("tasks:campaign", args=[w.campaign.pk]), "office", 6),
    (lambda w: reverse("tasks:assignment", args=[w.assignment_a.pk]), "head_a", 5),
])
def test_list_pages_query_count(cast, client_for, work, django_assert_num_queries, extra, url,
                                role, queries):
    _grow(cast, work, extra)
    client = client_for(getattr(cast, role))

    with django_assert_num_queries(queries):
        response = client.get(url(work))
    assert response.status_code == 200
