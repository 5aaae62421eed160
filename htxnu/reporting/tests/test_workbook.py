"""The report's .xlsx as an officer opens it in Excel: title rows, a frozen header that is
printed on every page, landscape fitted to the width, numbers as numbers, percentages as
fractions shown with %, empty cells empty, a file name in Vietnamese without diacritics."""

import datetime
import io

from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from htxnu.core.tests.base import HtxTestCase
from htxnu.plans.tests.helpers import make_plan, target

from .helpers import consolidated_coop, make_report, reports_indicator, rnd

D = datetime.date


class ReportWorkbookTests(HtxTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.round = rnd("annual", 2026)
        reports_indicator("women_share", percent=True)
        make_plan(cls.central, cls.lao_cai, number="5/KH-HPN", date="2025-09-01", phases=[(2026, 2030)],
                  targets=[target("coops_consolidated", 2026, ">=", 4, cumulative=False),
                           target("women_share", 2026, ">=", 50, cumulative=False)])
        consolidated_coop(cls.cam_duong, jobs=6, on=D(2026, 4, 1), name="HTX Hoa Mai")
        make_report(cls.round, cls.lao_cai, "draft", frozen={"women_share": (385, 1000)},
                    own={"women_share": (385, 1000)})
        make_report(cls.round, cls.cam_duong, "approved", submitted=D(2026, 11, 10), frozen={"coops_consolidated": 1})

    def workbook(self):
        self.client.force_login(self.province)
        response = self.client.get(reverse("reporting:download", args=[self.round.pk, self.lao_cai.pk, "xlsx"]))
        self.assertEqual(response.status_code, 200)
        return response, load_workbook(io.BytesIO(response.content))

    def test_the_file_name_is_vietnamese_without_diacritics(self):
        response, _book = self.workbook()
        self.assertIn('filename="bao-cao-nam-2026-lao-cai.xlsx"', response["Content-Disposition"])

    def test_every_sheet_has_title_rows_and_a_frozen_header_printed_on_every_page(self):
        _response, book = self.workbook()
        today = timezone.localdate().strftime("%d/%m/%Y")
        for sheet in book.worksheets:
            with self.subTest(sheet=sheet.title):
                title = [sheet.cell(row=r, column=1).value for r in range(1, 5)]
                self.assertEqual(title[0], "Báo cáo năm 2026")
                self.assertEqual(title[1], "Đơn vị: Tỉnh Lào Cai")
                self.assertIn("Số liệu từ 15/12/2025 đến 14/12/2026", title[2])
                self.assertTrue(title[3].startswith(f"Ngày in: {today}"))
                self.assertTrue(sheet["A1"].font.bold)
                self.assertIsNone(sheet["A5"].value)
                self.assertTrue(sheet["A6"].font.bold)
                self.assertEqual(sheet.freeze_panes, "A7")
                self.assertEqual(sheet.print_title_rows, "$6:$6")
                self.assertEqual(sheet.page_setup.orientation, "landscape")
                self.assertEqual((sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight), (1, 0))
                self.assertTrue(sheet.sheet_properties.pageSetUpPr.fitToPage)
                self.assertGreaterEqual(sheet.column_dimensions["B"].width, 10)

    def summary_rows(self, book) -> dict:
        sheet = book["Tổng hợp"]
        self.assertEqual([c.value for c in sheet[6]],
                         ["Chỉ tiêu", "Đơn vị", "Chỉ tiêu đề ra", "Chỉ tiêu (dạng chữ)", "Thời hạn chỉ tiêu",
                          "Kết quả", "Tỷ lệ đạt", "Nguồn", "Nguồn chỉ tiêu"])
        self.assertEqual(sheet.column_dimensions["A"].width, 48)  # indicator names do not wrap to 5 lines
        return {row[0].value: row for row in sheet.iter_rows(min_row=7)}

    def test_targets_results_and_rates_are_numbers_and_percentages_fractions(self):
        _response, book = self.workbook()
        rows = self.summary_rows(book)
        consolidated = rows["HTX được củng cố, nâng cao chất lượng hoạt động"]
        self.assertEqual([c.value for c in consolidated[2:7]], [4, "≥ 4", "năm 2026", 1, 0.25])
        self.assertEqual(consolidated[2].data_type, "n")  # a number, not text
        self.assertEqual(consolidated[6].number_format, "0.0%")  # shows 25,0% in a Vietnamese Excel
        share = rows["Chỉ tiêu women_share"]
        self.assertEqual((share[2].value, share[5].value), (0.5, 0.385))
        self.assertEqual((share[2].number_format, share[5].number_format), ("0.0%", "0.0%"))
        self.assertAlmostEqual(share[6].value, 0.77)
        untargeted = rows["HTX thành lập mới"]
        self.assertEqual([c.value for c in untargeted[2:5]], [None, None, None])  # empty, not ""

    def test_the_sheet_of_communes_says_status_and_submission_status(self):
        _response, book = self.workbook()
        sheet = book["Xã, phường, đặc khu"]
        header = [c.value for c in sheet[6]]
        self.assertEqual(header[:5], ["Mã", "Đơn vị", "Trạng thái", "Ngày gửi", "Trạng thái gửi"])
        self.assertNotIn("Thời hạn gửi", header)
        rows = {row[1].value: row for row in sheet.iter_rows(min_row=7)}
        self.assertEqual(len(rows), 99)
        cam_duong = rows["Phường Cam Đường"]
        self.assertEqual((cam_duong[2].value, cam_duong[4].value), ("Đã phê duyệt", "Đúng hạn"))
        self.assertEqual(cam_duong[3].value.date(), D(2026, 11, 10))
        self.assertEqual(cam_duong[3].number_format, "dd/mm/yyyy")
        self.assertEqual(cam_duong[header.index("HTX được củng cố, nâng cao chất lượng hoạt động (HTX)")].value, 1)
        silent = next(row for name, row in rows.items() if name != "Phường Cam Đường")
        self.assertEqual((silent[2].value, silent[3].value), (None, None))
