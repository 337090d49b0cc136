"""`manage.py load_demo`: year-end ratings and award history, within the cap, loaded once."""

import pytest

from awards import ratings
from awards.demo import REVOKED_REASON, TWINS
from awards.models import (
    Conferral,
    Decision,
    Nominee,
    NoticeComment,
    Proposal,
    ProposalStage,
    Rating,
    YearRating,
)
from scoring.models import Scheme, Stage
from tests.demo_data import load, module_demo
from units.models import AuditEntry, StaffMember, Unit

pytestmark = pytest.mark.django_db

demo = module_demo()

CSTDCS = "chien-si-thi-dua-co-so"


def snapshot():
    return {
        "staff": StaffMember.objects.count(),
        "ratings": sorted(YearRating.objects.values_list("pk", "rating", "entered_at")),
        "conferrals": sorted(Conferral.objects.values_list("pk", "revoked_at")),
        "nominees": sorted(Nominee.objects.values_list("pk", "passed", "decision")),
        "proposals": sorted(Proposal.objects.values_list("pk", "stage", "version")),
    }


def test_demo_rates_and_awards_within_the_cap_and_loads_once(demo):
    assert "Award history:" in demo.output

    # Every active person of every unit with staff is rated for 2022, within the cap.
    cap = ratings.cap_for(2022)
    assert cap is not None
    active = StaffMember.objects.active()
    assert YearRating.objects.filter(year=2022).count() == active.count()
    for unit in Unit.objects.filter(staff__is_active=True).distinct():
        values = list(YearRating.objects.filter(year=2022, staff__unit=unit)
                      .values_list("rating", flat=True))
        assert ratings.cap_error(cap, values) is None, unit.code
    for year in (2020, 2021):
        for unit in Unit.objects.all():
            values = list(YearRating.objects.filter(year=year, staff__unit=unit)
                          .values_list("rating", flat=True))
            assert ratings.cap_error(ratings.cap_for(year), values) is None, (unit.code, year)
    counts = {r: YearRating.objects.filter(year=2022, rating=r).count() for r in Rating.values}
    total = sum(counts.values())
    # The units are small (3–8 people), so the cap, rounded down per unit, keeps "excellent"
    # near 13 %: the demo rates as many "excellent" as the cap allows in every unit.
    allowed = sum(cap.allowed(YearRating.objects.filter(
        year=2022, staff__unit=unit, rating__in=ratings.GOOD_OR_BETTER).count())
        for unit in Unit.objects.all())
    assert counts[Rating.EXCELLENT] == allowed
    assert 0.12 <= counts[Rating.EXCELLENT] / total <= 0.20
    assert 0.60 <= counts[Rating.GOOD] / total <= 0.72
    assert 1 <= counts[Rating.FAILED] <= 2
    assert 0.4 <= YearRating.objects.filter(year=2021).count() / total <= 0.6

    # At least three people hold CSTĐCS in both 2020 and 2021.
    both = (set(Conferral.objects.standing().filter(award__code=CSTDCS, year=2020)
                .values_list("staff", flat=True))
            & set(Conferral.objects.standing().filter(award__code=CSTDCS, year=2021)
                  .values_list("staff", flat=True)))
    assert len(both) >= 3

    # One conferral is revoked, with its reason.
    revoked = Conferral.objects.exclude(revoked_at=None)
    assert revoked.count() == 1
    assert revoked.get().revoked_reason == REVOKED_REASON
    assert revoked.get().revoked_at.year == 2022

    # The two records of (very likely) one person: no accounts, a 2020 conferral each.
    for twin in TWINS:
        member = StaffMember.objects.get(unit__code=twin.unit, full_name=twin.full_name)
        assert member.user is None and member.is_active
        assert member.conferrals.filter(year=2020).exists()

    # The 2022 round: a list at every stage, one returned, one decision issued.
    stages = set(Proposal.objects.filter(year=2022).values_list("stage", flat=True))
    assert stages == set(ProposalStage.values)
    assert Proposal.objects.exclude(return_note="").get().stage == ProposalStage.DRAFT
    assert NoticeComment.objects.exists()
    decision = Decision.objects.get()
    named = set(decision.conferrals.values_list("staff", flat=True))
    passed = set(Nominee.objects.filter(award=decision.award, passed=True,
                                        proposal__stage=ProposalStage.APPROVED)
                 .values_list("staff", flat=True))
    assert named == passed and len(named) >= 30
    assert decision.signed_on.year == 2022
    turned_down = Nominee.objects.get(passed=False)
    assert not turned_down.eligible and turned_down.justification
    assert Nominee.objects.filter(award__level="province", passed=True,
                                  proposal__stage=ProposalStage.APPROVED).exists()
    # The lists come after the scoring is locked; every audit line is dated in 2022.
    assert Scheme.objects.get(campaign__year=2022).stage == Stage.LOCKED
    assert not AuditEntry.objects.filter(action__startswith="proposal.",
                                         at__year__gt=2022).exists()

    before = snapshot()
    second = load()
    assert snapshot() == before
    assert "0 rows created (nothing to do)" in second


def test_demo_documents_after_the_2025_merger_read_dong_nai_and_2022_stays_as_issued(demo):
    """Bình Phước merged into Đồng Nai on 01/07/2025 (units.EarlierIdentity in the demo): the
    current year's documents print the merged province; a 2022 decision reprinted today still
    prints the header it was issued with."""
    from awards.documents import build
    from campaigns.models import Campaign
    from tests.pdf_measure import lines
    from units import identity

    live = Campaign.objects.filter(year=demo.today.year).exclude(status="draft").first()
    report = build("year_report", {"campaign": live.pk}, "pdf").content
    head = [line.text for line in lines(report)[0][:8]]
    assert "UBND TỈNH ĐỒNG NAI" in head
    assert any(text.startswith("Đồng Nai, ngày") for text in head)

    old = Decision.objects.filter(year=2022, dossier__isnull=True).order_by("pk").first()
    decision = build("decision", {"decision": old.pk}, "pdf").content
    head = [line.text for line in lines(decision)[0][:8]]
    assert "UBND TỈNH BÌNH PHƯỚC" in head
    assert any(text.startswith("Bình Phước, ngày") for text in head)
    assert identity.on(old.signed_on).place == "Bình Phước"
    assert identity.on(demo.today).place == "Đồng Nai"


def test_demo_register_holds_the_plans_the_decision_and_the_letters(demo):
    """The register of outgoing documents after load_demo: each launched plan (KH), the issued
    decision (QĐ), and the demo's letters and notice beside them — the plans entered first must
    not make the letters' loader believe it already ran."""
    from units.models import DocumentKind, OutgoingDocument

    kinds = sorted(OutgoingDocument.objects.values_list("kind", flat=True))
    assert kinds.count(DocumentKind.PLAN) == 2
    assert kinds.count(DocumentKind.DECISION) >= 1
    assert kinds.count(DocumentKind.LETTER) == 2
    assert kinds.count(DocumentKind.NOTICE) == 1
    this_year = OutgoingDocument.objects.filter(kind=DocumentKind.LETTER,
                                                issued_on__year=demo.today.year).get()
    assert this_year.number.startswith("01/")
