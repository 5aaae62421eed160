"""The path of issue 7 in a phone-sized Chromium: a commune submits its annual report,
the province returns it with a comment, the commune resubmits, the province approves,
and the province's annual report shows the commune's numbers and downloads as a .docx."""

import datetime

from docx import Document as WordDocument

from htxnu.core.tests.browser import BrowserTestCase
from htxnu.geo.models import AdminUnit
from htxnu.reporting.models import Report, Round

from .helpers import consolidated_coop


class ReportPathBrowserTests(BrowserTestCase):
    reference_data = [*BrowserTestCase.reference_data, "htxnu.reporting.migrations.0002_regular_rounds"]

    def page_as(self, username: str):
        context = self.browser.new_context(viewport={"width": 390, "height": 800}, locale="en-US")
        self.addCleanup(context.close)
        page = context.new_page()
        page.set_default_timeout(15_000)
        page.on("dialog", lambda dialog: dialog.accept())
        page.goto(f"{self.live_server_url}/accounts/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", "htxnu-demo")
        page.click("button[type=submit]")
        page.wait_for_load_state()
        return page

    def test_submit_return_resubmit_approve_and_download(self):
        cam_duong = AdminUnit.objects.get(name="Phường Cam Đường", valid_to__isnull=True)
        province = cam_duong.parent
        consolidated_coop(cam_duong, jobs=12, on=datetime.date(2026, 3, 1), name="HTX Chè Cam Đường")
        annual = Round.objects.get(kind="annual", year=2026)
        commune_url = f"{self.live_server_url}/reports/{annual.pk}/{cam_duong.pk}/"
        province_url = f"{self.live_server_url}/reports/{annual.pk}/{province.pk}/"

        commune = self.page_as("demo_commune")
        commune.click(".mainnav a[href='/reports/']")
        commune.click(f"a[href='/reports/{annual.pk}/{cam_duong.pk}/']")
        commune.fill("#id_results", "Hỗ trợ củng cố HTX Chè Cam Đường, tạo việc làm cho 12 lao động nữ.")
        commune.locator("#id_document_number").evaluate("e => e.closest('details').open = true")
        commune.fill("#id_document_number", "12")
        commune.fill("#id_signer_name", "Nguyễn Thị Mai")
        commune.click("button[value=submit]")
        commune.get_by_text("Đã gửi báo cáo lên cấp trên.").wait_for()

        office = self.page_as("demo_province")
        office.goto(province_url)
        row = office.locator("#below tr", has_text="Phường Cam Đường")
        self.assertIn("Đã gửi", row.inner_text())
        row.locator("a").first.click()
        office.fill("#id_comment", "Đề nghị bổ sung bài học kinh nghiệm.")
        office.click("button[value=return]")
        office.get_by_text("Đã trả lại báo cáo cho đơn vị.").wait_for()

        commune.goto(commune_url)
        self.assertIn("Đề nghị bổ sung bài học kinh nghiệm.", commune.locator("[role=alert]").inner_text())
        commune.fill("#id_lessons", "Chọn mô hình điểm để nhân rộng.")
        commune.click("button[value=submit]")
        commune.get_by_text("Đã gửi báo cáo lên cấp trên.").wait_for()

        office.goto(commune_url)
        office.click("button[value=approve]")
        office.get_by_text("Đã phê duyệt báo cáo.").wait_for()
        report = Report.objects.get(round=annual, unit=cam_duong)
        self.assertEqual((report.state, report.resubmissions), ("approved", 1))

        office.goto(province_url)
        row = office.locator("#below tr", has_text="Phường Cam Đường")
        cells = row.locator("td").all_inner_texts()
        self.assertIn("Đã phê duyệt", cells[1])
        self.assertEqual(cells[2].strip(), "1")  # cooperatives consolidated
        self.assertEqual(cells[5].strip(), "12")  # stable jobs for women in them
        with office.expect_download() as caught:
            office.click("text=Word (.docx)")
        download = caught.value
        self.assertTrue(download.suggested_filename.endswith(".docx"))
        word = WordDocument(str(download.path()))
        units = next(t for t in word.tables if t.rows[0].cells[1].text == "Đơn vị")
        commune_row = next(r for r in units.rows if r.cells[1].text == "Phường Cam Đường")
        self.assertEqual([c.text for c in commune_row.cells[2:]], ["Đã phê duyệt", "1", "0", "12", "0"])
        self.assertIn("TM. BAN THƯỜNG VỤ", [p.text for t in word.tables for c in t.rows[0].cells for p in c.paragraphs])

    def test_a_figure_that_is_not_a_number_is_marked_beside_it_and_everything_typed_stays(self):
        from .helpers import reports_indicator

        reports_indicator("women_trained")  # a figure the unit types in
        cam_duong = AdminUnit.objects.get(name="Phường Cam Đường", valid_to__isnull=True)
        annual = Round.objects.get(kind="annual", year=2026)
        page = self.page_as("demo_commune")
        page.goto(f"{self.live_server_url}/reports/{annual.pk}/{cam_duong.pk}/")
        page.fill("#id_results", "Đã hỗ trợ hai HTX.")
        page.fill("input[name='own:women_trained']", "mười hai")
        with page.expect_navigation():
            page.click("button[value=save]")
        cell = page.locator("td", has=page.locator("input[name='own:women_trained']"))
        self.assertTrue(cell.locator(".errorlist").inner_text().strip())
        self.assertEqual(page.input_value("input[name='own:women_trained']"), "mười hai")
        self.assertEqual(page.input_value("#id_results"), "Đã hỗ trợ hai HTX.")
        self.assertFalse(Report.objects.filter(round=annual, unit=cam_duong).exists())
