"""Who in a unit meets the conditions of which award this year, and why — before any list."""

from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.shortcuts import render

from units.access import can_read_legal_notes, can_view_every_unit, require
from units.models import Unit

from ..access import can_review_eligibility
from ..eligibility import review_unit
from .ratings import unit_and_year

# People per page: every person's verdicts are decided, but the reasons shown are built for one
# page (a 3,000-person school's whole table was 11 MB and took seconds).
PAGE_SIZE = 30


def eligibility(request):
    unit, year = unit_and_year(request)
    require(can_review_eligibility(request.user, unit))
    # (id, name, chosen): a province has a thousand units, and plain tuples render in a tenth of
    # the time models took (the template looked up `unit.pk` a thousand times).
    units = ([(pk, name, pk == unit.pk) for pk, name in Unit.objects.active().exclude(
        parent__isnull=True).values_list("pk", "name")]
        if can_view_every_unit(request.user) else [])
    review = review_unit(unit, year, light=True)
    page = rows = None
    if review is not None:
        page = Paginator(review.persons, PAGE_SIZE).get_page(request.GET.get("page"))
        rows = review.rows(page.object_list)
    return render(request, "awards/eligibility.html", {
        "unit": unit, "year": year, "review": review, "units": units, "page": page,
        "rows": rows, "page_query": f"{urlencode({'unit': unit.pk, 'year': year})}&",
        "can": {"read_legal_notes": can_read_legal_notes(request.user)},
    })
