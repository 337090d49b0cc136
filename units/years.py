"""The year a year-selecting page opens on — one rule for every such page.

The year in the address wins, and is remembered as the person's choice (a preference row, so
it follows them from page to page and across sign-ins); without one, the year they chose last;
for someone who never chose, the latest year that has data (each app that selects years says
which data, see awards.years); failing everything, this year.
"""

from collections.abc import Callable

from django.utils import timezone

from .models import Preference

FIRST, LAST = 2000, 2100


def year_from(raw) -> int | None:
    """A year from the query string, None unless it is a plausible one."""
    raw = str(raw or "").strip()
    if raw.isdigit() and FIRST <= int(raw) <= LAST:
        return int(raw)
    return None


def remembered_year(user) -> int | None:
    cached = getattr(user, "_chosen_year", False)
    if cached is False:
        cached = (Preference.objects.filter(user_id=user.pk).values_list("year", flat=True)
                  .first() if user.is_authenticated else None)
        user._chosen_year = cached
    return cached


def remember_year(user, year: int) -> None:
    """Keep `year` as the person's choice; a write only when it changes."""
    if not user.is_authenticated or remembered_year(user) == year:
        return
    Preference.objects.update_or_create(user_id=user.pk, defaults={"year": year})
    user._chosen_year = year


def remember_chosen(request) -> None:
    """For the pages that search across years (award history, registers): they open on every
    year, but a year picked there is remembered for the pages that show one year."""
    chosen = year_from(request.GET.get("year"))
    if chosen is not None:
        remember_year(request.user, chosen)


def year_for(request, *, latest: Callable[[], int | None]) -> int:
    """The year the page shows: see the module's docstring. `latest` is asked only when the
    person has never chosen a year."""
    chosen = year_from(request.GET.get("year"))
    if chosen is not None:
        remember_year(request.user, chosen)
        return chosen
    return remembered_year(request.user) or latest() or timezone.localdate().year
