import datetime

from htxnu.accounts import demo as accounts_demo
from htxnu.core.models import AuditEntry
from htxnu.core.tests.base import HtxTestCase
from htxnu.registry import demo
from htxnu.registry.models import Collective, Manager, Status, WorkforceSnapshot


class DemoDataTests(HtxTestCase):
    def counts(self):
        return (Collective.objects.count(), Manager.objects.count(), WorkforceSnapshot.objects.count(),
                AuditEntry.objects.count())

    def test_the_demo_scale_is_realistic_and_running_it_twice_changes_nothing(self):
        accounts_demo.build()
        demo.build("demo")
        first = self.counts()
        self.assertGreater(first[0], 25)
        cam_duong = Collective.objects.filter(commune=self.cam_duong)
        self.assertGreaterEqual(cam_duong.count(), 6)
        self.assertTrue(cam_duong.filter(is_women_managed=True).exists())
        self.assertTrue(cam_duong.filter(is_women_managed=False).exists())
        self.assertTrue(Collective.objects.filter(union_supported_founding=True).exists())
        self.assertTrue(Collective.objects.filter(products__ocop_stars__gte=3).exists())
        self.assertTrue(Collective.objects.filter(status=Status.CONVERTED).exists())
        self.assertTrue(Collective.objects.exclude(commune__parent=self.lao_cai).exists())
        # Derived columns agree with what the services compute.
        coop = Collective.objects.filter(workers__isnull=False).first()
        before = (coop.is_women_managed, coop.female_worker_share, coop.workforce_as_of)
        from htxnu.registry.services import refresh_derived

        refresh_derived([coop.pk])
        coop.refresh_from_db()
        self.assertEqual((coop.is_women_managed, coop.female_worker_share, coop.workforce_as_of), before)

        demo.build("demo")
        self.assertEqual(self.counts(), first)

    def test_generated_data_is_idempotent_too(self):
        demo.build_generated({"15"}, 30, 60, "test-seed")
        first = self.counts()
        self.assertEqual(first[0], 90)
        self.assertTrue(Collective.objects.filter(type="htx").exclude(registration_code="").exists())
        demo.build_generated({"15"}, 30, 60, "test-seed")
        self.assertEqual(self.counts(), first)


class OldCommuneRegistrationTests(HtxTestCase):
    def test_cooperatives_founded_before_the_reorganisation_count_under_the_old_units_too(self):
        from htxnu.geo.models import AdminUnit
        from htxnu.plans.indicators import Period, compute

        accounts_demo.build()
        demo.build("demo")
        registered = Collective.objects.filter(founded_on__lt=datetime.date(2025, 7, 1))
        self.assertTrue(registered.exists())
        self.assertFalse(registered.filter(registered_unit__isnull=True).exists())
        self.assertFalse(registered.exclude(registered_unit__valid_to=datetime.date(2025, 6, 30)).exists())
        old_lao_cai = AdminUnit.objects.get(level="province", code="10")
        period = Period.year(2024)
        old = compute("coops_supported", [old_lao_cai], period)[old_lao_cai.pk].value
        today = compute("coops_supported", [self.lao_cai], period)[self.lao_cai.pk].value
        self.assertGreater(old, 0)
        self.assertGreaterEqual(today, old)  # today's Lào Cai also covers old Yên Bái
