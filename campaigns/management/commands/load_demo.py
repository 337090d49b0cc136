"""`manage.py load_demo`: the demo organisation, accounts and the 2022 plan, idempotently."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from campaigns.demo import load_plan_2022
from campaigns.models import Campaign, Dissemination
from units.demo import OFFICE_USERNAME, load_units
from units.models import StaffMember, Unit

DEFAULT_PASSWORD = "thidua2022"


class Command(BaseCommand):
    help = (
        "Load demo data: the units and staff of Sở GD&ĐT Bình Phước, demo user accounts and the "
        "2022 emulation plan (launched, with some units' dissemination confirmed). Safe to run "
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

        with transaction.atomic():
            org = load_units(password=password)
            office_user = get_user_model().objects.get(username=OFFICE_USERNAME)
            campaign = load_plan_2022(office_user=office_user)

        self._summary(org, campaign, password)

    def _summary(self, org, campaign, password):
        out = self.stdout.write
        confirmed = Dissemination.objects.filter(campaign=campaign).confirmed().count()
        asked = Dissemination.objects.filter(campaign=campaign).count()
        changes = org["created"] + org["updated"]
        out(self.style.SUCCESS("Demo data loaded."))
        out(f"  Units:          {Unit.objects.count()} (demo: {org['units']})")
        out(f"  Staff members:  {StaffMember.objects.count()} (demo: {org['staff']})")
        out(f"  Accounts:       {len(org['accounts'])}")
        out(f"  Organisation:   {org['created']} rows created, {org['updated']} updated"
            + ("" if changes else " (nothing to do)"))
        out(f"  Campaigns:      {Campaign.objects.count()}; "
            f"{campaign.code} {campaign.get_status_display()}, "
            f"dissemination confirmed by {confirmed} of {asked} units")
        out("")
        rows = [("Username", "Role", "Unit")] + list(org["accounts"])
        widths = [max(len(str(row[i])) for row in rows) for i in range(2)]
        for i, (username, role, unit) in enumerate(rows):
            out(f"  {username:<{widths[0]}}  {role:<{widths[1]}}  {unit}")
            if i == 0:
                out(f"  {'-' * widths[0]}  {'-' * widths[1]}  {'-' * 4}")
        out("")
        out(f"Password for every account above: {password}")
        out(self.style.WARNING(
            "These are demo accounts with a shared, published password: never load them on a "
            "production server."
        ))
        out(f"Account names: {org['scheme']}")
