"""The Excel download of a round's ranking and scores (Office, Union, directors)."""

from django.utils.translation import gettext as _

from units.access import can_view_every_unit, require
from units.documents import deliver_job

from .. import jobs
from ..access import get_scheme_for, visible_round


def export(request, pk):
    """`?round=<pk>` picks a round of the scheme (404 otherwise); by default the open round,
    else the last closed one. Before the first round the workbook has headers only.
    `?background=1` sends even a small one to the worker."""
    scheme = get_scheme_for(request.user, pk)
    require(can_view_every_unit(request.user))
    round_ = visible_round(scheme, request.GET.get("round"))
    # A province's round goes to the background worker (core.jobs); a small one comes at once.
    return deliver_job(request, jobs.RANKING,
                       {"scheme": scheme.pk, "round": round_.pk if round_ else None},
                       title=_("Scores and ranking of plan %(code)s")
                       % {"code": scheme.campaign.code},
                       background=request.GET.get("background") == "1")
