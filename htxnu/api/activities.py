"""Events, support to cooperatives and funding, for a signed-in session, limited to
the user's units. `unit` (a unit code) narrows to a unit and everything it covers;
without it, the user's own unit. A record outside the user's units answers 404."""

import datetime
from decimal import Decimal

from django.http import Http404
from django.utils.translation import gettext_noop as N_
from ninja import Field, Query, Router, Schema
from ninja.security import django_auth

from htxnu.activities import selectors
from htxnu.activities.models import Event, EventKind
from htxnu.api import MAX_OFFSET
from htxnu.core.units import own_unit
from htxnu.geo.models import AdminUnit
from htxnu.geo.scoping import get_visible_or_404

router = Router(tags=[N_("Activities and funding")], auth=django_auth)
MAX_LIMIT = 500


def _unit(request, code: str | None) -> AdminUnit:
    if not code:
        unit = own_unit(request.user)
        if unit is None:
            raise Http404
        return unit
    # A code may name an old unit and the current one that took it over: prefer today's.
    units = AdminUnit.objects.visible_to(request.user).filter(code=code)
    unit = units.filter(valid_to__isnull=True).first() or units.order_by("-valid_to").first()
    if unit is None:
        raise Http404(f"No unit {code} among yours")
    return unit


class EventOut(Schema):
    id: int
    kind: str
    title: str
    date: datetime.date
    end_date: datetime.date | None
    unit_code: str = Field(alias="unit.code")
    unit: str = Field(alias="unit.name")
    organiser: str = Field(alias="organiser.name")
    topics: list[str]
    participants_total: int
    participants_women: int
    participants_cadres: int
    participants_managers: int
    participants_members: int
    participants_workers: int
    participants_others: int
    cost: Decimal
    funding_source: str


class AttendeeOut(Schema):
    name: str
    kind: str
    certificate_issued: bool


class EventDetailOut(EventOut):
    attendance: list[AttendeeOut]

    @staticmethod
    def resolve_attendance(obj):
        return [
            {"name": a.manager.full_name if a.manager else a.cadre.full_name,
             "kind": "manager" if a.manager else "cadre", "certificate_issued": a.certificate_issued}
            for a in obj.attendance.select_related("manager", "cadre")
        ]


class EventFilters(Schema):
    unit: str | None = Field(None, description=N_("unit code; default: your own unit"))
    kind: EventKind | None = None
    start: datetime.date | None = None
    end: datetime.date | None = None
    limit: int = Field(100, ge=1, le=MAX_LIMIT)
    offset: int = Field(0, ge=0, le=MAX_OFFSET)


class EventPage(Schema):
    count: int
    items: list[EventOut]


@router.get("/events", response=EventPage, summary=N_("Events of a unit and the units it covers"))
def list_events(request, filters: Query[EventFilters]):
    events = selectors.events(request.user, _unit(request, filters.unit), kind=filters.kind or "",
                              start=filters.start, end=filters.end)
    return {"count": events.count(), "items": list(events[filters.offset : filters.offset + filters.limit])}


@router.get("/events/{event_id}", response=EventDetailOut, summary=N_("One event with its named attendance"))
def get_event(request, event_id: int):
    return get_visible_or_404(Event.objects.select_related("unit", "organiser"), request.user, pk=event_id)


class FundingRowOut(Schema):
    source: str
    estimate: Decimal
    allocated: Decimal
    spent: Decimal
    overspent: bool


class FundingOut(Schema):
    unit: str
    year: int
    rows: list[FundingRowOut]
    loans: list[dict]


@router.get("/funding", response=FundingOut, summary=N_("Budget estimate, allocation and spending by source"))
def funding(request, year: int = Query(..., ge=2000, le=2100), unit: str | None = None):
    target = _unit(request, unit)
    summary = selectors.funding_summary(request.user, target, year)
    return {"unit": target.name, "year": year, "rows": summary.rows,
            "loans": [{"lender": str(r["lender"]), "amount": r["amount"]} for r in summary.loans]}
