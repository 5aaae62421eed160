"""Targets beside the figures: which target, what it is compared with, the path it
implies, the status colour and the projection to its end.

Which target
------------
A unit's own plan in force on the round's cut-off end, as the report page chooses it
(reporting.selectors.plan_for_targets): for a unit formed on 1/7/2025 and a round
with phase-1 data, the plan of a predecessor of its level in force on 30/6/2025. Among
its whole-unit targets for an indicator, the report page's choice: the target of the
round's own year (within the year; cumulative to its year for a review), else the
next cumulative target, else the one without horizon. Where the unit's plan has none
for an indicator, a target "for each unit below" in the plan in force of the unit
above applies (Nam Định's "each district at least 1 HTX").

What is compared with it (the measure)
--------------------------------------
- a target of the round's own period, or without horizon: the round's figure
  (approved only or including drafts, as switched);
- a cumulative target: the records from the plan's start to the round's cut-off end,
  as the report page compares it (indicators taken from reports have no cumulative
  measure: only their review report has one).

The path a target implies
-------------------------
A straight line from 0 at the start of what the target counts to its value at its end:
- within a year: from the round year's cut-off start (15/12 of the year before) to
  its cut-off end (14/12);
- cumulative: from the plan's start through every cumulative target of the indicator
  in the plan, in year order, each at 31/12 of its year (Decision 01: 0 on 1/1/2023,
  750 HTX consolidated by 31/12/2025, 1,500 by 31/12/2030);
- without horizon: flat at its value, a level to reach and hold.
"Expected" is the path at the data date: the round's cut-off end, or today while the
round is still running and drafts are shown.

Status colour
-------------
- on track (green): the target is met already, or the measure is at least what the
  path expects by the data date;
- at risk (amber): the measure is at least 80% of what the path expects;
- behind (red): below 80% of it;
- none (grey): no target, or no measure.

Projection to the target's end
------------------------------
Linear on the last periods: the least-squares line through the measure at the last
three points of its series — the 6-month cut-offs (14/6, 14/12) inside the target's
span, the data date last — with the path's start (0) as a point while there are fewer
than three, carried to the target's end; a percentage stays within 0–100. A target
whose projection does not meet it is "unlikely to be reached" (the early warnings).
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import F

from htxnu.geo.models import LAST_DAY_BEFORE_REORGANISATION, REORGANISATION_DATE, AdminUnit, Succession
from htxnu.plans.models import Plan, Target
from htxnu.reporting.models import Round
from htxnu.reporting.selectors import pick_target

ON_TRACK, AT_RISK, BEHIND, NO_STATUS = "on_track", "at_risk", "behind", "none"
AT_RISK_FROM = Decimal("0.8")
PROJECTION_POINTS = 3


# --- which plan, which target --------------------------------------------------------


def plans_for(units: list[AdminUnit], round: Round) -> dict[int, Plan]:
    """{unit id: the unit's own plan for the round} (see the module docstring), in one
    query, two for today's units without a plan of their own in a phase-1 round."""
    ref = round.reference_date
    found: dict[int, Plan] = {}
    ids = [u.pk for u in units]
    for plan in (Plan.objects.in_force_at(ref).filter(unit_id__in=ids).select_related("unit")
                 .order_by("unit_id", F("issued_on").desc(nulls_last=True), "-pk")):
        found.setdefault(plan.unit_id, plan)
    formed = [u.pk for u in units if u.pk not in found and u.valid_from == REORGANISATION_DATE
              and round.spans_phase_one]
    if formed:
        successors = defaultdict(list)
        for pred, succ in Succession.objects.filter(successor_id__in=formed, predecessor__level=F("successor__level")
                                                    ).values_list("predecessor_id", "successor_id"):
            successors[pred].append(succ)
        plans = (Plan.objects.in_force_at(LAST_DAY_BEFORE_REORGANISATION).filter(unit_id__in=successors)
                 .select_related("unit").order_by(F("issued_on").desc(nulls_last=True), "-pk"))
        for plan in plans:
            for succ in successors[plan.unit_id]:
                found.setdefault(succ, plan)
    return found


def targets_of(plans) -> dict[int, list[Target]]:
    """{plan id: its targets} (one query)."""
    found = defaultdict(list)
    ids = {p.pk for p in plans if p is not None}
    if ids:
        for target in Target.objects.filter(plan_id__in=ids).select_related("indicator"):
            found[target.plan_id].append(target)
    return found


def pick(targets: list[Target], round: Round) -> Target | None:
    """The report page's choice among one indicator's targets of one plan (the same
    function, so the dashboard and the report always compare with the same target)."""
    return pick_target(targets, round)


def is_own_measure(target: Target, round: Round) -> bool:
    """Whether the round's own figure is what the target is compared with."""
    return target.year is None or (target.cumulative == round.is_review
                                   and target.year in (round.year, round.data_end.year))


@dataclass
class Choice:
    """The target a unit's figure of an indicator is compared with."""

    target: Target
    plan: Plan
    for_each_below: bool = False  # a "for each unit below" target of the plan above
    knots: list = field(default_factory=list)  # the path: [(date, value)], from the start

    @property
    def cumulative(self) -> bool:
        return self.target.cumulative and self.target.year is not None

    @property
    def start(self) -> datetime.date | None:
        return self.knots[0][0] if self.knots else None

    @property
    def end(self) -> datetime.date | None:
        return self.knots[-1][0] if self.knots and self.target.year is not None else None


def choose(round: Round, own_plan: Plan | None, own_targets: list[Target], parent_plan: Plan | None = None,
           parent_targets: list[Target] = ()) -> dict[int, Choice]:
    """{indicator id: Choice} for one unit."""
    by_indicator = defaultdict(list)
    for t in own_targets:
        if not t.per_subunit:
            by_indicator[t.indicator_id].append(t)
    below = defaultdict(list)
    for t in parent_targets:
        if t.per_subunit:
            below[t.indicator_id].append(t)
    result = {}
    for indicator_id in set(by_indicator) | set(below):
        target = pick(by_indicator.get(indicator_id, []), round)
        plan, each, siblings = own_plan, False, by_indicator.get(indicator_id, [])
        if target is None:
            target = pick(below.get(indicator_id, []), round)
            plan, each, siblings = parent_plan, True, below.get(indicator_id, [])
        if target is None:
            continue
        result[indicator_id] = Choice(target, plan, each, path_knots(target, plan, siblings))
    return result


def path_knots(target: Target, plan: Plan, siblings: list[Target]) -> list:
    if target.year is None:
        return []
    value = Decimal(target.value)
    if not target.cumulative:  # the year's cut-offs (Decree 09/2019)
        return [(datetime.date(target.year - 1, 12, 15), Decimal(0)), (datetime.date(target.year, 12, 14), value)]
    start = plan.starts_on or datetime.date(min(t.year for t in siblings if t.year), 1, 1)
    knots = [(start, Decimal(0))]
    for t in sorted((t for t in siblings if t.cumulative and t.year), key=lambda t: t.year):
        knots.append((datetime.date(t.year, 12, 31), Decimal(t.value)))
        if t.pk == target.pk:
            break
    return knots


# --- the path, the status, the projection --------------------------------------------


def path_at(choice: Choice, when: datetime.date) -> Decimal:
    """What the target's path expects by a date."""
    if not choice.knots:
        return Decimal(choice.target.value)
    knots = choice.knots
    if when <= knots[0][0]:
        return knots[0][1]
    for (d0, v0), (d1, v1) in zip(knots, knots[1:], strict=False):
        if when <= d1:
            span = (d1 - d0).days
            return v0 + (v1 - v0) * Decimal((when - d0).days) / Decimal(span) if span else v1
    return knots[-1][1]


def status(target: Target, measure, expected) -> str:
    if target is None or measure is None:
        return NO_STATUS
    if target.met_by(measure):
        return ON_TRACK
    expected = Decimal(expected) if expected is not None else Decimal(target.value)
    if expected <= 0 or Decimal(measure) >= expected:
        return ON_TRACK
    if Decimal(measure) >= AT_RISK_FROM * expected:
        return AT_RISK
    return BEHIND


def project(points: list[tuple[datetime.date, Decimal]], end: datetime.date, *, percent: bool = False,
            start: tuple[datetime.date, Decimal] | None = None) -> Decimal | None:
    """The measure carried to `end` along the least-squares line through the last
    points (the path's start added while there are fewer than PROJECTION_POINTS)."""
    points = [(d, Decimal(v)) for d, v in points if v is not None]
    if not points:
        return None
    last = sorted(points)[-PROJECTION_POINTS:]
    if len(last) < PROJECTION_POINTS and start is not None and start[0] < last[0][0]:
        last = [start, *last]
    if len(last) == 1 or end <= last[-1][0]:
        projected = last[-1][1]
    else:
        xs = [Decimal((d - last[0][0]).days) for d, _v in last]
        ys = [v for _d, v in last]
        n = Decimal(len(last))
        mean_x, mean_y = sum(xs) / n, sum(ys) / n
        spread = sum((x - mean_x) ** 2 for x in xs)
        slope = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True)) / spread if spread else 0
        slope = max(Decimal(slope), Decimal(0))  # figures counted so far do not go down
        projected = last[-1][1] + slope * Decimal((end - last[-1][0]).days)
    if percent:
        projected = min(max(projected, Decimal(0)), Decimal(100))
    return projected.quantize(Decimal("0.1"))


def reachable(target: Target, projected) -> bool | None:
    if projected is None:
        return None
    return bool(target.met_by(projected))


def cutoffs_between(start: datetime.date, end: datetime.date) -> list[datetime.date]:
    """The 6-month cut-offs (14/6 and 14/12) strictly after start and strictly before end."""
    found = []
    for year in range(start.year, end.year + 1):
        for day in (datetime.date(year, 6, 14), datetime.date(year, 12, 14)):
            if start < day < end:
                found.append(day)
    return found
