from .browser import BrowserTestCase


class SmokeBrowserTests(BrowserTestCase):
    def test_a_commune_officer_signs_in_and_sees_her_unit(self):
        page = self.sign_in("demo_commune")
        self.assertEqual(page.locator("h1").first.inner_text().strip(), "Phường Cam Đường")
        self.assertIn("Lào Cai", page.locator(".crumbs").inner_text())
        self.assertEqual(page.locator("html").get_attribute("lang"), "vi")

    def test_a_wrong_password_keeps_her_out_with_a_vietnamese_message(self):
        page = self.sign_in("demo_commune", "sai-mat-khau")
        self.assertIn("mật khẩu chính xác", page.locator(".errorlist").inner_text())
        self.assertIn("/accounts/login/", page.url)

    def test_a_province_officer_finds_a_commune_with_the_picker_and_works_on_it(self):
        page = self.sign_in("demo_province")
        page.fill("#unit-q", "cam duong")
        button = page.locator("#picker-results button", has_text="Phường Cam Đường")
        button.wait_for()
        with page.expect_navigation():
            button.click()

        self.assertEqual(page.locator("h1").first.inner_text().strip(), "Phường Cam Đường")
        self.assertIn("Phường Cam Đường", page.locator(".unit-pill").inner_text())

    def test_the_interface_switches_to_english(self):
        page = self.sign_in("demo_commune")
        with page.expect_navigation():
            page.select_option("#language", "en")
        self.assertIn("Home", page.locator(".mainnav").inner_text())
