"""Indicators computed from events, attendance and cadres.

All functions take a list of units and a period [start, end] and answer for every unit
at once with plans.indicators.Figure (Figure.count, Figure.share), grouping over
geo.UnitScope, so a record is counted once for each unit that
covers it and never twice for the same unit (no double counting across levels). A
unit whose records hold nothing gets a value with zero numerator and denominator.

Events, cadres and money carry the unit they were recorded under, old or new, so both
geographies reach them through UnitScope. Cooperatives carry today's commune and, where
it differs, the old commune they were registered under: today's units reach them by
the commune, units closed on 30/6/2025 by the registered old commune (as in
htxnu.plans.indicators), so old Lào Cai and today's Lào Cai count from the same records.

Counting rules:
- training_classes: training-class events dated in the period, held by units covered.
- managers_trained_pct: women managers of cooperatives (HTX) covered — women holding a
  management position (chair or member of the Board, director, supervisory board
  member or controller, accountant) on the period's last day, in a cooperative not
  dissolved or converted — who attended, in the period, a training on governance or
  on certification, over all such women managers. People, not seats: named attendance.
- managers_certified_pct: the same women managers who received a certificate at a
  certification training (director, accountant, controller skills) in the period.
- managers_digital_trained_pct: those who attended a digital-skills training.
- members_vocational_pct: seats of members and workers in vocational / technology-
  transfer trainings in the period, over members and workers of the active
  cooperatives and groups covered (their latest workforce figures). Counts are seats,
  not people, so the share is capped at 100% and says so.
- members_ecommerce_pct: member seats in e-commerce trainings over members.
- cadres_trained_pct: Union cadres assigned to collective-economy work who attended any
  training in the period, over those cadres. Units with a named list count people;
  units that keep counts (CadreCount for the period's year) add their counted figures.
- cadres_skilled_pct: Union cadres, all, who attended a communication and mobilisation
  skills event in the period, over all cadres; counts as above.
"""

import datetime
import functools
from dataclasses import dataclass
from urllib.parse import urlencode

from django.db.models import BooleanField, Count, ExpressionWrapper, Q, Sum
from django.urls import get_script_prefix, reverse

from htxnu.plans.indicators import Figure, facts_totals, shared, sum_by_commune
from htxnu.registry import facts
from htxnu.registry.models import CollectiveType, Manager

from .models import Attendance, Cadre, CadreCount, Event, EventKind


def _ids(units) -> list[int]:
    return [u if isinstance(u, int) else u.pk for u in units]


def _grouped(qs, path: str, units, **aggregates) -> dict[int, dict]:
    key = f"{path}__scope_links__ancestor"
    rows = qs.filter(**{f"{key}__in": _ids(units)}).values(key).annotate(**aggregates).order_by()
    return {row[key]: row for row in rows}


def training_classes(units, start: datetime.date, end: datetime.date) -> dict[int, Figure]:
    rows = _grouped(
        Event.objects.filter(kind=EventKind.TRAINING, date__range=(start, end)), "unit", units, n=Count("id")
    )
    return {u: Figure.count(u, rows.get(u, {}).get("n", 0)) for u in _ids(units)}


def _attendees(column: str, attended: Q, start, end):
    """The managers (or cadres) who attended such events in the period, as a subquery the
    database runs once: a correlated EXISTS per person made it probe every training
    event of the period for each of a province's thousands of managers (8 s on the
    national data set; this way, a fraction of a second)."""
    return (Attendance.objects.filter(attended, event__date__range=(start, end), **{f"{column}__isnull": False})
            .values(column))


def _member_of(ids):
    return ExpressionWrapper(Q(pk__in=ids), output_field=BooleanField())


# Which attendance makes a woman manager count in each managers' share.
_MANAGER_RULES = {
    "managers_trained_pct": Q(event__kind=EventKind.TRAINING)
    & (Q(event__topic_governance=True) | Q(event__topic_certification=True)),
    "managers_certified_pct": Q(event__kind=EventKind.TRAINING, event__topic_certification=True,
                                certificate_issued=True),
    "managers_digital_trained_pct": Q(event__kind=EventKind.TRAINING, event__topic_digital=True),
}


def _women_managers(end: datetime.date):
    """Women holding a management position on `end` in cooperatives alive on `end`
    (registry.facts' rules, the facts read at that date: joined, one row per cooperative
    at a date, so the database reads only the facts of the cooperatives asked about)."""
    return Manager.objects.filter(facts.managers_holding_at(end), facts.at_q(end, "collective__facts__"),
                                  collective__facts__alive=True, collective__facts__type=CollectiveType.HTX)


def _managers_share(units, start, end, code: str) -> dict[int, Figure]:
    """The women managers of _women_managers who attended an event of the indicator's kind
    (_MANAGER_RULES) in the period, over all of them. The base is the facts' count of
    seats (plans.indicators.facts_totals); the attendees are read from the attendance
    of the period (small), each manager once, with the same conditions at `end`, the
    three indicators in one query per period and batch (plans.indicators.sum_by_commune):
    so the query does not grow with the country's managers."""
    base = facts_totals(units, end)
    done = shared(("activities.attended_managers", start, end, frozenset(_ids(units))), lambda: sum_by_commune(
        Attendance.objects.filter(facts.managers_holding_at(end, "manager__"),
                                  facts.at_q(end, "manager__collective__facts__"), event__kind=EventKind.TRAINING,
                                  event__date__range=(start, end), manager__collective__facts__alive=True,
                                  manager__collective__facts__type=CollectiveType.HTX),
        "manager__collective__", units,
        {name: Count("manager_id", distinct=True, filter=rule) for name, rule in _MANAGER_RULES.items()}))
    return {u: Figure.share(u, done.get(u, {}).get(code, 0), base.get(u, {}).get("women_managers", 0))
            for u in _ids(units)}


def managers_trained_pct(units, start, end):
    return _managers_share(units, start, end, "managers_trained_pct")


def managers_certified_pct(units, start, end):
    return _managers_share(units, start, end, "managers_certified_pct")


def managers_digital_trained_pct(units, start, end):
    return _managers_share(units, start, end, "managers_digital_trained_pct")


def _seats_share(units, start, end, topic: str, seat_fields: list[str], base_fields: list[str]) -> dict[int, Figure]:
    seats = _grouped(
        Event.objects.filter(kind=EventKind.TRAINING, date__range=(start, end), **{f"topic_{topic}": True}),
        "unit", units, **{f: Sum(f) for f in seat_fields},
    )
    # Members and workers of the collectives alive on `end`, from their latest figures on
    # or before it: figures entered later never change a past period's denominator.
    base = facts_totals(units, end)
    result = {}
    for u in _ids(units):
        n = sum((seats.get(u, {}).get(f) or 0) for f in seat_fields)
        d = sum((base.get(u, {}).get(f) or 0) for f in base_fields)
        result[u] = Figure.share(u, n, d, cap=True)
    return result


def members_vocational_pct(units, start, end):
    return _seats_share(
        units, start, end, "vocational", ["participants_members", "participants_workers"], ["members", "workers"]
    )


def members_ecommerce_pct(units, start, end):
    return _seats_share(units, start, end, "ecommerce", ["participants_members"], ["members"])


def _cadres_share(units, start, end, *, cooperative_only: bool, attended: Q, counted_done: str,
                  counted_total: str) -> dict[int, Figure]:
    cadres = Cadre.objects.filter(active=True)
    if cooperative_only:
        cadres = cadres.filter(works_on_cooperatives=True)
    named = _grouped(
        cadres, "unit", units,
        total=Count("id", distinct=True),
        done=Count("id", filter=Q(id__in=_attendees("cadre_id", attended, start, end)), distinct=True),
    )
    # Units that keep counts: the figures of the period's year, for units without a named list.
    counted = _grouped(
        CadreCount.objects.filter(year=end.year).exclude(unit__cadres__active=True), "unit", units,
        total=Sum(counted_total), done=Sum(counted_done),
    )
    result = {}
    for u in _ids(units):
        total = (named.get(u, {}).get("total") or 0) + (counted.get(u, {}).get("total") or 0)
        done = (named.get(u, {}).get("done") or 0) + (counted.get(u, {}).get("done") or 0)
        result[u] = Figure.share(u, done, total)
    return result


def cadres_trained_pct(units, start, end):
    return _cadres_share(
        units, start, end, cooperative_only=True, attended=Q(event__kind=EventKind.TRAINING),
        counted_done="cooperative_cadres_trained", counted_total="cooperative_cadres",
    )


def cadres_skilled_pct(units, start, end):
    return _cadres_share(
        units, start, end, cooperative_only=False, attended=Q(event__topic_communication=True),
        counted_done="cadres_skilled", counted_total="total_cadres",
    )


def records_url(code: str, unit_id: int, start, end) -> str:
    """The page that lists what the indicator counted for a unit and a period."""
    params = {"unit": unit_id, "end": end.strftime("%d/%m/%Y")}
    if start:
        params["start"] = start.strftime("%d/%m/%Y")
    return f"{_indicator_page(get_script_prefix(), code)}?{urlencode(params)}"


@functools.cache
def _indicator_page(prefix: str, code: str) -> str:
    """Reversed once per script prefix and indicator: a report page links hundreds of figures."""
    return reverse("activities:indicator", args=[code])


COMPUTATIONS = {
    "training_classes": training_classes,
    "managers_trained_pct": managers_trained_pct,
    "managers_certified_pct": managers_certified_pct,
    "managers_digital_trained_pct": managers_digital_trained_pct,
    "members_vocational_pct": members_vocational_pct,
    "members_ecommerce_pct": members_ecommerce_pct,
    "cadres_trained_pct": cadres_trained_pct,
    "cadres_skilled_pct": cadres_skilled_pct,
}


# --- the records behind a number ------------------------------------------------------

RECORD_LIMIT = 500
_SEAT_TOPICS = {"members_vocational_pct": "vocational", "members_ecommerce_pct": "ecommerce"}


@dataclass
class Records:
    kind: str  # "managers", "cadres" or "events"
    rows: list  # (record, counted) pairs, or events
    truncated: bool


def records(code: str, user, unit, start, end) -> Records:
    """What the indicator counted, for the page one click from the number (within the user's scope)."""
    if code in _MANAGER_RULES:
        done = _attendees("manager_id", _MANAGER_RULES[code], start, end)
        path = f"collective__{facts.counts_under(unit)}"
        qs = (
            _women_managers(end).visible_to(user)
            .filter(**{f"{path}__scope_links__ancestor": unit})
            .annotate(counted=_member_of(done)).select_related("collective").order_by("-counted", "full_name")
        )
        rows = [(m, m.counted) for m in qs[: RECORD_LIMIT + 1]]
        return Records("managers", rows[:RECORD_LIMIT], len(rows) > RECORD_LIMIT)
    if code in ("cadres_trained_pct", "cadres_skilled_pct"):
        rule = Q(event__kind=EventKind.TRAINING) if code == "cadres_trained_pct" else Q(event__topic_communication=True)
        qs = Cadre.objects.visible_to(user).filter(active=True, unit__scope_links__ancestor=unit)
        if code == "cadres_trained_pct":
            qs = qs.filter(works_on_cooperatives=True)
        went = _attendees("cadre_id", rule, start, end)
        qs = qs.annotate(counted=_member_of(went)).select_related("unit").order_by("-counted", "full_name")
        rows = [(c, c.counted) for c in qs[: RECORD_LIMIT + 1]]
        return Records("cadres", rows[:RECORD_LIMIT], len(rows) > RECORD_LIMIT)
    events = Event.objects.visible_to(user).filter(
        kind=EventKind.TRAINING, date__range=(start, end), unit__scope_links__ancestor=unit
    )
    if code in _SEAT_TOPICS:
        events = events.filter(**{f"topic_{_SEAT_TOPICS[code]}": True})
    rows = list(events.select_related("unit").order_by("-date")[: RECORD_LIMIT + 1])
    return Records("events", rows[:RECORD_LIMIT], len(rows) > RECORD_LIMIT)
