"""django_tasks_db's `db_worker`, beating while it runs so that the pages of queued
jobs, `manage.py check` and /healthz can tell when no worker runs (core.workers).
htxnu.core comes before django_tasks_db in INSTALLED_APPS so this command is the one
`manage.py db_worker` runs; its options are django_tasks_db's."""

import os

from django.utils import timezone
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV
from django_tasks_db.management.commands import db_worker

from htxnu.core import workers


class Command(db_worker.Command):
    help = "Run a database background worker that says it is alive (core.workers)"

    def handle(self, *, worker_id: str, reload: bool, batch: bool, **options) -> None:
        # With --reload the parent process only watches files: the child runs the tasks and beats.
        watcher = reload and not batch and os.environ.get(DJANGO_AUTORELOAD_ENV) != "true"
        if watcher:
            return super().handle(worker_id=worker_id, reload=reload, batch=batch, **options)
        queues, started_at = options.get("queue_name") or "", timezone.now()
        heart = workers.Heartbeat(lambda: workers.beat(worker_id, queues, started_at), workers.BEAT_SECONDS,
                                  name=f"worker-{worker_id}-heartbeat")
        workers.forget_gone()
        heart.beat_once()  # at once: a job queued a minute ago starts now, its page must not say otherwise
        heart.start()
        try:
            return super().handle(worker_id=worker_id, reload=reload, batch=batch, **options)
        finally:
            heart.stop()
            workers.stopped(worker_id)
