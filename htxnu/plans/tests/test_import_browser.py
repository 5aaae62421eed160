from pathlib import Path

from django.conf import settings
from django.test import override_settings

from htxnu.core.tests.browser import BrowserTestCase
from htxnu.plans.models import Plan

SEED = Path(settings.BASE_DIR).parent / "shared" / "seeds" / "000_4cb31c63fd5f9db4.txt"


# The reading runs as the upload's transaction commits (a worker does it in production).
@override_settings(MEDIA_ROOT="/tmp/htxnu-test-media",
                   TASKS={"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}})
class PlanImportBrowserTests(BrowserTestCase):
    def test_a_province_officer_uploads_a_plan_checks_it_and_saves_it(self):
        if not SEED.is_file():
            self.skipTest("../shared/seeds is not beside the project")
        page = self.sign_in("demo_province")
        page.goto(f"{self.live_server_url}/plans/")
        page.click("text=Nhập kế hoạch từ văn bản")
        page.set_input_files("input[type=file]", str(SEED))
        with page.expect_navigation():
            page.click("button:has-text('Đọc văn bản')")
        self.assertEqual(page.locator("#doc-number").input_value(), "294/KH-UBND")
        self.assertIn("ít nhất 13 hợp tác xã", page.locator(".import-review").inner_text())
        self.assertFalse(Plan.objects.filter(number="294/KH-UBND").exists())
        with page.expect_navigation():
            page.click("button:has-text('Lưu thành kế hoạch')")
        self.assertIn("294/KH-UBND", page.locator("h1").first.inner_text())
        plan = Plan.objects.get(number="294/KH-UBND")
        self.assertGreaterEqual(plan.targets.count(), 15)
        self.assertEqual(plan.unit.code, "10")  # old Lào Cai, the unit of its time
