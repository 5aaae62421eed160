"""System checks that look at the running system, not only the code.

core.W001: jobs wait in the queue and no background worker runs (core.workers): the
officers who uploaded them wait for ever. `manage.py check` says so on the database
the settings name; it looks only if the database file exists (opening a missing SQLite
file would create it empty) and stays quiet while the database is not migrated."""

from django.core import checks
from django.db import connection

from . import health, workers


@checks.register("tasks")
def worker_for_queued_jobs(app_configs=None, databases=None, **kwargs):
    if health.sqlite_file_missing(connection.settings_dict):
        return []
    state = workers.state()
    waiting = state.get("waiting_jobs", 0)
    if state.get("worker") != "not running" or not waiting:
        return []
    return [checks.Warning(
        f"{waiting} background job(s) have been waiting more than "
        f"{int(workers.QUEUED_GRACE.total_seconds() // 60)} minute(s) and no background worker is running.",
        hint="Start it: `python manage.py db_worker --queue-name '*'` (deploy/htxnu-worker.service in production).",
        id="core.W001",
    )]
