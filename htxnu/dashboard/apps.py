from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardConfig(AppConfig):
    name = "htxnu.dashboard"
    label = "dashboard"
    verbose_name = _("Dashboards")

    def ready(self):
        from django.db.models.signals import post_migrate

        from . import freshness, tasks

        freshness.connect()
        tasks.connect()
        post_migrate.connect(_warm_after_migrate, sender=self, dispatch_uid="dashboard-warm-after-migrate")


def _warm_after_migrate(sender, using="default", **kwargs) -> None:
    """After `migrate` (a deployment), warm the dashboards in the background when there is
    anything to count; a fresh or test database has nothing and gets nothing queued."""
    from htxnu.registry.models import Collective
    from htxnu.reporting.models import Report

    from .tasks import enqueue_after_commit

    if Collective.objects.using(using).exists() or Report.objects.using(using).exists():
        enqueue_after_commit()
