"""Reads of the public portal.

Two kinds, kept apart:

- Public selectors (everything a visitor's page, the sitemap, JSON-LD and the open data
  read) start from `Publication.objects.public()` or from published posts and approved
  reports, never from `.visible_to(user)`: a visitor has no scope. They read only what
  a published cooperative chose to show: never its managers, their phones, birth years
  or ethnicity, never the workforce's priority groups, never an inquiry.
- Officer selectors (the "Công khai" section, inquiries, posts) start from
  `.visible_to(user)` like every other page of the system.

Figures: a province page shows the figures of approved reports only, read through
reporting.aggregation.figures(..., include_drafts=False), the same reading as the
dashboard's "approved only" view; a draft, submitted or returned report's number is
never read here.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Exists, Max, OuterRef, Q, Subquery
from django.http import Http404

from htxnu.geo.models import AdminUnit, Level, UnitScope
from htxnu.registry.models import CollectiveType, OcopGroup, Product, Sector
from htxnu.reporting import aggregation
from htxnu.reporting import selectors as reporting_selectors
from htxnu.reporting.models import Report, ReportState, Round, RoundKind
from htxnu.text import search_key

from .models import Inquiry, Photo, Post, Publication

PUBLIC_ROUND_KINDS = (RoundKind.SEMIANNUAL, RoundKind.ANNUAL, RoundKind.MIDTERM, RoundKind.FINAL)
PAGE_SIZE = 24


# --- provinces -----------------------------------------------------------------------


def province_slug(province: AdminUnit) -> str:
    return "-".join(search_key(province.short_name or province.name).split())


def provinces() -> list[AdminUnit]:
    """Today's 34 provinces, each with `.slug`."""
    found = list(AdminUnit.objects.current().filter(level=Level.PROVINCE).order_by("short_name", "name"))
    for p in found:
        p.slug = province_slug(p)
    return found


def province_by_slug(slug: str) -> AdminUnit:
    for p in provinces():
        if p.slug == slug:
            return p
    raise Http404


# --- cooperatives --------------------------------------------------------------------


@dataclass
class Filters:
    q: str = ""
    province: str = ""  # today's province code
    commune: str = ""  # today's commune code
    sector: str = ""
    type: str = ""
    product_type: str = ""  # OCOP group
    stars: int | None = None  # at least

    @classmethod
    def from_query(cls, params) -> "Filters":
        stars = params.get("stars", "")
        return cls(
            q=params.get("q", "")[:100],
            province=params.get("province", "")[:8],
            commune=params.get("commune", "")[:8],
            sector=params.get("sector", "") if params.get("sector") in Sector.values else "",
            type=params.get("type", "") if params.get("type") in CollectiveType.values else "",
            product_type=params.get("product_type", "") if params.get("product_type") in OcopGroup.values else "",
            stars=int(stars) if stars in {"3", "4", "5"} else None,
        )


def search_words(text: str) -> list[str]:
    """The words of a visitor's search, diacritic-free; each must appear (in any order):
    "che co thu" finds "Chè Shan tuyết cổ thụ"."""
    return search_key(text).split()[:6]


def public_publications():
    return Publication.objects.public().select_related(
        "collective", "collective__commune", "collective__commune__parent", "collective__registered_unit")


def _public_products():
    return Product.objects.filter(collective__publication__in=Publication.objects.public().filter(
        show_products=True))


def cooperatives(filters: Filters):
    """The published cooperatives matching the filters, by name."""
    qs = public_publications()
    for word in search_words(filters.q):
        # The registry's own key too, so a cooperative renamed since it was published is
        # found by its new name.
        qs = qs.filter(Q(search_key__contains=word) | Q(collective__search_key__contains=word))
    if filters.province:
        qs = qs.filter(collective__commune__parent__code=filters.province,
                       collective__commune__parent__valid_to__isnull=True)
    if filters.commune:
        qs = qs.filter(collective__commune__code=filters.commune, collective__commune__valid_to__isnull=True)
    if filters.sector:
        qs = qs.filter(collective__sector=filters.sector)
    if filters.type:
        qs = qs.filter(collective__type=filters.type)
    if filters.product_type or filters.stars:
        products = Product.objects.filter(collective=OuterRef("collective"))
        if filters.product_type:
            products = products.filter(ocop_group=filters.product_type)
        if filters.stars:
            products = products.filter(ocop_stars__gte=filters.stars)
        qs = qs.filter(show_products=True).filter(Exists(products))
    return qs.order_by("collective__name", "pk")


def communes_with_publications(province_code: str) -> list[AdminUnit]:
    """The communes of a province that have a published cooperative (the commune filter)."""
    if not province_code:
        return []
    ids = Publication.objects.public().filter(collective__commune__parent__code=province_code).values(
        "collective__commune_id")
    return list(AdminUnit.objects.filter(pk__in=ids).order_by("name"))


def cooperative(slug: str) -> Publication:
    try:
        return public_publications().get(slug=slug)
    except Publication.DoesNotExist:
        raise Http404 from None


def with_thumbnails(publications) -> list[Publication]:
    """Each publication with `.cover` (its first photo's id, or None): one query."""
    publications = list(publications)
    covers = {}
    for pub_id, photo_id in Photo.objects.filter(publication__in=publications).order_by(
            "publication_id", "position", "pk").values_list("publication_id", "pk"):
        covers.setdefault(pub_id, photo_id)
    for p in publications:
        p.cover = covers.get(p.pk)
    return publications


@dataclass
class PublicDetail:
    publication: Publication
    products: list = field(default_factory=list)  # each with .photos
    photos: list = field(default_factory=list)  # of the cooperative, not of a product


def detail(publication: Publication) -> PublicDetail:
    """What a cooperative's public page shows: its products (if shown) and photos, in
    two queries; the photos' bytes are not read."""
    photos = list(Photo.objects.filter(publication=publication).defer("image", "thumbnail"))
    by_product = defaultdict(list)
    for p in photos:
        by_product[p.product_id].append(p)
    products = []
    if publication.show_products:
        products = list(Product.objects.filter(collective_id=publication.collective_id).select_related("listing")
                        .order_by("name"))
        for product in products:
            product.photos = by_product.get(product.pk, [])
    return PublicDetail(publication, products, by_product.get(None, []))


def products(filters: Filters):
    """Products of published cooperatives that show their products."""
    qs = _public_products().select_related("collective", "collective__publication", "collective__commune",
                                           "collective__commune__parent", "listing")
    for word in search_words(filters.q):
        qs = qs.filter(collective__publication__search_key__contains=word)
    if filters.province:
        qs = qs.filter(collective__commune__parent__code=filters.province,
                       collective__commune__parent__valid_to__isnull=True)
    if filters.product_type:
        qs = qs.filter(ocop_group=filters.product_type)
    if filters.stars:
        qs = qs.filter(ocop_stars__gte=filters.stars)
    first_photo = Photo.objects.filter(product=OuterRef("pk")).order_by("position", "pk").values("pk")[:1]
    return qs.annotate(cover=Subquery(first_photo)).order_by("name", "pk")


def public_photo(pk: int) -> Photo:
    """A photo of a published cooperative (its product's photo only while products show)."""
    photo = Photo.objects.filter(pk=pk, publication__in=Publication.objects.public()).select_related(
        "publication").first()
    if photo is None or (photo.product_id and not photo.publication.show_products):
        raise Http404
    return photo


# --- figures -------------------------------------------------------------------------


@dataclass
class FigureRow:
    indicator: object
    figure: aggregation.Figure
    target: object = None  # plans.Target of the plan in force, or None
    share: object = None  # the approved figure as a % of the target; None for a target over several years


@dataclass
class RoundFigures:
    round: Round
    rows: list  # [FigureRow] with a value
    approved_on: datetime.datetime | None
    plan: object = None


def province_figures(province: AdminUnit, limit: int = 6) -> list[RoundFigures]:
    """The approved figures of a province (today's, covering the old provinces it came
    from) or of the country, newest round first, for the rounds where an approved report
    lies in its territory. Nothing from a report that is not approved."""
    covered = UnitScope.objects.filter(ancestor=province).values("unit_id")
    approved = (Report.objects.filter(state=ReportState.APPROVED, unit_id__in=covered,
                                      round__requested_by__isnull=True, round__kind__in=PUBLIC_ROUND_KINDS)
                .values("round_id").annotate(last=Max("reviewed_at")))
    last_by_round = {row["round_id"]: row["last"] for row in approved}
    rounds = list(Round.objects.filter(pk__in=last_by_round).order_by("-data_end", "-pk")[:limit])
    if not rounds:
        return []
    indicators = aggregation.active_indicators()
    result = []
    for round in rounds:
        found = aggregation.figures(round, [province], include_drafts=False, indicators=indicators)
        figures = {i.code: found[i.code][province.pk] for i in indicators}
        # The target is the plan's; the share shown is of the approved figure only. A target
        # over several years is measured by the reporting app from the live records, which
        # are not public, so it is shown without a share.
        plan, targets = reporting_selectors.targets_for(round, province, figures, indicators)
        rows = []
        for i in indicators:
            if figures[i.code].value is None:
                continue
            info = targets.get(i.code)
            rows.append(FigureRow(i, figures[i.code], info.target if info else None,
                                  info.target.share_achieved(figures[i.code].value)
                                  if info and not info.cumulative else None))
        if rows:
            result.append(RoundFigures(round, rows, last_by_round.get(round.pk), plan))
    return result


def country() -> AdminUnit | None:
    return AdminUnit.objects.filter(level=Level.COUNTRY).first()


def last_approval(province: AdminUnit | None = None) -> datetime.datetime | None:
    qs = Report.objects.filter(state=ReportState.APPROVED, round__requested_by__isnull=True)
    if province is not None:
        qs = qs.filter(unit_id__in=UnitScope.objects.filter(ancestor=province).values("unit_id"))
    return qs.aggregate(last=Max("reviewed_at"))["last"]


def approved_figure_rows() -> list[dict]:
    """Open data: every province's approved figures per round (the reporting rule above)."""
    rows = []
    for province in provinces():
        for rf in province_figures(province, limit=50):
            for row in rf.rows:
                indicator, figure = row.indicator, row.figure
                rows.append({
                    "province_code": province.code, "province": province.name, "round": rf.round.label,
                    "kind": rf.round.kind, "year": rf.round.year, "period_start": rf.round.data_start.isoformat(),
                    "period_end": rf.round.data_end.isoformat(), "indicator": indicator.code,
                    "indicator_name": indicator.label, "unit": indicator.unit_label,
                    "value": str(figure.value), "target": row.target.display if row.target else "",
                    "approved_on": rf.approved_on.date().isoformat()
                    if rf.approved_on else "",
                })
    return rows


def cooperative_rows() -> list[dict]:
    """Open data: the published cooperatives, with only what each chose to show."""
    qs = public_publications().order_by("collective__commune__parent__code", "collective__name", "pk")
    ocop = defaultdict(list)
    for collective_id, name, stars in _public_products().filter(ocop_stars__isnull=False).values_list(
            "collective_id", "name", "ocop_stars"):
        ocop[collective_id].append(f"{name} ({stars}★)")
    rows = []
    for p in qs:
        c = p.collective
        rows.append({
            "slug": p.slug, "name": c.name, "type": c.type, "sector": c.sector,
            "province_code": c.commune.parent.code if c.commune.parent_id else "",
            "province": c.commune.parent.name if c.commune.parent_id else "",
            "commune_code": c.commune.code, "commune": c.commune.name,
            "founded_year": c.founded_on.year if p.show_founded and c.founded_on else "",
            "members": c.members if p.show_members and c.members is not None else "",
            "main_products": c.main_products if p.show_products else "",
            "ocop_products": "; ".join(ocop.get(c.pk, [])),
            "contact_phone": p.contact_phone, "contact_email": p.contact_email, "website": p.website,
            "latitude": str(p.latitude) if p.show_map and p.latitude is not None else "",
            "longitude": str(p.longitude) if p.show_map and p.longitude is not None else "",
            "published_on": p.published_at.date().isoformat() if p.published_at else "",
        })
    return rows


# --- posts ---------------------------------------------------------------------------


def public_posts(unit_ids=None):
    qs = Post.objects.filter(state=Post.State.PUBLISHED).select_related("unit")
    if unit_ids is not None:
        qs = qs.filter(unit_id__in=unit_ids)
    return qs.order_by("-published_at", "-pk")


def public_post(slug: str) -> Post:
    try:
        return public_posts().get(slug=slug)
    except Post.DoesNotExist:
        raise Http404 from None


def province_posts(province: AdminUnit, limit: int = 5) -> list[Post]:
    covered = UnitScope.objects.filter(ancestor=province).values("unit_id")
    return list(public_posts().filter(unit_id__in=covered)[:limit])


# --- officers ------------------------------------------------------------------------


def publication_of(user, collective) -> Publication | None:
    return Publication.objects.visible_to(user).filter(collective=collective).first()


def photos_of(publication: Publication) -> list[Photo]:
    return list(Photo.objects.filter(publication=publication).defer("image", "thumbnail").select_related("product"))


def connection_counts(publication: Publication) -> dict:
    """The "kết nối tiêu thụ" of a cooperative: inquiries received, and closed."""
    counts = Inquiry.objects.filter(publication=publication).aggregate(
        total=Count("pk"), closed=Count("pk", filter=Q(state=Inquiry.State.CLOSED)))
    return counts


def inquiries_for(user, state: str = Inquiry.State.OPEN):
    qs = Inquiry.objects.visible_to(user).select_related(
        "publication", "publication__collective", "publication__collective__commune", "product")
    if state in Inquiry.State.values:
        qs = qs.filter(state=state)
    return qs.order_by("-created_at", "-pk")


def posts_for(user):
    return Post.objects.visible_to(user).select_related("unit", "author").order_by("-updated_at", "-pk")
