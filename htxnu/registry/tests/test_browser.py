
import tempfile
from pathlib import Path

from htxnu.core.tests.browser import BrowserTestCase
from htxnu.registry.models import Collective, ImportJob

from .helpers import row, xlsx


class RegistryBrowserTests(BrowserTestCase):
    def test_a_commune_officer_adds_a_cooperative_with_a_woman_director_on_her_phone(self):
        page = self.sign_in("demo_commune")
        page.click("nav.mainnav a[href='/registry/']")
        page.click("text=Thêm HTX, tổ hợp tác")
        page.select_option("#id_type", "htx")
        page.fill("#id_name", "Hợp tác xã Hoa Sen Cam Đường")
        page.fill("#id_founded_on", "15/03/2024")
        page.select_option("#id_sector", "weaving")
        with page.expect_navigation():
            page.click("form.stack button[type=submit]")
        self.assertEqual(page.locator("h1").inner_text().strip(), "Hợp tác xã Hoa Sen Cam Đường")
        self.assertIn("không có nữ giữ vị trí quản lý", page.locator("#eligibility").inner_text())

        page.click("#managers >> text=Thêm người quản lý")  # opens the form in place (htmx)
        page.fill("#id_full_name", "Hoàng Thị Lan")
        page.select_option("#id_gender", "female")
        page.select_option("#id_position", "director")
        page.click("#managers button[type=submit]")
        page.locator("#managers", has_text="Hoàng Thị Lan").wait_for()
        eligibility = page.locator("#eligibility")
        eligibility.filter(has_text="Giám đốc / Tổng giám đốc là nữ").wait_for()
        self.assertIn("Do phụ nữ tham gia quản lý: đạt", eligibility.inner_text())
        # Nothing sticks out of a phone's screen.
        self.assertLessEqual(page.evaluate("document.documentElement.scrollWidth"), 390)
        self.assertTrue(Collective.objects.get(name="Hợp tác xã Hoa Sen Cam Đường").is_women_managed)

    def test_a_date_is_typed_or_picked_and_shows_as_dd_mm_yyyy(self):
        page = self.sign_in("demo_commune")
        page.goto(f"{self.live_server_url}/registry/new/")
        field = page.locator("#id_founded_on")
        self.assertEqual(field.get_attribute("placeholder"), "dd/mm/yyyy")
        self.assertEqual(field.get_attribute("type"), "text")  # the same dd/mm/yyyy on every phone
        button = page.locator(".date-field:has(#id_founded_on) .date-button")
        self.assertTrue(button.is_visible())  # shown by app.js
        self.assertEqual(button.get_attribute("aria-label"), "Chọn ngày")
        native = page.locator(".date-field:has(#id_founded_on) input.date-native")
        field.fill("7/4/2024")
        button.click()  # opens the browser's picker on the day typed
        self.assertEqual(native.input_value(), "2024-04-07")
        page.keyboard.press("Escape")
        # A day picked in the calendar is written back as dd/mm/yyyy.
        native.evaluate("e => { e.value = '2024-03-15'; e.dispatchEvent(new Event('change', {bubbles: true})); }")
        self.assertEqual(field.input_value(), "15/03/2024")
        self.assertIsNone(native.get_attribute("name"))  # only the dd/mm/yyyy field is sent
        box = page.locator(".date-field:has(#id_founded_on)").bounding_box()
        self.assertLessEqual(box["x"] + box["width"], 390)
        self.assertEqual(self.csp_violations(), [])

    def test_she_uploads_an_import_file_and_watches_it_finish(self):
        page = self.sign_in("demo_commune")
        page.goto(f"{self.live_server_url}/registry/import/")
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp, "danh-sach.xlsx")
            path.write_bytes(xlsx([row(name="Hợp tác xã Chè Cam Đường", registration_code="1500012345"),
                                   row(type="THT", name="Tổ hợp tác Thêu", commune="phuong cam duong")]))
            page.set_input_files("#id_file", str(path))
            with page.expect_navigation():
                page.click("text=Tải lên và nhập")
        job = ImportJob.objects.get()
        self.assertIn(f"/registry/import/{job.pk}/", page.url)
        # The page polls; a worker (here run in the test) picks the job up.
        from htxnu.registry.tasks import run_import

        self.assertEqual(run_import.call(job.pk), "done", ImportJob.objects.get().errors)
        page.locator(".job-state", has_text="Đã nhập xong").wait_for()
        self.assertIn("2 dòng: thêm mới 2, cập nhật 0, 0 dòng không thay đổi.",
                      page.locator("#import-status").inner_text())
        self.assertEqual(Collective.objects.filter(commune__name="Phường Cam Đường",
                                                   name__in=["Hợp tác xã Chè Cam Đường", "Tổ hợp tác Thêu"]).count(), 2)



    def test_wrong_workforce_figures_show_the_message_beside_the_field_and_keep_what_was_typed(self):
        import datetime

        from htxnu.accounts.models import User
        from htxnu.core.tests.base import unit
        from htxnu.registry import services
        from htxnu.registry.models import CollectiveType

        coop = services.collective_create(actor=User.objects.get(username="demo_central"), type=CollectiveType.HTX,
                                          name="HTX Rau Sạch Cam Đường", commune=unit("02674"),
                                          founded_on=datetime.date(2022, 1, 1))
        page = self.sign_in("demo_commune")
        page.goto(f"{self.live_server_url}/registry/{coop.pk}/")
        page.click("#workforce a.button")  # opens the form in place (htmx)
        page.fill("#id_as_of", "01/03/2026")
        for field, value in {"members": "20", "female_members": "26", "workers": "30", "female_workers": "20",
                             "women_stable_jobs": "15"}.items():
            page.fill(f"#id_{field}", value)
        page.click("#workforce button[type=submit]")  # answered 422 with the form and its errors

        field = page.locator("#workforce .field", has=page.locator("#id_female_members"))
        field.locator(".errorlist").wait_for()
        self.assertIn("Số thành viên nữ không thể lớn hơn tổng số thành viên.", field.inner_text())
        self.assertEqual(page.input_value("#id_female_members"), "26")
        self.assertEqual(page.input_value("#id_as_of"), "01/03/2026")
        self.assertFalse(coop.workforce.exists())
