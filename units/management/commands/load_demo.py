"""`manage.py load_demo`: each app's demo data, in INSTALLED_APPS order, idempotently.

The command lives in `units`, the first app of the flow, and imports no later app: it looks for a
`demo` module with a `load(context)` function in every installed app and calls them in order.
`context` is a plain dict each loader reads and extends (units puts "password", "accounts",
"office_user"; campaigns puts "campaign"; …) and `context["summary"]` collects the lines to print.
"""

from importlib import import_module

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.module_loading import module_has_submodule

DEFAULT_PASSWORD = "thidua2022"


def demo_loaders():
    """(app label, load function) of every installed app with a `demo.load`, in app order."""
    loaders = []
    for config in apps.get_app_configs():
        if not module_has_submodule(config.module, "demo"):
            continue
        load = getattr(import_module(f"{config.name}.demo"), "load", None)
        if callable(load):
            loaders.append((config.label, load))
    return loaders


class Command(BaseCommand):
    help = (
        "Load demo data: the units and staff of Sở GD&ĐT Bình Phước, demo user accounts, the "
        "2022 emulation plan and whatever else each app's demo module adds. Safe to run again: "
        "existing rows are found and left unchanged. For development and demos only."
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
            help="Run even when DEBUG is False (e.g. on a staging server).",
        )

    def handle(self, *args, password, force, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "Refusing to load demo data because DEBUG is False (this looks like production). "
                "Demo accounts share a known password. Use --force if you really mean it."
            )
        if not password:
            raise CommandError("The demo password cannot be empty.")

        context = {"password": password, "summary": []}
        with transaction.atomic():
            for _label, load in demo_loaders():
                load(context)

        self._summary(context)

    def _summary(self, context):
        out = self.stdout.write
        out(self.style.SUCCESS("Demo data loaded."))
        for line in context["summary"]:
            out(f"  {line}")
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
