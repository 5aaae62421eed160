"""Is a background worker running? A job queued while none runs waits for ever, and
the officer watching its page would wait with it (issue #16): say so instead.

Every `manage.py db_worker` (this app's, which wraps django_tasks_db's) writes a
WorkerBeat row when it starts and every BEAT_SECONDS from a thread of its own, so a
worker busy with a long import still beats; it deletes its row when it stops. A worker
counts as running while its last beat is younger than GONE_AFTER (minutes, not
seconds: on SQLite a long import holds the write lock and a beat may wait for it).

A job is waiting without a worker when the queue is the database one (the immediate
backend of tests and scripts runs work inline), it has waited longer than
QUEUED_GRACE, and no worker runs. Its page says so ("Hệ thống xử lý nền chưa chạy…")
and keeps polling: the job runs as soon as a worker starts. `manage.py check` warns
(core.W001) and /healthz reports the worker and the jobs waiting."""

import datetime
import logging
import threading
from collections.abc import Callable

from django.conf import settings
from django.db import DatabaseError, connection
from django.utils import timezone

from .models import WorkerBeat

logger = logging.getLogger(__name__)
BEAT_SECONDS = 30
GONE_AFTER = datetime.timedelta(minutes=5)
QUEUED_GRACE = datetime.timedelta(minutes=1)
DATABASE_BACKEND = "django_tasks_db.DatabaseBackend"


class Heartbeat(threading.Thread):
    """Calls `beat()` every `seconds` from a thread of its own until stopped, so that a
    process busy with one long step still says it is alive (the worker here, a registry
    import's job in registry.tasks). A beat that fails (SQLite busy with the work's own
    writing) is logged and tried again next time."""

    def __init__(self, beat: Callable[[], None], seconds: float, name: str):
        super().__init__(daemon=True, name=name)
        self.beat, self.seconds = beat, seconds
        self.stopped = threading.Event()

    def beat_once(self) -> None:
        try:
            self.beat()
        except Exception:
            logger.warning("%s: a heartbeat was missed", self.name, exc_info=True)

    def run(self):
        try:
            while not self.stopped.wait(self.seconds):
                self.beat_once()
        finally:
            connection.close()  # this thread's own connection

    def stop(self) -> None:
        self.stopped.set()
        self.join(self.seconds)


def uses_worker() -> bool:
    """Whether queued work needs a worker process (the database queue), not run inline."""
    return settings.TASKS["default"]["BACKEND"] == DATABASE_BACKEND


def beat(worker_id: str, queues: str, started_at: datetime.datetime) -> None:
    now = timezone.now()
    WorkerBeat.objects.update_or_create(worker_id=worker_id,
                                        defaults={"queues": queues[:200], "started_at": started_at, "beat_at": now})


def stopped(worker_id: str) -> None:
    WorkerBeat.objects.filter(worker_id=worker_id).delete()


def forget_gone(now: datetime.datetime | None = None) -> None:
    """Drop the rows of workers killed without stopping (their last beat a day old)."""
    WorkerBeat.objects.filter(beat_at__lt=(now or timezone.now()) - datetime.timedelta(days=1)).delete()


def worker_running(now: datetime.datetime | None = None) -> bool:
    return WorkerBeat.objects.filter(beat_at__gte=(now or timezone.now()) - GONE_AFTER).exists()


def waiting_without_worker(queued_at: datetime.datetime, now: datetime.datetime | None = None) -> bool:
    """Whether a job queued at `queued_at`, not started yet, waits for a worker that is
    not running."""
    now = now or timezone.now()
    return uses_worker() and now - queued_at > QUEUED_GRACE and not worker_running(now)


def jobs_waiting(now: datetime.datetime | None = None) -> int:
    """Tasks ready to run for longer than QUEUED_GRACE (what no worker has picked up)."""
    from django_tasks_db.models import DBTaskResult

    now = now or timezone.now()
    return DBTaskResult.objects.ready().filter(enqueued_at__lt=now - QUEUED_GRACE).count()


def state(now: datetime.datetime | None = None) -> dict:
    """For /healthz and `check`: {"worker": "ok" | "not running" | "inline", "waiting_jobs": n}."""
    if not uses_worker():
        return {"worker": "inline"}
    now = now or timezone.now()
    try:
        return {"worker": "ok" if worker_running(now) else "not running", "waiting_jobs": jobs_waiting(now)}
    except DatabaseError:  # not migrated yet: the other checks say so
        return {}
