"""Reads of the registry. Every one is limited to what the user may see: visible_to(user),
or for lists the same condition in the form that stays fast at national scale (see
collectives()).

Lists are filtered on indexed columns and the derived columns of Collective (see
models.py), never on a computation per row, and are paged by key (name, id) rather
than by offset or a COUNT(*): the national registry has ~160,000 records and a page
costs the same on the first page and the last.
"""

import datetime
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, OuterRef, Prefetch, Q, Subquery
from django.utils import timezone

from htxnu.core.history import HistoryRow, history_for, rows_for
from htxnu.core.models import AuditEntry
from htxnu.geo.models import AdminUnit, Level, UnitScope
from htxnu.geo.scoping import scope_root_id

from . import eligibility, facts
from .eligibility import Threshold
from .models import Collective, ImportJob, LifeEvent, Manager, Product, WorkforceSnapshot

PAGE_SIZE = 50

ELIGIBILITY_CHOICES = ["women_managed", "women_jobs", "both", "either", "neither"]
OCOP_CHOICES = ["any", "3", "4", "5", "none"]


@dataclass
class Filters:
    unit: AdminUnit | None = None
    q: str = ""
    type: str = ""
    sector: str = ""
    status: str = ""
    eligibility: str = ""
    ocop: str = ""
    union_supported: bool | None = None
    # The records behind a figure (plans.indicators.records_url): the facts on the date
    # `at` (today when None) — alive then, consolidated / founded between the date
    # `*_from` (or ever) and `at`; `figures`: the cooperatives and groups figures count
    # (HTX and THT founded with Union support).
    at: datetime.date | None = None
    alive: bool = False
    consolidated: bool = False
    consolidated_from: datetime.date | None = None
    founded: bool = False
    founded_from: datetime.date | None = None
    figures: bool = False
    # The "many jobs for women" threshold in force for the unit; looked up when None.
    threshold: Threshold | None = None

    def as_query(self) -> dict:
        """The filters as query parameters (for links to the next page and the exports)."""
        params = {k: getattr(self, k) for k in ("q", "type", "sector", "status", "eligibility", "ocop")}
        params["unit"] = self.unit.pk if self.unit else ""
        if self.union_supported is not None:
            params["union_supported"] = "1" if self.union_supported else "0"
        for name in ("at", "consolidated_from", "founded_from"):
            if getattr(self, name):
                params[name] = getattr(self, name).isoformat()
        for name in ("alive", "consolidated", "founded", "figures"):
            if getattr(self, name):
                params[name] = "1"
        return {k: v for k, v in params.items() if v not in ("", None)}

    def fact_conditions(self) -> Q:
        """The conditions on the collective's facts at `at` (registry.facts' rules)."""
        condition = Q()
        if self.eligibility:
            condition &= facts.ELIGIBILITY[self.eligibility]
        if self.alive:
            condition &= Q(alive=True)
        if self.consolidated or self.consolidated_from:
            condition &= facts.consolidated_since(self.consolidated_from)
        if self.founded or self.founded_from:
            condition &= facts.founded_since(self.founded_from)
        if self.figures:
            condition &= Q(type__in=facts.COUNTED_TYPES, union_supported=True)
        return condition


def threshold_for(filters: Filters) -> eligibility.Threshold:
    if filters.threshold is None:
        filters.threshold = eligibility.female_share_threshold(filters.unit, filters.at or datetime.date.today())
    return filters.threshold


def _root_level(root_id: int) -> str:
    return AdminUnit.objects.filter(pk=root_id).values_list("level", flat=True).first() or ""


def _communes_covered(unit_id: int) -> set[int]:
    return set(UnitScope.objects.filter(ancestor_id=unit_id, unit__level=Level.COMMUNE).values_list("unit_id",
                                                                                                    flat=True))


def collectives(user, filters: Filters):
    """The collectives the user may see that match the filters, in name order.

    This is visible_to(user) narrowed to the unit, written as `commune IN (the communes
    the unit covers, read first: a few hundred ids)` rather than visible_to's join: with
    the join (or an IN subquery), both SQLite and PostgreSQL walk or sort every record
    of the scope before the LIMIT; with the list of ids a province's page reads its
    communes' records only, and the country's page (the country covers every unit, so
    no condition at all) walks the name index and stops after one page."""
    root = scope_root_id(user)
    if root is None:
        return Collective.objects.none()
    unit = filters.unit
    qs = Collective.objects.all()
    if unit is None or unit.pk == root:
        if unit is None or unit.level != Level.COUNTRY:
            qs = qs.filter(commune_id__in=sorted(_communes_covered(root)))
    elif unit.level == Level.COUNTRY:
        return Collective.objects.none()
    elif facts.counts_under(unit) == "registered_unit":
        # A unit closed on 30/6/2025 reaches the records registered under its old communes.
        qs = qs.filter(registered_unit_id__in=sorted(_communes_covered(unit.pk)))
        if _root_level(root) != Level.COUNTRY:
            qs = qs.filter(commune_id__in=sorted(_communes_covered(root)))
    else:
        # The unit was checked to be within the user's scope; this narrows to it.
        qs = qs.filter(commune_id__in=sorted(_communes_covered(unit.pk) & _communes_covered(root)))
    if filters.q:
        qs = qs.search(filters.q)
    for name in ("type", "sector", "status"):
        value = getattr(filters, name)
        if value:
            qs = qs.filter(**{name: value})
    if filters.union_supported is not None:
        qs = qs.filter(union_supported_founding=filters.union_supported)
    on = filters.at or datetime.date.today()
    condition = filters.fact_conditions()
    if condition or filters.at:
        qs = qs.filter(Exists(facts.at(on).filter(condition, collective=OuterRef("pk"))))
    qs = qs.annotate(passes_jobs=Subquery(facts.at(on).filter(collective=OuterRef("pk")).values("women_jobs")[:1]))
    if filters.ocop:
        products = Product.objects.filter(collective=OuterRef("pk"))
        if filters.ocop == "none":
            qs = qs.exclude(Exists(products.filter(ocop_stars__isnull=False)))
        elif filters.ocop == "any":
            qs = qs.filter(Exists(products.filter(ocop_stars__isnull=False)))
        else:
            qs = qs.filter(Exists(products.filter(ocop_stars=int(filters.ocop))))
    return qs


@dataclass
class Page:
    items: list
    next_after: str | None
    prev_before: str | None
    is_first: bool


def _cursor(c: Collective) -> str:
    return str(c.pk)


def page(qs, *, after: str | None = None, before: str | None = None, size: int | None = None) -> Page:
    """One page in (name, id) order, after or before the record with the given id; one
    query, whatever the page's position."""
    size = size or PAGE_SIZE
    qs = qs.select_related("commune").order_by("name", "pk")
    anchor_id = after or before
    anchor = None
    if anchor_id and str(anchor_id).isdigit():
        anchor = Collective.objects.filter(pk=int(anchor_id)).values("name")[:1]
    if anchor is not None and after:
        qs = qs.filter(Q(name__gt=Subquery(anchor)) | Q(name=Subquery(anchor), pk__gt=int(after)))
        rows = list(qs[: size + 1])
        has_more = len(rows) > size
        rows = rows[:size]
        return Page(rows, _cursor(rows[-1]) if has_more and rows else None, _cursor(rows[0]) if rows else None,
                    False)
    if anchor is not None and before:
        qs = qs.filter(Q(name__lt=Subquery(anchor)) | Q(name=Subquery(anchor), pk__lt=int(before)))
        rows = list(qs.order_by("-name", "-pk")[: size + 1])
        has_prev = len(rows) > size
        rows = rows[:size][::-1]
        return Page(rows, _cursor(rows[-1]) if rows else None, _cursor(rows[0]) if has_prev and rows else None,
                    not has_prev)
    rows = list(qs[: size + 1])
    has_more = len(rows) > size
    rows = rows[:size]
    return Page(rows, _cursor(rows[-1]) if has_more and rows else None, None, True)


def collective_detail_queryset():
    return Collective.objects.select_related(
        "commune__parent", "registered_unit", "following_organisation", "converted_from"
    )


@dataclass
class Detail:
    collective: Collective
    managers: list[Manager]
    former_managers: list[Manager]
    workforce: list[WorkforceSnapshot]
    products: list[Product]
    events: list[LifeEvent]
    eligibility: eligibility.Eligibility
    converted_into: Collective | None


def detail(collective: Collective) -> Detail:
    """What the detail page shows of a record already fetched with get_visible_or_404."""
    managers = list(collective.managers.all())
    current = [m for m in managers if m.ended_on is None]
    converted_into = Collective.objects.filter(converted_from=collective).only("id", "name").first()
    return Detail(
        collective=collective,
        managers=current,
        former_managers=[m for m in managers if m.ended_on is not None],
        workforce=list(collective.workforce.all()),
        products=list(collective.products.all()),
        events=list(collective.events.select_related("recorded_by")),
        eligibility=eligibility.evaluate(collective, managers=managers),
        converted_into=converted_into,
    )


def export_rows(qs):
    """The collectives of an export, with their current managers, in chunks (a bounded
    number of rows in memory at once, two queries per chunk)."""
    best_stars = Product.objects.filter(collective=OuterRef("pk"), ocop_stars__isnull=False).order_by("-ocop_stars")
    return (
        qs.select_related("commune__parent")
        .annotate(best_ocop_stars=Subquery(best_stars.values("ocop_stars")[:1]))
        .prefetch_related(Prefetch("managers", queryset=Manager.objects.filter(ended_on__isnull=True),
                                   to_attr="current_managers"))
        .order_by("name", "pk")
        .iterator(chunk_size=2000)
    )


def record_history(collective: Collective, detail_data: Detail, limit: int = 100) -> list[HistoryRow]:
    """The record's audit history (htxnu.core.history) with the entries of its current
    managers, workforce figures, products and events merged in, newest first: one more
    query, whatever their number. A child's entry names the child in its note."""
    rows = history_for(collective, limit)
    children = {
        Manager: detail_data.managers + detail_data.former_managers, WorkforceSnapshot: detail_data.workforce,
        Product: detail_data.products, LifeEvent: detail_data.events,
    }
    condition = Q()
    models = {}
    for model, objects in children.items():
        if objects:
            content_type = ContentType.objects.get_for_model(model, for_concrete_model=False)
            models[content_type.pk] = model
            condition |= Q(content_type=content_type, object_id__in=[str(o.pk) for o in objects])
    if condition:
        entries = list(AuditEntry.objects.filter(condition).select_related("actor")[:limit])
        for entry in entries:
            model = models[entry.content_type_id]
            entry.note = f"{model._meta.verbose_name.capitalize()}: {entry.object_repr}" + (
                f" — {entry.note}" if entry.note else "")
        rows += rows_for(entries, lambda entry: models[entry.content_type_id], known=[collective])
    rows.sort(key=lambda r: (r.entry.at, r.entry.pk), reverse=True)
    return rows[:limit]



def failed_imports(user, days: int = 30, limit: int = 5) -> list[ImportJob]:
    """The user's own uploads of the last `days` days that were not imported (home page)."""
    since = timezone.now() - datetime.timedelta(days=days)
    return list(ImportJob.objects.visible_to(user).filter(
        created_by=user, created_at__gte=since, state__in=[ImportJob.State.REJECTED, ImportJob.State.FAILED],
    ).defer("source").order_by("-created_at")[:limit])
