"""Every form a target takes in the seeds: read from a grid cell, held by the model, and
loaded from the plan-import format."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test import SimpleTestCase

from htxnu.core.tests.base import HtxTestCase
from htxnu.plans.models import Indicator, Op, Target
from htxnu.plans.target_text import ParsedTarget, format_target, parse_target

from .helpers import make_plan, old_unit, target


class ReadingACellTests(SimpleTestCase):
    def assertReads(self, text, op, value, value_max=None):
        self.assertEqual(
            parse_target(text), ParsedTarget(op, Decimal(value), None if value_max is None else Decimal(value_max))
        )

    def test_a_count(self):
        self.assertReads("13", Op.EQ, 13)
        self.assertReads("ít nhất 13 HTX", Op.GE, 13)
        self.assertReads("≥ 13", Op.GE, 13)
        self.assertReads(">=13", Op.GE, 13)
        self.assertReads("tối thiểu 01", Op.GE, 1)
        self.assertReads("= 650", Op.EQ, 650)

    def test_a_range(self):
        self.assertReads("từ 03 đến 04", Op.BETWEEN, 3, 4)
        self.assertReads("5-7", Op.BETWEEN, 5, 7)
        self.assertReads("5 – 7", Op.BETWEEN, 5, 7)
        self.assertReads("3 đến 4", Op.BETWEEN, 3, 4)

    def test_an_approximation(self):
        self.assertReads("khoảng 07", Op.APPROX, 7)
        self.assertReads("≈ 14", Op.APPROX, 14)
        self.assertReads("~1.500", Op.APPROX, 1500)

    def test_percentages(self):
        self.assertReads("100%", Op.EQ, 100)
        self.assertReads("ít nhất 80%", Op.GE, 80)
        self.assertReads("trên 50%", Op.GT, 50)
        self.assertReads("> 50 %", Op.GT, 50)

    def test_numbers_the_vietnamese_and_the_english_way(self):
        self.assertReads("1.500", Op.EQ, 1500)
        self.assertReads("1,500", Op.EQ, 1500)
        self.assertReads("2,5", Op.EQ, Decimal("2.5"))
        self.assertReads("2.5", Op.EQ, Decimal("2.5"))
        self.assertReads("100.000", Op.EQ, 100000)

    def test_without_diacritics(self):
        self.assertReads("it nhat 13", Op.GE, 13)
        self.assertReads("tu 3 den 4", Op.BETWEEN, 3, 4)
        self.assertReads("khoang 7", Op.APPROX, 7)

    def test_an_empty_cell_is_no_target(self):
        self.assertIsNone(parse_target("  "))

    def test_unreadable_text_says_what_was_typed(self):
        for text in ("nhiều", "-5", "abc 3", "7-3"):
            with self.subTest(text=text), self.assertRaises(ValidationError) as caught:
                parse_target(text)
            self.assertIn(text, caught.exception.messages[0])

    def test_what_is_written_back_reads_the_same(self):
        for op, value, value_max, percent in [
            (Op.EQ, "13", None, False), (Op.GE, "80", None, True), (Op.GT, "50", None, True),
            (Op.APPROX, "7", None, False), (Op.BETWEEN, "3", "4", False), (Op.EQ, "2.5", None, False),
        ]:
            written = format_target(op, Decimal(value), value_max and Decimal(value_max), percent=percent)
            with self.subTest(written=written):
                self.assertEqual(parse_target(written).op, op)
                self.assertEqual(parse_target(written).value, Decimal(value))
        self.assertEqual(format_target(Op.GE, Decimal(80), percent=True), "≥ 80%")
        self.assertEqual(format_target(Op.BETWEEN, Decimal(3), Decimal(4)), "3–4")


class TargetsOfTheSeedsTests(HtxTestCase):
    """The forms of domain.md, loaded from the plan-import format into a plan."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.lao_cai_2023 = old_unit("10", "province")

    def plan(self, *targets, **kwargs):
        return make_plan(self.central, self.lao_cai_2023, targets=targets, **kwargs)

    def only_target(self, plan) -> Target:
        return plan.targets.select_related("indicator").get()

    def test_a_count_at_least(self):
        t = self.only_target(self.plan(target("coops_consolidated", 2025, ">=", 13)))
        self.assertEqual((t.op, t.value, t.year, t.cumulative), (Op.GE, 13, 2025, True))
        self.assertEqual(t.display, "≥ 13")

    def test_a_range_from_03_to_04(self):
        t = self.only_target(self.plan({"indicator": "coops_new", "year": 2025, "cumulative": True, "op": "between",
                                        "value": [3, 4]}))
        self.assertEqual((t.op, t.value, t.value_max), (Op.BETWEEN, 3, 4))
        self.assertEqual(t.bounds(), (3, 4))

    def test_an_approximation_about_07(self):
        t = self.only_target(self.plan(target("jobs_new_women", 2025, "~", 7)))
        self.assertEqual(t.display, "≈ 7")
        self.assertEqual(t.bounds(), (Decimal("6.3"), Decimal("7.7")))

    def test_percentages_100_at_least_80_above_50(self):
        plan = self.plan(
            target("managers_trained_pct", 2025, "=", 100), target("cadres_skilled_pct", 2025, ">=", 80),
            {"indicator": "members_ecommerce_pct", "year": None, "op": ">", "value": 50},
        )
        shown = {t.indicator.code: t.display for t in plan.targets.select_related("indicator")}
        self.assertEqual(shown, {"managers_trained_pct": "100%", "cadres_skilled_pct": "≥ 80%",
                                 "members_ecommerce_pct": "> 50%"})
        open_ended = plan.targets.get(indicator__code="members_ecommerce_pct")
        self.assertEqual((open_ended.year, open_ended.cumulative), (None, False))

    def test_a_combined_indicator_650_members_and_women_workers_in_htx_and_tht(self):
        wording = "Tạo việc làm ổn định cho 650 thành viên, lao động nữ trong HTX, THT"
        t = self.only_target(self.plan({**target("jobs_total_women", 2025, "=", 650), "wording": wording}))
        self.assertEqual(t.indicator.code, "jobs_total_women")
        self.assertEqual(t.wording, wording)
        self.assertTrue(t.indicator.additive)

    def test_per_subunit_each_district_at_least_one_htx_and_one_tht(self):
        plan = self.plan(target("coops_new", 2025, ">=", 1, per_subunit=True),
                         target("groups_new", 2025, ">=", 1, per_subunit=True),
                         target("coops_new", 2025, "between", None) | {"value": [5, 7]})
        per_subunit = plan.targets.filter(per_subunit=True).order_by("indicator__position")
        self.assertEqual([(t.indicator.code, t.display) for t in per_subunit],
                         [("coops_new", "≥ 1"), ("groups_new", "≥ 1")])
        # The same indicator and year for the whole unit is another target.
        self.assertEqual(plan.targets.get(indicator__code="coops_new", per_subunit=False).display, "5–7")

    def test_baselines_13_htx_with_135_members(self):
        plan = self.plan(baselines=[
            {"indicator": "coops_supported", "value": 13, "members": 135},
            {"indicator": "groups_supported", "value": 18, "as_of": "2022-12-30"},
        ])
        rows = {b.indicator.code: (b.value, b.members, b.as_of and b.as_of.isoformat()) for b in plan.baselines.all()}
        self.assertEqual(rows, {"coops_supported": (13, 135, None), "groups_supported": (18, None, "2022-12-30")})

    def test_a_percentage_above_100_or_a_reversed_range_is_refused(self):
        plan = self.plan()
        pct = Indicator.objects.get(code="managers_trained_pct")
        with self.assertRaises(ValidationError):
            Target(plan=plan, indicator=pct, year=2025, op=Op.EQ, value=120).full_clean()
        coops = Indicator.objects.get(code="coops_new")
        with self.assertRaises(ValidationError):
            Target(plan=plan, indicator=coops, year=2025, op=Op.BETWEEN, value=7, value_max=5).full_clean()
        with self.assertRaises(IntegrityError), transaction.atomic():
            Target.objects.create(plan=plan, indicator=coops, year=2025, op=Op.BETWEEN, value=7, value_max=5)

    def test_one_target_per_cell(self):
        plan = self.plan(target("coops_new", 2025, "=", 3))
        coops = Indicator.objects.get(code="coops_new")
        with self.assertRaises(IntegrityError), transaction.atomic():
            Target.objects.create(plan=plan, indicator=coops, year=2025, cumulative=True, op=Op.EQ, value=4)
        # Within the year is another cell.
        Target.objects.create(plan=plan, indicator=coops, year=2025, cumulative=False, op=Op.EQ, value=1)

    def test_whether_an_actual_value_meets_a_target(self):
        cases = [
            (">=", 13, 13, True), (">=", 13, 12, False), (">", 50, 50, False), (">", 50, 51, True),
            ("=", 100, 100, True), ("=", 650, 700, True), ("~", 7, 7, True), ("~", 7, Decimal("6.3"), True),
            ("~", 7, 6, False),
        ]
        for op, value, actual, met in cases:
            t = Target(op=op, value=Decimal(value))
            with self.subTest(op=op, value=value, actual=actual):
                self.assertEqual(t.met_by(actual), met)
        between = Target(op=Op.BETWEEN, value=Decimal(3), value_max=Decimal(4))
        self.assertTrue(between.met_by(3))
        self.assertFalse(between.met_by(2))
        self.assertIsNone(between.met_by(None))
        self.assertEqual(Target(op=Op.EQ, value=Decimal(200)).share_achieved(150), Decimal("75.0"))
