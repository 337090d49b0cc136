"""`bench_tasks` runs end to end on a tiny data set and leaves the real database alone."""

import io

from django.core.management import call_command

from units.models import Unit

from ..factories import UnitFactory
from ..helpers import LIVE


@LIVE
def test_bench_tasks_runs_on_a_scratch_database():
    UnitFactory(code="kept")
    out = io.StringIO()
    call_command("bench_tasks", "--units", "3", "--assignments", "2", "--reports", "2",
                 "--repeat", "1", stdout=out)
    text = out.getvalue()
    assert "review queue" in text
    assert "unit page" in text
    assert "queries" in text
    assert "3 units × 2 assignments × 2 reports = 12 reports" in text
    # The test database is back, with its own row and none of the benchmark's.
    assert list(Unit.objects.values_list("code", flat=True)) == ["kept"]
