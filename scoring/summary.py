"""The department's reform contribution in a round: its score on each content item as the
aggregate of its units, and the points each unit leaves on the table.

Read by the content-item page and by the dashboards, so both show the same figures. Two queries:
the top-level criteria's maxima and the round's points per (item, unit).
"""

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, DecimalField, ExpressionWrapper, F, Sum

from units.collation import sort_key, unit_order
from units.models import Unit

from . import compute, rules
from .models import Criterion, Score


@dataclass(frozen=True)
class DepartmentSummary:
    items: list  # the campaign's content items
    summary: list  # per item: item, max, score, share, lost, raw, losers (3)
    grid: list  # per unit: unit, cells [(lost, share of the item's points)], lost; most lost first
    total: Decimal  # the department's score on the scheme's scale


def department_summary(scheme, round_, *, unit_kinds=None) -> DepartmentSummary:
    items = list(scheme.campaign.items.all())
    item_max = defaultdict(Decimal)
    for item_id, points in Criterion.objects.filter(
            scheme=scheme, parent__isnull=True).values_list("item_id", "max_points"):
        item_max[item_id] += points
    cells = defaultdict(dict)  # unit id → item id → (points, maximum)
    if round_ is not None:
        rows = compute.item_breakdown(round_)
        if unit_kinds:
            rows = rows.filter(unit__kind__in=unit_kinds)
        for item_id, unit_id, raw, maximum in rows:
            cells[unit_id][item_id] = (raw, maximum)
    units = Unit.objects.in_bulk(list(cells))
    # Per item, each unit's (points, maximum): one pass over the cells, not one per item.
    by_item = defaultdict(list)  # item id → [(unit id, points, maximum)]
    for unit_id, row in cells.items():
        for item_id, (raw, maximum) in row.items():
            by_item[item_id].append((unit_id, raw, maximum))
    summary = []
    for item in items:
        found = by_item.get(item.pk, ())
        raw = sum((r for _u, r, _m in found), 0)
        maximum = sum((m for _u, _r, m in found), 0)
        score = rules.q2(item_max[item.pk] * raw / maximum) if maximum else None
        losers = sorted(((maximum_ - raw_, units[u]) for u, raw_, maximum_ in found
                         if maximum_ > raw_), key=lambda pair: (-pair[0], sort_key(pair[1].name)))
        summary.append({"item": item, "max": item_max[item.pk], "score": score,
                        "share": rules.q2(raw * 100 / maximum) if maximum else None,
                        "lost": rules.q2(maximum - raw), "raw": rules.q2(raw),
                        "losers": losers[:3]})
    grid = []
    item_ids = [item.pk for item in items]
    for unit_id, row in cells.items():
        lost = {iid: rules.q2(m - r) for iid, (r, m) in row.items()}
        grid.append({"unit": units[unit_id], "cells": [
            (lost.get(iid), _share(row.get(iid), summary[i]["raw"]))
            for i, iid in enumerate(item_ids)], "lost": sum(lost.values(), Decimal(0))})
    grid.sort(key=lambda r: (-r["lost"], r["unit"].order, sort_key(r["unit"].name)))
    total = rules.q2(sum((s["score"] or 0) for s in summary))
    return DepartmentSummary(items=items, summary=summary, grid=grid, total=total)


def _share(cell, item_raw):
    if not cell or not item_raw:
        return None
    return rules.q2(cell[0] * 100 / item_raw)


@dataclass(frozen=True)
class DepartmentHeadline:
    """What a dashboard shows of the department summary: the score on each content item, the
    total, and the units losing the most points — without the unit × item grid."""

    summary: list  # per item: item, max, score, share, raw, lost
    total: Decimal
    most_lost: list  # {"unit", "lost"}, most lost first


def item_scores(criteria, round_, items, *, scores=None) -> list[dict]:
    """The department's score on each content item from per-criterion sums (about 40 rows):
    per item its maximum (None without criteria), score, share, raw points and points lost —
    what `department_summary` adds up from its grid. `criteria` are the scheme's, `scores`
    (by default every applicable score of the round) may be narrowed to some units."""
    found = {pk: (item_id, maximum, parent_id) for pk, item_id, maximum, parent_id in
             criteria.values_list("pk", "item_id", "max_points", "parent_id")}
    item_max = defaultdict(Decimal)
    for item_id, maximum, parent_id in found.values():
        if parent_id is None:
            item_max[item_id] += maximum
    raw, open_ = defaultdict(Decimal), defaultdict(Decimal)
    if round_ is not None:
        if scores is None:
            scores = Score.objects.filter(round=round_, applicable=True)
        for criterion_id, points, count in (scores.order_by().values_list("criterion_id")
                                            .annotate(points=Sum("points"), n=Count("pk"))):
            item_id, maximum, _parent = found[criterion_id]
            raw[item_id] += points or 0
            open_[item_id] += maximum * count
    summary = []
    for item in items:
        maximum = open_[item.pk]
        summary.append({
            "item": item, "max": item_max.get(item.pk), "raw": rules.q2(raw[item.pk]),
            "score": rules.q2(item_max[item.pk] * raw[item.pk] / maximum) if maximum else None,
            "share": rules.q2(raw[item.pk] * 100 / maximum) if maximum else None,
            "lost": rules.q2(maximum - raw[item.pk])})
    return summary


def department_headline(scheme, round_, *, unit_kinds=None, most=10) -> DepartmentHeadline:
    """The figures of `department_summary` that a dashboard shows, from per-criterion sums
    (`item_scores`) and the round's sheets, whose points and applicable maximum are the same
    sums per unit (`recompute.refresh_results`). Four queries; the tests hold the two equal."""
    items = list(scheme.campaign.items.all())
    scores = None
    most_lost = []
    if round_ is not None:
        scores = Score.objects.filter(round=round_, applicable=True)
        sheets = round_.sheets.select_related("unit")
        if unit_kinds:
            scores = scores.filter(unit__kind__in=unit_kinds)
            sheets = sheets.filter(unit__kind__in=unit_kinds)
        lost = ExpressionWrapper(F("max_points") - F("raw"), output_field=DecimalField())
        most_lost = [{"unit": sheet.unit, "lost": sheet.lost} for sheet in
                     sheets.annotate(lost=lost).filter(lost__gt=0)
                     .order_by("-lost", *unit_order("unit__"))[:most]]
    summary = item_scores(Criterion.objects.filter(scheme=scheme), round_, items, scores=scores)
    total = rules.q2(sum((s["score"] or 0) for s in summary))
    return DepartmentHeadline(summary=summary, total=total, most_lost=most_lost)
