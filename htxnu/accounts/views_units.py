"""The page of an administrative unit (with the organisations at it) and the unit picker.

They live here, not in geo, because they show accounts' organisations and set the
user's active unit: geo stays below core and accounts (docs/architecture.md, "Layers").
"""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from htxnu.core.units import set_active_unit
from htxnu.geo import selectors
from htxnu.geo.models import AdminUnit
from htxnu.geo.scoping import get_visible_or_404

from .models import Organisation

PICKER_LIMIT = 20


@login_required
@require_GET
def unit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    unit = get_visible_or_404(AdminUnit, request.user, pk=pk)
    children = unit.children.visible_to(request.user).order_by("code")
    context = {
        "unit": unit,
        "breadcrumb": selectors.breadcrumb(unit),
        "children": children[:500],
        "children_count": children.count(),
        "predecessors": unit.predecessor_links.select_related("predecessor").order_by("predecessor__code"),
        "successors": selectors.current_successors(unit) if not unit.is_current else [],
        "organisations": Organisation.objects.filter(unit=unit).order_by("kind", "name"),
    }
    return render(request, "geo/unit_detail.html", context)


@login_required
@require_GET
def unit_picker(request: HttpRequest) -> HttpResponse:
    """HTMX: the units in the user's scope whose name or code matches ?q=, today's first."""
    q = request.GET.get("q", "").strip()
    units = []
    if q:
        units = list(
            AdminUnit.objects.visible_to(request.user)
            .search(q)
            .select_related("parent")
            .order_by("valid_from", "level", "name")[:PICKER_LIMIT]
        )
        units.sort(key=lambda u: (not u.is_current, ["country", "province", "district", "commune"].index(u.level)))
    template = "geo/partials/picker_results.html" if request.headers.get("HX-Request") else "geo/picker.html"
    return render(request, template, {"units": units, "q": q})


@login_required
@require_POST
def unit_pick(request: HttpRequest) -> HttpResponse:
    unit = get_visible_or_404(AdminUnit, request.user, pk=request.POST.get("unit"))
    set_active_unit(request, unit)
    next_url = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = "/"
    return redirect(next_url)
