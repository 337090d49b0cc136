"""The Khen thưởng section's navigation (awards/_tabs.html, awards/navigation.py): its pages in
three groups; every page a role could open from the old single strip of tabs is still linked."""

import re

import pytest
from django.urls import reverse

ALL = {"awards:registrations", "scoring:clusters", "awards:ratings", "awards:eligibility",
       "awards:proposals", "awards:specials", "awards:dossiers", "awards:decisions",
       "awards:bonus", "awards:fund", "awards:history", "awards:catalogue",
       "awards:statistics"}
EVERYONE = {"awards:registrations", "scoring:clusters", "awards:ratings", "awards:proposals",
            "awards:decisions", "awards:history", "awards:catalogue"}
# What each role saw in the strip of tabs before it was grouped (issue 17).
# The register of outgoing documents (issue 18) is the Office's, read by directors; the Union
# does not keep it.
TABS = {
    "director": ALL | {"awards:register"},
    "office": ALL | {"awards:register"},
    "union": ALL,
    "admin": ALL | {"awards:register"},
    "head_a": EVERYONE | {"awards:eligibility", "awards:specials", "awards:dossiers",
                         "awards:bonus"},
    "staff": EVERYONE,
}
NAV = re.compile(r'<nav class="awards-nav.*?</nav>', re.S)
LINK = re.compile(r'href="([^"]+)"')


def _nav(client, url):
    response = client.get(url, follow=True)
    assert response.status_code == 200
    return NAV.search(response.content.decode()).group(0)


@pytest.mark.parametrize("role", sorted(TABS))
def test_every_tab_of_each_role_is_still_linked_from_its_group(cast, client_for, role):
    client = client_for(getattr(cast, role))
    groups = LINK.findall(_nav(client, reverse("awards:history")).split("awards-tabs")[0])
    assert len(groups) == 3
    linked = set()
    for group in groups:
        linked |= set(LINK.findall(_nav(client, group)))
    assert linked == {reverse(name) for name in TABS[role]}


def test_the_current_group_and_page_are_marked(cast, client_for):
    nav = _nav(client_for(cast.office), reverse("awards:fund"))
    assert re.search(r'class="nav-link active" href="/awards/dossiers/" aria-current="true">'
                     r"Quyết định &amp; tiền thưởng<", nav)
    assert re.search(r'class="nav-link active" href="/awards/fund/" aria-current="page">'
                     r"Quỹ khen thưởng<", nav)
    assert nav.count("aria-current") == 2
    # Only the current group's pages are in the second row.
    assert "/awards/history/" not in LINK.findall(nav.split("awards-tabs")[1])


def test_a_page_deep_in_a_group_marks_its_tab(cast, client_for):
    nav = _nav(client_for(cast.head_a), reverse("scoring:clusters"))
    assert 'aria-current="page">Cụm thi đua<' in nav
    assert 'aria-current="true">Đăng ký &amp; đề nghị<' in nav
