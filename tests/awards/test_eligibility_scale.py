"""The eligibility review of a large unit: everyone's verdicts decided set-based, condition by
condition (`who_meets`), agree with the rules' own `decide` person by person; the page shows one
page of people at a time, in a query count that does not grow with the unit."""

import datetime
import random

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from awards.eligibility import RULES, Facts, review_unit, who_meets
from awards.models import (
    Award,
    Condition,
    Conferral,
    LegalPeriod,
    Rating,
    RegistrationStatus,
    RegistrationWindow,
    StaffRegistration,
    Subject,
    UnitRegistration,
    YearRating,
)
from units.models import (
    DisciplineLevel,
    Gender,
    Initiative,
    InitiativeLevel,
    Violation,
    ViolationKind,
)

from ..factories import StaffMemberFactory, UnitFactory

URL = reverse("awards:eligibility")
# One year under each legal period: Decree 91/2017 and its law, Decree 98/2023, Decree 152/2025.
YEARS = [2023, 2024, 2025]


def varied_unit(cast, year, size=24, *, seed=16):
    """A unit whose people differ in everything the conditions read: ratings over the years,
    discipline, initiatives, titles held, registration, recruitment, start of service, gender."""
    rng = random.Random(seed + year)
    unit = UnitFactory()
    window = RegistrationWindow.objects.create(year=year, deadline=datetime.date(year, 1, 31),
                                               opened_by=cast.office)
    individual = list(Award.objects.filter(subject=Subject.INDIVIDUAL))
    accepted = UnitRegistration.objects.create(window=window, unit=unit, year=year,
                                               status=RegistrationStatus.ACCEPTED)
    other = UnitFactory()  # a second registration of the year, only sent, for the same people
    sent = UnitRegistration.objects.create(window=window, unit=other, year=year,
                                           status=RegistrationStatus.SENT)
    for number in range(size):
        person = StaffMemberFactory(
            unit=unit, full_name=f"Người {number}",
            gender=rng.choice([Gender.FEMALE, Gender.MALE, ""]),
            recruitment_date=rng.choice([None, datetime.date(year, 3, 1),
                                         datetime.date(year, 2, 28), datetime.date(2001, 9, 5)]),
            sector_start_date=rng.choice([None, datetime.date(year - 20, 12, 31),
                                          datetime.date(year - 25, 1, 1),
                                          datetime.date(year - 30, 6, 15)]))
        for past in range(year - 6, year + 1):
            if rng.random() < 0.85:
                YearRating.objects.create(staff=person, year=past,
                                          rating=rng.choice([Rating.EXCELLENT, Rating.EXCELLENT,
                                                             Rating.GOOD, Rating.COMPLETED]))
            if rng.random() < 0.3:
                Conferral.objects.create(award=rng.choice(individual), year=past, staff=person,
                                         unit=unit, decision=f"{past}/QĐ",
                                         decided_on=datetime.date(past, 12, 20))
            if rng.random() < 0.3:
                idea = Initiative.objects.create(
                    title=f"Sáng kiến {number}-{past}", unit=unit, year=past,
                    level=rng.choice(InitiativeLevel.values), decision="1/QĐ",
                    decided_on=datetime.date(past, 6, 1))
                idea.authors.add(person)
        if rng.random() < 0.2:
            Violation.objects.create(kind=ViolationKind.DISCIPLINE, staff=person, unit=unit,
                                     occurred_on=datetime.date(year, 5, 1), description="Vi phạm",
                                     discipline_level=rng.choice(DisciplineLevel.values),
                                     recorded_by=cast.office)
        if rng.random() < 0.8:
            StaffRegistration.objects.create(registration=rng.choice([accepted, accepted, sent]),
                                             staff=person, year=year,
                                             award=rng.choice(individual))
    return unit


def individual_conditions(period):
    return [c for c in Condition.objects.filter(period=period).select_related(
        "award", "other_award") if c.award.subject == Subject.INDIVIDUAL
        and Subject.INDIVIDUAL in RULES[c.predicate].applies_to]


@pytest.mark.parametrize("year", YEARS)
def test_who_meets_agrees_with_each_rule_for_every_individual_condition(cast, year):
    unit = varied_unit(cast, year)
    facts = Facts.load(year, unit_ids=[unit.pk])
    people = facts.members[unit.pk]
    # The review reads people as plain `Person`s: they must be decided as the staff members.
    light = Facts.load(year, unit_ids=[unit.pk], light=True)
    light_people = light.members[unit.pk]
    conditions = individual_conditions(LegalPeriod.objects.for_year(year))
    assert {c.predicate for c in conditions} >= {"rating", "months_served", "no_discipline",
                                                 "initiatives", "holds", "holds_times",
                                                 "sector_years", "registered"}
    some_met = some_not = False
    for condition in conditions:
        decide = RULES[condition.predicate].decide
        expected = {p.pk for p in people if decide(condition, facts, p, None).met}
        assert who_meets(condition, facts, people) == expected, condition
        assert who_meets(condition, light, light_people) == expected, condition
        some_met |= bool(expected)
        some_not |= len(expected) < len(people)
    assert some_met and some_not  # the unit's people differ where the conditions look


@pytest.mark.parametrize("year", YEARS)
def test_review_set_based_eligibility_matches_each_persons_verdict(cast, year):
    unit = varied_unit(cast, year)
    review = review_unit(unit, year)
    found = {(person.pk, v.award.pk): v.eligible
             for person, verdicts in review.people for v in verdicts}
    assert found == {(person.pk, award.pk): person.pk in review.eligible[award.pk]
                     for person in review.persons for award in review.individual}


def test_the_page_query_count_does_not_grow_past_a_page_of_people(cast, client_for):
    client = client_for(cast.office)
    year = 2025
    unit = varied_unit(cast, year, size=3)

    def count(**extra):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(URL, {"unit": unit.pk, "year": year, **extra})
        assert response.status_code == 200
        return len(queries), response

    count()  # the first visit with ?year= remembers the year: a write, once
    few, _response = count()
    for number in range(70):
        person = StaffMemberFactory(unit=unit, full_name=f"Thêm {number}")
        YearRating.objects.create(staff=person, year=year, rating=Rating.GOOD)
    many, response = count()
    assert many == few
    last, response = count(page=3)
    assert last == few
    page = response.context["page"]
    assert (page.number, page.paginator.num_pages, len(response.context["rows"])) == (3, 3, 13)
    html = response.content.decode()
    assert "Người thứ 61–73 trên tổng số 73, xếp theo tên." in html
    assert f'href="?unit={unit.pk}&amp;year={year}&amp;page=2"' in html
