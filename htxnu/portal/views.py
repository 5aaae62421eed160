"""The public portal's pages: for visitors, no sign-in. Every read goes through the
public selectors (htxnu.portal.selectors), which read only published data. Pages are
server-rendered and work without JavaScript; visitors' GETs are cached (caching.py)."""

import csv
import io

from django.conf import settings
from django.contrib import sitemaps
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from htxnu.core import views as core_views
from htxnu.core.clients import client_address
from htxnu.core.paging import query_without_page
from htxnu.registry.models import Product
from htxnu.text import search_key

from . import selectors, seo, services
from .caching import cached_page
from .forms import FilterForm, InquiryForm


def root(request: HttpRequest) -> HttpResponse:
    """`/`: signed-in officers land on their own home as before; visitors on the portal."""
    if request.user.is_authenticated:
        return core_views.home(request)
    return home(request)


@require_GET
@cached_page
def home(request: HttpRequest) -> HttpResponse:
    latest = selectors.with_thumbnails(selectors.public_publications().order_by("-published_at", "-pk")[:6])
    nation = selectors.country()
    context = {
        "national": selectors.province_figures(nation, limit=1) if nation else [],
        "latest": latest,
        "count": selectors.public_publications().count(),
        "provinces": selectors.provinces(),
        "posts": list(selectors.public_posts()[:3]),
        "meta": seo.meta(request, _("Women-managed cooperatives and their products"),
                         _("Cooperatives and groups managed by women across Vietnam, their products, and the "
                           "progress of Đề án 01."),
                         data={"@context": "https://schema.org", "@type": "WebSite", "name": "HTX Nữ",
                               "url": request.build_absolute_uri("/")}),
    }
    return render(request, "portal/home.html", context)


@require_GET
@cached_page
def cooperative_list(request: HttpRequest) -> HttpResponse:
    filters = selectors.Filters.from_query(request.GET)
    provinces = selectors.provinces()
    form = FilterForm(request.GET or None, provinces=provinces,
                      communes=selectors.communes_with_publications(filters.province))
    page = Paginator(selectors.cooperatives(filters), selectors.PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = selectors.with_thumbnails(page.object_list)
    title = _("Cooperatives and groups")
    if filters.q:
        title = _("“%(q)s” in cooperatives") % {"q": filters.q}
    return render(request, "portal/cooperative_list.html", {
        "form": form, "page": page, "filters": filters, "query": query_without_page(request),
        "meta": seo.meta(request, title, _("Find women-managed cooperatives and groups by name, place, sector "
                                           "or product.")),
    })


@require_GET
@cached_page
def cooperative(request: HttpRequest, slug: str) -> HttpResponse:
    publication = selectors.cooperative(slug)
    detail = selectors.detail(publication)
    c = publication.collective
    image = None
    if detail.photos:
        image = reverse("portal:photo", args=[detail.photos[0].pk])
    description = publication.story[:200] if publication.story else _(
        "%(type)s in %(commune)s, %(province)s: %(products)s") % {
        "type": c.get_type_display(), "commune": c.commune.name,
        "province": c.commune.parent.name if c.commune.parent_id else "", "products": c.main_products}
    return render(request, "portal/cooperative.html", {
        "p": publication, "c": c, "d": detail,
        "province_slug": selectors.province_slug(c.commune.parent) if c.commune.parent_id else "",
        "meta": seo.meta(request, c.name, description, image, "profile", seo.organisation(request, publication,
                                                                                            detail)),
    })


def _client(request) -> str:
    # Behind the proxy, the visitor's own address: REMOTE_ADDR would limit every visitor together.
    return client_address(request) or "unknown"


@require_http_methods(["GET", "POST"])
def inquiry(request: HttpRequest, slug: str) -> HttpResponse:
    """"Liên hệ đặt hàng / hợp tác": a visitor's message to the cooperative and the Union
    officers of its commune and province. Never shown on a public page."""
    publication = selectors.cooperative(slug)
    products = list(Product.objects.filter(collective_id=publication.collective_id).order_by("name")) \
        if publication.show_products else []
    product = None
    wanted = request.POST.get("product") or request.GET.get("product") or ""
    if wanted.isdigit():
        product = next((p for p in products if p.pk == int(wanted)), None)
    form = InquiryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if form.cleaned_data.get("website"):
            # A robot filled the honeypot: thank it and keep nothing.
            return HttpResponseRedirect(reverse("portal:inquiry", args=[slug]) + "?sent=1")
        try:
            services.inquiry_submit(publication=publication, client=_client(request), product=product,
                                    **{k: form.cleaned_data[k] for k in ("kind", "name", "phone", "email", "message")})
        except ValidationError as error:
            for name, errors in error.message_dict.items():
                form.add_error(name if name in form.fields else None, errors)
        else:
            return HttpResponseRedirect(reverse("portal:inquiry", args=[slug]) + "?sent=1")
    return render(request, "portal/inquiry.html", {
        "p": publication, "c": publication.collective, "form": form, "product": product,
        "sent": request.GET.get("sent") == "1" and request.method == "GET",
        "meta": seo.meta(request, _("Contact %(name)s") % {"name": publication.collective.name}),
    })


@require_GET
@cached_page
def product_list(request: HttpRequest) -> HttpResponse:
    filters = selectors.Filters.from_query(request.GET)
    form = FilterForm(request.GET or None, provinces=selectors.provinces())
    found = selectors.products(filters)
    words = selectors.search_words(filters.q)
    if words:
        # The database narrowed it to the matching cooperatives; keep the products that
        # match themselves, or with their cooperative's name and place.
        found = [p for p in found if all(w in search_key(p.name, p.collective.name, p.collective.commune.name,
                                                          p.collective.commune.parent.name) for w in words)]
    page = Paginator(found, selectors.PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "portal/product_list.html", {
        "form": form, "page": page, "query": query_without_page(request),
        "meta": seo.meta(request, _("Products"), _("Products of women-managed cooperatives, OCOP-rated ones "
                                                   "among them, with where to buy.")),
    })


@require_GET
@cached_page
def province(request: HttpRequest, slug: str) -> HttpResponse:
    unit = selectors.province_by_slug(slug)
    filters = selectors.Filters(province=unit.code)
    cooperatives = selectors.cooperatives(filters)
    return render(request, "portal/province.html", {
        "unit": unit,
        "count": cooperatives.count(),
        "latest": selectors.with_thumbnails(cooperatives[:6]),
        "rounds": selectors.province_figures(unit),
        "last_approval": selectors.last_approval(unit),
        "posts": selectors.province_posts(unit),
        "meta": seo.meta(request, unit.name, _("Đề án 01 in %(province)s: approved figures, women-managed "
                                               "cooperatives and news.") % {"province": unit.name}),
    })


@require_GET
@cached_page
def news(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.public_posts(), 20).get_page(request.GET.get("page"))
    return render(request, "portal/news.html", {
        "page": page, "query": query_without_page(request),
        "meta": seo.meta(request, _("News and policies"), _("News, policies and plans of the Women's Union on "
                                                            "Đề án 01.")),
    })


@require_GET
@cached_page
def post(request: HttpRequest, slug: str) -> HttpResponse:
    item = selectors.public_post(slug)
    return render(request, "portal/post.html", {
        "post": item, "meta": seo.meta(request, item.title, item.summary or item.body[:200], kind="article"),
    })


# --- open data -----------------------------------------------------------------------


def _data_date() -> str:
    return timezone.localdate().isoformat()


@require_GET
@cached_page
def open_data(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/open_data.html", {
        "licence": settings.PORTAL_DATA_LICENCE, "data_date": timezone.localdate(),
        "last_approval": selectors.last_approval(),
        "meta": seo.meta(request, _("Open data"), _("Published cooperatives and approved Đề án 01 figures as CSV "
                                                    "and JSON.")),
    })


def _csv(rows: list[dict], name: str, header: list[str]) -> HttpResponse:
    out = io.StringIO()
    out.write("\ufeff")  # Excel opens UTF-8 with a BOM as UTF-8
    writer = csv.DictWriter(out, fieldnames=header)
    writer.writeheader()
    writer.writerows(rows)
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["X-Data-Licence"] = settings.PORTAL_DATA_LICENCE
    return response


def _json(rows: list[dict], what: str) -> JsonResponse:
    return JsonResponse({"licence": settings.PORTAL_DATA_LICENCE, "data_date": _data_date(),
                         "source": "HTX Nữ", "what": what, "rows": rows},
                        json_dumps_params={"ensure_ascii": False})


COOPERATIVE_COLUMNS = ["slug", "name", "type", "sector", "province_code", "province", "commune_code", "commune",
                       "founded_year", "members", "main_products", "ocop_products", "contact_phone",
                       "contact_email", "website", "latitude", "longitude", "published_on"]
FIGURE_COLUMNS = ["province_code", "province", "round", "kind", "year", "period_start", "period_end", "indicator",
                  "indicator_name", "unit", "value", "target", "approved_on"]


@require_GET
@cached_page
def open_data_file(request: HttpRequest, name: str, fmt: str) -> HttpResponse:
    if name == "hop-tac-xa":
        rows, columns, what = selectors.cooperative_rows(), COOPERATIVE_COLUMNS, "cooperatives"
    elif name == "so-lieu":
        rows, columns, what = selectors.approved_figure_rows(), FIGURE_COLUMNS, "approved_figures"
    else:
        raise Http404
    if fmt == "csv":
        return _csv(rows, f"{name}-{_data_date()}.csv", columns)
    return _json(rows, what)


# --- photos, sitemap, robots, language -----------------------------------------------


@require_GET
def photo(request: HttpRequest, pk: int, size: str = "full") -> HttpResponse:
    item = selectors.public_photo(pk)
    data = item.thumbnail if size == "thumb" else item.image
    response = HttpResponse(bytes(data), content_type="image/jpeg")
    # A photo never changes under its id (a new upload is a new photo); a withdrawn
    # cooperative's photos answer 404 at once, so browsers may keep them only a day.
    response["Cache-Control"] = "public, max-age=86400"
    return response


class CooperativeSitemap(sitemaps.Sitemap):
    changefreq = "weekly"

    def items(self):
        return selectors.public_publications().order_by("slug")

    def location(self, item):
        return reverse("portal:cooperative", args=[item.slug])

    def lastmod(self, item):
        return item.updated_at


class ProvinceSitemap(sitemaps.Sitemap):
    changefreq = "monthly"

    def items(self):
        return selectors.provinces()

    def location(self, item):
        return reverse("portal:province", args=[item.slug])


class PostSitemap(sitemaps.Sitemap):
    def items(self):
        return selectors.public_posts()

    def location(self, item):
        return reverse("portal:post", args=[item.slug])

    def lastmod(self, item):
        return item.updated_at


class PageSitemap(sitemaps.Sitemap):
    def items(self):
        return ["portal:cooperatives", "portal:products", "portal:news", "portal:open_data"]

    def location(self, item):
        return reverse(item)


SITEMAPS = {"pages": PageSitemap, "cooperatives": CooperativeSitemap, "provinces": ProvinceSitemap,
            "posts": PostSitemap}


@require_GET
def sitemap(request: HttpRequest) -> HttpResponse:
    from django.contrib.sitemaps.views import sitemap as django_sitemap

    return cached_page(django_sitemap)(request, sitemaps=SITEMAPS)


@require_GET
def robots(request: HttpRequest) -> HttpResponse:
    lines = ["User-agent: *"]
    for prefix in ("/accounts/", "/admin/", "/api/", "/registry/", "/plans/", "/activities/", "/events/",
                   "/funding/", "/reports/", "/dashboard/", "/units/", "/cong-khai/", "/ngon-ngu/"):
        lines.append(f"Disallow: {prefix}")
    lines.append("Disallow: /hop-tac-xa/*/lien-he/")
    lines.append(f"Sitemap: {request.build_absolute_uri(reverse('portal:sitemap'))}")
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


@require_GET
def language(request: HttpRequest, code: str) -> HttpResponse:
    """The visitors' language switch: a link, so the cached pages carry no form token."""
    if code not in dict(settings.LANGUAGES):
        raise Http404
    target = request.GET.get("next") or "/"
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                           require_https=request.is_secure()):
        target = "/"
    response = HttpResponseRedirect(target)
    response.set_cookie(settings.LANGUAGE_COOKIE_NAME, code, max_age=365 * 24 * 3600, samesite="Lax")
    translation.activate(code)
    return response


