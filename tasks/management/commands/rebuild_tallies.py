"""Recompute the dashboards' tallies from the assignments and reports.

    python manage.py rebuild_tallies

The services keep the tallies in step with every write; run this after loading data that
bypassed them (raw inserts, a restore), or to check nothing drifted: it prints the rows written.
"""

from django.core.management.base import BaseCommand

from tasks import tallies


class Command(BaseCommand):
    help = "Recompute the dashboards' tallies of assignments and reports from scratch."

    def handle(self, *args, **options):
        for name, rows in tallies.rebuild().items():
            self.stdout.write(f"{name}: {rows:,} rows")
