"""Every award of every person and unit across the years, searchable, with likely duplicates."""

import unicodedata
from collections import defaultdict

from django.core.paginator import Paginator
from django.shortcuts import render

from units import years
from units.access import can_view_every_unit, register_rows_for
from units.collation import person_order, unit_order
from units.models import StaffMember

from ..forms import HistoryFilterForm
from ..models import Conferral

PAGE_SIZE = 50


def name_key(name: str) -> str:
    """A name without case, diacritics or extra spaces: 'Nguyễn  Thị Thu Hà' → 'nguyen thi thu ha'.

    The same person typed twice — once without accents — shares this key.
    """
    stripped = unicodedata.normalize("NFD", name.replace("đ", "d").replace("Đ", "D"))
    plain = "".join(ch for ch in stripped if unicodedata.category(ch) != "Mn")
    return " ".join(plain.lower().split())


def likely_duplicates():
    """Groups of two or more staff records with awards whose names share a key (one query)."""
    groups = defaultdict(list)
    people = (StaffMember.objects.filter(conferrals__isnull=False).distinct()
              .select_related("unit").order_by(*person_order(), "pk"))
    for person in people:
        groups[name_key(person.full_name)].append(person)
    return [group for group in groups.values() if len(group) > 1]


def history(request):
    every_unit = can_view_every_unit(request.user)
    years.remember_chosen(request)
    form = HistoryFilterForm(request.GET or None, every_unit=every_unit)
    rows = register_rows_for(request.user, Conferral.objects.all())
    rows = (form.filter(rows).select_related("award", "staff", "unit")
            .order_by("-year", "award__order", *unit_order("unit__"),
                      *person_order("staff__full_name"), "pk"))
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "awards/history.html", {
        "form": form, "page": page, "page_query": f"{query.urlencode()}&" if query else "",
        "duplicates": likely_duplicates() if every_unit else [],
    })
