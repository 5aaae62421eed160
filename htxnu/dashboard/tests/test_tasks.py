"""Warming the dashboards ahead of their first reader."""

from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from htxnu.core import audit
from htxnu.core.models import AuditEntry
from htxnu.core.tests.base import HtxTestCase
from htxnu.dashboard import tasks
from htxnu.dashboard.models import CachedFigures
from htxnu.registry.models import Collective

from .helpers import build_records


class WarmingTests(HtxTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        build_records(cls)

    def test_warming_stores_the_country_s_and_every_province_s_figures(self):
        self.assertFalse(CachedFigures.objects.exists())
        self.assertEqual(tasks.warm(), 2 * 35 + 1)  # both modes of the country and 34 provinces, the trends
        stored = CachedFigures.objects.count()
        self.assertGreater(stored, 0)
        tasks.warm()  # a second run finds them and stores nothing new
        self.assertEqual(CachedFigures.objects.count(), stored)

    def test_a_bulk_write_queues_the_warming_when_it_commits(self):
        with self.captureOnCommitCallbacks(execute=True):
            audit.log_many(self.commune, AuditEntry.Action.IMPORT, [(Collective.objects.first(), {})])
        self.assertEqual(DBTaskResult.objects.filter(task_path="htxnu.dashboard.tasks.warm_dashboards").count(), 1)

    def test_the_command_can_leave_it_to_the_worker(self):
        call_command("warm_dashboards", "--enqueue", stdout=open("/dev/null", "w"))  # noqa: SIM115
        self.assertTrue(DBTaskResult.objects.filter(task_path="htxnu.dashboard.tasks.warm_dashboards").exists())
