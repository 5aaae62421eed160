"""The plan-import screens: upload a plan (or paste its text), review each extracted
item beside the sentence it came from, confirm and save it as a plan."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from htxnu.accounts import permissions
from htxnu.core import workers
from htxnu.core.idempotency import create_once, sent_twice
from htxnu.core.units import active_unit
from htxnu.geo.models import AdminUnit
from htxnu.geo.scoping import get_visible_or_404

from . import imports, selectors, services
from .extraction import ExtractionError
from .models import PlanImport

MAX_UPLOAD = 15 * 1024 * 1024
ACCEPTED = (".docx", ".doc", ".pdf", ".txt")


class UploadForm(forms.Form):
    document = forms.FileField(
        label=gettext_lazy("Plan document (.docx, .doc, .pdf, .txt)"), required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(ACCEPTED)}),
    )
    text = forms.CharField(label=gettext_lazy("…or paste the plan's text"), required=False,
                           widget=forms.Textarea(attrs={"rows": 6}))

    def clean(self):
        data = super().clean()
        document, text = data.get("document"), (data.get("text") or "").strip()
        if not document and not text:
            raise forms.ValidationError(_("Choose a file or paste the text of the plan."))
        if document and document.size > MAX_UPLOAD:
            raise forms.ValidationError(_("The file is larger than 15 MB."))
        if document and not document.name.lower().endswith(ACCEPTED):
            raise forms.ValidationError(
                _("“%(name)s” is not a plan document: upload a %(formats)s file.")
                % {"name": document.name, "formats": ", ".join(ACCEPTED)})
        return data


def _units_for(request, plan_import: PlanImport):
    """Where the plan may be attached: the detected unit, the working unit, the units
    directly below it and the units it replaced — among those in the user's scope. The
    caller has checked that the user may edit records (a right of the role, within the
    scope), so every unit listed may take the plan; the service checks it again."""
    unit = active_unit(request)
    return list(AdminUnit.objects.visible_to(request.user).filter(
        Q(pk=plan_import.unit_id) | Q(pk=unit.pk) | Q(parent=unit) | Q(successor_links__successor=unit)
    ).distinct().order_by("level", "valid_from", "name"))


@login_required
@require_http_methods(["GET", "POST"])
def import_upload(request: HttpRequest) -> HttpResponse:
    unit = active_unit(request)
    if unit is None or not permissions.can_edit_records(request.user, unit):
        raise PermissionDenied
    form = UploadForm(request.POST if request.method == "POST" else None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        document, text = form.cleaned_data.get("document"), (form.cleaned_data.get("text") or "").strip()
        try:
            if document:
                plan_import = services.plan_import_start(actor=request.user, unit=unit, filename=document.name,
                                                         content=document.read())
            else:
                plan_import = services.plan_import_start(actor=request.user, unit=unit, filename="van-ban.txt",
                                                         text=text)
        except ExtractionError as error:
            form.add_error(None, str(error))
        else:
            return redirect("plans:import_review", pk=plan_import.pk)
    recent = list(PlanImport.objects.visible_to(request.user).filter(created_by=request.user)
                  .defer("text", "extracted")[:10])
    context = {"form": form, "unit": unit, "recent": recent,
               "reading": any(i.status == PlanImport.Status.READING for i in recent)}
    if request.headers.get("HX-Request") == "true" and request.method == "GET":
        return render(request, "plans/partials/import_recent.html", context)
    return render(request, "plans/import_upload.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def import_review(request: HttpRequest, pk: int) -> HttpResponse:
    plan_import = get_visible_or_404(PlanImport.objects.select_related("unit", "plan"), request.user, pk=pk)
    if not permissions.can_edit_records(request.user, plan_import.unit):
        raise PermissionDenied
    if plan_import.status == PlanImport.Status.SAVED and plan_import.plan_id:
        if request.method == "POST":  # the confirmation sent again: the plan was saved once
            return sent_twice(request, reverse("plans:detail", args=[plan_import.plan_id]))
        return redirect("plans:detail", pk=plan_import.plan_id)
    htmx = request.headers.get("HX-Request") == "true"
    if plan_import.status in (PlanImport.Status.READING, PlanImport.Status.FAILED):
        template = "plans/partials/import_progress.html" if htmx else "plans/import_progress.html"
        no_worker = (plan_import.status == PlanImport.Status.READING
                     and workers.waiting_without_worker(plan_import.created_at))
        return render(request, template, {"plan_import": plan_import, "no_worker": no_worker})
    if htmx:
        # The reading has finished while the progress was shown: load the review.
        return HttpResponse(headers={"HX-Refresh": "true"})
    units = _units_for(request, plan_import)
    errors: list[str] = []
    duplicate = None
    if request.method == "POST":
        unit = next((u for u in units if str(u.pk) == request.POST.get("unit")), None)
        data, errors = imports.data_from_post(request.POST, plan_import.extracted)
        if unit is None:
            errors.append(_("Choose the unit the plan belongs to."))
        if not errors:
            try:
                plan, first = create_once(
                    request, lambda: services.plan_import_confirm(actor=request.user, plan_import=plan_import,
                                                                  data=data, unit=unit),
                    lambda p: reverse("plans:detail", args=[p.pk]))
            except services.DuplicatePlan as error:
                errors, duplicate = error.messages, selectors.plan_if_visible(request.user, error.existing.pk)
            except ValidationError as error:
                errors = error.messages
            else:
                if first is not None:
                    return sent_twice(request, first)
                messages.success(request, _("Plan %(number)s saved with %(n)s targets.")
                                 % {"number": plan, "n": plan.targets.count()})
                return redirect("plans:detail", pk=plan.pk)
    shown = imports.review(plan_import.extracted, plan_import.page_starts if plan_import.ocr else None)
    if request.method == "POST":
        shown = imports.apply_post(shown, request.POST)
    return render(request, "plans/import_review.html", {
        "plan_import": plan_import, "review": shown, "units": units,
        "chosen_unit": request.POST.get("unit") or str(plan_import.unit_id), "errors": errors,
        "duplicate": duplicate,
        "indicators": imports.indicator_choices(), "ops": imports.OPS, "periods": imports.period_labels(),
    })


@login_required
@require_http_methods(["GET"])
def import_page(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    """The image of one page of a scan read by OCR, shown beside the sentences read from it."""
    plan_import = get_visible_or_404(PlanImport.objects.select_related("unit").defer("text", "extracted"),
                                     request.user, pk=pk)
    if not permissions.can_edit_records(request.user, plan_import.unit):
        raise PermissionDenied
    if not plan_import.ocr or not 1 <= number <= len(plan_import.page_starts):
        raise Http404
    storage = plan_import.document.storage
    name = plan_import.page_image_name(number)
    if not storage.exists(name):
        raise Http404
    response = FileResponse(storage.open(name, "rb"), content_type="image/jpeg")
    response["Cache-Control"] = "private, max-age=3600"
    return response


@login_required
@require_http_methods(["POST"])
def import_discard(request: HttpRequest, pk: int) -> HttpResponse:
    plan_import = get_visible_or_404(PlanImport.objects.select_related("unit"), request.user, pk=pk)
    if not permissions.can_edit_records(request.user, plan_import.unit):
        raise PermissionDenied
    try:
        services.plan_import_discard(actor=request.user, plan_import=plan_import)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("plans:import_review", pk=plan_import.pk)
    messages.success(request, _("Import discarded; nothing was saved."))
    return redirect("plans:import")
