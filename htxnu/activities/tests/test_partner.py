"""Partner agencies (issue #14, decided with the seeds: partners lead or coordinate many
activities and give support). An officer of a partner agency records the support,
events and activities its own agency gives or leads, shown as the agency's; it never
changes the Union's records, nor the registry. A partner account without the officer
flag reads only (the named user `partner`)."""

import datetime

from django.core.exceptions import PermissionDenied

from htxnu.accounts.models import Organisation
from htxnu.activities import services
from htxnu.activities.models import SupportAction
from htxnu.core.tests.base import HtxTestCase, make_user
from htxnu.registry import services as registry
from htxnu.registry.models import CollectiveType, LifeEvent

D = datetime.date


class PartnerTests(HtxTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.union_cd = Organisation.objects.get(unit=cls.cam_duong, kind="union")
        cls.partner_officer = make_user("partner_officer", cls.partner_org, is_officer=True)
        cls.coop = registry.collective_create(actor=cls.central, type=CollectiveType.HTX, name="HTX Hoa Mai",
                                              commune=cls.cam_duong, founded_on=D(2021, 1, 1))

    def test_a_partner_officer_records_the_support_its_agency_gives_as_the_agency_s(self):
        support = services.support_create(actor=self.partner_officer, collective=self.coop, kind="trademark",
                                          date=D(2025, 5, 1), provider=self.partner_org)
        self.assertEqual(support.provider, self.partner_org)
        # Not the Union's support: the consolidation it records is not counted as the Union's.
        self.assertFalse(LifeEvent.objects.get(pk=support.life_event_id).union_supported)
        self.client.force_login(self.partner_officer)
        self.assertContains(self.client.get("/activities/support/"), self.partner_org.name)

    def test_a_partner_officer_cannot_record_as_the_union_nor_change_its_records(self):
        with self.assertRaises(PermissionDenied):
            services.support_create(actor=self.partner_officer, collective=self.coop, kind="consulting",
                                    date=D(2025, 5, 1), provider=self.union_cd)
        union_support = services.support_create(actor=self.commune, collective=self.coop, kind="consulting",
                                                date=D(2025, 5, 1), provider=self.union_cd)
        with self.assertRaises(PermissionDenied):
            services.support_delete(actor=self.partner_officer, support=union_support)
        event = services.event_create(actor=self.commune, kind="fair", title="Hội chợ", date=D(2025, 3, 1),
                                      unit=self.cam_duong, organiser=self.union_cd)
        with self.assertRaises(PermissionDenied):
            services.event_update(actor=self.partner_officer, event=event, title="Đổi tên")
        with self.assertRaises(PermissionDenied):
            registry.collective_update(actor=self.partner_officer, collective=self.coop, name="Đổi tên")
        with self.assertRaises(PermissionDenied):
            services.activity_save(actor=self.partner_officer, task_group=2, title="Củng cố HTX",
                                   unit=self.cam_duong, lead=self.union_cd)
        self.assertTrue(SupportAction.objects.filter(pk=union_support.pk).exists())

    def test_a_partner_officer_leads_its_own_activity_and_a_read_only_partner_cannot(self):
        activity = services.activity_save(actor=self.partner_officer, task_group=6, title="Kết nối tín dụng",
                                          unit=self.lao_cai, lead=self.partner_org)
        self.assertEqual(activity.lead, self.partner_org)
        with self.assertRaises(PermissionDenied):
            services.activity_save(actor=self.partner, task_group=6, title="Kết nối tín dụng", unit=self.lao_cai,
                                   lead=self.partner_org)
