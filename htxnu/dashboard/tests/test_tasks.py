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


class WarmingAfterImportTests(HtxTestCase):
    """An Excel import queues the warming of its province and the country; once the worker
    has run it, the national dashboard is read from the stored figures."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        build_records(cls)

    def queued(self):
        return list(DBTaskResult.objects.filter(task_path="htxnu.dashboard.tasks.warm_dashboards"))

    def test_an_import_queues_one_warming_of_its_province_and_the_country(self):
        from htxnu.registry import importer
        from htxnu.registry.tests.helpers import row, xlsx

        rows = [row(name=f"Hợp tác xã Nhập {i}", commune="Phường Cam Đường") for i in range(3)]
        with self.captureOnCommitCallbacks(execute=True):
            result = importer.import_file(actor=self.commune, unit=self.cam_duong, data=xlsx(rows),
                                          file_name="danh-sach.xlsx")
        self.assertEqual(result.created, 3)
        queued = self.queued()
        self.assertEqual(len(queued), 1)  # one task for the records, managers and figures written
        unit_ids = queued[0].args_kwargs["args"][0]
        self.assertIn(self.cam_duong.pk, unit_ids)
        self.assertEqual(tasks.warm(unit_ids), 2 * 2 + 1)  # the country and Lào Cai, both modes; the trends

    def test_after_the_warming_the_national_dashboard_is_served_from_the_stored_figures(self):
        self.client.force_login(self.central)
        self.client.get("/dashboard/")  # session, content types: what any second page finds ready
        CachedFigures.objects.all().delete()
        tasks.warm_dashboards.call([self.cam_duong.pk])
        stored = CachedFigures.objects.count()
        # session, user, organisation, active unit, rounds, data versions, indicators, the
        # stored figures, the national plan and its targets, the stored cumulative figures and
        # the two earlier points: all read, none computed, whatever the number of records
        with self.assertNumQueries(13):
            response = self.client.get("/dashboard/")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(CachedFigures.objects.count(), stored)  # nothing computed again

    def test_migrate_queues_the_warming_only_where_there_are_records(self):
        from htxnu.dashboard.apps import _warm_after_migrate

        with self.captureOnCommitCallbacks(execute=True):
            _warm_after_migrate(sender=None)
        self.assertEqual(len(self.queued()), 1)
        self.assertIsNone(self.queued()[0].args_kwargs["args"][0])  # every province
        Collective.objects.all().delete()
        DBTaskResult.objects.all().delete()
        from htxnu.reporting.models import Report

        Report.objects.all().delete()
        with self.captureOnCommitCallbacks(execute=True):
            _warm_after_migrate(sender=None)
        self.assertEqual(self.queued(), [])
