"""Reads of plans and targets.

Which plan is in force for a unit on a date
-------------------------------------------
The units that held the unit's territory on that date: the unit itself if it was valid
then, its parents of that time, and — for a date before the unit existed (a commune
created on 1/7/2025 asked about 2024) — its predecessors and their parents, or — for a
date after it was closed — the units its territory passed to (geo.UnitScope already
covers that). Among their plans in force that day (starts_on ≤ date ≤ ends_on, derived
from the phases), the plan of the nearest level wins (commune, district, province,
country), then the most recently issued. So a plan of old Lào Cai governs the communes
of today's Lào Cai that came from old Lào Cai for dates up to 30/6/2025, and nothing
after: phase-2 figures follow plans of today's units (or the national plan).

The female-share threshold in force is the target threshold of the nearest such plan
that sets one (a plan that sets none, like Vĩnh Thuận's, follows the level above);
None where no plan does (eligibility then uses its default). When a plan sets several
thresholds (Lào Cai: > 70% for its targets, > 80% describing its target group), the
one marked as applying to targets is used; the others are kept and shown.

Who sees which plan: see PlanQuerySet.visible_to (the unit and below, plus the plans
above that apply to the user's territory).
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import F, Prefetch, Q

from htxnu.geo.models import AdminUnit, Succession, UnitScope
from htxnu.geo.scoping import get_visible_or_404
from htxnu.registry import facts
from htxnu.registry.facts import Threshold
from htxnu.text import name_key, search_key

from .indicators import _level_rank
from .models import Baseline, FemaleShareThreshold, Indicator, Plan, Target

# --- plans in force ------------------------------------------------------------------


def holders(unit: AdminUnit, date: datetime.date):
    """The units that held `unit`'s territory on `date` (itself included when valid)."""
    coverers = Q(unit_id=unit.pk)
    if unit.valid_from and date < unit.valid_from:
        coverers |= Q(unit_id__in=Succession.objects.filter(successor_id=unit.pk).values("predecessor_id"))
    return AdminUnit.objects.filter(pk__in=UnitScope.objects.filter(coverers).values("ancestor_id")).valid_at(date)


def plans_in_force(unit: AdminUnit, date: datetime.date | None = None) -> list[Plan]:
    """The plans in force for the unit on the date, nearest level first (one query)."""
    date = date or datetime.date.today()
    qs = Plan.objects.in_force_at(date).filter(unit__in=holders(unit, date)).select_related("unit")
    return list(qs.annotate(rank=_level_rank("unit__level")).order_by(
        "-rank", F("issued_on").desc(nulls_last=True), "-pk"))


def plan_in_force(unit: AdminUnit, date: datetime.date | None = None) -> Plan | None:
    plans = plans_in_force(unit, date)
    return plans[0] if plans else None


def female_share_threshold(unit: AdminUnit | None, date: datetime.date | None = None) -> Threshold | None:
    """The target threshold in force for a unit's territory on a date (threshold_timelines'
    rule), None where no plan sets one."""
    if unit is None:
        return None
    territory = facts.territory_of(unit)
    timeline = threshold_timelines({territory}).get(territory, [])
    return facts.threshold_at(timeline, date or datetime.date.today(), None)


LEVEL_RANK = {"commune": 3, "district": 2, "province": 1}
_DAY = datetime.timedelta(days=1)


def threshold_timelines(territories) -> dict:
    """For each collective's territory (commune_id, registered old unit id or None), the
    target threshold in force over time: [(from, to_exclusive, Threshold)], gaps where no
    plan sets one. Registered with the registry (htxnu.registry.facts) as its threshold
    source; three queries whatever the number of territories.

    In force on a date: a plan in force that day (starts_on <= date <= ends_on) of a unit
    that covers the collective (a unit valid today through the collective's commune; a
    unit closed on 30/6/2025 through the old commune it was registered under, or else one
    of its commune's predecessors). A closed unit's plan keeps governing its territory
    after the unit closed (plans.governing) until a plan of a unit of the day at the same
    level is in force over it, whether or not that plan sets a threshold. The nearest level
    wins; at one level a unit of the day's plan before a closed unit's; of units of the
    day, the most recently issued, then the latest entered; of closed units (a commune
    formed from communes of two old districts), the stricter. Only the threshold a plan
    marks as applying to its targets counts."""
    if not territories:
        return {}
    communes = {c for c, _r in territories}
    registered = {r for _c, r in territories if r}
    thresholds = FemaleShareThreshold.objects.filter(applies_to=FemaleShareThreshold.AppliesTo.TARGETS)
    current_plans = Plan.objects.filter(unit__valid_to__isnull=True).exclude(unit__level="country")
    if len(communes) + len(registered) <= 2000:
        # Few territories (a save): only the plans of the units covering them.
        predecessors_of = Succession.objects.filter(successor_id__in=communes).values("predecessor_id")
        covering = UnitScope.objects.filter(Q(unit_id__in=communes | registered) | Q(unit_id__in=predecessors_of)
                                            ).values("ancestor_id")
        thresholds = thresholds.filter(plan__unit_id__in=covering)
        current_plans = current_plans.filter(unit_id__in=covering)
    thresholds = list(thresholds.select_related("plan__unit"))
    if not thresholds:
        return {}
    current_plans = list(current_plans.values_list("unit_id", "unit__level", "starts_on", "ends_on"))
    predecessors: dict[int, set[int]] = {}
    for successor, predecessor in Succession.objects.filter(successor_id__in=communes).values_list(
            "successor_id", "predecessor_id"):
        predecessors.setdefault(successor, set()).add(predecessor)
    wanted = communes | registered | {p for ps in predecessors.values() for p in ps}
    covered: dict[int, set[int]] = {}
    scope = UnitScope.objects.filter(ancestor_id__in={t.plan.unit_id for t in thresholds}
                                     | {unit_id for unit_id, *_rest in current_plans})
    if len(wanted) <= 2000:
        scope = scope.filter(unit_id__in=wanted)
    for ancestor, unit in scope.values_list("ancestor_id", "unit_id"):
        if unit in wanted:
            covered.setdefault(ancestor, set()).add(unit)
    spans = []  # (from, to_exclusive, sort key, plan unit, Threshold, closed)
    for t in thresholds:
        plan, unit = t.plan, t.plan.unit
        starts = max(d for d in (plan.starts_on, unit.valid_from, datetime.date.min) if d)
        ends = min(d for d in (plan.ends_on, datetime.date.max - _DAY) if d) + _DAY
        threshold = Threshold(t.op, t.pct, str(plan))
        rank, issued = -LEVEL_RANK.get(unit.level, 0), -(plan.issued_on or datetime.date.min).toordinal()
        closes = unit.valid_to + _DAY if unit.valid_to else ends
        if starts < min(closes, ends):
            spans.append((starts, min(closes, ends), (rank, 0, 0, 0, issued, -plan.pk), unit, threshold, False))
        if max(starts, closes) < ends:  # after the unit closed: its territory's plan until replaced
            strict = (-t.pct, 0 if t.op == ">" else 1)
            spans.append((max(starts, closes), ends, (rank, 1, *strict, issued, -plan.pk), unit, threshold, True))
    result = {}
    for commune, registered in territories:
        mine = []
        for starts, ends, key, unit, threshold, closed in spans:
            cover = covered.get(unit.pk, set())
            if unit.valid_to is None:
                hit = commune in cover
            elif registered:
                hit = registered in cover
            else:
                hit = bool(predecessors.get(commune, set()) & cover)
            if not hit:
                continue
            if closed:  # replaced where a plan of a unit of the day at its level covers the commune
                replaced = [(p_from or datetime.date.min, (p_to or datetime.date.max - _DAY) + _DAY)
                            for p_unit, level, p_from, p_to in current_plans
                            if level == unit.level and commune in covered.get(p_unit, ())]
                for part_from, part_to in _minus(starts, ends, replaced):
                    mine.append((part_from, part_to, key, threshold))
            else:
                mine.append((starts, ends, key, threshold))
        if mine:
            result[(commune, registered)] = _timeline(mine)
    return result


def _minus(starts, ends, removed) -> list:
    """[starts, ends) without the intervals `removed` (each [from, to))."""
    parts = [(starts, ends)]
    for cut_from, cut_to in removed:
        parts = [piece for a, b in parts
                 for piece in ((a, min(b, cut_from)), (max(a, cut_to), b)) if piece[0] < piece[1]]
    return parts


def _timeline(spans) -> list:
    points = sorted({d for s in spans for d in s[:2]})
    timeline = []
    for start, end in zip(points, points[1:], strict=False):
        live = [s for s in spans if s[0] <= start < s[1]]
        if not live:
            continue
        best = min(live, key=lambda s: s[2])[3]
        if timeline and timeline[-1][1] == start and timeline[-1][2] == best:
            timeline[-1] = (timeline[-1][0], end, best)
        else:
            timeline.append((start, end, best))
    return timeline


# --- lists and details ---------------------------------------------------------------


def plans_of_unit_and_below(user, unit: AdminUnit):
    return (
        Plan.objects.visible_to(user).below(unit.pk).select_related("unit", "organisation")
        .order_by(F("ends_on").desc(nulls_first=True), "unit__level", "unit__name", "-pk")
    )


def plans_above(user, unit: AdminUnit):
    """The plans of the levels above (in both geographies) that apply to the unit."""
    below = Plan.objects.below(unit.pk).values("pk")
    qs = Plan.objects.visible_to(user).overlapping(unit.pk).exclude(pk__in=below)
    return qs.select_related("unit", "organisation").order_by("unit__level", F("ends_on").desc(nulls_first=True))


def plan_for_view(user, pk: int) -> Plan:
    """One plan with everything its page shows, or 404."""
    qs = Plan.objects.select_related("unit", "organisation").prefetch_related(
        "phases", "thresholds", "reporting_rules", "task_groups", "basis",
        Prefetch("adopted_from", queryset=Plan.objects.select_related("unit")),
        Prefetch("baselines", queryset=Baseline.objects.select_related("indicator")),
        Prefetch("targets", queryset=Target.objects.select_related("indicator")),
    )
    return get_visible_or_404(qs, user, pk=pk)


def units_of_today(user, unit: AdminUnit, limit: int = 500) -> list[AdminUnit]:
    """The current provinces and communes the unit covers (itself included), as the user
    may see them, province first (one query)."""
    return list(AdminUnit.objects.visible_to(user).filter(scope_links__ancestor_id=unit.pk, valid_to__isnull=True)
                .filter(level__in=["province", "commune"]).select_related("parent").order_by("level", "code")
                [:limit])


def plan_if_visible(user, pk: int) -> Plan | None:
    """The plan if the user may see it (to link to it), else None."""
    return Plan.objects.visible_to(user).filter(pk=pk).first()


def basis_links(user, plan: Plan) -> dict[int, Plan]:
    """{basis document id: the plan of the system with that number} (one query)."""
    keys = {b.number_key: b.pk for b in plan.basis.all() if b.number_key}
    if not keys:
        return {}
    found = {}
    for other in Plan.objects.visible_to(user).filter(number_key__in=keys).exclude(pk=plan.pk).order_by("pk"):
        found.setdefault(keys[other.number_key], other)
    return found


# --- the target grid -----------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    year: int | None
    cumulative: bool

    @property
    def key(self) -> str:
        return f"{self.year or 'x'}-{'c' if self.cumulative else 'y'}"


def cell_name(indicator_id: int, column: Column, per_subunit: bool) -> str:
    return f"cell-{indicator_id}-{column.key}-{'s' if per_subunit else 'u'}"


@dataclass
class Cell:
    column: Column
    target: Target | None
    name: str
    key: tuple  # (indicator id, year, cumulative, per_subunit), as checks.Problem.cell
    problem: bool = False
    error: str | None = None  # what was typed could not be read…
    typed: str = ""  # …and is shown again to be corrected


@dataclass
class Row:
    indicator: Indicator
    per_subunit: bool
    cells: list[Cell] = field(default_factory=list)


def parse_cell_name(name: str) -> tuple[int, int | None, bool, bool] | None:
    """(indicator id, year, cumulative, per_subunit) from a cell's field name."""
    try:
        prefix, indicator_id, year, kind, scope = name.split("-")
        if prefix != "cell" or kind not in ("c", "y") or scope not in ("s", "u"):
            return None
        return int(indicator_id), (None if year == "x" else int(year)), kind == "c", scope == "s"
    except ValueError:
        return None


def plan_years(plan: Plan, targets: list[Target]) -> list[int]:
    ends = [p.end_year for p in plan.phases.all()]
    starts = [p.start_year for p in plan.phases.all() if p.start_year]
    target_years = [t.year for t in targets if t.year]
    first = min(starts or ([plan.issued_on.year] if plan.issued_on else []) or target_years or ends or [None])
    last = max(ends + target_years or [first])
    if first is None:
        return []
    return list(range(min(first, *(target_years or [first])), last + 1))


def target_grid(plan: Plan, *, cumulative_years: set[int] = frozenset(), subunit_codes: set[str] = frozenset(),
                problem_cells: set[tuple] = frozenset()) -> tuple[list[Column], list[Row]]:
    """The grid of a plan: a column per year (within the year), a "to year …"
    (cumulative) column after each phase end and after any year that has a cumulative
    target or was asked for, and a last column without horizon; a row per indicator in
    use, and a "for each unit below" row for indicators that have such targets or were
    asked for. Uses the plan's prefetched phases and targets; marks the cells that
    have a problem (checks.Problem.cell)."""
    targets = list(plan.targets.all())
    cumulative = {p.end_year for p in plan.phases.all()} | {t.year for t in targets if t.cumulative and t.year}
    cumulative |= set(cumulative_years)
    columns = []
    for year in plan_years(plan, targets):
        columns.append(Column(year, False))
        if year in cumulative:
            columns.append(Column(year, True))
    columns.append(Column(None, False))
    by_cell = {(t.indicator_id, t.year, t.cumulative, t.per_subunit): t for t in targets}
    indicators = list(Indicator.objects.filter(Q(is_active=True) | Q(pk__in={t.indicator_id for t in targets})))
    subunit_ids = {t.indicator_id for t in targets if t.per_subunit} | {
        i.pk for i in indicators if i.code in subunit_codes
    }
    rows = []
    for indicator in indicators:
        for per_subunit in (False, True):
            if per_subunit and indicator.pk not in subunit_ids:
                continue
            row = Row(indicator, per_subunit)
            for column in columns:
                key = (indicator.pk, column.year, column.cumulative, per_subunit)
                row.cells.append(Cell(column, by_cell.get(key), cell_name(indicator.pk, column, per_subunit), key,
                                      key in problem_cells))
            rows.append(row)
    return columns, rows


# --- finding the unit a document names -----------------------------------------------


def find_unit(*, level: str, name: str, province: str | None = None,
              at: datetime.date | None = None) -> AdminUnit | None:
    """The unit of that level and name (official or short, however the diacritics were
    typed) valid on `at`, inside the province of that name when given; None if no unit
    or several match."""
    key = name_key(name)
    qs = AdminUnit.objects.filter(level=level, search_key__contains=search_key(name)).select_related(
        "parent__parent")
    if at is not None:
        qs = qs.valid_at(at)
    found = [u for u in qs if key in (name_key(u.name), name_key(u.short_name))]
    if province and level not in ("country", "province"):
        wanted = name_key(province)

        def in_province(unit):
            parent = unit.parent
            while parent is not None and parent.level != "province":
                parent = parent.parent
            return parent is not None and wanted in (name_key(parent.name), name_key(parent.short_name))

        found = [u for u in found if in_province(u)]
    return found[0] if len(found) == 1 else None


# --- progress against the targets ----------------------------------------------------


def within_validity(unit: AdminUnit, date: datetime.date) -> datetime.date:
    """The date, moved into the unit's validity (to read the units below it)."""
    if unit.valid_from and date < unit.valid_from:
        return unit.valid_from
    if unit.valid_to and date > unit.valid_to:
        return unit.valid_to
    return date


@dataclass
class ProgressRow:
    target: Target
    period: object  # indicators.Period
    actual: object = None  # indicators.Figure, None before the period starts
    met: bool | None = None
    share: object = None
    units_met: int | None = None  # targets for each unit below: how many reach it
    units: int | None = None


def plan_progress(plan: Plan, year: int, today: datetime.date | None = None) -> list[ProgressRow]:
    """Each target that concerns `year` beside its actual value: the targets of that
    year, the next cumulative target of each indicator measured so far, and the targets
    without horizon. One computation per distinct period (indicators.compute_many), for
    the plan's unit, or for the units below at once for "each unit below" targets."""
    from .indicators import Period, compute_many

    today = today or datetime.date.today()
    targets = list(plan.targets.all())
    chosen = [t for t in targets if t.year is None or t.year == year]
    later = {}
    for t in sorted((t for t in targets if t.cumulative and t.year and t.year > year), key=lambda t: t.year):
        later.setdefault((t.indicator_id, t.per_subunit), t)
    chosen += [t for key, t in later.items()
               if not any(c.indicator_id == key[0] and c.per_subunit == key[1] and c.cumulative for c in chosen)]
    rows = []
    for t in chosen:
        period = Period.for_target(t, plan, today)
        if t.year and t.year > year:
            period = Period(period.start, datetime.date(year, 12, 31))
        if period.end > today:
            period = Period(period.start, today)
        rows.append(ProgressRow(t, period))
    by_period = {}
    for row in rows:
        if row.period.start is None or row.period.start <= row.period.end:
            by_period.setdefault((row.period, row.target.per_subunit), []).append(row)
    children = {}
    for (period, per_subunit), group in by_period.items():
        units = [plan.unit]
        if per_subunit:
            if period not in children:
                children[period] = list(AdminUnit.objects.filter(parent=plan.unit).valid_at(
                    within_validity(plan.unit, period.start or period.end)))
            units = children[period]
        values = compute_many({r.target.indicator for r in group}, units, period)
        for row in group:
            actuals = values[row.target.indicator.code]
            if per_subunit:
                reached = [row.target.met_by(a.value) for a in actuals.values()]
                row.units = len(reached)
                row.units_met = sum(1 for r in reached if r)
                continue
            row.actual = actuals[plan.unit.pk]
            row.met = row.target.met_by(row.actual.value)
            row.share = row.target.share_achieved(row.actual.value)
    return sorted(rows, key=lambda r: (r.target.indicator.position, r.target.per_subunit, r.target.year or 9999))


# --- history -------------------------------------------------------------------------


@dataclass
class HistoryRow:
    entry: object
    changes: list = field(default_factory=list)


def plan_history(plan: Plan, limit: int = 100) -> list[HistoryRow]:
    """The changes to the plan and to its parts (targets, phases…), newest first. The
    parts' entries carry the plan's number as their note (services)."""
    from django.contrib.contenttypes.models import ContentType

    from htxnu.core.models import AuditEntry

    from .services import PARTS

    part_models = [model for model, _fields in PARTS.values()] + [Target]
    types = ContentType.objects.get_for_models(Plan, *part_models, for_concrete_models=False)
    entries = list(
        AuditEntry.objects.filter(
            Q(content_type=types[Plan], object_id=str(plan.pk))
            | Q(content_type__in=[types[m] for m in part_models], unit_id=plan.unit_id, note=str(plan))
        ).select_related("actor", "content_type")[:limit]
    )
    # Foreign keys shown by name: one query per related model, not one per value.
    wanted: dict = {}
    for entry in entries:
        model = entry.content_type.model_class()
        for name, pair in entry.changes.items():
            f = _field(model, name)
            if f is not None and f.many_to_one and name not in _HISTORY_HIDDEN:
                wanted.setdefault(f.related_model, set()).update(v for v in pair if v not in (None, ""))
    names = {(m, o.pk): str(o) for m, ids in wanted.items() for o in m._default_manager.filter(pk__in=ids)}
    rows = []
    for entry in entries:
        model = entry.content_type.model_class()
        row = HistoryRow(entry)
        for name, pair in sorted(entry.changes.items()):
            f = _field(model, name)
            if f is None or name in _HISTORY_HIDDEN:
                continue
            shown = []
            for value in pair:
                if f.many_to_one:
                    value = names.get((f.related_model, value), value)
                elif f.choices:
                    value = dict(f.flatchoices).get(value, value)
                elif isinstance(value, bool):
                    value = "✓" if value else "✗"
                shown.append("—" if value in (None, "", []) else value)
            row.changes.append((str(f.verbose_name), *shown))
        rows.append(row)
    return rows


_HISTORY_HIDDEN = {"number_key", "created_at", "updated_at", "plan"}


def _field(model, name):
    try:
        return model._meta.get_field(name)
    except Exception:
        return None
