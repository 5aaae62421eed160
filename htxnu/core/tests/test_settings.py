import io
import json
import os
import subprocess
import sys

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
