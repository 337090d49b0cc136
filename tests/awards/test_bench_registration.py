"""`bench_registration` runs end to end on a tiny data set and leaves the real database alone."""

import io
import re

from django.core.management import call_command

from units.models import Unit

from ..factories import UnitFactory
from ..helpers import LIVE


@LIVE
def test_bench_registration_runs_on_a_scratch_database():
    UnitFactory(code="kept")
    out = io.StringIO()

    call_command("bench_registration", "--units", "4", "--people", "40", "--big-unit", "30",
                 "--repeat", "1", stdout=out)

    text = out.getvalue()
    assert re.search(r"registration page +median +[\d.]+ ms .* queries \d+", text)
    # Every person registered in the province is in the workbook.
    registered = re.search(r"([\d,]+) registrations for \d{4}", text).group(1)
    found = re.search(r"registrations workbook median +[\d.]+ s +bare +[\d.]+ s +"
                      r"[\d.]+× bare openpyxl +\(([\d,]+) people, peak \d+ MB\)", text)
    assert found and found.group(1) == registered
    assert "registrations workbook ≤ 1.5× bare openpyxl" in text
    assert list(Unit.objects.values_list("code", flat=True)) == ["kept"]
