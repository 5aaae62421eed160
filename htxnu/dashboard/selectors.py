"""Reads behind the dashboard pages: the figures of a unit and of the units below it
beside their targets (progress.py), trends, early warnings, the map and the ranking.

Every page works on a View: the unit (the active unit or one in scope), the report
round (period), approved figures only or including drafts, and the geography of the
units below (today's, or those before 1/7/2025 for rounds with phase-1 data). Figures
come from figures.py (cached, never stale), targets from progress.py.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q
from django.utils import timezone

from htxnu.geo.models import AdminUnit
from htxnu.plans.governing import governing_many
from htxnu.plans.models import Indicator
from htxnu.reporting import aggregation
from htxnu.reporting.aggregation import Figure
from htxnu.reporting.models import Round, RoundKind

from . import figures as figs
from . import progress
from .freshness import Versions
from .models import RankingWeight

DASHBOARD_KINDS = (RoundKind.SEMIANNUAL, RoundKind.ANNUAL, RoundKind.MIDTERM, RoundKind.FINAL)
TREND_KINDS = (RoundKind.SEMIANNUAL, RoundKind.ANNUAL)
TREND_FIRST_YEAR = 2023


# --- rounds --------------------------------------------------------------------------


def rounds_offered(today: datetime.date) -> list[Round]:
    """The 6-month and annual rounds that have started, and the reviews of years that
    have started, newest first (one query)."""
    qs = Round.objects.regular().filter(kind__in=DASHBOARD_KINDS, data_start__lte=today).filter(
        ~Q(kind__in=(RoundKind.MIDTERM, RoundKind.FINAL)) | Q(year__lte=today.year))
    return list(qs.order_by("-data_end", "kind"))


def default_round(rounds: list[Round]) -> Round | None:
    """The latest 6-month or annual round: the one under way, with its data so far."""
    return next((r for r in rounds if not r.is_review), rounds[0] if rounds else None)


# --- the view ------------------------------------------------------------------------


@dataclass
class View:
    unit: AdminUnit
    round: Round
    approved: bool
    geography: str
    today: datetime.date
    versions: Versions
    indicators: list[Indicator]

    @property
    def data_date(self) -> datetime.date:
        """The date the figures stand at: the round's cut-off end, or today while it runs
        and drafts are shown."""
        if self.approved:
            return self.round.data_end
        return min(self.today, self.round.data_end)

    @property
    def geography_applies(self) -> bool:
        return self.round.spans_phase_one

    def with_round(self, round: Round) -> "View":
        return View(self.unit, round, self.approved, self.geography, self.today, self.versions, self.indicators)


def make_view(unit: AdminUnit, round: Round, *, approved: bool, geography: str | None = None,
              today: datetime.date | None = None) -> View:
    if geography not in (aggregation.TODAY, aggregation.OLD) or not round.spans_phase_one:
        geography = aggregation.geography_of(round) if round.spans_phase_one else aggregation.TODAY
    return View(unit, round, approved, geography, today or timezone.localdate(), Versions.read(),
                aggregation.active_indicators())


def units_below(view: View) -> list[AdminUnit]:
    return aggregation.units_below(view.unit, view.geography)


# --- a unit's progress on each indicator ---------------------------------------------


@dataclass
class Cell:
    """One indicator of one unit: the round's figure, the target chosen, what is compared
    with it, the path's expectation, the projection and the status (one verdict of both)."""

    indicator: Indicator
    figure: Figure | None
    choice: progress.Choice | None = None
    measure: Decimal | None = None
    measure_figure: Figure | None = None  # the cumulative figure when the measure is one
    expected: Decimal | None = None
    share: Decimal | None = None
    status: str = progress.NO_STATUS
    projected: Decimal | None = None
    reachable: bool | None = None
    points: list = field(default_factory=list)  # [(date, value)] behind the projection

    @property
    def target(self):
        return self.choice.target if self.choice else None

    @property
    def cumulative(self) -> bool:
        return self.measure_figure is not None

    @property
    def value(self):
        return self.figure.value if self.figure is not None else None

    @property
    def records_url(self) -> str | None:
        shown = self.measure_figure or self.figure
        return shown.records_url if shown is not None else None

    @property
    def horizon(self) -> datetime.date | None:
        return self.choice.end if self.choice else None


@dataclass
class UnitProgress:
    unit: AdminUnit
    figures: figs.UnitFigures
    cells: dict[str, Cell]
    plan: object = None
    governing: object = None  # plans.governing.Governing: own plan or provisional, with the sources


def progress_of(view: View, units: list[AdminUnit]) -> dict[int, UnitProgress]:
    """{unit id: UnitProgress} for many units at once. The targets are those of the
    plans governing each unit (plans.governing: its own plan, or its predecessors'
    added up), and the "for each unit below" targets of the plans above it."""
    if not units:
        return {}
    round = view.round
    by_id = {i.pk: i for i in view.indicators}
    round_figures = figs.round_figures(round, units, approved=view.approved, versions=view.versions,
                                       indicators=view.indicators)
    governed = governing_many(units, round.reference_date)
    result = {}
    for unit in units:
        g = governed[unit.pk]
        plan = g.plan
        choices = progress.choose(round, plan, g.targets, g.above_plan, g.subunit_targets)
        figures = round_figures[unit.pk]
        cells = {}
        for indicator in view.indicators:
            choice = choices.get(indicator.pk)
            cells[indicator.code] = Cell(indicator, figures.get(indicator.code), choice)
        result[unit.pk] = UnitProgress(unit, figures, cells, plan, g)
    _measure(view, result, by_id)
    return result


def _measure(view: View, result: dict[int, UnitProgress], by_id) -> None:
    round = view.round
    when = view.data_date
    # Cumulative measures, by the start of what they count: one computation per start.
    starts = defaultdict(dict)
    for unit_id, p in result.items():
        for cell in p.cells.values():
            choice = cell.choice
            if choice is None:
                continue
            own = progress.is_own_measure(choice.target, round)
            if not own and aggregation.is_records(cell.indicator):
                starts[choice.start][unit_id] = p.unit
    cumulative = {}
    for start, units in starts.items():
        cumulative[start] = figs.cumulative_figures(start, round.data_end, list(units.values()),
                                                    versions=view.versions, indicators=view.indicators)
    earlier = _earlier_points(view, result, starts)
    for unit_id, p in result.items():
        for cell in p.cells.values():
            choice = cell.choice
            if choice is None:
                continue
            target = choice.target
            if progress.is_own_measure(target, round):
                cell.measure = cell.value
            elif aggregation.is_records(cell.indicator):
                cell.measure_figure = cumulative[choice.start][unit_id].get(cell.indicator.code)
                cell.measure = cell.measure_figure.value if cell.measure_figure else None
            cell.expected = progress.path_at(choice, when) if choice.knots else Decimal(target.value)
            cell.share = target.share_achieved(cell.measure)
            if cell.measure is not None:
                cell.points = [*earlier.get((unit_id, cell.indicator.code), []), (when, cell.measure)]
                end = choice.end or _phase_end(round)
                cell.projected = progress.project(cell.points, end, percent=cell.indicator.is_percent,
                                                  start=choice.knots[0] if choice.knots else None)
                cell.reachable = progress.reachable(target, cell.projected)
            # One verdict: the path by the data date, reconciled with the projection.
            cell.status = progress.status(target, cell.measure, cell.expected, cell.projected)


def _phase_end(round: Round) -> datetime.date:
    return datetime.date(2025 if round.data_end.year <= 2025 else 2030, 12, 31)


def _earlier_points(view: View, result, starts) -> dict:
    """{(unit id, code): [(date, value)]}: the measure at the two 6-month cut-offs
    before the data date, within what each target counts."""
    points = defaultdict(list)
    round = view.round
    when = view.data_date
    for start, units in starts.items():
        for cutoff in progress.cutoffs_between(start, when)[-(progress.PROJECTION_POINTS - 1):]:
            found = figs.cumulative_figures(start, cutoff, list(units.values()), versions=view.versions,
                                            indicators=view.indicators)
            for unit_id in units:
                for code, figure in found[unit_id].figures.items():
                    cell = result[unit_id].cells[code]
                    if cell.choice and cell.choice.start == start and not progress.is_own_measure(
                            cell.choice.target, round) and figure.value is not None:
                        points[(unit_id, code)].append((cutoff, figure.value))
    # Targets within the year, compared with an annual round: its first 6 months.
    wanted = {uid: p.unit for uid, p in result.items()
              if any(c.choice and c.choice.target.year == round.year and not c.choice.target.cumulative
                     for c in p.cells.values())}
    if wanted and round.kind == RoundKind.ANNUAL and when > datetime.date(round.year, 6, 14):
        half = Round.objects.regular().filter(kind=RoundKind.SEMIANNUAL, year=round.year).first()
        if half is not None:
            found = figs.round_figures(half, list(wanted.values()), approved=view.approved,
                                       versions=view.versions, indicators=view.indicators)
            for unit_id in wanted:
                for code, figure in found[unit_id].figures.items():
                    cell = result[unit_id].cells[code]
                    if (cell.choice and cell.choice.target.year == round.year and not cell.choice.target.cumulative
                            and figure.value is not None):
                        points[(unit_id, code)].append((half.data_end, figure.value))
    return points


# --- pages ---------------------------------------------------------------------------


def dashboard(view: View) -> UnitProgress:
    """The unit's own figures, targets, status and projections."""
    return dashboard_unit(view)


def dashboard_unit(view: View) -> UnitProgress:
    return progress_of(view, [view.unit])[view.unit.pk]


SORTS = {"name", "code", "value", "target", "measure", "share", "status"}
STATUS_ORDER = {progress.ON_TRACK: 0, progress.AT_RISK: 1, progress.BEHIND: 2, progress.NO_STATUS: 3}


@dataclass
class DrillRow:
    unit: AdminUnit
    cell: Cell
    has_below: bool


def drilldown(view: View, indicator: Indicator, sort: str = "value", descending: bool = True
              ) -> tuple[UnitProgress, list[DrillRow]]:
    """The unit's figure of one indicator and the figure of each unit below it, which
    takes the "for each unit below" targets of the unit's plan."""
    return dashboard_unit(view), below_rows(view, indicator, sort, descending)


def below_rows(view: View, indicator: Indicator, sort: str = "value", descending: bool = True) -> list[DrillRow]:
    """The figure of one indicator for each unit below (the map needs no more)."""
    below = units_below(view)
    found = progress_of(view, below)
    deeper = _has_below(below)
    rows = [DrillRow(u, found[u.pk].cells[indicator.code], u.pk in deeper) for u in below]
    return sort_rows(rows, sort, descending)


def _has_below(units: list[AdminUnit]) -> set[int]:
    """The units that have units below them (communes have none): one query."""
    if not units:
        return set()
    return set(AdminUnit.objects.filter(parent__in=units).order_by().values_list("parent_id", flat=True).distinct())


def sort_rows(rows: list, sort: str, descending: bool) -> list:
    """Rows sorted on a column; rows without a value in it always come last."""
    key = _SORT_KEYS.get(sort, _SORT_KEYS["value"])
    known = [r for r in rows if key(r) is not None]
    unknown = [r for r in rows if key(r) is None]
    known.sort(key=key, reverse=descending)
    return known + sorted(unknown, key=lambda r: r.unit.name)


_SORT_KEYS = {
    "name": lambda r: r.unit.name,
    "code": lambda r: r.unit.code,
    "value": lambda r: r.cell.value,
    "target": lambda r: r.cell.target.value if r.cell.target else None,
    "measure": lambda r: r.cell.measure,
    "share": lambda r: r.cell.share,
    "status": lambda r: STATUS_ORDER[r.cell.status] if r.cell.status != progress.NO_STATUS else None,
}


# --- trends --------------------------------------------------------------------------


@dataclass
class TrendPoint:
    round: Round
    date: datetime.date
    cell: Cell


@dataclass
class Trend:
    indicator: Indicator
    points: list[TrendPoint]
    last: Cell | None  # the selected round's cell, with its projection

    @property
    def knots(self) -> list:
        return self.last.choice.knots if self.last and self.last.choice else []


def trend_rounds(view: View) -> list[Round]:
    """The 6-month and annual rounds since 2023 up to the selected one (one query)."""
    end = view.round.data_end
    return list(Round.objects.regular().filter(kind__in=TREND_KINDS, year__gte=TREND_FIRST_YEAR,
                                               data_start__lte=view.today, data_end__lte=end)
                .order_by("data_end", "kind"))


def trends(view: View) -> list[Trend]:
    """Each indicator at every 6-month point since 2023: the measure against the path
    its target implies, and the projection from the selected round."""
    rounds = trend_rounds(view)
    if view.round.is_review or view.round.pk not in {r.pk for r in rounds}:
        rounds.append(view.round)
    cells = []
    for r in rounds:
        at = view.with_round(r)
        found = progress_of(at, [view.unit])[view.unit.pk]
        cells.append((r, at.data_date, found.cells))
    result = []
    for indicator in view.indicators:
        points = [TrendPoint(r, when, c[indicator.code]) for r, when, c in cells]
        result.append(Trend(indicator, points, points[-1].cell if points else None))
    return result


# --- early warnings ------------------------------------------------------------------


@dataclass
class Warning:
    unit: AdminUnit
    cell: Cell


def warnings(view: View) -> list[Warning]:
    """Indicators and units (the unit and those below it) whose projection does not
    reach their target, furthest behind first."""
    found = [dashboard_unit(view)]
    below = units_below(view)
    found += list(progress_of(view, below).values())
    result = [Warning(p.unit, cell) for p in found for cell in p.cells.values() if cell.reachable is False]
    return sorted(result, key=lambda w: (w.cell.share if w.cell.share is not None else Decimal(-1),
                                         w.cell.indicator.position, w.unit.code))


# --- emulation ranking ---------------------------------------------------------------

# Until a unit chooses its own: the headline indicators of Đề án 01, equally.
DEFAULT_WEIGHTS = {"coops_consolidated": 10, "groups_consolidated": 10, "jobs_total_women": 10, "coops_new": 10,
                   "groups_new": 10, "jobs_new_women": 10, "training_classes": 10, "managers_trained_pct": 10}
SHARE_CAP = Decimal(120)
BY_TARGET, RELATIVE = "target", "relative"


def weights_of(unit: AdminUnit, indicators: list[Indicator]) -> tuple[dict[str, int], bool]:
    """({code: weight}, chosen by the unit) — the defaults until it chooses (one query)."""
    codes = {i.pk: i.code for i in indicators}
    stored = {codes[w.indicator_id]: w.weight for w in RankingWeight.objects.filter(unit=unit)
              if w.indicator_id in codes}
    if stored:
        return {i.code: stored.get(i.code, 0) for i in indicators}, True
    return {i.code: DEFAULT_WEIGHTS.get(i.code, 0) for i in indicators}, False


@dataclass
class RankRow:
    unit: AdminUnit
    score: Decimal
    parts: dict  # {code: (score, cell)}
    rank: int = 0


def ranking(view: View, weights: dict[str, int]) -> tuple[list[RankRow], dict[str, str]]:
    """The units below ranked on the weighted indicators, and how each indicator was
    scored ({code: "target" | "relative"}).

    Per indicator, a unit scores its share of its own target, capped at 120%, when every
    unit ranked has a target; otherwise its figure against the best unit's (100 = the
    best), since shares of targets some units lack cannot be compared. No figure scores
    0. The total is the weighted average of the scores."""
    below = units_below(view)
    found = progress_of(view, below)
    used = [i for i in view.indicators if weights.get(i.code, 0) > 0]
    how, scores = {}, defaultdict(dict)
    for indicator in used:
        cells = {pk: p.cells[indicator.code] for pk, p in found.items()}
        if cells and all(c.target is not None for c in cells.values()):
            how[indicator.code] = BY_TARGET
            for pk, c in cells.items():
                scores[pk][indicator.code] = min(c.share or Decimal(0), SHARE_CAP)
        else:
            how[indicator.code] = RELATIVE
            values = {pk: (c.measure if c.measure is not None else c.value) for pk, c in cells.items()}
            best = max((v for v in values.values() if v is not None), default=None)
            for pk, v in values.items():
                scores[pk][indicator.code] = (Decimal(100) * v / best).quantize(Decimal("0.1")) if best and v else \
                    Decimal(0)
    total_weight = sum(weights[i.code] for i in used)
    rows = []
    for unit in below:
        parts = {i.code: (scores[unit.pk][i.code], found[unit.pk].cells[i.code]) for i in used}
        score = (sum(weights[code] * s for code, (s, _c) in parts.items()) / total_weight
                 if total_weight else Decimal(0))
        rows.append(RankRow(unit, Decimal(score).quantize(Decimal("0.1")), parts))
    rows.sort(key=lambda r: (-r.score, r.unit.name))
    previous, rank = None, 0
    for position, row in enumerate(rows, start=1):
        if row.score != previous:
            rank, previous = position, row.score
        row.rank = rank
    return rows, how
