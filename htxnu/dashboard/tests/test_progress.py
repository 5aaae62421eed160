"""The rules of progress.py: which target, the path it implies, the status colour, the
projection. Pure functions on unsaved targets."""

import datetime
from decimal import Decimal

from django.test import SimpleTestCase

from htxnu.dashboard import progress
from htxnu.plans.models import Indicator, Op, Target
from htxnu.reporting.models import Round

D = datetime.date
COUNT = Indicator(code="coops_consolidated", kind="count")


def target(value, year=None, cumulative=True, op=Op.GE, pk=None):
    return Target(pk=pk, indicator=COUNT, year=year, cumulative=cumulative and year is not None, op=op,
                  value=Decimal(value))


def national_path():
    """Decision 01: 750 HTX consolidated by 2025, 1,500 by 2030, from 1/1/2023."""
    by_2025, by_2030 = target(750, 2025, pk=1), target(1500, 2030, pk=2)
    knots = [(D(2023, 1, 1), Decimal(0)), (D(2025, 12, 31), Decimal(750)), (D(2030, 12, 31), Decimal(1500))]
    return progress.Choice(by_2030, None, knots=knots), by_2025, by_2030


class PathTests(SimpleTestCase):
    def test_a_cumulative_target_runs_through_each_target_of_the_plan(self):
        choice, _by_2025, _by_2030 = national_path()
        self.assertEqual(progress.path_at(choice, D(2023, 1, 1)), 0)
        self.assertEqual(progress.path_at(choice, D(2025, 12, 31)), 750)
        self.assertEqual(progress.path_at(choice, D(2028, 7, 1)).quantize(Decimal(1)), 1125)  # half way to 1,500
        self.assertEqual(progress.path_at(choice, D(2031, 6, 1)), 1500)

    def test_the_knots_stop_at_the_target_chosen(self):
        _choice, by_2025, by_2030 = national_path()
        plan = type("Plan", (), {"starts_on": D(2023, 1, 1)})()
        knots = progress.path_knots(by_2025, plan, [by_2030, by_2025])
        self.assertEqual(knots, [(D(2023, 1, 1), 0), (D(2025, 12, 31), 750)])

    def test_a_target_within_a_year_runs_over_its_cut_offs(self):
        knots = progress.path_knots(target(30, 2026, cumulative=False), None, [])
        self.assertEqual(knots, [(D(2025, 12, 15), 0), (D(2026, 12, 14), 30)])

    def test_a_path_of_counts_is_whole_numbers_rounded_up_toward_the_target(self):
        choice, _by_2025, _by_2030 = national_path()
        # 750 HTX over 1,095 days: 1/7/2024 is day 547, 374.7 HTX on the straight line.
        self.assertEqual(progress.path_at(choice, D(2024, 7, 1)), 375)
        self.assertEqual(progress.path_at(choice, D(2024, 7, 1)).as_tuple().exponent, 0)  # prints "375", not "375,0"
        share = Target(indicator=Indicator(code="managers_trained_pct", kind="percent"), year=2026, cumulative=False,
                       op=Op.GE, value=Decimal(50))
        knots = progress.path_knots(share, None, [])
        self.assertEqual(progress.expected_on(knots, share, D(2026, 6, 14)).quantize(Decimal("0.1")),
                         Decimal("24.9"))  # 50% × 181/364 days: a percentage keeps its decimals

    def test_a_target_without_horizon_is_a_level_to_hold(self):
        choice = progress.Choice(target(50), None, knots=[])
        self.assertEqual(progress.path_at(choice, D(2026, 1, 1)), 50)


class StatusTests(SimpleTestCase):
    def test_the_colour_follows_the_path(self):
        goal = target(1500, 2030)
        self.assertEqual(progress.status(goal, 900, Decimal(880)), progress.ON_TRACK)
        self.assertEqual(progress.status(goal, 720, Decimal(880)), progress.AT_RISK)  # 82% of the path
        self.assertEqual(progress.status(goal, 700, Decimal(880)), progress.BEHIND)  # 79.5%
        self.assertEqual(progress.status(goal, None, Decimal(880)), progress.NO_STATUS)
        self.assertEqual(progress.status(None, 10, None), progress.NO_STATUS)

    def test_the_projection_and_the_path_give_one_verdict(self):
        goal = target(1500, 2030)
        # On the path today, but the trend reaches 1,200 by 2030: at risk, never "on track" and "unlikely".
        self.assertEqual(progress.status(goal, 900, Decimal(880), projected=Decimal(1200)), progress.AT_RISK)
        # Behind the path today, but the trend reaches 1,600: at risk, never "behind" and reachable.
        self.assertEqual(progress.status(goal, 600, Decimal(880), projected=Decimal(1600)), progress.AT_RISK)
        # Where they agree, the path's colour stands.
        self.assertEqual(progress.status(goal, 900, Decimal(880), projected=Decimal(1600)), progress.ON_TRACK)
        self.assertEqual(progress.status(goal, 600, Decimal(880), projected=Decimal(1000)), progress.BEHIND)
        self.assertEqual(progress.status(goal, 720, Decimal(880), projected=Decimal(1000)), progress.AT_RISK)

    def test_a_target_met_is_on_track_whatever_the_path(self):
        self.assertEqual(progress.status(target(10, 2030), 10, Decimal(12)), progress.ON_TRACK)
        self.assertEqual(progress.status(target(10, 2030, op=Op.GT), 10, Decimal(9)), progress.ON_TRACK)


class ProjectionTests(SimpleTestCase):
    def test_a_straight_line_through_the_last_three_points(self):
        points = [(D(2025, 6, 14), Decimal(10)), (D(2025, 12, 14), Decimal(100)), (D(2026, 6, 14), Decimal(150)),
                  (D(2026, 12, 14), Decimal(200))]
        # 50 more every 183 days or so, from 200 on 14/12/2026 to 31/12/2030.
        projected = progress.project(points, D(2030, 12, 31))
        self.assertTrue(Decimal(590) < projected < Decimal(610), projected)

    def test_with_few_points_the_path_s_start_is_one(self):
        start = (D(2026, 1, 1), Decimal(0))
        projected = progress.project([(D(2026, 7, 1), Decimal(10))], D(2026, 12, 31), start=start)
        self.assertEqual(projected.quantize(Decimal(1)), 20)

    def test_a_share_stays_within_100_and_figures_do_not_go_down(self):
        rising = [(D(2025, 12, 14), Decimal(60)), (D(2026, 6, 14), Decimal(80)), (D(2026, 12, 14), Decimal(95))]
        self.assertEqual(progress.project(rising, D(2030, 12, 31), percent=True), 100)
        falling = [(D(2025, 12, 14), Decimal(9)), (D(2026, 6, 14), Decimal(5))]
        self.assertEqual(progress.project(falling, D(2030, 12, 31)), 5)

    def test_unlikely_when_the_projection_falls_short(self):
        self.assertFalse(progress.reachable(target(1500, 2030), Decimal(600)))
        self.assertTrue(progress.reachable(target(500, 2030), Decimal(600)))

    def test_the_cut_offs_between_two_dates(self):
        self.assertEqual(progress.cutoffs_between(D(2025, 12, 15), D(2026, 11, 24)), [D(2026, 6, 14)])
        self.assertEqual(progress.cutoffs_between(D(2023, 1, 1), D(2024, 1, 1)), [D(2023, 6, 14), D(2023, 12, 14)])


class PickTests(SimpleTestCase):
    def test_the_report_page_s_choice(self):
        annual = Round(kind="annual", year=2026, data_start=D(2025, 12, 15), data_end=D(2026, 12, 14))
        midterm = Round(kind="midterm", year=2025, data_start=D(2022, 12, 15), data_end=D(2025, 12, 14))
        in_2026, by_2030, by_2025, open_ended = (target(5, 2026, cumulative=False), target(1500, 2030),
                                                 target(750, 2025), target(50))
        self.assertIs(progress.pick([by_2030, in_2026, open_ended], annual), in_2026)
        self.assertIs(progress.pick([by_2030, by_2025, open_ended], annual), by_2030)
        self.assertIs(progress.pick([open_ended], annual), open_ended)
        self.assertIs(progress.pick([by_2030, by_2025], midterm), by_2025)
        self.assertTrue(progress.is_own_measure(in_2026, annual))
        self.assertFalse(progress.is_own_measure(by_2030, annual))
        self.assertTrue(progress.is_own_measure(by_2025, midterm))
