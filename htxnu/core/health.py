"""What /healthz checks: a load balancer must not send users to a process whose database
is missing, empty or behind the code.

- SQLite: the file exists. Opening a missing file would create it empty, so the check
  looks before it connects.
- The database answers.
- Every migration the code ships is recorded as applied. The expected leaves of the
  migration graph are read from disk once per process; each probe is one indexed query.
- The administrative units are loaded (`manage.py load_units`): without them no page works.
"""

import functools
from pathlib import Path

from django.db import DatabaseError, connection
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.db.models import Q

from htxnu.geo.models import AdminUnit, Level


def sqlite_file_missing(settings_dict: dict) -> Path | None:
    """The SQLite file that does not exist, else None (in-memory and other databases: None)."""
    if settings_dict["ENGINE"] != "django.db.backends.sqlite3":
        return None
    name = str(settings_dict["NAME"] or "")
    if not name or name == ":memory:" or name.startswith("file:") or "mode=memory" in name:
        return None
    path = Path(name)
    return None if path.exists() else path


@functools.cache
def expected_migrations() -> frozenset[tuple[str, str]]:
    # load=True reads the migration files only; it does not touch the database.
    return frozenset(MigrationLoader(None, ignore_no_migrations=True).graph.leaf_nodes())


def problem() -> tuple[str, str] | None:
    """(check, problem) for the first check that fails, else None."""
    if sqlite_file_missing(connection.settings_dict):
        return "database", "missing"
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return "database", "unreachable"
    expected = expected_migrations()
    try:
        recorded = MigrationRecorder(connection).migration_qs
        matches = Q()
        for app, name in expected:
            matches |= Q(app=app, name=name)
        if recorded.filter(matches).count() < len(expected):
            return "migrations", "not applied"
        if not AdminUnit.objects.filter(level=Level.COUNTRY).exists():
            return "units", "not loaded"
    except DatabaseError:  # tables missing: the database was never migrated
        return "migrations", "not applied"
    return None
