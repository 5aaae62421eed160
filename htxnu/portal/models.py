"""What the public portal shows, and what visitors send back.

The registry owns the cooperatives; the portal owns the decision to show one in public
and what to show. A Publication is the cooperative's consent (who agreed, when, on which
document) with the officer's choices: the story, the contact the cooperative chose to
publish, the map point and which facts appear. Nothing reaches a public page unless its
Publication is published (htxnu.portal.selectors reads only those), and withdrawing one
removes every page, list row, sitemap entry and open-data row at once.

Photos are stored in the database (already resized, metadata stripped), not on a disk,
for the reason the registry keeps its uploads there: any app server answers any request.

An Inquiry is what a visitor sends from a cooperative's page. It is never shown on a
public page; it belongs to the cooperative's commune, so the officers of the commune,
its province and the centre see it (geo.scoping), and they close it.

A Post is a news item or policy of a unit. A commune's post goes out once the province
approves it (the reviewer right of reports, accounts.permissions.can_approve); a
province's or the centre's post goes out when its officer publishes it.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from htxnu.geo.scoping import ScopedQuerySet
from htxnu.registry.models import Status

STORY_MAX = 3000
MESSAGE_MAX = 2000
POST_BODY_MAX = 20000
# A cooperative that has ended leaves the public side even if nobody withdrew it.
ENDED_STATUSES = (Status.DISSOLVED, Status.CONVERTED)


class PublicationQuerySet(ScopedQuerySet):
    def public(self):
        return self.filter(is_published=True).exclude(collective__status__in=ENDED_STATUSES)


class Publication(models.Model):
    collective = models.OneToOneField(
        "registry.Collective", verbose_name=_("cooperative or group"), on_delete=models.CASCADE,
        related_name="publication",
    )
    slug = models.SlugField(_("address on the portal"), max_length=120, unique=True)
    is_published = models.BooleanField(_("published"), default=False)
    published_at = models.DateTimeField(_("published on"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn on"), null=True, blank=True)

    consent_on = models.DateField(_("consent given on"), null=True, blank=True)
    consent_by = models.CharField(
        _("who agreed"), max_length=150, blank=True,
        help_text=_("Name and position of the person who agreed for the cooperative."),
    )
    consent_document = models.CharField(
        _("consent document"), max_length=200, blank=True,
        help_text=_("Number and date of the signed agreement, or where it is kept."),
    )
    consent_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
    )

    story = models.TextField(_("story"), blank=True, validators=[MaxLengthValidator(STORY_MAX)],
                             help_text=_("A few paragraphs for visitors, written by the officer or the cooperative."))
    contact_name = models.CharField(_("contact name"), max_length=120, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=20, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), max_length=150, blank=True)
    contact_address = models.CharField(_("contact address"), max_length=300, blank=True)
    website = models.URLField(_("website or shop page"), max_length=300, blank=True)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    show_founded = models.BooleanField(_("show the founding year"), default=True)
    show_members = models.BooleanField(_("show the number of members"), default=True)
    show_products = models.BooleanField(_("show the products"), default=True)
    show_map = models.BooleanField(_("show the map point"), default=True)

    # Name, products, commune and province without diacritics, for the public search.
    search_key = models.CharField(max_length=800, editable=False, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PublicationQuerySet.as_manager()
    scope_path = "collective__commune"

    class Meta:
        verbose_name = _("publication")
        verbose_name_plural = _("publications")
        ordering = ["slug"]
        indexes = [models.Index(fields=["is_published", "slug"], name="portal_pub_published_slug")]

    def __str__(self):
        return self.slug

    def clean(self):
        errors = {}
        if self.latitude is not None and not -90 <= self.latitude <= 90:
            errors["latitude"] = _("A latitude lies between -90 and 90.")
        if self.longitude is not None and not -180 <= self.longitude <= 180:
            errors["longitude"] = _("A longitude lies between -180 and 180.")
        if (self.latitude is None) != (self.longitude is None):
            errors["longitude"] = _("Give both the latitude and the longitude, or neither.")
        if errors:
            raise ValidationError(errors)

    @property
    def has_consent(self) -> bool:
        return bool(self.consent_on and self.consent_by)


class ProductListing(models.Model):
    """What the portal says about a product beyond the registry's record: when it is in
    season, a line for buyers, where to buy it."""

    product = models.OneToOneField("registry.Product", on_delete=models.CASCADE, related_name="listing")
    season = models.CharField(_("season"), max_length=100, blank=True, help_text=_("e.g. “tháng 3 – tháng 5”"))
    description = models.CharField(_("for buyers"), max_length=500, blank=True)
    where_to_buy = models.CharField(_("where to buy"), max_length=300, blank=True,
                                    help_text=_("Shops, markets, online shop addresses."))

    objects = ScopedQuerySet.as_manager()
    scope_path = "product__collective__commune"

    class Meta:
        verbose_name = _("product on the portal")
        verbose_name_plural = _("products on the portal")

    def __str__(self):
        return str(self.product_id)


class Photo(models.Model):
    publication = models.ForeignKey(Publication, on_delete=models.CASCADE, related_name="photos")
    product = models.ForeignKey("registry.Product", verbose_name=_("product"), null=True, blank=True,
                                on_delete=models.CASCADE, related_name="+")
    alt_text = models.CharField(_("what the photo shows"), max_length=200)
    image = models.BinaryField(editable=False)
    thumbnail = models.BinaryField(editable=False)
    width = models.PositiveIntegerField(editable=False)
    height = models.PositiveIntegerField(editable=False)
    position = models.PositiveSmallIntegerField(default=0)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet.as_manager()
    scope_path = "publication__collective__commune"

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        ordering = ["position", "pk"]
        indexes = [models.Index(fields=["publication", "position"])]

    def __str__(self):
        return self.alt_text


class Inquiry(models.Model):
    class Kind(models.TextChoices):
        ORDER = "order", _("Order")
        COOPERATION = "cooperation", _("Cooperation")
        OTHER = "other", pgettext_lazy("inquiry kind", "Other")

    class State(models.TextChoices):
        OPEN = "open", pgettext_lazy("inquiry state", "Open")
        CLOSED = "closed", pgettext_lazy("inquiry state", "Closed")

    publication = models.ForeignKey(Publication, on_delete=models.CASCADE, related_name="inquiries")
    product = models.ForeignKey("registry.Product", verbose_name=_("product"), null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="+")
    kind = models.CharField(_("about"), max_length=12, choices=Kind.choices, default=Kind.ORDER)
    name = models.CharField(_("your name"), max_length=100)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    email = models.EmailField(_("e-mail"), max_length=150, blank=True)
    message = models.TextField(_("message"), validators=[MaxLengthValidator(MESSAGE_MAX)])
    state = models.CharField(_("state"), max_length=6, choices=State.choices, default=State.OPEN)
    created_at = models.DateTimeField(_("received on"), auto_now_add=True)
    closed_at = models.DateTimeField(_("closed on"), null=True, blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+")
    outcome = models.CharField(_("outcome"), max_length=300, blank=True)

    objects = ScopedQuerySet.as_manager()
    scope_path = "publication__collective__commune"

    class Meta:
        verbose_name = _("inquiry")
        verbose_name_plural = _("inquiries")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["publication", "state"]), models.Index(fields=["state", "-created_at"])]
        constraints = [
            models.CheckConstraint(condition=~Q(phone="") | ~Q(email=""), name="portal_inquiry_has_contact"),
        ]

    def __str__(self):
        return f"{self.name} · {self.created_at:%d/%m/%Y}" if self.created_at else self.name

    def clean(self):
        if not self.phone and not self.email:
            raise ValidationError({"phone": _("Give a phone number or an e-mail address so they can answer you.")})


class Post(models.Model):
    class Kind(models.TextChoices):
        NEWS = "news", _("News")
        POLICY = "policy", _("Policy or document")

    class State(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("post state", "Draft")
        SUBMITTED = "submitted", pgettext_lazy("post state", "Waiting for approval")
        RETURNED = "returned", pgettext_lazy("post state", "Returned for changes")
        PUBLISHED = "published", pgettext_lazy("post state", "Published")
        WITHDRAWN = "withdrawn", pgettext_lazy("post state", "Withdrawn")

    unit = models.ForeignKey("geo.AdminUnit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=6, choices=Kind.choices, default=Kind.NEWS)
    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(max_length=220, unique=True, editable=False)
    summary = models.CharField(_("summary"), max_length=300, blank=True)
    body = models.TextField(_("text"), validators=[MaxLengthValidator(POST_BODY_MAX)])
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.DRAFT)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="+")
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    review_note = models.CharField(_("reviewer's note"), max_length=300, blank=True)
    published_at = models.DateTimeField(_("published on"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedQuerySet.as_manager()
    scope_path = "unit"

    class Meta:
        verbose_name = _("post")
        verbose_name_plural = _("posts")
        ordering = ["-published_at", "-pk"]
        indexes = [models.Index(fields=["state", "-published_at"]), models.Index(fields=["unit", "state"])]

    def __str__(self):
        return self.title
