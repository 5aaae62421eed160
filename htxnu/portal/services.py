"""Writes of the public portal: publications (consent, publish, withdraw), photos,
inquiries and posts. Each checks the actor's right on the cooperative's commune (or the
post's unit) through accounts.permissions, validates, writes and audits in one
transaction, and drops the cached public pages when the public side changes."""

import datetime

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from htxnu.accounts import permissions
from htxnu.accounts.models import Organisation, User
from htxnu.core import audit
from htxnu.geo.models import Level
from htxnu.registry.models import Collective, Product
from htxnu.text import nfc, nfc_text, search_key

from . import caching, photos
from .models import ENDED_STATUSES, Inquiry, Photo, Post, ProductListing, Publication

PUBLICATION_FIELDS = {
    "consent_on", "consent_by", "consent_document", "story", "contact_name", "contact_phone", "contact_email",
    "contact_address", "website", "latitude", "longitude", "show_founded", "show_members", "show_products",
    "show_map",
}
POST_FIELDS = {"kind", "title", "summary", "body"}


def _require_edit(actor, unit) -> None:
    if not permissions.can_edit_records(actor, unit):
        raise PermissionDenied(_("You may not change the records of this unit."))


def _clean_text(name: str, value):
    if not isinstance(value, str):
        return value
    return nfc_text(value) if name in {"story", "body", "message"} else nfc(value)


def _assign(instance, fields: dict, allowed: set[str]) -> None:
    unknown = set(fields) - allowed
    if unknown:
        raise TypeError(f"unexpected fields: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(instance, name, _clean_text(name, value))


def slug_for(text: str, taken) -> str:
    """A readable Vietnamese slug without diacritics ("hop-tac-xa-che-shan-tuyet"),
    suffixed -2, -3… when `taken(slug)` says it is used."""
    base = "-".join(search_key(text).split())[:100].strip("-") or "hop-tac-xa"
    slug, n = base, 1
    while taken(slug):
        n += 1
        slug = f"{base}-{n}"
    return slug


def refresh_search_key(publication: Publication) -> None:
    """The public search matches the name, what it makes, its products, its commune
    and province (today's and, where it changed, the old name)."""
    c = publication.collective
    products = Product.objects.filter(collective=c).values_list("name", flat=True)
    commune = c.commune
    publication.search_key = search_key(
        c.name, c.main_products, " ".join(products), commune.name, commune.parent.name if commune.parent_id else "",
        c.registered_unit.name if c.registered_unit_id else "",
    )[:800]


# --- publications --------------------------------------------------------------------


@transaction.atomic
def publication_save(*, actor, collective: Collective, **fields) -> Publication:
    """Create or change a cooperative's publication record (consent and what to show).
    Recording consent notes who recorded it. Saving does not publish."""
    _require_edit(actor, collective.commune)
    publication = Publication.objects.select_for_update(of=("self",)).filter(collective=collective).first()
    creating = publication is None
    if creating:
        publication = Publication(collective=collective, slug=slug_for(
            collective.name, lambda s: Publication.objects.filter(slug=s).exists()))
        before = None
    else:
        before = audit.snapshot(publication)
    consent_before = (publication.consent_on, publication.consent_by, publication.consent_document)
    _assign(publication, fields, PUBLICATION_FIELDS)
    if publication.consent_on and publication.consent_on > datetime.date.today():
        raise ValidationError({"consent_on": _("This date is in the future.")})
    if (publication.consent_on, publication.consent_by, publication.consent_document) != consent_before:
        publication.consent_recorded_by = actor
    if publication.is_published and not publication.has_consent:
        raise ValidationError({"consent_on": _("A published cooperative keeps its consent: withdraw it first.")})
    refresh_search_key(publication)
    audit.save_audited(publication, actor, before=before)
    if publication.is_published:
        caching.purge()
    return publication


@transaction.atomic
def publication_publish(*, actor, publication: Publication) -> Publication:
    publication = Publication.objects.select_for_update(of=("self",)).select_related(
        "collective", "collective__commune").get(pk=publication.pk)
    _require_edit(actor, publication.collective.commune)
    if not publication.has_consent:
        raise ValidationError({"consent_on": _(
            "Record the cooperative's consent (date and who agreed) before publishing it.")})
    if publication.collective.status in ENDED_STATUSES:
        raise ValidationError({"__all__": _("This cooperative has ended; it cannot be published.")})
    if publication.is_published:
        return publication
    before = audit.snapshot(publication)
    publication.is_published = True
    publication.published_at = timezone.now()
    refresh_search_key(publication)
    audit.save_audited(publication, actor, before=before, note=_("Published on the portal"), validate=False)
    caching.purge()
    return publication


@transaction.atomic
def publication_withdraw(*, actor, publication: Publication, reason: str = "") -> Publication:
    """Take a cooperative off the public side at once (every page, list and export)."""
    publication = Publication.objects.select_for_update(of=("self",)).select_related(
        "collective", "collective__commune").get(pk=publication.pk)
    _require_edit(actor, publication.collective.commune)
    if not publication.is_published:
        return publication
    before = audit.snapshot(publication)
    publication.is_published = False
    publication.withdrawn_at = timezone.now()
    audit.save_audited(publication, actor, before=before, note=nfc(reason) or _("Withdrawn from the portal"),
                       validate=False)
    caching.purge()
    return publication


@transaction.atomic
def product_listing_save(*, actor, product: Product, **fields) -> ProductListing:
    """A product's season, description and where to buy, for the portal."""
    _require_edit(actor, product.collective.commune)
    listing = ProductListing.objects.select_for_update(of=("self",)).filter(product=product).first()
    creating = listing is None
    listing = listing or ProductListing(product=product)
    before = None if creating else audit.snapshot(listing)
    _assign(listing, fields, {"season", "description", "where_to_buy"})
    audit.save_audited(listing, actor, before=before)
    caching.purge()
    return listing


# --- photos --------------------------------------------------------------------------


@transaction.atomic
def photo_add(*, actor, publication: Publication, data: bytes, alt_text: str,
              product: Product | None = None) -> Photo:
    _require_edit(actor, publication.collective.commune)
    if product is not None and product.collective_id != publication.collective_id:
        raise ValidationError({"product": _("This product belongs to another cooperative.")})
    alt_text = nfc(alt_text)
    if not alt_text:
        raise ValidationError({"alt_text": _("Say in a few words what the photo shows (read out to blind visitors).")})
    processed = photos.process(data)
    last = Photo.objects.filter(publication=publication).order_by("-position").values_list("position", flat=True)
    photo = Photo(publication=publication, product=product, alt_text=alt_text, image=processed.image,
                  thumbnail=processed.thumbnail, width=processed.width, height=processed.height,
                  position=(last.first() or 0) + 1, uploaded_by=actor)
    photo.full_clean()
    photo.save()
    audit.log(actor=actor, action="create", instance=photo, changes={"alt_text": [None, alt_text]})
    if publication.is_published:
        caching.purge()
    return photo


@transaction.atomic
def photo_remove(*, actor, photo: Photo) -> None:
    _require_edit(actor, photo.publication.collective.commune)
    audit.log(actor=actor, action="delete", instance=photo, changes={"alt_text": [photo.alt_text, None]})
    photo.delete()
    caching.purge()


# --- inquiries -----------------------------------------------------------------------


def _rate_limited(client: str) -> bool:
    """At most PORTAL_INQUIRY_LIMIT inquiries per address per hour (counted in the cache)."""
    key = f"portal:inquiries:{client}"
    cache.add(key, 0, 60 * 60)
    try:
        count = cache.incr(key)
    except ValueError:
        cache.set(key, 1, 60 * 60)
        count = 1
    return count > settings.PORTAL_INQUIRY_LIMIT


def inquiry_recipients(publication: Publication) -> list[str]:
    """The e-mail addresses an inquiry goes to: the cooperative's published contact and
    the Union officers of its commune and province who have an address."""
    commune = publication.collective.commune
    units = [commune.pk] + ([commune.parent_id] if commune.parent_id else [])
    officers = User.objects.filter(
        is_active=True, is_officer=True, organisation__kind=Organisation.Kind.UNION, organisation__unit_id__in=units,
    ).exclude(email="").values_list("email", flat=True)
    found = ([publication.contact_email] if publication.contact_email else []) + list(officers)
    return list(dict.fromkeys(found))


@transaction.atomic
def inquiry_submit(*, publication: Publication, client: str, name: str, message: str, phone: str = "",
                   email: str = "", kind: str = Inquiry.Kind.ORDER, product: Product | None = None) -> Inquiry:
    """A visitor's inquiry. There is no actor: visitors have no account. `client` is the
    visitor's address, used only for the rate limit and not stored."""
    if not Publication.objects.public().filter(pk=publication.pk).exists():
        raise ValidationError({"__all__": _("This cooperative is no longer on the portal.")})
    if product is not None and product.collective_id != publication.collective_id:
        raise ValidationError({"product": _("This product belongs to another cooperative.")})
    if _rate_limited(client):
        raise ValidationError({"__all__": _("Too many messages from your connection: please try again in an hour.")})
    inquiry = Inquiry(publication=publication, product=product, kind=kind, name=nfc(name), phone=nfc(phone),
                      email=nfc(email), message=nfc_text(message))
    inquiry.full_clean()
    inquiry.save()
    audit.log(actor=None, action="create", instance=inquiry, note=_("Sent from the portal"))
    recipients = inquiry_recipients(publication)
    if recipients:
        subject = _("Portal inquiry for %(name)s") % {"name": publication.collective.name}
        body = "\n".join([
            f"{_('From')}: {inquiry.name}", f"{_('Phone')}: {inquiry.phone or '—'}",
            f"{_('E-mail')}: {inquiry.email or '—'}", f"{_('About')}: {inquiry.get_kind_display()}",
            *([f"{_('Product')}: {product.name}"] if product else []), "", inquiry.message,
        ])
        transaction.on_commit(lambda: send_mail(subject, body, None, recipients, fail_silently=True))
    return inquiry


@transaction.atomic
def inquiry_close(*, actor, inquiry: Inquiry, outcome: str = "") -> Inquiry:
    inquiry = Inquiry.objects.select_for_update(of=("self",)).select_related(
        "publication__collective__commune").get(pk=inquiry.pk)
    _require_edit(actor, inquiry.publication.collective.commune)
    if inquiry.state == Inquiry.State.CLOSED:
        return inquiry
    before = audit.snapshot(inquiry)
    inquiry.state = Inquiry.State.CLOSED
    inquiry.closed_at = timezone.now()
    inquiry.closed_by = actor
    inquiry.outcome = nfc(outcome)
    audit.save_audited(inquiry, actor, before=before)
    return inquiry


# --- posts ---------------------------------------------------------------------------


def needs_review(unit) -> bool:
    """A commune's (or an old district's) post is approved by the level above; a
    province or the centre publishes its own."""
    return unit.level not in (Level.COUNTRY, Level.PROVINCE)


@transaction.atomic
def post_save(*, actor, unit=None, post: Post | None = None, **fields) -> Post:
    creating = post is None
    if creating:
        post = Post(unit=unit, author=actor)
        before = None
    else:
        post = Post.objects.select_for_update(of=("self",)).select_related("unit").get(pk=post.pk)
        before = audit.snapshot(post)
    _require_edit(actor, post.unit)
    if post.state in (Post.State.SUBMITTED, Post.State.PUBLISHED) and not creating:
        raise ValidationError({"__all__": _("A post waiting for approval or published cannot be changed: "
                                            "withdraw it first.")})
    _assign(post, fields, POST_FIELDS)
    if creating:
        post.slug = slug_for(post.title, lambda s: Post.objects.filter(slug=s).exists())
    audit.save_audited(post, actor, before=before)
    return post


def _lock_post(post: Post) -> Post:
    return Post.objects.select_for_update(of=("self",)).select_related("unit").get(pk=post.pk)


@transaction.atomic
def post_publish(*, actor, post: Post) -> Post:
    """Publish a post. A commune's post is first submitted (by an officer of the commune)
    and then published by a reviewer of the level above; a province's is published by
    its officer."""
    post = _lock_post(post)
    before = audit.snapshot(post)
    if needs_review(post.unit):
        if post.state in (Post.State.DRAFT, Post.State.RETURNED, Post.State.WITHDRAWN):
            _require_edit(actor, post.unit)
            post.state = Post.State.SUBMITTED
            audit.save_audited(post, actor, before=before, note=_("Sent for approval"), validate=False)
            return post
        if post.state != Post.State.SUBMITTED:
            return post
        if not permissions.can_approve(actor, post.unit):
            raise PermissionDenied(_("Only a reviewer of the level above may approve this post."))
        post.reviewed_by = actor
    else:
        _require_edit(actor, post.unit)
        if post.state == Post.State.PUBLISHED:
            return post
    post.state = Post.State.PUBLISHED
    post.published_at = timezone.now()
    audit.save_audited(post, actor, before=before, note=_("Published on the portal"), validate=False)
    caching.purge()
    return post


@transaction.atomic
def post_return(*, actor, post: Post, note: str) -> Post:
    post = _lock_post(post)
    if not permissions.can_approve(actor, post.unit):
        raise PermissionDenied(_("Only a reviewer of the level above may return this post."))
    if post.state != Post.State.SUBMITTED:
        raise ValidationError({"__all__": _("Only a post waiting for approval can be returned.")})
    note = nfc(note)
    if not note:
        raise ValidationError({"review_note": _("Say what to change.")})
    before = audit.snapshot(post)
    post.state = Post.State.RETURNED
    post.review_note = note
    post.reviewed_by = actor
    audit.save_audited(post, actor, before=before, validate=False)
    return post


@transaction.atomic
def post_withdraw(*, actor, post: Post) -> Post:
    post = _lock_post(post)
    _require_edit(actor, post.unit)
    if post.state not in (Post.State.PUBLISHED, Post.State.SUBMITTED):
        return post
    before = audit.snapshot(post)
    was_public = post.state == Post.State.PUBLISHED
    post.state = Post.State.WITHDRAWN
    audit.save_audited(post, actor, before=before, validate=False)
    if was_public:
        caching.purge()
    return post
