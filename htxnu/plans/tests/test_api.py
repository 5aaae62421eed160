from htxnu.core.tests.base import HtxTestCase
from htxnu.geo.models import Level

from .helpers import make_plan, old_unit, target


class PlansApiTests(HtxTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.plan_294 = make_plan(
            cls.central, old_unit("10", Level.PROVINCE), number="294/KH-UBND", date="2023-07-06",
            phases=[(2023, 2025), (2026, 2030)], thresholds=[(">", 70), (">", 80)],
            baselines=[{"indicator": "coops_supported", "value": 13, "members": 135}],
            targets=[target("coops_consolidated", 2025, ">=", 13),
                     {"indicator": "coops_new", "year": 2025, "cumulative": True, "op": "between", "value": [3, 4]},
                     {"indicator": "members_ecommerce_pct", "year": None, "op": ">", "value": 50}],
            basis=[{"number": "01/QĐ-TTg", "date": "2023-01-03"}],
            task_groups=[{"group": 4, "lead": "Liên minh Hợp tác xã tỉnh"}],
        )
        cls.commune_plan = make_plan(cls.central, cls.cam_duong, number="7/KH-UBND", phases=[(2026, 2030)])
        cls.lai_chau_plan = make_plan(cls.central, cls.lai_chau, number="219/KH-UBND")

    def get(self, user, path, status=200):
        if user:
            self.client.force_login(user)
        response = self.client.get(f"/api/v1{path}")
        self.assertEqual(response.status_code, status, response.content[:300])
        return response.json()

    def test_plans_need_a_session(self):
        self.get(None, "/plans", 401)
        self.get(None, f"/plans/{self.plan_294.pk}", 401)

    def test_the_list_is_limited_to_what_the_user_may_see(self):
        numbers = {p["number"] for p in self.get(self.commune, "/plans")["items"]}
        self.assertEqual(numbers, {"294/KH-UBND", "7/KH-UBND"})
        numbers = {p["number"] for p in self.get(self.other_province, "/plans")["items"]}
        self.assertEqual(numbers, {"219/KH-UBND"})

    def test_the_list_by_unit_and_date_in_force(self):
        data = self.get(self.province, "/plans?unit=10&at=2024-06-01")
        self.assertEqual([p["number"] for p in data["items"]], ["294/KH-UBND"])
        self.assertEqual(data["items"][0]["unit"]["valid_to"], "2025-06-30")
        self.assertEqual(self.get(self.province, "/plans?unit=10&at=2031-01-01")["count"], 0)
        self.assertEqual(self.get(self.province, "/plans?unit=99999")["count"], 0)

    def test_a_plan_reads_like_the_plan_import_format(self):
        plan = self.get(self.commune, f"/plans/{self.plan_294.pk}")
        self.assertEqual((plan["number"], plan["date"], plan["phases"]),
                         ("294/KH-UBND", "2023-07-06", [[2023, 2025], [2026, 2030]]))
        self.assertEqual(plan["female_share_thresholds"], [{"op": ">", "pct": 70.0, "applies_to": "targets"},
                                                           {"op": ">", "pct": 80.0, "applies_to": "target_group"}])
        self.assertEqual(plan["baselines"], [{"indicator": "coops_supported", "value": 13.0, "members": 135,
                                              "as_of": None}])
        targets = {t["indicator"]: (t["year"], t["cumulative"], t["op"], t["value"]) for t in plan["targets"]}
        self.assertEqual(targets, {"coops_consolidated": (2025, True, ">=", 13.0),
                                   "coops_new": (2025, True, "between", [3.0, 4.0]),
                                   "members_ecommerce_pct": (None, False, ">", 50.0)})
        self.assertEqual(plan["reporting"], [{"period": "annual", "deadline": "11-15", "quarter_deadline": None}])
        quarterly = make_plan(self.central, self.cam_duong, number="9/KH-UBND", phases=[(2026, 2030)], reporting={
            "periods": ["quarterly"], "quarter_deadline": {"month_of_quarter": 3, "day": 18}})
        self.assertEqual(self.get(self.commune, f"/plans/{quarterly.pk}")["reporting"],
                         [{"period": "quarterly", "deadline": None,
                           "quarter_deadline": {"month_of_quarter": 3, "day": 18}}])
        self.assertEqual(plan["task_groups"][3], {"group": 4, "title": "", "lead": "Liên minh Hợp tác xã tỉnh",
                                                  "partners": [], "time_frame": ""})
        self.assertEqual(plan["basis"], [{"number": "01/QĐ-TTg", "date": "2023-01-03"}])

    def test_a_plan_out_of_scope_or_missing_is_404(self):
        self.get(self.sibling, f"/plans/{self.commune_plan.pk}", 404)
        self.get(self.other_province, f"/plans/{self.plan_294.pk}", 404)
        self.get(self.province, "/plans/999999", 404)

    def test_a_plan_in_a_fixed_number_of_queries(self):
        self.client.force_login(self.province)
        # session, user, scope root, the plan, its phases, thresholds, rules, groups, basis,
        # baselines, targets
        with self.assertNumQueries(11):
            self.client.get(f"/api/v1/plans/{self.plan_294.pk}")

    def test_the_catalogue_is_public_reference_data(self):
        data = self.get(None, "/indicators")
        self.assertEqual(len(data), 19)
        first = data[0]
        self.assertEqual((first["code"], first["source"], first["label_en"]),
                         ("coops_consolidated", "records", "Cooperatives consolidated"))
        # Computed by the activities app from its events.
        self.assertEqual({i["code"]: i["source"] for i in data}["training_classes"], "records")

    def test_the_schema_describes_the_plans_endpoints(self):
        paths = self.client.get("/api/v1/openapi.json").json()["paths"]
        self.assertIn("/api/v1/plans/{plan_id}", paths)
        self.assertIn("/api/v1/indicators", paths)
