"""The end of 2022 for the demo: what the units and the Office did before the plan was closed.

`tasks.demo` plays the 2022 reports up to its "today" of 25/10/2022; the scoring (cut-off
30/09/2022) and the commendation round follow. Before the Office closes the plan on 30/12/2022,
the year is finished, so that the closed year reads as one (its dashboard and the comparison of
years count every period of it) and leaves nothing in anyone's queue:

- the units send the periods due after 25/10 (October, November, the fourth quarter, December
  and the one-off task due on 15/11), most on time, some late, and their drafts;
- the units correct and send again what was returned to them;
- the Office (or the Union) reviews everything sent: within a week for the new periods, which
  fall after the scoring's cut-off; in 19–29/12, after the director locked the scoring, for the
  periods the scoring read, so the locked results stay what the rounds computed;
- of the older periods that had no report at all, about three in five are caught up late, in
  November and December; the others are never sent and stay missing in the closed year.

It runs from the awards demo, after the lock and the lists, and writes through tasks.services as
the unit's head or the reviewer, back-dated like the rest of 2022. The draws come from
random.Random("2022 year end") in a fixed order. A plan already closed is left alone.
"""

import datetime
import random

from campaigns.models import Campaign
from units.demo import OFFICE_USERNAME, UNION_USERNAME

from .demo import (
    ACCEPT_COMMENTS,
    AS_OF,
    FIX_NOTES,
    TASKS,
    TZ,
    Step,
    _narrative,
    _office_time,
    _Player,
    _value,
    reviewers,
    unit_heads,
)
from .models import Assignment, ProgressReport, ReportStatus

D = datetime.date
CUTOFF = D(2022, 9, 30)  # the 2022 scheme's cut-off (scoring/demo.py)
CLEARED = (D(2022, 12, 19), D(2022, 12, 29))  # the Office clears its queue, after the lock
LAST = datetime.datetime(2022, 12, 30, 11, 30, tzinfo=TZ)  # the plan closes that afternoon
CAUGHT_UP = 0.6  # share of the older missing periods the units send late at year end
LATE = 0.15


def _day_between(rng, first: datetime.date, last: datetime.date) -> datetime.date:
    days = [first + datetime.timedelta(days=n) for n in range((last - first).days + 1)]
    return rng.choice([d for d in days if d.weekday() < 5] or days)


def _review_time(rng, report_due: datetime.date, sent: datetime.datetime) -> datetime.datetime:
    """When the reviewer decides: after the lock for a period the scoring read, else within a
    week of the report being sent; always before the plan closes."""
    if report_due <= CUTOFF:
        when = _office_time(rng, _day_between(rng, *CLEARED))
    else:
        when = _office_time(rng, sent.date() + datetime.timedelta(days=rng.randint(1, 6)))
    return min(max(when, sent + datetime.timedelta(minutes=30)), LAST)


def _sent_time(rng, due: datetime.date) -> datetime.datetime:
    """When a unit sends a period due after 25/10: most a few days before it is due."""
    if rng.random() < LATE:
        day = due + datetime.timedelta(days=rng.randint(1, 10))
    else:
        day = due - datetime.timedelta(days=rng.randint(1, 8))
    earliest = datetime.datetime.combine(AS_OF + datetime.timedelta(days=1), datetime.time(8),
                                         tzinfo=TZ)
    return min(max(_office_time(rng, day), earliest), LAST - datetime.timedelta(hours=2))


def _catch_up_time(rng) -> datetime.datetime:
    """When a unit sends an old period it had missed: late, in November or December."""
    return _office_time(rng, _day_between(rng, D(2022, 11, 7), D(2022, 12, 23)))


def plan_year_end(rng, spec, report, periods, index) -> list[Step]:
    """The steps that finish one period of 2022, given its report as it stands (or None)."""
    period = periods[index]
    reviewer = OFFICE_USERNAME if rng.random() < 0.7 else UNION_USERNAME
    comment = rng.choice(ACCEPT_COMMENTS)
    catches_up = rng.random() < CAUGHT_UP
    sent = _sent_time(rng, period.due) if period.due > AS_OF else _catch_up_time(rng)
    if report is None:
        if period.due <= AS_OF and not catches_up:
            return []
        data = _value(rng, spec, period, index, len(periods), as_of=D(2022, 12, 29))
        data["narrative"] = _narrative(rng, spec, data)
        steps = [Step("save", sent - datetime.timedelta(minutes=rng.randint(20, 90)), data),
                 Step("submit", sent)]
    elif report.status == ReportStatus.DRAFT:
        steps = [Step("submit", max(sent, report.updated_at + datetime.timedelta(hours=1)))]
    elif report.status == ReportStatus.RETURNED:
        fixed = max(_office_time(rng, report.reviewed_at.date() + datetime.timedelta(
            days=rng.randint(2, 12))), report.reviewed_at + datetime.timedelta(hours=2))
        data = {"value": report.value, "value_date": report.value_date,
                "narrative": f"{report.narrative} {FIX_NOTES[1]}"}
        steps = [Step("save", fixed, data),
                 Step("submit", fixed + datetime.timedelta(minutes=rng.randint(5, 30)))]
    elif report.status == ReportStatus.SUBMITTED:
        steps = []
    else:
        return []
    last_sent = steps[-1].at if steps else report.submitted_at
    return steps + [Step("accept", _review_time(rng, period.due, last_sent), reviewer=reviewer,
                         text=comment)]


def close_out_2022(*, campaign: Campaign) -> dict:
    """Finish the 2022 year's reports before the plan is closed (see the module).

    Side effects: ProgressReport, ReportEvent and AuditEntry rows through tasks.services,
    back-dated to October–December 2022. The caller rebuilds the dashboards' tallies. Nothing
    when the plan is not launched. Returns {"reports": reports written to, "created": new}.
    """
    if not campaign.is_launched:
        return {"reports": 0, "created": 0}
    specs = {spec.title: spec for spec in TASKS}
    heads = unit_heads()
    player = _Player(reviewers())
    rng = random.Random("2022 year end")
    reports = {(r.assignment_id, r.period): r for r in ProgressReport.objects.filter(
        assignment__task__item__campaign=campaign)}
    touched = created = 0
    assignments = (Assignment.objects.filter(task__item__campaign=campaign)
                   .select_related("unit", "task__item__campaign")
                   .order_by("task__item__number", "task_id", "unit__order", "unit__code"))
    for assignment in assignments:
        spec = specs.get(assignment.task.title)
        head = heads.get(assignment.unit_id)
        periods = assignment.periods()
        for index, period in enumerate(periods):
            report = reports.get((assignment.pk, period.key))
            steps = plan_year_end(rng, spec, report, periods, index) if spec else []
            if not steps or head is None:
                continue
            player.play(assignment, spec, period, steps, head, report=report)
            touched += 1
            created += report is None
    player.finish()
    return {"reports": touched, "created": created}
