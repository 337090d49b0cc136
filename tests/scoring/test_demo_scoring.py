"""`manage.py load_demo`: the 2022 scoring scheme and its rounds, loaded once, dated in 2022."""

import datetime
import zoneinfo
from decimal import Decimal
from pathlib import Path

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, Sum

from campaigns.models import Campaign
from scoring.models import Criterion, Round, Scheme, Score, ScoreEvidence, Sheet, Stage
from tasks.models import Assignment
from tests.demo_data import load, module_demo
from units.models import AuditEntry, Role

pytestmark = pytest.mark.django_db

demo = module_demo()

TZ = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
NOVEMBER = datetime.datetime(2022, 10, 31, tzinfo=TZ)  # the scheme is set up on 31/10/2022
NEW_YEAR = datetime.datetime(2023, 1, 1, tzinfo=TZ)
MODELS = [Scheme, Criterion, Round, Sheet, Score, ScoreEvidence, AuditEntry]


def snapshot():
    return {
        "counts": {model.__name__: model.objects.count() for model in MODELS},
        "scores": sorted(Score.objects.values_list("pk", "points", "note", "updated_at")),
        "sheets": sorted(Sheet.objects.values_list("pk", "final", "rank", "version",
                                                   "confirmed_at")),
        "rounds": sorted(Round.objects.values_list("pk", "opened_at", "closed_at")),
    }


def of_2022(entries, scheme):
    """The audit lines about the 2022 scheme, its sheets or its scores."""
    def about(model, pks):
        return Q(content_type=ContentType.objects.get_for_model(model),
                 object_id__in=[str(pk) for pk in pks])

    return entries.filter(
        about(Scheme, [scheme.pk])
        | about(Sheet, Sheet.objects.filter(round__scheme=scheme).values_list("pk", flat=True))
        | about(Score, Score.objects.filter(round__scheme=scheme).values_list("pk", flat=True)))


def test_demo_scores_the_2022_plan_over_four_rounds_and_loads_once(demo):
    scheme = Scheme.objects.get(campaign=Campaign.objects.get(year=2022))
    top = scheme.criteria.filter(parent__isnull=True)
    assert sorted(top.values_list("number", flat=True), key=int) == [str(n) for n in
                                                                      range(1, 11)]
    assert sorted(top.values_list("item__number", flat=True)) == list(range(1, 11))
    assert top.aggregate(total=Sum("max_points"))["total"] == Decimal(100) == scheme.scale
    for parent in top.filter(children__isnull=False).distinct():
        assert sum(c.max_points for c in parent.children.all()) == parent.max_points
    assert scheme.cutoff == datetime.date(2022, 9, 30)

    rounds = list(scheme.rounds.order_by("opened_at"))
    assert [r.kind for r in rounds] == [Stage.SELF, Stage.APPRAISAL, Stage.EXPLANATION,
                                        Stage.FINAL]
    # The awards demo then locks the final appraisal on 16/12/2022, before the lists.
    assert [r.is_closed for r in rounds] == [True, True, True, True]
    assert scheme.stage == Stage.LOCKED

    scored = set(Assignment.objects.filter(task__item__campaign=scheme.campaign)
                 .values_list("unit_id", flat=True))
    for round_ in rounds:
        assert set(round_.sheets.values_list("unit_id", flat=True)) == scored
        ranks = sorted(round_.sheets.values_list("rank", flat=True))
        assert ranks[0] == 1 and None not in ranks
    final = list(rounds[-1].sheets.order_by("rank"))
    assert [s.final for s in final] == sorted((s.final for s in final), reverse=True)
    assert len({s.grade for s in final}) >= 3

    before = {(u, c): p for u, c, p in rounds[0].scores.values_list("unit_id", "criterion_id",
                                                                     "points")}
    after = {(u, c): p for u, c, p in rounds[1].scores.values_list("unit_id", "criterion_id",
                                                                    "points")}
    assert before.keys() == after.keys()
    assert sum(1 for key in before if before[key] != after[key]) >= 5

    first = snapshot()
    output = load()

    assert snapshot() == first
    run = output[output.index("  This run"):]
    scoring_line = next(line for line in run.splitlines() if line.strip().startswith("Scoring:"))
    assert "0 created (nothing to do)" in scoring_line


def test_demo_rounds_are_written_by_the_right_people_and_dated_in_late_2022(demo):
    media_root = demo.media
    scheme = Scheme.objects.get(campaign__year=2022)
    for round_ in scheme.rounds.all():
        assert NOVEMBER <= round_.opened_at < NEW_YEAR
        assert round_.closed_at is None or round_.opened_at < round_.closed_at < NEW_YEAR
    scores = Score.objects.filter(round__scheme=scheme)
    assert scores.filter(updated_at__isnull=False).exists()
    assert not scores.filter(updated_at__gte=NEW_YEAR).exists()
    assert not scores.filter(updated_at__lt=NOVEMBER).exists()
    entries = of_2022(AuditEntry.objects.filter(action__startswith="scoring."), scheme)
    assert entries.filter(action="scoring.scheme_create", actor__username="vanphong").exists()
    assert not entries.filter(at__gte=NEW_YEAR).exists()
    assert not entries.filter(at__lt=NOVEMBER).exists()

    # Unit heads write and confirm their own sheets; the council appraises.
    for entry in entries.filter(action__in=["scoring.sheet_self", "scoring.sheet_confirm",
                                            "scoring.sheet_explanation"]):
        sheet = Sheet.objects.get(pk=entry.object_id)
        assert entry.actor.staff_member.role == Role.UNIT_HEAD
        assert entry.actor.staff_member.unit_id == sheet.unit_id
    council = set(entries.filter(action__in=["scoring.sheet_appraisal", "scoring.sheet_final"])
                  .values_list("actor__username", flat=True))
    assert council == {"vanphong", "congdoan"}

    self_round = scheme.rounds.get(kind=Stage.SELF)
    sheets = self_round.sheets.all()
    assert 2 <= sheets.filter(confirmed_at__isnull=True).count() <= 3
    assert not sheets.filter(confirmed_at__gte=NEW_YEAR).exists()
    # Every manual score of the self-assessment has points, and a note or evidence.
    manual = self_round.scores.filter(criterion__rule="manual", applicable=True)
    assert not manual.filter(points__isnull=True).exists()
    assert not manual.filter(note="", evidence__isnull=True).exists()

    evidence = list(ScoreEvidence.objects.filter(score__round__scheme=scheme))
    assert evidence
    for item in evidence:
        path = Path(item.file.path)
        assert path.is_relative_to(media_root)
        assert path.read_bytes().startswith(b"%PDF-")
        assert item.uploaded_at < NEW_YEAR
