"""The Excel download of a round's ranking and scores (Office, Union, directors)."""

from tempfile import SpooledTemporaryFile

from django.utils.translation import gettext as _

from core.spreadsheets.styles import XLSX_CONTENT_TYPE
from units.access import can_view_every_unit, require
from units.documents import deliver

from ..access import get_scheme_for, visible_round
from ..exports import export_filename, write_ranking_workbook


def export(request, pk):
    """`?round=<pk>` picks a round of the scheme (404 otherwise); by default the open round,
    else the last closed one. Before the first round the workbook has headers only."""
    scheme = get_scheme_for(request.user, pk)
    require(can_view_every_unit(request.user))
    round_ = visible_round(scheme, request.GET.get("round"))
    # Kept in memory up to 8 MB, then on disk: a large province never holds a worker's memory.
    stream = SpooledTemporaryFile(max_size=8 * 1024 * 1024)
    write_ranking_workbook(scheme, round_, stream)
    return deliver(request, stream, kind="scoring.ranking",
                   title=_("Scores and ranking of plan %(code)s")
                   % {"code": scheme.campaign.code},
                   filename=export_filename(scheme.campaign), content_type=XLSX_CONTENT_TYPE)
