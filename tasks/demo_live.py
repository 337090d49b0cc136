"""The current year's tasks and progress reports for the demo: a campaign in progress.

Used by `tasks.demo.load` after the 2022 year, when `campaigns.demo_live` has just copied the
plan to the year of "today". The Office gives the copy the 2022 tasks, rewritten for the year
(campaigns.demo_live.for_year), and assigns them. Monthly and quarterly tasks report at the end
of each month or quarter, as every year; the one-off tasks get deadlines spread around today
(OFFSETS): a few passed weeks ago, some days ago, some fall in the next days and weeks. So
`send_reminders --days 7` has something to send and the review queue something to review on any
day of the year.

Each report's story is drawn from its due date against today, as a unit would live it:
- not due yet: the current period has some drafts, and a few sent early;
- due today or in the last two weeks (the portal counts a period as due on its due date): many
  sent and awaiting review, some accepted, returned or still a draft, some not sent at all
  (overdue), and some of those to be sent late;
- due in the six weeks before: mostly accepted, some still waiting, returned or not sent;
- due earlier: most accepted, some after a return and a correction, a few returned or never
  sent; none still waiting for review (the Office does not leave a report for months).
Some reports are sent late, and some have evidence files (real small PDFs and PNGs, written
through the evidence storage). A story is cut at yesterday's end of office hours: what would
happen after has not happened yet (a report sent two days ago and reviewed "in four days" is
still awaiting review). Every write goes through tasks.services as the unit's head or the
Office / Union, and is then back-dated.

The draws come from random.Random seeded with today's date, in a fixed order, so one day always
gives the same data.
"""

import datetime
import random
from dataclasses import replace

from django.utils import timezone

from campaigns.demo_live import DAY, TZ, LiveYear, for_year
from core.audit.trail import dated
from units.demo import OFFICE_USERNAME, UNION_USERNAME
from units.models import Unit

from . import services
from .demo import (
    ACCEPT_COMMENTS,
    FIX_NOTES,
    ONCE,
    OUTCOMES,
    RETURN_REASONS,
    TASKS,
    Step,
    TaskSpec,
    _narrative,
    _office_time,
    _Player,
    _units_for,
    _value,
    assignments_in_order,
    reviewers,
    unit_heads,
    upsert_task,
)
from .models import Period, ProgressReport, Task

# One-off tasks (by their 2022 title): the deadline in days from today. Negative offsets are
# squeezed into the time since the tasks were assigned when that is shorter (early January).
OFFSETS = {
    "Ban hành kế hoạch cải cách hành chính năm 2022 của đơn vị": -60,
    "Tổ chức Hội nghị cán bộ, công chức cơ quan Sở năm 2022": -45,
    "Kiện toàn đội ngũ công chức đầu mối kiểm soát thủ tục hành chính": -30,
    "Rà soát, sắp xếp tổ chức bộ máy của các phòng thuộc Sở": -12,
    "Học tập chuyên đề năm 2022 về tư tưởng, đạo đức, phong cách Hồ Chí Minh": -5,
    "Thực hiện công khai theo Thông tư số 36/2017/TT-BGDĐT": 3,
    "Cán bộ, công chức tham gia sinh hoạt chính trị, tư tưởng đầu năm học": 6,
    "Phê duyệt đề án vị trí việc làm của đơn vị sự nghiệp": 12,
    "Bồi dưỡng kỹ năng ứng dụng công nghệ thông tin cho công chức": 20,
    "Đề xuất sáng kiến cải cách hành chính": 40,
}
CURRENT_DAYS = 35  # the current period gets drafts when it is due within this many days
# Outcome weights (OUTCOMES: accepted, submitted, returned, resubmitted, fixed, draft, none) by
# how many days ago the period was due, at most. Reports wait for review because their
# review falls after yesterday, or in the weeks after a period: none waits for months.
WEIGHTS = [
    (14, [30, 40, 7, 5, 2, 5, 5]),
    (45, [60, 8, 10, 4, 9, 3, 8]),
    (None, [80, 0, 1.5, 0, 14, 1.4, 3]),
]
EVIDENCE_FIRST = 0.15  # share of reports with a file attached before they are sent
LATE = 0.15  # share of reports sent after their due date


def deadline(offset: int, live: LiveYear) -> datetime.date:
    """A one-off task's deadline `offset` days from today: in the task's year, no sooner
    than a week after it was assigned, and in the past only as far as time allows."""
    first = max(live.assigned_at.date() + 7 * DAY, datetime.date(live.year, 1, 2))
    room = (live.today - first).days
    if offset < 0 and room > 0:
        back = min(room, max(1, round(-offset * min(1, room / 60))))
        day = live.today - back * DAY
    else:
        day = live.today + max(offset, 0) * DAY
    return min(max(day, first), datetime.date(live.year, 12, 31))


def live_specs(live: LiveYear) -> list[TaskSpec]:
    """The 2022 tasks as the Office sets them for the current year."""
    specs = []
    for spec in TASKS:
        due = (deadline(OFFSETS[spec.title], live) if spec.cadence == ONCE
               else datetime.date(live.year, 12, 31))
        specs.append(replace(
            spec, title=for_year(spec.title, live), description=for_year(spec.description, live),
            label=for_year(spec.label, live), deadline=due,
            narratives=tuple(for_year(text, live) for text in spec.narratives),
            narrative_no=for_year(spec.narrative_no, live)))
    return specs


def _later(rng, at, low_days, high_days) -> datetime.datetime:
    """A working time some days after `at`, never before it."""
    later = _office_time(rng, at.date() + datetime.timedelta(days=rng.randint(low_days,
                                                                              high_days)))
    return max(later, at + datetime.timedelta(minutes=rng.randint(10, 90)))


def _until(steps: list[Step], last: datetime.datetime) -> list[Step]:
    """The steps that have happened by `last` (a story is told in order)."""
    done = []
    for step in steps:
        if step.at > last:
            break
        done.append(step)
    return done


def plan_live_report(rng, spec: TaskSpec, periods: list[Period], index: int,
                     live: LiveYear) -> list[Step]:
    """The steps of one assignment's report for periods[index] by today; [] for none."""
    today = live.today
    period = periods[index]
    data = _value(rng, spec, period, index, len(periods), as_of=today - DAY)
    data["narrative"] = _narrative(rng, spec, data)
    evidence_first = rng.random() < EVIDENCE_FIRST
    file = rng.randrange(len(spec.files))
    reviewer = OFFICE_USERNAME if rng.random() < 0.7 else UNION_USERNAME
    late = rng.random() < LATE
    roll = rng.random()
    reason = rng.choice(RETURN_REASONS).format(proof=spec.proof)
    comment = rng.choice(ACCEPT_COMMENTS)
    earliest = live.assigned_at + datetime.timedelta(hours=3)

    if period.due > today:  # not due yet: the current period has drafts, a few sent early
        current = index == 0 or periods[index - 1].due <= today
        if not current or (period.due - today).days > CURRENT_DAYS or roll >= 0.3:
            return []
        at = max(_office_time(rng, today - datetime.timedelta(days=rng.randint(1, 10))),
                 earliest)
        steps = [Step("save", at, data)]
        if evidence_first:
            steps.append(Step("evidence", at + datetime.timedelta(minutes=12), file=file))
        if roll < 0.06:
            steps.append(Step("submit", _later(rng, steps[-1].at, 0, 2)))
        return _until(steps, live.last)

    ago = (today - period.due).days
    weights = next(w for days, w in WEIGHTS if days is None or ago <= days)
    outcome = rng.choices(OUTCOMES, weights)[0]
    if outcome == "none":
        return []
    if late:
        day = period.due + datetime.timedelta(days=rng.randint(1, 12))
    else:
        day = period.due - datetime.timedelta(days=rng.randint(1, 9))
    at = max(_office_time(rng, day), earliest)
    steps = [Step("save", at, data)]
    if evidence_first:
        at = at + datetime.timedelta(minutes=rng.randint(5, 40))
        steps.append(Step("evidence", at, file=file))
    if outcome != "draft":
        submitted = _later(rng, at, 0, 2)
        if not late and submitted.date() > period.due:
            submitted = max(at + datetime.timedelta(minutes=20),
                            datetime.datetime.combine(period.due, datetime.time(16, 45),
                                                      tzinfo=TZ))
        steps.append(Step("submit", submitted))
    if outcome in ("accepted", "returned", "resubmitted", "fixed"):
        reviewed = _later(rng, steps[-1].at, 1, 6)
        if outcome == "accepted":
            steps.append(Step("accept", reviewed, reviewer=reviewer, text=comment))
        else:
            steps.append(Step("return", reviewed, reviewer=reviewer, text=reason))
    if outcome in ("resubmitted", "fixed"):
        fixed = _later(rng, steps[-1].at, 1, 5)
        missing_proof = reason.startswith("Thiếu tài liệu")
        note = FIX_NOTES[0] if missing_proof else FIX_NOTES[1]
        steps.append(Step("save", fixed, {**data, "narrative": f"{data['narrative']} {note}"}))
        if missing_proof:
            fixed = fixed + datetime.timedelta(minutes=15)
            steps.append(Step("evidence", fixed, file=(file + 1) % len(spec.files)))
        steps.append(Step("submit", fixed + datetime.timedelta(minutes=rng.randint(5, 30))))
    if outcome == "fixed":
        steps.append(Step("accept", _later(rng, steps[-1].at, 1, 5), reviewer=reviewer,
                          text=comment))
    return _until(steps, live.last)


def load_live_tasks(*, campaign, live: LiveYear, office_user) -> dict:
    """Create the current year's tasks, assign them and play the year's reports up to today.

    Side effects: Task, Assignment, ProgressReport, ReportEvent, Evidence (files in
    MEDIA_ROOT) and AuditEntry rows, written through tasks.services and back-dated between the
    launch and yesterday. The caller rebuilds the dashboards' tallies. Returns {"tasks",
    "reports_created", "evidence_created"}.
    """
    since = timezone.now()
    items = {item.number: item for item in campaign.items.all()}
    units = list(Unit.objects.active().order_by("order", "code"))
    by_code = {unit.code: unit for unit in units}
    heads = unit_heads()
    rng = random.Random(f"tasks {live.today.isoformat()}")
    player = _Player(reviewers(), since=since)
    tasks = []
    reports_created = 0
    existing = ProgressReport.objects.filter(assignment__task__item__campaign=campaign).exists()
    for number, spec in enumerate(live_specs(live)):
        task, created = upsert_task(spec, items, by_code)
        tasks.append(task)
        created_at = live.assigned_at - datetime.timedelta(hours=1) + datetime.timedelta(
            minutes=4 * number)
        if created:
            Task.objects.filter(pk=task.pk).update(created_at=created_at)
        with dated(live.assigned_at):
            assigned = services.assign(task=task, units=_units_for(spec, units),
                                       user=office_user)
        if assigned:
            task.assignments.filter(created_at__gte=since).update(created_at=live.assigned_at)
        if existing:
            continue
        assignments = assignments_in_order(task)
        for assignment in assignments:
            periods = assignment.periods()
            for index, period in enumerate(periods):
                steps = plan_live_report(rng, spec, periods, index, live)
                head = heads.get(assignment.unit_id)
                if not steps or head is None:
                    continue
                player.play(assignment, spec, period, steps, head)
                reports_created += 1
    evidence_created = player.finish()
    return {"tasks": tasks, "reports_created": reports_created,
            "evidence_created": evidence_created}
