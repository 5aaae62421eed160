"""How far along a target is: the path it implies and the status colour. The dashboard
(dashboard.progress, which states the rules in prose) and the report's count of targets
reached / at risk / behind both use these, so they always agree.

- The path runs straight from 0 at the start of what the target counts to its value at
  its end: within a year, over the year's cut-offs (15/12 of the year before to 14/12);
  cumulative, from the plan's start through every cumulative target of the indicator in
  the plan, each at 31/12 of its year; without horizon, flat at its value.
- what the path expects by a date: a whole number for a count, rounded up toward the
  target (888.4 cooperatives expected is 889); a percentage keeps its decimals.
- the projection: the least-squares line through the measure at the last three points
  (the path's start added while there are fewer), carried to a date; figures counted
  so far do not go down, a percentage stays within 0–100.
- on track: met, or at least what the path expects by the data date; at risk: at least
  80% of that; behind: below; none: no target or no measure.
- one verdict with the projection, where there is one (the dashboard always has one):
  a figure on its path whose projection does not reach the target is at risk, not on
  track; a figure behind its path whose projection reaches the target is at risk, not
  behind. So "on track" is never "unlikely to be reached", and "behind" always is.
"""

import datetime
from decimal import ROUND_CEILING, Decimal

from .models import Plan, Target

ON_TRACK, AT_RISK, BEHIND, NO_STATUS = "on_track", "at_risk", "behind", "none"
AT_RISK_FROM = Decimal("0.8")
PROJECTION_POINTS = 3


def path_knots(target: Target, plan: Plan, siblings: list[Target]) -> list:
    """[(date, value)] of the target's path; `siblings`: the plan's targets of the indicator."""
    if target.year is None:
        return []
    value = Decimal(target.value)
    if not target.cumulative:  # the year's cut-offs (Decree 09/2019)
        return [(datetime.date(target.year - 1, 12, 15), Decimal(0)), (datetime.date(target.year, 12, 14), value)]
    start = plan.starts_on or datetime.date(min(t.year for t in siblings if t.year), 1, 1)
    knots = [(start, Decimal(0))]
    for t in sorted((t for t in siblings if t.cumulative and t.year), key=lambda t: t.year):
        knots.append((datetime.date(t.year, 12, 31), Decimal(t.value)))
        if t is target:  # provisional targets are not saved: compared as objects
            break
    return knots


def expected_on(knots: list, target: Target, when: datetime.date) -> Decimal:
    """What the target's path expects by a date: a whole number for a count (cooperatives,
    jobs, people: 888.4 is 889, rounded up toward the target), a percentage as it falls."""
    if not knots:
        return Decimal(target.value)
    value = knots[-1][1]
    if when <= knots[0][0]:
        value = knots[0][1]
    else:
        for (d0, v0), (d1, v1) in zip(knots, knots[1:], strict=False):
            if when <= d1:
                span = (d1 - d0).days
                value = v0 + (v1 - v0) * Decimal((when - d0).days) / Decimal(span) if span else v1
                break
    if target.indicator.is_percent:
        return value
    return value.to_integral_value(rounding=ROUND_CEILING)


def status(target: Target | None, measure, expected, projected=None) -> str:
    """The status against the path by the data date, reconciled with the projection to
    the target's end when there is one (see the module's docstring)."""
    if target is None or measure is None:
        return NO_STATUS
    if target.met_by(measure):
        return ON_TRACK
    expected = Decimal(expected) if expected is not None else Decimal(target.value)
    if expected <= 0 or Decimal(measure) >= expected:
        found = ON_TRACK
    elif Decimal(measure) >= AT_RISK_FROM * expected:
        found = AT_RISK
    else:
        found = BEHIND
    reachable = None if projected is None else bool(target.met_by(projected))
    if (found == ON_TRACK and reachable is False) or (found == BEHIND and reachable is True):
        return AT_RISK
    return found


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
