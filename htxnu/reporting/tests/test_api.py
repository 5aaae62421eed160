import datetime

from htxnu.core.tests.base import HtxTestCase
from htxnu.reporting.models import ReportState

from .helpers import consolidated_coop, make_report, reports_indicator, rnd


class ReportApiTests(HtxTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.round = rnd("annual", 2026)
        reports_indicator("women_trained")
        consolidated_coop(cls.cam_duong, jobs=6, on=datetime.date(2026, 4, 1))
        cls.approved = make_report(cls.round, cls.cam_duong, ReportState.APPROVED,
                                   frozen={"jobs_coop_women": 6, "women_trained": 3})
        cls.draft = make_report(cls.round, cls.phuong_lao_cai, ReportState.DRAFT, own={"women_trained": 2})

    def test_the_province_lists_the_reports_below_it(self):
        self.client.force_login(self.province)
        data = self.client.get("/api/v1/reports", {"year": 2026, "kind": "annual"}).json()
        self.assertEqual(data["count"], 2)
        self.assertEqual({i["unit"]["code"] for i in data["items"]}, {"02674", "02647"})
        self.assertEqual(self.client.get("/api/v1/reports", {"state": "approved"}).json()["count"], 1)
        self.assertEqual(self.client.get("/api/v1/reports", {"unit": "02674"}).json()["count"], 1)

    def test_a_code_naming_an_old_and_a_new_province_lists_each_report_once(self):
        # "15" is today's Lào Cai and old Yên Bái, which it took in: an old Yên Bái report lies under both.
        from htxnu.core.tests.base import unit

        from .helpers import OLD

        old_yen_bai = unit("15", "province", at=OLD)
        make_report(rnd("annual", 2024), old_yen_bai, ReportState.APPROVED)
        self.client.force_login(self.central)
        data = self.client.get("/api/v1/reports", {"unit": "15", "year": 2024}).json()
        self.assertEqual((data["count"], len(data["items"])), (1, 1))

    def test_bad_filters_are_refused(self):
        self.client.force_login(self.province)
        self.assertEqual(self.client.get("/api/v1/reports", {"kind": "weekly"}).status_code, 422)
        self.assertEqual(self.client.get("/api/v1/reports", {"limit": 0}).status_code, 422)
        self.assertEqual(self.client.get("/api/v1/reports", {"unit": "99999"}).json()["count"], 0)

    def test_a_report_with_its_values_and_their_sources(self):
        self.client.force_login(self.commune)
        data = self.client.get(f"/api/v1/reports/{self.approved.pk}").json()
        values = {v["indicator"]: v for v in data["values"]}
        self.assertEqual((values["jobs_coop_women"]["value"], values["jobs_coop_women"]["source"]), ("6.00", "records"))
        self.assertTrue(values["women_trained"]["frozen"])
        self.assertEqual(data["state"], "approved")
        self.client.force_login(self.sibling)
        live = self.client.get(f"/api/v1/reports/{self.draft.pk}").json()
        trained = next(v for v in live["values"] if v["indicator"] == "women_trained")
        self.assertEqual((trained["own"], trained["frozen"]), ("2.00", False))

    def test_scope(self):
        self.client.force_login(self.sibling)
        self.assertEqual(self.client.get(f"/api/v1/reports/{self.approved.pk}").status_code, 404)
        self.assertEqual(self.client.get("/api/v1/reports").json()["count"], 1)
        self.client.force_login(self.other_province)
        self.assertEqual(self.client.get("/api/v1/reports").json()["count"], 0)
        self.client.logout()
        self.assertEqual(self.client.get("/api/v1/reports").status_code, 401)

    def test_query_count(self):
        self.client.force_login(self.province)
        with self.assertNumQueries(5):  # session, user, the user's unit, count, page (with round and unit)
            self.client.get("/api/v1/reports")
