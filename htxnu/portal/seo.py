"""Titles, descriptions, Open Graph and schema.org JSON-LD for the public pages.

JSON-LD goes into a `<script type="application/ld+json">` data block: browsers do not
run it (a Content-Security-Policy's script-src does not apply to data blocks), and it is
escaped here so that nothing typed by an officer can close the element."""

import json

from django.urls import reverse
from django.utils.safestring import mark_safe

_ESCAPES = {ord("<"): "\\u003c", ord(">"): "\\u003e", ord("&"): "\\u0026"}


def json_ld(data) -> str:
    return mark_safe(json.dumps(data, ensure_ascii=False).translate(_ESCAPES))


def meta(request, title: str, description: str = "", image: str | None = None, kind: str = "website",
         data=None) -> dict:
    return {
        "title": title,
        "description": (description or "")[:300],
        "url": request.build_absolute_uri(request.path),
        "image": request.build_absolute_uri(image) if image else "",
        "kind": kind,
        "json_ld": json_ld(data) if data else "",
    }


def organisation(request, publication, detail) -> dict:
    c = publication.collective
    url = request.build_absolute_uri(reverse("portal:cooperative", args=[publication.slug]))
    province = c.commune.parent.name if c.commune.parent_id else ""
    org = {
        "@context": "https://schema.org",
        "@type": "Organization",
        "name": c.name,
        "url": url,
        "address": {"@type": "PostalAddress", "addressLocality": c.commune.name, "addressRegion": province,
                    "addressCountry": "VN",
                    **({"streetAddress": publication.contact_address} if publication.contact_address else {})},
    }
    if publication.story:
        org["description"] = publication.story[:500]
    if publication.show_founded and c.founded_on:
        org["foundingDate"] = str(c.founded_on.year)
    if publication.contact_phone:
        org["telephone"] = publication.contact_phone
    if publication.contact_email:
        org["email"] = publication.contact_email
    if publication.show_map and publication.latitude is not None:
        org["geo"] = {"@type": "GeoCoordinates", "latitude": float(publication.latitude),
                      "longitude": float(publication.longitude)}
    if detail.photos:
        org["image"] = request.build_absolute_uri(reverse("portal:photo", args=[detail.photos[0].pk]))
    products = [product_data(request, p, org_name=c.name, org_url=url) for p in detail.products]
    return [org, *products] if products else org


def product_data(request, product, *, org_name: str, org_url: str) -> dict:
    data = {"@context": "https://schema.org", "@type": "Product", "name": product.name,
            "manufacturer": {"@type": "Organization", "name": org_name, "url": org_url},
            "brand": {"@type": "Brand", "name": org_name}}
    photos = getattr(product, "photos", None)
    if photos:
        data["image"] = request.build_absolute_uri(reverse("portal:photo", args=[photos[0].pk]))
    if product.ocop_stars:
        data["award"] = f"OCOP {product.ocop_stars}★"
    return data
