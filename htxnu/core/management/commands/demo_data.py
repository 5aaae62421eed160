import importlib

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from htxnu.core.db import update_statistics


def demo_modules():
    """Each app may have a `demo` module with build(scale, stdout) and, optionally,
    summary(stdout); they run in INSTALLED_APPS order, so an app's demo data can rely on
    the apps before it. Found by the module's name, like Django's admin.py: core names no
    app, the apps above it plug in (docs/architecture.md, "Layers")."""
    for config in apps.get_app_configs():
        if config.name.startswith("htxnu."):
            try:
                yield importlib.import_module(f"{config.name}.demo")
            except ModuleNotFoundError as error:
                if error.name != f"{config.name}.demo":
                    raise


class Command(BaseCommand):
    help = "Create the demo accounts and demo data (development only; running it again changes nothing)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale",
            choices=["demo", "province", "national"],
            default="demo",
            help="demo: small and quick; province: one province in depth; national: the whole country",
        )

    def handle(self, *args, scale="demo", **options):
        if not settings.DEMO_DATA_ALLOWED:
            raise CommandError("Demo data is disabled here (DEMO_DATA_ALLOWED is off, as in production).")
        modules = list(demo_modules())
        for module in modules:
            module.build(scale=scale, stdout=self.stdout)
        update_statistics()
        for module in modules:
            if hasattr(module, "summary"):
                module.summary(self.stdout)
