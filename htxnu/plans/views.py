import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from htxnu.accounts import permissions
from htxnu.core.idempotency import create_once, sent_twice
from htxnu.core.units import active_unit
from htxnu.geo import selectors as geo
from htxnu.geo.models import AdminUnit
from htxnu.geo.scoping import get_visible_or_404

from . import checks, selectors, services
from .forms import AdoptForm, PlanForm, formset_rows, part_formsets
from .governing import PHASE_TWO, governing, phase_two_problems
from .indicators import source_of
from .models import NATIONAL_PHASES, Indicator, Plan


def _require_edit(request, unit) -> None:
    if not permissions.can_edit_records(request.user, unit):
        raise PermissionDenied


def _is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


@login_required
@require_http_methods(["GET"])
def plan_list(request: HttpRequest) -> HttpResponse:
    unit = active_unit(request)
    if unit is None:
        return render(request, "plans/list.html", {"unit": None})
    page = Paginator(selectors.plans_of_unit_and_below(request.user, unit), 50).get_page(request.GET.get("page"))
    context = {
        "unit": unit,
        "page": page,
        "above": list(selectors.plans_above(request.user, unit)),
        "in_force": selectors.plans_in_force(unit),
        "can_create": permissions.can_edit_records(request.user, unit),
    }
    return render(request, "plans/list.html", context)


def _save_plan_form(request, *, unit, plan: Plan | None):
    """Shared by create and edit: the plan's form and the formsets of its parts."""
    data = request.POST if request.method == "POST" else None
    form = PlanForm(data, request.FILES or None, instance=plan, unit=unit)
    formsets = part_formsets(data, plan=plan)
    if request.method == "POST" and form.is_valid() and all(fs.is_valid() for _p, _t, fs in formsets):
        fields = {name: form.cleaned_data[name] for name in form._meta.fields}
        if not request.FILES.get("document"):
            fields.pop("document")  # keep the file already attached
        parts = {prefix: formset_rows(fs) for prefix, _t, fs in formsets}
        try:
            if plan is None:
                organisation = fields.pop("organisation")
                plan, first = create_once(
                    request, lambda: services.plan_create(actor=request.user, unit=unit, organisation=organisation,
                                                          **fields, **parts),
                    lambda p: reverse("plans:detail", args=[p.pk]))
                if first is not None:
                    return sent_twice(request, first), None
                messages.success(request, _("Plan created. Now enter its targets."))
                return redirect("plans:targets", pk=plan.pk), None
            services.plan_update(actor=request.user, plan=plan, **fields, **parts)
            messages.success(request, _("Changes saved."))
            return redirect("plans:detail", pk=plan.pk), None
        except services.DuplicatePlan as error:
            form.add_error(None, error)
            return None, {"form": form, "formsets": formsets, "plan": plan, "unit": unit,
                          "duplicate": selectors.plan_if_visible(request.user, error.existing.pk)}
        except ValidationError as error:
            form.add_error(None, error)
    return None, {"form": form, "formsets": formsets, "plan": plan, "unit": unit}


@login_required
@require_http_methods(["GET", "POST"])
def plan_create(request: HttpRequest) -> HttpResponse:
    unit = active_unit(request)
    if unit is None:
        raise PermissionDenied
    _require_edit(request, unit)
    response, context = _save_plan_form(request, unit=unit, plan=None)
    return response or render(request, "plans/form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def plan_edit(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_visible_or_404(Plan.objects.select_related("unit"), request.user, pk=pk)
    _require_edit(request, plan.unit)
    response, context = _save_plan_form(request, unit=plan.unit, plan=plan)
    return response or render(request, "plans/form.html", context)


@login_required
@require_http_methods(["POST"])
def plan_delete(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_visible_or_404(Plan.objects.select_related("unit"), request.user, pk=pk)
    _require_edit(request, plan.unit)
    services.plan_delete(actor=request.user, plan=plan)
    messages.success(request, _("Plan %(plan)s deleted.") % {"plan": plan})
    return redirect("plans:list")


def _progress_year(request, plan: Plan) -> int:
    years = selectors.plan_years(plan, list(plan.targets.all()))
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        year = datetime.date.today().year
    if years and year not in years:
        year = min(max(year, years[0]), years[-1])
    return year


@login_required
@require_http_methods(["GET"])
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = selectors.plan_for_view(request.user, pk)
    problems = checks.problems_for([plan])[plan.pk]
    columns, rows = selectors.target_grid(plan, problem_cells={p.cell for p in problems if p.cell})
    year = _progress_year(request, plan)
    links = selectors.basis_links(request.user, plan)
    for basis in plan.basis.all():
        basis.linked_plan = links.get(basis.pk)
    context = {
        "plan": plan,
        "problems": problems,
        "columns": columns,
        "rows": rows,
        "progress_year": year,
        "progress": selectors.plan_progress(plan, year),
        "years": selectors.plan_years(plan, list(plan.targets.all())),
        "can_edit": permissions.can_edit_records(request.user, plan.unit),
        "breadcrumb": geo.breadcrumb(plan.unit),
        "history": selectors.plan_history(plan),
    }
    return render(request, "plans/detail.html", context)


def _grid_context(request, plan: Plan) -> dict:
    cumulative_years = {int(y) for y in request.GET.getlist("cum") if y.isdigit()}
    subunit_codes = set(request.GET.getlist("sub"))
    problems = checks.problems_for([plan])[plan.pk]
    columns, rows = selectors.target_grid(plan, cumulative_years=cumulative_years, subunit_codes=subunit_codes,
                                          problem_cells={p.cell for p in problems if p.cell})
    return {
        "plan": plan, "columns": columns, "rows": rows, "problems": problems,
        "can_edit": permissions.can_edit_records(request.user, plan.unit),
        "indicators": Indicator.objects.active(),
        "extra_cum": sorted(cumulative_years), "extra_sub": sorted(subunit_codes - {""}),
    }


def _apply_cells(request, plan: Plan, names: list[str]) -> dict[str, str]:
    """Save the cells named, each through services.target_set; {name: error} for those
    that could not be read (the others are saved)."""
    indicators = {i.pk: i for i in Indicator.objects.all()}
    current = {selectors.cell_name(t.indicator_id, selectors.Column(t.year, t.cumulative), t.per_subunit): t.display
               for t in plan.targets.all()}
    errors = {}
    for name in names:
        parsed = selectors.parse_cell_name(name)
        if parsed is None or parsed[0] not in indicators:
            continue
        text = request.POST.get(name, "").strip()
        if text == current.get(name, ""):
            continue
        indicator_id, year, cumulative, per_subunit = parsed
        try:
            with transaction.atomic():
                services.target_set(actor=request.user, plan=plan, indicator=indicators[indicator_id], year=year,
                                    cumulative=cumulative, per_subunit=per_subunit, text=text)
        except ValidationError as error:
            errors[name] = " ".join(error.messages)
    return errors


@login_required
@require_http_methods(["GET", "POST"])
def plan_targets(request: HttpRequest, pk: int) -> HttpResponse:
    """The grid of a plan's targets. A change in one cell posts just that cell (htmx)
    and gets back the cell and the checks; without JavaScript the whole grid posts."""
    plan = selectors.plan_for_view(request.user, pk)
    if request.method == "POST":
        _require_edit(request, plan.unit)
        trigger = request.headers.get("HX-Trigger-Name", "")
        names = [trigger] if _is_htmx(request) and trigger else [n for n in request.POST if n.startswith("cell-")]
        errors = _apply_cells(request, plan, names)
        plan = selectors.plan_for_view(request.user, pk)
        if _is_htmx(request) and trigger:
            context = _grid_context(request, plan)
            found = next(((row, cell) for row in context["rows"] for cell in row.cells if cell.name == trigger), None)
            if found is None:
                raise Http404
            row, cell = found
            cell.error, cell.typed = errors.get(trigger), request.POST.get(trigger, "")
            return render(request, "plans/partials/cell_response.html", {**context, "row": row, "cell": cell})
        if errors:
            context = _grid_context(request, plan)
            for row in context["rows"]:
                for cell in row.cells:
                    if cell.name in errors:
                        cell.error, cell.typed = errors[cell.name], request.POST.get(cell.name, "")
            return render(request, "plans/targets.html", context, status=422)
        messages.success(request, _("Targets saved."))
        return redirect("plans:targets", pk=plan.pk)
    return render(request, "plans/targets.html", _grid_context(request, plan))


@login_required
@require_http_methods(["GET"])
def plan_document(request: HttpRequest, pk: int) -> HttpResponse:
    """The original document, served only to those who may see the plan."""
    plan = get_visible_or_404(Plan, request.user, pk=pk)
    if not plan.document:
        raise Http404
    try:
        handle = plan.document.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(handle, as_attachment=True, filename=plan.document.name.rsplit("/", 1)[-1])


@login_required
@require_http_methods(["GET"])
def problems(request: HttpRequest) -> HttpResponse:
    unit = active_unit(request)
    context = {"unit": unit, "groups": [], "in_force": []}
    if unit is not None:
        plans = list(selectors.plans_of_unit_and_below(request.user, unit)[:500])
        found = checks.problems_for(plans)
        context["groups"] = [(plan, found[plan.pk]) for plan in plans if found[plan.pk]]
        context["in_force"] = selectors.plans_in_force(unit)
        today = datetime.date.today()
        context["phase_two"] = phase_two_problems(selectors.units_of_today(request.user, unit),
                                                  max(today, PHASE_TWO[0]))
        context["can_adopt"] = permissions.can_edit_records(request.user, unit)
    return render(request, "plans/problems.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def plan_adopt(request: HttpRequest, unit_id: int) -> HttpResponse:
    """"Áp dụng kế hoạch": the unit adopts the plans it is governed by as its own."""
    unit = get_visible_or_404(AdminUnit.objects.all(), request.user, pk=unit_id)
    _require_edit(request, unit)
    data = request.POST if request.method == "POST" else None
    try:
        start_year = int((data or request.GET).get("start_year") or NATIONAL_PHASES[1][0])
    except ValueError:
        start_year = NATIONAL_PHASES[1][0]
    governed = governing(unit, datetime.date(min(max(start_year, 2026), 2030), 1, 1))
    form = AdoptForm(data, sources=governed.sources, initial={"start_year": start_year})
    if data is not None and form.is_valid():
        chosen = [s.plan for s in governed.sources if str(s.plan.pk) in form.cleaned_data["plans"]]
        try:
            plan = services.plan_adopt(actor=request.user, unit=unit, plans=chosen,
                                       start_year=form.cleaned_data["start_year"],
                                       number=form.cleaned_data["number"], issued_on=form.cleaned_data["issued_on"],
                                       issuer=form.cleaned_data["issuer"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("%(unit)s now has its own plan: its targets are no longer provisional.")
                             % {"unit": unit})
            return redirect("plans:detail", pk=plan.pk)
    return render(request, "plans/adopt.html", {"unit": unit, "governed": governed, "form": form},
                  status=422 if form.errors else 200)


@login_required
@require_http_methods(["GET"])
def indicator_list(request: HttpRequest) -> HttpResponse:
    indicators = list(Indicator.objects.all())
    for indicator in indicators:
        indicator.effective_source = source_of(indicator)
    return render(request, "plans/indicators.html", {"indicators": indicators})
