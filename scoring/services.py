"""Writes on schemes, rounds and score sheets. Each runs in one transaction and leaves audit lines.

The round workflow: the Office opens the self-assessment (the portal proposes every automatic
criterion from the task data), unit heads enter and confirm their manual criteria, the council
(Office and Union) appraises, units explain where appraisal is lower, the council appraises a
final time, and a director locks. Moving on closes the current round: its scores and results
become a snapshot that nothing writes again. What the portal derives from the task data (the
open round's data points and results, and `recompute`) lives in `scoring.recompute`.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.audit.trail import record
from core.stale_edits import StaleEdit, bump_version
from tasks.models import Task

from . import compute
from .models import (
    ROUND_ORDER,
    Criterion,
    Round,
    Scheme,
    Score,
    ScoreEvidence,
    Sheet,
    Stage,
    shown,
)
from .recompute import open_round, recompute, refresh_results

__all__ = ["StaleEdit", "SheetConflict", "save_scheme", "copy_scheme", "check_scheme",
           "open_first_round", "advance", "lock", "recompute", "save_sheet", "confirm_sheet",
           "add_score_evidence", "remove_score_evidence", "save_page"]


class SheetConflict(StaleEdit):
    """Someone saved the sheet after this page was opened; the page keeps what was typed."""

    message = gettext_lazy(
        "This score sheet was saved after you opened this page, by someone else or by you in "
        "another tab. Nothing of yours has been saved yet, and what you typed is still in the "
        "form. Below, criterion by criterion: what is stored and what the form holds now; save "
        "again to store what the form holds."
    )


def _plain(value):
    return None if value is None else str(value)


def check_scheme(scheme) -> None:
    """Raise ValidationError unless the criteria add up: top level to the scale, sub-criteria
    to their parent."""
    total = compute.scheme_total(scheme)
    if total != scheme.scale:
        raise ValidationError(
            _("The maxima of the criteria add up to %(total)s, not to the scale of %(scale)s: "
              "correct the maxima so that they add up to %(scale)s.")
            % {"total": shown(total), "scale": shown(scheme.scale)})
    criteria = list(scheme.criteria.all())
    children = {}
    for criterion in criteria:
        if criterion.parent_id:
            children.setdefault(criterion.parent_id, []).append(criterion)
    for criterion in criteria:
        parts = children.get(criterion.pk)
        if parts and sum(c.max_points for c in parts) != criterion.max_points:
            raise ValidationError(
                _("The sub-criteria of %(number)s add up to %(sum)s, not to its maximum of "
                  "%(max)s.") % {"number": criterion.number,
                                 "sum": shown(sum(c.max_points for c in parts)),
                                 "max": shown(criterion.max_points)})
    if not criteria:
        raise ValidationError(_("The scheme has no criteria yet."))


@transaction.atomic
def save_scheme(*, form, formset, user, expected_version) -> Scheme:
    """Save the scheme's settings and its criteria together, or nothing.

    Side effects: the rows, the scheme's version (StaleEdit on conflict), one audit line.
    """
    scheme = form.instance
    creating = scheme.pk is None
    if not creating:
        if not Scheme.objects.get(pk=scheme.pk).is_editable:
            raise ValidationError(_("The scheme cannot be changed once the self-assessment has "
                                    "opened."))
        bump_version(scheme, expected_version)
    changed = [name for name in form.changed_data if name != "version"]
    before = None if creating else {name: _plain(form.initial.get(name)) for name in changed}
    form.save()
    formset.instance = scheme
    formset.save()
    _link_parents(scheme)
    record(actor=user, action="scoring.scheme_create" if creating else "scoring.scheme_edit",
           target=scheme, before=before,
           after={**{name: _plain(form.cleaned_data.get(name)) for name in changed},
                  "criteria": {"added": len(formset.new_objects),
                               "changed": len(formset.changed_objects),
                               "deleted": len(formset.deleted_objects)}})
    return scheme


def _link_parents(scheme) -> None:
    """A criterion numbered 3.1 is a sub-criterion of criterion 3: the number says where it sits."""
    criteria = {c.number: c for c in scheme.criteria.all()}
    for criterion in criteria.values():
        parent = criteria.get(criterion.number.rsplit(".", 1)[0]) if "." in criterion.number \
            else None
        if criterion.parent_id != (parent.pk if parent else None):
            criterion.parent = parent
            criterion.save(update_fields=["parent"])


@transaction.atomic
def copy_scheme(*, source: Scheme, campaign, user) -> Scheme:
    """A new scheme for `campaign` with the settings and criteria of `source`.

    Criteria find their content item by number and their tasks by (item number, title); a task
    that has no namesake this year is dropped, and the criterion then reads every task of its
    item. Side effects: the rows and one audit line.
    """
    if Scheme.objects.filter(campaign=campaign).exists():
        raise ValidationError(_("This campaign already has a scoring scheme."))
    settings = {f.name: getattr(source, f.name) for f in Scheme._meta.concrete_fields
                if f.name not in ("id", "campaign", "stage", "copied_from", "version",
                                  "computed_at", "cutoff")}
    scheme = Scheme.objects.create(campaign=campaign, copied_from=source, **settings)
    items = {item.number: item for item in campaign.items.all()}
    tasks = {(t.item.number, t.title): t
             for t in Task.objects.filter(item__campaign=campaign).select_related("item")}
    new_by_old = {}
    skipped = []
    for old in source.criteria.select_related("item", "parent").prefetch_related("tasks__item"):
        item = items.get(old.item.number)
        if item is None:
            skipped.append(old.number)
            continue
        new = Criterion.objects.create(
            scheme=scheme, item=item, parent=new_by_old.get(old.parent_id), number=old.number,
            title=old.title, max_points=old.max_points, rule=old.rule, bands=old.bands,
            deduction=old.deduction, guidance=old.guidance, order=old.order)
        new_by_old[old.pk] = new
        linked = [tasks[(t.item.number, t.title)] for t in old.tasks.all()
                  if (t.item.number, t.title) in tasks]
        new.tasks.set(linked)
    record(actor=user, action="scoring.scheme_copy", target=scheme,
           after={"from": source.campaign_id, "criteria": len(new_by_old), "skipped": skipped})
    return scheme


def _locked_scheme(scheme) -> Scheme:
    """The scheme row locked for the rest of the transaction: one round change at a time."""
    return Scheme.objects.select_for_update().select_related("campaign").get(pk=scheme.pk)


def _at_stage(scheme, expected_stage) -> None:
    """Refuse a round change made from a page that showed another stage: a second press of
    the same button, or a page opened before someone else moved the rounds on."""
    if expected_stage and scheme.stage != expected_stage:
        raise ValidationError(_("The scoring has moved on to “%(stage)s” since this page was "
                                "opened (perhaps by a second press of the button): nothing was "
                                "changed.") % {"stage": scheme.get_stage_display()})


@transaction.atomic
def open_first_round(*, scheme, deadline, user, expected_stage=None) -> Round:
    """Open the self-assessment: check the scheme, then propose every unit's points.

    Side effects: the round, every unit's scores and sheet, one audit line.
    """
    scheme = _locked_scheme(scheme)
    _at_stage(scheme, expected_stage)
    if scheme.stage != Stage.SETUP:
        raise ValidationError(_("The self-assessment has already been opened."))
    check_scheme(scheme)
    round_ = Round.objects.create(scheme=scheme, kind=Stage.SELF, deadline=deadline,
                                  opened_at=timezone.now(), opened_by=user)
    scheme.stage = Stage.SELF
    scheme.save(update_fields=["stage"])
    record(actor=user, action="scoring.round_open", target=scheme,
           after={"round": Stage.SELF, "deadline": deadline.isoformat()})
    recompute(scheme=scheme, user=user)
    return round_


@transaction.atomic
def advance(*, scheme, deadline, user, expected_stage=None) -> Round:
    """Close the open round and open the next one, which starts from the closed round's values.

    Side effects: the closed round's results are computed a last time and frozen; the new
    round's scores and sheets are copied from it; one audit line.
    """
    scheme = _locked_scheme(scheme)
    _at_stage(scheme, expected_stage)
    current = open_round(scheme)
    if current is None or current.kind == Stage.FINAL:
        raise ValidationError(_("There is no round to move on from: lock the final appraisal "
                                "instead."))
    recompute(scheme=scheme, user=user)
    _close(current, user)
    next_kind = ROUND_ORDER[current.position + 1]
    new = Round.objects.create(scheme=scheme, kind=next_kind, deadline=deadline,
                               opened_at=timezone.now(), opened_by=user)
    Score.objects.bulk_create(
        [Score(round=new, unit_id=s.unit_id, criterion_id=s.criterion_id, applicable=s.applicable,
               data_points=s.data_points, points=s.points, facts=s.facts)
         for s in current.scores.all()],
        batch_size=1000,
    )
    Sheet.objects.bulk_create(
        [Sheet(round=new, unit_id=s.unit_id, raw=s.raw, max_points=s.max_points,
               appraised=s.appraised, bonus=s.bonus, penalty=s.penalty, final=s.final,
               rank=s.rank, grade=s.grade)
         for s in current.sheets.all()],
        batch_size=1000,
    )
    scheme.stage = next_kind
    scheme.save(update_fields=["stage"])
    record(actor=user, action="scoring.round_open", target=scheme,
           before={"round": current.kind, "closed": current.pk},
           after={"round": next_kind, "opened": new.pk, "deadline": deadline.isoformat()})
    return new


def _close(round_, user) -> None:
    round_.closed_at = timezone.now()
    round_.closed_by = user
    round_.save(update_fields=["closed_at", "closed_by"])


@transaction.atomic
def lock(*, scheme, user, expected_stage=None) -> Round:
    """A director locks the final appraisal: its results become the campaign's result.

    Side effects: the final round's results computed a last time and frozen; one audit line.
    """
    scheme = _locked_scheme(scheme)
    _at_stage(scheme, expected_stage)
    current = open_round(scheme)
    if current is None or current.kind != Stage.FINAL:
        raise ValidationError(_("Only the final appraisal can be locked."))
    recompute(scheme=scheme, user=user)
    _close(current, user)
    scheme.stage = Stage.LOCKED
    scheme.save(update_fields=["stage"])
    record(actor=user, action="scoring.lock", target=scheme,
           before={"round": Stage.FINAL, "stage": Stage.FINAL},
           after={"stage": Stage.LOCKED, "units": current.sheets.count()})
    return current


def _editable(round_) -> None:
    """Refuse writes into a closed round. The round row is locked for the rest of the
    transaction, so a save and the council closing the round cannot interleave."""
    round_ = Round.objects.select_for_update().get(pk=round_.pk)
    if round_.is_closed:
        raise ValidationError(_("This round is closed: its scores can no longer be changed."))


def _claim(sheet, expected_version) -> None:
    """The sheet's next version, or SheetConflict when a save got there first."""
    try:
        bump_version(sheet, expected_version)
    except StaleEdit:
        raise SheetConflict from None


@transaction.atomic
def save_sheet(*, sheet, changes, user, expected_version) -> int:
    """Write the points and notes a person changed on one sheet of the open round.

    `changes` maps a Score to (points, note) as the form cleaned them. Side effects: the score
    rows, the sheet's version (StaleEdit on conflict), the sheet's results, one audit line with
    each criterion's values before and after. Returns the number of scores changed.
    """
    _editable(sheet.round)
    _claim(sheet, expected_version)
    before, after = {}, {}
    now = timezone.now()
    for score, (points, note) in changes.items():
        number = score.criterion.number
        before[number] = {"points": _plain(score.points), "note": score.note}
        score.points, score.note = points, note
        score.updated_by, score.updated_at = user, now
        after[number] = {"points": _plain(points), "note": note}
    Score.objects.bulk_update(list(changes), ["points", "note", "updated_by", "updated_at"])
    if changes:
        record(actor=user, action=f"scoring.sheet_{sheet.round.kind}", target=sheet,
               before=before, after=after)
        refresh_results(scheme=sheet.round.scheme, round_=sheet.round)
    return len(changes)


@transaction.atomic
def confirm_sheet(*, sheet, user, expected_version) -> None:
    """The unit head confirms the self-assessment; it can no longer be edited in this round.

    Side effects: the sheet's confirmation and version; one audit line.
    """
    _editable(sheet.round)
    missing = sheet.round.scores.filter(unit=sheet.unit, applicable=True,
                                        points__isnull=True).select_related("criterion")
    numbers = [s.criterion.number for s in missing]
    if numbers:
        raise ValidationError(_("Enter points for every manual criterion before confirming: "
                                "%(numbers)s.") % {"numbers": ", ".join(numbers)})
    _claim(sheet, expected_version)
    sheet.refresh_from_db(fields=["final"])
    sheet.confirmed_at, sheet.confirmed_by = timezone.now(), user
    sheet.save(update_fields=["confirmed_at", "confirmed_by"])
    record(actor=user, action="scoring.sheet_confirm", target=sheet,
           after={"round": sheet.round.kind, "final": _plain(sheet.final)})


@transaction.atomic
def add_score_evidence(*, score, checked, upload, user) -> ScoreEvidence:
    """Store a checked upload for a manual criterion of an open self-assessment."""
    _editable(score.round)
    evidence = ScoreEvidence.from_checked(checked, upload=upload, user=user, score=score)
    try:
        evidence.save()
        record(actor=user, action="scoring.evidence_added", target=score,
               after={"file": checked.name, "size": checked.size, "sha256": checked.sha256})
    except Exception:
        evidence.file.delete(save=False)
        raise
    return evidence


@transaction.atomic
def remove_score_evidence(*, evidence, user) -> None:
    _editable(evidence.score.round)
    stored = evidence.file
    record(actor=user, action="scoring.evidence_removed", target=evidence.score,
           before={"file": evidence.original_name, "sha256": evidence.sha256})
    evidence.delete()
    transaction.on_commit(lambda: stored.delete(save=False))


def save_page(*, sheet, changes, user, expected_version, uploads=(), remove=None,
              confirm=False) -> set[str]:
    """One press of a button on the score sheet, all or nothing.

    In order: the typed `changes` (Score → (points, note), as in `save_sheet`) are saved when
    there are any (SheetConflict if someone saved since the page was opened at
    `expected_version`); each checked upload in `uploads` ((score, checked, upload) triples) is
    stored unless the same file is already attached to that criterion; the evidence `remove` is
    removed; the self-assessment is confirmed when `confirm`. A refusal anywhere (a stale page,
    a closed round, a manual criterion without points) rolls back all of it, files stored on
    the way included. Side effects: those of `save_sheet`, `add_score_evidence`,
    `remove_score_evidence` and `confirm_sheet`.

    Returns what was done: a set of "saved", "added", "duplicate", "removed", "confirmed".
    """
    stored = []
    try:
        with transaction.atomic():
            done = _save_page(sheet=sheet, changes=changes, user=user,
                              expected_version=expected_version, uploads=uploads, remove=remove,
                              confirm=confirm, stored=stored)
    except BaseException:
        # The rows rolled back: the files stored for them go too.
        for file in stored:
            file.delete(save=False)
        raise
    return done


def _save_page(*, sheet, changes, user, expected_version, uploads, remove, confirm, stored):
    _editable(sheet.round)
    done = set()
    if changes:
        save_sheet(sheet=sheet, changes=changes, user=user, expected_version=expected_version)
        done.add("saved")
    for score, checked, upload in uploads:
        if score.evidence.filter(sha256=checked.sha256).exists():
            done.add("duplicate")  # the same file twice (a double click) is kept once
            continue
        stored.append(add_score_evidence(score=score, checked=checked, upload=upload,
                                         user=user).file)
        done.add("added")
    if remove is not None:
        remove_score_evidence(evidence=remove, user=user)
        done.add("removed")
    if confirm:
        # Without typed changes the page showed what is stored: it is confirmed as it stands.
        version = sheet.version if changes else Sheet.objects.get(pk=sheet.pk).version
        confirm_sheet(sheet=sheet, user=user, expected_version=version)
        done.add("confirmed")
    return done
