"""Derived data: the open round's scores and sheets, kept in step with the task data.

What is derived. In the open round of a scheme (closed rounds are snapshots nothing writes
again): each `Score`'s `applicable`, `data_points` and `facts` — what the task data says of the
unit on the criterion — and, in the self-assessment, the `points` of automatic criteria; each
`Sheet`'s results (raw total, maximum, appraised score, bonus, penalty, final score, rank and
class). People's points (manual criteria, appraisals) and notes are input, never derived.

From which source tables. The task data (`tasks_assignment`, `tasks_task`,
`tasks_progressreport`, `tasks_reportevent` for returns), the scheme (`scoring_criterion` and
its tasks) and the registers (`units_initiative`, `units_violation`) for bonus and penalty;
the results also from the round's own `scoring_score` points.

When it is refreshed.

* After a report is submitted, resubmitted, returned, accepted or reopened (`tasks` may not
  import `scoring`, so `follow_task_data` listens for its `ReportEvent`): the units whose
  reports moved are recomputed once the transaction commits — once per transaction, however
  many reports it moved, and not at all if it rolls back;
* a sheet's points saved (`services.save_sheet`): the round's results (`refresh_results`);
* a round opened, moved on or locked (`services.open_first_round`, `advance`, `lock`): every
  unit, a last time before the round closes;
* the Office's "Recompute" button (`scoring:recompute`): every unit. Changes the flush does not
  follow — assignments added, a deadline moved, a register entry — wait for that button or the
  next round change.

How to rebuild from scratch. `recompute(scheme=…)` with no `unit_ids` derives every unit again
from the sources and writes only what differs; after the flush it finds nothing to change
(`tests/scoring/test_recompute.py` checks this after every kind of write).

Why set-based SQL. The scores are derived by the database (`recompute_sql.derive_scores`): one
statement computes every (unit, criterion) and keeps only the new and moved rows, two more write
them, and the audit line is read from the rows written. At province scale (1,000 units × 40
criteria, 720,000 reports) an unchanged round costs about one aggregate pass over the reports;
building Python objects for 40,000 scores used to cost more than the database work. The sheets
(1,000 rows) are still refreshed in Python (`refresh_results`). `compute.score_data`, the same
rules row by row in Python, is kept only as the reference the tests compare the SQL with.
"""

import weakref
from collections import defaultdict
from decimal import Decimal

from django.db import connection, connections, transaction
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.utils import timezone

from core.audit.trail import record
from tasks.models import Assignment, ReportAction, ReportEvent

from . import compute, recompute_sql, rules
from .models import Round, Scheme, Sheet

# -- following the task data ------------------------------------------------------------------

MOVES_SCORES = {ReportAction.SUBMITTED, ReportAction.RESUBMITTED, ReportAction.RETURNED,
                ReportAction.ACCEPTED, ReportAction.REOPENED}


class _Waiting:
    """The assignments whose reports moved in the current transaction, and who moved them: one
    recompute after the commit does the work for all of them."""

    def __init__(self):
        self.touched = {}  # assignment id → actor (the first signs the audit line)
        self.done = False

    def flush(self):
        self.done = True
        _recompute_units(self.touched)


def _waiting() -> "_Waiting | None":
    """The flush waiting for the current transaction's commit, if any.

    The connection keeps only a weak reference to it; the strong one is the callback Django
    holds for `transaction.on_commit`. When the transaction (or the savepoint in which the flush
    was registered) rolls back, Django discards that callback and the flush with it, so what was
    pending — work that is gone — is never recomputed, and the next report starts afresh. A
    flush that has run (after a commit, or at once outside a transaction) is `done`."""
    ref = getattr(connection, "scoring_waiting", None)
    waiting = ref() if ref is not None else None
    return None if waiting is None or waiting.done else waiting


@receiver(post_save, sender=ReportEvent, dispatch_uid="scoring.follow_task_data")
def follow_task_data(sender, instance, created, **kwargs):
    if not created or instance.action not in MOVES_SCORES:
        return
    assignment_id, actor = instance.report.assignment_id, instance.actor
    waiting = _waiting()
    if waiting is not None:
        waiting.touched[assignment_id] = actor
        return
    waiting = _Waiting()
    waiting.touched[assignment_id] = actor
    connection.scoring_waiting = weakref.ref(waiting)
    transaction.on_commit(waiting.flush)  # outside a transaction this runs at once


def _recompute_units(touched) -> None:
    """Recompute, in the open round of each campaign concerned, the units of these assignments."""
    if not touched:
        return
    actor = next(iter(touched.values()))
    units = defaultdict(set)  # campaign id → unit ids
    for campaign_id, unit_id in Assignment.objects.filter(pk__in=touched).values_list(
            "task__item__campaign_id", "unit_id"):
        units[campaign_id].add(unit_id)
    schemes = Scheme.objects.filter(campaign_id__in=units, rounds__closed_at__isnull=True)
    for scheme in schemes.select_related("campaign").distinct():
        recompute(scheme=scheme, user=actor, unit_ids=sorted(units[scheme.campaign_id]))


# -- the recompute ------------------------------------------------------------------------------

def _plain(value):
    return None if value is None else str(value)


def open_round(scheme) -> Round | None:
    return scheme.rounds.filter(closed_at__isnull=True).first()


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
    result = {"created": 0, "changed": 0, "created_for_units": [], "moved": {}}
    units = set()
    if criteria:  # without a scored criterion there is nothing to derive (as score_data)
        result = recompute_sql.derive_scores(connection, scheme=scheme, round_=round_,
                                             criteria=criteria, unit_ids=unit_ids)
        work = Assignment.objects.filter(task__item__campaign_id=scheme.campaign_id)
        if unit_ids is not None:
            work = work.filter(unit_id__in=unit_ids)
        units = set(work.order_by().values_list("unit_id", flat=True).distinct())
    refresh_results(scheme=scheme, round_=round_, units=units)
    Scheme.objects.filter(pk=scheme.pk).update(computed_at=timezone.now())
    counts = {"created": result["created"], "changed": result["changed"]}
    moved = result["moved"]
    if counts["created"] or counts["changed"]:
        # One line per recompute, naming each changed score with [applicable, data points,
        # points] before and after; created scores (a round's first computation) by unit.
        # The sheets' totals and ranks follow from the scores and are not listed. Built from
        # the rows the SQL wrote (`recompute_sql`), so it lists exactly what moved.
        record(actor=user, action="scoring.recompute", target=scheme,
               unit=unit_ids[0] if unit_ids is not None and len(unit_ids) == 1 else None,
               before={"round": round_.kind,
                       "scores": {pk: was for pk, (was, _now) in moved.items()}},
               after={"round": round_.kind, **counts,
                      "scores": {pk: now for pk, (_was, now) in moved.items()},
                      "created_for_units": result["created_for_units"]})
    return counts


def _bulk_update(model, objs, names, *, batch=500) -> None:
    """What `model.objects.bulk_update(objs, names)` writes, as one UPDATE … FROM a VALUES
    list per `batch` rows. bulk_update builds a CASE … WHEN expression per row and field and
    resolves each through the ORM: for 7,400 changed scores and 1,000 sheets that was 11 s of
    Python on SQLite; one parametrised UPDATE per row sent with executemany still cost a
    round trip per sheet on PostgreSQL. Values are prepared by the fields themselves, as the
    ORM would, and cast to the column's type (PostgreSQL types a VALUES list's parameters as
    text otherwise); no signals, as with bulk_update."""
    if not objs:
        return
    connection = connections[model.objects.db]
    quote = connection.ops.quote_name
    fields = [model._meta.get_field(name) for name in names]
    pk = model._meta.pk
    table = quote(model._meta.db_table)
    columns = ["id", *(f"v{n}" for n in range(len(fields)))]
    marks = "(" + ", ".join(f"CAST(%s AS {field.cast_db_type(connection)})"
                            for field in [pk, *fields]) + ")"
    assign = ", ".join(f"{quote(field.column)} = v.v{n}" for n, field in enumerate(fields))
    with connection.cursor() as cursor:
        for start in range(0, len(objs), batch):
            chunk = objs[start:start + batch]
            params = []
            for obj in chunk:
                params.append(pk.get_db_prep_save(obj.pk, connection))
                params += [field.get_db_prep_save(getattr(obj, field.attname), connection)
                           for field in fields]
            cursor.execute(
                f"WITH v ({', '.join(columns)}) AS (VALUES {', '.join([marks] * len(chunk))}) "
                f"UPDATE {table} SET {assign} FROM v WHERE {table}.{quote(pk.column)} = v.id",
                params)


def _bulk_insert(model, objs, *, batch=500) -> None:
    """What `model.objects.bulk_create(objs)` writes, as one multi-row INSERT per `batch`
    rows: bulk_create compiles every value of every row through the ORM, a tenth of an empty
    round's recompute on SQLite for its 1,000 sheets (and one INSERT per row sent with
    executemany cost PostgreSQL a round trip each, 0.3 s). Values are prepared by the fields
    themselves (`pre_save` as for an insert); no primary keys set on `objs`, no signals."""
    if not objs:
        return
    connection = connections[model.objects.db]
    quote = connection.ops.quote_name
    fields = [field for field in model._meta.concrete_fields if not field.primary_key]
    head = (f"INSERT INTO {quote(model._meta.db_table)} "
            f"({', '.join(quote(field.column) for field in fields)}) VALUES ")
    marks = "(" + ", ".join(["%s"] * len(fields)) + ")"
    with connection.cursor() as cursor:
        for start in range(0, len(objs), batch):
            chunk = objs[start:start + batch]
            params = [field.get_db_prep_save(field.pre_save(obj, True), connection)
                      for obj in chunk for field in fields]
            cursor.execute(head + ", ".join([marks] * len(chunk)), params)


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
    _bulk_insert(Sheet, sheets[len(existing):])
    _bulk_update(Sheet, [s for s in existing if _results(s) != before[s.pk]], RESULT_FIELDS)


def _results(sheet) -> tuple:
    return tuple(getattr(sheet, name) for name in RESULT_FIELDS)


