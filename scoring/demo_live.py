"""The current year's scoring for the demo: the 2022 scheme copied, its self-assessment open.

Used by `scoring.demo.load` after the 2022 rounds, when `campaigns.demo_live` has just copied the
plan to the year of "today". The Office copies last year's scheme with the portal's copy service
(criteria find their content item by number and their tasks by title), rewrites the titles and
guidance that name the year and links again the tasks whose title changed with it, then opens
the self-assessment about a week before today, due ten days after today. The portal scores the
automatic criteria from the task data up to today (the scheme has no cut-off). By yesterday
about two units in three have entered their manual criteria (two units attach a PDF as
evidence) and some of those have confirmed; the others have not started. Every step goes
through scoring.services as the person who takes it, and is then back-dated.

The draws come from random.Random seeded with today's date, so one day gives the same points.
"""

import datetime
import random
import re
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile

from campaigns.demo_live import DAY, LiveYear, at, for_year
from core.audit.trail import dated, record
from core.uploads import check_evidence
from tasks.demo import ascii_text, minimal_pdf, unit_heads
from tasks.models import Task
from units.models import AFFILIATED_KINDS

from . import services
from .demo import CRITERIA, PROFILES, UNIT_PROFILES, _quarter
from .models import Round, Scheme, Score, ScoreEvidence, Sheet

STARTED = 0.65  # share of units whose head has entered the manual criteria by yesterday
CONFIRMED = 0.6  # of those, the share that has confirmed
# Units that attach a PDF to one manual criterion instead of writing a note.
EVIDENCE = {"thpt-chuyen-quang-trung": "7", "van-phong": "1.1"}
ROUND_DAYS = 10  # the self-assessment is due this many days after today
# A note that names a day or a month would name one of 2022, or one still to come.
DATED = re.compile(r"\d{1,2}/\d{4}|tháng \d")


def round_opened(live: LiveYear) -> datetime.datetime:
    """A week before today, and at least two weeks after the launch."""
    day = max(live.launched_on + 14 * DAY, live.today - 8 * DAY)
    return at(day, 14)


def _bring_up_to_date(scheme, live: LiveYear, office_user) -> int:
    """The Office's edits of the copied scheme: titles and guidance that name 2022, and the
    tasks the copy could not find because their titles name the year too. Returns how many
    criteria changed."""
    specs = {spec.number: spec for spec in CRITERIA}
    tasks = {(t.item.number, t.title): t
             for t in Task.objects.filter(item__campaign=scheme.campaign).select_related("item")}
    changed = 0
    for criterion in scheme.criteria.select_related("item"):
        title, guidance = for_year(criterion.title, live), for_year(criterion.guidance, live)
        if (title, guidance) != (criterion.title, criterion.guidance):
            criterion.title, criterion.guidance = title, guidance
            criterion.save(update_fields=["title", "guidance"])
            changed += 1
        spec = specs.get(criterion.number)
        wanted = [tasks[(criterion.item.number, for_year(name, live))] for name in
                  (spec.tasks if spec else ()) if (criterion.item.number,
                                                   for_year(name, live)) in tasks]
        if wanted and set(criterion.tasks.all()) != set(wanted):
            criterion.tasks.set(wanted)
            changed += 1
    services.check_scheme(scheme)
    with dated(round_opened(live) - 2 * DAY):
        record(actor=office_user, action="scoring.scheme_edit", target=scheme,
               after={"criteria": {"added": 0, "changed": changed, "deleted": 0}})
    return changed


def _working_time(rng, first: datetime.date, last: datetime.date) -> datetime.datetime:
    days = [first + n * DAY for n in range((last - first).days + 1)]
    day = rng.choice([d for d in days if d.weekday() < 5] or days or [last])
    return at(day, rng.choice([8, 9, 10, 14, 15, 16]), rng.choice(range(0, 60, 5)))


def _note(rng, spec, good: bool, staff: str) -> str:
    notes = [n for n in (spec.notes if good else spec.notes_short) if not DATED.search(n)]
    return rng.choice(notes or ["Đơn vị đã triển khai theo kế hoạch; tài liệu lưu tại đơn vị."]
                      ).format(staff=staff)


def _self_assessment(round_, live: LiveYear, rng) -> int:
    """Some heads enter their manual criteria, some confirm. Returns evidence files added."""
    heads = unit_heads()
    specs = {spec.number: spec for spec in CRITERIA}
    first = round_opened(live).date() + DAY
    last = live.today - DAY
    files = 0
    sheets = (Sheet.objects.filter(round=round_).select_related("unit", "round__scheme")
              .order_by("unit__order", "unit__code"))
    for sheet in sheets:
        unit = sheet.unit
        started, confirms = rng.random() < STARTED, rng.random() < CONFIRMED
        low, high = PROFILES[UNIT_PROFILES.get(unit.code, "B")]
        when = _working_time(rng, first, last)
        head = heads.get(unit.pk)
        if not started or head is None:
            continue
        staff = "viên chức" if unit.kind in AFFILIATED_KINDS else "công chức"
        scores = {s.criterion.number: s for s in Score.objects.filter(
            round=round_, unit=unit).select_related("criterion", "round")}
        attached = EVIDENCE.get(unit.code)
        changes = {}
        for number, score in sorted(scores.items()):
            if score.criterion.is_automatic or not score.applicable:
                continue
            share = rng.uniform(low, high)
            points = _quarter(score.criterion.max_points * Decimal(str(round(share, 3))))
            note = "" if attached == number else _note(rng, specs[number], share >= 0.8, staff)
            changes[score] = (points, note)
        if attached in scores:
            name, heading = specs[attached].evidence
            upload = SimpleUploadedFile(name, minimal_pdf([
                for_year(heading, live), ascii_text(unit.name),
                f"Tai lieu kiem chung - tu danh gia {live.year}",
                "So GD&DT Binh Phuoc - du lieu minh hoa (demo)"]), "application/pdf")
            with dated(when):
                evidence = services.add_score_evidence(score=scores[attached],
                                                       checked=check_evidence(upload),
                                                       upload=upload, user=head)
            ScoreEvidence.objects.filter(pk=evidence.pk).update(uploaded_at=when)
            files += 1
            when += datetime.timedelta(minutes=rng.randint(5, 25))
        with dated(when):
            services.save_sheet(sheet=sheet, changes=changes, user=head,
                                expected_version=sheet.version)
        Score.objects.filter(pk__in=[s.pk for s in changes]).update(updated_at=when)
        confirmed_at = min(when + datetime.timedelta(hours=rng.randint(1, 30)), live.last)
        if confirms and confirmed_at > when:
            sheet.refresh_from_db()
            with dated(confirmed_at):
                services.confirm_sheet(sheet=sheet, user=head, expected_version=sheet.version)
            Sheet.objects.filter(pk=sheet.pk).update(confirmed_at=confirmed_at)
    return files


def load_live_scoring(*, campaign, source: Scheme, live: LiveYear, office_user) -> dict:
    """Copy the 2022 scheme to the current year's plan and open its self-assessment.

    Side effects: Scheme, Criterion, Round, Sheet, Score, ScoreEvidence (files in MEDIA_ROOT)
    and AuditEntry rows through scoring.services, back-dated to the last weeks. Does nothing
    when the plan already has a scheme. Returns {"scheme", "created", "evidence"}.
    """
    existing = Scheme.objects.filter(campaign=campaign).first()
    if existing is not None:
        return {"scheme": existing, "created": False, "evidence": 0}
    opened = round_opened(live)
    with dated(opened - 3 * DAY):
        scheme = services.copy_scheme(source=source, campaign=campaign, user=office_user)
    _bring_up_to_date(scheme, live, office_user)
    with dated(opened):
        round_ = services.open_first_round(scheme=scheme, deadline=live.today + ROUND_DAYS * DAY,
                                           user=office_user)
    Round.objects.filter(pk=round_.pk).update(opened_at=opened)
    files = _self_assessment(round_, live, random.Random(f"scoring {live.today.isoformat()}"))
    scheme.refresh_from_db()
    return {"scheme": scheme, "created": True, "evidence": files}
