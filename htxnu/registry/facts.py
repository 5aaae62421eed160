"""Facts about a cooperative or group at a date: the registry's one statement of the
rules every figure, list, link and eligibility reason reads.

For a collective and a date D (a reporting cut-off, or today):

- exists: founded on or before D (always, when the founding date is unknown). Before
  that the collective has no facts and counts nowhere.
- alive: not dissolved and not converted on D. A collective marked dissolved is dead
  from the date of its (latest) dissolution event, or throughout when no event is
  dated; a group converted into a cooperative is dead from the cooperative's founding
  date.
- women-managed ("do phụ nữ tham gia quản lý"): a woman held one of MANAGEMENT_POSITIONS
  on D (started_on <= D, or unknown; ended_on >= D, or none). women_managers: how many
  such seats were held on D (the base of the activities' managers' shares).
- many jobs for women ("tạo nhiều việc làm cho lao động nữ"): in the latest workforce
  snapshot dated on or before D, female workers × 100 > threshold × workers (or ≥, as
  the threshold says; no division, so exact); None where there is no snapshot or no
  workers. The threshold is the one of the plan in force on D for the collective's
  territory, which the plans app owns and hands to the registry (set_threshold_source,
  called from PlansConfig.ready(): plans depends on registry, never the reverse);
  where no plan sets one, DEFAULT_FEMALE_SHARE_THRESHOLD.
- eligible: women-managed or many jobs for women.
- consolidated within [start, D]: its latest consolidation event on or before D is on or
  after start (last_consolidated_on).
- founded within [start, D]: founded_on on or after start (a fact about the past: a
  collective founded in the period counts even if it was dissolved later).
- stable jobs for women, members and workers: those of the latest snapshot on or
  before D. Entering a later snapshot never changes an earlier date's facts.
- the unit it counts under: today's units reach it by its commune, units closed on
  30/6/2025 by the old commune it was registered under (under(); none: only today's
  geography).

Materialised in CollectiveFact: one row per stretch of time over which none of these
changes (they change only on the dates of its founding, managers' terms, snapshots,
events, conversion and the thresholds' plans), so the facts at any cut-off are one
indexed row per collective. refresh() rewrites a collective's rows in the caller's
transaction; every write path calls it (registry services and import, activities'
support, plans' writes through refresh_under(), demo data); rebuild() recomputes all
of them (`manage.py rebuild_facts`). The collective's own derived columns
(is_women_managed, the latest workforce figures) are the open stretch's facts.
"""

import contextlib
import datetime
import operator
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q, Sum
from django.template.defaultfilters import floatformat

from htxnu.core.bulk import insert_rows, update_rows
from htxnu.geo.models import AdminUnit, Succession, UnitScope

from .models import (
    FIGURE_INDEXES,
    MANAGEMENT_POSITIONS,
    Collective,
    CollectiveFact,
    CollectiveType,
    Gender,
    LifeEvent,
    Manager,
    Status,
    WorkforceSnapshot,
)

EARLIEST = datetime.date(1900, 1, 1)
OPEN = datetime.date(9999, 12, 31)  # valid_to of the open stretch
CHUNK = 2000
DERIVED = ["is_women_managed", "members", "female_members", "workers", "female_workers", "women_stable_jobs",
           "female_worker_share", "workforce_as_of"]
FIGURES = ["members", "female_members", "workers", "female_workers", "women_stable_jobs"]


@dataclass(frozen=True)
class Threshold:
    op: str
    pct: Decimal
    source: str  # e.g. "294/KH-UBND"; "" for the default

    def __str__(self):
        return f"{self.op.replace('>=', '≥')} {floatformat(self.pct, -1)}%"

    def passes_counts(self, female_workers: int, workers: int) -> bool:
        return {">": operator.gt, ">=": operator.ge}[self.op](female_workers * 100, self.pct * workers)

    def passes(self, share: Decimal) -> bool:
        return {">": operator.gt, ">=": operator.ge}[self.op](share, self.pct)


def default_threshold() -> Threshold:
    raw = getattr(settings, "DEFAULT_FEMALE_SHARE_THRESHOLD", ">50").strip()
    op = ">=" if raw.startswith(">=") else ">"
    return Threshold(op, Decimal(raw.lstrip(">=").strip()), "")


# --- the threshold in force, from whoever owns plans ---------------------------------

# (commune_id, registered_unit_id) -> the collective's territory in both eras.
Territory = tuple[int, int | None]
# [(from, to_exclusive, Threshold)], non-overlapping; gaps take the default.
Timeline = list[tuple[datetime.date, datetime.date, Threshold]]
_threshold_source: Callable[[set[Territory]], dict[Territory, Timeline]] | None = None


def set_threshold_source(source: Callable[[set[Territory]], dict[Territory, Timeline]] | None) -> None:
    """The plans app registers its rule for "the threshold of the plan in force" here."""
    global _threshold_source
    _threshold_source = source


def threshold_timelines(territories: set[Territory]) -> dict[Territory, Timeline]:
    return _threshold_source(territories) if _threshold_source and territories else {}


def territory_of(unit: AdminUnit) -> Territory:
    """A unit's own territory as a collective's would be written: a unit valid today as a
    commune, a unit closed on 30/6/2025 as the old unit something was registered under."""
    return (unit.pk, None) if unit.valid_to is None else (unit.pk, unit.pk)


def threshold_at(timeline: Timeline, date: datetime.date, default: Threshold | None) -> Threshold | None:
    for start, end, threshold in timeline:
        if start <= date < end:
            return threshold
    return default


# --- the rules, in Python, for one collective ----------------------------------------


def holds_management_at(manager, date: datetime.date) -> bool:
    """A woman holding one of MANAGEMENT_POSITIONS on the date (Manager or a row with
    the same attributes)."""
    return (manager.gender == Gender.FEMALE and manager.position in MANAGEMENT_POSITIONS
            and (manager.started_on is None or manager.started_on <= date)
            and (manager.ended_on is None or manager.ended_on >= date))


def managers_holding_at(date: datetime.date, prefix: str = "") -> Q:
    """holds_management_at as a filter on Manager (on a related model with `prefix`,
    e.g. "manager__")."""
    return Q(**{f"{prefix}gender": Gender.FEMALE, f"{prefix}position__in": MANAGEMENT_POSITIONS}) & (
        (Q(**{f"{prefix}started_on__isnull": True}) | Q(**{f"{prefix}started_on__lte": date}))
        & (Q(**{f"{prefix}ended_on__isnull": True}) | Q(**{f"{prefix}ended_on__gte": date})))


@dataclass
class _Inputs:
    collective: Collective
    managers: list
    snapshots: list  # sorted by as_of
    consolidations: list  # dates, sorted
    dissolutions: list  # dates
    converted_on: datetime.date | None
    timeline: Timeline


def _rows(i: _Inputs, default: Threshold) -> list[CollectiveFact]:
    c = i.collective
    start = c.founded_on or EARLIEST
    points = {start}
    for m in i.managers:
        if m.started_on:
            points.add(m.started_on)
        if m.ended_on:
            points.add(m.ended_on + datetime.timedelta(days=1))
    points.update(s.as_of for s in i.snapshots)
    points.update(i.consolidations)
    dead_from = None
    if c.status == Status.DISSOLVED:
        dead_from = max(i.dissolutions, default=EARLIEST)
    if i.converted_on:
        dead_from = min(d for d in (dead_from, i.converted_on) if d)
    if dead_from:
        points.add(dead_from)
    for f, t, _threshold in i.timeline:
        points.update((f, t))
    points = sorted(p for p in points if start <= p < OPEN)
    stretches: list[list] = []  # [valid_from, valid_to, the compared facts]
    for n, day in enumerate(points):
        known = _facts_at(i, day, dead_from, default)
        valid_to = points[n + 1] if n + 1 < len(points) else OPEN
        if stretches and stretches[-1][2] == known:
            stretches[-1][1] = valid_to
        else:
            stretches.append([day, valid_to, known])
    # Model instances only for the stretches kept (building one per date cost most of a refresh).
    return [CollectiveFact(collective_id=c.pk, valid_from=valid_from, valid_to=valid_to, type=c.type,
                           union_supported=c.union_supported_founding, commune_id=c.commune_id,
                           registered_unit_id=c.registered_unit_id, founded_on=c.founded_on,
                           **dict(zip(_COMPARED, known, strict=True)))
            for valid_from, valid_to, known in stretches]


_COMPARED = ["alive", "women_managed", "women_managers", "women_jobs", "female_share", "threshold_op",
             "threshold_pct", "threshold_source", "workforce_as_of", *FIGURES, "last_consolidated_on"]


def _facts_at(i: _Inputs, day: datetime.date, dead_from, default: Threshold) -> tuple:
    """The facts that change over time, on a day, in the order of _COMPARED."""
    snapshot = None
    for s in i.snapshots:
        if s.as_of <= day:
            snapshot = s
    consolidated = None
    for d in i.consolidations:
        if d <= day:
            consolidated = d
    threshold = threshold_at(i.timeline, day, default)
    jobs = share = None
    if snapshot is not None and snapshot.workers:
        jobs = threshold.passes_counts(snapshot.female_workers, snapshot.workers)
        share = round(Decimal(100 * snapshot.female_workers) / snapshot.workers, 2)
    seats = sum(1 for m in i.managers if holds_management_at(m, day))
    return (dead_from is None or day < dead_from, seats > 0, seats, jobs, share, threshold.op, threshold.pct,
            threshold.source[:200],
            snapshot.as_of if snapshot else None, *(getattr(snapshot, f) if snapshot else None for f in FIGURES),
            consolidated)


# --- keeping the table ---------------------------------------------------------------


def refresh(collective_ids: Iterable[int]) -> None:
    """Recompute the facts (and the derived columns) of these collectives, in the caller's
    transaction: a fixed number of queries per 2,000 collectives. A converted group is
    refreshed with its cooperative, whose founding date ends it."""
    ids = set(collective_ids)
    if not ids:
        return
    ids |= set(Collective.objects.filter(pk__in=ids, converted_from__isnull=False)
               .values_list("converted_from_id", flat=True))
    ordered = sorted(ids)
    for n in range(0, len(ordered), CHUNK):
        _refresh_chunk(ordered[n : n + CHUNK])


def _refresh_chunk(ids: list[int], replace: bool = True) -> None:
    collectives = list(Collective.objects.filter(pk__in=ids).only(
        "id", "type", "union_supported_founding", "commune_id", "registered_unit_id", "founded_on", "status",
        *DERIVED))
    managers, snapshots = defaultdict(list), defaultdict(list)
    consolidations, dissolutions = defaultdict(list), defaultdict(list)
    # Rows with the models' attribute names, not model instances (cheaper by far).
    for m in Manager.objects.filter(collective_id__in=ids, gender=Gender.FEMALE,
                                    position__in=MANAGEMENT_POSITIONS).values_list(
            "collective_id", "gender", "position", "started_on", "ended_on", named=True):
        managers[m.collective_id].append(m)
    for s in WorkforceSnapshot.objects.filter(collective_id__in=ids).order_by("as_of").values_list(
            "collective_id", "as_of", *FIGURES, named=True):
        snapshots[s.collective_id].append(s)
    for cid, kind, day in LifeEvent.objects.filter(
            collective_id__in=ids, kind__in=[LifeEvent.Kind.CONSOLIDATED, LifeEvent.Kind.DISSOLVED]
    ).order_by("date").values_list("collective_id", "kind", "date"):
        (consolidations if kind == LifeEvent.Kind.CONSOLIDATED else dissolutions)[cid].append(day)
    converted = dict(Collective.objects.filter(converted_from_id__in=ids).values_list("converted_from_id",
                                                                                      "founded_on"))
    timelines = threshold_timelines({(c.commune_id, c.registered_unit_id) for c in collectives})
    default = default_threshold()
    rows, changed = [], []
    for c in collectives:
        mine = _rows(_Inputs(c, managers[c.pk], snapshots[c.pk], consolidations[c.pk], dissolutions[c.pk],
                             converted.get(c.pk), timelines.get((c.commune_id, c.registered_unit_id), [])), default)
        rows.extend(mine)
        if _set_derived(c, mine[-1]):
            changed.append(c)
    if replace:
        CollectiveFact.objects.filter(collective_id__in=ids).delete()  # one DELETE: no signals, nothing refers to it
    insert_rows(CollectiveFact, rows)
    update_rows(Collective, changed, DERIVED)


def _set_derived(c: Collective, latest: CollectiveFact) -> bool:
    values = {"is_women_managed": latest.women_managed, "female_worker_share": latest.female_share,
              "workforce_as_of": latest.workforce_as_of, **{f: getattr(latest, f) for f in FIGURES}}
    if all(getattr(c, k) == v for k, v in values.items()):
        return False
    for k, v in values.items():
        setattr(c, k, v)
    return True


def collectives_under(unit_ids: Iterable[int]) -> list[tuple[int, int, int | None]]:
    """(id, commune, registered old unit) of every collective in these units' territory,
    in either era: one query."""
    cover = UnitScope.objects.filter(ancestor_id__in=list(unit_ids)).values("unit_id")
    successors = Succession.objects.filter(predecessor_id__in=cover).values("successor_id")
    return list(Collective.objects.filter(
        Q(commune_id__in=cover) | Q(registered_unit_id__in=cover) | Q(commune_id__in=successors)
    ).values_list("pk", "commune_id", "registered_unit_id"))


def threshold_snapshot(unit_ids: Iterable[int]) -> dict[Territory, Timeline]:
    """The threshold timelines of every territory of a collective under these units, as
    they stand: taken before a change to plans, handed to refresh_under(before=...)."""
    return threshold_timelines({(c, r) for _pk, c, r in collectives_under(unit_ids)})


def refresh_under(unit_ids: Iterable[int], before: dict[Territory, Timeline] | None = None) -> int:
    """Refresh the collectives in these units' territory, in either era, after a change
    to what a unit's plans decide (its threshold, its dates). With `before` (the
    threshold_snapshot taken before the change), only the collectives whose territory's
    threshold timeline changed: the facts depend on plans through it alone, so the
    others' rows would be written as they are. Returns how many were refreshed.
    A fixed number of queries per 2,000 collectives, in the caller's transaction."""
    found = collectives_under(unit_ids)
    if before is not None:
        after = threshold_timelines({(c, r) for _pk, c, r in found})
        found = [row for row in found if before.get(row[1:], []) != after.get(row[1:], [])]
    refresh([pk for pk, _c, _r in found])
    return len(found)


def rebuild() -> int:
    """Recompute every collective's facts; returns how many collectives. The table is
    emptied once, then written 2,000 collectives at a time, in one transaction. On
    SQLite the figures' two wide indexes are dropped while it is written and built again
    at the end (about a tenth faster on the national data set; readers keep the old
    snapshot in WAL mode). Not on PostgreSQL: it gains nothing there (72 s either way)
    and DROP INDEX would lock the table against every reader until the commit."""
    ids = list(Collective.objects.order_by("pk").values_list("pk", flat=True))
    with transaction.atomic():
        CollectiveFact.objects.all().delete()
        with _figure_indexes_built_after():
            for n in range(0, len(ids), CHUNK):
                _refresh_chunk(ids[n : n + CHUNK], replace=False)
    return len(ids)


@contextlib.contextmanager
def _figure_indexes_built_after():
    if connection.vendor != "sqlite":
        yield
        return
    editor = connection.schema_editor()  # only writes the statements; they run in the caller's transaction
    wide = [index for index in CollectiveFact._meta.indexes if index.name in FIGURE_INDEXES]
    with connection.cursor() as cursor:
        for index in wide:
            cursor.execute(f"DROP INDEX {connection.ops.quote_name(index.name)}")
        yield
        for index in wide:
            cursor.execute(str(index.create_sql(CollectiveFact, editor)))


# --- reading -------------------------------------------------------------------------


def at(date: datetime.date, qs=None):
    """The facts of every collective that exists on the date (one row each)."""
    qs = CollectiveFact.objects.all() if qs is None else qs
    return qs.filter(valid_from__lte=date, valid_to__gt=date)


def at_q(date: datetime.date, prefix: str = "facts__") -> Q:
    """at() as a condition on a related model (Collective: "facts__")."""
    return Q(**{f"{prefix}valid_from__lte": date, f"{prefix}valid_to__gt": date})


# Interest groups never count in a figure.
COUNTED_TYPES = [CollectiveType.HTX, CollectiveType.THT]
ELIGIBLE = Q(women_managed=True) | Q(women_jobs=True)
ELIGIBILITY = {
    "women_managed": Q(women_managed=True),
    "women_jobs": Q(women_jobs=True),
    "both": Q(women_managed=True, women_jobs=True),
    "either": ELIGIBLE,
    "neither": Q(women_managed=False) & ~Q(women_jobs=True),
}


# What the activities' shares are taken over, at a date: the members and workers of the
# collectives alive (every type), and the seats of management women hold in cooperatives
# (HTX) alive. Sums over the facts, so they add up across communes and units.
TOTALS = {
    "members": Sum("members", filter=Q(alive=True)),
    "workers": Sum("workers", filter=Q(alive=True)),
    "women_managers": Sum("women_managers", filter=Q(alive=True, type=CollectiveType.HTX)),
}


def consolidated_since(start: datetime.date | None) -> Q:
    """Consolidated within [start, the facts' date]."""
    return Q(last_consolidated_on__gte=start) if start else Q(last_consolidated_on__isnull=False)


def founded_since(start: datetime.date | None) -> Q:
    """Founded within [start, the facts' date]."""
    return Q(founded_on__gte=start) if start else Q(founded_on__isnull=False)


def counts_under(unit: AdminUnit) -> str:
    """The facts' column by which the unit reaches its collectives: today's units (and units
    valid throughout) by the commune, units closed on 30/6/2025 by the registered old commune."""
    return "commune" if unit.valid_to is None else "registered_unit"


def fact_of(collective: Collective, date: datetime.date) -> CollectiveFact | None:
    return at(date, collective.facts.all()).first()


def threshold_of(fact: CollectiveFact) -> Threshold:
    return Threshold(fact.threshold_op, fact.threshold_pct, fact.threshold_source)
