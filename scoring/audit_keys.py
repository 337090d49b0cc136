"""How the keys the scoring lines record read on the audit trail (core.audit.display)."""

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.audit.display import Key, explain, name_actions, name_objects

from .models import ROUND_ORDER

SHEETS = tuple(f"scoring.sheet_{stage.value}" for stage in ROUND_ORDER)


# What the trail's page calls each action this app records.
ACTIONS = {
    "scoring.scheme_create": _("Scoring scheme created"),
    "scoring.scheme_edit": _("Scoring scheme edited"),
    "scoring.scheme_copy": _("Scoring scheme copied"),
    "scoring.round_open": _("Scoring round opened (previous round closed)"),
    "scoring.lock": _("Final appraisal locked"),
    "scoring.recompute": _("Scores recomputed from the task data"),
    "scoring.sheet_self": _("Self-assessment scores saved"),
    "scoring.sheet_appraisal": _("Appraisal scores saved"),
    "scoring.sheet_explanation": _("Explanation scores saved"),
    "scoring.sheet_final": _("Final appraisal scores saved"),
    "scoring.sheet_confirm": _("Self-assessment confirmed"),
    "scoring.evidence_added": _("Evidence added to a score"),
    "scoring.evidence_removed": _("Evidence removed from a score"),
    "cluster.create": _("Emulation cluster defined"),
    "cluster.edit": _("Emulation cluster changed"),
    "cluster.pact": _("Cluster pact uploaded"),
    "cluster.round_open": _("Cluster peer scoring opened"),
    "cluster.round_close": _("Cluster peer scoring closed"),
    "cluster.round_extend": _("Cluster peer scoring deadline extended"),
    "cluster.marks": _("Peer scores saved"),
    "cluster.delete": _("Emulation cluster deleted"),
    # Recorded by awards (services_clusters), named here with the other cluster lines.
    "cluster.proposal": _("Cluster meeting's proposal recorded"),
}


def register() -> None:
    name_actions(ACTIONS)
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
    defined = ("cluster.create", "cluster.edit", "cluster.delete")
    for key, label in (("head", _("Cluster head")), ("deputy", _("Deputy head")),
                       ("members", _("Member units"))):
        explain(key, label, action=defined, model="units.Unit")
    explain("targets", _("Targets of the pact"), action=defined)
    explain("deadline", _("Deadline"), action=("cluster.round_open", "cluster.round_extend"))
    explain("ranking", _("Ranking (unit, score)"), action="cluster.round_close")
    # A peer-scoring line: each criterion's points, by the member unit they were given to.
    explain("*", _("Criterion %(key)s"), action="cluster.marks", model="units.Unit")
    met = "cluster.proposal"
    explain("flag_unit", _("Emulation flag candidate"), action=met, model="units.Unit")
    explain("commended", _("Bằng khen candidates"), action=met, model="units.Unit")
    explain("flag_votes", _("Votes for the flag candidate"), action=met)
    explain("present", _("Members present"), action=met)
    explain("held_on", _("Meeting held on"), action=met)
    explain("minutes", _("Minutes"), action=met)
    explain("points", _("Points"))
    # A sheet's line is keyed by the number of each criterion it changed.
    explain("*", _("Criterion %(key)s"), action=SHEETS, order=("points", "note"))
    name_objects("scoring.Round", "kind", "scheme__campaign__year",
                 shown=lambda kind, year: f"{kind} {year}")
    name_objects("scoring.Score", "criterion__number", "unit__name",
                 shown=lambda number, unit: gettext("Criterion %(number)s, %(unit)s")
                 % {"number": number, "unit": unit})
