from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from htxnu.geo import selectors as geo

from . import health, workers
from .units import active_unit


@require_GET
@never_cache
def healthz(request: HttpRequest) -> HttpResponse:
    failed = health.problem()
    if failed is not None:
        check, problem = failed
        return JsonResponse({"status": "error", check: problem}, status=503)
    # No worker does not make this process unhealthy (a load balancer must keep sending
    # users to it), so the answer stays 200 and says it for monitoring to alert on.
    return JsonResponse({"status": "ok", "database": "ok", "migrations": "ok", "units": "ok", **workers.state()})


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    unit = active_unit(request)
    context = {"unit": unit}
    if unit is not None:
        context["breadcrumb"] = geo.breadcrumb(unit)
        context["children"] = list(unit.children.visible_to(request.user).order_by("code")[:500])
        context["children_count"] = unit.children.visible_to(request.user).count()
        if not unit.is_current:
            context["successors"] = geo.current_successors(unit)
    return render(request, "core/home.html", context)


@login_required
@require_GET
def placeholder(request: HttpRequest, section: str) -> HttpResponse:
    return render(request, "core/placeholder.html", {"section": section})
