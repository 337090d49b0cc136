"""Pages keep a constant, literal query count as units and content items grow."""

import pytest
from django.urls import reverse

from campaigns import services

from .factories import ContentItemFactory, DutyFactory, LegalBasisFactory, UnitFactory, plan


def _grow(cast, campaign, n):
    units = UnitFactory.create_batch(n, parent=cast.root)
    for i in range(n):
        ContentItemFactory(campaign=campaign, number=100 + i)
        LegalBasisFactory(campaign=campaign, order=10 + i)
        DutyFactory(campaign=campaign, number=100 + i).units.set(units[: i + 1])
    return units


@pytest.mark.parametrize("extra", [0, 25])
def test_campaign_page_query_count(cast, client_for, django_assert_num_queries, extra):
    campaign = plan(units=[cast.unit_a])
    _grow(cast, campaign, extra)
    services.launch(campaign=campaign, user=cast.office)
    client = client_for(cast.head_a)

    # session, user, viewer, campaign, own dissemination, bases, items, duties, duty units,
    # recipients
    with django_assert_num_queries(10):
        response = client.get(reverse("campaigns:detail", args=[campaign.pk]))
    assert response.status_code == 200


@pytest.mark.parametrize("extra", [0, 40])
def test_unit_list_query_count(cast, client_for, django_assert_num_queries, extra):
    UnitFactory.create_batch(extra, parent=cast.root)
    client = client_for(cast.office)

    # session, user, viewer, units with staff counts and parents
    with django_assert_num_queries(4):
        response = client.get(reverse("units:list"))
    assert response.content.decode().count("<tr>") >= 6 + extra


@pytest.mark.parametrize("extra", [0, 30])
def test_dissemination_list_query_count(cast, client_for, django_assert_num_queries, extra):
    campaign = plan(units=[cast.unit_a])
    _grow(cast, campaign, extra)
    services.launch(campaign=campaign, user=cast.office)
    client = client_for(cast.office)

    # session, user, viewer, campaign, two counts, rows
    with django_assert_num_queries(7):
        client.get(reverse("campaigns:disseminations", args=[campaign.pk]))


@pytest.mark.parametrize("extra", [0, 10])
@pytest.mark.parametrize(("role", "queries"), [
    # session, user, viewer, campaigns with counts, then my pending confirmations (a head)
    # or every unit's pending confirmations (a reader of everything)
    # then the unit's assignments (anyone with a unit) and the review count (reviewers);
    # a head also the open self-assessments still to confirm; a director the payout lists
    # beyond the reward fund awaiting approval
    ("head_a", 7), ("office", 7), ("staff", 5), ("director", 7),
])
def test_home_query_count(cast, client_for, django_assert_num_queries, extra, role, queries):
    units = [cast.unit_a, cast.unit_b, *UnitFactory.create_batch(extra, parent=cast.root)]
    for _ in range(extra + 1):
        campaign = plan(units=units)
        services.launch(campaign=campaign, user=cast.office)
    client = client_for(getattr(cast, role))

    with django_assert_num_queries(queries):
        client.get(reverse("home"))
