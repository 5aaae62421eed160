"""Targets beside the figures: which target, what it is compared with, the path it
implies, the status colour and the projection to its end.

Which target
------------
The targets of the plans governing the unit on the round's cut-off end
(plans.governing, as the report page chooses them): its own plan, or until it has one,
the plans of the units it was formed from, added up (provisional, with their source);
the "for each unit below" targets of the plans above it. Among the whole-unit targets
for an indicator, the report page's choice: the target of the round's own year (within
the year; cumulative to its year for a review), else the next cumulative target, else
the one without horizon. Where there is none for an indicator, a target "for each unit
below" of the plan above applies (Nam Định's "each district at least 1 HTX").

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
Where there is a projection (every dashboard page has one), the colour is reconciled
with it (plans.progress.status): on the path but projected short of the target is at
risk, not on track; behind the path but projected to reach the target is at risk, not
behind.

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

from htxnu.plans.models import Plan, Target

# The path and the colour are the plans app's rules, shared with the reports; re-exported here.
from htxnu.plans.progress import AT_RISK as AT_RISK
from htxnu.plans.progress import AT_RISK_FROM as AT_RISK_FROM
from htxnu.plans.progress import BEHIND as BEHIND
from htxnu.plans.progress import NO_STATUS as NO_STATUS
from htxnu.plans.progress import ON_TRACK as ON_TRACK
from htxnu.plans.progress import PROJECTION_POINTS as PROJECTION_POINTS
from htxnu.plans.progress import expected_on
from htxnu.plans.progress import path_knots as path_knots
from htxnu.plans.progress import project as project
from htxnu.plans.progress import status as status
from htxnu.reporting.models import Round
from htxnu.reporting.selectors import pick_target

# --- which plan, which target --------------------------------------------------------


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


# --- the path, the status, the projection --------------------------------------------


def path_at(choice: Choice, when: datetime.date) -> Decimal:
    """What the target's path expects by a date (plans.progress.expected_on)."""
    return expected_on(choice.knots, choice.target, when)


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
