"""`bench_staff` runs end to end on a tiny data set and leaves the real database alone."""

import io
import re

from django.core.management import call_command

from units.models import Unit

from ..factories import UnitFactory
from ..helpers import LIVE


@LIVE
def test_bench_staff_runs_on_a_scratch_database():
    UnitFactory(code="kept")
    out = io.StringIO()

    call_command("bench_staff", "--people", "60", "--units", "4", "--big-unit", "30",
                 "--repeat", "1", stdout=out)

    text = out.getvalue()
    assert re.search(r"preview .* queries 2 \(a 1,000-row file: 2\).* rows new 60, errors 0",
                     text)
    assert re.search(r"preview page .* ms .* KB of HTML \(60 rows listed\)", text)
    assert re.search(r"write .* queries (\d+) \(a 1,000-row file: \1\).*\(60 added", text)
    assert "unchanged 60 of 60, to change 0" in text
    assert re.search(r"staff list, page 1 +median +[\d.]+ ms .* queries \d+", text)
    assert list(Unit.objects.values_list("code", flat=True)) == ["kept"]
