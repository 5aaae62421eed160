from django.core.exceptions import ValidationError
from django.db import OperationalError, connection
from django.test import SimpleTestCase, TestCase

from htxnu.core.db import retry_on_conflict, update_statistics
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


class _Deadlock(Exception):
    sqlstate = "40P01"  # as psycopg reports it


def _failing(times: int, sqlstate_error=_Deadlock):
    calls = []

    @retry_on_conflict
    def write():
        calls.append(1)
        if len(calls) <= times:
            raise OperationalError("deadlock detected") from sqlstate_error()
        return "saved"

    return write, calls


class RetryTests(SimpleTestCase):
    def test_a_deadlock_victim_is_run_again_once_and_succeeds(self):
        write, calls = _failing(1)
        self.assertEqual(write(), "saved")
        self.assertEqual(len(calls), 2)

    def test_a_second_deadlock_becomes_a_message_not_a_500(self):
        write, calls = _failing(2)
        with self.assertRaises(ValidationError) as raised:
            write()
        self.assertEqual(len(calls), 2)
        self.assertIn("Không có gì bị thay đổi", raised.exception.messages[0])

    def test_other_database_errors_are_not_retried(self):
        class Other(Exception):
            sqlstate = "23505"

        write, calls = _failing(1, Other)
        with self.assertRaises(OperationalError):
            write()
        self.assertEqual(len(calls), 1)
