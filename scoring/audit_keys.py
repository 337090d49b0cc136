"""How the keys the scoring lines record read on the audit trail (units.audit_display)."""

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from units.audit_display import Key, explain, name_objects

from .models import ROUND_ORDER

SHEETS = tuple(f"scoring.sheet_{stage.value}" for stage in ROUND_ORDER)


def register() -> None:
    rounds = {stage.value: stage.label for stage in ROUND_ORDER}
    explain("round", _("Round"), choices=rounds)
    explain("closed", _("Round closed"), model="scoring.Round")
    explain("opened", _("Round opened"), model="scoring.Round")
    explain("units", _("Units locked (number)"), action="scoring.lock")
    explain("criteria", _("Criteria"))
    explain("from", _("Copied from the plan"), action="scoring.scheme_copy",
            model="campaigns.Campaign")
    explain("skipped", _("Criteria not copied"), action="scoring.scheme_copy")
    explain("scores", _("Scores"), model="scoring.Score",
            each=Key("", parts=(_("Applies"), _("Points from the data"), _("Points"))))
    explain("created_for_units", _("Scores computed for the units"), model="units.Unit")
    explain("final", _("Final score"))
    explain("points", _("Points"))
    # A sheet's line is keyed by the number of each criterion it changed.
    explain("*", _("Criterion %(key)s"), action=SHEETS, order=("points", "note"))
    name_objects("scoring.Round", "kind", "scheme__campaign__year",
                 shown=lambda kind, year: f"{kind} {year}")
    name_objects("scoring.Score", "criterion__number", "unit__name",
                 shown=lambda number, unit: gettext("Criterion %(number)s, %(unit)s")
                 % {"number": number, "unit": unit})
