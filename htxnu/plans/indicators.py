"""Actual values of the catalogue's indicators, for many units at once.

    compute_many(["coops_consolidated", "jobs_total_women"], units, Period.year(2024))
        -> {"coops_consolidated": {unit_id: Figure, ...}, "jobs_total_women": {...}}
    compute("coops_new", units, Period(date(2023, 1, 1), date(2025, 12, 31))) -> {unit_id: Figure}

Figure is the product's one figure type (reporting re-exports it as aggregation.Figure
and adds figures up; this app defines it because it computes the first figures and
must not import reporting). Every Figure computed here carries value, numerator and denominator (for shares), its source
("records" or "reports") and, for records, a link to the registry list behind it.
Pass the units the user may see: every record under them counts, whoever entered it.

How the registry's indicators are counted
=========================================

Which collectives, and what is true of them at a date (alive, women-managed, many jobs
for women with the threshold of the plan in force, consolidated or founded within a
period, stable jobs for women, the unit each counts under in each era): the registry's
facts (htxnu.registry.facts), read at the period's last day from its table. Only
cooperatives (HTX) and groups (THT) whose founding the Union supported (at any level)
count; interest groups never do. "Eligible" is women-managed OR many jobs for women.
The threshold "of the plan in force" is this app's rule (selectors.threshold_timelines),
which it hands to the registry.

The indicators, for a period [start, end]:
- coops_supported / groups_supported (baseline, a stock): alive at the end, and
  women-managed at the end. The catalogue defines them with women managers only.
- coops_consolidated / groups_consolidated: alive and eligible at the end, with at
  least one consolidation event (LifeEvent "consolidated", whoever gave the support:
  Union or partner) dated within the period. A collective consolidated three times
  counts once.
- coops_groups_consolidated_pct: numerator the two above together; denominator the
  Union-supported HTX and THT alive and eligible at the end. Value = 100 × num / den.
- jobs_coop_women / jobs_group_women / jobs_total_women: stable jobs for women
  (women_stable_jobs) in the latest snapshot on or before the end, summed over the
  collectives counted by coops_/groups_consolidated for the same period. A collective
  without a snapshot adds nothing.
- coops_new / groups_new: founded within the period with Union support (a fact: it
  counts even if dissolved later). A group converted into a cooperative founds a new
  HTX on the conversion date.
- jobs_new_women: stable jobs for women, as of the end, in the new collectives alive
  at the end.

Cumulative or within a period: nothing here knows about targets; the caller chooses
the period. A within-year target is compared with Period.year(y), a cumulative one
with the period from the plan's start to the end of its year (Period.for_target).
Stock figures (jobs, supported) are read as of the end, so yearly actual values do not
add up to the phase's even where the plan's yearly targets do (Nam Định's
100 + 300 + 250 = 650 jobs): a collective consolidated in 2023 and 2024 counts once for
2023–2025.

Units and double counting: each unit counts each collective at most once: the
collectives whose commune it covers (geo.UnitScope). Siblings never share a collective,
so the units below add up to the unit above. Today's units and units valid throughout
(Lai Châu province, the country) reach collectives by their commune, which is always
today's; units closed on 30/6/2025 (old provinces, districts, communes) reach them by
the old commune they were registered under (Collective.registered_unit): a collective
without it is counted only in today's geography. So a phase-1 figure of old Lào Cai
and the same figure of today's Lào Cai (which covers old Lào Cai and Yên Bái) come from
the same records.

Queries: one for the catalogue rows (when codes are given), per era of the units asked
for one GROUP BY of the facts table by commune (conditional counts and sums: one row
per commune), and one for the communes each unit covers (UnitScope), the communes'
rows being added into each unit in Python — whatever the number of units or
collectives, and each collective read once however many of the units cover it. The registry
list's filters behind records_url() are the same conditions on the same facts, so a
figure's link lists exactly what it counted.

Other apps' indicators: an app may provide `<app>.indicators.COMPUTATIONS`,
{code: function(units, start, end) -> {unit_id: Figure}} (Figure.count, Figure.share;
the activities app does), and `records_url(code, unit_id,
start, end)` for the link to the records behind a number. Their indicators are computed from
records once the catalogue says so (Indicator.source = "records"); until then, and for
every indicator without a computation, the Figure says "reports" with no value.
"""

import contextlib
import contextvars
import dataclasses
import datetime
import functools
import importlib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from urllib.parse import urlencode

from django.apps import apps
from django.db.models import Case, Count, Q, Sum, Value, When
from django.urls import NoReverseMatch, get_script_prefix, reverse

from htxnu.geo.models import AdminUnit, UnitScope
from htxnu.registry import facts

from .models import Indicator, Plan

RECORDS = Indicator.Source.RECORDS
REPORTS = Indicator.Source.REPORTS

REGISTRY_CODES = (
    "coops_consolidated", "groups_consolidated", "coops_groups_consolidated_pct", "jobs_coop_women",
    "jobs_group_women", "jobs_total_women", "coops_new", "groups_new", "jobs_new_women", "coops_supported",
    "groups_supported",
)


@dataclass(frozen=True)
class Period:
    """[start, end], both inclusive; start None means "since records began"."""

    start: datetime.date | None
    end: datetime.date

    @classmethod
    def year(cls, year: int) -> "Period":
        return cls(datetime.date(year, 1, 1), datetime.date(year, 12, 31))

    @classmethod
    def years(cls, first: int | None, last: int) -> "Period":
        return cls(datetime.date(first, 1, 1) if first else None, datetime.date(last, 12, 31))

    @classmethod
    def for_target(cls, target, plan: Plan | None = None, today: datetime.date | None = None) -> "Period":
        """The period a target is measured over: its year; from the plan's start to the
        end of its year when cumulative; from the plan's start to today (or the plan's
        end) when it has no horizon."""
        plan = plan or target.plan
        start = plan.starts_on
        if target.year is None:
            end = min(d for d in (today or datetime.date.today(), plan.ends_on) if d)
            return cls(start, end)
        if target.cumulative:
            return cls(start, datetime.date(target.year, 12, 31))
        return cls.year(target.year)

    def __str__(self):
        start = f"{self.start:%d/%m/%Y}" if self.start else "…"
        return f"{start}–{self.end:%d/%m/%Y}"


@dataclass
class Figure:
    """The one figure type of the product: an indicator's number for one unit, whoever
    made it (computed here from records, typed in a report, frozen when the report was
    submitted, added up from the reports below by htxnu.reporting.aggregation, cached by
    the dashboard). Shares carry their numerator and denominator so they add up."""

    indicator: str
    unit_id: int
    source: str  # "records" or "reports"
    value: Decimal | None = None
    numerator: Decimal | None = None
    denominator: Decimal | None = None
    records_url: str | None = None
    own: Decimal | None = None  # the unit's own entry (reports)
    below: Decimal | None = None  # added up from the units below (reports)
    below_reports: int = 0  # how many reports below were added
    unsummable: int = 0  # reports below with a percentage only, left out
    frozen: bool = False  # as written when the report was submitted
    state: str | None = None  # the state of the unit's own report; None: no report
    additive: bool = True
    capped: bool = False  # a share of seats over people, shown at most 100%

    @property
    def from_records(self) -> bool:
        return self.source == RECORDS

    @classmethod
    def count(cls, unit_id: int, n, *, indicator: str = "", source: str = RECORDS) -> "Figure":
        n = Decimal(n)
        return cls(indicator, unit_id, source, n, n)

    @classmethod
    def share(cls, unit_id: int, numerator, denominator, *, indicator: str = "", source: str = RECORDS,
              cap: bool = False) -> "Figure":
        """numerator / denominator as a percentage to one decimal (None over an empty
        base); with cap, at most 100 and `capped` when the numerator exceeded the base."""
        numerator, denominator = Decimal(numerator), Decimal(denominator)
        value = share_of(numerator, denominator)
        capped = cap and bool(denominator) and numerator > denominator
        if capped:
            value = Decimal(100).quantize(Decimal("0.1"))
        return cls(indicator, unit_id, source, value, numerator, denominator, capped=capped)


def share_of(numerator, denominator) -> Decimal | None:
    """100 × numerator / denominator to one decimal; None without a base."""
    if numerator is None or not denominator:
        return None
    return (Decimal(100) * numerator / denominator).quantize(Decimal("0.1"))


# --- public API ----------------------------------------------------------------------


def compute(indicator: "str | Indicator", units: Iterable[AdminUnit], period: Period) -> dict[int, Figure]:
    return compute_many([indicator], units, period)[_code(indicator)]


def compute_many(indicators: Iterable["str | Indicator"], units: Iterable[AdminUnit],
                 period: Period) -> dict[str, dict[int, Figure]]:
    return compute_batch([(indicators, units, period)])[0]


def compute_batch(asked: list[tuple[Iterable, Iterable[AdminUnit], Period]]) -> list[dict[str, dict[int, Figure]]]:
    """compute_many for several (indicators, units, period) at once, in order: the
    registry's indicators of the periods that end on the same day are read in one
    query per era, whatever their starts (a report's figures for its round and the
    cumulative ones its targets are compared with)."""
    with batch():
        return _compute_batch(asked)


def _compute_batch(asked):
    asked = [(_catalogue(list(indicators)), list(units), period) for indicators, units, period in asked]
    by_end: dict[datetime.date, tuple[set, dict]] = {}
    for catalogue, units, period in asked:
        if units and any(i.code in REGISTRY_CODES and i.source == RECORDS for i in catalogue):
            starts, wanted = by_end.setdefault(period.end, (set(), {}))
            starts.add(period.start)
            wanted.update({u.pk: u for u in units})
    registry = {}
    for end, (starts, wanted) in by_end.items():
        for start, values in _registry_values(list(wanted.values()), end, sorted(starts, key=str)).items():
            registry[Period(start, end)] = values
    return [_figures(catalogue, units, period, registry.get(period, {})) for catalogue, units, period in asked]


def _figures(catalogue: list[Indicator], units: list[AdminUnit], period: Period, registry: dict) -> dict:
    result: dict[str, dict[int, Figure]] = {}
    plugins = _plugins()
    for indicator in catalogue:
        code = indicator.code
        if code in REGISTRY_CODES and indicator.source == RECORDS:
            result[code] = {u.pk: _registry_actual(code, u, period, registry.get(u.pk, {})) for u in units}
        elif indicator.source == RECORDS and code in plugins:
            values = plugins[code](units, period.start or datetime.date(2000, 1, 1), period.end)
            result[code] = {u.pk: _plugin_actual(code, u.pk, period, values.get(u.pk)) for u in units}
        else:
            result[code] = {u.pk: Figure(code, u.pk, REPORTS) for u in units}
    return result


_batch: contextvars.ContextVar[dict | None] = contextvars.ContextVar("indicator_batch", default=None)


@contextlib.contextmanager
def batch():
    """Within it, shared() computes each key once (compute_batch runs in one)."""
    token = _batch.set({})
    try:
        yield
    finally:
        _batch.reset(token)


def shared(key, compute):
    """compute() once per compute_batch for the same key: an app's indicators that read the
    same records (the activities' shares over the facts at the same date, for the round's
    period and the cumulative one) share one query within a batch. Outside a batch (or
    in another one: figures are never kept between requests), compute() every time."""
    memo = _batch.get()
    if memo is None:
        return compute()
    if key not in memo:
        memo[key] = compute()
    return memo[key]


def source_of(indicator: Indicator) -> str:
    """Where the actual value of an indicator comes from today."""
    if indicator.source == RECORDS and (indicator.code in REGISTRY_CODES or indicator.code in _plugins()):
        return RECORDS
    return REPORTS


# --- helpers -------------------------------------------------------------------------


def _code(indicator) -> str:
    return indicator if isinstance(indicator, str) else indicator.code


def _catalogue(indicators: list) -> list[Indicator]:
    codes = [i for i in indicators if isinstance(i, str)]
    found = {i.code: i for i in Indicator.objects.filter(code__in=codes)} if codes else {}
    unknown = set(codes) - set(found)
    if unknown:
        raise ValueError(f"unknown indicator code(s): {', '.join(sorted(unknown))}")
    return [found[i] if isinstance(i, str) else i for i in indicators]


@functools.cache
def _plugins() -> dict:
    found = {}
    for config in apps.get_app_configs():
        if not config.name.startswith("htxnu.") or config.name == "htxnu.plans":
            continue
        try:
            module = importlib.import_module(f"{config.name}.indicators")
        except ModuleNotFoundError as error:
            if error.name != f"{config.name}.indicators":
                raise
            continue
        found.update(getattr(module, "COMPUTATIONS", {}))
    return found


def records_link(code: str, unit_id: int, period: Period) -> str | None:
    """The page listing what an indicator computed from records counted for a unit and a
    period (the registry's list, or the page an app's indicators module names), else None."""
    if code in REGISTRY_CODES:
        return records_url(code, unit_id, period)
    url = _plugin_records_urls().get(code)
    return url(code, unit_id, period.start, period.end) if url else None


def _plugin_actual(code: str, unit_id: int, period: Period, value: Figure | None) -> Figure:
    link = records_link(code, unit_id, period)
    if value is None:
        return Figure(code, unit_id, RECORDS, Decimal(0), Decimal(0), None, link)
    return dataclasses.replace(value, indicator=code, unit_id=unit_id, source=RECORDS, records_url=link)


@functools.cache
def _plugin_records_urls() -> dict:
    """{code: records_url(code, unit_id, start, end)} from the apps whose indicators define one."""
    found = {}
    for config in apps.get_app_configs():
        module_name = f"{config.name}.indicators"
        if config.name.startswith("htxnu.") and config.name != "htxnu.plans":
            try:
                module = importlib.import_module(module_name)
            except ModuleNotFoundError as error:
                if error.name != module_name:
                    raise
                continue
            if hasattr(module, "records_url"):
                found.update(dict.fromkeys(getattr(module, "COMPUTATIONS", {}), module.records_url))
    return found


def _registry_list_url() -> str:
    return _registry_list_url_under(get_script_prefix())


@functools.cache
def _registry_list_url_under(prefix: str) -> str:
    """Reversed once per script prefix: a report page links hundreds of figures."""
    try:
        return reverse("registry:list")
    except NoReverseMatch:
        return "/registry/"


# The registry list's filters that list exactly what each indicator counted: the facts
# at the period end ("at"), for the unit in its era, of the cooperatives and groups the
# figures count ("figures"); see registry.selectors.Filters.
_CONSOLIDATED = {"alive": "1", "eligibility": "either", "consolidated": "1"}
_RECORD_FILTERS = {
    "coops_consolidated": ({"type": "htx", **_CONSOLIDATED}, "consolidated"),
    "groups_consolidated": ({"type": "tht", **_CONSOLIDATED}, "consolidated"),
    "coops_groups_consolidated_pct": (_CONSOLIDATED, "consolidated"),
    "jobs_coop_women": ({"type": "htx", **_CONSOLIDATED}, "consolidated"),
    "jobs_group_women": ({"type": "tht", **_CONSOLIDATED}, "consolidated"),
    "jobs_total_women": (_CONSOLIDATED, "consolidated"),
    "coops_new": ({"type": "htx", "founded": "1"}, "founded"),
    "groups_new": ({"type": "tht", "founded": "1"}, "founded"),
    "jobs_new_women": ({"alive": "1", "founded": "1"}, "founded"),
    "coops_supported": ({"type": "htx", "alive": "1", "eligibility": "women_managed"}, None),
    "groups_supported": ({"type": "tht", "alive": "1", "eligibility": "women_managed"}, None),
}


_RECORD_QUERIES = {code: (urlencode({"figures": "1", **filters}), dated) for code, (filters, dated) in
                   _RECORD_FILTERS.items()}


def records_url(code: str, unit_id: int, period: Period) -> str:
    """Built by hand from the encoded filters (ids and ISO dates need no quoting): a
    province's report page links a thousand figures."""
    query, dated = _RECORD_QUERIES[code]
    url = f"{_registry_list_url()}?unit={int(unit_id)}&{query}&at={period.end.isoformat()}"
    if dated and period.start:
        url += f"&{dated}_from={period.start.isoformat()}"
    return url


def _registry_actual(code: str, unit: AdminUnit, period: Period, acc: dict) -> Figure:
    get = lambda key: Decimal(acc.get(key, 0))  # noqa: E731
    numerator = denominator = None
    if code == "coops_groups_consolidated_pct":
        numerator, denominator = get("htx_consolidated") + get("tht_consolidated"), get("htx_base") + get("tht_base")
        value = share_of(numerator, denominator)
    else:
        value = {
            "coops_consolidated": lambda: get("htx_consolidated"),
            "groups_consolidated": lambda: get("tht_consolidated"),
            "jobs_coop_women": lambda: get("htx_consolidated_jobs"),
            "jobs_group_women": lambda: get("tht_consolidated_jobs"),
            "jobs_total_women": lambda: get("htx_consolidated_jobs") + get("tht_consolidated_jobs"),
            "coops_new": lambda: get("htx_new"),
            "groups_new": lambda: get("tht_new"),
            "jobs_new_women": lambda: get("htx_new_jobs") + get("tht_new_jobs"),
            "coops_supported": lambda: get("htx_supported"),
            "groups_supported": lambda: get("tht_supported"),
        }[code]()
        numerator = value
    return Figure(code, unit.pk, RECORDS, value, numerator, denominator, records_url(code, unit.pk, period))


def _level_rank(path: str) -> Case:
    return Case(
        When(**{path: "commune"}, then=Value(3)), When(**{path: "district"}, then=Value(2)),
        When(**{path: "province"}, then=Value(1)), default=Value(0),
    )


def _counters(start: datetime.date | None, suffix: str = "") -> dict:
    """The counters the registry's indicators are made of, as conditional aggregates over
    the facts at the period end (see the module docstring for what each one counts)."""
    new, consolidated = facts.founded_since(start), facts.consolidated_since(start)
    found = {}
    for t in facts.COUNTED_TYPES:
        alive = Q(type=t, alive=True, union_supported=True)
        counted = alive & facts.ELIGIBLE
        found[f"{t}_new{suffix}"] = Count("pk", filter=Q(type=t, union_supported=True) & new)
        found[f"{t}_new_jobs{suffix}"] = Sum("women_stable_jobs", filter=alive & new)
        found[f"{t}_supported{suffix}"] = Count("pk", filter=alive & Q(women_managed=True))
        found[f"{t}_base{suffix}"] = Count("pk", filter=counted)
        found[f"{t}_consolidated{suffix}"] = Count("pk", filter=counted & consolidated)
        found[f"{t}_consolidated_jobs{suffix}"] = Sum("women_stable_jobs", filter=counted & consolidated)
    return found


def sum_by_commune(qs, prefix: str, units, aggregates: dict) -> dict[int, dict]:
    """{unit_id: {name: sum}} of aggregates over records of collectives (`qs`; `prefix`
    leads from them to the collective's columns, "" for the facts themselves), each unit
    reaching them by the column it counts under in its era (registry.facts.counts_under):
    per era asked, one GROUP BY by that commune column (the aggregates must add up across
    communes: sums, and counts of records that lie in one commune each), whose rows are
    added into every unit covering the commune through geo.UnitScope (read once per
    batch). Each record is read once, however many of the units cover it (the country
    and its provinces). Units may be given as AdminUnits or ids."""
    if any(isinstance(u, int) for u in units):
        units = list(AdminUnit.objects.filter(pk__in=[u if isinstance(u, int) else u.pk for u in units]))
    era = {u.pk: facts.counts_under(u) for u in units}
    per_commune: dict[str, dict[int, dict]] = {}
    for path in ("commune", "registered_unit"):
        ids = [pk for pk, p in era.items() if p == path]
        if ids:
            column = f"{prefix}{path}"
            inside = UnitScope.objects.filter(ancestor_id__in=ids).values("unit_id")
            per_commune[path] = {row.pop(column): row for row in qs.filter(**{f"{column}__in": inside})
                                 .values(column).annotate(**aggregates).order_by()}
    acc: dict[int, dict] = defaultdict(lambda: defaultdict(int))
    covered = shared(("covered", frozenset(era)), lambda: list(
        UnitScope.objects.filter(ancestor_id__in=list(era)).values_list("ancestor_id", "unit_id")))
    for ancestor, unit in covered:
        row = per_commune[era[ancestor]].get(unit)
        if row is not None:
            a = acc[ancestor]
            for key, n in row.items():
                if n:
                    a[key] += n
    return acc


def _registry_values(units: list[AdminUnit], end: datetime.date, starts: list) -> dict:
    """{start: {unit_id: {"htx_consolidated": n, ...}}} for every unit and every period
    [start, end], in one read of the facts at `end` (sum_by_commune) that also gives the
    facts' totals at `end` (registry.facts.TOTALS), kept for facts_totals() within the
    batch."""
    counters = {f"total__{name}": aggregate for name, aggregate in facts.TOTALS.items()}
    for n, start in enumerate(starts):
        counters.update(_counters(start, f"__{n}"))
    acc = sum_by_commune(facts.at(end), "", units, counters)
    result = {start: defaultdict(dict) for start in starts}
    totals: dict[int, dict] = {u.pk: dict.fromkeys(facts.TOTALS, 0) for u in units}
    for unit_id, values in acc.items():
        for key, v in values.items():
            name, _, n = key.rpartition("__")
            if name == "total":
                totals[unit_id][n] = v
            else:
                result[starts[int(n)]][unit_id][name] = v
    memo = _batch.get()
    if memo is not None:
        memo.setdefault(("facts_totals", end), {}).update(totals)
    return result


def facts_totals(units: Iterable[AdminUnit], end: datetime.date) -> dict[int, dict]:
    """{unit_id: {"members": n, "workers": n, "women_managers": n}}: registry.facts.TOTALS
    for each unit at `end`. Within a batch that computed the registry's indicators for
    these units at `end`, read in the same pass over the facts; else one read of its own
    for the units not read yet (kept for the rest of the batch)."""
    units = list(units)
    if any(isinstance(u, int) for u in units):
        units = list(AdminUnit.objects.filter(pk__in=[u if isinstance(u, int) else u.pk for u in units]))
    memo = _batch.get()
    known = memo.setdefault(("facts_totals", end), {}) if memo is not None else {}
    missing = [u for u in units if u.pk not in known]
    if missing:
        found = sum_by_commune(facts.at(end), "", missing, dict(facts.TOTALS))
        known.update({u.pk: {name: found.get(u.pk, {}).get(name, 0) for name in facts.TOTALS} for u in missing})
    return {u.pk: known[u.pk] for u in units}
