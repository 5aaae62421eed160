import importlib
import tempfile

from django.apps import apps
from django.test import override_settings

from htxnu.core.tests.browser import BrowserTestCase
from htxnu.plans import demo
from htxnu.plans.models import Indicator, Plan


@override_settings(MEDIA_ROOT=tempfile.mkdtemp(prefix="plans-browser-"))
class TargetGridBrowserTests(BrowserTestCase):
    def setUp(self):
        super().setUp()
        # A browser test before this one emptied the database, data migrations included.
        importlib.import_module("htxnu.plans.migrations.0002_indicator_catalogue").load(apps, None)

    def test_a_province_officer_edits_a_target_and_sees_a_consistency_warning_appear(self):
        demo.build()  # the national plan and Lào Cai's 294/KH-UBND (the other seeds' units are not loaded)
        plan = Plan.objects.get(number="294/KH-UBND")
        indicator = Indicator.objects.get(code="coops_consolidated")
        page = self.sign_in("demo_province")

        page.click(".mainnav a[href='/plans/']")
        page.click(f"a[href='/plans/{plan.pk}/']")
        page.click("text=Sửa chỉ tiêu")
        checks = page.locator("#plan-checks")
        self.assertNotIn("số liệu nền", checks.inner_text())

        cell = page.locator(f"input[name='cell-{indicator.pk}-2025-c-u']")
        self.assertEqual(cell.input_value(), "≥ 13")
        cell.fill("ít nhất 10")
        cell.press("Tab")

        checks.get_by_text("thấp hơn số liệu nền").wait_for()
        self.assertIn("Chỉ tiêu đến năm 2025 (≥ 10) thấp hơn số liệu nền: 13", checks.inner_text())
        saved = page.locator(f"input[name='cell-{indicator.pk}-2025-c-u']")
        self.assertEqual(saved.input_value(), "≥ 10")
        self.assertIn("problem", saved.locator("xpath=..").get_attribute("class"))
        self.assertEqual(plan.targets.get(indicator=indicator, year=2025, cumulative=True).display, "≥ 10")

    def test_a_target_that_cannot_be_read_shows_why_in_its_cell_and_keeps_what_was_typed(self):
        demo.build()
        plan = Plan.objects.get(number="294/KH-UBND")
        indicator = Indicator.objects.get(code="coops_consolidated")
        page = self.sign_in("demo_province")
        page.goto(f"{self.live_server_url}/plans/{plan.pk}/targets/")
        name = f"cell-{indicator.pk}-2025-c-u"
        page.fill(f"input[name='{name}']", "nhiều lắm")
        page.press(f"input[name='{name}']", "Tab")
        cell = page.locator(f"#{name}")
        cell.locator(".cell-error").wait_for()
        self.assertTrue(cell.locator(".cell-error").inner_text().strip())
        self.assertEqual(page.input_value(f"input[name='{name}']"), "nhiều lắm")
        self.assertEqual(plan.targets.get(indicator=indicator, year=2025, cumulative=True).display, "≥ 13")
