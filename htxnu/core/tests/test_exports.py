"""Formula injection (issue #14): text that a spreadsheet would run as a formula is
written as text in every .xlsx and with a ' in front in the .csv."""

import csv
import datetime
import io

from openpyxl import load_workbook

from htxnu.accounts.models import Organisation
from htxnu.activities import services as activities
from htxnu.core.exports import file_name, xlsx_response
from htxnu.core.tests.base import HtxTestCase
from htxnu.registry import services as registry
from htxnu.registry.models import CollectiveType

HOSTILE = ['=HYPERLINK("http://x","y")', "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"]


def sheet_cells(content: bytes) -> list:
    ws = load_workbook(io.BytesIO(content)).worksheets[0]
    return [cell for row in ws.iter_rows() for cell in row]


class FormulaInjectionTests(HtxTestCase):
    def test_the_shared_exporter_writes_formula_like_text_as_text(self):
        response = xlsx_response("x", [("Data", ["A", "B"], [[value, 5] for value in HOSTILE] + [[-3, "Hoa Mai"]])])
        cells = sheet_cells(response.content)
        texts = {c.value: c.data_type for c in cells if isinstance(c.value, str)}
        for value in HOSTILE:
            self.assertEqual(texts.get(value), "s", value)  # the value as typed, never a formula ("f")
        numbers = [c.value for c in cells if isinstance(c.value, int)]
        self.assertIn(-3, numbers)  # a negative number stays a number

    def test_the_registry_exports_keep_a_formula_named_cooperative_as_text(self):
        registry.collective_create(actor=self.commune, type=CollectiveType.HTX, name=HOSTILE[0],
                                   commune=self.cam_duong)
        self.client.force_login(self.commune)
        cells = sheet_cells(self.client.get("/registry/export.xlsx").getvalue())
        (name,) = [c for c in cells if c.value == HOSTILE[0]]
        self.assertEqual(name.data_type, "s")
        text = b"".join(self.client.get("/registry/export.csv").streaming_content).decode("utf-8-sig")
        rows = list(csv.reader(io.StringIO(text)))
        self.assertIn("'" + HOSTILE[0], rows[1])

    def test_the_events_export_keeps_a_formula_titled_event_as_text(self):
        union = Organisation.objects.get(unit=self.cam_duong, kind="union")
        activities.event_create(actor=self.commune, kind="fair", title="=1+1", date=datetime.date(2025, 3, 1),
                                unit=self.cam_duong, organiser=union)
        self.client.force_login(self.commune)
        cells = sheet_cells(self.client.get("/events/export.xlsx").content)
        (title,) = [c for c in cells if c.value == "=1+1"]
        self.assertEqual(title.data_type, "s")


class FileNameTests(HtxTestCase):
    def test_a_download_is_named_in_vietnamese_without_diacritics_and_keeps_its_d(self):
        self.assertEqual(file_name("tổng quan", "Phường Cam Đường", 2026), "tong-quan-phuong-cam-duong-2026")
        response = xlsx_response("Đội sản xuất Đồng Tâm", [("Sheet", ["A"], [[1]])])
        self.assertIn('filename="doi-san-xuat-dong-tam.xlsx"', response["Content-Disposition"])
