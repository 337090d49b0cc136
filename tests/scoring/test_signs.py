"""Signed figures: a bonus or penalty of nothing reads 0, never "−0,00" or "+0,00"."""

from decimal import Decimal as D

import pytest
from django.urls import reverse

from units.templatetags.signs import deducted, signed

from .test_views import opened  # noqa: F401  (a fixture)


@pytest.mark.parametrize(("value", "shown"), [
    (D("1.5"), "+1,50"), (D("-2"), "−2,00"), (D("0"), "0"), (D("-0.00"), "0"),
    (D("-0.001"), "0"), (D("0.004"), "0"), (D("0.005"), "+0,01"), (None, None),
])
def test_signed_never_shows_a_sign_before_zero(value, shown):
    assert signed(value) == shown


@pytest.mark.parametrize(("value", "shown"), [
    (D("2"), "−2,00"), (D("0"), "0"), (D("0.001"), "0"), (D("0.5"), "−0,50"),
])
def test_a_deduction_reads_as_minus_or_zero(value, shown):
    assert deducted(value) == shown


def test_deducted_keeps_floatformats_dropped_decimals():
    assert deducted(D("0.50"), "-2") == "−0,50"
    assert deducted(D("1.00"), "-2") == "−1"
    assert deducted(D("0"), "-2") == "0"


def test_a_sheet_without_bonus_or_penalty_shows_zero_not_minus_zero(cast, client_for, scored,
                                                                     opened):  # noqa: F811
    url = reverse("scoring:sheet", args=[scored.campaign.pk, cast.unit_b.pk])

    html = client_for(cast.office).get(url).content.decode()

    assert "−0,00" not in html and "+0,00" not in html
    assert '<div class="fs-5">0 / 0</div>' in html
