import json

from django.core.management.base import BaseCommand

from htxnu.geo import loader, sources


class Command(BaseCommand):
    help = (
        "Load Vietnam's administrative units before and after 1 July 2025, their succession and "
        "scope, and the Women's Union body of each unit. Running it again changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="reload even if this data version is loaded")
        parser.add_argument("--compare", action="store_true", help="print what the two data packages disagree on")

    def handle(self, *args, force=False, compare=False, **options):
        if compare:
            self.stdout.write(json.dumps(sources.compare_sources(), ensure_ascii=False, indent=1))
            return
        # The packages' versions say whether anything changed: read them (about a second) only then.
        summary = None if force else loader.loaded(sources.fingerprint())
        result = {"skipped": True, **summary} if summary is not None else loader.load(sources.read_sources(),
                                                                                        force=force)
        created = loader.units_loaded.send(sender=loader, result=result)
        organisations = sum(n for _receiver, n in created if isinstance(n, int))
        if result["skipped"]:
            self.stdout.write("Administrative units already loaded (same data version); nothing changed.")
        else:
            self.stdout.write(
                "Loaded administrative units: {provinces_today} provinces and {communes_today} communes today; "
                "{provinces_before} provinces, {districts_before} districts and {communes_before} communes "
                "before 1/7/2025; {succession_links} succession links.".format(**result)
            )
        if organisations:
            self.stdout.write(f"Created {organisations} Women's Union organisations.")
