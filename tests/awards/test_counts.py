"""Counts in the right unit: units nominated or awarded are collectives, not people."""

import datetime

from django.urls import reverse
from django.utils.translation import ngettext

from awards.models import Conferral, Decision, Nominee, Proposal, ProposalStage

from .test_proposals import LDTT, YEAR, award, rated

TTLDTT = "tap-the-lao-dong-tien-tien"


def _collective(cast, unit):
    proposal = Proposal.objects.create(unit=unit, year=YEAR, stage=ProposalStage.APPROVED)
    return Nominee.objects.create(proposal=proposal, award=award(TTLDTT), staff=None,
                                  summary="Tập thể", passed=True)


def test_collectives_awaiting_a_decision_are_counted_as_collectives(cast, client_for):
    _collective(cast, cast.unit_a)
    _collective(cast, cast.unit_b)

    html = client_for(cast.office).get(reverse("awards:decisions")).content.decode()

    assert ngettext("%(counter)s collective nominated", "%(counter)s collectives nominated",
                    2) % {"counter": 2} in html
    assert "người" not in html.split(award(TTLDTT).name)[1].split("</li>")[0]


def test_a_collective_decision_counts_collectives_and_a_personal_one_people(cast, client_for):
    signed = datetime.date(2022, 12, 20)
    collective = Decision.objects.create(award=award(TTLDTT), year=YEAR, number="2/QĐ",
                                         signed_on=signed, signer_name="A",
                                         signer_title="GIÁM ĐỐC", created_by=cast.office)
    personal = Decision.objects.create(award=award(LDTT), year=YEAR, number="3/QĐ",
                                       signed_on=signed, signer_name="A",
                                       signer_title="GIÁM ĐỐC", created_by=cast.office)
    for unit in (cast.unit_a, cast.unit_b):
        Conferral.objects.create(award=award(TTLDTT), year=YEAR, unit=unit, decision="2/QĐ",
                                 decided_on=signed, issued_by=collective)
    Conferral.objects.create(award=award(LDTT), year=YEAR, unit=cast.unit_a,
                             staff=rated(cast.unit_a), decision="3/QĐ", decided_on=signed,
                             issued_by=personal)
    client = client_for(cast.office)

    units = client.get(reverse("awards:decision", args=[collective.pk])).content.decode()
    people = client.get(reverse("awards:decision", args=[personal.pk])).content.decode()

    assert ngettext("%(counter)s collective awarded", "%(counter)s collectives awarded",
                    2) % {"counter": 2} in units
    assert ngettext("%(counter)s person awarded", "%(counter)s people awarded",
                    1) % {"counter": 1} in people
