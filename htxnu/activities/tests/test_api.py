import datetime

from htxnu.accounts.models import Organisation
from htxnu.activities import services
from htxnu.core.tests.base import HtxTestCase
from htxnu.registry import services as registry
from htxnu.registry.models import CollectiveType, Gender, Position

D = datetime.date


class ActivitiesApiTests(HtxTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        union = Organisation.objects.get(unit=cls.cam_duong, kind="union")
        coop = registry.collective_create(actor=cls.central, type=CollectiveType.HTX, name="HTX A",
                                          commune=cls.cam_duong)
        mai = registry.manager_add(actor=cls.central, collective=coop, full_name="Lò Thị Mai", gender=Gender.FEMALE,
                                   position=Position.DIRECTOR)
        cls.event = services.event_create(actor=cls.central, kind="training", title="Lớp quản trị",
                                          date=D(2025, 3, 1), unit=cls.cam_duong, organiser=union,
                                          manager_ids=[mai.pk], topic_governance=True)
        services.budget_line_save(actor=cls.central, unit=cls.cam_duong, year=2025, kind="allocation",
                                  source="state_local", amount=100)
        services.budget_line_save(actor=cls.central, unit=cls.cam_duong, year=2025, kind="spending",
                                  source="state_local", amount=150)

    def test_it_needs_a_session(self):
        self.assertEqual(self.client.get("/api/v1/activities/events").status_code, 401)

    def test_events_of_the_users_units_with_attendance(self):
        self.client.force_login(self.province)
        data = self.client.get("/api/v1/activities/events", {"unit": "02674"}).json()
        self.assertEqual(data["count"], 1)
        self.assertEqual(data["items"][0]["unit_code"], "02674")
        detail = self.client.get(f"/api/v1/activities/events/{self.event.pk}").json()
        self.assertEqual(detail["attendance"], [{"name": "Lò Thị Mai", "kind": "manager", "certificate_issued": False}])
        self.assertEqual(detail["topics"], ["quản trị, điều hành"])

    def test_out_of_scope_gets_nothing(self):
        self.client.force_login(self.sibling)
        self.assertEqual(self.client.get("/api/v1/activities/events").json()["count"], 0)
        self.assertEqual(self.client.get("/api/v1/activities/events", {"unit": "02674"}).status_code, 404)
        self.assertEqual(self.client.get(f"/api/v1/activities/events/{self.event.pk}").status_code, 404)
        self.assertEqual(self.client.get("/api/v1/activities/funding", {"year": 2025, "unit": "02674"}).status_code,
                         404)

    def test_funding_says_when_a_source_is_overspent(self):
        self.client.force_login(self.commune)
        data = self.client.get("/api/v1/activities/funding", {"year": 2025}).json()
        self.assertEqual(data["rows"][0]["source"], "state_local")
        self.assertTrue(data["rows"][0]["overspent"])
