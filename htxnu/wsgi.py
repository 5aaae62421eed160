import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "htxnu.settings")
application = get_wsgi_application()


def _refuse_a_missing_sqlite_file() -> None:
    # The first request would otherwise create the file empty and every page would fail.
    from django.core.exceptions import ImproperlyConfigured
    from django.db import connection

    from htxnu.core.health import sqlite_file_missing

    missing = sqlite_file_missing(connection.settings_dict)
    if missing is not None:
        raise ImproperlyConfigured(
            f"The SQLite database {missing} does not exist. Run `manage.py migrate` and "
            "`manage.py load_units` (or `make setup`), or set DATABASE_URL."
        )


_refuse_a_missing_sqlite_file()
