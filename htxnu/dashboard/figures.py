"""The figures the dashboards show, for many units at once, cached under the data
version of their territory (freshness.py explains why they are never stale).

    round_figures(round, units, approved=True|False, versions)  -> {unit id: UnitFigures}
    cumulative_figures(start, end, units, versions)             -> {unit id: UnitFigures}

Where the numbers come from
===========================

A round's figures are the reporting app's: htxnu.reporting.aggregation.figures(round,
units, include_drafts=…), whose docstring holds the rules (records vs reports, frozen
figures, the two geographies, no double counting). So a unit's approved figures are
exactly the figures frozen in its approved report.

"Approved only" where a unit has no approved report of its own. The country's report
is never approved (no level above approves it) and a province's may be waiting, so
the dashboard shows, for such a unit, the approved reports nearest below in its
territory added up — the reporting app's rule (aggregation.approved_reports_below,
with aggregation.sum_of_reports): every approved report of the round whose unit lies
in the territory and under no other approved report in it. Each territory is then counted once (a
commune's figure is inside its approved district's), percentages add numerators and
denominators, and UnitFigures says how many reports were added and when the last was
approved. The rule is the same for a unit of the other era (today's Lào Cai in a round
of 2024 adds up the same approved reports as old Lào Cai and Yên Bái would), so the
geography switch never changes which reports count.

The country. Its figures are those of today's provinces added up (the counting rules
make units below add up to the unit above: each cooperative and each report lies in
one province); indicators that do not add up across units (report-based counts that
are not `additive`) take the country's own figure. The country's own approved report,
if an operator approved one, wins in "approved only".

Cumulative figures (for targets counted from the plan's start) are computed from the
records only (plans.indicators.compute_many over [start, end]), as the report page
compares cumulative targets; indicators taken from reports have none.

Queries: the cached rows of all the units asked for (1), and for the units missing,
one figures() or compute_many call for all of them at once, plus the adapter's three
queries in "approved only", and one upsert of the rows computed.
"""

import dataclasses
import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from htxnu.geo.models import AdminUnit, Level
from htxnu.plans import indicators as plan_indicators
from htxnu.plans.indicators import Period, compute_many
from htxnu.plans.models import Indicator
from htxnu.reporting import aggregation
from htxnu.reporting.aggregation import Figure
from htxnu.reporting.models import Report, ReportState, ReportValue, Round

from .freshness import Versions
from .models import CachedFigures

# How a unit's figures were made.
LIVE = "live"  # as recorded now, drafts included
OWN_REPORT = "report"  # its own approved report
BELOW = "below"  # the approved reports below it added up
NONE = "none"  # nothing approved yet


@dataclass
class UnitFigures:
    unit_id: int
    figures: dict[str, Figure]
    computed_at: datetime.datetime
    basis: str = LIVE
    reports: int = 0  # approved reports the figures come from
    approved_at: datetime.datetime | None = None  # the latest approval among them

    def get(self, code: str) -> Figure | None:
        return self.figures.get(code)


# --- public --------------------------------------------------------------------------


def round_figures(round: Round, units, *, approved: bool, versions: Versions,
                  indicators: list[Indicator] | None = None) -> dict[int, UnitFigures]:
    indicators = indicators if indicators is not None else aggregation.active_indicators()
    mode = "a" if approved else "d"

    def compute(missing):
        return _approved(round, missing, indicators) if approved else _live(round, missing, indicators)

    def fold(country, provinces):
        return _fold_round(round, country, provinces, approved, indicators)

    return _cached(f"r{round.pk}:{mode}", list(units), versions, compute, fold)


def cumulative_figures(start: datetime.date | None, end: datetime.date, units, *, versions: Versions,
                       indicators: list[Indicator] | None = None) -> dict[int, UnitFigures]:
    indicators = indicators if indicators is not None else aggregation.active_indicators()
    records = [i for i in indicators if aggregation.is_records(i)]
    period = Period(start, end)

    def compute(missing):
        computed = compute_many(records, missing, period) if records else {}
        now = timezone.now()
        return {u.pk: UnitFigures(u.pk, {i.code: computed[i.code][u.pk] for i in records}, now)
                for u in missing}

    def fold(country, provinces):
        return _add_up(country, provinces.values(), records, period)

    return _cached(f"c{start:%Y%m%d}-{end:%Y%m%d}" if start else f"c-{end:%Y%m%d}", list(units), versions,
                   compute, fold)


# --- the cache -----------------------------------------------------------------------


def _cached(prefix: str, units: list[AdminUnit], versions: Versions, compute, fold) -> dict[int, UnitFigures]:
    """The figures of `units` under key prefix: read from the cache when computed under
    the versions now current, otherwise computed (compute(missing units) at once; the
    country folded from its provinces, themselves read or computed) and stored."""
    found = _read(prefix, units, versions)
    missing = [u for u in units if u.pk not in found]
    countries = [u for u in missing if u.level == Level.COUNTRY]
    fresh = {}
    provinces = {}
    if countries:
        wanted = [p for p in versions.provinces() if p.pk not in found]
        provinces = _read(prefix, wanted, versions)
        missing += [p for p in wanted if p.pk not in provinces and p not in missing]
    to_compute = [u for u in missing if u.level != Level.COUNTRY]
    if to_compute:
        fresh.update(compute(to_compute))
    for country in countries:
        parts = {p.pk: found.get(p.pk) or provinces.get(p.pk) or fresh[p.pk] for p in versions.provinces()}
        fresh[country.pk] = fold(country, parts)
    if fresh:
        by_id = {u.pk: u for u in [*units, *versions.provinces()]} if countries else {u.pk: u for u in units}
        rows = [CachedFigures(key=f"{prefix}:{pk}", version=versions.of(by_id[pk]), data=_dump(f),
                              computed_at=f.computed_at) for pk, f in fresh.items()]
        CachedFigures.objects.bulk_create(rows, update_conflicts=True, unique_fields=["key"],
                                          update_fields=["version", "data", "computed_at"])
    found.update(fresh)
    return {u.pk: found[u.pk] for u in units}


def _read(prefix: str, units: list[AdminUnit], versions: Versions) -> dict[int, UnitFigures]:
    if not units:
        return {}
    by_key = {f"{prefix}:{u.pk}": u for u in units}
    found = {}
    for row in CachedFigures.objects.filter(key__in=list(by_key)):
        unit = by_key[row.key]
        if row.version == versions.of(unit):
            loaded = _load(unit.pk, row)
            if loaded is not None:
                found[unit.pk] = loaded
    return found


_DECIMALS = ("value", "numerator", "denominator", "own", "below")


def _dump(f: UnitFigures) -> dict:
    figures = {}
    for code, figure in f.figures.items():
        row = dataclasses.asdict(figure)
        for name in _DECIMALS:
            if row[name] is not None:
                row[name] = str(row[name])
        figures[code] = row
    return {"figures": figures, "basis": f.basis, "reports": f.reports,
            "approved_at": f.approved_at.isoformat() if f.approved_at else None}


def _load(unit_id: int, row: CachedFigures) -> UnitFigures | None:
    data = row.data
    figures = {}
    try:
        for code, values in data["figures"].items():
            for name in _DECIMALS:
                if values[name] is not None:
                    values[name] = Decimal(values[name])
            figures[code] = Figure(**values)
    except (KeyError, TypeError):  # written by an older version of the code: compute again
        return None
    approved_at = datetime.datetime.fromisoformat(data["approved_at"]) if data["approved_at"] else None
    return UnitFigures(unit_id, figures, row.computed_at, data["basis"], data["reports"], approved_at)


# --- computing -----------------------------------------------------------------------


def _live(round: Round, units, indicators) -> dict[int, UnitFigures]:
    found = aggregation.figures(round, units, include_drafts=True, indicators=indicators)
    now = timezone.now()
    return {u.pk: UnitFigures(u.pk, {i.code: found[i.code][u.pk] for i in indicators}, now) for u in units}


def _approved(round: Round, units, indicators) -> dict[int, UnitFigures]:
    now = timezone.now()
    own = {r.unit_id: r for r in Report.objects.filter(round=round, unit__in=units, state=ReportState.APPROVED)}
    found = aggregation.figures(round, [u for u in units if u.pk in own], include_drafts=False,
                                indicators=indicators) if own else {}
    result = {}
    for unit in units:
        report = own.get(unit.pk)
        if report is not None:
            figures = {i.code: found[i.code][unit.pk] for i in indicators}
            result[unit.pk] = UnitFigures(unit.pk, figures, now, OWN_REPORT, 1, report.reviewed_at)
    # Every other unit, of the round's era or not: the approved reports nearest below it
    # in its territory, so today's Lào Cai and old Lào Cai show the same reports of 2024.
    nothing = [u for u in units if u.pk not in own]
    if nothing:
        result.update(_approved_below(round, nothing, indicators, now))
    return result


def _approved_below(round: Round, units, indicators, now) -> dict[int, UnitFigures]:
    """The approved reports nearest below each unit, added up (reporting's rule)."""
    found = aggregation.approved_reports_below(round, units, indicators)
    return {u.pk: UnitFigures(u.pk, found[u.pk].figures, now, BELOW if found[u.pk].reports else NONE,
                              found[u.pk].reports, found[u.pk].approved_at) for u in units}


# --- the country ---------------------------------------------------------------------


def _adds_up(indicator: Indicator) -> bool:
    return indicator.additive or indicator.is_percent or aggregation.is_records(indicator)


def _add_up(country: AdminUnit, parts, indicators, period: Period, **extra) -> UnitFigures:
    parts = [p for p in parts if p is not None]
    figures = {i.code: aggregation.sum_of_figures(i, country.pk, [p.get(i.code) for p in parts], period)
               for i in indicators}
    return UnitFigures(country.pk, figures, timezone.now(), **extra)


def _fold_round(round: Round, country: AdminUnit, provinces: dict[int, UnitFigures], approved: bool,
                indicators) -> UnitFigures:
    period = aggregation.period_of(round)
    adding = [i for i in indicators if _adds_up(i)]
    own = [i for i in indicators if not _adds_up(i)]
    if approved:
        report = Report.objects.filter(round=round, unit=country, state=ReportState.APPROVED).first()
        if report is not None:
            return _approved(round, [country], indicators)[country.pk]
        parts = [p for p in provinces.values() if p.basis != NONE]
        result = _add_up(country, parts, adding, period, basis=BELOW if parts else NONE,
                         reports=sum(p.reports for p in parts),
                         approved_at=max((p.approved_at for p in parts if p.approved_at), default=None))
        for indicator in own:  # not approved by anyone: nothing to show
            result.figures[indicator.code] = Figure(indicator.code, country.pk, plan_indicators.REPORTS,
                                                    additive=False)
        return result
    result = _add_up(country, provinces.values(), adding, period)
    # The country's own report (what the central Union itself did) adds to the provinces'.
    for v in ReportValue.objects.filter(report__round=round, report__unit=country,
                                        indicator__in=[i for i in adding if not aggregation.is_records(i)]
                                        ).select_related("indicator"):
        aggregation.add_own_entry(result.figures[v.indicator.code], v.indicator, v)
    if own:
        found = aggregation.figures(round, [country], include_drafts=True, indicators=own)
        for indicator in own:
            result.figures[indicator.code] = found[indicator.code][country.pk]
    state = Report.objects.filter(round=round, unit=country).values_list("state", flat=True).first()
    for figure in result.figures.values():
        figure.state = state
    return result
