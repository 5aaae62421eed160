import os
import subprocess
import sys
import tempfile
from pathlib import Path
from unittest import mock

from django.conf import settings
from django.core.cache import cache
from django.db import OperationalError, connection
from django.test import Client, SimpleTestCase, TestCase
from django.urls import reverse

from htxnu.core.units import SESSION_KEY
from htxnu.geo.models import AdminUnit

from .base import HtxTestCase


class HealthzTests(TestCase):
    def test_it_answers_200_with_the_database_migrated_and_the_units_loaded(self):
        response = self.client.get("/healthz")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json(), {"status": "ok", "database": "ok", "migrations": "ok", "units": "ok",
                                           "worker": "not running", "waiting_jobs": 0})

    def test_it_answers_503_when_the_database_is_not_reachable(self):
        with mock.patch("htxnu.core.health.connection.cursor", side_effect=OperationalError("down")):
            response = self.client.get("/healthz")
        self.assertEqual(response.status_code, 503)
        self.assertEqual(response.json()["database"], "unreachable")

    def test_it_answers_503_when_a_migration_is_not_applied(self):
        with connection.cursor() as cursor:  # rolled back with the test
            cursor.execute("DELETE FROM django_migrations WHERE app = 'reporting'")
        response = self.client.get("/healthz")
        self.assertEqual(response.status_code, 503)
        self.assertEqual(response.json(), {"status": "error", "migrations": "not applied"})

    def test_it_answers_503_when_the_units_are_not_loaded(self):
        self.assertEqual(self.client.get("/healthz").status_code, 200)
        # A database migrated but never given `load_units`: no country, no units.
        with mock.patch.object(AdminUnit.objects, "filter", return_value=AdminUnit.objects.none()):
            response = self.client.get("/healthz")
        self.assertEqual(response.status_code, 503)
        self.assertEqual(response.json(), {"status": "error", "units": "not loaded"})

    def test_a_missing_sqlite_file_answers_503_and_is_not_created(self):
        with tempfile.TemporaryDirectory() as folder:
            missing = Path(folder) / "db.sqlite3"
            gone = {"ENGINE": "django.db.backends.sqlite3", "NAME": str(missing)}
            with mock.patch.dict(connection.settings_dict, gone):
                response = self.client.get("/healthz")
            self.assertEqual(response.status_code, 503)
            self.assertEqual(response.json(), {"status": "error", "database": "missing"})
            self.assertFalse(missing.exists())

    def test_the_web_server_refuses_to_start_on_a_missing_sqlite_file(self):
        with tempfile.TemporaryDirectory() as folder:
            missing = Path(folder) / "db.sqlite3"
            env = {**os.environ, "DATABASE_URL": f"sqlite:///{missing}", "DJANGO_SETTINGS_MODULE": "htxnu.settings"}
            result = subprocess.run([sys.executable, "-c", "import htxnu.wsgi"], env=env, cwd=settings.BASE_DIR,
                                    capture_output=True, text=True)
            self.assertNotEqual(result.returncode, 0)
            self.assertIn(f"The SQLite database {missing} does not exist", result.stderr)
            self.assertFalse(missing.exists())

    def test_it_needs_no_sign_in_and_refuses_post(self):
        self.assertEqual(self.client.post("/healthz").status_code, 405)


class HomeTests(HtxTestCase):
    def test_anonymous_visitors_get_the_public_portal_with_a_way_to_sign_in(self):
        cache.clear()  # the portal caches visitors' pages
        response = self.client.get("/")
        self.assertEqual(response.status_code, 200)
        self.assertTemplateUsed(response, "portal/home.html")
        self.assertContains(response, reverse("accounts:login"))

    def test_it_shows_the_users_unit_and_its_place_in_the_hierarchy(self):
        self.client.force_login(self.commune)
        response = self.client.get("/")
        self.assertContains(response, "<h1>Phường Cam Đường")
        self.assertContains(response, "Việt Nam")
        self.assertContains(response, "Lào Cai")
        self.assertContains(response, 'href="/registry/"')

    def test_a_province_officer_sees_the_communes_below(self):
        self.client.force_login(self.province)
        response = self.client.get("/")
        self.assertContains(response, "99 đơn vị trực thuộc")
        self.assertContains(response, "Phường Cam Đường")

    def test_the_page_is_vietnamese_by_default_and_english_on_request(self):
        self.client.force_login(self.commune)
        self.assertContains(self.client.get("/"), "Trang chủ")
        self.client.post(reverse("set_language"), {"language": "en", "next": "/"})
        response = self.client.get("/")
        self.assertContains(response, "Home")
        self.assertNotContains(response, "Trang chủ")

    def test_an_english_browser_still_gets_vietnamese_until_the_user_switches(self):
        self.client.force_login(self.commune)
        response = self.client.get("/", headers={"accept-language": "en-US,en;q=0.9"})
        self.assertContains(response, "Trang chủ")
        self.assertEqual(response["Content-Language"], "vi")

    def test_home_links_to_the_dashboard(self):
        self.client.force_login(self.commune)
        self.assertContains(self.client.get("/"), f'href="{reverse("dashboard:index")}"', count=2)  # nav and tile


class UnitPageTests(HtxTestCase):
    def test_in_scope_unit_page_shows_its_predecessors(self):
        self.client.force_login(self.commune)
        response = self.client.get(reverse("units:unit", args=[self.cam_duong.pk]))
        self.assertContains(response, "Phường Pom Hán")
        self.assertContains(response, "Hội LHPN phường Cam Đường")

    def test_out_of_scope_unit_page_is_404(self):
        self.client.force_login(self.sibling)
        self.assertEqual(self.client.get(reverse("units:unit", args=[self.cam_duong.pk])).status_code, 404)

    def test_an_old_unit_says_what_it_became(self):
        yen_bai = AdminUnit.objects.get(level="province", short_name="Yên Bái")
        self.client.force_login(self.province)
        response = self.client.get(reverse("units:unit", args=[yen_bai.pk]))
        self.assertContains(response, "trước 1/7/2025")
        self.assertContains(response, "Tỉnh Lào Cai")

    def test_wrong_method_is_405(self):
        self.client.force_login(self.commune)
        self.assertEqual(self.client.post(reverse("units:unit", args=[self.cam_duong.pk])).status_code, 405)


class UnitPickerTests(HtxTestCase):
    def test_search_ignores_diacritics_and_stays_in_scope(self):
        self.client.force_login(self.province)
        response = self.client.get(reverse("units:picker"), {"q": "cam duong"}, headers={"HX-Request": "true"})
        self.assertContains(response, "Phường Cam Đường")
        self.assertNotContains(response, "<html")
        self.client.force_login(self.sibling)
        response = self.client.get(reverse("units:picker"), {"q": "cam duong"}, headers={"HX-Request": "true"})
        self.assertNotContains(response, "Phường Cam Đường")
        self.assertContains(response, "Không có đơn vị nào")

    def test_without_htmx_it_is_a_whole_page(self):
        self.client.force_login(self.province)
        response = self.client.get(reverse("units:picker"), {"q": "02674"})
        self.assertContains(response, "<html")
        self.assertContains(response, "Phường Cam Đường")

    def test_picking_a_unit_makes_it_the_active_one(self):
        self.client.force_login(self.province)
        response = self.client.post(reverse("units:pick"), {"unit": self.cam_duong.pk, "next": "/"})
        self.assertRedirects(response, "/")
        self.assertEqual(self.client.session[SESSION_KEY], self.cam_duong.pk)
        self.assertContains(self.client.get("/"), "<h1>Phường Cam Đường")

    def test_picking_an_out_of_scope_unit_is_404_and_changes_nothing(self):
        self.client.force_login(self.sibling)
        response = self.client.post(reverse("units:pick"), {"unit": self.cam_duong.pk})
        self.assertEqual(response.status_code, 404)
        self.assertNotIn(SESSION_KEY, self.client.session)

    def test_picking_needs_csrf(self):
        client = Client(enforce_csrf_checks=True)
        client.force_login(self.province)
        self.assertEqual(client.post(reverse("units:pick"), {"unit": self.cam_duong.pk}).status_code, 403)

    def test_an_external_next_url_is_ignored(self):
        self.client.force_login(self.province)
        response = self.client.post(reverse("units:pick"), {"unit": self.cam_duong.pk, "next": "https://evil.example/"})
        self.assertRedirects(response, "/")


class NumberTextTests(SimpleTestCase):
    def test_rates_are_rounded_half_up_not_cut(self):
        from decimal import Decimal

        from django.utils import translation

        from htxnu.core.templatetags.htx import number_text

        with translation.override("vi"):
            self.assertEqual(number_text(Decimal(100) / 34, True), "2,9%")  # 2,941…
            self.assertEqual(number_text(Decimal(8400) / 99, True), "84,8%")  # 84,848…
            self.assertEqual(number_text(Decimal("2.96"), True), "3%")  # was 2,9%
            self.assertEqual(number_text(Decimal("0.96")), "1")  # was 0,9
            self.assertEqual(number_text(Decimal("1234.56")), "1.234,6")
