"""Cooperatives and groups: the registry, for a signed-in session, limited to the
user's units. The list takes the filters of the /registry/ page and pages by key:
`after` is the `next_after` of the previous page. A record outside the user's units
answers 404, like a missing one."""

import datetime
from decimal import Decimal

from django.utils.translation import gettext_noop as N_
from ninja import Field, Query, Router, Schema
from ninja.security import django_auth

from htxnu.core.units import active_unit
from htxnu.geo.models import AdminUnit
from htxnu.geo.scoping import get_visible_or_404
from htxnu.registry import selectors
from htxnu.registry.models import CollectiveType, Sector, Status
from htxnu.registry.permissions import can_see_ethnicity

router = Router(tags=[N_("Cooperatives and groups")], auth=django_auth)
MAX_LIMIT = 500


class CollectiveOut(Schema):
    id: int
    type: str
    name: str
    registration_code: str
    commune_code: str
    commune: str
    founded_on: datetime.date | None
    sector: str
    status: str
    union_supported_founding: bool
    union_support_level: str
    is_women_managed: bool
    members: int | None
    female_members: int | None
    workers: int | None
    female_workers: int | None
    female_worker_share: Decimal | None
    workforce_as_of: datetime.date | None


class CollectivePage(Schema):
    items: list[CollectiveOut]
    next_after: str | None = Field(description=N_("pass as `after` for the next page; null on the last page"))


class ManagerOut(Schema):
    full_name: str
    gender: str
    birth_year: int | None
    position: str
    started_on: datetime.date | None
    ended_on: datetime.date | None
    ethnicity: str | None = Field(None, description=N_("only for Union officers and approvers of the unit, "
                                                       "with consent"))


class WorkforceOut(Schema):
    as_of: datetime.date
    members: int
    female_members: int
    workers: int
    female_workers: int
    women_stable_jobs: int


class ProductOut(Schema):
    name: str
    ocop_group: str
    ocop_stars: int | None
    ocop_decision_number: str
    ocop_decision_date: datetime.date | None


class EventOut(Schema):
    kind: str
    date: datetime.date
    union_supported: bool


class EligibilityOut(Schema):
    women_managed: bool
    women_managed_reason: str
    women_jobs: bool | None
    women_jobs_reason: str
    threshold: str


class CollectiveDetailOut(CollectiveOut):
    address: str
    main_products: str
    governance: str
    converted_from_id: int | None
    managers: list[ManagerOut]
    workforce: list[WorkforceOut]
    products: list[ProductOut]
    events: list[EventOut]
    eligibility: EligibilityOut


class CollectiveFilters(Schema):
    unit: int | None = Field(None, description=N_("id of a unit in your scope (default: your active unit)"))
    q: str = Field("", description=N_("name, code or products, diacritics ignored"))
    type: CollectiveType | None = None
    sector: Sector | None = None
    status: Status | None = None
    eligibility: str = Field("", pattern="^(|" + "|".join(selectors.ELIGIBILITY_CHOICES) + ")$")
    ocop: str = Field("", pattern="^(|" + "|".join(selectors.OCOP_CHOICES) + ")$")
    union_supported: bool | None = None
    after: str | None = None
    limit: int = Field(selectors.PAGE_SIZE, ge=1, le=MAX_LIMIT)


@router.get("", response=CollectivePage, summary=N_("Cooperatives and groups in your units"))
def list_collectives(request, filters: Query[CollectiveFilters]):
    unit = active_unit(request)
    if filters.unit is not None:
        unit = AdminUnit.objects.visible_to(request.user).filter(pk=filters.unit).first()
        if unit is None:
            return {"items": [], "next_after": None}
    qs = selectors.collectives(request.user, selectors.Filters(
        unit=unit, q=filters.q, type=filters.type or "", sector=filters.sector or "", status=filters.status or "",
        eligibility=filters.eligibility, ocop=filters.ocop, union_supported=filters.union_supported,
    ))
    page = selectors.page(qs, after=filters.after, size=filters.limit)
    return {"items": [_summary(c) for c in page.items], "next_after": page.next_after}


def _summary(c) -> dict:
    own = {name: getattr(c, name) for name in CollectiveOut.model_fields if name not in {"commune", "commune_code"}}
    return {**own, "commune": c.commune.name, "commune_code": c.commune.code}


@router.get("/{collective_id}", response=CollectiveDetailOut, summary=N_("One cooperative or group"))
def get_collective(request, collective_id: int):
    collective = get_visible_or_404(selectors.collective_detail_queryset(), request.user, pk=collective_id)
    d = selectors.detail(collective)
    show = can_see_ethnicity(request.user, collective.commune)
    managers = [
        {**{name: getattr(m, name) for name in ManagerOut.model_fields}, "ethnicity": (m.ethnicity or None) if show
         else None}
        for m in d.managers + d.former_managers
    ]
    e = d.eligibility
    return {
        **_summary(collective),
        "address": collective.address, "main_products": collective.main_products,
        "governance": collective.governance, "converted_from_id": collective.converted_from_id,
        "managers": managers, "workforce": d.workforce, "products": d.products, "events": d.events,
        "eligibility": {"women_managed": e.women_managed, "women_managed_reason": e.women_managed_reason,
                        "women_jobs": e.women_jobs, "women_jobs_reason": e.women_jobs_reason,
                        "threshold": str(e.threshold)},
    }
