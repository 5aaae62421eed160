"""Which plans govern a unit on a date, across 1 July 2025, and the targets they set.

The rule
--------
A plan keeps governing the territory of the unit that issued it until a successor's plan
replaces it. Most units of today got their own phase-2 plan months after the merger (some
never); until then the plans of the units they were formed from are what they report
against. For a unit U and a date D (governing_many, a fixed number of queries):

1. U's own plan in force on D governs alone (the most recently issued if several).
2. Otherwise, when U was formed from other units (it has predecessors of its own level in
   geo.Succession: today's Lào Cai from old Lào Cai and Yên Bái, Phường Lào Cai from
   old communes of Thành phố Lào Cai and Huyện Bảo Thắng), the plans of those
   predecessors in force on D govern, each for the territory its predecessor covered.
   These targets are provisional ("tạm tính"), and every place that shows one says
   where it comes from (source_text).
3. Targets "for each unit below" ("each commune at least 1 THT") apply to U from the own
   plan of U's parent in force on D; if the parent has none, from the plans in force on D
   of the units directly above U's predecessors (the old districts of a commune), each
   for the communes that came from its territory.

Provisional targets of several plans (same indicator and horizon)
-----------------------------------------------------------------
- absolute numbers add up (old Lào Cai's ≥ 20 HTX + Yên Bái's ≥ 15 = ≥ 35); a range
  adds its ends; different comparisons add up to "≥" the sum;
- percentages do not add up: each source's target is shown, and the stricter one (the
  higher value, "> v" before "≥ v") is used where one number is needed;
- "for each unit below" targets: the stricter one, as the unit has to meet each.
A target of one plan only is that plan's target as it stands. A predecessor split between
several units of today counts whole in each of them (the plans do not say how to divide).

Thresholds of the female share of workers follow the same rule, per territory: see
selectors.female_share_threshold.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import F, Q
from django.utils.translation import gettext as _

from htxnu.geo.models import AdminUnit, Succession

from .models import Op, Plan, Target


@dataclass(frozen=True)
class Source:
    """A plan that governs (part of) a unit, and the unit whose territory it governs."""

    plan: Plan
    territory: AdminUnit
    own: bool = False


@dataclass(frozen=True)
class Part:
    """One plan's target inside a provisional target."""

    source: Source
    target: Target


@dataclass
class Governing:
    unit: AdminUnit
    date: datetime.date
    own: Plan | None = None
    sources: list[Source] = field(default_factory=list)  # whole-unit targets: [own] or the predecessors'
    above: list[Source] = field(default_factory=list)  # whose "for each unit below" targets apply
    targets: list[Target] = field(default_factory=list)  # whole-unit, as compared with the unit's figures
    subunit_targets: list[Target] = field(default_factory=list)  # "for each unit below" that apply to it

    @property
    def provisional(self) -> bool:
        return self.own is None and bool(self.sources)

    @property
    def plan(self) -> Plan | None:
        """The plan named when one must be: the own plan, else the first predecessor's."""
        return self.own or (self.sources[0].plan if self.sources else None)

    @property
    def plans(self) -> list[Plan]:
        return [s.plan for s in self.sources]

    @property
    def above_plan(self) -> Plan | None:
        return self.above[0].plan if self.above else None

    @property
    def source_text(self) -> str:
        """"tạm tính từ kế hoạch 294/KH-UBND (tỉnh Lào Cai cũ) và …" for provisional targets."""
        if not self.provisional:
            return ""
        return provisional_text(self.sources)

    @property
    def source_numbers(self) -> str:
        return numbers(self.sources)

    @property
    def above_text(self) -> str:
        """Where its "for each unit below" targets come from, when from former units' plans."""
        return provisional_text(self.above) if self.above and not self.above[0].own else ""


def former(unit: AdminUnit) -> str:
    """"tỉnh Lào Cai cũ": the name of a unit that no longer exists, as the documents write it."""
    name = unit.name[:1].lower() + unit.name[1:]
    return _("former %(unit)s") % {"unit": name} if not unit.is_current else unit.name


def _plan_label(source: Source) -> str:
    return f"{source.plan} ({former(source.territory)})"


def provisional_text(sources) -> str:
    labels = list(dict.fromkeys(_plan_label(s) for s in sources))
    joined = labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " " + _("and") + " " + labels[-1]
    return _("provisional, from plan %(plans)s") % {"plans": joined}


def numbers(sources) -> str:
    return ", ".join(dict.fromkeys(str(s.plan) for s in sources))


def target_source_text(target: Target) -> str:
    """Where a target comes from, as every place that shows it says: the plan for a target
    of the unit's own plan; for a provisional one, each plan and its territory (and, for
    a percentage or a target for each unit below taken from several, each one's value)."""
    if not target.parts:
        return str(target.plan) if target.plan_id else ""
    sources = [p.source for p in target.parts]
    text = provisional_text(sources)
    if len(target.parts) > 1 and not _adds_up(target):
        each = "; ".join(f"{_plan_label(p.source)}: {p.target.display}" for p in target.parts)
        text = f"{text} ({each})"
    return text


def target_source_numbers(target: Target) -> str:
    if not target.parts:
        return str(target.plan) if target.plan_id else ""
    return numbers(p.source for p in target.parts)


# --- finding the plans ---------------------------------------------------------------


def governing(unit: AdminUnit, date: datetime.date) -> Governing:
    return governing_many([unit], date)[unit.pk]


def governing_many(units: list[AdminUnit], date: datetime.date) -> dict[int, Governing]:
    """{unit id: Governing} on a date (module docstring): three queries for any number
    of units (successions, plans, targets), two when none of them was formed from others."""
    units = list({u.pk: u for u in units}.values())
    predecessors: dict[int, list[AdminUnit]] = defaultdict(list)
    formed = [u.pk for u in units if u.valid_from is not None]
    if formed:
        links = (Succession.objects.filter(successor_id__in=formed, predecessor__level=F("successor__level"))
                 .select_related("predecessor").order_by("predecessor__code"))
        for link in links:
            predecessors[link.successor_id].append(link.predecessor)
    wanted = set()
    for u in units:
        wanted.add(u.pk)
        if u.parent_id:
            wanted.add(u.parent_id)
        for p in predecessors[u.pk]:
            wanted.add(p.pk)
            if p.parent_id:
                wanted.add(p.parent_id)
    plans_of: dict[int, Plan] = {}
    for plan in (Plan.objects.in_force_at(date).filter(unit_id__in=wanted).select_related("unit")
                 .order_by("unit_id", F("issued_on").desc(nulls_last=True), "-pk")):
        plans_of.setdefault(plan.unit_id, plan)
    targets_of = defaultdict(list)
    if plans_of:
        for t in Target.objects.filter(plan_id__in={p.pk for p in plans_of.values()}).select_related("indicator"):
            targets_of[t.plan_id].append(t)

    result = {}
    for u in units:
        g = Governing(u, date, own=plans_of.get(u.pk))
        if g.own is not None:
            g.sources = [Source(g.own, u, own=True)]
        else:
            g.sources = [Source(plans_of[p.pk], p) for p in predecessors[u.pk] if p.pk in plans_of]
        parent_plan = plans_of.get(u.parent_id) if u.parent_id else None
        if parent_plan is not None:
            g.above = [Source(parent_plan, parent_plan.unit, own=True)]
        else:
            above_ids = dict.fromkeys(p.parent_id for p in predecessors[u.pk] if p.parent_id in plans_of)
            g.above = [Source(plans_of[pk], plans_of[pk].unit) for pk in above_ids]
        g.targets = _combine(g.sources, targets_of, per_subunit=False)
        g.subunit_targets = _combine(g.above, targets_of, per_subunit=True)
        result[u.pk] = g
    return result


# --- adding up -----------------------------------------------------------------------


def combined_targets(sources: list[Source], *, per_subunit: bool = False) -> list[Target]:
    """The targets of some of a unit's sources added up as above (one query): what a plan
    adopting them takes over (services.plan_adopt)."""
    targets_of = defaultdict(list)
    for t in Target.objects.filter(plan_id__in={s.plan.pk for s in sources}).select_related("indicator"):
        targets_of[t.plan_id].append(t)
    return _combine([Source(s.plan, s.territory) for s in sources], targets_of, per_subunit=per_subunit)



def _combine(sources: list[Source], targets_of, *, per_subunit: bool) -> list[Target]:
    """The targets of the sources, one per indicator and horizon (module docstring)."""
    if len(sources) == 1 and sources[0].own:
        return [t for t in targets_of[sources[0].plan.pk] if t.per_subunit == per_subunit]
    cells = defaultdict(list)
    for source in sources:
        for t in targets_of[source.plan.pk]:
            if t.per_subunit == per_subunit:
                cells[(t.indicator_id, t.year, t.cumulative)].append(Part(source, t))
    return [_provisional(parts, per_subunit) for parts in cells.values()]


def _provisional(parts: list[Part], per_subunit: bool) -> Target:
    first = parts[0].target
    combined = Target(plan=parts[0].source.plan, indicator=first.indicator, year=first.year,
                      cumulative=first.cumulative, per_subunit=per_subunit)
    combined.parts = tuple(parts)
    targets = [p.target for p in parts]
    if _adds_up(combined):
        ops = {t.op for t in targets}
        combined.op = ops.pop() if len(ops) == 1 else Op.GE
        combined.value = sum((Decimal(t.value) for t in targets), Decimal(0))
        if combined.op == Op.BETWEEN:
            combined.value_max = sum((Decimal(t.value_max) for t in targets), Decimal(0))
    else:
        strictest = max(targets, key=_strictness)
        combined.op, combined.value, combined.value_max = strictest.op, strictest.value, strictest.value_max
    return combined


def _adds_up(target: Target) -> bool:
    return not target.indicator.is_percent and not target.per_subunit


_OP_STRICTNESS = {Op.GT: 3, Op.GE: 2, Op.EQ: 2, Op.BETWEEN: 2, Op.APPROX: 1}


def _strictness(target: Target):
    return (Decimal(target.value), _OP_STRICTNESS.get(target.op, 0))


# --- the problems page -----------------------------------------------------------------

PHASE_TWO = (datetime.date(2026, 1, 1), datetime.date(2030, 12, 31))


@dataclass
class PhaseTwoProblems:
    without_plan: list[Governing]  # units of today with no phase-2 plan of their own
    several_sources: list[Governing]  # provisional targets from more than one plan

    @property
    def count(self) -> int:
        return len(self.without_plan) + len(self.several_sources)


def phase_two_problems(units: list[AdminUnit], date: datetime.date) -> PhaseTwoProblems:
    """Of these units of today: those without a plan of their own for any part of phase 2
    (2026–2030), and those whose provisional targets on `date` come from more than one
    plan (whole-unit, or "for each unit below" from several old districts). Four queries."""
    ids = [u.pk for u in units]
    with_plan = set(Plan.objects.filter(unit_id__in=ids)
                    .filter(Q(starts_on__isnull=True) | Q(starts_on__lte=PHASE_TWO[1]))
                    .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=PHASE_TWO[0]))
                    .values_list("unit_id", flat=True))
    governed = governing_many(units, date)
    return PhaseTwoProblems(
        without_plan=[governed[u.pk] for u in units if u.pk not in with_plan],
        several_sources=[g for g in (governed[u.pk] for u in units)
                         if g.own is None and (len(g.sources) > 1 or len(g.above) > 1)],
    )
