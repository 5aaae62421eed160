from django.db import connection
from django.test import TestCase

from htxnu.core.db import update_statistics
from htxnu.geo.models import AdminUnit


class StatisticsTests(TestCase):
    def test_the_planner_gets_statistics_of_the_units(self):
        # The real units are loaded by the test runner; ANALYZE records what they hold.
        update_statistics()
        with connection.cursor() as cursor:
            if connection.vendor == "sqlite":
                cursor.execute("SELECT stat FROM sqlite_stat1 WHERE tbl = %s", [AdminUnit._meta.db_table])
            else:
                cursor.execute("SELECT reltuples FROM pg_class WHERE relname = %s", [AdminUnit._meta.db_table])
            rows = cursor.fetchall()
        self.assertTrue(rows)
        if connection.vendor == "postgresql":
            self.assertGreater(rows[0][0], 1000)
