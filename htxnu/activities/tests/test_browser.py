import datetime

from htxnu.accounts.models import User
from htxnu.core.tests.base import unit
from htxnu.core.tests.browser import BrowserTestCase
from htxnu.registry import services as registry
from htxnu.registry.models import CollectiveType, Gender, Position


class LogTrainingBrowserTests(BrowserTestCase):
    def setUp(self):
        super().setUp()
        central = User.objects.get(username="demo_central")
        coop = registry.collective_create(actor=central, type=CollectiveType.HTX, name="HTX Dệt Thổ Cẩm Sa Pa",
                                          commune=unit("02674"), founded_on=datetime.date(2022, 1, 1))
        registry.manager_add(actor=central, collective=coop, full_name="Giàng Thị Mỷ", gender=Gender.FEMALE,
                             position=Position.DIRECTOR)

    def indicator_text(self, page):
        year = datetime.date.today().year
        page.goto(f"{self.live_server_url}/activities/indicators/managers_trained_pct/"
                  f"?start=01/01/{year}&end=31/12/{year}")
        return page.locator(".card strong").first.inner_text()

    def test_a_province_officer_logs_a_training_with_an_attendee_and_the_indicator_moves(self):
        page = self.sign_in("demo_province")
        self.assertEqual(self.indicator_text(page), "0% = 0 / 1")
        page.goto(f"{self.live_server_url}/events/new/")
        page.fill("#id_title", "Tập huấn quản trị cho nữ quản lý HTX")
        page.fill("#id_date", datetime.date.today().strftime("%d/%m/%Y"))
        page.select_option("#id_unit", label="Phường Cam Đường")
        page.check("#id_topic_governance")
        page.fill("#id_participants_members", "6")
        page.fill("#attendee-q", "Giàng")
        pick = page.locator("#attendee-results button", has_text="Giàng Thị Mỷ")
        pick.wait_for()
        pick.click()
        self.assertEqual(page.locator("#picked input[name=manager_ids]").count(), 1)
        with page.expect_navigation():
            page.click("form.stack button[type=submit]")
        self.assertIn("Giàng Thị Mỷ", page.locator("main").inner_text())
        self.assertEqual(self.indicator_text(page), "100% = 1 / 1")

    def test_a_spending_dated_in_another_year_is_refused_beside_the_date_with_the_figures_kept(self):
        page = self.sign_in("demo_province")
        page.goto(f"{self.live_server_url}/funding/new/")
        page.select_option("#id_kind", "spending")
        page.fill("#id_year", "2025")
        page.fill("#id_amount", "12500000")
        page.fill("#id_date", "10/05/2024")
        with page.expect_navigation():
            page.click("form.stack button[type=submit]")
        field = page.locator(".field", has=page.locator("#id_date"))
        self.assertIn("không thuộc năm 2025", field.inner_text())
        self.assertEqual(page.input_value("#id_amount"), "12500000")
        self.assertEqual(page.input_value("#id_date"), "10/05/2024")
