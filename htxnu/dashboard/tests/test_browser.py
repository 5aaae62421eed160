"""The dashboard in a phone-sized Chromium, as the central Union, a province and a
commune use it: the national picture, the switches, drilling down to the cooperatives,
a chart as PNG, the emulation weights."""

import datetime

from htxnu.accounts.models import User
from htxnu.core.tests.browser import BrowserTestCase
from htxnu.geo.models import AdminUnit, Level
from htxnu.plans.demo import NATIONAL_PLAN
from htxnu.plans.services import plan_create_from_extraction
from htxnu.plans.tests.helpers import make_plan, target
from htxnu.registry.services import refresh_derived
from htxnu.reporting.tests.helpers import consolidated_coop

D = datetime.date


class DashboardBrowserTests(BrowserTestCase):
    reference_data = [*BrowserTestCase.reference_data, "htxnu.reporting.migrations.0002_regular_rounds"]

    def setUp(self):
        super().setUp()
        self.cam_duong = AdminUnit.objects.get(name="Phường Cam Đường", valid_to__isnull=True)
        self.lao_cai = self.cam_duong.parent
        other = AdminUnit.objects.filter(parent=self.lao_cai).exclude(pk=self.cam_duong.pk).order_by("code").first()
        coops = [consolidated_coop(self.cam_duong, jobs=5, on=D(2026, 3, 1), name="HTX Chè Cam Đường"),
                 consolidated_coop(self.cam_duong, jobs=7, on=D(2026, 4, 1), name="HTX Dệt Cam Đường"),
                 consolidated_coop(other, jobs=4, on=D(2026, 5, 1), name="HTX Rau")]
        refresh_derived([c.pk for c in coops])  # the registry list filters on them, as its services keep them
        plan_create_from_extraction(actor=User.objects.get(username="demo_central"), data=NATIONAL_PLAN,
                                    unit=AdminUnit.objects.get(level=Level.COUNTRY))
        make_plan(User.objects.get(username="demo_province"), self.lao_cai, number="12/KH-HPN", date="2026-01-10",
                  phases=((2026, 2030),), targets=[
                      target("coops_consolidated", 2030, ">=", 10),
                      target("coops_consolidated", 2026, ">=", 1, cumulative=False, per_subunit=True)])

    def figure(self, page, code: str) -> str:
        return page.locator(f'tr[data-code="{code}"] a.figure').inner_text().strip()

    def test_central_sees_the_nation_switches_and_drills_down_to_the_cooperatives(self):
        page = self.sign_in("demo_central")
        page.click(".mainnav a[href='/dashboard/']")
        self.assertEqual(self.figure(page, "coops_consolidated"), "3")
        self.assertIn("01/QĐ-TTg", page.content())
        self.assertIn("gồm cả số liệu chưa phê duyệt", page.locator("#shown").inner_text())
        # Nothing is approved yet: the switch says so and shows nothing.
        page.check("input[name=mode][value=approved]")
        page.wait_for_url("**mode=approved**")
        self.assertIn("chưa có báo cáo nào được phê duyệt", page.locator("#shown").inner_text())
        page.check("input[name=mode][value=drafts]")
        page.wait_for_url("**mode=drafts**")
        # Drill down: the provinces (only Lào Cai is loaded here), then its communes, then the cooperatives.
        page.click('tr[data-code="coops_consolidated"] a.figure')
        page.click("#units a:text('Tỉnh Lào Cai')")
        row = page.locator("#units tbody tr").first
        self.assertEqual(row.locator("td").nth(0).inner_text(), "Phường Cam Đường")
        self.assertEqual(row.locator("td").nth(2).inner_text(), "2")
        with page.expect_download() as caught:
            page.click("figure.chart button[data-png]")
        download = caught.value
        self.assertTrue(download.suggested_filename.endswith(".png"))
        with open(download.path(), "rb") as png:
            self.assertEqual(png.read(8), b"\x89PNG\r\n\x1a\n")
        row.locator("td").nth(2).locator("a").click()
        page.wait_for_url("**/registry/**")
        self.assertIn("HTX Chè Cam Đường", page.content())
        self.assertIn("HTX Dệt Cam Đường", page.content())

    def test_a_province_officer_sets_the_emulation_weights(self):
        page = self.sign_in("demo_province")
        page.goto(f"{self.live_server_url}/dashboard/")
        self.assertIn("12/KH-HPN", page.content())
        page.click(".subnav a:text('Xếp hạng thi đua')")
        page.fill("input[name=w-coops_consolidated]", "60")
        page.fill("input[name=w-jobs_total_women]", "40")
        for name in ("groups_consolidated", "coops_new", "groups_new", "jobs_new_women", "training_classes",
                     "managers_trained_pct"):
            page.fill(f"input[name=w-{name}]", "0")
        page.click("button:text('Lưu trọng số')")
        page.get_by_text("Đã lưu trọng số thi đua.").wait_for()
        first = page.locator("#ranking tbody tr").first
        self.assertEqual(first.locator("td").nth(1).inner_text(), "Phường Cam Đường")
        self.assertIn("×60", page.locator("#ranking thead").inner_text())
        page.click(".subnav a:text('Bản đồ')")
        self.assertGreater(page.locator("figure.chart svg circle").count(), 90)

    def test_a_commune_officer_sees_her_commune_against_the_province_s_target(self):
        page = self.sign_in("demo_commune")
        page.click(".tiles a[href='/dashboard/']")
        self.assertEqual(self.figure(page, "coops_consolidated"), "2")
        status = page.locator('tr[data-code="coops_consolidated"] .status').inner_text()
        self.assertEqual(status, "đúng tiến độ")  # Lào Cai asks each commune for at least 1 in 2026
        page.click(".subnav a:text('Xu hướng')")
        self.assertGreater(page.locator("section[id^=trend-] svg").count(), 0)

    def test_the_map_names_its_points_has_a_legend_and_a_table_and_fits_a_phone(self):
        page = self.sign_in("demo_central")
        page.goto(f"{self.live_server_url}/dashboard/map/?indicator=coops_consolidated")
        svg = page.locator("figure.map svg")
        self.assertEqual(svg.get_attribute("role"), "img")
        self.assertIn("HTX được củng cố", svg.get_attribute("aria-label"))
        self.assertEqual(svg.locator("text").all_text_contents(), ["Lào Cai"])  # the one province loaded, by name
        self.assertIn("Tỉnh Lào Cai: 3", svg.locator("circle title").first.text_content())
        legend = page.locator("figure.map figcaption")
        for words in ("đúng tiến độ", "chậm tiến độ", "chưa có chỉ tiêu", "Điểm càng lớn, số liệu càng lớn."):
            self.assertIn(words, legend.inner_text())
        self.assertEqual(page.locator("table.wide tbody tr td a").first.inner_text(), "Tỉnh Lào Cai")
        # 390 px: the map scales to the screen, nothing wider than it.
        self.assertLessEqual(svg.evaluate("e => e.getBoundingClientRect().right"), 390)
        self.assertLessEqual(page.evaluate("document.documentElement.scrollWidth"), 390)
        # A province's ~100 communes: points without names (they would cover each other), all in the table.
        page.click("figure.map svg a")
        page.wait_for_url("**/dashboard/?**")
        page.goto(page.url.replace("/dashboard/?", "/dashboard/map/?"))
        self.assertEqual(page.locator("figure.map svg text").count(), 0)
        self.assertEqual(page.locator("figure.map svg circle").count(), page.locator("table.wide tbody tr").count())
        self.assertLessEqual(page.evaluate("document.documentElement.scrollWidth"), 390)
