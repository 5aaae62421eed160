"""The official .docx and .pdf measured against Decree 30/2020/NĐ-CP, Appendix I: each
rule that can be measured in the file, as an office clerk with a ruler would."""

import datetime
import io

from django.urls import reverse
from docx import Document as WordDocument
from docx.oxml.ns import qn
from docx.shared import Mm

from htxnu.core.tests.base import HtxTestCase
from htxnu.reporting.exports.metrics import text_width_mm
from htxnu.reporting.models import ReportState, SignatureAuthority

from .helpers import consolidated_coop, make_report, rnd

D = datetime.date
TWIPS_PER_MM = 1440 / 25.4


def mm(length) -> float:
    return length / Mm(1)


def pieces(page) -> list[tuple[float, str, float]]:
    """(height on the page, text, size in points) of each piece of text of a PDF page."""
    found = []

    def visit(text, cm, tm, font, size):
        if text.strip():
            found.append((tm[4] * cm[1] + tm[5] * cm[3] + cm[5], text.strip(), round(size * tm[0] * cm[0], 1)))

    page.extract_text(visitor_text=visit)
    return found


def rule_length(paragraph, available_mm: float) -> float | None:
    """The length of the line a paragraph's bottom border draws, or None."""
    p_pr = paragraph._p.pPr
    if p_pr is None or p_pr.find(qn("w:pBdr")) is None:
        return None
    fmt = paragraph.paragraph_format
    return available_mm - mm(fmt.left_indent or 0) - mm(fmt.right_indent or 0)


class DocumentFixture(HtxTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.round = rnd("annual", 2026)
        consolidated_coop(cls.cam_duong, jobs=6, on=D(2026, 4, 1), name="HTX Hoa Mai")
        consolidated_coop(cls.phuong_lao_cai, jobs=4, on=D(2026, 4, 1), name="HTX Phố Mới")
        make_report(cls.round, cls.cam_duong, ReportState.APPROVED, submitted=D(2026, 2, 5),
                    frozen={"coops_consolidated": 1, "jobs_coop_women": 6})
        report = make_report(cls.round, cls.lao_cai, ReportState.SUBMITTED, submitted=D(2026, 12, 3))
        report.document_number = "125/BC-HPN"  # typed with its symbol
        report.drafting_unit = "GĐXH-KT"
        report.recipients = "- Đoàn Chủ tịch TW Hội LHPN Việt Nam (để b/c);\nThường trực Tỉnh ủy;\n- Lưu: VT, GĐXH-KT."
        report.signature_authority = SignatureAuthority.DEPUTY
        report.signer_name = "Nguyễn Thị Thu"
        report.save()

    def download(self, fmt="docx", **params):
        self.client.force_login(self.province)
        response = self.client.get(reverse("reporting:download", args=[self.round.pk, self.lao_cai.pk, fmt]), params)
        self.assertEqual(response.status_code, 200)
        return response

    def word(self, **params):
        return WordDocument(io.BytesIO(self.download(**params).content))


class DecreeThirtyDocxTests(DocumentFixture):
    def test_page_margins_are_within_the_decree_ranges(self):
        section = self.word().sections[0]
        self.assertTrue(20 <= mm(section.top_margin) <= 25, mm(section.top_margin))
        self.assertTrue(20 <= mm(section.bottom_margin) <= 25)
        self.assertTrue(30 <= mm(section.left_margin) <= 35)
        self.assertTrue(15 <= mm(section.right_margin) <= 20, mm(section.right_margin))  # was 14.99

    def test_the_national_title_fits_its_cell_on_one_line_and_the_motto_is_underlined_its_length(self):
        header = self.word().tables[0]
        grid = [int(c.get(qn("w:w"))) / TWIPS_PER_MM for c in header._tbl.tblGrid.findall(qn("w:gridCol"))]
        cells = [mm(c.width) for c in header.rows[0].cells]
        self.assertEqual([round(w) for w in grid], [round(w) for w in cells])  # Word and LibreOffice agree
        right = header.rows[0].cells[1]
        nation = next(p for p in right.paragraphs if p.text == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
        self.assertEqual((nation.runs[0].bold, nation.runs[0].font.size.pt), (True, 13))
        self.assertLess(text_width_mm(nation.text, 13, bold=True), cells[1])  # 95.7 mm < 100 mm, no cell padding
        texts = [p.text for p in right.paragraphs]
        motto = right.paragraphs[texts.index("Độc lập - Tự do - Hạnh phúc")]
        self.assertEqual((motto.runs[0].bold, motto.runs[0].font.size.pt), (True, 14))
        line = rule_length(right.paragraphs[texts.index(motto.text) + 1], cells[1])
        self.assertAlmostEqual(line, text_width_mm(motto.text, 14, bold=True), delta=0.5)

    def test_the_lines_under_the_issuing_body_and_the_subject_are_a_third_to_a_half_of_their_text(self):
        word = self.word()
        left = word.tables[0].rows[0].cells[0]
        texts = [p.text for p in left.paragraphs]
        body = left.paragraphs[texts.index("HỘI LHPN TỈNH LÀO CAI")]
        self.assertTrue(body.runs[0].bold)
        ratio = rule_length(left.paragraphs[texts.index(body.text) + 1], mm(left.width)) / text_width_mm(
            body.text, 13, bold=True)
        self.assertTrue(1 / 3 <= ratio <= 1 / 2, ratio)
        paragraphs = word.paragraphs
        subject = next(i for i, p in enumerate(paragraphs) if p.text.startswith("Kết quả thực hiện Đề án"))
        text_width = 210 - 30 - 15
        shown = min(text_width_mm(paragraphs[subject].text, 14, bold=True), text_width)
        ratio = rule_length(paragraphs[subject + 1], text_width) / shown
        self.assertTrue(1 / 3 <= ratio <= 1 / 2, ratio)

    def test_the_number_is_printed_once_and_the_filing_line_once_with_the_drafting_unit(self):
        word = self.word()
        header = [p.text for c in word.tables[0].rows[0].cells for p in c.paragraphs]
        self.assertIn("Số: 125/BC-HPN", header)  # not "125/BC-HPN/BC-HPN"
        signature = [p.text for c in word.tables[-2].rows[0].cells for p in c.paragraphs]
        self.assertEqual([t for t in signature if "Lưu" in t], ["- Lưu: VT, GĐXH-KT."])
        self.assertEqual(signature[:3], ["Nơi nhận:", "- Đoàn Chủ tịch TW Hội LHPN Việt Nam (để b/c);",
                                         "- Thường trực Tỉnh ủy;"])
        self.assertEqual([t for t in signature if t.isupper()][:3],
                         ["TM. BAN THƯỜNG VỤ", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"])

    def test_page_numbers_are_13_pt_at_the_top_centre_from_page_two(self):
        section = self.word().sections[0]
        self.assertTrue(section.different_first_page_header_footer)
        self.assertEqual("".join(p.text for p in section.first_page_header.paragraphs).strip(), "")
        paragraph = section.header.paragraphs[0]
        self.assertEqual(paragraph.alignment, 1)  # centre
        self.assertIn("PAGE", "".join(t.text for t in paragraph._p.iter(qn("w:instrText"))))
        self.assertEqual({r.font.size.pt for r in paragraph.runs}, {13})

    def test_tables_repeat_their_header_rows_keep_rows_whole_and_state_one_set_of_widths(self):
        word = self.word()
        for table in word.tables[1:-2] + word.tables[-1:]:  # the figures tables and the appendix
            first = table.rows[0]._tr.trPr
            self.assertIsNotNone(first.find(qn("w:tblHeader")))
            for row in table.rows:
                self.assertIsNotNone(row._tr.trPr.find(qn("w:cantSplit")))
            grid = [round(int(c.get(qn("w:w"))) / TWIPS_PER_MM) for c in table._tbl.tblGrid.findall(qn("w:gridCol"))]
            for row in table.rows:
                self.assertEqual([round(mm(c.width)) for c in row.cells], grid)
            self.assertEqual(table._tbl.tblPr.find(qn("w:tblLayout")).get(qn("w:type")), "fixed")
        indicators = word.tables[1]
        self.assertGreater(mm(indicators.rows[0].cells[1].width), 45)  # indicator names get room

    def test_the_language_is_vietnamese_and_the_author_is_the_unit_by_its_own_name(self):
        word = self.word()
        lang = word.styles["Normal"].element.rPr.find(qn("w:lang"))
        self.assertEqual(lang.get(qn("w:val")), "vi-VN")
        self.assertEqual(word.core_properties.language, "vi-VN")
        self.assertEqual(word.core_properties.author, "Hội LHPN tỉnh Lào Cai")

    def test_the_units_below_go_to_an_appendix_sorted_with_totals_and_marked_when_not_reported(self):
        word = self.word()
        body = [p.text for p in word.paragraphs]
        self.assertIn("Số liệu của 99 đơn vị cấp dưới tại phụ lục kèm theo.", body)
        appendix = word.tables[-1]
        self.assertEqual([c.text for c in appendix.rows[0].cells][:3], ["STT", "Đơn vị", "Báo cáo"])
        names = [r.cells[1].text for r in appendix.rows[1:-1]]
        self.assertEqual(names, sorted(names))
        self.assertEqual(len(names), 99)
        rows = {r.cells[1].text: [c.text for c in r.cells] for r in appendix.rows}
        self.assertEqual(rows["Phường Cam Đường"][3], "1")  # approved: as reported
        self.assertEqual(rows["Phường Lào Cai"][3], "1*")  # not reported: as it stands, marked
        self.assertEqual(rows["Tổng"][3], "2")
        self.assertIn("* Số liệu hiện có, chưa gửi báo cáo.", [p.text for p in word.paragraphs])
        only_xlsx = self.word(units="xlsx")
        self.assertEqual(len(only_xlsx.tables), len(word.tables) - 1)
        self.assertIn("Số liệu của 99 đơn vị cấp dưới tại tệp Excel kèm theo.", [p.text for p in only_xlsx.paragraphs])


class DecreeThirtyPdfTests(DocumentFixture):
    def test_the_pdf_numbers_pages_from_two_and_embeds_liberation_serif(self):
        from pypdf import PdfReader

        reader = PdfReader(io.BytesIO(self.download("pdf").content))
        self.assertGreaterEqual(len(reader.pages), 3)  # the report and its appendix of 99 units
        fonts = set()
        for page in reader.pages:
            for font in page["/Resources"]["/Font"].values():
                fonts.add(str(font.get_object()["/BaseFont"]).split("+")[-1])
        self.assertTrue(fonts)
        self.assertTrue(all(name.startswith("Liberation-Serif") for name in fonts), fonts)
        # The page number is the text nearest the top of the page, from page 2 on.
        tops = [max(pieces(page)) for page in reader.pages[:3]]
        self.assertNotEqual(tops[0][1], "1")
        self.assertEqual([(t[1], t[2]) for t in tops[1:]], [("2", 13.0), ("3", 13.0)])
        text = " ".join(" ".join(p.extract_text().split()) for p in reader.pages)
        self.assertEqual(text.count("Lưu: VT"), 1)
