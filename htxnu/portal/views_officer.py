"""The officers' side of the portal: the "Công khai" section of a cooperative (consent,
what to show, photos, publish and withdraw), the inquiries visitors sent, and the
unit's posts with their preview and approval. Every object is fetched through
geo.scoping.get_visible_or_404; rights to act are checked by the services."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from htxnu.accounts import permissions
from htxnu.core.paging import query_without_page
from htxnu.core.units import active_unit
from htxnu.geo.scoping import get_visible_or_404
from htxnu.registry.models import Collective, Product

from . import selectors, services
from .forms import CloseForm, PhotoForm, PostForm, ProductListingForm, PublicationForm, ReturnForm
from .models import Inquiry, Photo, Post, Publication


def _add_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _collective(request, pk: int) -> Collective:
    return get_visible_or_404(Collective.objects.select_related("commune", "commune__parent"), request.user, pk=pk)


def _require_edit(request, unit) -> None:
    if not permissions.can_edit_records(request.user, unit):
        raise PermissionDenied


def _manage_context(request, collective, publication, form=None, photo_form=None) -> dict:
    products = list(Product.objects.filter(collective=collective).select_related("listing").order_by("name"))
    for product in products:
        product.form = ProductListingForm(instance=getattr(product, "listing", None), prefix=f"p{product.pk}")
    return {
        "products": products,
        "c": collective, "p": publication,
        "form": form or PublicationForm(instance=publication),
        "photo_form": photo_form or PhotoForm(products=products),
        "photos": selectors.photos_of(publication) if publication else [],
        "counts": selectors.connection_counts(publication) if publication else {},
        "can_edit": permissions.can_edit_records(request.user, collective.commune),
    }


@login_required
@require_http_methods(["GET", "POST"])
def manage(request: HttpRequest, pk: int) -> HttpResponse:
    collective = _collective(request, pk)
    publication = selectors.publication_of(request.user, collective)
    if request.method == "POST":
        _require_edit(request, collective.commune)
        form = PublicationForm(request.POST, instance=publication or Publication(collective=collective))
        if form.is_valid():
            try:
                services.publication_save(actor=request.user, collective=collective,
                                          **{k: form.cleaned_data[k] for k in services.PUBLICATION_FIELDS})
            except ValidationError as error:
                _add_errors(form, error)
            else:
                messages.success(request, _("Saved."))
                return redirect("portal:manage", pk=collective.pk)
        return render(request, "portal/officer/manage.html", _manage_context(request, collective, publication, form),
                      status=400)
    return render(request, "portal/officer/manage.html", _manage_context(request, collective, publication))


@login_required
@require_POST
def publish(request: HttpRequest, pk: int) -> HttpResponse:
    collective = _collective(request, pk)
    _require_edit(request, collective.commune)
    publication = selectors.publication_of(request.user, collective)
    try:
        if publication is None:
            raise ValidationError(_("Record the cooperative's consent (date and who agreed) before publishing it."))
        if request.POST.get("action") == "withdraw":
            services.publication_withdraw(actor=request.user, publication=publication,
                                          reason=request.POST.get("reason", "")[:300])
            messages.success(request, _("Withdrawn: the cooperative is no longer on the portal."))
        else:
            services.publication_publish(actor=request.user, publication=publication)
            messages.success(request, _("Published on the portal."))
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
    return redirect("portal:manage", pk=collective.pk)


@login_required
@require_POST
def product_listing(request: HttpRequest, pk: int, product_pk: int) -> HttpResponse:
    collective = _collective(request, pk)
    product = get_visible_or_404(Product.objects.select_related("collective__commune"), request.user, pk=product_pk,
                                 collective=collective)
    _require_edit(request, collective.commune)
    form = ProductListingForm(request.POST, prefix=f"p{product.pk}")
    if form.is_valid():
        try:
            services.product_listing_save(actor=request.user, product=product, **form.cleaned_data)
        except ValidationError as error:
            for text in error.messages:
                messages.error(request, text)
        else:
            messages.success(request, _("Saved."))
    else:
        for errors in form.errors.values():
            for text in errors:
                messages.error(request, f"{product.name}: {text}")
    return redirect("portal:manage", pk=collective.pk)


@login_required
@require_POST
def photo_upload(request: HttpRequest, pk: int) -> HttpResponse:
    collective = _collective(request, pk)
    _require_edit(request, collective.commune)
    publication = selectors.publication_of(request.user, collective)
    products = list(Product.objects.filter(collective=collective).order_by("name"))
    form = PhotoForm(request.POST, request.FILES, products=products)
    if publication is None:
        form.add_error(None, _("Record the cooperative's consent first, then add photos."))
    elif form.is_valid():
        upload = form.cleaned_data["image"]
        product = next((p for p in products if str(p.pk) == form.cleaned_data["product"]), None)
        try:
            # Too large a file is refused by photos.process before it is decoded; read
            # one byte past the limit so a huge upload is not read whole into memory.
            data = upload.read(settings.PORTAL_PHOTO_MAX_BYTES + 1)
            services.photo_add(actor=request.user, publication=publication, data=data,
                               alt_text=form.cleaned_data["alt_text"], product=product)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Photo added."))
            return redirect("portal:manage", pk=collective.pk)
    return render(request, "portal/officer/manage.html",
                  _manage_context(request, collective, publication, photo_form=form), status=400)


@login_required
@require_POST
def photo_remove(request: HttpRequest, pk: int, photo_pk: int) -> HttpResponse:
    collective = _collective(request, pk)
    photo = get_visible_or_404(Photo.objects.defer("image", "thumbnail").select_related(
        "publication__collective__commune"), request.user, pk=photo_pk, publication__collective=collective)
    _require_edit(request, collective.commune)
    services.photo_remove(actor=request.user, photo=photo)
    messages.success(request, _("Photo removed."))
    return redirect("portal:manage", pk=collective.pk)


@login_required
@require_http_methods(["GET"])
def photo_preview(request: HttpRequest, pk: int) -> HttpResponse:
    """A photo for the officers who see it (the public view serves published ones only)."""
    photo = get_visible_or_404(Photo.objects.only("thumbnail", "publication"), request.user, pk=pk)
    response = HttpResponse(bytes(photo.thumbnail), content_type="image/jpeg")
    response["Cache-Control"] = "private, max-age=3600"
    return response


# --- inquiries -----------------------------------------------------------------------


@login_required
@require_http_methods(["GET"])
def inquiries(request: HttpRequest) -> HttpResponse:
    state = request.GET.get("state", Inquiry.State.OPEN)
    page = Paginator(selectors.inquiries_for(request.user, state), 30).get_page(request.GET.get("page"))
    return render(request, "portal/officer/inquiries.html", {
        "page": page, "state": state, "states": Inquiry.State.choices, "query": query_without_page(request),
        "close_form": CloseForm(),
    })


@login_required
@require_POST
def inquiry_close(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_visible_or_404(Inquiry.objects.select_related("publication__collective__commune"), request.user,
                              pk=pk)
    _require_edit(request, item.publication.collective.commune)
    form = CloseForm(request.POST)
    if form.is_valid():
        services.inquiry_close(actor=request.user, inquiry=item, outcome=form.cleaned_data["outcome"])
        messages.success(request, _("Inquiry closed."))
    return redirect("portal:inquiries")


# --- posts ---------------------------------------------------------------------------


@login_required
@require_http_methods(["GET"])
def posts(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.posts_for(request.user), 30).get_page(request.GET.get("page"))
    unit = active_unit(request)
    return render(request, "portal/officer/posts.html", {
        "page": page, "query": query_without_page(request), "unit": unit,
        "can_write": unit is not None and permissions.can_edit_records(request.user, unit),
    })


@login_required
@require_http_methods(["GET", "POST"])
def post_create(request: HttpRequest) -> HttpResponse:
    unit = active_unit(request)
    if unit is None or not permissions.can_edit_records(request.user, unit):
        raise PermissionDenied
    form = PostForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            item = services.post_save(actor=request.user, unit=unit, **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Saved as a draft. Check the preview, then publish."))
            return redirect("portal:post_edit", pk=item.pk)
    return render(request, "portal/officer/post_form.html", {"form": form, "unit": unit},
                  status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def post_edit(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_visible_or_404(Post.objects.select_related("unit", "author", "reviewed_by"), request.user, pk=pk)
    can_edit = permissions.can_edit_records(request.user, item.unit)
    form = PostForm(request.POST or None, instance=item)
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.post_save(actor=request.user, post=item, **form.cleaned_data)
            except ValidationError as error:
                _add_errors(form, error)
            else:
                messages.success(request, _("Saved."))
                return redirect("portal:post_edit", pk=item.pk)
        item.refresh_from_db()
    return render(request, "portal/officer/post_form.html", {
        "form": form, "post": item, "unit": item.unit, "can_edit": can_edit,
        "can_review": permissions.can_approve(request.user, item.unit),
        "needs_review": services.needs_review(item.unit), "return_form": ReturnForm(),
    }, status=400 if form.errors else 200)


@login_required
@require_POST
def post_action(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_visible_or_404(Post.objects.select_related("unit"), request.user, pk=pk)
    action = request.POST.get("action")
    if not (permissions.can_edit_records(request.user, item.unit) or permissions.can_approve(request.user, item.unit)):
        raise PermissionDenied
    try:
        if action == "publish":
            item = services.post_publish(actor=request.user, post=item)
            messages.success(request, item.get_state_display())
        elif action == "return":
            form = ReturnForm(request.POST)
            services.post_return(actor=request.user, post=item,
                                 note=form.data.get("note", "")[:300])
            messages.success(request, _("Returned for changes."))
        elif action == "withdraw":
            services.post_withdraw(actor=request.user, post=item)
            messages.success(request, _("Withdrawn."))
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
    return redirect("portal:post_edit", pk=item.pk)
