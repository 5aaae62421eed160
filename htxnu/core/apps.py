from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "htxnu.core"
    label = "core"
    verbose_name = "HTX Nữ core"

    def ready(self):
        from django.db.models.signals import post_migrate

        from . import checks  # noqa: F401  (registers the system checks)

        post_migrate.connect(create_cache_table, sender=self, dispatch_uid="core-create-cache-table")


def create_cache_table(sender, using="default", verbosity=1, **kwargs) -> None:
    """Every `migrate` (make run, a deployment, the test database) also creates the table
    of the database cache (settings.CACHES without CACHE_URL); with Redis it does nothing.
    Django's `createcachetable` leaves an existing table alone."""
    from django.conf import settings
    from django.core.management import call_command

    if any(c["BACKEND"].endswith("DatabaseCache") for c in settings.CACHES.values()):
        call_command("createcachetable", database=using, verbosity=max(verbosity - 1, 0))
