"""The dashboard pages: what each user sees, scope, methods, the weights, downloads,
query counts."""

import io
import re

from openpyxl import load_workbook

from htxnu.core.models import AuditEntry
from htxnu.core.tests.base import HtxTestCase
from htxnu.dashboard.models import RankingWeight
from htxnu.geo.models import AdminUnit

from .helpers import D, build_records, consolidated_coop, rnd, submit_and_approve

PAGES = ["/dashboard/", "/dashboard/indicators/coops_consolidated/", "/dashboard/trends/", "/dashboard/warnings/",
         "/dashboard/map/", "/dashboard/ranking/"]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def figure_of(response, code: str) -> str:
    row = re.search(rf'<tr data-code="{code}">(.*?)</tr>', response.content.decode(), re.S).group(1)
    return re.search(r'class="figure">([^<]*)<', row).group(1).strip()


def unit_rows(response) -> list[list[str]]:
    body = re.search(r'<table id="units"[^>]*>.*?<tbody>(.*?)</tbody>', response.content.decode(), re.S).group(1)
    rows = []
    for row in re.findall(r"<tr>(.*?)</tr>", body, re.S):
        rows.append([re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)])
    return rows


class DashboardViewTests(HtxTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        build_records(cls)
        cls.annual = rnd("annual", 2026)

    def get(self, user, path="/dashboard/", **params):
        self.client.force_login(user)
        return self.client.get(path, {"round": self.annual.pk, **params})

    def test_central_sees_the_nation_against_decision_01(self):
        response = self.get(self.central)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "01/QĐ-TTg")
        self.assertEqual(figure_of(response, "coops_consolidated"), "3")
        self.assertContains(response, "≥ 1.500")
        self.assertContains(response, 'class="shown "')  # figures including drafts, said so

    def test_a_province_and_a_commune_see_their_own_unit(self):
        response = self.get(self.province)
        self.assertContains(response, "12/KH-HPN")
        self.assertEqual(figure_of(response, "jobs_coop_women"), "16")
        response = self.get(self.commune)
        self.assertEqual(figure_of(response, "jobs_coop_women"), "12")
        # Lào Cai's "each commune at least 1 HTX consolidated in 2026" applies to Cam Đường.
        self.assertContains(response, "≥ 1")

    def test_approved_only_shows_the_numbers_of_the_approved_report_and_says_so(self):
        submit_and_approve(self.annual, self.cam_duong, self.commune, self.province)
        consolidated_coop(self.cam_duong, jobs=9, on=D(2026, 6, 1), name="HTX sau phê duyệt")
        response = self.get(self.commune, mode="approved")
        self.assertEqual(figure_of(response, "jobs_coop_women"), "12")  # as frozen in the report
        self.assertContains(response, "Chỉ số liệu đã phê duyệt: báo cáo đã được phê duyệt của đơn vị")
        response = self.get(self.commune)
        self.assertEqual(figure_of(response, "jobs_coop_women"), "21")  # the records now
        self.assertContains(response, "Số liệu gồm cả số liệu chưa phê duyệt")

    def test_a_unit_in_scope_by_its_id_others_are_404(self):
        for path in PAGES:
            self.assertEqual(self.get(self.province, path, unit=self.cam_duong.pk).status_code, 200, path)
            self.assertEqual(self.get(self.viewer, path, unit=self.cam_duong.pk).status_code, 200, path)
            self.assertEqual(self.get(self.sibling, path, unit=self.cam_duong.pk).status_code, 404, path)
            self.assertEqual(self.get(self.other_province, path, unit=self.lao_cai.pk).status_code, 404, path)
            self.assertEqual(self.get(self.commune, path, unit=self.lao_cai.pk).status_code, 404, path)
        self.assertEqual(self.get(self.province, "/dashboard/indicators/no_such_code/").status_code, 404)
        self.assertEqual(self.get(self.province, round=999999).status_code, 404)

    def test_the_drill_down_lists_the_units_below_sortable_down_to_the_cooperatives(self):
        response = self.get(self.province, "/dashboard/indicators/coops_consolidated/")
        rows = unit_rows(response)
        self.assertEqual(len(rows), AdminUnit.objects.filter(parent=self.lao_cai).count())
        self.assertEqual((rows[0][0], rows[0][2]), ("Phường Cam Đường", "2"))  # by figure, largest first
        self.assertEqual(rows[0][6], "đúng tiến độ")  # at least 1, as Lào Cai asks of each commune
        self.assertContains(response, "consolidated_from=2025-12-15")  # the cooperatives behind the figure
        by_name = unit_rows(self.get(self.province, "/dashboard/indicators/coops_consolidated/", sort="name",
                                     order="asc"))
        names = [r[0] for r in by_name]
        self.assertEqual(names, sorted(names))
        self.assertIn("<svg", response.content.decode())

    def test_phase_one_figures_in_either_geography(self):
        annual_2024 = rnd("annual", 2024)
        path = "/dashboard/indicators/jobs_coop_women/"
        old = unit_rows(self.get(self.province, path, round=annual_2024.pk, geography="old"))
        self.assertEqual(sorted(r[0] for r in old), ["Tỉnh Lào Cai", "Tỉnh Yên Bái"])
        self.assertEqual({r[0]: r[2] for r in old}["Tỉnh Lào Cai"], "6")  # HTX Pom Hán, 2024
        today = unit_rows(self.get(self.province, path, round=annual_2024.pk, geography="today"))
        self.assertEqual({r[0]: r[2] for r in today}["Phường Cam Đường"], "6")
        # Phase 2: no switch, today's units.
        self.assertNotContains(self.get(self.province, path), 'name="geography"')

    def test_trends_warnings_map_and_ranking(self):
        response = self.get(self.central, "/dashboard/trends/")
        self.assertContains(response, 'id="trend-coops_consolidated"')
        self.assertContains(response, "<svg", count=len(re.findall(r'id="trend-', response.content.decode())))
        response = self.get(self.central, "/dashboard/warnings/")
        # 3 HTX consolidated, going nowhere near Decision 01's 1,500 by 2030.
        self.assertRegex(response.content.decode(), r"Việt Nam</a></td>\s*<td[^>]*><a [^>]*>HTX được củng cố")
        response = self.get(self.central, "/dashboard/map/", indicator="jobs_coop_women")
        self.assertContains(response, "<circle", count=34)
        # The 34 provinces named beside their points; Lào Cai's 16 jobs the largest marker, the others the smallest.
        svg = response.content.decode()
        self.assertIn(">Lào Cai</text>", svg)
        self.assertIn(">Hà Nội</text>", svg)
        self.assertEqual(len(re.findall(r"</text>", svg.split("<svg", 1)[1].split("</svg>", 1)[0])), 34)
        radii = {name: float(r) for r, name in re.findall(r'<circle [^>]*r="([0-9.]+)"[^>]*><title>([^:<]+):', svg)}
        self.assertEqual((radii["Tỉnh Lào Cai"], radii["Thành phố Hà Nội"]), (9.0, 3.0))
        self.assertContains(response, "Điểm càng lớn, số liệu càng lớn.")
        communes = self.get(self.province, "/dashboard/map/", indicator="jobs_coop_women").content.decode()
        self.assertEqual(communes.split("<svg", 1)[1].count("</text>"), 0)  # 99 names would cover each other
        self.assertIn("<td><a", communes)  # they are in the table
        response = self.get(self.province, "/dashboard/ranking/")
        self.assertRegex(response.content.decode(), r"<td class=\"num\">1</td><td><a [^>]*>Phường Cam Đường</a>")

    def test_every_table_downloads_as_xlsx(self):
        for path in PAGES:
            response = self.get(self.province, path, format="xlsx")
            self.assertEqual(response["Content-Type"], XLSX, path)
            sheet = load_workbook(io.BytesIO(response.content)).active
            self.assertGreater(sheet.max_row, 1, path)
            # Named in Vietnamese without diacritics, after the unit.
            self.assertRegex(response["Content-Disposition"], r'filename="[a-z0-9_-]*lao-cai[a-z0-9_-]*\.xlsx"', path)
        # The share of the target achieved is a fraction shown as a percentage, as Excel keeps them.
        sheet = load_workbook(io.BytesIO(self.get(self.province, "/dashboard/", format="xlsx").content)).active
        header = next(r for r in sheet.iter_rows(values_only=True) if r and "Chỉ tiêu" in [str(v) for v in r])
        column = next(i for i, v in enumerate(header) if v and "%" in str(v))
        cells = [r[column] for r in sheet.iter_rows(min_row=2) if isinstance(r[column].value, (int, float))]
        self.assertTrue(cells)
        self.assertTrue(all(c.number_format == "0.0%" and 0 <= c.value <= 5 for c in cells))

    def test_wrong_methods_are_405(self):
        self.client.force_login(self.province)
        for path in PAGES:
            self.assertEqual(self.client.post(path).status_code, 405, path)
        self.assertEqual(self.client.get("/dashboard/ranking/weights/").status_code, 405)

    def test_only_the_unit_s_officers_set_its_weights(self):
        weights = {"w-coops_consolidated": "50", "w-jobs_total_women": "30", "w-coops_new": "20"}

        def post(user, **params):
            self.client.force_login(user)
            query = "&".join(f"{k}={v}" for k, v in params.items())
            return self.client.post(f"/dashboard/ranking/weights/?{query}", weights)

        self.assertEqual(post(self.viewer).status_code, 403)
        self.assertEqual(post(self.partner).status_code, 403)
        self.assertEqual(post(self.central, unit=self.lao_cai.pk).status_code, 403)  # Lào Cai's own rules
        self.assertEqual(post(self.commune, unit=self.lao_cai.pk).status_code, 404)
        self.assertFalse(RankingWeight.objects.exists())
        response = post(self.province)
        self.assertEqual(response.status_code, 302)
        saved = dict(RankingWeight.objects.filter(unit=self.lao_cai).values_list("indicator__code", "weight"))
        self.assertEqual((saved["coops_consolidated"], saved["jobs_total_women"], saved["training_classes"]),
                         (50, 30, 0))
        self.assertEqual(AuditEntry.objects.filter(content_type__model="rankingweight",
                                                   unit=self.lao_cai).count(), len(saved))
        response = self.get(self.province, "/dashboard/ranking/")
        self.assertContains(response, "×50")
        weights["w-coops_new"] = "101"
        self.assertEqual(post(self.province).status_code, 400)
        self.assertEqual(RankingWeight.objects.get(unit=self.lao_cai, indicator__code="coops_new").weight, 20)

    def test_query_counts_are_fixed(self):
        self.get(self.province)
        self.get(self.province, "/dashboard/indicators/coops_consolidated/")
        params = {"round": self.annual.pk}
        # session, user, organisation, active unit, rounds, data versions, indicators, cached figures
        # of the unit, the units it was formed from (plans.governing), its plan, the plan above and
        # its predecessors', their targets, cached cumulative figures, cached earlier points
        # (14/6/2026), the unit above in scope
        with self.assertNumQueries(15):
            self.client.get("/dashboard/", params)
        # the same, then the units below, their cached figures, their cached cumulative figures,
        # the units they were formed from, their plans and targets, their earlier points for the
        # projection the status is reconciled with (cumulative at 14/6, the first 6 months' round
        # and its cached figures), which of them have units below, and the right to go up
        with self.assertNumQueries(23):
            self.client.get("/dashboard/indicators/coops_consolidated/", params)


class ChartLabelTests(HtxTestCase):
    def test_a_long_unit_name_drops_its_kind_before_being_cut(self):
        from htxnu.dashboard import charts, progress

        svg = str(charts.bar_chart([{"label": "6. Thành phố Hồ Chí Minh", "value": 3, "target": None,
                                     "status": progress.NO_STATUS}], label="Xếp hạng"))
        self.assertIn(">6. Hồ Chí Minh</text>", svg)
        self.assertIn("<title>6. Thành phố Hồ Chí Minh</title>", svg)  # the full name on hover
        self.assertNotIn("Hồ Chí M…", svg)
