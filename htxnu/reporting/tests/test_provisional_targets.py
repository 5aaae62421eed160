"""Phase 2 after the merger: today's Lào Cai has no plan of its own, so its 2026 reports
compare with the targets of old Lào Cai's 294/KH-UBND and Yên Bái's plan, added up and
saying so, on the report page, in the .docx, the .xlsx, the API and the dashboard; a
plan of its own replaces them from its start."""

import datetime
import io
import re

from django.urls import reverse
from docx import Document as WordDocument
from openpyxl import load_workbook

from htxnu.core.tests.base import HtxTestCase
from htxnu.geo.models import Level
from htxnu.plans.tests.helpers import make_plan, old_unit, target

from .helpers import make_report, rnd

D = datetime.date
PHASES = [(2023, 2025), (2026, 2030)]
SOURCE = "tạm tính từ kế hoạch 294/KH-UBND (tỉnh Lào Cai cũ) và 12/KH-UBND (tỉnh Yên Bái cũ)"


def docx_text(content: bytes) -> list[str]:
    word = WordDocument(io.BytesIO(content))
    return [p.text for p in word.paragraphs] + [p.text for t in word.tables for row in t.rows
                                                for c in row.cells for p in c.paragraphs]


def target_cell(response, label: str) -> str:
    """The text of the target cell in the row of an indicator on the report page."""
    row = re.search(rf'<td class="label">{re.escape(label)}.*?</tr>', response.content.decode(), re.S).group(0)
    cell = re.search(r'data-label="Chỉ tiêu đề ra"[^>]*>(.*?)</td>', row, re.S).group(1)
    return " ".join(re.sub(r"<[^>]+>", " ", cell).split())


class ProvisionalTargetTests(HtxTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.round = rnd("annual", 2026)
        make_plan(cls.central, old_unit("10", Level.PROVINCE), number="294/KH-UBND", date="2023-07-06",
                  phases=PHASES, targets=[target("coops_consolidated", 2030, ">=", 20),
                                          target("coops_new", 2030, "=", 10)])
        make_plan(cls.central, old_unit("15", Level.PROVINCE), number="12/KH-UBND", date="2023-08-01",
                  phases=PHASES, targets=[target("coops_consolidated", 2030, ">=", 15)])
        # Phường Lào Cai: old communes of Thành phố Lào Cai and Huyện Bảo Thắng.
        make_plan(cls.central, old_unit("080", Level.DISTRICT), number="7/KH-UBND", phases=[(2023, 2030)],
                  targets=[target("groups_new", 2030, ">=", 1, per_subunit=True)])
        make_plan(cls.central, old_unit("086", Level.DISTRICT), number="9/KH-UBND", phases=[(2023, 2030)],
                  targets=[target("groups_new", 2030, ">=", 2, per_subunit=True)])

    def url(self, unit, *extra, name="reporting:report"):
        return reverse(name, args=[self.round.pk, unit.pk, *extra])

    def test_the_report_page_shows_the_provisional_targets_and_their_source(self):
        self.client.force_login(self.province)
        response = self.client.get(self.url(self.lao_cai))
        self.assertContains(response, SOURCE)
        cell = target_cell(response, "HTX được củng cố")
        self.assertIn("≥ 35", cell)
        self.assertIn(SOURCE, cell)
        self.assertNotContains(response, "Đơn vị không có kế hoạch có hiệu lực")

    def test_a_commune_of_two_old_districts_gets_the_targets_for_each_commune_of_both(self):
        self.client.force_login(self.sibling)
        response = self.client.get(self.url(self.phuong_lao_cai))
        cell = target_cell(response, "THT thành lập mới")
        self.assertIn("≥ 2", cell)  # the stricter of 1 and 2
        self.assertIn("7/KH-UBND (thành phố Lào Cai cũ)", cell)
        self.assertIn("9/KH-UBND (huyện Bảo Thắng cũ)", cell)
        self.assertIn("cho mỗi đơn vị cấp dưới", cell)

    def test_the_count_of_targets_reached_stands_beside_the_results_and_opens_them_in_the_docx(self):
        # Nothing recorded yet: both targets of the table (≥ 35 and 10 HTX by 2030) are behind their path.
        tally = "Trong 2 chỉ tiêu của bảng: 0 đã đạt, 0 đúng tiến độ, 0 có nguy cơ không đạt, 2 chậm tiến độ."
        self.client.force_login(self.province)
        response = self.client.get(self.url(self.lao_cai))
        self.assertContains(response, f'<p class="muted tally" id="tally">{tally}</p>')
        text = docx_text(self.client.get(self.url(self.lao_cai, "docx", name="reporting:download")).content)
        self.assertEqual(text[text.index("I. KẾT QUẢ ĐẠT ĐƯỢC") + 1], tally)

    def test_the_docx_xlsx_and_api_say_where_the_targets_come_from(self):
        self.client.force_login(self.province)
        text = docx_text(self.client.get(self.url(self.lao_cai, "docx", name="reporting:download")).content)
        self.assertIn(f"Chỉ tiêu: {SOURCE}.", text)
        self.assertIn("≥ 35 (đến năm 2030), tạm tính từ 294/KH-UBND, 12/KH-UBND", text)
        book = load_workbook(io.BytesIO(self.client.get(self.url(self.lao_cai, "xlsx",
                                                                 name="reporting:download")).content))
        rows = {r[0]: r for r in book.worksheets[0].iter_rows(values_only=True)}
        consolidated = next(r for label, r in rows.items() if label and "HTX được củng cố" in label)
        self.assertEqual((consolidated[2], consolidated[3], consolidated[8]), (35, "≥ 35", SOURCE))
        report = make_report(self.round, self.lao_cai, "draft")
        values = {v["indicator"]: v for v in self.client.get(f"/api/v1/reports/{report.pk}").json()["values"]}
        self.assertEqual((values["coops_consolidated"]["target"], values["coops_consolidated"]["target_source"],
                          values["coops_consolidated"]["target_provisional"]),
                         ("≥ 35", "294/KH-UBND, 12/KH-UBND", True))
        self.assertEqual((values["coops_new"]["target"], values["coops_new"]["target_source"]),
                         ("10", "294/KH-UBND"))
        self.assertEqual((values["jobs_coop_women"]["target"], values["jobs_coop_women"]["target_source"]), ("", ""))

    def test_the_dashboard_shows_them_too(self):
        self.client.force_login(self.province)
        response = self.client.get("/dashboard/", {"round": self.round.pk})
        self.assertContains(response, f"Chỉ tiêu: {SOURCE}.")
        row = re.search(r'<tr data-code="coops_consolidated">(.*?)</tr>', response.content.decode(), re.S).group(1)
        self.assertIn("≥ 35", row)
        self.client.force_login(self.sibling)
        row = re.search(r'<tr data-code="groups_new">(.*?)</tr>',
                        self.client.get("/dashboard/", {"round": self.round.pk}).content.decode(), re.S).group(1)
        self.assertIn("≥ 2", row)
        self.assertIn("9/KH-UBND (huyện Bảo Thắng cũ)", row)

    def test_a_plan_of_its_own_replaces_them(self):
        self.client.force_login(self.province)
        self.assertIn("≥ 35", target_cell(self.client.get(self.url(self.lao_cai)), "HTX được củng cố"))
        make_plan(self.province, self.lao_cai, number="50/KH-UBND", date="2026-06-01", phases=[(2026, 2030)],
                  targets=[target("coops_consolidated", 2030, ">=", 40)])
        response = self.client.get(self.url(self.lao_cai))
        self.assertNotContains(response, "tạm tính")
        self.assertIn("≥ 40", target_cell(response, "HTX được củng cố"))
        self.assertContains(response, "50/KH-UBND")


class FundingSectionTests(HtxTestCase):
    def test_an_annual_report_has_its_funding_from_the_funding_records(self):
        from htxnu.activities import services as activities

        activities.budget_line_save(actor=self.province, unit=self.lao_cai, year=2026, kind="allocation",
                                    source="state_local", amount=50_000_000)
        activities.budget_line_save(actor=self.commune, unit=self.cam_duong, year=2026, kind="spending",
                                    source="state_local", amount=12_500_000)
        activities.budget_line_save(actor=self.province, unit=self.lao_cai, year=2025, kind="allocation",
                                    source="state_local", amount=7_000_000)  # another year
        self.client.force_login(self.province)
        annual = reverse("reporting:report", args=[rnd("annual", 2026).pk, self.lao_cai.pk])
        response = self.client.get(annual)
        section = re.search(r'<section class="card" id="funding">(.*?)</section>', response.content.decode(),
                            re.S).group(1)
        self.assertIn("Kinh phí thực hiện năm 2026", section)
        self.assertIn("50.000.000", section)
        self.assertIn("12.500.000", section)
        self.assertNotIn("7.000.000", section)
        text = docx_text(self.client.get(reverse("reporting:download", args=[rnd("annual", 2026).pk,
                                                                             self.lao_cai.pk, "docx"])).content)
        self.assertIn("4. Kinh phí thực hiện năm 2026", text)  # after "3. the units below"
        self.assertIn("50.000.000", text)
        half = reverse("reporting:report", args=[rnd("semiannual", 2026).pk, self.lao_cai.pk])
        self.assertNotContains(self.client.get(half), 'id="funding"')
