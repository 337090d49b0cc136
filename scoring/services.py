"""Writes on schemes, rounds and score sheets. Each runs in one transaction and leaves audit lines.

The round workflow: the Office opens the self-assessment (the portal proposes every automatic
criterion from the task data), unit heads enter and confirm their manual criteria, the council
(Office and Union) appraises, units explain where appraisal is lower, the council appraises a
final time, and a director locks. Moving on closes the current round: its scores and results
become a snapshot that nothing writes again.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import connections, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.audit.trail import record
from core.stale_edits import StaleEdit, bump_version
from tasks.models import Task

from . import compute, rules
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

__all__ = ["StaleEdit", "SheetConflict", "save_scheme", "copy_scheme", "check_scheme",
           "open_first_round", "advance", "lock", "recompute", "save_sheet", "confirm_sheet",
           "add_evidence", "remove_evidence", "save_page"]


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


def open_round(scheme) -> Round | None:
    return scheme.rounds.filter(closed_at__isnull=True).first()


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


@transaction.atomic
def recompute(*, scheme, user=None, unit_ids=None) -> dict:
    """Bring the open round up to date with the task data and the registers.

    The data column follows the task data in every open round; in the self-assessment it is also
    the points of automatic criteria. People's points (manual criteria, appraisals) are kept.
    Closed rounds are never touched. Everything happens in this transaction: a failure leaves
    the previous figures as they were. Returns counts of rows created and changed.
    """
    round_ = open_round(scheme)
    if round_ is None:
        return {"created": 0, "changed": 0}
    scheme = round_.scheme if round_.scheme_id == scheme.pk else scheme
    criteria = compute.scored_criteria(scheme)
    by_id = {c.pk: c for c in criteria}
    data = compute.score_data(scheme, criteria, unit_ids)
    existing = Score.objects.filter(round=round_)
    if unit_ids is not None:
        existing = existing.filter(unit_id__in=unit_ids)
    # Plain rows, not model instances: at province scale most scores are unchanged, and only
    # the changed ones become (pk-only) instances to write.
    existing = {(unit_id, criterion_id): (pk, stored)
                for pk, unit_id, criterion_id, *stored in existing.values_list(
                    "pk", "unit_id", "criterion_id", "applicable", "data_points", "points",
                    "facts")}
    follows = round_.kind == Stage.SELF
    created, changed, moved = [], [], {}
    for (unit_id, criterion_id), datum in data.items():
        automatic = by_id[criterion_id].is_automatic
        found = existing.get((unit_id, criterion_id))
        if found is None:
            created.append((round_.pk, unit_id, criterion_id, datum.applicable, datum.points,
                            datum.points if automatic else None, "", datum.facts))
            continue
        pk, (applicable, data_points, points, facts) = found
        new_points = datum.points if automatic and follows else points
        if (applicable, data_points, points, facts) != (datum.applicable, datum.points,
                                                        new_points, datum.facts):
            changed.append(Score(pk=pk, applicable=datum.applicable, data_points=datum.points,
                                 points=new_points, facts=datum.facts))
            moved[str(pk)] = ([applicable, _plain(data_points), _plain(points)],
                              [datum.applicable, _plain(datum.points), _plain(new_points)])
    _bulk_insert(Score, ["round", "unit", "criterion", "applicable", "data_points", "points",
                         "note", "facts"], created)
    _bulk_update(Score, changed, ["applicable", "data_points", "points", "facts"])
    refresh_results(scheme=scheme, round_=round_,
                    units={unit_id for unit_id, _criterion in data})
    Scheme.objects.filter(pk=scheme.pk).update(computed_at=timezone.now())
    counts = {"created": len(created), "changed": len(changed)}
    if created or changed:
        # One line per recompute, naming each changed score with [applicable, data points,
        # points] before and after; created scores (a round's first computation) by unit.
        # The sheets' totals and ranks follow from the scores and are not listed.
        record(actor=user, action="scoring.recompute", target=scheme,
               unit=unit_ids[0] if unit_ids is not None and len(unit_ids) == 1 else None,
               before={"round": round_.kind,
                       "scores": {pk: was for pk, (was, _now) in moved.items()}},
               after={"round": round_.kind, **counts,
                      "scores": {pk: now for pk, (_was, now) in moved.items()},
                      "created_for_units": sorted({row[1] for row in created})})
    return counts


def _bulk_insert(model, names, rows, batch=500) -> None:
    """Insert plain tuples of `names` values in multi-row INSERTs. A round's first recompute
    creates a score per unit and criterion (40,000 at province scale): building model objects
    and compiling them through the ORM took longer than the database work. Values go to the
    database as the fields prepare them (JSON through its field; numbers and booleans as they
    are); no signals, no primary keys returned — as with bulk_create on SQLite."""
    if not rows:
        return
    connection = connections[model.objects.db]
    quote = connection.ops.quote_name
    fields = [model._meta.get_field(name) for name in names]
    prepared = [i for i, field in enumerate(fields) if field.get_internal_type() == "JSONField"]
    placeholders = "(" + ", ".join(["%s"] * len(fields)) + ")"
    head = (f"INSERT INTO {quote(model._meta.db_table)} ("
            + ", ".join(quote(field.column) for field in fields) + ") VALUES ")
    with connection.cursor() as cursor:
        for start in range(0, len(rows), batch):
            chunk = rows[start:start + batch]
            params = []
            for row in chunk:
                row = list(row)
                for i in prepared:
                    row[i] = fields[i].get_db_prep_save(row[i], connection)
                params.extend(row)
            cursor.execute(head + ", ".join([placeholders] * len(chunk)), params)


def _bulk_update(model, objs, names) -> None:
    """What `model.objects.bulk_update(objs, names)` writes, as one parametrised UPDATE per row
    sent with executemany. bulk_update builds a CASE … WHEN expression per row and field and
    resolves each through the ORM: for 7,400 changed scores and 1,000 sheets that was 11 s of
    Python on SQLite. Values are prepared by the fields themselves, as the ORM would; no signals,
    as with bulk_update."""
    if not objs:
        return
    connection = connections[model.objects.db]
    quote = connection.ops.quote_name
    fields = [model._meta.get_field(name) for name in names]
    pk = model._meta.pk
    sql = (f"UPDATE {quote(model._meta.db_table)} SET "
           + ", ".join(f"{quote(field.column)} = %s" for field in fields)
           + f" WHERE {quote(pk.column)} = %s")
    rows = [[field.get_db_prep_save(getattr(obj, field.attname), connection)
             for field in fields] + [pk.get_db_prep_save(obj.pk, connection)]
            for obj in objs]
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


RESULT_FIELDS = ["raw", "max_points", "appraised", "bonus", "penalty", "final", "grade", "rank"]


def refresh_results(*, scheme, round_, units=()) -> None:
    """Totals, bonus, penalty, final score, rank and class of every sheet of an open round.

    Units in `units` without a sheet get one, created with its results; of the existing sheets
    only those whose results moved are written.
    """
    totals = compute.totals(round_)
    bonus, penalty = compute.adjustments(scheme)
    existing = list(Sheet.objects.filter(round=round_))
    before = {sheet.pk: _results(sheet) for sheet in existing}
    have = {sheet.unit_id for sheet in existing}
    sheets = existing + [Sheet(round=round_, unit_id=unit_id)
                         for unit_id in units if unit_id not in have]
    for sheet in sheets:
        raw, maximum = totals.get(sheet.unit_id, (Decimal(0), Decimal(0)))
        sheet.raw, sheet.max_points = rules.q2(raw), rules.q2(maximum)
        sheet.appraised = rules.on_scale(raw, maximum, scheme.scale)
        sheet.bonus = bonus.get(sheet.unit_id, Decimal(0))
        sheet.penalty = penalty.get(sheet.unit_id, Decimal(0))
        sheet.final = rules.final_score(sheet.appraised, sheet.bonus, sheet.penalty)
        sheet.grade = rules.grade(sheet.final, **scheme.bands)
    for sheet, rank in zip(sheets, rules.ranks([s.final for s in sheets]), strict=True):
        sheet.rank = rank
    Sheet.objects.bulk_create(sheets[len(existing):], batch_size=2000)
    _bulk_update(Sheet, [s for s in existing if _results(s) != before[s.pk]], RESULT_FIELDS)


def _results(sheet) -> tuple:
    return tuple(getattr(sheet, name) for name in RESULT_FIELDS)


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
def add_evidence(*, score, checked, upload, user) -> ScoreEvidence:
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
def remove_evidence(*, evidence, user) -> None:
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
    the way included. Side effects: those of `save_sheet`, `add_evidence`, `remove_evidence`
    and `confirm_sheet`.

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
        stored.append(add_evidence(score=score, checked=checked, upload=upload, user=user).file)
        done.add("added")
    if remove is not None:
        remove_evidence(evidence=remove, user=user)
        done.add("removed")
    if confirm:
        # Without typed changes the page showed what is stored: it is confirmed as it stands.
        version = sheet.version if changes else Sheet.objects.get(pk=sheet.pk).version
        confirm_sheet(sheet=sheet, user=user, expected_version=version)
        done.add("confirmed")
    return done
