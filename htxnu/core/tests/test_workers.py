"""A job queued while no background worker runs is said to wait for one (core.workers):
on its page, in `manage.py check` and in /healthz; a running `db_worker` beats."""

import datetime
import time
from unittest import mock

from django.core.management import call_command
from django.db import OperationalError
from django.test import SimpleTestCase, override_settings
from django.utils import timezone
from django_tasks_db.management.commands import db_worker as tasks_db_worker
from django_tasks_db.models import DBTaskResult

from htxnu.core import checks, workers
from htxnu.core.models import WorkerBeat
from htxnu.plans.models import PlanImport
from htxnu.registry import services as registry
from htxnu.registry.models import ImportJob
from htxnu.registry.tests.helpers import row, xlsx

from .base import HtxTestCase

NO_WORKER = "Hệ thống xử lý nền chưa chạy"
HTMX = {"HX-Request": "true"}


class QueuedWithoutWorkerTests(HtxTestCase):
    def setUp(self):
        self.job = registry.import_job_create(actor=self.commune, unit=self.cam_duong, file_name="ds.xlsx",
                                              data=xlsx([row()]))
        self.url = f"/registry/import/{self.job.pk}/"
        self.client.force_login(self.commune)

    def age(self, minutes: int) -> None:
        then = timezone.now() - datetime.timedelta(minutes=minutes)
        ImportJob.objects.filter(pk=self.job.pk).update(created_at=then)
        DBTaskResult.objects.update(enqueued_at=then)

    def beat(self, minutes_ago: float = 0) -> None:
        at = timezone.now() - datetime.timedelta(minutes=minutes_ago)
        WorkerBeat.objects.create(worker_id="w1", queues="*", started_at=at, beat_at=at)

    def test_a_job_just_queued_waits_for_its_turn_quietly(self):
        self.assertNotContains(self.client.get(self.url, headers=HTMX), NO_WORKER)

    def test_a_job_queued_for_minutes_without_a_worker_says_so_and_keeps_polling(self):
        self.age(3)
        page = self.client.get(self.url)
        self.assertContains(page, NO_WORKER)
        poll = self.client.get(self.url, headers=HTMX)
        self.assertContains(poll, NO_WORKER)
        self.assertContains(poll, 'hx-trigger="every 1s"')  # it runs as soon as a worker starts

    def test_a_running_worker_means_the_job_only_waits_for_its_turn(self):
        self.age(3)
        self.beat(minutes_ago=1)
        self.assertNotContains(self.client.get(self.url, headers=HTMX), NO_WORKER)

    def test_a_worker_silent_for_longer_than_gone_after_is_not_running(self):
        self.age(10)
        self.beat(minutes_ago=workers.GONE_AFTER.total_seconds() / 60 + 1)
        self.assertContains(self.client.get(self.url, headers=HTMX), NO_WORKER)

    @override_settings(TASKS={"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}})
    def test_work_run_inline_needs_no_worker(self):
        self.age(3)
        self.assertNotContains(self.client.get(self.url, headers=HTMX), NO_WORKER)

    def test_a_plan_document_waiting_to_be_read_says_so_too(self):
        plan_import = PlanImport.objects.create(unit=self.lao_cai, created_by=self.province, filename="kh.txt",
                                                status=PlanImport.Status.READING)
        self.client.force_login(self.province)
        url = f"/plans/import/{plan_import.pk}/"
        self.assertNotContains(self.client.get(url), NO_WORKER)
        PlanImport.objects.filter(pk=plan_import.pk).update(created_at=timezone.now() - datetime.timedelta(minutes=3))
        self.assertContains(self.client.get(url), NO_WORKER)
        self.assertContains(self.client.get(url, headers=HTMX), NO_WORKER)
        self.beat()
        self.assertNotContains(self.client.get(url, headers=HTMX), NO_WORKER)

    def test_check_warns_and_healthz_reports_while_jobs_wait_without_a_worker(self):
        self.assertEqual(checks.worker_for_queued_jobs(), [])  # queued a moment ago
        self.assertEqual(self.client.get("/healthz").json()["waiting_jobs"], 0)
        self.age(3)
        [warning] = checks.worker_for_queued_jobs()
        self.assertEqual(warning.id, "core.W001")
        self.assertIn("1 background job(s)", warning.msg)
        health = self.client.get("/healthz")
        self.assertEqual(health.status_code, 200)  # the web process itself is fine
        self.assertEqual((health.json()["worker"], health.json()["waiting_jobs"]), ("not running", 1))
        self.beat()
        self.assertEqual(checks.worker_for_queued_jobs(), [])
        self.assertEqual(self.client.get("/healthz").json()["worker"], "ok")

    def test_healthz_answers_in_a_fixed_number_of_queries(self):
        self.age(3)
        # SELECT 1, migrations applied, the country loaded, a recent worker beat, ready tasks counted.
        with self.assertNumQueries(5):
            self.client.get("/healthz")

    def test_db_worker_beats_while_it_runs_and_removes_its_beat_when_it_stops(self):
        self.age(3)
        WorkerBeat.objects.create(worker_id="killed", started_at=timezone.now() - datetime.timedelta(days=3),
                                  beat_at=timezone.now() - datetime.timedelta(days=2))
        seen, real_beat = [], workers.beat

        def beat(worker_id, queues, started_at):
            real_beat(worker_id, queues, started_at)
            seen.append((worker_id, workers.worker_running()))

        # (The worker closes "old" connections each round: inside the test's transaction that
        # would close the test's own connection on PostgreSQL.)
        with (mock.patch.object(tasks_db_worker.Worker, "configure_signals"),
              mock.patch.object(tasks_db_worker, "close_old_connections"),
              mock.patch.object(workers, "beat", side_effect=beat)):
            call_command("db_worker", "--batch", "--no-reload", "--no-startup-delay", "--interval", "0",
                         "--worker-id", "test-worker", "--queue-name", "*", verbosity=0)
        self.assertEqual(seen, [("test-worker", True)])
        self.job.refresh_from_db()
        self.assertEqual(self.job.state, ImportJob.State.DONE)  # the worker ran the queued job
        self.assertFalse(WorkerBeat.objects.exists())  # its own row gone, and the one killed two days ago


class HeartbeatTests(SimpleTestCase):
    def test_it_beats_until_stopped_and_survives_a_missed_beat(self):
        beats = []

        def beat():
            beats.append(1)
            if len(beats) == 1:
                raise OperationalError("database is locked")  # SQLite busy: try again next time

        heart = workers.Heartbeat(beat, 0.01, name="test-heartbeat")
        with self.assertLogs("htxnu.core.workers", "WARNING"):
            heart.start()
            for _ in range(1000):  # at most ~10 s, not a timing assertion
                if len(beats) >= 3:
                    break
                time.sleep(0.01)
        self.assertGreaterEqual(len(beats), 3)
        heart.stop()
        self.assertFalse(heart.is_alive())
        stopped_at = len(beats)
        time.sleep(0.05)
        self.assertEqual(len(beats), stopped_at)
