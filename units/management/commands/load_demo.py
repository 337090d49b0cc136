"""`manage.py load_demo`: each app's demo data, in INSTALLED_APPS order, idempotently.

The command lives in `units`, the first app of the flow, and imports no later app: it looks for a
`demo` module in every installed app and calls its `load(context)` in order, all in one
transaction, then its `summary(context)` once everything is written (a later app may still change
an earlier app's rows: the awards demo locks the scoring and closes the 2022 plan).

`context` is a plain dict each loader reads and extends: "password" and "today" (the day the demo
is set around: the current year's plan has its deadlines around it) come from the command; units
puts "accounts" and "office_user", campaigns "campaign" (2022) and "live" (the current year), …
`context["summary"]` collects what this run wrote. `summary(context)` returns what the database
holds, as (year or None, label, text) rows read back from it, so the printout cannot drift from
the data.
"""

import argparse
import datetime
from importlib import import_module

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import module_has_submodule

DEFAULT_PASSWORD = "thidua2022"
LABEL_WIDTH = 16


def demo_modules():
    """(app label, demo module) of every installed app with a `demo.load`, in app order."""
    modules = []
    for config in apps.get_app_configs():
        if not module_has_submodule(config.module, "demo"):
            continue
        module = import_module(f"{config.name}.demo")
        if callable(getattr(module, "load", None)):
            modules.append((config.label, module))
    return modules


def demo_loaders():
    """(app label, load function) of every installed app with a `demo.load`, in app order."""
    return [(label, module.load) for label, module in demo_modules()]


def _day(value: str) -> datetime.date:
    try:
        return datetime.datetime.strptime(value, "%d/%m/%Y").date()
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a date as dd/mm/yyyy") from None


def line(label: str, text: str) -> str:
    return f"{label:<{LABEL_WIDTH}}{text}"


def department_data() -> list[str]:
    """What in this database the demo did not make: units with other codes, administrators
    other than the demo's (e.g. after `start_department`, README "Starting your own
    department"). `make run` on such a database must not load the demo into it."""
    from units import demo
    from units.models import Unit

    codes = {demo.ROOT_CODE, *(spec.code for spec in demo.UNITS)}
    units = list(Unit.objects.exclude(code__in=codes).order_by("pk")
                 .values_list("name", flat=True)[:3])
    admins = list(get_user_model().objects.filter(is_superuser=True)
                  .exclude(username=demo.ADMIN_USERNAME).order_by("pk")
                  .values_list("username", flat=True)[:3])
    found = []
    if units:
        found.append("units " + ", ".join(units))
    if admins:
        found.append("administrators " + ", ".join(admins))
    return found


class Command(BaseCommand):
    help = (
        "Load demo data: the units and staff of Sở GD&ĐT Bình Phước, demo user accounts, the "
        "2022 emulation plan as a closed year, the same plan copied to the current year with "
        "its deadlines around today, and whatever else each app's demo module adds. Safe to run "
        "again: existing rows are found and left unchanged. For development and demos only."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--password",
            default=DEFAULT_PASSWORD,
            help=f"Password for every demo account (default: {DEFAULT_PASSWORD}).",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Run even when DEBUG is False (e.g. on a staging server) or the database "
                 "holds a department's own units or administrators.",
        )
        parser.add_argument(
            "--today", type=_day, default=None,
            help="Set the current year's campaign around this day, as dd/mm/yyyy "
                 "(default: today).",
        )

    def handle(self, *args, password, force, today, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "Refusing to load demo data because DEBUG is False (this looks like production). "
                "Demo accounts share a known password. Use --force if you really mean it."
            )
        if not password:
            raise CommandError("The demo password cannot be empty.")
        own = [] if force else department_data()
        if own:
            raise CommandError(
                "Refusing to load demo data: this database holds a department's own data ("
                + "; ".join(own) + "). The demo would mix its units, people and accounts with a "
                "known password into it. Serve it with `make serve`, or give the demo its own "
                "database (DATABASE_URL=sqlite:///demo.sqlite3 make run). --force loads it anyway."
            )

        context = {"password": password, "summary": [], "today": today or timezone.localdate()}
        modules = demo_modules()
        with transaction.atomic():
            for _label, module in modules:
                module.load(context)

        rows = []
        for _label, module in modules:
            summary = getattr(module, "summary", None)
            if callable(summary):
                rows += summary(context)
        self._summary(context, rows)

    def _summary(self, context, rows):
        out = self.stdout.write
        out(self.style.SUCCESS(f"Demo data loaded (today: {context['today']:%d/%m/%Y})."))
        for year, label, text in rows:
            if year is None:
                out(f"  {line(label, text)}")
        for year in sorted({year for year, _label, _text in rows if year is not None}):
            out(f"  {year}")
            for row_year, label, text in rows:
                if row_year == year:
                    out(f"    {line(label, text)}")
        if context["summary"]:
            out("  This run")
            for text in context["summary"]:
                out(f"    {text}")
        accounts = context.get("accounts") or []
        if accounts:
            out("")
            rows = [("Username", "Role", "Unit")] + list(accounts)
            widths = [max(len(str(row[i])) for row in rows) for i in range(2)]
            for i, (username, role, unit) in enumerate(rows):
                out(f"  {username:<{widths[0]}}  {role:<{widths[1]}}  {unit}")
                if i == 0:
                    out(f"  {'-' * widths[0]}  {'-' * widths[1]}  {'-' * 4}")
            out("")
            out(f"Password for every account above: {context['password']}")
            out(self.style.WARNING(
                "These are demo accounts with a shared, published password: never load them on "
                "a production server."
            ))
        if context.get("scheme"):
            out(f"Account names: {context['scheme']}")
