"""Screens of the registry: the list, a record's page, its forms, the HTMX sections of
the record's page (managers, workforce, products, events), export and import."""

import copy
import datetime
import urllib.parse

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import FileResponse, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from htxnu.accounts import permissions
from htxnu.core import workers
from htxnu.core.idempotency import create_once, sent_twice
from htxnu.core.units import active_unit
from htxnu.geo.models import AdminUnit, Level
from htxnu.geo.scoping import get_visible_or_404

from . import exporter, forms, importer, selectors, services
from .models import Collective, CollectiveType, ImportJob, Manager, Product, WorkforceSnapshot
from .permissions import can_see_ethnicity


def _is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


def _require_edit(request, unit) -> None:
    if not permissions.can_edit_records(request.user, unit):
        raise PermissionDenied


def _add_errors(form, error: ValidationError) -> None:
    """A service's ValidationError onto the form: on its field where the form has one."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


# --- list and export ----------------------------------------------------------------


def _list_unit(request) -> AdminUnit | None:
    unit = active_unit(request)
    wanted = request.GET.get("unit", "")
    if wanted.isdigit() and (unit is None or int(wanted) != unit.pk):
        return AdminUnit.objects.visible_to(request.user).filter(pk=int(wanted)).first() or unit
    return unit


def _filters(request) -> tuple[forms.FilterForm, selectors.Filters, AdminUnit | None]:
    unit = _list_unit(request)
    form = forms.FilterForm(request.GET or None)
    return form, form.filters(unit), unit


@login_required
@require_http_methods(["GET"])
def collective_list(request: HttpRequest) -> HttpResponse:
    form, filters, unit = _filters(request)
    active = active_unit(request)
    choices = []
    if active is not None:
        choices = [(active.pk, active.name)]
        if active.level != Level.COMMUNE:
            children = AdminUnit.objects.filter(parent=active, valid_to__isnull=True).order_by("name")
            choices += [(u.pk, f"— {u.name}") for u in children.only("id", "name")]
        if unit is not None and unit.pk not in {pk for pk, _label in choices}:
            choices.append((unit.pk, unit.name))
    form.fields["unit"].widget.choices = choices
    if unit is not None and not form.data.get("unit"):
        form.initial["unit"] = unit.pk
    qs = selectors.collectives(request.user, filters)
    page = selectors.page(qs, after=request.GET.get("after"), before=request.GET.get("before"))
    threshold = selectors.threshold_for(filters)
    params = filters.as_query()
    # Encoded here: `{{ dict|urlencode }}` quotes the dict's repr, and the exports then ignored the filters.
    query = urllib.parse.urlencode(params)
    return render(request, "registry/list.html", {
        "form": form, "page": page, "unit": unit, "threshold": threshold, "query": query,
        "record_params": {k: v for k, v in params.items() if k in forms.RECORD_DATES + forms.RECORD_FLAGS},
        "at": filters.at,
        "can_edit": active is not None and permissions.can_edit_records(request.user, active),
    })


def _export_name(unit, extension: str) -> str:
    code = unit.code if unit else "all"
    return f"htx-tht-{code}-{datetime.date.today():%Y%m%d}.{extension}"


@login_required
@require_http_methods(["GET"])
def export_csv(request: HttpRequest) -> HttpResponse:
    _form, filters, unit = _filters(request)
    qs = selectors.collectives(request.user, filters)
    response = StreamingHttpResponse(exporter.csv_chunks(qs), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_export_name(unit, "csv")}"'
    return response


@login_required
@require_http_methods(["GET"])
def export_xlsx(request: HttpRequest) -> HttpResponse:
    _form, filters, unit = _filters(request)
    qs = selectors.collectives(request.user, filters)
    return FileResponse(exporter.xlsx_file(qs), as_attachment=True, filename=_export_name(unit, "xlsx"),
                        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


# --- one record ---------------------------------------------------------------------


def _get(request, pk) -> Collective:
    return get_visible_or_404(selectors.collective_detail_queryset(), request.user, pk=pk)


def _context(request, collective: Collective, **extra) -> dict:
    return {
        "c": collective, "d": selectors.detail(collective),
        "can_edit": permissions.can_edit_records(request.user, collective.commune),
        "show_ethnicity": can_see_ethnicity(request.user, collective.commune), **extra,
    }


@login_required
@require_http_methods(["GET"])
def collective_detail(request: HttpRequest, pk: int) -> HttpResponse:
    collective = _get(request, pk)
    context = _context(request, collective)
    context["history"] = selectors.record_history(collective, context["d"])
    return render(request, "registry/detail.html", context)


def _collective_form(request, instance=None):
    """Communes offered: those of the active unit for a new record; for an existing one,
    those of its province when the user may edit there, else its own commune."""
    if instance is None:
        base = active_unit(request)
    else:
        province = instance.commune.parent
        base = province if province and permissions.can_edit_records(request.user, province) else instance.commune
    organisations_unit = base.parent if base.level == Level.COMMUNE and base.parent_id else base
    # The Union bodies of the officer's own scope (a commune officer: her commune's, not the
    # province's hundred), and the one the record already names.
    organisations = forms.union_organisations_of(organisations_unit).filter(
        Q(unit__in=AdminUnit.objects.visible_to(request.user))
        | Q(pk=instance.following_organisation_id if instance else None))
    data = request.POST if request.method == "POST" else None
    return forms.CollectiveForm(
        data, instance=instance, communes=forms.communes_of(base), old_communes=forms.old_communes_of(base),
        organisations=organisations,
    )


def _collective_fields(form) -> dict:
    return {name: form.cleaned_data[name] for name in form.Meta.fields}


@login_required
@require_http_methods(["GET", "POST"])
def collective_create(request: HttpRequest) -> HttpResponse:
    unit = active_unit(request)
    if unit is None:
        raise PermissionDenied
    _require_edit(request, unit)
    if unit.level == Level.COUNTRY:
        messages.warning(request, _("Pick a province or a commune first (home page), then add the record there."))
        return redirect("registry:list")
    form = _collective_form(request)
    if request.method == "POST" and form.is_valid():
        try:
            collective, first = create_once(
                request, lambda: services.collective_create(actor=request.user, **_collective_fields(form)),
                lambda c: reverse("registry:detail", args=[c.pk]))
        except ValidationError as error:
            _add_errors(form, error)
        else:
            if first is not None:
                return sent_twice(request, first)
            messages.success(request, _("%(name)s was added.") % {"name": collective.name})
            return redirect("registry:detail", pk=collective.pk)
    return render(request, "registry/collective_form.html", {"form": form, "unit": unit})


@login_required
@require_http_methods(["GET", "POST"])
def collective_edit(request: HttpRequest, pk: int) -> HttpResponse:
    collective = _get(request, pk)
    _require_edit(request, collective.commune)
    form = _collective_form(request, instance=copy.copy(collective))
    if request.method == "POST" and form.is_valid():
        try:
            services.collective_update(actor=request.user, collective=collective, **_collective_fields(form))
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("registry:detail", pk=collective.pk)
    return render(request, "registry/collective_form.html", {"form": form, "c": collective})


@login_required
@require_http_methods(["GET", "POST"])
def collective_convert(request: HttpRequest, pk: int) -> HttpResponse:
    group = _get(request, pk)
    _require_edit(request, group.commune)
    if group.type != CollectiveType.THT:
        # (An error added to an unbound form raised AttributeError: a 500 on GET.)
        messages.error(request, _("Only a cooperative group (THT) can be converted into a cooperative."))
        return redirect("registry:detail", pk=group.pk)
    form = forms.ConvertForm(request.POST or None, initial={"name": group.name.replace("Tổ hợp tác", "Hợp tác xã", 1)})
    if request.method == "POST" and form.is_valid():
        try:
            coop = services.group_convert(actor=request.user, group=group, **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("%(group)s is now the cooperative %(coop)s.")
                             % {"group": group.name, "coop": coop.name})
            return redirect("registry:detail", pk=coop.pk)
    return render(request, "registry/convert.html", {"form": form, "c": group})


# --- sections of a record's page (HTMX) ---------------------------------------------


def _section(request, collective, section: str, *, form=None, action: str = "", title: str = "", creates=False,
             status=200):
    context = _context(request, collective, form=form, action=action, form_title=title, section=section,
                       creates=creates)
    if _is_htmx(request):
        return render(request, f"registry/partials/{section}.html", {**context, "oob": True}, status=status)
    if form is None:
        return redirect(reverse("registry:detail", args=[collective.pk]) + f"#{section}")
    return render(request, "registry/section_form.html", context, status=status)


def _inline(request, collective, section: str, form, save, *, title: str, creates: bool = False) -> HttpResponse:
    """GET shows the form in its section; a valid POST saves through the service and shows
    the section again; an invalid one shows the form with its errors, nothing saved.
    A form that `creates` carries a one-time token: sent twice, it creates once
    (core.idempotency), and the second sending shows the section with the first record."""
    if request.method == "POST" and form.is_valid():
        try:
            if creates:
                url = reverse("registry:detail", args=[collective.pk]) + f"#{section}"
                _record, first = create_once(request, lambda: save(form.cleaned_data), lambda _r: url)
            else:
                save(form.cleaned_data)
                first = None
        except ValidationError as error:
            _add_errors(form, error)
        else:
            if not _is_htmx(request):
                if first is not None:
                    return sent_twice(request, first)
                messages.success(request, _("Saved."))
            return _section(request, collective, section)
    return _section(request, collective, section, form=form, action=request.path, title=title, creates=creates,
                    status=422 if request.method == "POST" and _is_htmx(request) else 200)


def _editable(request, pk) -> Collective:
    collective = _get(request, pk)
    _require_edit(request, collective.commune)
    return collective


@login_required
@require_http_methods(["GET", "POST"])
def manager_add(request: HttpRequest, pk: int) -> HttpResponse:
    collective = _editable(request, pk)
    form = forms.ManagerForm(request.POST or None, show_ethnicity=can_see_ethnicity(request.user, collective.commune))
    return _inline(request, collective, "managers", form,
                   lambda data: services.manager_add(actor=request.user, collective=collective, **data),
                   title=_("Add a manager"), creates=True)


@login_required
@require_http_methods(["GET", "POST"])
def manager_edit(request: HttpRequest, pk: int, manager_pk: int) -> HttpResponse:
    collective = _editable(request, pk)
    manager = get_visible_or_404(Manager.objects.filter(collective=collective), request.user, pk=manager_pk)
    form = forms.ManagerForm(request.POST or None, instance=copy.copy(manager),
                             show_ethnicity=can_see_ethnicity(request.user, collective.commune))
    return _inline(request, collective, "managers", form,
                   lambda data: services.manager_update(actor=request.user, manager=manager, **data),
                   title=_("Change %(name)s") % {"name": manager.full_name})


@login_required
@require_http_methods(["POST"])
def manager_remove(request: HttpRequest, pk: int, manager_pk: int) -> HttpResponse:
    collective = _editable(request, pk)
    manager = get_visible_or_404(Manager.objects.filter(collective=collective), request.user, pk=manager_pk)
    services.manager_remove(actor=request.user, manager=manager)
    return _section(request, collective, "managers")


@login_required
@require_http_methods(["GET", "POST"])
def workforce_add(request: HttpRequest, pk: int) -> HttpResponse:
    collective = _editable(request, pk)
    form = forms.WorkforceForm(request.POST or None)

    def save(data):
        return services.workforce_record(actor=request.user, collective=collective, **data)

    return _inline(request, collective, "workforce", form, save, title=_("Record workforce figures"), creates=True)


@login_required
@require_http_methods(["POST"])
def workforce_remove(request: HttpRequest, pk: int, snapshot_pk: int) -> HttpResponse:
    collective = _editable(request, pk)
    snapshot = get_visible_or_404(WorkforceSnapshot.objects.filter(collective=collective), request.user,
                                  pk=snapshot_pk)
    snapshot.collective = collective
    services.workforce_remove(actor=request.user, snapshot=snapshot)
    return _section(request, collective, "workforce")


@login_required
@require_http_methods(["GET", "POST"])
def product_add(request: HttpRequest, pk: int) -> HttpResponse:
    collective = _editable(request, pk)
    form = forms.ProductForm(request.POST or None)
    return _inline(request, collective, "products", form,
                   lambda data: services.product_save(actor=request.user, collective=collective, **data),
                   title=_("Add a product"), creates=True)


@login_required
@require_http_methods(["GET", "POST"])
def product_edit(request: HttpRequest, pk: int, product_pk: int) -> HttpResponse:
    collective = _editable(request, pk)
    product = get_visible_or_404(Product.objects.filter(collective=collective), request.user, pk=product_pk)
    form = forms.ProductForm(request.POST or None, instance=copy.copy(product))
    return _inline(request, collective, "products", form,
                   lambda data: services.product_save(actor=request.user, collective=collective, product=product,
                                                      **data),
                   title=_("Change %(name)s") % {"name": product.name})


@login_required
@require_http_methods(["POST"])
def product_remove(request: HttpRequest, pk: int, product_pk: int) -> HttpResponse:
    collective = _editable(request, pk)
    product = get_visible_or_404(Product.objects.filter(collective=collective), request.user, pk=product_pk)
    product.collective = collective
    services.product_remove(actor=request.user, product=product)
    return _section(request, collective, "products")


@login_required
@require_http_methods(["GET", "POST"])
def event_add(request: HttpRequest, pk: int) -> HttpResponse:
    collective = _editable(request, pk)
    form = forms.EventForm(request.POST or None)
    return _inline(request, collective, "events", form,
                   lambda data: services.event_record(actor=request.user, collective=collective, **data),
                   title=_("Record an event"), creates=True)


# --- import -------------------------------------------------------------------------


@login_required
@require_http_methods(["GET"])
def import_template(request: HttpRequest) -> HttpResponse:
    unit = active_unit(request)
    if unit is None:
        raise PermissionDenied
    data = importer.template_for(unit)
    response = HttpResponse(data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="mau-nhap-htx-tht-{unit.code}.xlsx"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def import_start(request: HttpRequest) -> HttpResponse:
    unit = active_unit(request)
    if unit is None:
        raise PermissionDenied
    can_edit = permissions.can_edit_records(request.user, unit)
    form = forms.ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        _require_edit(request, unit)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            job = services.import_job_create(actor=request.user, unit=unit, file_name=upload.name,
                                             data=upload.read())
            return redirect("registry:import_job", pk=job.pk)
    jobs = ImportJob.objects.filter(created_by=request.user).select_related("unit").defer("source")[:10]
    return render(request, "registry/import.html", {"form": form, "unit": unit, "can_edit": can_edit, "jobs": jobs})


def _job(request, pk, *files: str) -> ImportJob:
    # An upload holds personal data: only the officer who made it sees it. The files
    # (up to megabytes) are read only where they are needed, not with every poll.
    jobs = ImportJob.objects.filter(created_by=request.user).select_related("unit")
    return get_visible_or_404(jobs.defer(*({"source", "error_file"} - set(files))), request.user, pk=pk)


@login_required
@require_http_methods(["GET"])
def import_job(request: HttpRequest, pk: int) -> HttpResponse:
    job = _job(request, pk)
    services.import_job_fail_if_stale(job)  # its worker died: say so instead of "running" for ever
    # No worker runs: say so instead of "waiting for its turn" for ever.
    no_worker = job.state == ImportJob.State.QUEUED and workers.waiting_without_worker(job.created_at)
    template = "registry/partials/import_status.html" if _is_htmx(request) else "registry/import_job.html"
    return render(request, template, {"job": job, "errors": job.errors[:500], "no_worker": no_worker})


@login_required
@require_http_methods(["GET"])
def import_job_errors(request: HttpRequest, pk: int) -> HttpResponse:
    job = _job(request, pk, "error_file")
    if not job.errors:
        return redirect("registry:import_job", pk=job.pk)
    if job.error_file is None:
        # The upload was not a readable workbook at all: nothing to mark (the task,
        # which builds the marked copy, found none).
        messages.error(request, _("The uploaded file could not be opened as a workbook."))
        return redirect("registry:import_job", pk=job.pk)
    data = bytes(job.error_file)
    stem = job.file_name.rsplit(".", 1)[0]
    response = HttpResponse(data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="{stem}-loi.xlsx"'
    return response

