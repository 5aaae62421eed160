"""Plans in force across 1 July 2025 (plans.governing): today's units without a plan of
their own report against the plans of the units they were formed from."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.test.utils import override_settings
from django.utils import translation

from htxnu.core.tests.base import HtxTestCase
from htxnu.geo.models import Level
from htxnu.plans import governing
from htxnu.plans.tests.helpers import make_plan, old_unit, target

D = datetime.date
END_2026 = D(2026, 12, 14)
PHASES = [(2023, 2025), (2026, 2030)]


def by_code(targets):
    return {t.indicator.code: t for t in targets}


class GoverningBase(HtxTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.old_lao_cai = old_unit("10", Level.PROVINCE)
        cls.yen_bai = old_unit("15", Level.PROVINCE)
        cls.lao_cai_city = old_unit("080", Level.DISTRICT)
        cls.bao_thang = old_unit("086", Level.DISTRICT)
        cls.plan_294 = make_plan(cls.central, cls.old_lao_cai, number="294/KH-UBND", date="2023-07-06",
                                 phases=PHASES, targets=[
                                     target("coops_consolidated", 2030, ">=", 20),
                                     target("jobs_coop_women", 2030, "=", 400),
                                     target("members_vocational_pct", None, ">=", 50, cumulative=False),
                                 ])
        cls.plan_yb = make_plan(cls.central, cls.yen_bai, number="12/KH-UBND", date="2023-08-01", phases=PHASES,
                                targets=[
                                    target("coops_consolidated", 2030, ">=", 15),
                                    target("members_vocational_pct", None, ">=", 60, cumulative=False),
                                ])



@override_settings(LANGUAGE_CODE="vi")
class GoverningTests(GoverningBase):
    def test_today_s_lao_cai_adds_up_the_plans_of_old_lao_cai_and_yen_bai(self):
        with self.assertNumQueries(3):  # successions, plans in force, their targets
            found = governing.governing(self.lao_cai, END_2026)
        self.assertTrue(found.provisional)
        self.assertEqual([p.number for p in found.plans], ["294/KH-UBND", "12/KH-UBND"])
        targets = by_code(found.targets)
        # Absolute numbers add up; a target only one plan sets is that plan's.
        self.assertEqual(targets["coops_consolidated"].display, "≥ 35")
        self.assertEqual(targets["jobs_coop_women"].display, "400")
        # A percentage: the stricter one, each source shown.
        self.assertEqual(targets["members_vocational_pct"].display, "≥ 60%")
        with translation.override("vi"):
            self.assertEqual(found.source_text, "tạm tính từ kế hoạch 294/KH-UBND (tỉnh Lào Cai cũ) và "
                                                "12/KH-UBND (tỉnh Yên Bái cũ)")
            self.assertIn("294/KH-UBND (tỉnh Lào Cai cũ): ≥ 50%", targets["members_vocational_pct"].source_text)
            self.assertIn("12/KH-UBND (tỉnh Yên Bái cũ): ≥ 60%", targets["members_vocational_pct"].source_text)
        self.assertEqual(targets["coops_consolidated"].source_numbers, "294/KH-UBND, 12/KH-UBND")
        self.assertEqual(targets["jobs_coop_women"].source_numbers, "294/KH-UBND")

    def test_an_own_plan_replaces_the_provisional_targets_from_its_start(self):
        own = make_plan(self.province, self.lao_cai, number="50/KH-UBND", date="2026-03-01",
                        phases=[(2027, 2030)], targets=[target("coops_consolidated", 2030, ">=", 40)])
        self.assertTrue(governing.governing(self.lao_cai, END_2026).provisional)  # before its start
        found = governing.governing(self.lao_cai, D(2027, 12, 14))
        self.assertFalse(found.provisional)
        self.assertEqual((found.plan, found.plans), (own, [own]))
        self.assertEqual([t.display for t in found.targets], ["≥ 40"])
        self.assertFalse(found.targets[0].provisional)
        self.assertEqual(found.targets[0].source_numbers, "50/KH-UBND")

    def test_an_old_unit_keeps_its_own_plan(self):
        found = governing.governing(self.old_lao_cai, END_2026)
        self.assertEqual((found.own, found.provisional), (self.plan_294, False))

    def test_a_commune_formed_from_communes_of_two_old_districts(self):
        # Phường Lào Cai of today: old communes of Thành phố Lào Cai and of Huyện Bảo Thắng.
        make_plan(self.central, self.lao_cai_city, number="7/KH-UBND", phases=[(2023, 2030)], targets=[
            target("groups_new", 2030, ">=", 1, per_subunit=True),
            target("coops_new", 2030, ">=", 1, per_subunit=True),
        ])
        make_plan(self.central, self.bao_thang, number="9/KH-UBND", phases=[(2023, 2030)], targets=[
            target("groups_new", 2030, ">=", 2, per_subunit=True),
        ])
        found = governing.governing(self.phuong_lao_cai, END_2026)
        each = by_code(found.subunit_targets)
        self.assertEqual(each["groups_new"].display, "≥ 2")  # the stricter: each commune has to meet both
        self.assertEqual(each["coops_new"].display, "≥ 1")
        with translation.override("vi"):
            self.assertIn("7/KH-UBND (thành phố Lào Cai cũ)", each["groups_new"].source_text)
            self.assertIn("9/KH-UBND (huyện Bảo Thắng cũ)", each["groups_new"].source_text)
        self.assertEqual(each["coops_new"].source_numbers, "7/KH-UBND")
        # Cam Đường came from Thành phố Lào Cai only: Bảo Thắng's plan does not reach it.
        cam_duong = by_code(governing.governing(self.cam_duong, END_2026).subunit_targets)
        self.assertEqual((cam_duong["groups_new"].display, cam_duong["groups_new"].source_numbers),
                         ("≥ 1", "7/KH-UBND"))
        # A plan of today's province replaces the old districts' for its communes.
        make_plan(self.province, self.lao_cai, number="50/KH-UBND", date="2026-03-01", phases=[(2026, 2030)],
                  targets=[target("groups_new", 2030, ">=", 3, per_subunit=True)])
        each = by_code(governing.governing(self.phuong_lao_cai, END_2026).subunit_targets)
        self.assertEqual((each["groups_new"].display, each["groups_new"].source_numbers, "coops_new" in each),
                         ("≥ 3", "50/KH-UBND", False))

    def test_many_units_in_a_fixed_number_of_queries(self):
        units = [self.lao_cai, self.lai_chau, self.cam_duong, self.phuong_lao_cai, self.old_lao_cai]
        with self.assertNumQueries(3):  # successions, plans in force, their targets
            found = governing.governing_many(units, END_2026)
        self.assertEqual(set(found), {u.pk for u in units})
        self.assertFalse(found[self.lai_chau.pk].sources)


@override_settings(LANGUAGE_CODE="vi")
class AdoptAndProblemsTests(GoverningBase):
    """"Áp dụng kế hoạch", /plans/problems/ and duplicate plans (the plans of GoverningBase)."""

    def test_adopting_the_sum_replaces_the_provisional_targets_in_one_step(self):
        from htxnu.core.models import AuditEntry
        from htxnu.plans import services

        before = AuditEntry.objects.count()
        plan = services.plan_adopt(actor=self.province, unit=self.lao_cai, start_year=2026)
        self.assertEqual(set(plan.adopted_from.all()), {self.plan_294, self.plan_yb})
        self.assertEqual((plan.starts_on, plan.ends_on), (D(2026, 1, 1), D(2030, 12, 31)))
        found = governing.governing(self.lao_cai, END_2026)
        self.assertEqual((found.provisional, found.own), (False, plan))
        targets = by_code(found.targets)
        self.assertEqual((targets["coops_consolidated"].display, targets["members_vocational_pct"].display),
                         ("≥ 35", "≥ 60%"))
        self.assertFalse(targets["coops_consolidated"].provisional)
        self.assertIn("294/KH-UBND", targets["coops_consolidated"].wording)
        self.assertGreater(AuditEntry.objects.count(), before)
        self.assertTrue(AuditEntry.objects.filter(object_id=str(plan.pk), changes__has_key="adopted_from").exists())
        with self.assertRaises(ValidationError):  # adopted already
            services.plan_adopt(actor=self.province, unit=self.lao_cai)

    def test_adopting_one_plan_only_and_who_may(self):
        from htxnu.plans import services

        with self.assertRaises(PermissionDenied):
            services.plan_adopt(actor=self.viewer, unit=self.lao_cai)
        with self.assertRaises(PermissionDenied):
            services.plan_adopt(actor=self.other_province, unit=self.lao_cai)
        with self.assertRaises(ValidationError):  # nothing governs Lai Châu from predecessors
            services.plan_adopt(actor=self.other_province, unit=self.lai_chau)
        plan = services.plan_adopt(actor=self.province, unit=self.lao_cai, plans=[self.plan_294], start_year=2027)
        self.assertEqual(list(plan.adopted_from.all()), [self.plan_294])
        self.assertTrue(governing.governing(self.lao_cai, END_2026).provisional)  # 2026 stays provisional
        self.assertEqual(by_code(governing.governing(self.lao_cai, D(2027, 12, 14)).targets)[
            "coops_consolidated"].display, "≥ 20")

    def test_the_adopt_page(self):
        url = f"/plans/adopt/{self.lao_cai.pk}/"
        self.client.force_login(self.province)
        response = self.client.get(url)
        self.assertContains(response, "tạm tính từ kế hoạch 294/KH-UBND (tỉnh Lào Cai cũ) và 12/KH-UBND")
        self.assertContains(response, "≥ 35")
        for user, status in ((self.viewer, 403), (self.partner, 403), (self.commune, 404), (self.other_province, 404)):
            self.client.force_login(user)
            self.assertEqual(self.client.post(url, {"plans": [self.plan_294.pk], "start_year": 2026}).status_code,
                             status, user.username)
        self.assertFalse(self.plan_294.adopted_by.exists())
        self.client.force_login(self.province)
        response = self.client.post(url, {"plans": [], "start_year": 2026})
        self.assertEqual(response.status_code, 422)
        response = self.client.post(url, {"plans": [self.plan_294.pk, self.plan_yb.pk], "start_year": 2026,
                                          "number": "88/KH-UBND", "issued_on": "15/01/2026",
                                          "issuer": "UBND tỉnh Lào Cai"})
        plan = self.plan_294.adopted_by.get()
        self.assertRedirects(response, f"/plans/{plan.pk}/")
        self.assertEqual((plan.number, plan.issued_on, plan.unit), ("88/KH-UBND", D(2026, 1, 15), self.lao_cai))
        self.assertEqual(self.client.put(url).status_code, 405)

    def test_problems_list_units_without_a_phase_two_plan_and_several_sources(self):
        make_plan(self.central, self.lao_cai_city, number="7/KH-UBND", phases=[(2023, 2030)],
                  targets=[target("groups_new", 2030, ">=", 1, per_subunit=True)])
        make_plan(self.central, self.bao_thang, number="9/KH-UBND", phases=[(2023, 2030)],
                  targets=[target("groups_new", 2030, ">=", 2, per_subunit=True)])
        make_plan(self.central, self.cam_duong, number="3/KH-UBND", phases=[(2026, 2030)])
        units = [self.lao_cai, self.cam_duong, self.phuong_lao_cai]
        with self.assertNumQueries(4):  # own phase-2 plans, successions, plans in force, targets
            found = governing.phase_two_problems(units, END_2026)
        self.assertEqual([g.unit for g in found.without_plan], [self.lao_cai, self.phuong_lao_cai])
        self.assertEqual([g.unit for g in found.several_sources], [self.lao_cai, self.phuong_lao_cai])
        self.client.force_login(self.province)
        response = self.client.get("/plans/problems/")
        self.assertContains(response, "tạm tính từ kế hoạch 294/KH-UBND (tỉnh Lào Cai cũ) và 12/KH-UBND")
        self.assertContains(response, f'href="/plans/adopt/{self.lao_cai.pk}/"')
        self.assertContains(response, "9/KH-UBND (huyện Bảo Thắng cũ)")
        self.assertNotContains(response, f'<li data-unit="{self.cam_duong.code}">')

    def test_a_plan_with_the_same_number_date_and_issuer_is_not_created_twice(self):
        from htxnu.plans import services

        with self.assertRaises(services.DuplicatePlan) as caught:
            make_plan(self.central, self.old_lao_cai, number="294 / kh-ubnd", date="2023-07-06")
        self.assertEqual(caught.exception.existing, self.plan_294)
        self.assertIn("294/KH-UBND", caught.exception.messages[0])
        self.assertIn("06/07/2023", caught.exception.messages[0])
        # Another date: another document.
        make_plan(self.central, self.old_lao_cai, number="294/KH-UBND", date="2024-07-06")
        # Importing it again: refused, the import stays to be discarded, nothing half-saved.
        from htxnu.plans.models import Plan, PlanImport

        data = {"document": {"type": "KH", "number": "294/KH-UBND", "date": "2023-07-06",
                             "issuer": self.plan_294.issuer}, "phases": [[2023, 2025], [2026, 2030]],
                "targets": [target("coops_new", 2030, "=", 10)]}
        plan_import = PlanImport.objects.create(unit=self.old_lao_cai, created_by=self.central, filename="294.txt",
                                                text="…", extracted=data)
        count = Plan.objects.count()
        with self.assertRaises(services.DuplicatePlan):
            services.plan_import_confirm(actor=self.central, plan_import=plan_import, data=data,
                                         unit=self.old_lao_cai)
        plan_import.refresh_from_db()
        self.assertEqual((plan_import.status, Plan.objects.count()), ("draft", count))
