"""How report figures add up, for the report pages, the official documents and the
dashboard.

    Figure                                       the one figure type (plans.indicators.Figure)
    figures(round, units, include_drafts=False)  -> {code: {unit_id: Figure}}
    report_figures(round, unit, report=None)     -> {code: Figure}       (what a report shows)
    row_figures(round, units)                    -> {unit_id: {code: Figure}}   (the units below)
    contributors(round, units)                   -> {unit_id: [AdminUnit]}       (whose reports add up)

Every Figure says where it comes from (`source`: "records" or "reports"), whether it
was frozen in a submitted report (`frozen`, `state`), and how it was made.

The rules
=========

A round's reports are written by the units valid on its cut-off end (`Round.
reference_date`): the old provinces, districts and communes for the rounds of phase 1
up to the first 6 months of 2025, today's provinces and communes from the 2025 annual
report on (its cut-off is 14/12/2025). A unit of the other era has no report of its own
for the round; it is shown through the units of the round's era in its territory.

Two kinds of indicator (the catalogue's `source`, through plans.indicators.source_of):

1. Computed from records. The value of a unit is compute_many over the unit itself for
   the round's period (`Round.data_start`–`data_end`). compute_many counts each
   cooperative once per unit, in either geography, so a province's figure already holds
   its communes' cooperatives exactly once: nothing is added up from the reports below,
   and a cooperative's jobs count once however many levels see them. This holds across
   1 July 2025 in both directions: today's Lào Cai over 2023–2025 counts the records of
   old Lào Cai and Yên Bái; old Lào Cai over 2026 counts the cooperatives registered
   under its old communes (plans.indicators explains how).

2. Taken from reports. A unit types its own figure (what the unit itself did, not the
   units below). Its report then shows: its own figure + the figures of the units
   directly below whose reports are approved — each such figure being that unit's
   total as it stood when it was submitted (own figure + the approved ones below it),
   so every own figure counts once. Only for `additive` indicators; a count that does
   not add up across units shows the unit's own figure and says so. Percentages add
   numerators and denominators; a report below that gives only a percentage cannot be
   added and is counted in `unsummable`, so the page says how many were left out.

Frozen figures. When a report is submitted, every figure is written into its values
(ReportValue.value/numerator/denominator), so a submitted or approved report shows
what was submitted, whatever is recorded later. A draft or returned report shows its
figures as they stand now.

The units below ("contributors") of a unit U for a round:
- U valid on the reference date: its children valid on that date.
- U of today (formed on 1/7/2025), round of phase 1: the top-most old units in its
  territory (geo.UnitScope): for today's Lào Cai, old Lào Cai and Yên Bái; for today's
  Phường Cam Đường, the old communes it was formed from. An old commune split between
  several of today's communes counts under its primary successor only
  (Succession.is_primary), so today's siblings never share a figure.
- U closed on 30/6/2025, round of today: today's units whose whole territory came from
  U (every predecessor of theirs lies in U), top-most. A unit that straddles the old
  boundaries (today's Lào Cai, from old Lào Cai and Yên Bái) cannot be split between
  them and is left out; for records-based indicators nothing is lost (see 1).

figures() (the dashboard's numbers) for a unit U:
- include_drafts=False ("approved figures only"): U's approved report's frozen figures.
  U without an approved report of its own: for a unit of the other era, the sum of the
  approved figures of its contributors (records-based figures add up across units:
  each cooperative sits in one unit); for a unit of the round's era, no figure
  (`value` None, `state` says why).
- include_drafts=True: everything as it stands: records-based figures computed now;
  report-based ones as the sum of the own figures of every report of the round in U's
  territory, whatever its state (each own figure once, see 2).

Reviews (mid-term 2025, final 2030): their report-based figures are typed by the unit,
which is offered the sum of the approved annual reports of the phase in its territory
(phase_suggestions): the mid-term review of today's Lào Cai is offered what old Lào Cai
and Yên Bái approved for 2023 and 2024, plus its own 2025 annual report.

Queries: a fixed number per call, whatever the number of units or indicators: the
catalogue (1), compute_many (one GROUP BY per era plus the activities' few), the
reports and values of the round (2), the contributors (1–3).
"""

import dataclasses
import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import F

from htxnu.geo.models import (
    LAST_DAY_BEFORE_REORGANISATION,
    REORGANISATION_DATE,
    AdminUnit,
    Succession,
    UnitScope,
)
from htxnu.plans import indicators as plan_indicators
from htxnu.plans.indicators import RECORDS, REPORTS, Figure, Period, compute_batch, compute_many, share_of, source_of
from htxnu.plans.models import Indicator

from .models import Report, ReportState, ReportValue, Round

ZERO = Decimal(0)


def period_of(round: Round) -> Period:
    return Period(round.data_start, round.data_end)


def active_indicators() -> list[Indicator]:
    return list(Indicator.objects.active())


def is_records(indicator: Indicator) -> bool:
    return source_of(indicator) == RECORDS


# --- who adds up into whom ------------------------------------------------------------


def contributors(round: Round, units) -> dict[int, list[AdminUnit]]:
    """{unit id: the units of the round's era whose reports add up into it} (see the
    module docstring), in three queries at most whatever the number of units."""
    units = list(units)
    ref = round.reference_date
    result: dict[int, list[AdminUnit]] = {u.pk: [] for u in units}
    in_era = [u for u in units if u.is_valid_at(ref)]
    newer = [u for u in units if not u.is_valid_at(ref) and u.valid_from and u.valid_from > ref]
    older = [u for u in units if not u.is_valid_at(ref) and u.valid_to and u.valid_to < ref]
    if in_era:
        for child in AdminUnit.objects.filter(parent__in=in_era).valid_at(ref).order_by("code"):
            result[child.parent_id].append(child)
    if newer:
        _older_units_inside(newer, ref, result)
    if older:
        _newer_units_inside(older, ref, result)
    return result


def _older_units_inside(targets: list[AdminUnit], ref: datetime.date, result: dict) -> None:
    """Today's units, a round of phase 1: the top-most old units each one covers."""
    ids = [t.pk for t in targets]
    rows = list(UnitScope.objects.filter(ancestor_id__in=ids).exclude(unit_id__in=ids)
                .filter(unit__in=AdminUnit.objects.valid_at(ref))
                .select_related("unit").order_by("unit__code"))
    covered = defaultdict(set)
    for row in rows:
        covered[row.ancestor_id].add(row.unit_id)
    tops = [(r.ancestor_id, r.unit) for r in rows if r.unit.parent_id not in covered[r.ancestor_id]]
    # A unit covered by several targets (an old commune split between today's communes)
    # goes to the one holding its primary successor.
    holders = defaultdict(set)
    for target, unit in tops:
        holders[unit.pk].add(target)
    shared = [pk for pk, owners in holders.items() if len(owners) > 1]
    primary_owner = {}
    if shared:
        primary = dict(Succession.objects.filter(predecessor_id__in=shared, is_primary=True)
                       .values_list("predecessor_id", "successor_id"))
        owners_of_successor = defaultdict(set)
        for ancestor, unit in UnitScope.objects.filter(unit_id__in=set(primary.values()),
                                                       ancestor_id__in=ids).values_list("ancestor_id", "unit_id"):
            owners_of_successor[unit].add(ancestor)
        for pk in shared:
            owners = owners_of_successor.get(primary.get(pk), set()) & holders[pk]
            primary_owner[pk] = min(owners) if len(owners) == 1 else min(holders[pk])
    for target, unit in tops:
        if unit.pk in primary_owner and primary_owner[unit.pk] != target:
            continue
        result[target].append(unit)


def _newer_units_inside(targets: list[AdminUnit], ref: datetime.date, result: dict) -> None:
    """Old units, a round of today: today's units whose whole territory came from each."""
    ids = [t.pk for t in targets]
    covered = defaultdict(set)
    for ancestor, unit in UnitScope.objects.filter(ancestor_id__in=ids).values_list("ancestor_id", "unit_id"):
        covered[ancestor].add(unit)
    successors = Succession.objects.filter(predecessor__scope_links__ancestor_id__in=ids).values("successor_id")
    predecessors = defaultdict(set)
    for succ, pred in Succession.objects.filter(successor_id__in=successors).values_list(
            "successor_id", "predecessor_id"):
        predecessors[succ].add(pred)
    newer = {u.pk: u for u in AdminUnit.objects.filter(pk__in=successors).valid_at(ref).order_by("code")}
    for target in ids:
        inside = {pk for pk in newer if predecessors[pk] and predecessors[pk] <= covered[target]}
        result[target].extend(newer[pk] for pk in sorted(inside, key=lambda pk: newer[pk].code)
                              if newer[pk].parent_id not in inside)


TODAY, OLD = "today", "old"


def geography_of(round: Round) -> str:
    """The geography a round is read in by default: the units that wrote its reports."""
    return OLD if round.before_reorganisation else TODAY


def units_below(unit: AdminUnit, geography: str) -> list[AdminUnit]:
    """The units directly below a unit in today's geography or in the one before
    1/7/2025, whichever era the unit belongs to: below today's Lào Cai before 1/7/2025,
    old Lào Cai and Yên Bái; below old Lào Cai today, the communes of today formed
    wholly from it."""
    ref = REORGANISATION_DATE if geography == TODAY else LAST_DAY_BEFORE_REORGANISATION
    if unit.is_valid_at(ref):
        return list(AdminUnit.objects.filter(parent=unit).valid_at(ref).order_by("code"))
    result = {unit.pk: []}
    if geography == OLD:
        _older_units_inside([unit], ref, result)
    else:
        _newer_units_inside([unit], ref, result)
    return result[unit.pk]


def territory_units(unit: AdminUnit, geography: str) -> list[AdminUnit]:
    """Every unit below a unit, at every level, in one geography (the consolidated
    workbook): the units it covers that were valid then (for an old unit seen today:
    today's units formed wholly from its territory)."""
    if geography == OLD:
        covered = AdminUnit.objects.filter(scope_links__ancestor=unit).valid_at(LAST_DAY_BEFORE_REORGANISATION)
        return list(covered.exclude(pk=unit.pk).order_by("level", "code"))
    if unit.is_valid_at(REORGANISATION_DATE):
        return list(AdminUnit.objects.filter(scope_links__ancestor=unit, valid_to__isnull=True)
                    .exclude(pk=unit.pk).order_by("level", "code"))
    tops = units_below(unit, TODAY)
    below = AdminUnit.objects.filter(scope_links__ancestor__in=tops, valid_to__isnull=True).exclude(
        pk__in=[t.pk for t in tops])
    return sorted({u.pk: u for u in [*tops, *below]}.values(), key=lambda u: (u.level, u.code))


# --- reading the reports of a round ---------------------------------------------------


def _reports(round: Round, unit_ids) -> dict[int, Report]:
    return {r.unit_id: r for r in Report.objects.filter(round=round, unit_id__in=list(unit_ids))}


def _values(reports) -> dict[int, dict[int, ReportValue]]:
    """{report id: {indicator id: value}} in one query."""
    found: dict[int, dict[int, ReportValue]] = defaultdict(dict)
    ids = [r.pk for r in reports]
    if ids:
        for value in ReportValue.objects.filter(report_id__in=ids):
            found[value.report_id][value.indicator_id] = value
    return found


def _frozen_figure(indicator: Indicator, unit_id: int, value: ReportValue | None, report: Report,
                   period: Period) -> Figure:
    source = (value.source if value and value.source else None) or source_of(indicator)
    figure = Figure(indicator.code, unit_id, source, frozen=True, state=report.state,
                    additive=indicator.additive or indicator.is_percent)
    if value is not None:
        figure.value, figure.numerator, figure.denominator = value.value, value.numerator, value.denominator
        figure.own, figure.below_reports = value.own_value, value.below_reports
    if source == RECORDS:
        figure.records_url = plan_indicators.records_link(indicator.code, unit_id, period)
    return figure


def _from_actual(computed: Figure, state: str | None, additive: bool) -> Figure:
    """A figure compute_many made, with the unit's report state (a copy: one computed
    figure may be shown in two places)."""
    return dataclasses.replace(computed, source=RECORDS, state=state, additive=additive)


class FigureSum:
    """Adds report-based figures: values, or numerators and denominators for shares."""

    def __init__(self, indicator: Indicator):
        self.percent = indicator.is_percent
        self.value = self.numerator = self.denominator = None
        self.count = self.unsummable = 0

    def add(self, value, numerator=None, denominator=None) -> None:
        if self.percent:
            if numerator is None or denominator is None:
                if value is not None:
                    self.unsummable += 1
                return
            self.numerator = (self.numerator or ZERO) + numerator
            self.denominator = (self.denominator or ZERO) + denominator
            self.count += 1
        elif value is not None:
            self.value = (self.value or ZERO) + value
            self.count += 1

    def merge(self, other: "FigureSum") -> None:
        """Add what another sum added (its count and what it could not add included)."""
        if self.percent:
            if other.numerator is not None:
                self.numerator = (self.numerator or ZERO) + other.numerator
                self.denominator = (self.denominator or ZERO) + other.denominator
        elif other.value is not None:
            self.value = (self.value or ZERO) + other.value
        self.count += other.count
        self.unsummable += other.unsummable

    @property
    def total(self):
        return share_of(self.numerator, self.denominator) if self.percent else self.value

    def figure(self, indicator: Indicator, unit_id: int, state: str | None) -> Figure:
        return Figure(indicator.code, unit_id, REPORTS, self.total, self.numerator, self.denominator,
                      below_reports=self.count, unsummable=self.unsummable, state=state,
                      additive=indicator.additive or indicator.is_percent)


def _report_figure(indicator: Indicator, unit_id: int, own: ReportValue | None, below: FigureSum | None,
                   state: str | None) -> Figure:
    """A report-based figure: the unit's own entry plus what came from below."""
    additive = indicator.additive or indicator.is_percent
    total = FigureSum(indicator)
    if own is not None:
        total.add(own.own_value, own.own_numerator, own.own_denominator)
    figure = Figure(indicator.code, unit_id, REPORTS, state=state, additive=additive,
                    own=own.own_value if own else None)
    if below is not None and additive:
        total.merge(below)
        figure.below = below.total
        figure.below_reports, figure.unsummable = below.count, below.unsummable
    figure.value, figure.numerator, figure.denominator = total.total, total.numerator, total.denominator
    return figure


def _approved_below(indicators, round: Round, children: dict[int, list[AdminUnit]]):
    """{unit id: {indicator id: FigureSum}} of the approved reports of each unit's contributors."""
    child_ids = {c.pk for kids in children.values() for c in kids}
    approved = [r for r in _reports(round, child_ids).values() if r.state == ReportState.APPROVED]
    by_unit = {r.unit_id: r for r in approved}
    values = _values(approved)
    result = {}
    for unit_id, kids in children.items():
        sums = {i.pk: FigureSum(i) for i in indicators}
        for kid in kids:
            report = by_unit.get(kid.pk)
            if report is None:
                continue
            for indicator in indicators:
                v = values[report.pk].get(indicator.pk)
                if v is not None:
                    sums[indicator.pk].add(v.value, v.numerator, v.denominator)
        result[unit_id] = sums
    return result


# --- what a report shows --------------------------------------------------------------


def report_figures(round: Round, unit: AdminUnit, report: Report | None = None, *,
                   indicators: list[Indicator] | None = None, children: list[AdminUnit] | None = None,
                   computed: dict | None = None) -> dict[str, Figure]:
    """The figures of a unit's report: frozen when it was submitted, as they stand
    otherwise (records now; own entries plus the approved reports below). `computed`:
    compute_many's answer already holding the unit (report_and_rows)."""
    indicators = indicators if indicators is not None else active_indicators()
    period = period_of(round)
    if report is not None and report.is_frozen:
        values = _values([report])[report.pk]
        return {i.code: _frozen_figure(i, unit.pk, values.get(i.pk), report, period) for i in indicators}
    state = report.state if report else None
    own_values = _values([report])[report.pk] if report else {}
    records = [i for i in indicators if is_records(i)]
    if computed is None:
        computed = compute_many(records, [unit], period) if records else {}
    from_reports = [i for i in indicators if not is_records(i)]
    below = {}
    if from_reports:
        kids = children if children is not None else contributors(round, [unit])[unit.pk]
        below = _approved_below(from_reports, round, {unit.pk: kids})[unit.pk]
    result = {}
    for indicator in indicators:
        if indicator.code in computed:
            result[indicator.code] = _from_actual(computed[indicator.code][unit.pk], state, True)
        else:
            result[indicator.code] = _report_figure(indicator, unit.pk, own_values.get(indicator.pk),
                                                    below.get(indicator.pk), state)
    return result


def row_figures(round: Round, units, *, indicators: list[Indicator] | None = None, computed: dict | None = None,
                reports: dict[int, Report] | None = None) -> tuple[dict[int, dict[str, Figure]], dict[int, Report]]:
    """Figures of many units at once (the units below a report, a sheet of the
    workbook): each unit's frozen figures where its report was submitted, else as they
    stand (records now; for report-based indicators, the own figures of every report
    in its territory). Also returns the reports found, by unit id. `reports` and
    `computed` may be passed when already read (report_and_rows)."""
    units = list(units)
    indicators = indicators if indicators is not None else active_indicators()
    period = period_of(round)
    if reports is None:
        reports = _reports(round, [u.pk for u in units])
    frozen = [r for r in reports.values() if r.is_frozen]
    values = _values(frozen)
    live = [u for u in units if not (u.pk in reports and reports[u.pk].is_frozen)]
    records = [i for i in indicators if is_records(i)]
    if computed is None:
        computed = compute_many(records, live, period) if records and live else {}
    territory = _territory_sums([i for i in indicators if not is_records(i)], round, live)
    result = {}
    for unit in units:
        report = reports.get(unit.pk)
        if report is not None and report.is_frozen:
            result[unit.pk] = {i.code: _frozen_figure(i, unit.pk, values[report.pk].get(i.pk), report, period)
                               for i in indicators}
            continue
        state = report.state if report else None
        row = {}
        for indicator in indicators:
            if indicator.code in computed:
                row[indicator.code] = _from_actual(computed[indicator.code][unit.pk], state, True)
            else:
                sums = territory.get(unit.pk, {}).get(indicator.pk) or FigureSum(indicator)
                row[indicator.code] = sums.figure(indicator, unit.pk, state)
        result[unit.pk] = row
    return result, reports


def report_and_rows(round: Round, unit: AdminUnit, report: Report | None, below: list[AdminUnit], *,
                    indicators: list[Indicator], children: list[AdminUnit], also: list | None = None):
    """report_figures() of the unit and row_figures() of the units below with one
    computation for the unit and every unit below not yet submitted: the database
    reads the cooperatives once, and plans a query over a province and its communes
    better than over the province alone. `also`, [(indicators, Period)]: figures of the
    unit for other periods read in the same pass (compute_batch), returned last, in
    order."""
    reports = _reports(round, [u.pk for u in below])
    live = [u for u in below if not (u.pk in reports and reports[u.pk].is_frozen)]
    if report is None or not report.is_frozen:
        live = [unit, *(u for u in live if u.pk != unit.pk)]
    records = [i for i in indicators if is_records(i)]
    asked = [(records, live, period_of(round))] if records and live else []
    found = compute_batch(asked + [(wanted, [unit], period) for wanted, period in (also or [])])
    computed = found[0] if asked else {}
    figures = report_figures(round, unit, report, indicators=indicators, children=children, computed=computed)
    rows, row_reports = row_figures(round, below, indicators=indicators, computed=computed, reports=reports)
    return figures, rows, row_reports, found[len(asked):]


def _territory_sums(indicators, round: Round, units) -> dict[int, dict[int, FigureSum]]:
    """{unit id: {indicator id: FigureSum}} of the own figures of every report of the round
    in each unit's territory (any state), in one query per era of the units."""
    if not indicators or not units:
        return {}
    ref = round.reference_date
    in_era = [u.pk for u in units if u.is_valid_at(ref)]
    other = [u for u in units if not u.is_valid_at(ref)]
    # A unit of the other era: through its contributors' territories.
    through = contributors(round, other) if other else {}
    wanted = set(in_era) | {c.pk for kids in through.values() for c in kids}
    by_ancestor: dict[int, dict[int, FigureSum]] = defaultdict(dict)
    kinds = {i.pk: i for i in indicators}
    if wanted:
        rows = (ReportValue.objects.filter(report__round=round, indicator_id__in=kinds,
                                           report__unit__scope_links__ancestor_id__in=wanted)
                .values("report__unit__scope_links__ancestor_id", "report__unit_id", "indicator_id", "own_value",
                        "own_numerator", "own_denominator"))
        for row in rows:
            ancestor, indicator_id = row["report__unit__scope_links__ancestor_id"], row["indicator_id"]
            indicator = kinds[indicator_id]
            if not (indicator.additive or indicator.is_percent) and row["report__unit_id"] != ancestor:
                continue  # a count that does not add up across units: the unit's own figure only
            sums = by_ancestor[ancestor].setdefault(indicator_id, FigureSum(indicator))
            sums.add(row["own_value"], row["own_numerator"], row["own_denominator"])
    result = {pk: by_ancestor.get(pk, {}) for pk in in_era}
    for unit in other:
        merged = {i.pk: FigureSum(i) for i in indicators if i.additive or i.is_percent}
        for kid in through.get(unit.pk, []):
            for indicator_id, sums in by_ancestor.get(kid.pk, {}).items():
                if indicator_id in merged:
                    merged[indicator_id].merge(sums)
        result[unit.pk] = merged
    return result


# --- the dashboard's entry point -----------------------------------------------------


def figures(round: Round, units, *, include_drafts: bool = False,
            indicators: list[Indicator] | None = None) -> dict[str, dict[int, Figure]]:
    """The figures of many units for a round, by indicator code then unit id (see the
    module docstring for the two modes). Units of either era, any number of them."""
    units = list(units)
    indicators = indicators if indicators is not None else active_indicators()
    result: dict[str, dict[int, Figure]] = {i.code: {} for i in indicators}
    if include_drafts:
        period = period_of(round)
        records = [i for i in indicators if is_records(i)]
        computed = compute_many(records, units, period) if records and units else {}
        territory = _territory_sums([i for i in indicators if not is_records(i)], round, units)
        states = {pk: r.state for pk, r in _reports(round, [u.pk for u in units]).items()}
        for indicator in indicators:
            for unit in units:
                if indicator.code in computed:
                    result[indicator.code][unit.pk] = _from_actual(computed[indicator.code][unit.pk],
                                                                   states.get(unit.pk), True)
                    continue
                sums = territory.get(unit.pk, {}).get(indicator.pk) or FigureSum(indicator)
                result[indicator.code][unit.pk] = sums.figure(indicator, unit.pk, states.get(unit.pk))
        return result
    return _approved_figures(round, units, indicators)


def _approved_figures(round: Round, units, indicators) -> dict[str, dict[int, Figure]]:
    ref = round.reference_date
    period = period_of(round)
    other = [u for u in units if not u.is_valid_at(ref)]
    through = contributors(round, other) if other else {}
    wanted = {u.pk for u in units} | {c.pk for kids in through.values() for c in kids}
    reports = _reports(round, wanted)
    approved = {pk: r for pk, r in reports.items() if r.state == ReportState.APPROVED}
    values = _values(approved.values())
    result: dict[str, dict[int, Figure]] = {i.code: {} for i in indicators}
    for unit in units:
        report = approved.get(unit.pk)
        for indicator in indicators:
            if report is not None:
                figure = _frozen_figure(indicator, unit.pk, values[report.pk].get(indicator.pk), report, period)
            elif unit.pk in through:
                figure = _sum_of_approved(indicator, unit.pk, through[unit.pk], approved, values, period)
            else:
                own = reports.get(unit.pk)
                figure = Figure(indicator.code, unit.pk, source_of(indicator), state=own.state if own else None,
                                additive=indicator.additive or indicator.is_percent)
            result[indicator.code][unit.pk] = figure
    return result


def _sum_of_approved(indicator: Indicator, unit_id: int, kids, approved, values, period) -> Figure:
    return sum_of_reports(indicator, unit_id, [values[approved[kid.pk].pk].get(indicator.pk) for kid in kids
                                               if kid.pk in approved], period)


def sum_of_reports(indicator: Indicator, unit_id: int, values, period: Period) -> Figure:
    """The figure of a unit made of other units' report values added up (None values
    skipped): the one rule for "the sum of approved reports". Shares add numerators and
    denominators; an indicator that does not add up across units (a report-based count
    not marked additive) gets no value."""
    source = source_of(indicator)
    additive = indicator.additive or indicator.is_percent or source == RECORDS
    total = FigureSum(indicator)
    if additive:
        for v in values:
            if v is not None:
                total.add(v.value, v.numerator, v.denominator)
    link = plan_indicators.records_link(indicator.code, unit_id, period) if source == RECORDS else None
    return Figure(indicator.code, unit_id, source, total.total, total.numerator, total.denominator, link,
                  below_reports=total.count, unsummable=total.unsummable, additive=additive)


def sum_of_figures(indicator: Indicator, unit_id: int, parts, period: Period) -> Figure:
    """The figure of a unit made of the figures of the units below it added up (None
    parts skipped; the country from its provinces): values, or numerators and
    denominators for shares; the reports and the shares left out below are carried up."""
    total = FigureSum(indicator)
    source = source_of(indicator)
    reports = unsummable = 0
    for part in parts:
        if part is not None:
            total.add(part.value, part.numerator, part.denominator)
            reports += part.below_reports
            unsummable += part.unsummable
    link = plan_indicators.records_link(indicator.code, unit_id, period) if source == RECORDS else None
    return Figure(indicator.code, unit_id, source, total.total, total.numerator, total.denominator, link,
                  below_reports=reports, unsummable=unsummable + total.unsummable, additive=True)


def add_own_entry(figure: Figure, indicator: Indicator, value: ReportValue) -> None:
    """Adds a unit's own entry (what the unit itself did) to a figure of the units below
    added up, as a report adds its own figure to the approved ones below."""
    total = FigureSum(indicator)
    total.add(figure.value, figure.numerator, figure.denominator)
    total.add(value.own_value, value.own_numerator, value.own_denominator)
    figure.value, figure.numerator, figure.denominator = total.total, total.numerator, total.denominator
    figure.unsummable += total.unsummable


@dataclass
class ApprovedBelow:
    figures: dict[str, Figure]
    reports: int  # how many approved reports were added
    approved_at: datetime.datetime | None  # the latest approval among them


def approved_reports_below(round: Round, units, indicators) -> dict[int, ApprovedBelow]:
    """For units without an approved report of their own: the approved reports of the round
    nearest below each unit in its territory (every approved report whose unit lies in the
    territory and under no other approved report in it), added up with sum_of_reports.
    Each territory is counted once; the rule is the same for a unit of either era, so
    today's Lào Cai and old Lào Cai add up the same approved reports of 2024. Four
    queries, whatever the number of units."""
    ids = [u.pk for u in units]
    covered = defaultdict(set)
    reports = {}
    for ancestor, unit_id, report_id, reviewed_at in UnitScope.objects.filter(
            ancestor_id__in=ids, unit__reports__round=round, unit__reports__state=ReportState.APPROVED).exclude(
            unit_id=F("ancestor_id")).values_list("ancestor_id", "unit_id", "unit__reports__id",
                                                   "unit__reports__reviewed_at"):
        covered[ancestor].add(unit_id)
        reports[unit_id] = (report_id, reviewed_at)
    under = defaultdict(set)  # approved unit -> the approved units above it
    if reports:
        for above, below in UnitScope.objects.filter(ancestor_id__in=reports, unit_id__in=reports).exclude(
                unit_id=F("ancestor_id")).values_list("ancestor_id", "unit_id"):
            under[below].add(above)
    tops = {pk: [u for u in covered[pk] if not (under[u] & covered[pk])] for pk in ids}
    wanted = {reports[u][0] for top in tops.values() for u in top}
    values = defaultdict(dict)
    for v in ReportValue.objects.filter(report_id__in=wanted):
        values[v.report_id][v.indicator_id] = v
    period = period_of(round)
    result = {}
    for unit in units:
        top = tops[unit.pk]
        figures = {i.code: sum_of_reports(i, unit.pk, [values[reports[u][0]].get(i.pk) for u in top], period)
                   for i in indicators}
        latest = max((reports[u][1] for u in top if reports[u][1]), default=None)
        result[unit.pk] = ApprovedBelow(figures, len(top), latest)
    return result


def phase_suggestions(round: Round, unit: AdminUnit, indicators: list[Indicator]) -> dict[str, Decimal]:
    """For a review: {code: the sum of the approved annual reports of the phase} for the
    report-based additive indicators, in the unit's territory (predecessors included)."""
    wanted = [i for i in indicators if not is_records(i) and i.additive and not i.is_percent]
    if not round.is_review or not wanted:
        return {}
    annual = Round.objects.regular().filter(kind="annual", data_start__gte=round.data_start,
                                            data_end__lte=round.data_end)
    totals: dict[str, Decimal] = {}
    for annual_round in annual:
        found = _approved_figures(annual_round, [unit], wanted)
        for indicator in wanted:
            value = found[indicator.code][unit.pk].value
            if value is not None:
                totals[indicator.code] = totals.get(indicator.code, ZERO) + value
    return totals


def freeze_rows(round: Round, unit: AdminUnit, report: Report, indicators: list[Indicator]) -> list[ReportValue]:
    """The values to write when a report is submitted: every figure as it stands."""
    figures_now = report_figures(round, unit, report, indicators=indicators)
    existing = _values([report])[report.pk]
    rows = []
    for indicator in indicators:
        figure = figures_now[indicator.code]
        row = existing.get(indicator.pk) or ReportValue(report=report)
        row.indicator = indicator  # read with the values, not once per value (the audit entry names it)
        row.value, row.numerator, row.denominator = figure.value, figure.numerator, figure.denominator
        row.source, row.below_reports = figure.source, figure.below_reports
        rows.append(row)
    return rows
