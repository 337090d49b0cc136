"""The dashboards' pictures, drawn from their figures by core.charts (server-side SVG).

Every bar, segment and cell links to the list behind it, and each chart carries its figures as
a table for screen readers.
"""

from functools import partial

from django.urls import reverse
from django.utils.translation import gettext as _

from core import charts

from .dashboard import SHOWN_UNITS

# Heatmap rows drawn on the page. The meeting PDF draws every unit, so many to a printed page.
HEATMAP_ROWS = SHOWN_UNITS
PDF_HEATMAP_ROWS = 28


def _pct(share):
    return None if share is None else round(share * 100, 1)


def director_charts(figures, *, links, heatmap_rows=HEATMAP_ROWS, printed=False) -> dict:
    """`links`: the dashboard's FigureLinks, so that every figure drawn opens its own list.

    `printed` (the meeting PDF): no name is cut with "…" — the items chart is labelled with the
    items' numbers and `item_key` lists their names whole beside it; the units' names get the
    room they need; the grid has every unit, cut into charts of PDF_HEATMAP_ROWS rows
    (`grid_pages`)."""
    campaign = figures.campaign
    items = figures.items
    by_item = figures.progress.by_item
    names = [f"{item.number}. {item.short_title or item.text}" for item in items]
    item_labels = [f"{item.number}." for item in items] if printed else names
    result = {
        "item_key": names if printed else [],
        "items": charts.stacked_bar_chart(
            [(label, [by_item[item.pk].on_time, by_item[item.pk].late,
                      by_item[item.pk].overdue])
             for label, item in zip(item_labels, items, strict=True)],
            label_width=64 if printed else None,
            segments=[(_("On time"), "good"), (_("Late"), "warning"),
                      (_("Not reported"), "bad")],
            title=_("Due reports by content item"),
            description=_("For each content item, the reports due so far: sent on time, sent "
                          "late, and not sent."),
            links=[[links.to(state, item=item.pk) for state in ("on_time", "late", "overdue",
                                                                 "due")] for item in items],
            label_heading=_("Content item"), ident="items"),
        "trend": charts.line_chart(
            [month.label for month in figures.progress.months],
            [(_("Completion"), [_pct(m.completion) for m in figures.progress.months]),
             (_("Late among the reports sent that month"),
              [round(m.late * 100 / m.submitted, 1) if m.submitted else None
               for m in figures.progress.months])],
            title=_("Month by month"), y_max=100, ident="trend",
            description=_("At the end of each month, the share of the reports due by then that "
                          "were sent, and the share of that month's reports sent late.")),
    }
    # A heatmap of the least complete units only: a thousand rows is not read at a glance, and
    # the figures table follows the drawing. Every unit's progress is in the Excel export.
    rows = figures.unit_rows if printed else figures.unit_rows[:heatmap_rows]
    draw = partial(charts.heatmap_pages, rows_per_page=PDF_HEATMAP_ROWS,
                   # Room for the names, leaving the columns at least 26 units (figures shown).
                   label_width=charts.label_room([unit.label for unit, _p in rows], size=11,
                                                 most=charts.WIDTH - 26 * len(items))
                   ) if printed else charts.heatmap
    result["grid_pages" if printed else "grid"] = draw(
        [unit.label for unit, _p in rows], [str(item.number) for item in items],
        [[_share(figures.progress.grid.get((unit.pk, item.pk))) for item in items]
         for unit, _p in rows],
        title=_("Completion by unit and content item"),
        description=_("The share of due reports sent, per unit (least complete first) and "
                      "content item; an empty cell means no task of that item. Each cell opens "
                      "the unit's periods due under that item."),
        links=[[links.to("due", unit=unit.pk, item=item.pk) if (unit.pk, item.pk) in
                figures.progress.grid else None for item in items] for unit, _p in rows],
        label_heading=_("Unit"), ident="grid")
    result["grid_more"] = figures.unit_count - len(rows)
    if figures.department and figures.scheme:
        lost_labels = [row["unit"].label for row in figures.most_lost]
        result["lost"] = charts.bar_chart(
            [(label, float(row["lost"])) for label, row in zip(lost_labels, figures.most_lost,
                                                                strict=True)],
            label_width=charts.label_room(lost_labels) if printed else None,
            title=_("Points left on the table"), unit=_("points"), ident="lost",
            description=_("The units whose score falls furthest below the maximum of the "
                          "criteria that apply to them."),
            links=[reverse("scoring:sheet", args=[campaign.pk, row["unit"].pk])
                   for row in figures.most_lost],
            label_heading=_("Unit"))
    return result


def _share(progress):
    return None if progress is None or not progress.due else progress.reported / progress.due


def unit_charts(figures) -> dict:
    kind = figures.unit.get_kind_display()
    names = [figures.unit.label, _("Units of the kind “%(kind)s”") % {"kind": kind},
             _("The whole department")]
    result = {"progress": charts.bar_chart(
        list(zip(names, [_pct(p.completion) for p in
                         (figures.progress, figures.same_kind, figures.department)],
                 strict=True)),
        title=_("Completion of the reports due"), max_value=100, ident="unit-progress",
        description=_("The share of the reports due so far that were sent: this unit, the "
                      "units of its kind and the whole department."))}
    if figures.sheet is not None:
        result["score"] = charts.bar_chart(
            list(zip(names, [float(figures.sheet.final), _float(figures.kind_average),
                             _float(figures.average)], strict=True)),
            title=_("Score"), unit=_("points"), max_value=float(figures.round.scheme.scale),
            ident="unit-score",
            description=_("This unit's score in the round, against the average of the units "
                          "of its kind and of all units."))
    return result


def _float(value):
    return None if value is None else float(value)


def years_chart(columns):
    if not columns:
        return None
    return charts.line_chart(
        [str(c.campaign.year) for c in columns],
        [(_("Completion"), [_pct(c.progress.completion) for c in columns]),
         (_("Sent on time"), [_pct(c.progress.on_time_share) for c in columns])],
        title=_("Year over year"), y_max=100, label_heading=_("Year"), ident="years",
        description=_("The share of the reports due that were sent, and sent on time, in each "
                      "year's campaign."))
