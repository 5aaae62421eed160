from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from htxnu.accounts import demo as accounts_demo


class Command(BaseCommand):
    help = "Create the demo accounts and demo data (development only; running it again changes nothing)."

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=["demo", "province", "national"], default="demo")

    def handle(self, *args, scale="demo", **options):
        if not settings.DEMO_DATA_ALLOWED:
            raise CommandError("Demo data is disabled here (DEMO_DATA_ALLOWED is off, as in production).")
        rows = accounts_demo.build()
        self.stdout.write("")
        self.stdout.write(f"Demo accounts (password: {accounts_demo.DEMO_PASSWORD}):")
        for username, organisation, roles in rows:
            self.stdout.write(f"  {username:<15} {organisation} — {roles}")
        self.stdout.write("")
