"""`manage.py send_reminders`: e-mail unit heads what is due soon, overdue or returned.

Meant to run once a day (cron). The work is done by tasks.reminders.send; a second run on the
same day sends nothing new.
"""

import argparse
import datetime

from django.core.management.base import BaseCommand, CommandError

from tasks import reminders


def _day(value: str) -> datetime.date:
    try:
        return datetime.datetime.strptime(value, "%d/%m/%Y").date()
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a date as dd/mm/yyyy") from None


class Command(BaseCommand):
    help = (
        "E-mail each unit head one reminder listing their unit's assignments due within --days "
        "days, overdue periods and returned reports. Items already reminded today are skipped."
    )

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=7,
                            help="Remind of periods due within this many days (default: 7).")
        parser.add_argument("--today", type=_day, default=None,
                            help="Act as if today were this date, as dd/mm/yyyy (default: today).")

    def handle(self, *args, days, today, **options):
        if days < 0:
            raise CommandError("--days cannot be negative.")
        sent = reminders.send(today=today, days=days)
        self.stdout.write(f"Sent {sent} reminder e-mail{'' if sent == 1 else 's'}.")
