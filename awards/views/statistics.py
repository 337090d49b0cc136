"""The statistics forms of Circular 02/2023/TT-BNV: the year's figures on screen, each form as
Excel and PDF (awards/documents/statistics.py, through the documents' registry)."""

from django.shortcuts import render

from units.access import require

from .. import statistics
from ..access import can_view_statistics
from ..years import year_for


def statistics_page(request):
    require(can_view_statistics(request.user))
    year = year_for(request)
    return render(request, "awards/statistics.html", {
        "year": year, "years": [year - 1, year + 1], "forms": statistics.forms(year),
    })
