"""A unit's score sheet: what each criterion's points rest on, and the one form of its round.

The points, notes and evidence files of the sheet are one form. Each of its buttons — Save,
Upload, Remove, Confirm — saves what is typed first and then does its step, all in one
transaction (`services.save_page`). A refused press shows the page again with everything typed
and the reason beside the field (a chosen file must be chosen again: no browser lets a page
fill a file box); a page someone saved meanwhile shows their values beside the typing instead
of wiping it; a sheet that can no longer be changed shows the typing to copy.
"""

from collections import defaultdict

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.numbers import NumberFormatError, parse_number
from core.uploads import send_stored
from units.access import require

from .. import services
from ..access import (
    can_answer_for,
    get_scheme_for,
    get_score_evidence_for,
    get_score_for,
    get_unit_sheet_for,
    sheet_mode,
    visible_round,
)
from ..explain import bands_of, explain_sheet
from ..forms import ConfirmForm, EvidenceForm, SheetForm, same_note
from ..models import Rule, Score, ScoreEvidence, Stage

ACTIONS = ("save", "upload", "remove", "confirm")


def sheet(request, pk, unit_pk):
    """A unit's score sheet: every criterion with the data, rule, evidence and each round's
    values behind its points; the form the viewer may fill in this round."""
    scheme = get_scheme_for(request.user, pk)
    round_ = visible_round(scheme, request.GET.get("round"))
    unit, unit_sheet = get_unit_sheet_for(request.user, unit_pk, round_)
    mode = sheet_mode(request.user, unit_sheet)
    where = (scheme, round_, unit, unit_sheet)
    if request.method == "POST":
        if mode:
            return _post(request, where, mode)
        # Confirmed, closed or past its deadline since the page was opened: nothing is saved,
        # and what was typed is shown to copy.
        read = _read(*where)
        return _page(request, where, read, kept=_kept(request, read["scores"]),
                     kept_reasons=_why_locked(request, unit_sheet))
    read = _read(*where)
    form = None
    if mode:
        form = SheetForm(mode=mode, scores=read["scores"], previous=read["claimed"],
                         initial={"version": unit_sheet.version})
    return _page(request, where, read, mode=mode, form=form)


def _read(scheme, round_, unit, unit_sheet) -> dict:
    """The sheet's scores in criterion order, each criterion's (points, note) per round, and
    the unit's self-assessed points, which appraisals are measured against."""
    rounds = list(scheme.rounds.all())
    scores = []
    if unit_sheet is not None:
        scores = list(round_.scores.filter(unit=unit)
                      .select_related("criterion__item", "updated_by__staff_member")
                      .annotate(evidence_count=Count("evidence"))
                      .order_by("criterion__order", "criterion_id"))
    by_round = defaultdict(dict)  # criterion id → round id → (points, note)
    for round_id, criterion_id, points, note in Score.objects.filter(
            round__scheme=scheme, unit=unit).values_list("round_id", "criterion_id", "points",
                                                         "note"):
        by_round[criterion_id][round_id] = (points, note)
    self_round = next((r for r in rounds if r.kind == Stage.SELF), None)
    claimed = {cid: values[self_round.pk][0] for cid, values in by_round.items()
               if self_round and self_round.pk in values}
    return {"rounds": rounds, "scores": scores, "by_round": by_round, "claimed": claimed}


def _pressed(request, mode) -> tuple[str, str | None]:
    """The button pressed: ("upload", score key), ("remove", evidence key), or ("save" |
    "confirm", None). Files and confirmation belong to the self-assessment: any other round
    saves."""
    if request.POST.get("remove"):
        action, key = "remove", request.POST["remove"]
    elif request.POST.get("upload"):
        action, key = "upload", request.POST["upload"]
    else:
        action, key = request.POST.get("action", "save"), None
    if action not in ACTIONS or (mode != "self" and action != "save"):
        return "save", None
    return action, key


def _to_remove(request, unit_sheet, key):
    """The evidence of this sheet's round that the Remove button names; None (and a word
    that it is gone) when another tab removed it already."""
    found = None
    if key.isascii() and key.isdigit() and len(key) < 19:
        found = (ScoreEvidence.objects.filter(pk=key, score__round_id=unit_sheet.round_id,
                                              score__unit_id=unit_sheet.unit_id)
                 .select_related("score").first())
    if found is None:
        messages.info(request, _("That file had already been removed."))
    return found


def _post(request, where, mode):
    """One press on the sheet's form, all or nothing."""
    unit_sheet = where[3]
    read = _read(*where)
    action, key = _pressed(request, mode)
    remove = _to_remove(request, unit_sheet, key) if action == "remove" else None
    form = SheetForm(request.POST, request.FILES, mode=mode, scores=read["scores"],
                     previous=read["claimed"], action=action, key=key, remove=remove)
    # No browser lets a page fill a file box again: the page says which to choose again.
    lost = {pk for pk in form.scores if request.FILES.get(f"file_{pk}")}
    if not form.is_valid():
        return _page(request, where, read, mode=mode, form=form, file_lost=lost)
    changes = form.changes()
    try:
        done = services.save_page(sheet=unit_sheet, changes=changes, user=request.user,
                                  expected_version=form.cleaned_data["version"],
                                  uploads=form.uploads, remove=remove,
                                  confirm=action == "confirm")
    except (services.SheetConflict, ValidationError) as error:
        # Read again: what someone else saved, and whether the sheet still takes changes.
        unit_sheet.refresh_from_db()
        unit_sheet.round.refresh_from_db()
        read = _read(*where)
        mode = sheet_mode(request.user, unit_sheet)
        if not mode:
            return _page(request, where, read, kept=_kept(request, read["scores"]),
                         kept_reasons=_why_locked(request, unit_sheet))
        if not isinstance(error, services.SheetConflict):
            form.add_error(None, error)
            return _page(request, where, read, mode=mode, form=form, file_lost=lost)
        data, conflict = form.against({s.pk: s for s in read["scores"]}, unit_sheet.version)
        form = SheetForm(data, mode=mode, scores=read["scores"], previous=read["claimed"])
        return _page(request, where, read, mode=mode, form=form, conflict=conflict,
                     file_lost=lost)
    _say(request, done, len(changes))
    return redirect(request.get_full_path())


def _say(request, done, count):
    """What the press did, in one message."""
    said = []
    if "saved" in done:
        said.append(_("%(count)s criteria saved.") % {"count": count})
    if "added" in done:
        said.append(_("The file was added."))
    if "duplicate" in done:
        said.append(_("This file is already attached to this criterion; it was not added "
                      "twice."))
    if "removed" in done:
        said.append(_("The file was removed."))
    if "confirmed" in done:
        said.append(_("The self-assessment was confirmed and sent to the council."))
    if said:
        messages.success(request, " ".join(said))
    else:
        messages.info(request, _("Nothing had changed, so nothing was saved."))


def _kept(request, scores) -> list[tuple[str, str]]:
    """(label, text) of each box whose typing differs from what is stored: to copy."""
    lines = []
    for score in scores:
        number = score.criterion.number
        points = request.POST.get(f"points_{score.pk}", "").strip()
        try:
            same = parse_number(points) == score.points
        except NumberFormatError:
            same = False
        if points and not same:
            lines.append((_("Points for %(number)s") % {"number": number}, points))
        note = request.POST.get(f"note_{score.pk}", "").strip()
        if note and not same_note(note, score.note):
            lines.append((_("Note for %(number)s") % {"number": number}, note))
    return lines


def _why_locked(request, unit_sheet) -> list[str]:
    """Why the sheet takes no changes from this person now."""
    if unit_sheet is None:
        return []
    round_ = unit_sheet.round
    reasons = []
    if round_.is_closed:
        reasons.append(_("This round is closed: its scores can no longer be changed."))
    elif round_.kind == Stage.SELF and unit_sheet.confirmed_at:
        reasons.append(_("The self-assessment was confirmed on %(at)s; it can no longer be "
                         "changed.") % {"at": date_format(timezone.localtime(
                             unit_sheet.confirmed_at), "SHORT_DATETIME_FORMAT")})
    elif (can_answer_for(request.user, unit_sheet.unit_id)
          and timezone.localdate() > round_.deadline):
        reasons.append(_("The deadline of this round (%(date)s) has passed: the sheet can no "
                         "longer be changed.") % {"date": date_format(round_.deadline,
                                                                     "SHORT_DATE_FORMAT")})
    else:
        reasons.append(_("You cannot change this sheet in this round."))
    if request.FILES:
        reasons.append(_("The file you had chosen was not stored."))
    return reasons


def _page(request, where, read, *, mode=None, form=None, conflict=None, kept=(),
          kept_reasons=(), file_lost=()):
    """The sheet; `form` the viewer's entries (typed, after a refused press), `conflict` what
    someone else saved meanwhile, `kept` typing that can no longer be saved, to copy."""
    scheme, round_, unit, unit_sheet = where
    scores, rounds = read["scores"], read["rounds"]
    return render(request, "scoring/sheet.html", {
        "campaign": scheme.campaign, "scheme": scheme, "unit": unit, "sheet": unit_sheet,
        "round": round_, "rounds": rounds, "mode": mode, "form": form,
        "columns": 4 + len(rounds) + (1 if form else 0),
        "rows": _sheet_rows(scheme, unit, scores, rounds, read["by_round"], form),
        # The confirmation is not offered while a manual criterion has no points (saved).
        "missing_points": [s.criterion.number for s in scores
                           if s.applicable and s.points is None],
        "conflict": conflict, "conflict_message": services.SheetConflict.message,
        "kept": kept, "kept_reasons": kept_reasons if kept or request.FILES else (),
        "file_lost": file_lost,
        # A page shown again after a refused press holds typing not yet saved.
        "unsaved": form is not None and form.is_bound,
    })


def _sheet_rows(scheme, unit, scores, rounds, by_round, form):
    """One row per scored criterion: the score, its round values and its evidence."""
    evidence = defaultdict(list)
    for item in (ScoreEvidence.objects.filter(score__round__scheme=scheme, score__unit=unit)
                 .select_related("score")):
        evidence[item.score.criterion_id].append(item)
    parents = {c.pk: c for c in scheme.criteria.filter(children__isnull=False).distinct()}
    fields = form.rows() if form is not None else {}
    explained = explain_sheet(scheme, unit, [s.criterion for s in scores if s.applicable])
    rows = []
    for score in scores:
        values = by_round.get(score.criterion_id, {})
        rows.append({
            "score": score, "criterion": score.criterion,
            "history": [(r, values.get(r.pk)) for r in rounds],
            "evidence": evidence.get(score.criterion_id, []),
            "fields": fields.get(score.pk), "parent": parents.get(score.criterion.parent_id),
            "explained": explained.get(score.criterion_id),
            "bands": bands_of(score.criterion, score.data_points)
            if score.criterion.rule == Rule.BANDS else [],
        })
    return rows


# --- the single-purpose endpoints ------------------------------------------------------------
# They take a version, a file or an evidence key alone, without the page's typed values (none
# is lost), and answer with a redirect as before.

@require_POST
def sheet_confirm(request, pk, unit_pk):
    scheme = get_scheme_for(request.user, pk)
    round_ = visible_round(scheme)
    unit, unit_sheet = get_unit_sheet_for(request.user, unit_pk, round_)
    require(sheet_mode(request.user, unit_sheet) == "self")
    form = ConfirmForm(request.POST)
    try:
        if not form.is_valid():
            # Not a version this page ever held: refused as a stale page is.
            raise services.SheetConflict
        services.confirm_sheet(sheet=unit_sheet, user=request.user,
                               expected_version=form.cleaned_data["version"])
    except services.SheetConflict:
        messages.error(request, _("This score sheet was saved after you opened it, so it was "
                                  "not confirmed: check the values shown now, then confirm "
                                  "again."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The self-assessment was confirmed and sent to the "
                                    "council."))
    return redirect("scoring:sheet", scheme.campaign_id, unit.pk)


@require_POST
def evidence_upload(request, pk):
    score = get_score_for(request.user, pk)
    unit, unit_sheet = get_unit_sheet_for(request.user, score.unit_id, score.round)
    require(sheet_mode(request.user, unit_sheet) == "self" and not score.criterion.is_automatic)
    form = EvidenceForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors.get("file", [])))
    else:
        try:
            done = services.save_page(sheet=unit_sheet, changes={}, user=request.user,
                                      expected_version=None,
                                      uploads=[(score, form.checked, form.cleaned_data["file"])])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            _say(request, done, 0)
    return redirect("scoring:sheet", score.round.scheme.campaign_id, unit.pk)


def evidence_download(request, pk):
    return send_stored(get_score_evidence_for(request.user, pk))


@require_POST
def evidence_delete(request, pk):
    evidence = get_score_evidence_for(request.user, pk)
    score = evidence.score
    unit, unit_sheet = get_unit_sheet_for(request.user, score.unit_id, score.round)
    require(sheet_mode(request.user, unit_sheet) == "self")
    try:
        done = services.save_page(sheet=unit_sheet, changes={}, user=request.user,
                                  expected_version=None, remove=evidence)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        _say(request, done, 0)
    return redirect("scoring:sheet", score.round.scheme.campaign_id, unit.pk)
