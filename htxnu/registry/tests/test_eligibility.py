import datetime
from decimal import Decimal

from django.db import connection
from django.test import override_settings

from htxnu.core.tests.base import HtxTestCase
from htxnu.plans.tests.helpers import make_plan
from htxnu.registry import services
from htxnu.registry.eligibility import Threshold, default_threshold, evaluate
from htxnu.registry.models import Collective, CollectiveType, Gender, Position


class EligibilityTests(HtxTestCase):
    def setUp(self):
        self.coop = services.collective_create(
            actor=self.commune, type=CollectiveType.HTX, name="Hợp tác xã Hoa Mai", commune=self.cam_duong,
            registration_code="5300123456", founded_on=datetime.date(2023, 5, 1),
        )

    def record_workforce(self, workers, female_workers, as_of=datetime.date(2025, 12, 31)):
        services.workforce_record(
            actor=self.commune, collective=self.coop, as_of=as_of, members=10, female_members=8,
            workers=workers, female_workers=female_workers, women_stable_jobs=female_workers,
        )
        self.coop.refresh_from_db()

    def test_a_woman_director_makes_it_women_managed_with_the_reason(self):
        self.assertFalse(evaluate(self.coop).women_managed)
        services.manager_add(actor=self.commune, collective=self.coop, full_name="Lò Thị Mai",
                             gender=Gender.FEMALE, position=Position.DIRECTOR)
        self.coop.refresh_from_db()
        result = evaluate(self.coop)
        self.assertTrue(self.coop.is_women_managed)
        self.assertTrue(result.women_managed)
        self.assertEqual(result.women_managed_reason, "Giám đốc / Tổng giám đốc là nữ")

    def test_a_man_director_or_a_woman_who_left_does_not_count(self):
        services.manager_add(actor=self.commune, collective=self.coop, full_name="Vàng A Páo",
                             gender=Gender.MALE, position=Position.DIRECTOR)
        services.manager_add(actor=self.commune, collective=self.coop, full_name="Lò Thị Mai",
                             gender=Gender.FEMALE, position=Position.ACCOUNTANT,
                             started_on=datetime.date(2023, 1, 1), ended_on=datetime.date(2024, 6, 30))
        self.coop.refresh_from_db()
        self.assertFalse(self.coop.is_women_managed)

    def test_the_female_share_is_compared_with_the_threshold_in_force(self):
        self.record_workforce(workers=50, female_workers=41)  # 82%
        self.assertEqual(self.coop.female_worker_share, Decimal("82.00"))
        default = evaluate(self.coop)
        self.assertTrue(default.women_jobs)
        self.assertEqual(default.women_jobs_reason, "lao động nữ 82% > 50%")
        # A plan of the province in force this year sets > 85%: the facts follow it.
        make_plan(self.province, self.lao_cai, number="294/KH-UBND", phases=((2025, 2030),),
                  thresholds=[(">", 85)])
        self.coop.refresh_from_db()
        lao_cai = evaluate(self.coop)
        self.assertFalse(lao_cai.women_jobs)
        self.assertEqual(lao_cai.women_jobs_reason, "lao động nữ 82% ≤ 85%")
        self.assertIn("294/KH-UBND", lao_cai.threshold.source)

    def test_exactly_at_a_strict_threshold_does_not_pass(self):
        self.record_workforce(workers=10, female_workers=5)
        self.assertFalse(evaluate(self.coop).women_jobs)
        make_plan(self.province, self.lao_cai, phases=((2025, 2030),), thresholds=[(">=", 50)])
        self.assertTrue(evaluate(self.coop).women_jobs)

    def test_the_latest_snapshot_is_the_one_that_counts(self):
        self.record_workforce(workers=10, female_workers=9, as_of=datetime.date(2024, 12, 31))
        self.record_workforce(workers=10, female_workers=4, as_of=datetime.date(2025, 12, 31))
        self.assertEqual(self.coop.female_worker_share, Decimal("40.00"))
        self.assertEqual(self.coop.workforce_as_of, datetime.date(2025, 12, 31))
        self.assertFalse(evaluate(self.coop).women_jobs)

    def test_without_figures_it_says_so(self):
        result = evaluate(self.coop)
        self.assertIsNone(result.women_jobs)
        self.assertEqual(result.women_jobs_reason, "chưa có số liệu lao động")

    @override_settings(DEFAULT_FEMALE_SHARE_THRESHOLD=">=70")
    def test_the_default_threshold_is_configurable(self):
        self.assertEqual(default_threshold(), Threshold(">=", Decimal(70), ""))

    def test_refreshing_many_collectives_takes_a_fixed_number_of_queries(self):
        coops = [
            Collective.objects.create(type=CollectiveType.THT, name=f"Tổ hợp tác {i}", commune=self.cam_duong)
            for i in range(30)
        ]
        # The converted groups among them, the collectives, their women managers, snapshots,
        # consolidation and dissolution events, the cooperatives they became, the plans'
        # thresholds, DELETE of the old facts, INSERT of the new (the derived columns
        # changed for none of them: no UPDATE). On PostgreSQL the INSERT is a COPY on
        # psycopg's own cursor, which Django does not count.
        with self.assertNumQueries(8 if connection.vendor == "postgresql" else 9):
            services.refresh_derived([c.pk for c in coops])
