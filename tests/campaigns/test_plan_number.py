"""The plan's number comes from the register of outgoing documents when it is launched (issued):
the launch form proposes the next KH number, empty takes it, a typed one is entered as typed, a
number the year's register holds is refused; the plans issued before the register entered it
with their numbers (campaigns/migrations/0003)."""

import datetime
import importlib

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.urls import reverse

from campaigns import services
from campaigns.models import CampaignStatus
from units import services_outgoing as outgoing
from units.models import AuditEntry
from units.models_outgoing import DocumentKind, OutgoingCounter, OutgoingDocument

from ..factories import plan

ISSUED = datetime.date(2022, 1, 14)  # the factory's date of issue


def test_launch_with_an_empty_number_takes_the_registers_next(cast):
    campaign = plan(units=[cast.unit_a])
    expected = outgoing.next_number(DocumentKind.PLAN, ISSUED.year)
    assert expected.startswith("01/KH-")

    services.launch(campaign=campaign, user=cast.office, number="")

    campaign.refresh_from_db()
    assert campaign.code == expected and campaign.status == CampaignStatus.LAUNCHED
    entry = OutgoingDocument.objects.get()
    assert (entry.number, entry.kind, entry.issued_on, entry.typed) == (
        expected, DocumentKind.PLAN, ISSUED, False)
    assert entry.target == campaign and campaign.title in entry.subject
    line = AuditEntry.objects.get(action="campaign.launch")
    assert line.after["number"] == expected and line.after["typed"] is False
    # The next plan of the year continues the sequence.
    assert outgoing.next_number(DocumentKind.PLAN, 2022).startswith("02/KH-")


def test_typed_number_is_registered_as_typed_and_moves_the_sequence(cast):
    campaign = plan(units=[cast.unit_a])
    symbol = outgoing.next_number(DocumentKind.PLAN, 2022).split("/", 1)[1]

    services.launch(campaign=campaign, user=cast.office, number=f"  25/{symbol} ")

    campaign.refresh_from_db()
    assert campaign.code == f"25/{symbol}"
    assert OutgoingDocument.objects.get().typed
    assert outgoing.next_number(DocumentKind.PLAN, 2022) == f"26/{symbol}"


def test_number_already_in_the_years_register_is_refused_and_nothing_is_launched(cast):
    first, second = plan(units=[cast.unit_a]), plan(units=[cast.unit_a])
    services.launch(campaign=first, user=cast.office, number="")
    first.refresh_from_db()

    with pytest.raises(ValidationError) as refused:
        services.launch(campaign=second, user=cast.office, number=first.code)

    assert f"Số {first.code} đã có trong sổ văn bản đi năm 2022" in " ".join(
        refused.value.messages)
    second.refresh_from_db()
    assert second.status == CampaignStatus.DRAFT and not second.disseminations.exists()
    assert OutgoingDocument.objects.count() == 1
    assert OutgoingCounter.objects.get(year=2022, series="KH").last == 1


def test_launch_without_a_number_keeps_the_drafts_number_typed(cast):
    campaign = plan(units=[cast.unit_a])
    code = campaign.code

    services.launch(campaign=campaign, user=cast.office)

    campaign.refresh_from_db()
    assert campaign.code == code and OutgoingDocument.objects.get(number=code).typed


def test_launch_page_proposes_the_next_number_and_empty_takes_it(cast, client_for):
    campaign = plan(units=[cast.unit_a])
    office = client_for(cast.office)
    expected = outgoing.next_number(DocumentKind.PLAN, 2022)

    page = office.get(reverse("campaigns:detail", args=[campaign.pk])).content.decode()
    assert f"Số tiếp theo: {expected}" in page

    response = office.post(reverse("campaigns:launch", args=[campaign.pk]), {"number": ""})
    assert response.status_code == 302
    campaign.refresh_from_db()
    assert campaign.code == expected and campaign.is_launched
    register = office.get(reverse("awards:register")).content.decode()
    assert expected in register and campaign.title in register


def test_launch_page_refuses_a_number_held_in_the_year(cast, client_for):
    first, second = plan(units=[cast.unit_a]), plan(units=[cast.unit_a])
    services.launch(campaign=first, user=cast.office, number="")
    first.refresh_from_db()

    response = client_for(cast.office).post(reverse("campaigns:launch", args=[second.pk]),
                                            {"number": first.code}, follow=True)

    assert "đã có trong sổ văn bản đi năm 2022" in response.content.decode()
    second.refresh_from_db()
    assert second.is_draft


def test_migration_registers_the_plans_issued_before_the_register(cast):
    launched, draft = plan(units=[cast.unit_a]), plan(units=[cast.unit_a])
    symbol = outgoing.next_number(DocumentKind.PLAN, 2022).split("/", 1)[1]
    # Launched before the register existed: no entry, a number typed on the plan.
    type(launched).objects.filter(pk=launched.pk).update(
        status=CampaignStatus.LAUNCHED, number="07", symbol=f"KH-{symbol.split('-', 1)[1]}")
    migration = importlib.import_module(
        "campaigns.migrations.0003_register_existing_plan_numbers")

    migration.register_existing(apps, None)
    migration.register_existing(apps, None)  # run twice: entered once

    entry = OutgoingDocument.objects.get()
    assert (entry.number, entry.typed, entry.issued_on, entry.target_id) == (
        f"07/{symbol}", True, ISSUED, launched.pk)
    assert not OutgoingDocument.objects.filter(target_id=draft.pk, number="").exists()
    assert outgoing.next_number(DocumentKind.PLAN, 2022) == f"08/{symbol}"
