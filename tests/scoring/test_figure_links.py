"""Every figure of the dashboards opens the list it counts: as many rows as the figure says,
under every filter (the test client's version of the browser test)."""

import re

import pytest
from django.urls import reverse

from .every_state import every_state, figures_of, rows_of, rows_on_every_page

# Every count the director's page shows, by the name its link carries.
DIRECTOR_FIGURES = {"assignments", "on_time", "due", "overdue", "waiting", "disseminated",
                    "dissemination_total", "ranked"}


@pytest.fixture
def world(scored, cast):
    return every_state(scored, cast)


def follow(client, href):
    """The rows of the list a link opens, on all its pages."""
    path = href.split("?")[0]

    def fetch(link):
        response = client.get(link if link.startswith("/") else path + link)
        assert response.status_code == 200, link
        return response.content.decode()

    return rows_on_every_page(fetch(href), fetch)


@pytest.mark.parametrize("kind", ["", "affiliated", "internal", "school"])
@pytest.mark.parametrize("quarter", [None, 2])
def test_each_director_figure_lists_as_many_rows_as_it_says(world, cast, client_for, kind,
                                                            quarter):
    client = client_for(cast.director)
    query = {key: value for key, value in (("kind", kind), ("quarter", quarter)) if value}
    page = client.get(reverse("scoring:dashboard", args=[world.scored.campaign.pk]), query)
    figures = figures_of(page.content.decode())
    assert {name for name, _href, _n in figures} == DIRECTOR_FIGURES
    for name, href, number in figures:
        assert follow(client, href) == number, (name, href)
    if not kind and not quarter:
        # Every state is there: the comparison above compared something.
        shown = {name: number for name, _href, number in figures}
        assert all(shown[name] for name in DIRECTOR_FIGURES), shown


def test_each_segment_of_the_items_chart_lists_its_reports(world, cast, client_for):
    client = client_for(cast.director)
    page = client.get(reverse("scoring:dashboard", args=[world.scored.campaign.pk]))
    html = page.content.decode()
    table = html[html.index('id="items-figure"'):]
    table = table[:table.index("</figure>")]
    links = [(href.replace("&amp;", "&"), int(text)) for href, text in
             re.findall(r'<a href="([^"]+)">(\d+)</a>', table)]
    assert len(links) >= 8  # on time, late, not reported and the total of each item with work
    for href, number in links:
        assert follow(client, href) == number, href


def test_each_unit_dashboard_figure_lists_its_rows(world, cast, client_for):
    for user, unit in ((cast.head_b, cast.unit_b), (cast.director, cast.office_unit)):
        client = client_for(user)
        page = client.get(reverse("scoring:dashboard_unit",
                                  args=[world.scored.campaign.pk, unit.pk]))
        figures = figures_of(page.content.decode())
        assert {name for name, _h, _n in figures} == {"reported", "due", "overdue", "returned"}
        for name, href, number in figures:
            assert follow(client, href) == number, (name, href)


@pytest.mark.parametrize("scope", ["all", "campaign"])
def test_each_follow_up_figure_lists_its_rows(world, cast, client_for, scope):
    client = client_for(cast.office)
    query = {"campaign": world.scored.campaign.pk} if scope == "campaign" else {}
    page = client.get(reverse("tasks:review_dashboard"), query)
    figures = figures_of(page.content.decode())
    names = {name for name, _h, _n in figures}
    assert {"waiting", "returned", "units_not_reported", "deadlines",
            "assignments_not_reported", "unit_not_reported"} <= names
    for name, href, number in figures:
        if name in ("units_not_reported", "deadlines"):
            # The page itself, with the whole list shown in its section.
            response = client.get(reverse("tasks:review_dashboard") + href)
            table = "units-table" if name == "units_not_reported" else "deadlines-table"
            html = response.content.decode()
            assert rows_of(html[html.index(f'id="{table}"') - 100:]) == number, name
        else:
            assert follow(client, href) == number, (name, href)
