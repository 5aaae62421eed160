"""Consistency checks of plans, shown on each plan and in the list of open problems of a
unit. They are computed when asked for, never stored, so they are never stale.

A target is read as the interval of values that meet it: "= v" is [v, v], "≥ v" and
"> v" are [v, ∞), "≈ v" is v ± 10%, "a–b" is [a, b]. Sums of targets add the
intervals. Two sets of targets disagree when their intervals do not meet: the sum
"falls short" when its top is below the target's bottom, and "exceeds" it when its
bottom is above the target's top.

- yearly_sum: for an indicator whose targets add up (Indicator.additive: new
  cooperatives, jobs, classes; not percentages or consolidated counts, where the same
  cooperative is consolidated again each year), a cumulative target to year Y is
  compared with the previous cumulative target (if any) plus the within-year targets
  of the years between. A year without a within-year target is unknown ([0, ∞)), so
  only "exceeds" can be said then; with no within-year target at all nothing is said.
  Nam Định: 100 + 300 + 250 = 650 jobs is consistent.
- subunits_sum: a whole-unit target of an additive indicator is compared with the sum
  of the same targets (same indicator, year, cumulative or not) in the plans of the
  units directly below (as of the start of the phase the year is in, in the unit's own
  geography; a unit below's plan counts if it is in force at any time in that phase,
  the most recently issued if several). "Falls short" only when every unit below set
  that target; "exceeds" whenever the ones that did already add up to more.
- subunit_minimum: a target "for each unit below" (Nam Định: each district at least
  1 HTX) is compared with each unit below's own target: one that sets less is named.
- no_plan: the units directly below (same rule) that have no plan in force in a phase.
- below_baseline: a cumulative target lower than the plan's baseline of the same
  indicator, or of the indicator it is compared with (coops_consolidated with the
  baseline coops_supported: Lào Cai's 13 HTX founded with Union support).
- phase_years: a phase that does not lie within one national phase (2023–2025,
  2026–2030, read from the national plan when it is in the system), or that spans
  several years and ends before the national phase does; a target whose year is in no
  phase of its plan. A one-year plan (Vĩnh Thuận 2025) is fine.

problems_for(plans) checks any number of plans in a fixed number of queries.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.template.defaultfilters import floatformat
from django.utils.translation import gettext as _

from htxnu.geo.models import AdminUnit, Level

from .models import NATIONAL_PHASES, Baseline, Indicator, Phase, Plan, Target

YEARLY_SUM = "yearly_sum"
SUBUNITS_SUM = "subunits_sum"
SUBUNIT_MINIMUM = "subunit_minimum"
NO_PLAN = "no_plan"
BELOW_BASELINE = "below_baseline"
PHASE_YEARS = "phase_years"
NAMES_SHOWN = 8


@dataclass
class Problem:
    code: str
    plan: Plan
    message: str
    indicator: Indicator | None = None
    year: int | None = None
    cumulative: bool = False
    per_subunit: bool = False
    units: list[AdminUnit] = field(default_factory=list)

    @property
    def cell(self) -> tuple | None:
        """The grid cell the problem is about: (indicator id, year, cumulative, per sub-unit)."""
        if self.indicator is None:
            return None
        return self.indicator.pk, self.year, self.cumulative, self.per_subunit


@dataclass(frozen=True)
class Interval:
    low: Decimal
    high: Decimal | None  # None: no upper bound

    def __add__(self, other: "Interval") -> "Interval":
        high = None if self.high is None or other.high is None else self.high + other.high
        return Interval(self.low + other.low, high)

    def __str__(self):
        if self.high is None:
            return f"≥ {_n(self.low)}"
        if self.high == self.low:
            return _n(self.low)
        return f"{_n(self.low)}–{_n(self.high)}"


UNKNOWN = Interval(Decimal(0), None)


def _n(value: Decimal) -> str:
    return floatformat(value, "-2g")


def interval(target: Target) -> Interval:
    return Interval(*target.bounds())


def _compare(total: Interval, target: Target, *, short_possible: bool) -> str | None:
    """"short", "exceeds" or None."""
    low, high = target.bounds()
    if short_possible and total.high is not None and total.high < low:
        return "short"
    if high is not None and total.low > high:
        return "exceeds"
    return None


def _names(units: list[AdminUnit]) -> str:
    names = ", ".join(u.name for u in units[:NAMES_SHOWN])
    return names + ("…" if len(units) > NAMES_SHOWN else "")


# --- the checks ----------------------------------------------------------------------


def _first_year(plan: Plan, phases: list[Phase], targets: list[Target]) -> int | None:
    years = [p.start_year for p in phases if p.start_year] or ([plan.issued_on.year] if plan.issued_on else [])
    years += [t.year for t in targets if t.year]
    return min(years) if years else None


def _yearly_sum(plan, phases, targets) -> list[Problem]:
    problems = []
    first = _first_year(plan, phases, targets)
    by_indicator = defaultdict(list)
    for t in targets:
        if t.indicator.additive and not t.per_subunit and t.year:
            by_indicator[t.indicator_id].append(t)
    for rows in by_indicator.values():
        within = {t.year: t for t in rows if not t.cumulative}
        cumulative = sorted((t for t in rows if t.cumulative), key=lambda t: t.year)
        for i, target in enumerate(cumulative):
            previous = cumulative[i - 1] if i else None
            years = range(previous.year + 1 if previous else first, target.year + 1)
            if not any(y in within for y in years):
                continue
            total = interval(previous) if previous else Interval(Decimal(0), Decimal(0))
            for year in years:
                total += interval(within[year]) if year in within else UNKNOWN
            verdict = _compare(total, target, short_possible=total.high is not None)
            if verdict is None:
                continue
            span = f"{years[0]}–{years[-1]}" if len(years) > 1 else str(years[0])
            params = {"years": span, "sum": total, "year": target.year, "target": target.display}
            if previous:
                params["years"] = _("%(year)s and %(span)s") % {"year": previous.year, "span": span}
            message = (
                _("The targets for %(years)s add up to %(sum)s, short of the target to %(year)s (%(target)s).")
                if verdict == "short" else
                _("The targets for %(years)s add up to %(sum)s, more than the target to %(year)s (%(target)s).")
            ) % params
            problems.append(Problem(YEARLY_SUM, plan, message, target.indicator, target.year, True))
    return problems


def _below_baseline(plan, targets, baselines) -> list[Problem]:
    problems = []
    by_indicator = {b.indicator_id: b for b in baselines}
    for t in targets:
        if not t.cumulative or t.per_subunit:
            continue
        baseline = by_indicator.get(t.indicator_id) or by_indicator.get(t.indicator.baseline_indicator_id)
        if baseline is not None and t.value < baseline.value:
            message = _("The target %(when)s (%(target)s) is below the baseline: %(baseline)s %(what)s.") % {
                "when": t.when, "target": t.display, "baseline": _n(baseline.value),
                "what": baseline.indicator.label,
            }
            problems.append(Problem(BELOW_BASELINE, plan, message, t.indicator, t.year, True))
    return problems


def _phase_years(plan, phases, targets, national) -> list[Problem]:
    problems = []
    national_text = ", ".join(f"{a}–{b}" for a, b in national)
    for phase in phases:
        start = phase.start_year or phase.end_year
        inside = next(((a, b) for a, b in national if a <= start and phase.end_year <= b), None)
        if inside is None:
            problems.append(Problem(PHASE_YEARS, plan, _(
                "The phase %(phase)s does not lie within a national phase (%(national)s)."
            ) % {"phase": phase, "national": national_text}))
        elif phase.start_year and phase.start_year != phase.end_year and phase.end_year != inside[1]:
            problems.append(Problem(PHASE_YEARS, plan, _(
                "The phase %(phase)s ends before the national phase %(a)s–%(b)s does."
            ) % {"phase": phase, "a": inside[0], "b": inside[1]}))
    if phases:
        first = min(p.start_year or p.end_year for p in phases)
        last = max(p.end_year for p in phases)
        for t in targets:
            if t.year and not (first <= t.year <= last):
                problems.append(Problem(PHASE_YEARS, plan, _(
                    "The target %(when)s for “%(indicator)s” is outside the plan's phases."
                ) % {"when": t.when, "indicator": t.indicator.label}, t.indicator, t.year, t.cumulative,
                    t.per_subunit))
    return problems


@dataclass
class _Window:
    """A phase of a plan, in its unit's validity: when to read the units below."""

    phase: Phase
    start: datetime.date
    end: datetime.date


def _windows(plan: Plan, phases: list[Phase]) -> list[_Window]:
    unit = plan.unit
    windows = []
    for phase in phases:
        start = datetime.date(phase.start_year, 1, 1) if phase.start_year else (plan.starts_on or
                                                                                 datetime.date(phase.end_year, 1, 1))
        end = datetime.date(phase.end_year, 12, 31)
        if unit.valid_from and unit.valid_from > start:
            start = unit.valid_from
        if unit.valid_to and unit.valid_to < end:
            end = unit.valid_to
        if start <= end:
            windows.append(_Window(phase, start, end))
    return windows


def _window_of(windows: list[_Window], year: int) -> _Window | None:
    return next((w for w in windows if w.start.year <= year <= w.end.year), None)


def _subunits(plan, windows, targets, children, child_plans) -> list[Problem]:
    problems = []

    def below(window):
        units = [c for c in children.get(plan.unit_id, []) if c.is_valid_at(window.start)]
        plans = {}
        for unit in units:
            candidates = [p for p in child_plans.get(unit.pk, [])
                          if (p.starts_on is None or p.starts_on <= window.end)
                          and (p.ends_on is None or p.ends_on >= window.start)]
            if candidates:
                plans[unit.pk] = max(candidates, key=lambda p: (p.issued_on or datetime.date.min, p.pk))
        return units, plans

    for window in windows:
        units, plans = below(window)
        missing = [u for u in units if u.pk not in plans]
        if missing:
            problems.append(Problem(NO_PLAN, plan, _(
                "%(n)s of the %(total)s units below have no plan for %(phase)s: %(names)s"
            ) % {"n": len(missing), "total": len(units), "phase": window.phase, "names": _names(missing)},
                units=missing))

    cache = {}
    for target in targets:
        if target.year is None:
            continue
        window = _window_of(windows, target.year)
        if window is None:
            continue
        if window.start not in cache:
            cache[window.start] = below(window)
        units, plans = cache[window.start]
        if not units:
            continue
        matching = {}
        for unit in units:
            child = plans.get(unit.pk)
            found = next((t for t in child.targets.all() if t.indicator_id == target.indicator_id
                          and t.year == target.year and t.cumulative == target.cumulative and not t.per_subunit),
                         None) if child else None
            if found:
                matching[unit.pk] = found
        if not matching:
            continue
        if target.per_subunit:
            short = [u for u in units if u.pk in matching and matching[u.pk].bounds()[1] is not None
                     and matching[u.pk].bounds()[1] < target.bounds()[0]]
            if short:
                problems.append(Problem(SUBUNIT_MINIMUM, plan, _(
                    "Each unit below should reach %(target)s %(when)s; these set less: %(names)s"
                ) % {"target": target.display, "when": target.when, "names": _names(short)},
                    target.indicator, target.year, target.cumulative, True, short))
            continue
        if not target.indicator.additive:
            continue
        total = Interval(Decimal(0), Decimal(0))
        for t in matching.values():
            total += interval(t)
        verdict = _compare(total, target, short_possible=len(matching) == len(units))
        if verdict is None:
            continue
        params = {"n": len(matching), "sum": total, "when": target.when, "target": target.display,
                  "indicator": target.indicator.label}
        message = (
            _("The targets of the %(n)s units below add up to %(sum)s, short of this plan's %(target)s %(when)s "
              "(%(indicator)s).")
            if verdict == "short" else
            _("The targets of the %(n)s units below add up to %(sum)s, more than this plan's %(target)s %(when)s "
              "(%(indicator)s).")
        ) % params
        problems.append(Problem(SUBUNITS_SUM, plan, message, target.indicator, target.year, target.cumulative,
                                False, [u for u in units if u.pk in matching]))
    return problems


def national_phases() -> tuple[tuple[int, int], ...]:
    """The phases of the national plan in the system, else those of Decision 01."""
    rows = Phase.objects.filter(plan__unit__level=Level.COUNTRY, start_year__isnull=False).order_by(
        "plan__issued_on", "start_year").values_list("start_year", "end_year")
    return tuple(dict.fromkeys(rows)) or NATIONAL_PHASES


def _rows(plans: list[Plan], name: str, query) -> dict[int, list]:
    """{plan id: rows}: from the plans' prefetched `name` when all have it, else one query."""
    if all(name in getattr(p, "_prefetched_objects_cache", {}) for p in plans):
        return {p.pk: list(getattr(p, name).all()) for p in plans}
    found = defaultdict(list)
    for row in query():
        found[row.plan_id].append(row)
    return found


def problems_for(plans: list[Plan]) -> dict[int, list[Problem]]:
    """The problems of each plan (plans with their unit selected), in seven queries:
    targets, phases, baselines (none of these three when prefetched), national phases,
    units below, their plans, their targets."""
    plans = list(plans)
    if not plans:
        return {}
    ids = [p.pk for p in plans]
    targets = _rows(plans, "targets", lambda: Target.objects.filter(plan_id__in=ids).select_related("indicator"))
    phases = _rows(plans, "phases", lambda: Phase.objects.filter(plan_id__in=ids).order_by("end_year"))
    baselines = _rows(plans, "baselines", lambda: Baseline.objects.filter(plan_id__in=ids).select_related(
        "indicator"))
    national = national_phases()
    children = defaultdict(list)
    for unit in AdminUnit.objects.filter(parent_id__in={p.unit_id for p in plans}).order_by("code"):
        children[unit.parent_id].append(unit)
    child_ids = [u.pk for units in children.values() for u in units]
    child_plans = defaultdict(list)
    for p in Plan.objects.filter(unit_id__in=child_ids).prefetch_related("targets"):
        child_plans[p.unit_id].append(p)
    result = {}
    for plan in plans:
        own_targets, own_phases = targets.get(plan.pk, []), phases.get(plan.pk, [])
        problems = _phase_years(plan, own_phases, own_targets, national)
        problems += _yearly_sum(plan, own_phases, own_targets)
        problems += _below_baseline(plan, own_targets, baselines.get(plan.pk, []))
        problems += _subunits(plan, _windows(plan, own_phases), own_targets, children, child_plans)
        result[plan.pk] = problems
    return result
