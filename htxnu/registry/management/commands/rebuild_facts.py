import time

from django.core.management.base import BaseCommand
from django.db import transaction

from htxnu.registry import facts


class Command(BaseCommand):
    help = (
        "Recompute every cooperative's and group's facts (alive, women-managed, many jobs for women, "
        "consolidated, stable jobs, for every date) and their derived columns from the records. The facts are "
        "kept up to date by every write; run this after an upgrade that changes their rules or after data was "
        "changed outside the application."
    )

    def handle(self, *args, **options):
        started = time.monotonic()
        with transaction.atomic():
            count = facts.rebuild()
        self.stdout.write(f"Facts rebuilt for {count:,} cooperatives and groups in {time.monotonic() - started:.1f} s.")
