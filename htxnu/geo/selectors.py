"""Queries over the geography that the rest of the system leans on.

- ancestors_at(unit, date): the units that held the unit's territory on that date, from
  the nearest up. For a date inside the unit's validity these are its parents; after
  the unit was closed, they are the units its territory passed to (Huyện Vĩnh Thuận on
  1/1/2026 lies in today's An Giang). Read from UnitScope, so it is one query.
- current_successors(unit): the current unit(s) an old unit became, following the
  links through any number of reorganisations; a current unit is its own successor.
- units_in_current_province(province): every unit, old or new, whose territory lies in
  a province of today.
- units_at(date, level, parent): the hierarchy as it stood on a date.
- resolve_code(code, at): the unit an official code named on a date, since a code can
  name an old unit and, from 1/7/2025, the new unit that took it over.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Case, IntegerField, Value, When

from .models import AdminUnit, Level, Succession

LEVEL_ORDER = Case(
    When(level=Level.COMMUNE, then=Value(3)),
    When(level=Level.DISTRICT, then=Value(2)),
    When(level=Level.PROVINCE, then=Value(1)),
    default=Value(0),
    output_field=IntegerField(),
)


def ancestors_at(unit: AdminUnit, date: datetime.date | None = None) -> list[AdminUnit]:
    date = date or datetime.date.today()
    return list(
        AdminUnit.objects.filter(covered_links__unit=unit)
        .exclude(pk=unit.pk)
        .valid_at(date)
        .annotate(rank=LEVEL_ORDER)
        .order_by("-rank", "code")
    )


def breadcrumb(unit: AdminUnit) -> list[AdminUnit]:
    """The unit and its parents in its own time, top first (one query)."""
    coverers = {u.pk: u for u in AdminUnit.objects.filter(covered_links__unit=unit)}
    chain, current = [], unit.pk
    while current in coverers:
        chain.append(coverers[current])
        current = coverers[current].parent_id
    return chain[::-1]


@dataclass
class SuccessorInfo:
    unit: AdminUnit
    kind: str
    share: float | None
    is_primary: bool


def current_successors(unit: AdminUnit) -> list[SuccessorInfo]:
    if unit.is_current:
        return [SuccessorInfo(unit, "same", 1.0, True)]
    result: dict[int, SuccessorInfo] = {}
    frontier = [(unit.pk, 1.0, True, None)]
    seen = {unit.pk}
    while frontier:
        ids = [pk for pk, *_ in frontier]
        context = {pk: (share, primary, kind) for pk, share, primary, kind in frontier}
        frontier = []
        links = Succession.objects.filter(predecessor_id__in=ids).select_related("successor__parent")
        for link in links:
            share, primary, kind = context[link.predecessor_id]
            share = None if share is None or link.share is None else share * float(link.share)
            primary = primary and link.is_primary
            kind = kind or link.kind
            if link.successor.is_current:
                result.setdefault(link.successor_id, SuccessorInfo(link.successor, kind, share, primary))
            elif link.successor_id not in seen:
                seen.add(link.successor_id)
                frontier.append((link.successor_id, share, primary, kind))
    return sorted(result.values(), key=lambda s: (not s.is_primary, s.unit.code))


def primary_current_unit(unit: AdminUnit) -> AdminUnit:
    """The one current unit an old unit's records roll up to when one must be chosen."""
    successors = current_successors(unit)
    return successors[0].unit if successors else unit


DEPTH = {Level.COUNTRY: 0, Level.PROVINCE: 1, Level.DISTRICT: 2, Level.COMMUNE: 3}


def receiving_units(unit: AdminUnit) -> list[AdminUnit]:
    """The units a unit reports to: its parent in its own time, and when that parent has
    closed (the old districts and provinces on 30/6/2025), the current units that took
    the parent over at its level or above (old Yên Bái → today's Lào Cai). A district's
    territory went to communes, below its level: then the climb goes on from the
    district's parent (an old commune of Thành phố Lào Cai → old Lào Cai → today's Lào
    Cai). Never the unit itself nor its own successors. A few queries."""
    parent = unit.parent
    found = []
    while parent is not None:
        found.append(parent)
        if parent.is_current:
            break
        above = [s.unit for s in current_successors(parent) if DEPTH[s.unit.level] <= DEPTH[parent.level]]
        if above:
            found += above
            break
        parent = parent.parent
    return found


def units_in_current_province(province: AdminUnit):
    return AdminUnit.objects.filter(current_province=province)


def units_at(date: datetime.date, *, level: str | None = None, parent: AdminUnit | None = None):
    qs = AdminUnit.objects.valid_at(date)
    if level:
        qs = qs.filter(level=level)
    if parent is not None:
        qs = qs.filter(parent=parent)
    return qs.order_by("code")


def resolve_code(code: str, at: datetime.date | None = None) -> list[AdminUnit]:
    """Units with this official code: the one valid on `at` if given, else all of them
    (an old unit and the new unit that took its code over), oldest first."""
    qs = AdminUnit.objects.filter(code=code)
    if at is not None:
        qs = qs.valid_at(at)
    return sorted(qs, key=lambda u: (u.valid_to is None, u.valid_from or datetime.date.min))
