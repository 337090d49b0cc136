
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from campaigns.access import get_campaign_for
from units.access import can_view_every_unit, own_unit_id, require, viewer_for
from units.collation import sort_key, unit_order
from units.models import KIND_GROUP_LABELS, UNIT_KIND_GROUPS, Unit, UnitKind

from .. import services
from ..access import (
    can_appraise,
    can_lock_results,
    can_manage_scheme,
    get_scheme_for,
    visible_round,
)
from ..forms import (
    CompareForm,
    CopySchemeForm,
    CriterionFormSet,
    RankingFilterForm,
    RoundForm,
    SchemeForm,
)
from ..models import ROUND_ORDER, Criterion, Round, Scheme, Score, Stage
from ..summary import department_summary

RANKING_PAGE = 100


def _errors(request, error):
    messages.error(request, " ".join(getattr(error, "messages", [str(error)])))


def overview(request, pk, round_form=None):
    """The scheme of a plan, where its rounds stand, and what the viewer may do next;
    `round_form`: a refused round change, shown again as typed."""
    campaign = get_campaign_for(request.user, pk)
    scheme = Scheme.objects.filter(campaign=campaign).first()
    can = {"manage_scheme": can_manage_scheme(request.user),
           "appraise": can_appraise(request.user),
           "view_every_unit": can_view_every_unit(request.user)}
    context = {"campaign": campaign, "scheme": scheme, "can": can}
    if scheme is None:
        if can["manage_scheme"]:
            context["copy_form"] = CopySchemeForm(campaign=campaign)
        return render(request, "scoring/overview.html", context)
    rounds = list(scheme.rounds.annotate(
        sheet_count=Count("sheets", distinct=True),
        confirmed=Count("sheets", filter=Q(sheets__confirmed_at__isnull=False),
                        distinct=True)))
    current = next((r for r in rounds if not r.is_closed), None)
    own = None
    unit_id = own_unit_id(request.user)
    if unit_id and rounds:
        own = (current or rounds[-1]).sheets.filter(unit_id=unit_id).first()
    context.update({
        "rounds": rounds, "current": current, "own": own,
        "criteria": scheme.criteria.annotate(child_count=Count("children"))
        .order_by("order", "id"),
        "next_round": _next_kind(scheme),
        "next_label": Stage(_next_kind(scheme)).label if _next_kind(scheme) else "",
        "round_form": round_form or RoundForm(initial={"stage": scheme.stage}),
        "can_lock": current is not None and current.kind == Stage.FINAL
        and can_lock_results(request.user),
        # Not offered before the final appraisal: a director is told when it will be.
        "lock_later": current is not None and current.kind != Stage.FINAL
        and can_lock_results(request.user),
    })
    return render(request, "scoring/overview.html", context)


def _next_kind(scheme):
    if scheme.stage == Stage.SETUP:
        return Stage.SELF
    if scheme.stage in (Stage.SELF, Stage.APPRAISAL, Stage.EXPLANATION):
        return ROUND_ORDER[ROUND_ORDER.index(scheme.stage) + 1]
    return None


def scheme_edit(request, pk):
    campaign = get_campaign_for(request.user, pk, manage=True)
    scheme = Scheme.objects.filter(campaign=campaign).first() or Scheme(campaign=campaign)
    if scheme.pk and not scheme.is_editable:
        messages.error(request, _("The scheme cannot be changed once the self-assessment has "
                                  "opened."))
        return redirect("scoring:overview", campaign.pk)
    data = request.POST if request.method == "POST" else None
    form = SchemeForm(data, instance=scheme)
    scale = form.cleaned_data.get("scale") if data is not None and form.is_valid() else None
    formset = CriterionFormSet(data, instance=scheme, prefix="criteria",
                               scale=scale if scale is not None else scheme.scale)
    if data is not None and form.is_valid() and formset.is_valid():
        try:
            services.save_scheme(form=form, formset=formset, user=request.user,
                                 expected_version=form.cleaned_data.get("version"))
        except services.StaleEdit:
            messages.error(request, services.StaleEdit.message)
        except ValidationError as error:
            _errors(request, error)
        else:
            messages.success(request, _("The scoring scheme was saved."))
            return redirect("scoring:overview", campaign.pk)
    return render(request, "scoring/scheme_form.html",
                  {"campaign": campaign, "scheme": scheme, "form": form, "formset": formset})


@require_POST
def scheme_copy(request, pk):
    campaign = get_campaign_for(request.user, pk, manage=True)
    form = CopySchemeForm(request.POST, campaign=campaign)
    if form.is_valid():
        try:
            services.copy_scheme(source=form.cleaned_data["source"], campaign=campaign,
                                 user=request.user)
        except ValidationError as error:
            _errors(request, error)
        else:
            messages.success(request, _("The scheme was copied. Check the criteria and their "
                                        "tasks before opening the self-assessment."))
            return redirect("scoring:scheme", campaign.pk)
    else:
        messages.error(request, _("Choose the scheme to copy."))
    return redirect("scoring:overview", campaign.pk)


def _round_action(request, pk, action, success, *, allowed, needs_deadline=True):
    scheme = get_scheme_for(request.user, pk)
    require(allowed(request.user))
    form = RoundForm(request.POST, needs_deadline=needs_deadline)
    if not form.is_valid():
        return overview(request, pk, round_form=form)  # the date as typed, the error beside it
    kwargs = {"deadline": form.cleaned_data["deadline"]} if needs_deadline else {}
    try:
        action(scheme=scheme, user=request.user,
               expected_stage=form.cleaned_data["stage"] or None, **kwargs)
    except ValidationError as error:
        _errors(request, error)
        if needs_deadline:
            # Shown again as typed, for the stage the scoring is at now.
            scheme.refresh_from_db()
            form.data = form.data.copy()
            form.data["stage"] = scheme.stage
            return overview(request, pk, round_form=form)
    else:
        messages.success(request, success)
    return redirect(scheme)


@require_POST
def round_open(request, pk):
    return _round_action(request, pk, services.open_first_round,
                         _("The self-assessment is open: units can now enter and confirm their "
                           "scores."),
                         allowed=can_manage_scheme)


@require_POST
def round_advance(request, pk):
    return _round_action(request, pk, services.advance,
                         _("The round was closed and kept as it stands; the next round is open."),
                         allowed=can_appraise)


@require_POST
def round_lock(request, pk):
    return _round_action(request, pk, services.lock,
                         _("The results are locked. They will not change any more."),
                         allowed=can_lock_results,
                         needs_deadline=False)


@require_POST
def recompute(request, pk):
    scheme = get_scheme_for(request.user, pk)
    require(can_appraise(request.user))
    counts = services.recompute(scheme=scheme, user=request.user)
    messages.success(request, _("Scores recomputed from the task data: %(changed)s changed, "
                                "%(created)s new.") % counts)
    return redirect(scheme)


def ranking(request, pk):
    """Every unit's result in a round, best first; a unit head sees only their own line."""
    scheme = get_scheme_for(request.user, pk)
    rounds = list(scheme.rounds.all())
    round_ = visible_round(scheme, request.GET.get("round"))
    # The kind groups of the director's dashboard too: its ranking figure links here.
    form = RankingFilterForm(request.GET or None, kinds=[*KIND_GROUP_LABELS.items(),
                                                         *UnitKind.choices], rounds=rounds,
                             initial={"round": round_.pk if round_ else None})
    kind = form.cleaned_data.get("kind") if form.is_valid() else None
    sheets = []
    if round_ is not None:
        sheets = round_.sheets.select_related("unit").order_by("rank",
                                                               *unit_order("unit__"))
        if kind:
            sheets = sheets.filter(unit__kind__in=UNIT_KIND_GROUPS.get(kind, (kind,)))
        sheets = sheets.visible_to(viewer_for(request.user))
    # A province has hundreds of units: 100 lines a page; the Excel download has them all.
    page = Paginator(sheets, RANKING_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "scoring/ranking.html", {
        "campaign": scheme.campaign, "scheme": scheme, "round": round_, "page": page,
        "form": form, "sees_all": can_view_every_unit(request.user),
        "unit_count": round_.sheets.count() if round_ else 0,
        "page_query": f"{query.urlencode()}&" if query else "",
    })


def content_items(request, pk):
    """The department's reform contribution: its score on each content item as the aggregate of
    its units, each unit's share, and the points each unit leaves on the table."""
    scheme = get_scheme_for(request.user, pk)
    require(can_view_every_unit(request.user))
    round_ = visible_round(scheme, request.GET.get("round"))
    # The director's dashboard links here with its unit-kind filter: the same department score.
    kind = request.GET.get("kind", "")
    kinds = UNIT_KIND_GROUPS.get(kind, (kind,) if kind in UnitKind.values else ())
    result = department_summary(scheme, round_, unit_kinds=kinds or None)
    return render(request, "scoring/items.html", {
        "campaign": scheme.campaign, "scheme": scheme, "round": round_,
        "rounds": scheme.rounds.all(), "summary": result.summary, "grid": result.grid,
        "items": result.items, "total": result.total, "kind": kind if kinds else "",
        "kind_label": KIND_GROUP_LABELS.get(kind) or dict(UnitKind.choices).get(kind),
    })


def compare(request, pk):
    """The difference between two rounds per unit and criterion."""
    scheme = get_scheme_for(request.user, pk)
    rounds = list(scheme.rounds.all())
    units = list(Unit.objects.visible_to(viewer_for(request.user))
                 .filter(score_sheets__round__scheme=scheme).distinct().order_by(*unit_order()))
    form = CompareForm(request.GET or None, rounds=rounds, units=units)
    changes = []
    first = second = None
    if len(rounds) >= 2:
        valid = form.is_valid()
        ids = {r.pk: r for r in rounds}
        first = ids.get(form.cleaned_data["first"] if valid else rounds[0].pk)
        second = ids.get(form.cleaned_data["second"] if valid else rounds[-1].pk)
        unit_id = form.cleaned_data.get("unit") if valid else None
        if not can_view_every_unit(request.user):
            unit_id = own_unit_id(request.user)
        changes = _differences(first, second, unit_id)
    return render(request, "scoring/compare.html", {
        "campaign": scheme.campaign, "scheme": scheme, "form": form, "first": first,
        "second": second, "changes": changes, "rounds": rounds,
        "units_changed": len({row["unit"].pk for row in changes}),
        "points_changed": sum(row["points_changed"] for row in changes),
        "notes_changed": sum(row["note_changed"] for row in changes),
    })


def _differences(first: Round, second: Round, unit_id=None):
    """Rows (unit, criterion, points before, after, difference, notes, what changed) for each
    criterion whose points or note changed between the two rounds, and only those.

    A note belongs to its round — the unit's explanation, the council's comment — and a new
    round starts without one: a note counts as changed when the second round has one of its
    own that differs from the first's, not when it has none. Plain values for both rounds (tens
    of thousands at province scale), objects only for the units and criteria of the rows.
    """
    def values(round_):
        scores = Score.objects.filter(round=round_)
        if unit_id:
            scores = scores.filter(unit_id=unit_id)
        return {(u, c): (points, note) for u, c, points, note
                in scores.values_list("unit_id", "criterion_id", "points", "note")}

    before, after = values(first), values(second)
    differing = []
    for key, (points, note) in after.items():
        old_points, old_note = before.get(key, (None, ""))
        points_changed = points != old_points
        note_changed = bool(note.strip()) and note.strip() != old_note.strip()
        if points_changed or note_changed:
            differing.append((key, old_points, old_note, points, note, points_changed,
                              note_changed))
    # filter, not in_bulk: the same two queries whether or not anything differs.
    units = {u.pk: u for u in Unit.objects.filter(pk__in={key[0] for key, *_ in differing})}
    criteria = {c.pk: c for c in Criterion.objects.filter(pk__in={key[1] for key, *_ in differing})}
    rows = []
    for (unit_pk, criterion_pk), old_points, old_note, points, note, moved, noted in differing:
        diff = (points or 0) - (old_points or 0)
        rows.append({"unit": units[unit_pk], "criterion": criteria[criterion_pk],
                     "before": old_points, "after": points, "diff": diff, "change": abs(diff),
                     "old_note": old_note, "note": note, "points_changed": moved,
                     "note_changed": noted})
    rows.sort(key=lambda r: (r["unit"].order, sort_key(r["unit"].name), r["criterion"].order))
    return rows
