"""Each consistency check, on plans of old Lào Cai and its nine districts."""

from htxnu.core.tests.base import HtxTestCase
from htxnu.geo.models import AdminUnit, Level
from htxnu.plans import checks
from htxnu.plans.models import Plan

from .helpers import make_plan, old_unit, target


def within(indicator, year, op, value, **kw):
    return target(indicator, year, op, value, cumulative=False, **kw)


class ChecksTests(HtxTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.old_lao_cai = old_unit("10", Level.PROVINCE)
        cls.districts = list(AdminUnit.objects.filter(parent=cls.old_lao_cai).order_by("code"))
        cls.numbers = iter(range(1, 1000))

    def plan(self, unit=None, **kwargs):
        kwargs.setdefault("number", f"{next(self.numbers)}/KH")
        return make_plan(self.central, unit or self.old_lao_cai, **kwargs)

    def problems(self, plan, code=None):
        found = checks.problems_for([Plan.objects.select_related("unit").get(pk=plan.pk)])[plan.pk]
        return [p.message for p in found if code is None or p.code == code]

    # yearly targets against the phase target

    def test_nam_dinh_100_300_250_make_650_and_are_consistent(self):
        plan = self.plan(targets=[
            target("jobs_total_women", 2025, "=", 650), within("jobs_total_women", 2023, "=", 100),
            within("jobs_total_women", 2024, "=", 300), within("jobs_total_women", 2025, "=", 250),
        ])
        self.assertEqual(self.problems(plan, checks.YEARLY_SUM), [])

    def test_yearly_targets_short_of_the_phase_target(self):
        plan = self.plan(targets=[
            target("jobs_total_women", 2025, "=", 650), within("jobs_total_women", 2023, "=", 100),
            within("jobs_total_women", 2024, "=", 300), within("jobs_total_women", 2025, "=", 200),
        ])
        self.assertEqual(self.problems(plan, checks.YEARLY_SUM), [
            "Các chỉ tiêu năm 2023–2025 cộng lại được 600, thấp hơn chỉ tiêu đến năm 2025 (650)."])

    def test_yearly_targets_above_the_phase_target_even_with_a_year_missing(self):
        # 2023 has no yearly target; 2024 "at least 3" and 2025 "3" already make 6 or more.
        plan = self.plan(targets=[
            target("coops_new", 2025, "=", 5), within("coops_new", 2024, ">=", 3), within("coops_new", 2025, "=", 3),
        ])
        self.assertEqual(self.problems(plan, checks.YEARLY_SUM), [
            "Các chỉ tiêu năm 2023–2025 cộng lại được ≥ 6, vượt chỉ tiêu đến năm 2025 (5)."])
        # Against "5–7" the same yearly targets are fine.
        consistent = self.plan(targets=[
            {"indicator": "coops_new", "year": 2025, "cumulative": True, "op": "between", "value": [5, 7]},
            within("coops_new", 2024, ">=", 3), within("coops_new", 2025, "=", 3),
        ])
        self.assertEqual(self.problems(consistent, checks.YEARLY_SUM), [])

    def test_phase_2_adds_to_the_phase_1_target(self):
        plan = self.plan(phases=[(2023, 2025), (2026, 2030)], targets=[
            target("coops_new", 2025, "=", 4), target("coops_new", 2030, "=", 10),
            *[within("coops_new", y, "=", 1) for y in range(2026, 2031)],
        ])
        self.assertEqual(self.problems(plan, checks.YEARLY_SUM), [
            "Các chỉ tiêu năm 2025 và 2026–2030 cộng lại được 9, thấp hơn chỉ tiêu đến năm 2030 (10)."])

    def test_consolidation_counts_and_percentages_do_not_add_up_by_year(self):
        plan = self.plan(targets=[
            target("coops_consolidated", 2025, ">=", 10), within("coops_consolidated", 2023, ">=", 10),
            within("coops_consolidated", 2024, "=", 30), target("managers_trained_pct", 2025, "=", 100),
            within("managers_trained_pct", 2023, "=", 100),
        ])
        self.assertEqual(self.problems(plan, checks.YEARLY_SUM), [])

    # units below

    def test_units_below_with_no_plan(self):
        parent = self.plan()
        self.plan(self.districts[0])
        self.plan(self.districts[1], phases=[(2024, 2025)])
        self.assertEqual(len(self.districts), 9)
        [message] = self.problems(parent, checks.NO_PLAN)
        self.assertTrue(message.startswith("7 trong số 9 đơn vị cấp dưới chưa có kế hoạch cho giai đoạn 2023–2025: "
                                           "Huyện Mường Khương, Huyện Si Ma Cai"), message)

    def test_units_below_together_short_of_the_parent_target(self):
        parent = self.plan(targets=[target("coops_new", 2025, "=", 10)])
        for district in self.districts:
            self.plan(district, targets=[target("coops_new", 2025, "=", 1)])
        self.assertEqual(self.problems(parent, checks.SUBUNITS_SUM), [
            "Chỉ tiêu của 9 đơn vị cấp dưới cộng lại được 9, thấp hơn chỉ tiêu 10 đến năm 2025 của kế hoạch này "
            "(HTX thành lập mới)."])

    def test_units_below_above_the_parent_target_even_before_all_have_one(self):
        parent = self.plan(targets=[target("jobs_new_women", 2025, "=", 75)])
        self.plan(self.districts[0], targets=[target("jobs_new_women", 2025, "=", 50)])
        self.plan(self.districts[1], targets=[target("jobs_new_women", 2025, "~", 30)])
        self.assertEqual(self.problems(parent, checks.SUBUNITS_SUM), [
            "Chỉ tiêu của 2 đơn vị cấp dưới cộng lại được 77–83, vượt chỉ tiêu 75 đến năm 2025 của kế hoạch này "
            "(Việc làm mới cho lao động nữ)."])

    def test_units_below_that_add_up_are_consistent(self):
        parent = self.plan(targets=[target("coops_new", 2025, "between", None) | {"value": [8, 12]}])
        for district in self.districts:
            self.plan(district, targets=[target("coops_new", 2025, ">=", 1)])
        self.assertEqual(self.problems(parent, checks.SUBUNITS_SUM), [])

    def test_each_unit_below_at_least_one_htx(self):
        parent = self.plan(targets=[target("coops_new", 2025, ">=", 1, per_subunit=True)])
        self.plan(self.districts[0], targets=[target("coops_new", 2025, "=", 0)])
        self.plan(self.districts[1], targets=[target("coops_new", 2025, "=", 2)])
        self.assertEqual(self.problems(parent, checks.SUBUNIT_MINIMUM), [
            "Mỗi đơn vị cấp dưới cần đạt ≥ 1 đến năm 2025; các đơn vị đặt thấp hơn: Thành phố Lào Cai"])

    # baseline and phases

    def test_a_target_below_the_baseline(self):
        plan = self.plan(
            baselines=[{"indicator": "coops_supported", "value": 13, "members": 135}],
            targets=[target("coops_consolidated", 2025, ">=", 10), target("groups_consolidated", 2025, ">=", 12)],
        )
        self.assertEqual(self.problems(plan, checks.BELOW_BASELINE), [
            "Chỉ tiêu đến năm 2025 (≥ 10) thấp hơn số liệu nền: 13 HTX do Hội hỗ trợ thành lập có nữ quản lý."])
        lao_cai = self.plan(baselines=[{"indicator": "coops_supported", "value": 13}],
                            targets=[target("coops_consolidated", 2025, ">=", 13)])
        self.assertEqual(self.problems(lao_cai, checks.BELOW_BASELINE), [])

    def test_phases_that_do_not_match_the_national_phases(self):
        self.assertEqual(self.problems(self.plan(phases=[(2023, 2025), (2026, 2030)]), checks.PHASE_YEARS), [])
        self.assertEqual(self.problems(self.plan(phases=[(2025, 2025)]), checks.PHASE_YEARS), [])
        self.assertEqual(self.problems(self.plan(phases=[(None, 2025)]), checks.PHASE_YEARS), [])
        self.assertEqual(self.problems(self.plan(phases=[(2024, 2027)]), checks.PHASE_YEARS), [
            "Giai đoạn 2024–2027 không nằm trong một giai đoạn của Đề án (2023–2025, 2026–2030)."])
        self.assertEqual(self.problems(self.plan(phases=[(2023, 2024)]), checks.PHASE_YEARS), [
            "Giai đoạn 2023–2024 kết thúc trước giai đoạn 2023–2025 của Đề án."])
        outside = self.plan(phases=[(2026, 2030)], targets=[target("coops_new", 2031, "=", 1)])
        self.assertEqual(self.problems(outside, checks.PHASE_YEARS), [
            "Chỉ tiêu đến năm 2031 về “HTX thành lập mới” nằm ngoài các giai đoạn của kế hoạch."])

    def test_the_national_plan_s_phases_are_the_reference_when_it_is_in_the_system(self):
        self.plan(self.country, phases=[(2023, 2026), (2027, 2030)])
        self.assertEqual(checks.national_phases(), ((2023, 2026), (2027, 2030)))

    def test_many_plans_are_checked_in_a_fixed_number_of_queries(self):
        plans = [self.plan(targets=[target("coops_new", 2025, "=", 3)]) for _ in range(3)]
        for district in self.districts[:3]:
            self.plan(district, targets=[target("coops_new", 2025, "=", 1)])
        plans = list(Plan.objects.filter(pk__in=[p.pk for p in plans]).select_related("unit"))
        # targets, phases, baselines, national phases, units below, their plans, their targets
        with self.assertNumQueries(7):
            found = checks.problems_for(plans)
        self.assertEqual(len(found), 3)
