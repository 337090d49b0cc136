"""A unit head confirms that the plan reached the unit's staff; the Office sees who has not."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from campaigns import services
from units.models import AuditEntry

from ..factories import plan


@pytest.fixture
def launched(cast):
    campaign = plan(units=[cast.unit_a, cast.unit_b])
    services.launch(campaign=campaign, user=cast.office)
    return campaign


def _post(client, dissemination, **fields):
    data = {"disseminated_on": timezone.localdate().strftime("%d/%m/%Y"), "staff_reached": "55",
            "note": "Phổ biến tại cuộc họp hội đồng sư phạm.",
            "version": str(dissemination.version)}
    data.update(fields)
    return client.post(reverse("campaigns:confirm", args=[dissemination.pk]), data)


def test_head_confirms_own_unit(cast, client_for, launched):
    dissemination = launched.disseminations.get(unit=cast.unit_a)

    response = _post(client_for(cast.head_a), dissemination)

    dissemination.refresh_from_db()
    assert response.status_code == 302
    assert dissemination.staff_reached == 55
    assert dissemination.confirmed_by == cast.head_a
    entry = AuditEntry.objects.get(action="dissemination.confirm")
    assert entry.actor == cast.head_a and entry.before is None
    assert entry.after["staff_reached"] == 55


def test_correction_records_before_and_after(cast, client_for, launched):
    dissemination = launched.disseminations.get(unit=cast.unit_a)
    client = client_for(cast.head_a)
    _post(client, dissemination)
    dissemination.refresh_from_db()

    _post(client, dissemination, staff_reached="58")

    entry = AuditEntry.objects.filter(action="dissemination.confirm").first()
    assert entry.before["staff_reached"] == 55
    assert entry.after["staff_reached"] == 58


def test_head_cannot_confirm_other_unit(cast, client_for, launched):
    dissemination = launched.disseminations.get(unit=cast.unit_b)

    response = _post(client_for(cast.head_a), dissemination)

    dissemination.refresh_from_db()
    assert response.status_code == 404
    assert dissemination.confirmed_at is None


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"staff_reached": "61"}, "Đơn vị của bạn có 60 người"),
        ({"staff_reached": "0"}, "ít nhất 1"),
        ({"disseminated_on": "01/01/2099"}, "không được ở tương lai"),
        ({"disseminated_on": "01/01/2000"}, "trước ngày phát động"),
        ({"disseminated_on": "hôm qua"}, "dd/mm/yyyy"),
    ],
)
def test_bad_input_is_explained_and_nothing_saved(cast, client_for, launched, fields, message):
    dissemination = launched.disseminations.get(unit=cast.unit_a)

    response = _post(client_for(cast.head_a), dissemination, **fields)

    dissemination.refresh_from_db()
    assert response.status_code == 200
    assert message in response.content.decode()
    assert dissemination.confirmed_at is None
    assert not AuditEntry.objects.filter(action="dissemination.confirm").exists()


def test_stale_confirmation_does_not_overwrite(cast, client_for, launched):
    dissemination = launched.disseminations.get(unit=cast.unit_a)
    client = client_for(cast.head_a)
    _post(client, dissemination, staff_reached="50")  # saved from version 1

    response = _post(client, dissemination, staff_reached="20")  # a second tab, still at 1

    dissemination.refresh_from_db()
    html = response.content.decode()
    assert "Người khác đã lưu" in html
    assert dissemination.staff_reached == 50
    # What the second tab typed is still there, ready to be sent on top of the saved version.
    assert 'value="20"' in html
    assert f'name="version" value="{dissemination.version}"' in html


def test_office_sees_who_has_not_confirmed(cast, client_for, launched):
    services.confirm_dissemination(
        dissemination=launched.disseminations.get(unit=cast.unit_a), user=cast.head_a,
        expected_version=1,
        data={"disseminated_on": datetime.date.today(), "staff_reached": 60, "note": ""})

    response = client_for(cast.office).get(
        reverse("campaigns:disseminations", args=[launched.pk]) + "?status=pending")

    html = response.content.decode()
    assert cast.unit_b.name in html
    assert cast.unit_a.name not in html


def test_home_shows_pending_confirmation_to_head(cast, client_for, launched):
    html = client_for(cast.head_a).get(reverse("home")).content.decode()

    dissemination = launched.disseminations.get(unit=cast.unit_a)
    assert reverse("campaigns:confirm", args=[dissemination.pk]) in html
