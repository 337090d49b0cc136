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


@LIVE
def test_bench_dashboard_prints_p95_and_a_missed_line_per_page_over():
    out = io.StringIO()
    call_command("bench_dashboard", "--units", "3", "--assignments", "20", "--reports", "3",
                 "--repeat", "3", stdout=out)
    text = out.getvalue()
    lines = re.findall(r"^(director|Office and Union) +median +([\d.]+) ms +p95 +([\d.]+) ms "
                       r".*  (OK|MISSED)$", text, re.MULTILINE)
    assert {line[0] for line in lines} == {"director", "Office and Union"}, text
    for label, median, p95, verdict in lines:
        over = float(median) > 100 or float(p95) > 150
        # A page is MISSED for its time or its ratio to the bare SQL; its line says which.
        assert verdict == "MISSED" or not over
        missed = re.search(rf"^MISSED {label}: (.*)$", text, re.MULTILINE)
        assert (missed is not None) == (verdict == "MISSED"), text
        if over:
            assert "over" in missed.group(1)
    assert "query counts after adding 0 units: unchanged" in text
    assert "targets: median under 100 ms, p95 under 150 ms (3 requests each)" in text
