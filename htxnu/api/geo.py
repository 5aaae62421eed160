"""Administrative units: reference data, readable without signing in."""

import datetime

from django.http import Http404
from django.utils.translation import gettext_noop as N_
from ninja import Field, Query, Router, Schema

from htxnu.api import MAX_OFFSET
from htxnu.geo import selectors
from htxnu.geo.models import AdminUnit, Level

router = Router(tags=[N_("Administrative units")])
MAX_LIMIT = 5000


class UnitOut(Schema):
    code: str
    name: str
    short_name: str
    kind: str
    level: str
    parent: str | None = Field(None, description=N_("code of the parent unit"))
    valid_from: datetime.date | None
    valid_to: datetime.date | None

    @staticmethod
    def resolve_parent(obj):
        return obj.parent.code if obj.parent_id else None


class UnitPage(Schema):
    count: int
    items: list[UnitOut]


class SuccessorOut(UnitOut):
    relation: str = Field(description=N_("rename, merge, split, boundary; 'same' for a current unit"))
    share: float | None = Field(description=N_("share of the old unit's territory, where known"))
    is_primary: bool


class SuccessionOut(Schema):
    unit: UnitOut
    successors: list[SuccessorOut]


class UnitFilters(Schema):
    level: Level | None = None
    at: datetime.date | None = Field(None, description=N_("date the hierarchy is read at (default: today)"))
    parent: str | None = Field(None, description=N_("code of the parent unit"))
    q: str | None = Field(None, description=N_("name or code, diacritics ignored"))
    limit: int = Field(1000, ge=1, le=MAX_LIMIT)
    offset: int = Field(0, ge=0, le=MAX_OFFSET)


def _one(code: str, at: datetime.date | None) -> AdminUnit:
    units = selectors.resolve_code(code, at)
    if not units:
        raise Http404(f"No unit with code {code}" + (f" on {at}" if at else ""))
    return units[-1]


@router.get("", response=UnitPage, summary=N_("Units valid on a date"))
def list_units(request, filters: Query[UnitFilters]):
    at = filters.at or datetime.date.today()
    qs = AdminUnit.objects.valid_at(at).select_related("parent")
    if filters.level:
        qs = qs.filter(level=filters.level)
    if filters.parent:
        qs = qs.filter(parent=_one(filters.parent, at))
    if filters.q:
        qs = qs.search(filters.q)
    qs = qs.order_by("code")
    return {"count": qs.count(), "items": list(qs[filters.offset : filters.offset + filters.limit])}


@router.get("/{code}", response=UnitOut, summary=N_("One unit (the one valid on `at`, else the latest)"))
def get_unit(request, code: str, at: datetime.date | None = None):
    return _one(code, at)


@router.get("/{code}/successors", response=SuccessionOut, summary=N_("The current unit(s) an old unit became"))
def successors(request, code: str, at: datetime.date | None = None):
    units = selectors.resolve_code(code, at)
    if not units:
        raise Http404(f"No unit with code {code}")
    # A code taken over in 2025 names an old unit and a current one; without `at`, the
    # question is about the old one.
    unit = units[0]
    successors = []
    for info in selectors.current_successors(unit):
        info.unit.relation, info.unit.share, info.unit.is_primary = info.kind, info.share, info.is_primary
        successors.append(info.unit)
    return {"unit": unit, "successors": successors}
