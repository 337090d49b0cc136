"""The Khen thưởng section's navigation: its pages in three groups, in the order the work
goes through the year (register and propose; decide, send upward and pay; look things up).

Which tabs a person sees is decided by `units.access.nav_for` (the `nav` dict of every page);
this module only groups them and finds the current one, so a page added to the section is
added here once and the template (awards/_tabs.html) follows.
"""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


@dataclass(frozen=True)
class Tab:
    label: str
    url_name: str
    # The key of `nav` that must be true to see the tab; None for everyone in the section.
    needs: str | None
    # The pages (view names, or a prefix ending in "*") on which this tab is the current one.
    pages: tuple


@dataclass(frozen=True)
class Group:
    key: str
    label: str
    tabs: tuple


GROUPS = (
    Group("propose", pgettext_lazy("awards group", "Registration and proposals"), (
        Tab(_("Emulation registration"), "awards:registrations", None,
            ("awards:registration*",)),
        Tab(_("Clusters"), "scoring:clusters", None,
            ("scoring:cluster*", "awards:cluster*")),
        Tab(_("Year-end ratings"), "awards:ratings", "ratings",
            ("awards:ratings*",)),
        Tab(_("Who meets the conditions"), "awards:eligibility",
            "eligibility", ("awards:eligibility",)),
        Tab(_("Commendation lists"), "awards:proposals", None,
            ("awards:proposal*", "awards:nominee*", "awards:propose_many")),
        Tab(_("Topic, extraordinary, seniority"), "awards:specials",
            "specials", ("awards:special*",)),
    )),
    Group("decide", pgettext_lazy("awards group", "Decisions and bonus"), (
        Tab(_("Dossiers sent upward"), "awards:dossiers", "dossiers",
            ("awards:dossier*",)),
        Tab(_("Decisions"), "awards:decisions", None,
            ("awards:decision*",)),
        Tab(_("Register of outgoing documents"), "awards:register", "register",
            ("awards:register", "awards:register_new", "awards:register_cancel",
             "awards:register_file")),
        Tab(_("Bonus money"), "awards:bonus", "bonus",
            ("awards:bonus", "awards:payout")),
        Tab(_("Reward fund"), "awards:fund", "fund", ("awards:fund",)),
    )),
    Group("look_up", pgettext_lazy("awards group", "Catalogue and history"), (
        Tab(_("Award history"), "awards:history", None,
            ("awards:history",)),
        Tab(_("Catalogue"), "awards:catalogue", None,
            ("awards:catalogue",)),
        Tab(_("Statistics (Circular 02/2023)"), "awards:statistics", "statistics",
            ("awards:statistics",)),
    )),
)


def _is_on(tab, view_name):
    return any(view_name.startswith(page[:-1]) if page.endswith("*") else view_name == page
               for page in tab.pages)


def sections_for(nav, view_name):
    """The groups with the tabs this person sees, each tab a dict (label, url, current) and each
    group with its url (its first tab) and whether the current page is in it."""
    groups = []
    for group in GROUPS:
        tabs = [{"label": tab.label, "url": reverse(tab.url_name),
                 "current": _is_on(tab, view_name or "")}
                for tab in group.tabs if tab.needs is None or nav.get(tab.needs)]
        if tabs:
            groups.append({"key": group.key, "label": group.label, "tabs": tabs,
                           "url": tabs[0]["url"],
                           "current": any(tab["current"] for tab in tabs)})
    return groups
