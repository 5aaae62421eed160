import datetime

from htxnu.core.tests.base import HtxTestCase
from htxnu.geo.models import AdminUnit, Level
from htxnu.plans.tests.helpers import make_plan, target
from htxnu.reporting import periods, selectors, services
from htxnu.reporting.models import ReportState, Round

from .helpers import consolidated_coop, make_report, old_unit, rnd

D = datetime.date


class PeriodTests(HtxTestCase):
    def test_cut_offs_follow_decree_09(self):
        self.assertEqual(periods.cutoff("semiannual", 2024), (D(2023, 12, 15), D(2024, 6, 14)))
        self.assertEqual(periods.cutoff("annual", 2024), (D(2023, 12, 15), D(2024, 12, 14)))
        self.assertEqual(periods.cutoff("quarterly", 2024, 1), (D(2023, 12, 15), D(2024, 3, 14)))
        self.assertEqual(periods.cutoff("quarterly", 2024, 3), (D(2024, 6, 15), D(2024, 9, 14)))
        self.assertEqual(periods.cutoff("midterm", 2025), (D(2022, 12, 15), D(2025, 12, 14)))

    def test_a_plans_day_and_month_land_after_the_period(self):
        self.assertEqual(periods.deadline_from_rule(D(2024, 12, 14), 11, 15), D(2024, 11, 15))
        self.assertEqual(periods.deadline_from_rule(D(2024, 12, 14), 1, 15), D(2025, 1, 15))
        self.assertEqual(periods.deadline_from_rule(D(2025, 6, 14), 11, 10), D(2025, 11, 10))
        self.assertEqual(periods.deadline_from_rule(D(2026, 3, 14), 2, 29), D(2026, 2, 28))  # a common year

    def test_a_quarter_rule_lands_in_its_quarter(self):
        q1_2024, q2_2025 = periods.cutoff("quarterly", 2024, 1)[1], periods.cutoff("quarterly", 2025, 2)[1]
        self.assertEqual(periods.quarter_deadline(q1_2024, month_of_quarter=3, day=20), D(2024, 3, 20))
        self.assertEqual(periods.quarter_deadline(q2_2025, month_of_quarter=1, day=10), D(2025, 4, 10))
        self.assertEqual(periods.quarter_deadline(q2_2025, month_of_quarter=3, day=31), D(2025, 6, 30))
        self.assertEqual(periods.quarter_deadline(q1_2024, days_after_end=5), D(2024, 4, 5))
        self.assertEqual(periods.quarter_deadline(q2_2025, days_after_end=10), D(2025, 7, 10))

    def test_the_regular_rounds_exist_without_anyone_typing_them(self):
        regular = Round.objects.regular()
        self.assertEqual(regular.count(), 8 * 6 + 2)
        self.assertEqual(regular.get(kind="final").data_end, D(2030, 12, 14))
        from importlib import import_module

        from django.apps import apps
        import_module("htxnu.reporting.migrations.0002_regular_rounds").load(apps, None)  # again: nothing new
        self.assertEqual(regular.count(), 50)


class DeadlineTests(HtxTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.old_lao_cai = old_unit("10", Level.PROVINCE)
        cls.old_city = old_unit("080", Level.DISTRICT)
        cls.pom_han = old_unit("02653")
        cls.vinh_thuan = AdminUnit.objects.get(level=Level.DISTRICT, name="Huyện Vĩnh Thuận")
        cls.vinh_thuan_commune = AdminUnit.objects.filter(parent=cls.vinh_thuan).order_by("code").first()
        cls.nam_dinh = old_unit("36", Level.PROVINCE)
        cls.nam_dinh_district = AdminUnit.objects.filter(parent=cls.nam_dinh).order_by("code").first()
        make_plan(cls.central, cls.country, number="01/QĐ-TTg", phases=[(2023, 2025), (2026, 2030)],
                  reporting={"periods": ["semiannual", "annual"], "deadline": None})
        make_plan(cls.central, cls.old_lao_cai, number="294/KH-UBND", phases=[(2023, 2025), (2026, 2030)])
        make_plan(cls.central, cls.vinh_thuan, number="58/KH-UBND", date="2025-03-01", phases=[(2025, 2025)],
                  reporting={"periods": ["semiannual", "annual"], "deadline": "11-10"})
        make_plan(cls.central, cls.nam_dinh, number="89/KH-UBND", reporting={"periods": ["annual"],
                                                                            "deadline": "11-30"})

    def test_deadlines_come_from_the_plan_in_force_above_the_unit(self):
        annual_2024, semiannual_2025 = rnd("annual", 2024), rnd("semiannual", 2025)
        found = selectors.deadlines([
            (annual_2024, self.pom_han), (annual_2024, self.old_city), (annual_2024, self.old_lao_cai),
            (annual_2024, self.nam_dinh_district), (semiannual_2025, self.vinh_thuan_commune),
            (annual_2024, self.vinh_thuan_commune), (rnd("annual", 2026), self.cam_duong),
        ])
        by = {(r, u): d for (r, u), d in found.items()}
        self.assertEqual(by[(annual_2024.pk, self.pom_han.pk)], selectors.Deadline(D(2024, 11, 15), "plan",
                                                                                   "294/KH-UBND"))
        self.assertEqual(by[(annual_2024.pk, self.old_city.pk)].date, D(2024, 11, 15))
        # A unit's own plan sets the deadlines of the units below it; old Lào Cai follows the national plan,
        # which sets none.
        self.assertEqual(by[(annual_2024.pk, self.old_lao_cai.pk)], selectors.Deadline(D(2024, 12, 20), "default"))
        self.assertEqual(by[(annual_2024.pk, self.nam_dinh_district.pk)].date, D(2024, 11, 30))
        self.assertEqual(by[(semiannual_2025.pk, self.vinh_thuan_commune.pk)].date, D(2025, 11, 10))
        # Vĩnh Thuận's plan is for 2025 only.
        self.assertEqual(by[(annual_2024.pk, self.vinh_thuan_commune.pk)].source, "default")
        # Old Lào Cai's plan governs nothing after 30/6/2025.
        self.assertEqual(by[(rnd("annual", 2026).pk, self.cam_duong.pk)], selectors.Deadline(D(2026, 12, 20),
                                                                                             "default"))

    def test_the_nearest_plan_wins_and_an_override_wins_over_plans(self):
        make_plan(self.central, self.old_city, number="12/KH-UBND", reporting={"periods": ["annual"],
                                                                               "deadline": "11-05"})
        annual_2024 = rnd("annual", 2024)
        self.assertEqual(selectors.deadline(annual_2024, self.pom_han), selectors.Deadline(D(2024, 11, 5), "plan",
                                                                                           "12/KH-UBND"))
        services.deadline_set(actor=self.province, round=annual_2024, unit=self.pom_han, deadline=D(2024, 12, 1),
                              reason="Sáp nhập")
        self.assertEqual(selectors.deadline(annual_2024, self.pom_han),
                         selectors.Deadline(D(2024, 12, 1), "override", reason="Sáp nhập"))

    def test_quarterly_reports_are_due_by_the_plans_quarter_rule(self):
        make_plan(self.central, self.old_city, number="13/KH-UBND", reporting={
            "periods": ["quarterly", "annual"], "deadline": "11-05", "deadlines": {"annual": "11-05"},
            "quarter_deadline": {"month_of_quarter": 3, "day": 20}})
        self.assertEqual(selectors.deadline(rnd("quarterly", 2024, 3), self.pom_han),
                         selectors.Deadline(D(2024, 9, 20), "plan", "13/KH-UBND"))
        self.assertEqual(selectors.deadline(rnd("annual", 2024), self.pom_han).date, D(2024, 11, 5))
        make_plan(self.central, self.nam_dinh, number="90/KH-UBND", date="2023-06-01", reporting={
            "periods": ["quarterly", "annual"], "deadline": "11-30", "quarter_deadline": {"days_after_end": 5}})
        self.assertEqual(selectors.deadline(rnd("quarterly", 2024, 2), self.nam_dinh_district),
                         selectors.Deadline(D(2024, 7, 5), "plan", "90/KH-UBND"))

    def test_a_quarterly_report_never_takes_the_annual_deadline(self):
        make_plan(self.central, self.old_city, number="14/KH-UBND", reporting={
            "periods": ["quarterly", "annual"], "deadline": "11-05"})
        found = selectors.deadline(rnd("quarterly", 2024, 1), self.pom_han)
        self.assertEqual(found.date, D(2024, 3, 20))  # the default, not 05/11
        self.assertNotEqual(found.plan, "14/KH-UBND")

    def test_deadlines_of_every_commune_in_two_queries(self):
        annual_2026 = rnd("annual", 2026)
        communes = list(AdminUnit.objects.filter(parent=self.lao_cai))
        with self.assertNumQueries(2):  # overrides, the plans' rules over the units
            found = selectors.deadlines([(annual_2026, c) for c in communes])
        self.assertEqual(len(found), 99)


class CompletenessTests(HtxTestCase):
    def test_on_time_late_overdue_and_not_yet_due(self):
        annual_2026 = rnd("annual", 2026)
        communes = list(AdminUnit.objects.filter(parent=self.lao_cai).order_by("code")[:5])
        make_report(annual_2026, communes[0], ReportState.APPROVED, submitted=D(2026, 12, 10))
        make_report(annual_2026, communes[1], ReportState.SUBMITTED, submitted=D(2026, 12, 22))
        make_report(annual_2026, communes[2], ReportState.RETURNED, submitted=D(2026, 12, 20))
        make_report(annual_2026, communes[3], ReportState.DRAFT)
        with self.assertNumQueries(3):  # reports, overrides, plans' rules
            before = selectors.completeness(annual_2026, communes, today=D(2026, 12, 1))
        self.assertEqual([r.status for r in before.rows], ["on_time", "late", "on_time", "not_due", "not_due"])
        after = selectors.completeness(annual_2026, communes, today=D(2027, 1, 5))
        self.assertEqual([r.status for r in after.rows], ["on_time", "late", "on_time", "overdue", "overdue"])
        self.assertEqual((after.expected, after.submitted, after.on_time, after.approved), (5, 3, 2, 1))
        self.assertEqual((after.rate, after.on_time_rate, after.approved_rate), (60.0, 40.0, 20.0))


class RoundsAndTargetsTests(HtxTestCase):
    def test_quarterly_rounds_only_where_a_plan_asks(self):
        rounds = selectors.rounds_for(self.commune, self.cam_duong, D(2026, 11, 1))
        self.assertFalse([r for r in rounds if r.kind == "quarterly"])
        self.assertIn(rnd("annual", 2026).pk, {r.pk for r in rounds})
        self.assertNotIn(rnd("annual", 2027).pk, {r.pk for r in rounds})  # not started
        make_plan(self.central, self.lao_cai, number="5/KH", phases=[(2026, 2030)],
                  reporting={"periods": ["quarterly", "annual"], "deadline": "11-15"})
        rounds = selectors.rounds_for(self.commune, self.cam_duong, D(2026, 11, 1))
        self.assertEqual(len([r for r in rounds if r.kind == "quarterly" and r.year == 2026]), 4)

    def test_ad_hoc_requests_from_above_only(self):
        services.round_request(actor=self.province, unit=self.lao_cai, title="Bão số 3", description="",
                               data_start=D(2026, 9, 1), data_end=D(2026, 9, 30), deadline=D(2026, 10, 5))
        self.assertTrue([r for r in selectors.rounds_for(self.commune, self.cam_duong, D(2026, 10, 1))
                         if r.kind == "ad_hoc"])
        self.assertFalse([r for r in selectors.rounds_for(self.other_province, self.lai_chau, D(2026, 10, 1))
                          if r.kind == "ad_hoc"])

    def test_targets_beside_the_figures(self):
        old_lao_cai = old_unit("10", Level.PROVINCE)
        make_plan(self.central, old_lao_cai, number="294/KH-UBND", phases=[(2023, 2025)], targets=[
            target("coops_consolidated", 2025, ">=", 4),
            target("coops_new", 2024, "=", 2, cumulative=False),
        ])
        consolidated_coop(self.cam_duong, registered=old_unit("02653"), on=D(2023, 6, 1), name="A")
        consolidated_coop(self.cam_duong, registered=old_unit("02653"), on=D(2024, 6, 1), name="B")
        annual_2024 = rnd("annual", 2024)
        from htxnu.reporting import aggregation

        figures = aggregation.report_figures(annual_2024, old_lao_cai, None)
        plan, found = selectors.targets_for(annual_2024, old_lao_cai, figures, aggregation.active_indicators())
        self.assertEqual(plan.number, "294/KH-UBND")
        consolidated = found["coops_consolidated"]
        # "≥ 4 by 2025": measured from the plan's start to the cut-off end, 2 so far.
        self.assertEqual((consolidated.cumulative, consolidated.measured, consolidated.share), (True, 2, 50))
        self.assertEqual((found["coops_new"].cumulative, found["coops_new"].measured), (False, 0))
        # Today's Lào Cai in the mid-term review: the plan of its predecessor, compared with the phase.
        midterm = rnd("midterm", 2025)
        figures = aggregation.report_figures(midterm, self.lao_cai, None)
        plan, found = selectors.targets_for(midterm, self.lao_cai, figures, aggregation.active_indicators())
        self.assertEqual((plan.number, found["coops_consolidated"].measured), ("294/KH-UBND", 2))
        self.assertFalse(found["coops_consolidated"].cumulative)
