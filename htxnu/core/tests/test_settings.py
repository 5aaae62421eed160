import io
import json
import os
import subprocess
import sys
import unittest
import uuid

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import SimpleTestCase, TestCase, override_settings

from htxnu.accounts.models import User

READ_SETTINGS = (
    "import json, django; from django.conf import settings as s; django.setup(); "
    "print(json.dumps({k: getattr(s, k, None) for k in "
    "['SESSION_COOKIE_SECURE', 'CSRF_COOKIE_SECURE', 'SECURE_HSTS_SECONDS', 'SECURE_SSL_REDIRECT', "
    "'DEMO_DATA_ALLOWED', 'X_FRAME_OPTIONS', 'SECURE_CONTENT_TYPE_NOSNIFF']}))"
)


def run_settings(**env):
    clean = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS"}}
    clean.update(env, DJANGO_SETTINGS_MODULE="htxnu.settings")
    return subprocess.run(
        [sys.executable, "-c", READ_SETTINGS], env=clean, cwd=settings.BASE_DIR, capture_output=True, text=True
    )


class ProductionSettingsTests(SimpleTestCase):
    def test_production_refuses_to_start_without_a_secret_key(self):
        result = run_settings(DEBUG="0", ALLOWED_HOSTS="htxnu.vn")
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("SECRET_KEY must be set", result.stderr)

    def test_production_refuses_a_malformed_boolean(self):
        result = run_settings(DEBUG="maybe")
        self.assertIn("DEBUG must be a boolean", result.stderr)

    def test_production_turns_on_secure_cookies_and_headers_and_off_demo_data(self):
        result = run_settings(DEBUG="0", SECRET_KEY="x" * 50, ALLOWED_HOSTS="htxnu.vn")
        self.assertEqual(result.returncode, 0, result.stderr)
        values = json.loads(result.stdout)
        self.assertEqual(values["SESSION_COOKIE_SECURE"], True)
        self.assertEqual(values["CSRF_COOKIE_SECURE"], True)
        self.assertEqual(values["SECURE_SSL_REDIRECT"], True)
        self.assertGreater(values["SECURE_HSTS_SECONDS"], 0)
        self.assertEqual(values["DEMO_DATA_ALLOWED"], False)
        self.assertEqual(values["X_FRAME_OPTIONS"], "DENY")


class DeployCheckTests(SimpleTestCase):
    def test_check_deploy_is_clean_for_production_behind_the_tls_proxy(self):
        env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS"}}
        env.update(DEBUG="0", SECRET_KEY="k" * 50 + "-not-a-real-secret", ALLOWED_HOSTS="htxnu.vn",
                   BEHIND_TLS_PROXY="1", DJANGO_SETTINGS_MODULE="htxnu.settings")
        result = subprocess.run([sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
                                env=env, cwd=settings.BASE_DIR, capture_output=True, text=True)
        self.assertEqual(result.returncode, 0, result.stderr)


class DemoDataTests(TestCase):
    def test_it_creates_the_four_demo_accounts_once(self):
        call_command("demo_data", stdout=io.StringIO())
        call_command("demo_data", stdout=io.StringIO())
        accounts = User.objects.filter(username__startswith="demo_").select_related("organisation__unit")
        self.assertEqual(
            {u.username: u.organisation.unit.name for u in accounts},
            {
                "demo_central": "Việt Nam",
                "demo_province": "Tỉnh Lào Cai",
                "demo_commune": "Phường Cam Đường",
                "demo_partner": "Tỉnh Lào Cai",
            },
        )
        self.assertTrue(all(u.check_password("htxnu-demo") for u in accounts))
        self.assertEqual(User.objects.get(username="demo_partner").organisation.kind, "partner")

    @override_settings(DEMO_DATA_ALLOWED=False)
    def test_it_refuses_where_demo_data_is_not_allowed(self):
        with self.assertRaises(CommandError):
            call_command("demo_data")
        self.assertFalse(User.objects.filter(username__startswith="demo_").exists())


CACHE_SCRIPT = (
    "import sys, django; from django.conf import settings as s; django.setup(); "
    "from django.core.cache import cache; "
    "print(s.CACHES['default']['BACKEND']); "
    "key = sys.argv[1] if len(sys.argv) > 1 else None; value = sys.argv[2] if len(sys.argv) > 2 else None; "
    "(cache.set(key, value, 60) if value else None); print(cache.get(key) if key else '')"
)


def run_cache(env: dict, *args: str):
    clean = {k: v for k, v in os.environ.items() if k not in {"CACHE_URL", "REDIS_URL"}}
    clean.update(env, DJANGO_SETTINGS_MODULE="htxnu.settings")
    return subprocess.run([sys.executable, "-c", CACHE_SCRIPT, *args], env=clean, cwd=settings.BASE_DIR,
                          capture_output=True, text=True)


def redis_reachable(host="127.0.0.1", port=6379) -> bool:
    import socket

    try:
        with socket.create_connection((host, port), timeout=0.5):
            return True
    except OSError:
        return False


class SharedCacheTests(TestCase):
    def test_without_a_cache_url_the_cache_is_a_table_every_process_of_the_database_reads(self):
        from django.core.cache import cache
        from django.db import connection

        self.assertEqual(settings.CACHES["default"]["BACKEND"], "django.core.cache.backends.db.DatabaseCache")
        cache.set("shared-check", "một giá trị", 60)
        with connection.cursor() as cursor:  # in the database, not in this process's memory
            cursor.execute("SELECT COUNT(*) FROM htxnu_cache WHERE cache_key LIKE %s", ["%shared-check"])
            self.assertEqual(cursor.fetchone()[0], 1)
        self.assertEqual(cache.get("shared-check"), "một giá trị")

    def test_a_cache_url_that_is_not_redis_stops_the_start_naming_the_variable(self):
        result = run_cache({"CACHE_URL": "memcached://127.0.0.1:11211"})
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("CACHE_URL (or REDIS_URL) must be a redis://", result.stderr)

    @unittest.skipUnless(redis_reachable(), "no Redis at 127.0.0.1:6379")
    def test_redis_url_selects_redis_and_two_processes_see_the_same_value(self):
        key, value = f"htxnu-test-{uuid.uuid4().hex}", "giá trị chung"
        env = {"REDIS_URL": "redis://127.0.0.1:6379/15"}
        writer = run_cache(env, key, value)
        self.assertEqual(writer.returncode, 0, writer.stderr)
        self.assertEqual(writer.stdout.splitlines()[0], "django.core.cache.backends.redis.RedisCache")
        reader = run_cache(env, key)  # another process, another connection
        self.assertEqual(reader.returncode, 0, reader.stderr)
        self.assertEqual(reader.stdout.splitlines(), ["django.core.cache.backends.redis.RedisCache", value])
        # CACHE_URL is the same setting under its other name.
        other = run_cache({"CACHE_URL": "redis://127.0.0.1:6379/15"}, key)
        self.assertEqual(other.stdout.splitlines()[1], value)
