"""One default year everywhere: every page that shows one year opens on the year the person
chose last (on any page), else on the latest year that has data."""

import pytest
from django.urls import reverse
from django.utils import timezone

from awards.models import YearRating
from campaigns import services as campaign_services
from units.models import Preference

from ..factories import StaffMemberFactory, plan

ONE_YEAR_PAGES = ["awards:ratings", "awards:eligibility", "awards:proposals",
                  "awards:decision_create"]


def _year(client, name, **query):
    response = client.get(reverse(name), query)
    assert response.status_code == 200, name
    if name == "awards:decision_create":
        return int(response.context["form"].initial["year"])
    return response.context["year"]


@pytest.fixture
def data(cast):
    """Ratings of 2022, and the 2023 plan launched: 2023 is the latest year with data."""
    YearRating.objects.create(staff=StaffMemberFactory(unit=cast.unit_a), year=2022,
                              rating="good")
    campaign = plan(units=[cast.unit_a])
    campaign.year = 2023
    campaign.save()
    campaign_services.launch(campaign=campaign, user=cast.office)


def test_every_one_year_page_opens_on_the_latest_year_with_data(cast, client_for, data):
    client = client_for(cast.office)

    assert {name: _year(client, name) for name in ONE_YEAR_PAGES} == dict.fromkeys(
        ONE_YEAR_PAGES, 2023)
    assert not Preference.objects.exists()  # opening a page is not choosing


def test_a_year_chosen_on_one_page_opens_every_other_and_is_kept_across_sign_ins(
        cast, client_for, data):
    client_for(cast.office).get(reverse("awards:eligibility"), {"year": 2021})

    again = client_for(cast.office)  # another session: signed in afresh

    assert {name: _year(again, name) for name in ONE_YEAR_PAGES} == dict.fromkeys(
        ONE_YEAR_PAGES, 2021)
    assert Preference.objects.get(user=cast.office).year == 2021


def test_each_person_has_their_own_year(cast, client_for, data):
    client_for(cast.office).get(reverse("awards:ratings"), {"year": 2021})

    assert _year(client_for(cast.union), "awards:ratings") == 2023


def test_a_year_picked_on_a_search_page_is_remembered_there_all_years_stay_listed(
        cast, client_for, data):
    client = client_for(cast.office)

    history = client.get(reverse("awards:history"), {"year": 2020})
    client.get(reverse("units:initiatives"))

    assert history.status_code == 200
    assert _year(client, "awards:proposals") == 2020
    assert client.get(reverse("awards:history")).context["form"]["year"].value() in (None, "")


def test_a_year_that_is_no_year_is_neither_used_nor_remembered(cast, client_for, data):
    client = client_for(cast.office)

    assert _year(client, "awards:ratings", year="20x2") == 2023
    assert _year(client, "awards:ratings", year="1850") == 2023
    assert not Preference.objects.exists()


def test_without_any_data_the_pages_open_on_this_year(cast, client_for):
    assert _year(client_for(cast.office), "awards:proposals") == timezone.localdate().year


def test_a_unit_head_opens_on_the_same_year_as_the_office(cast, client_for, data):
    assert _year(client_for(cast.head_a), "awards:ratings") == _year(
        client_for(cast.office), "awards:proposals") == 2023
