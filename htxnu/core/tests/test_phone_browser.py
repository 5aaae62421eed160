"""Every main page on a 390 px phone: nothing wider than the screen except inside a
marked scroll area (.table-wrap, which says so), and every top tab reachable."""

import datetime

from htxnu.accounts.models import User
from htxnu.core.tests.base import unit

from .browser import BrowserTestCase

# The widest element outside a marked scroll area, if any is wider than the screen.
WIDEST_OUTSIDE = """() => {
  const width = document.documentElement.clientWidth;
  const found = [];
  for (const el of document.querySelectorAll('body *')) {
    if (el.closest('.table-wrap, figure.chart')) continue;
    const box = el.getBoundingClientRect();
    if (box.width > 0 && (box.right > width + 1 || box.left < -1)) {
      const name = el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
        + (el.className ? '.' + String(el.className).split(' ').join('.') : '');
      found.push(name + ' ' + Math.round(box.right));
    }
  }
  return found.slice(0, 5);
}"""


class PhoneWidthBrowserTests(BrowserTestCase):
    reference_data = [*BrowserTestCase.reference_data, "htxnu.reporting.migrations.0002_regular_rounds"]

    def test_every_main_page_fits_a_390_px_phone(self):
        from htxnu.registry import services
        from htxnu.registry.models import CollectiveType
        from htxnu.reporting.models import Round

        central = User.objects.get(username="demo_central")
        cam_duong = unit("02674")
        coop = services.collective_create(actor=central, type=CollectiveType.HTX, name="Hợp tác xã Nông nghiệp "
                                          "Dịch vụ Tổng hợp Cam Đường", commune=cam_duong,
                                          founded_on=datetime.date(2022, 1, 1))
        services.workforce_record(actor=central, collective=coop, as_of=datetime.date(2026, 3, 1), members=20,
                                  female_members=15, workers=30, female_workers=25, women_stable_jobs=20,
                                  avg_monthly_income=5_500_000)
        annual = Round.objects.get(kind="annual", year=2026)
        pages = ["/", "/registry/", f"/registry/{coop.pk}/", "/plans/", "/activities/", "/events/",
                 "/activities/support/", "/activities/cadres/", "/funding/", "/reports/",
                 f"/reports/{annual.pk}/{cam_duong.pk}/", "/dashboard/"]
        page = self.sign_in("demo_commune")
        problems = {}
        for path in pages:
            page.goto(f"{self.live_server_url}{path}")
            document_width = page.evaluate("document.documentElement.scrollWidth")
            widest = page.evaluate(WIDEST_OUTSIDE)
            if document_width > 390 or widest:
                problems[path] = (document_width, widest)
        self.assertEqual(problems, {})
        # Every top tab is on the screen (they wrap), none hidden off to the right.
        page.goto(f"{self.live_server_url}/")
        for box in page.locator(".mainnav a").evaluate_all("els => els.map(e => e.getBoundingClientRect().right)"):
            self.assertLessEqual(box, 390)
        # The workforce table scrolls inside its own marked area, and says so.
        page.goto(f"{self.live_server_url}/registry/{coop.pk}/")
        area = page.locator("#workforce .table-wrap")
        self.assertGreater(area.evaluate("e => e.scrollWidth"), area.evaluate("e => e.clientWidth"))
        self.assertTrue(area.get_attribute("aria-label") or area.get_attribute("title"))
