"""The plan in force and its threshold, on the real units across 1 July 2025, and who
sees which plan."""

import datetime
from decimal import Decimal

from htxnu.core.tests.base import HtxTestCase, unit
from htxnu.geo.models import Level
from htxnu.plans import selectors
from htxnu.plans.models import Plan
from htxnu.registry import services as registry
from htxnu.registry.eligibility import Threshold, evaluate
from htxnu.registry.models import CollectiveType

from .helpers import make_plan, old_unit

PHASE_1 = datetime.date(2024, 5, 1)
PHASE_2 = datetime.date(2026, 5, 1)


class ThresholdInForceTests(HtxTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.old_lao_cai = old_unit("10", Level.PROVINCE)
        cls.old_tp_lao_cai = old_unit("080", Level.DISTRICT)
        cls.pom_han = old_unit("02653")  # an old ward of Thành phố Lào Cai, now in Phường Cam Đường
        cls.yen_bai_ward = unit("04252")  # Phường Yên Bái: today's Lào Cai, from old Yên Bái
        # Lào Cai 294/KH-UBND: > 70% for its targets, > 80% describing its target group.
        cls.plan_294 = make_plan(cls.central, cls.old_lao_cai, number="294/KH-UBND", date="2023-07-06",
                                 phases=[(2023, 2025), (2026, 2030)], thresholds=[(">", 70), (">", 80)])

    def threshold(self, where, when):
        found = selectors.female_share_threshold(where, when)
        return None if found is None else (found.op, found.pct, found.source)

    def test_the_threshold_that_applies_to_targets_is_used_and_both_are_kept(self):
        self.assertEqual(self.threshold(self.old_lao_cai, PHASE_1), (">", Decimal(70), "294/KH-UBND"))
        self.assertEqual(self.plan_294.thresholds.count(), 2)

    def test_a_plan_of_old_lao_cai_applies_to_today_s_communes_that_came_from_it_in_phase_1(self):
        self.assertEqual(self.threshold(self.cam_duong, PHASE_1)[:2], (">", Decimal(70)))
        self.assertEqual(self.threshold(self.pom_han, PHASE_1)[:2], (">", Decimal(70)))
        self.assertEqual(self.threshold(self.lao_cai, PHASE_1)[:2], (">", Decimal(70)))

    def test_and_after_the_reorganisation_until_a_plan_of_today_replaces_it(self):
        # 294/KH-UBND runs to 2030: it keeps governing old Lào Cai's territory (plans.governing).
        self.assertEqual(self.threshold(self.cam_duong, PHASE_2), (">", Decimal(70), "294/KH-UBND"))
        self.assertEqual(self.threshold(self.pom_han, PHASE_2)[:2], (">", Decimal(70)))
        make_plan(self.central, self.lao_cai, number="50/KH-UBND", date="2025-12-01", phases=[(2026, 2030)])
        self.assertIsNone(self.threshold(self.cam_duong, PHASE_2))  # today's plan sets none: the default

    def test_not_to_the_communes_that_came_from_yen_bai(self):
        self.assertIsNone(self.threshold(self.yen_bai_ward, PHASE_1))
        self.assertIsNone(self.threshold(self.yen_bai_ward, PHASE_2))

    def test_a_commune_of_two_former_districts_takes_the_stricter(self):
        make_plan(self.central, self.old_tp_lao_cai, number="12/KH-UBND", phases=[(2023, 2030)],
                  thresholds=[(">=", 60)])
        make_plan(self.central, old_unit("086", Level.DISTRICT), number="13/KH-UBND", phases=[(2023, 2030)],
                  thresholds=[(">", 75)])
        self.assertEqual(self.threshold(self.phuong_lao_cai, PHASE_2), (">", Decimal(75), "13/KH-UBND"))
        self.assertEqual(self.threshold(self.cam_duong, PHASE_2), (">=", Decimal(60), "12/KH-UBND"))

    def test_the_nearest_plan_that_sets_one_wins_and_a_plan_without_one_follows_the_level_above(self):
        make_plan(self.central, self.old_tp_lao_cai, number="12/KH-UBND", thresholds=[(">=", 60)])
        self.assertEqual(self.threshold(self.cam_duong, PHASE_1)[:3], (">=", Decimal(60), "12/KH-UBND"))
        # Phường Lào Cai came from the same district (and from Bảo Thắng): the district's plan applies.
        self.assertEqual(self.threshold(self.phuong_lao_cai, PHASE_1)[0:2], (">=", Decimal(60)))
        # A commune plan without a threshold leaves the district's in force.
        make_plan(self.central, self.pom_han, number="3/KH-UBND")
        self.assertEqual(self.threshold(self.pom_han, PHASE_1)[2], "12/KH-UBND")
        self.assertEqual(selectors.plan_in_force(self.pom_han, PHASE_1).number, "3/KH-UBND")

    def test_a_plan_of_today_s_province_governs_phase_2(self):
        make_plan(self.central, self.lao_cai, number="50/KH-UBND", date="2025-12-01", phases=[(2026, 2030)],
                  thresholds=[(">", 50)])
        self.assertEqual(self.threshold(self.cam_duong, PHASE_2)[:3], (">", Decimal(50), "50/KH-UBND"))
        self.assertEqual(self.threshold(self.yen_bai_ward, PHASE_2)[2], "50/KH-UBND")
        self.assertEqual(self.threshold(self.cam_duong, PHASE_1)[2], "294/KH-UBND")

    def test_the_most_recently_issued_of_two_plans_of_a_unit_wins(self):
        make_plan(self.central, self.old_lao_cai, number="34/KH-UBND", date="2025-03-10", phases=[(2025, 2025)],
                  thresholds=[(">", 55)])
        self.assertEqual(self.threshold(self.cam_duong, datetime.date(2025, 4, 1))[2], "34/KH-UBND")
        self.assertEqual(self.threshold(self.cam_duong, datetime.date(2024, 4, 1))[2], "294/KH-UBND")

    def test_plans_in_force_nearest_first_and_one_query(self):
        national = make_plan(self.central, self.country, number="01/QĐ-TTg", phases=[(2023, 2025), (2026, 2030)])
        with self.assertNumQueries(1):
            found = selectors.plans_in_force(self.cam_duong, PHASE_1)
        self.assertEqual(found, [self.plan_294, national])
        self.assertEqual(selectors.plans_in_force(self.cam_duong, PHASE_2), [national])
        # The target thresholds with their plans and units, the plans of units of the day
        # (they replace their predecessors' thresholds), the unit's predecessors, their scope
        # rows under the plans' units.
        with self.assertNumQueries(4):
            self.assertIsNotNone(selectors.female_share_threshold(self.cam_duong, PHASE_1))

    def test_the_registry_s_eligibility_uses_the_threshold_in_force(self):
        coop = registry.collective_create(
            actor=self.commune, type=CollectiveType.HTX, name="HTX Hoa Mận", commune=self.cam_duong,
            founded_on=datetime.date(2023, 3, 1))
        registry.workforce_record(actor=self.commune, collective=coop, as_of=datetime.date(2024, 12, 31), members=10,
                                  female_members=7, workers=20, female_workers=13, women_stable_jobs=13)  # 65%
        coop.refresh_from_db()
        result = evaluate(coop, date=datetime.date(2024, 12, 31))
        self.assertEqual(result.threshold, Threshold(">", Decimal(70), "294/KH-UBND"))
        self.assertFalse(result.women_jobs)
        self.assertEqual(result.women_jobs_reason, "lao động nữ 65% ≤ 70%")
        # In 2026 old Lào Cai's plan still governs its territory (it runs to 2030)…
        registry.workforce_record(actor=self.commune, collective=coop, as_of=datetime.date(2026, 1, 31), members=10,
                                  female_members=7, workers=20, female_workers=13, women_stable_jobs=13)
        coop.refresh_from_db()
        self.assertFalse(evaluate(coop).women_jobs)
        # …until today's Lào Cai has a plan of its own (setting none: the default, > 50%).
        make_plan(self.central, self.lao_cai, number="50/KH-UBND", date="2025-12-01", phases=[(2026, 2030)])
        self.assertTrue(evaluate(coop).women_jobs)

    def test_no_unit_no_threshold(self):
        self.assertIsNone(selectors.female_share_threshold(None, PHASE_1))


class WhoSeesWhichPlanTests(HtxTestCase):
    """A user sees the plans of her unit and below, and the plans above that apply to her
    territory (in both geographies), so the targets cascaded to her are in view."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.national = make_plan(cls.central, cls.country, number="01/QĐ-TTg")
        cls.old_province = make_plan(cls.central, old_unit("10", Level.PROVINCE), number="294/KH-UBND")
        cls.province_plan = make_plan(cls.central, cls.lao_cai, number="50/KH-UBND", phases=[(2026, 2030)])
        cls.commune_plan = make_plan(cls.central, cls.cam_duong, number="7/KH-UBND", phases=[(2026, 2030)])
        cls.sibling_plan = make_plan(cls.central, cls.phuong_lao_cai, number="8/KH-UBND", phases=[(2026, 2030)])
        cls.lai_chau_plan = make_plan(cls.central, cls.lai_chau, number="219/KH-UBND")
        cls.yen_bai_plan = make_plan(cls.central, old_unit("15", Level.PROVINCE), number="99/KH-UBND")

    def visible(self, user):
        return set(Plan.objects.visible_to(user).values_list("number", flat=True))

    def test_a_commune_sees_its_plan_and_the_plans_above_in_both_geographies(self):
        self.assertEqual(self.visible(self.commune),
                         {"01/QĐ-TTg", "294/KH-UBND", "50/KH-UBND", "7/KH-UBND"})

    def test_a_sibling_sees_the_same_plans_above_but_not_cam_duong_s(self):
        self.assertEqual(self.visible(self.sibling), {"01/QĐ-TTg", "294/KH-UBND", "50/KH-UBND", "8/KH-UBND"})

    def test_the_province_sees_everything_below_it_including_yen_bai_and_the_national_plan(self):
        self.assertEqual(self.visible(self.province),
                         {"01/QĐ-TTg", "294/KH-UBND", "99/KH-UBND", "50/KH-UBND", "7/KH-UBND", "8/KH-UBND"})
        self.assertEqual(self.visible(self.partner), self.visible(self.province))

    def test_another_province_sees_its_own_and_the_national_plan_only(self):
        self.assertEqual(self.visible(self.other_province), {"01/QĐ-TTg", "219/KH-UBND"})

    def test_central_sees_all_and_nobody_without_an_organisation_sees_any(self):
        self.assertEqual(len(self.visible(self.central)), 7)
        self.commune.organisation = None
        self.commune._scope_root_id = None
        self.assertEqual(self.visible(self.commune), set())

    def test_the_list_sections_of_a_commune(self):
        below = [p.number for p in selectors.plans_of_unit_and_below(self.commune, self.cam_duong)]
        above = {p.number for p in selectors.plans_above(self.commune, self.cam_duong)}
        self.assertEqual(below, ["7/KH-UBND"])
        self.assertEqual(above, {"01/QĐ-TTg", "294/KH-UBND", "50/KH-UBND"})

    def test_basis_documents_link_to_plans_of_the_system_however_the_number_is_written(self):
        plan = make_plan(self.central, self.cam_duong, number="9/KH", basis=[
            {"number": "01/ĐA-TTg", "date": "2023-01-03"}, {"number": "50/KH-ubnd"}, {"number": "235/KH-ĐCT"},
        ])
        links = selectors.basis_links(self.commune, plan)
        linked = {plan.basis.get(pk=pk).number: p.number for pk, p in links.items()}
        self.assertEqual(linked, {"01/ĐA-TTg": "01/QĐ-TTg", "50/KH-ubnd": "50/KH-UBND"})
