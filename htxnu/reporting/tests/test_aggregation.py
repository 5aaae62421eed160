"""Aggregation (htxnu/reporting/aggregation.py) on the real units.

    today's Lào Cai (15) = old Lào Cai (10) + Yên Bái (old 15), merged on 1/7/2025
    old Lào Cai › Thành phố Lào Cai (080) › Phường Pom Hán (02653), Xã Cam Đường (02674)
    today's Phường Cam Đường (02674) was formed from Pom Hán, old Xã Cam Đường and others
"""

import datetime
from decimal import Decimal

from htxnu.core.tests.base import HtxTestCase
from htxnu.geo.models import AdminUnit, Level, Succession
from htxnu.reporting import aggregation
from htxnu.reporting.models import ReportState

from .helpers import consolidated_coop, make_report, old_unit, reports_indicator, rnd

D = datetime.date
APPROVED, SUBMITTED, DRAFT = ReportState.APPROVED, ReportState.SUBMITTED, ReportState.DRAFT


class AggregationBase(HtxTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.old_lao_cai = old_unit("10", Level.PROVINCE)
        cls.yen_bai = old_unit("15", Level.PROVINCE)
        cls.old_city = old_unit("080", Level.DISTRICT)
        cls.pom_han = old_unit("02653")
        cls.old_cam_duong = old_unit("02674")
        cls.other_district = AdminUnit.objects.filter(parent=cls.old_lao_cai).exclude(pk=cls.old_city.pk).order_by(
            "code").first()
        cls.yen_bai_commune = AdminUnit.objects.filter(parent__parent=cls.yen_bai).order_by("code").first()
        cls.trained = reports_indicator("women_trained")
        cls.share = reports_indicator("share_trained", percent=True)
        cls.clubs = reports_indicator("clubs", additive=False)

    def value(self, figures, code, unit_id):
        return figures[code][unit_id].value


class RecordsAreCountedOnceTests(AggregationBase):
    """Indicators computed from records: each unit over its own territory, never summed from reports."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.yen_bai_today = AdminUnit.objects.filter(
            predecessor_links__predecessor=cls.yen_bai_commune, valid_to__isnull=True).first()
        consolidated_coop(cls.cam_duong, registered=cls.pom_han, jobs=8)
        consolidated_coop(cls.phuong_lao_cai, registered=cls.old_cam_duong, jobs=5)
        consolidated_coop(cls.yen_bai_today, registered=cls.yen_bai_commune, jobs=7)
        # Consolidated again in 2026 in Cam Đường: 2026 figures.
        consolidated_coop(cls.cam_duong, jobs=9, on=D(2026, 5, 1), name="HTX 2026")

    def test_a_phase_one_figure_adds_up_in_both_geographies(self):
        annual_2024 = rnd("annual", 2024)
        figures, _reports = aggregation.row_figures(annual_2024, [
            self.lao_cai, self.cam_duong, self.phuong_lao_cai, self.yen_bai_today, self.old_lao_cai, self.yen_bai])
        jobs = {pk: row["jobs_coop_women"].value for pk, row in figures.items()}
        self.assertEqual(jobs[self.lao_cai.pk], 20)
        # Today's units (the province's communes) and the units before 1/7/2025 both make 20.
        self.assertEqual(jobs[self.cam_duong.pk] + jobs[self.phuong_lao_cai.pk] + jobs[self.yen_bai_today.pk], 20)
        self.assertEqual((jobs[self.old_lao_cai.pk], jobs[self.yen_bai.pk]), (13, 7))

    def test_the_province_does_not_add_its_communes_reports_to_the_records(self):
        annual_2026 = rnd("annual", 2026)
        make_report(annual_2026, self.cam_duong, APPROVED, frozen={"jobs_coop_women": 9, "coops_consolidated": 1})
        figures = aggregation.report_figures(annual_2026, self.lao_cai, None)
        self.assertEqual(figures["jobs_coop_women"].value, 9)  # not 18: the cooperative counts once
        self.assertEqual(figures["coops_consolidated"].value, 1)
        self.assertEqual(figures["jobs_coop_women"].source, "records")
        self.assertIn("/registry/?", figures["jobs_coop_women"].records_url)

    def test_a_submitted_report_keeps_the_figures_it_was_submitted_with(self):
        annual_2026 = rnd("annual", 2026)
        report = make_report(annual_2026, self.cam_duong, SUBMITTED, frozen={"jobs_coop_women": 3})
        figures = aggregation.report_figures(annual_2026, self.cam_duong, report)
        self.assertEqual(figures["jobs_coop_women"].value, 3)  # the records now say 9
        self.assertTrue(figures["jobs_coop_women"].frozen)
        report.state = ReportState.RETURNED
        report.save()
        self.assertEqual(aggregation.report_figures(annual_2026, self.cam_duong, report)["jobs_coop_women"].value, 9)

    def test_the_mid_term_review_of_the_merged_province_counts_its_predecessors_records(self):
        midterm = rnd("midterm", 2025)
        figures = aggregation.report_figures(midterm, self.lao_cai, None)
        self.assertEqual(figures["jobs_coop_women"].value, 20)
        self.assertEqual(figures["coops_consolidated"].value, 3)


class ReportsAddUpTests(AggregationBase):
    """Indicators taken from reports: own figure + the approved reports directly below."""

    def test_each_own_figure_counts_once_through_the_levels(self):
        annual_2024 = rnd("annual", 2024)
        make_report(annual_2024, self.pom_han, APPROVED, own={"women_trained": 5}, frozen={"women_trained": 5})
        make_report(annual_2024, self.old_city, APPROVED, own={"women_trained": 3}, frozen={"women_trained": 8})
        make_report(annual_2024, self.other_district, SUBMITTED, own={"women_trained": 100},
                    frozen={"women_trained": 100})
        province = make_report(annual_2024, self.old_lao_cai, DRAFT, own={"women_trained": 2})
        figure = aggregation.report_figures(annual_2024, self.old_lao_cai, province)["women_trained"]
        # 2 of its own + the district's 8 (which holds Pom Hán's 5); the submitted district waits.
        self.assertEqual((figure.value, figure.own, figure.below, figure.below_reports), (10, 2, 8, 1))
        self.assertEqual(figure.source, "reports")

    def test_shares_add_numerators_and_denominators_and_say_what_they_could_not_add(self):
        annual_2026 = rnd("annual", 2026)
        make_report(annual_2026, self.cam_duong, APPROVED, frozen={"share_trained": (3, 4)})
        only_share = make_report(annual_2026, self.phuong_lao_cai, APPROVED)
        only_share.values.create(indicator=self.share, value=Decimal(50))
        province = make_report(annual_2026, self.lao_cai, DRAFT, own={"share_trained": (1, 2)})
        figure = aggregation.report_figures(annual_2026, self.lao_cai, province)["share_trained"]
        self.assertEqual((figure.numerator, figure.denominator, figure.value), (4, 6, Decimal("66.7")))
        self.assertEqual(figure.unsummable, 1)

    def test_a_count_that_does_not_add_up_keeps_the_units_own_figure(self):
        annual_2026 = rnd("annual", 2026)
        make_report(annual_2026, self.cam_duong, APPROVED, own={"clubs": 5}, frozen={"clubs": 5})
        province = make_report(annual_2026, self.lao_cai, DRAFT, own={"clubs": 2})
        figure = aggregation.report_figures(annual_2026, self.lao_cai, province)["clubs"]
        self.assertEqual(figure.value, 2)
        self.assertFalse(figure.additive)

    def test_the_merged_province_adds_up_its_predecessors_approved_reports(self):
        annual_2024 = rnd("annual", 2024)
        make_report(annual_2024, self.old_lao_cai, APPROVED, frozen={"women_trained": 10})
        make_report(annual_2024, self.yen_bai, APPROVED, frozen={"women_trained": 4})
        make_report(annual_2024, self.pom_han, APPROVED, frozen={"women_trained": 6})  # inside old Lào Cai's 10
        self.assertEqual([u.pk for u in aggregation.contributors(annual_2024, [self.lao_cai])[self.lao_cai.pk]],
                         [self.old_lao_cai.pk, self.yen_bai.pk])
        approved = aggregation.figures(annual_2024, [self.lao_cai, self.old_lao_cai, self.yen_bai])
        self.assertEqual(self.value(approved, "women_trained", self.lao_cai.pk), 14)
        self.assertEqual(approved["women_trained"][self.lao_cai.pk].below_reports, 2)
        live = aggregation.report_figures(annual_2024, self.lao_cai, None)["women_trained"]
        self.assertEqual(live.value, 14)

    def test_with_drafts_every_own_figure_in_the_territory_counts_once(self):
        annual_2024 = rnd("annual", 2024)
        make_report(annual_2024, self.pom_han, APPROVED, own={"women_trained": 5}, frozen={"women_trained": 5})
        make_report(annual_2024, self.old_city, SUBMITTED, own={"women_trained": 3}, frozen={"women_trained": 8})
        make_report(annual_2024, self.old_lao_cai, DRAFT, own={"women_trained": 2})
        make_report(annual_2024, self.yen_bai, DRAFT, own={"women_trained": 4})
        drafts = aggregation.figures(annual_2024, [self.lao_cai, self.old_lao_cai, self.old_city],
                                     include_drafts=True)
        self.assertEqual(self.value(drafts, "women_trained", self.lao_cai.pk), 14)
        self.assertEqual(self.value(drafts, "women_trained", self.old_lao_cai.pk), 10)
        self.assertEqual(self.value(drafts, "women_trained", self.old_city.pk), 8)
        approved_only = aggregation.figures(annual_2024, [self.old_lao_cai])
        self.assertIsNone(self.value(approved_only, "women_trained", self.old_lao_cai.pk))
        self.assertEqual(approved_only["women_trained"][self.old_lao_cai.pk].state, DRAFT)

    def test_todays_figures_are_shown_under_the_old_units_they_came_from(self):
        annual_2026 = rnd("annual", 2026)
        make_report(annual_2026, self.cam_duong, APPROVED, frozen={"women_trained": 6})
        make_report(annual_2026, self.phuong_lao_cai, APPROVED, frozen={"women_trained": 4})
        make_report(annual_2026, self.lao_cai, APPROVED, own={"women_trained": 1}, frozen={"women_trained": 11})
        below = aggregation.contributors(annual_2026, [self.old_lao_cai, self.yen_bai])
        old_lao_cai_ids = {u.pk for u in below[self.old_lao_cai.pk]}
        self.assertTrue({self.cam_duong.pk, self.phuong_lao_cai.pk} <= old_lao_cai_ids)
        # Today's province straddles old Lào Cai and Yên Bái: it is split between neither.
        self.assertNotIn(self.lao_cai.pk, old_lao_cai_ids)
        self.assertNotIn(self.cam_duong.pk, {u.pk for u in below[self.yen_bai.pk]})
        approved = aggregation.figures(annual_2026, [self.old_lao_cai])
        self.assertEqual(self.value(approved, "women_trained", self.old_lao_cai.pk), 10)

    def test_the_mid_term_review_is_offered_the_annual_reports_of_the_phase(self):
        make_report(rnd("annual", 2023), self.old_lao_cai, APPROVED, frozen={"women_trained": 10})
        make_report(rnd("annual", 2023), self.yen_bai, APPROVED, frozen={"women_trained": 5})
        make_report(rnd("annual", 2024), self.old_lao_cai, APPROVED, frozen={"women_trained": 20})
        make_report(rnd("annual", 2024), self.yen_bai, SUBMITTED, frozen={"women_trained": 7})
        make_report(rnd("annual", 2025), self.lao_cai, APPROVED, frozen={"women_trained": 30})
        suggestions = aggregation.phase_suggestions(rnd("midterm", 2025), self.lao_cai, [self.trained, self.share])
        self.assertEqual(suggestions, {"women_trained": 65})

    def test_a_split_commune_counts_under_its_primary_successor_only(self):
        link = Succession.objects.filter(predecessor__code="00007", predecessor__level="commune",
                                         is_primary=True).select_related("predecessor", "successor").get()
        other = Succession.objects.filter(predecessor=link.predecessor, is_primary=False).select_related(
            "successor").first().successor
        semiannual = rnd("semiannual", 2025)
        make_report(semiannual, link.predecessor, APPROVED, frozen={"women_trained": 9})
        below = aggregation.contributors(semiannual, [link.successor, other])
        self.assertIn(link.predecessor.pk, {u.pk for u in below[link.successor.pk]})
        self.assertNotIn(link.predecessor.pk, {u.pk for u in below[other.pk]})
        approved = aggregation.figures(semiannual, [link.successor, other], indicators=[self.trained])
        self.assertEqual(self.value(approved, "women_trained", link.successor.pk), 9)
        self.assertIsNone(self.value(approved, "women_trained", other.pk))

    def test_geographies_below_a_unit(self):
        old = aggregation.units_below(self.lao_cai, aggregation.OLD)
        self.assertEqual([u.pk for u in old], [self.old_lao_cai.pk, self.yen_bai.pk])
        today = aggregation.units_below(self.lao_cai, aggregation.TODAY)
        self.assertEqual(len(today), 99)
        old_today = aggregation.units_below(self.old_lao_cai, aggregation.TODAY)
        self.assertIn(self.cam_duong.pk, {u.pk for u in old_today})
        self.assertEqual(len(aggregation.territory_units(self.lao_cai, aggregation.OLD)),
                         AdminUnit.objects.filter(current_province=self.lao_cai, valid_to__isnull=False).count())


class QueryCountTests(AggregationBase):
    """Set-based: the number of queries does not grow with the units or the indicators."""

    def test_approved_figures_of_every_commune_cost_the_same_as_of_one(self):
        annual_2026 = rnd("annual", 2026)
        communes = list(AdminUnit.objects.filter(parent=self.lao_cai).order_by("code"))
        for commune in communes[:40]:
            make_report(annual_2026, commune, APPROVED, frozen={"women_trained": 1, "jobs_coop_women": 2})
        # the catalogue, the reports of the units, their values
        with self.assertNumQueries(3):
            found = aggregation.figures(annual_2026, communes)
        self.assertEqual(sum(f.value or 0 for f in found["women_trained"].values()), 40)
        # units of the other era: + their contributors (scope rows, then successions of shared units)
        with self.assertNumQueries(4):
            aggregation.figures(rnd("annual", 2024), communes)

    def test_contributors_of_many_units(self):
        annual_2026 = rnd("annual", 2026)
        provinces = list(AdminUnit.objects.current().filter(level=Level.PROVINCE))
        with self.assertNumQueries(1):  # the children valid on the cut-off end
            aggregation.contributors(annual_2026, provinces)
        old = list(AdminUnit.objects.filter(level=Level.PROVINCE, valid_to__isnull=False))
        with self.assertNumQueries(3):  # scope rows, successors' predecessors, today's units
            aggregation.contributors(annual_2026, old)

    def test_a_report_and_its_units_below(self):
        annual_2026 = rnd("annual", 2026)
        communes = list(AdminUnit.objects.filter(parent=self.lao_cai).order_by("code"))
        with self.assertNumQueries(2):  # the reports, their values (no report is frozen: no compute)
            aggregation.row_figures(annual_2026, communes, indicators=[self.trained, self.share])
        indicators = aggregation.active_indicators()
        first = self._count(lambda: aggregation.row_figures(annual_2026, communes[:5], indicators=indicators))
        every = self._count(lambda: aggregation.row_figures(annual_2026, communes, indicators=indicators))
        self.assertEqual(first, every)

    def _count(self, call) -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            call()
        return len(queries)

