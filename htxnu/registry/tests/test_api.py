import datetime

from htxnu.core.tests.base import HtxTestCase
from htxnu.registry import services
from htxnu.registry.models import Collective, CollectiveType

from .helpers import make_coop


class CollectivesApiTests(HtxTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.coop = make_coop(cls.commune, cls.cam_duong, woman_director=True)
        mai = cls.coop.managers.get()
        services.manager_update(actor=cls.commune, manager=mai, ethnicity="Tày",
                                ethnicity_consent_on=datetime.date(2026, 1, 20))
        cls.ward_coop = make_coop(cls.sibling, cls.phuong_lao_cai, name="Hợp tác xã Phố Mới", code="5300999999")

    def test_it_needs_a_session(self):
        self.assertEqual(self.client.get("/api/v1/collectives").status_code, 401)
        self.assertEqual(self.client.get(f"/api/v1/collectives/{self.coop.pk}").status_code, 401)

    def test_the_list_is_scoped_and_filtered(self):
        self.client.force_login(self.commune)
        body = self.client.get("/api/v1/collectives").json()
        self.assertEqual([c["name"] for c in body["items"]], ["Hợp tác xã Hoa Mai"])
        self.assertIsNone(body["next_after"])
        self.client.force_login(self.province)
        names = lambda **q: [c["name"] for c in self.client.get("/api/v1/collectives", q).json()["items"]]  # noqa: E731
        self.assertEqual(names(), ["Hợp tác xã Hoa Mai", "Hợp tác xã Phố Mới"])
        self.assertEqual(names(q="pho moi"), ["Hợp tác xã Phố Mới"])
        self.assertEqual(names(eligibility="women_managed"), ["Hợp tác xã Hoa Mai"])
        self.assertEqual(names(unit=self.phuong_lao_cai.pk), ["Hợp tác xã Phố Mới"])
        self.assertEqual(names(unit=self.lai_chau.pk), [])
        self.assertEqual(names(type="tht"), [])
        self.client.force_login(self.other_province)
        self.assertEqual(self.client.get("/api/v1/collectives").json()["items"], [])

    def test_pages_follow_next_after(self):
        for i in range(3):
            Collective.objects.create(type=CollectiveType.THT, name=f"Tổ {i}", commune=self.cam_duong)
        self.client.force_login(self.commune)
        first = self.client.get("/api/v1/collectives", {"limit": 2}).json()
        second = self.client.get("/api/v1/collectives", {"limit": 2, "after": first["next_after"]}).json()
        self.assertEqual([c["name"] for c in first["items"] + second["items"]],
                         ["Hợp tác xã Hoa Mai", "Tổ 0", "Tổ 1", "Tổ 2"])

    def test_bad_parameters_are_422(self):
        self.client.force_login(self.commune)
        self.assertEqual(self.client.get("/api/v1/collectives", {"type": "company"}).status_code, 422)
        self.assertEqual(self.client.get("/api/v1/collectives", {"limit": 100000}).status_code, 422)

    def test_the_detail_has_eligibility_and_hides_ethnicity_from_read_only_roles(self):
        self.client.force_login(self.province)
        body = self.client.get(f"/api/v1/collectives/{self.coop.pk}").json()
        self.assertEqual(body["eligibility"]["women_managed_reason"], "Giám đốc / Tổng giám đốc là nữ")
        self.assertEqual(body["managers"][0]["ethnicity"], "Tày")
        self.assertEqual(body["commune_code"], "02674")
        for user in (self.viewer, self.partner):
            self.client.force_login(user)
            self.assertIsNone(self.client.get(f"/api/v1/collectives/{self.coop.pk}").json()["managers"][0]["ethnicity"])

    def test_out_of_scope_or_missing_is_404(self):
        for user in (self.sibling, self.other_province):
            self.client.force_login(user)
            self.assertEqual(self.client.get(f"/api/v1/collectives/{self.coop.pk}").status_code, 404)
        self.assertEqual(self.client.get("/api/v1/collectives/999999").status_code, 404)

    def test_writes_are_405(self):
        self.client.force_login(self.commune)
        self.assertEqual(self.client.post("/api/v1/collectives", {}).status_code, 405)
