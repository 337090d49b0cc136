"""`bench_scoring` runs end to end on a tiny data set and leaves the real database alone."""

import io
import re

from django.core.management import call_command

from units.models import Unit

from ..factories import UnitFactory
from ..helpers import LIVE


@LIVE
def test_bench_scoring_runs_on_a_scratch_database():
    UnitFactory(code="kept")
    out = io.StringIO()
    # Four leaves per content item, one of each rule: proportional, bands, timeliness, manual.
    call_command("bench_scoring", "--units", "3", "--assignments", "20", "--reports", "3",
                 "--criteria", "40", "--repeat", "1", stdout=out)
    text = out.getvalue()
    assert "3 units × 20 assignments × 3 reports = 180 reports" in text
    assert re.search(r"recompute, empty round +median +[\d.]+ s .*\(120 scores created, "
                     r"3 sheets\)", text)
    assert re.search(r"recompute, unchanged .*\(0 created, 0 changed\)", text)
    # The bare SQL computes the figures the recompute stored, for every automatic criterion.
    assert re.search(r"bare SQL aggregate .*agrees with the recompute on all 90 automatic", text)
    assert "ratio recompute / bare SQL" in text
    assert re.search(r"ranking page +(median .* queries \d+|skipped: )", text)
    assert "targets:" in text
    # The test database is back, with its own row and none of the benchmark's.
    assert list(Unit.objects.values_list("code", flat=True)) == ["kept"]
