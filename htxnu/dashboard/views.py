"""Pages under /dashboard/: a unit's progress against its targets, the drill-down of an
indicator to the units below and their cooperatives, trends with projections, early
warnings, the map and the emulation ranking.

Every page reads the same choices from the address, so a view can be bookmarked or
sent: `unit` (the active unit unless another one in scope is given; 404 outside
scope), `round` (the report period), `mode` ("approved": approved figures only; else
including drafts), `geography` ("today" or "old", for rounds with phase-1 data) and
`format=xlsx` for the table as a workbook. Only saving the ranking weights writes.
"""


from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from htxnu.core.exports import PERCENT, Formatted, file_name, xlsx_response
from htxnu.core.templatetags.htx import number_text
from htxnu.core.units import active_unit
from htxnu.geo.models import AdminUnit
from htxnu.geo.scoping import covers, get_visible_or_404
from htxnu.plans.indicators import RECORDS

from . import charts, permissions, progress, selectors, services
from .templatetags.dashboard import status_label, tenth

# --- the choices of a page -----------------------------------------------------------


def _unit(request) -> AdminUnit:
    wanted = request.GET.get("unit")
    if wanted:
        return get_visible_or_404(AdminUnit.objects.select_related("parent"), request.user, pk=wanted)
    unit = active_unit(request)
    if unit is None:
        raise Http404
    return unit


def _view(request) -> tuple[selectors.View, list]:
    unit = _unit(request)
    today = timezone.localdate()
    rounds = selectors.rounds_offered(today)
    chosen = selectors.default_round(rounds)
    wanted = request.GET.get("round")
    if wanted:
        chosen = next((r for r in rounds if str(r.pk) == wanted), None)
        if chosen is None:
            raise Http404
    if chosen is None:
        raise Http404
    view = selectors.make_view(unit, chosen, approved=request.GET.get("mode") == "approved",
                               geography=request.GET.get("geography"), today=today)
    return view, rounds


def _wants_xlsx(request) -> bool:
    return request.GET.get("format") == "xlsx"


def _context(request, view: selectors.View, rounds, **extra) -> dict:
    can_up = None
    parent = view.unit.parent
    if parent is not None and parent.pk != view.unit.pk:
        can_up = parent if covers(request.user, parent) else None
    return {"view": view, "rounds": rounds, "unit": view.unit, "up": can_up, **extra}


def _basis_text(view: selectors.View, figures) -> str:
    """Which figures are shown, said in words."""
    if not view.approved:
        return _("Figures including drafts: the records and every report as they stand now "
                 "(computed %(when)s).") % {"when": date_format(timezone.localtime(figures.computed_at),
                                                                 "SHORT_DATETIME_FORMAT")}
    approved_at = (date_format(timezone.localtime(figures.approved_at), "SHORT_DATE_FORMAT")
                   if figures.approved_at else "—")
    if figures.basis == "report":
        return _("Approved figures only: this unit's approved report (approved on %(date)s).") % {"date": approved_at}
    if figures.basis == "below":
        return _("Approved figures only: this unit has no approved report; the %(n)s approved reports of the units "
                 "below are added up (latest approved on %(date)s).") % {"n": figures.reports, "date": approved_at}
    return _("Approved figures only: nothing has been approved for this period yet.")


# --- the dashboard -------------------------------------------------------------------


@login_required
@require_http_methods(["GET"])
def index(request: HttpRequest) -> HttpResponse:
    view, rounds = _view(request)
    data = selectors.dashboard(view)
    cells = list(data.cells.values())
    if _wants_xlsx(request):
        return _index_xlsx(view, data)
    counts = {s: sum(1 for c in cells if c.status == s) for s in
              (progress.ON_TRACK, progress.AT_RISK, progress.BEHIND)}
    return render(request, "dashboard/index.html", _context(
        request, view, rounds, data=data, cells=cells, counts=counts, basis=_basis_text(view, data.figures),
        changed_at=view.versions.changed_at(view.unit)))


def _cell_columns(cell) -> list:
    target = cell.target
    return [
        cell.value, _source(cell), target.display if target else "", target.when if target else "",
        cell.measure, _("from the records, cumulative") if cell.cumulative else (_("this period") if target else ""),
        tenth(cell.expected), _achieved(cell.share), status_label(cell.status),
    ]


def _achieved(share) -> Formatted | None:
    """The share of the target achieved, as Excel keeps a percentage: a fraction (0,385)
    shown as 38,5%."""
    return None if share is None else Formatted(share / 100, PERCENT)


def _source(cell) -> str:
    figure = cell.figure
    if figure is None:
        return ""
    return _("records") if figure.source == RECORDS else _("reports")


def _cell_headers() -> list[str]:
    return [_("Figure of the period"), _("Source"), _("Target"), _("Target period"), _("Compared with the target"),
            _("Measured"), _("Expected by the data date"), _("Achieved (%)"), _("Status")]


def _index_xlsx(view, data) -> HttpResponse:
    headers = [_("Indicator"), _("Unit of measure"), *_cell_headers(), _("Projected"), _("Projected by"),
               _("Likely to be reached")]
    rows = []
    for cell in data.cells.values():
        rows.append([cell.indicator.label, cell.indicator.unit_label, *_cell_columns(cell), cell.projected,
                     cell.horizon, _yes_no(cell.reachable)])
    return xlsx_response(file_name("tong quan", view.unit.short_name, view.round.year),
                         [(_("Dashboard"), headers, rows)])


def _yes_no(value) -> str:
    if value is None:
        return ""
    return _("yes") if value else _("no")


# --- drill-down ----------------------------------------------------------------------


def _indicator(view: selectors.View, code: str):
    found = next((i for i in view.indicators if i.code == code), None)
    if found is None:
        raise Http404
    return found


@login_required
@require_http_methods(["GET"])
def indicator(request: HttpRequest, code: str) -> HttpResponse:
    view, rounds = _view(request)
    chosen = _indicator(view, code)
    sort = request.GET.get("sort") if request.GET.get("sort") in selectors.SORTS else "value"
    descending = request.GET.get("order", "desc" if sort not in ("name", "code") else "asc") == "desc"
    own, rows = selectors.drilldown(view, chosen, sort, descending)
    if _wants_xlsx(request):
        headers = [_("Unit"), _("Code"), *_cell_headers()]
        table = [[r.unit.name, r.unit.code, *_cell_columns(r.cell)] for r in rows]
        table.append([view.unit.name, view.unit.code, *_cell_columns(own.cells[chosen.code])])
        return xlsx_response(file_name("chi tieu", chosen.code, view.unit.short_name, view.round.year),
                             [(chosen.label[:31], headers, table)])
    chart = charts.bar_chart(
        [{"label": r.unit.name, "value": r.cell.measure if r.cell.cumulative else r.cell.value,
          "target": r.cell.target.value if r.cell.target else None, "status": r.cell.status} for r in rows],
        label=f"{chosen.label} — {view.unit.name}", percent=chosen.is_percent)
    columns = [("name", _("Unit")), ("code", _("Code")), ("value", _("This period")), ("target", _("Target")),
               ("measure", _("Compared with the target")), ("share", _("Achieved")), ("status", _("Status"))]
    return render(request, "dashboard/indicator.html", _context(
        request, view, rounds, indicator=chosen, own=own, cell=own.cells[chosen.code], rows=rows, chart=chart,
        sort=sort, descending=descending, columns=columns, basis=_basis_text(view, own.figures)))


# --- trends --------------------------------------------------------------------------


@login_required
@require_http_methods(["GET"])
def trends(request: HttpRequest) -> HttpResponse:
    view, rounds = _view(request)
    found = selectors.trends(view)
    if _wants_xlsx(request):
        headers = [_("Indicator"), _("Period"), _("Data until"), *_cell_headers()]
        table = [[t.indicator.label, p.round.label, p.date, *_cell_columns(p.cell)] for t in found for p in t.points]
        return xlsx_response(file_name("xu huong", view.unit.short_name), [(_("Trends"), headers, table)])
    shown = []
    for trend in found:
        if not any(p.cell.value is not None or p.cell.target is not None for p in trend.points):
            continue
        last = trend.last
        projection = None
        if last is not None and last.projected is not None and last.points and last.horizon:
            projection = (last.points[-1], (last.horizon, last.projected))
        target = (last.horizon, last.target.value) if last is not None and last.target and last.horizon else None
        chart = charts.trend_chart(
            [{"date": p.date, "measure": p.cell.measure if p.cell.target else p.cell.value,
              "expected": p.cell.expected, "status": p.cell.status} for p in trend.points],
            knots=trend.knots, projection=projection, target=target,
            label=f"{trend.indicator.label} — {view.unit.name}", percent=trend.indicator.is_percent)
        shown.append({"trend": trend, "chart": chart})
    return render(request, "dashboard/trends.html", _context(request, view, rounds, trends=shown))


# --- early warnings ------------------------------------------------------------------


@login_required
@require_http_methods(["GET"])
def warnings(request: HttpRequest) -> HttpResponse:
    view, rounds = _view(request)
    found = selectors.warnings(view)
    if _wants_xlsx(request):
        headers = [_("Unit"), _("Indicator"), _("Target"), _("Target period"), _("Compared with the target"),
                   _("Expected by the data date"), _("Projected"), _("Projected by"), _("Achieved (%)")]
        table = [[w.unit.name, w.cell.indicator.label, w.cell.target.display, w.cell.target.when, w.cell.measure,
                  tenth(w.cell.expected), w.cell.projected, w.cell.horizon, _achieved(w.cell.share)] for w in found]
        return xlsx_response(file_name("canh bao", view.unit.short_name), [(_("Early warnings"), headers, table)])
    return render(request, "dashboard/warnings.html", _context(request, view, rounds, warnings=found))


# --- map -----------------------------------------------------------------------------


@login_required
@require_http_methods(["GET"])
def map_view(request: HttpRequest) -> HttpResponse:
    view, rounds = _view(request)
    code = request.GET.get("indicator") or "coops_consolidated"
    chosen = _indicator(view, code)
    rows = selectors.below_rows(view, chosen, "name", False)
    if _wants_xlsx(request):
        headers = [_("Unit"), _("Code"), _("Latitude"), _("Longitude"), *_cell_headers()]
        table = [[r.unit.name, r.unit.code, r.unit.latitude, r.unit.longitude, *_cell_columns(r.cell)]
                 for r in rows]
        return xlsx_response(file_name("ban do", chosen.code, view.unit.short_name), [(_("Map"), headers, table)])
    points = []
    for r in rows:
        shown = r.cell.measure if r.cell.cumulative else r.cell.value
        text = number_text(shown, chosen.is_percent)
        if r.cell.share is not None:
            text += f" ({number_text(r.cell.share, True)})"
        href = reverse("dashboard:index") + "?" + _with(request, unit=r.unit.pk)
        points.append({"lat": r.unit.latitude, "lon": r.unit.longitude, "label": r.unit.name, "text": text,
                       "status": r.cell.status, "href": href, "value": shown})
    chart = charts.map_chart(points, label=f"{chosen.label} — {view.unit.name}")
    missing = [r.unit for r in rows if r.unit.latitude is None or r.unit.longitude is None]
    return render(request, "dashboard/map.html", _context(
        request, view, rounds, indicator=chosen, rows=rows, chart=chart, missing=missing))


def _with(request, **changes) -> str:
    params = request.GET.copy()
    for key, value in changes.items():
        params[key] = str(value)
    params.pop("format", None)
    return params.urlencode()


# --- ranking -------------------------------------------------------------------------


@login_required
@require_http_methods(["GET"])
def ranking(request: HttpRequest) -> HttpResponse:
    view, rounds = _view(request)
    weights, chosen = selectors.weights_of(view.unit, view.indicators)
    return _ranking_page(request, view, rounds, weights, chosen)


def _ranking_page(request, view, rounds, weights, chosen, errors=None, status=200) -> HttpResponse:
    rows, how = selectors.ranking(view, weights)
    used = [i for i in view.indicators if weights.get(i.code, 0) > 0]
    if _wants_xlsx(request):
        headers = [_("Rank"), _("Unit"), _("Score"), *[f"{i.label} ({weights[i.code]})" for i in used]]
        table = [[r.rank, r.unit.name, r.score, *[r.parts[i.code][0] for i in used]] for r in rows]
        return xlsx_response(file_name("xep hang", view.unit.short_name, view.round.year),
                             [(_("Ranking"), headers, table)])
    chart = charts.bar_chart([{"label": f"{r.rank}. {r.unit.name}", "value": r.score, "target": None,
                               "status": None} for r in rows], label=_("Emulation score"), percent=False)
    return render(request, "dashboard/ranking.html", _context(
        request, view, rounds, rows=rows, how=how, used=used, weights=weights, chosen=chosen, chart=chart,
        weight_rows=[(i, weights.get(i.code, 0)) for i in view.indicators],
        can_set=permissions.can_set_weights(request.user, view.unit), errors=errors or []), status=status)


@login_required
@require_http_methods(["POST"])
def weights(request: HttpRequest) -> HttpResponse:
    view, rounds = _view(request)
    if not permissions.can_set_weights(request.user, view.unit):
        raise PermissionDenied
    wanted, errors = {}, []
    for indicator in view.indicators:
        raw = (request.POST.get(f"w-{indicator.code}") or "0").strip()
        try:
            value = int(raw)
        except ValueError:
            errors.append(_("Weight of “%(indicator)s”: give a whole number from 0 to 100.")
                          % {"indicator": indicator.label})
            continue
        if not 0 <= value <= 100:
            errors.append(_("Weight of “%(indicator)s”: give a whole number from 0 to 100.")
                          % {"indicator": indicator.label})
        wanted[indicator.code] = value
    if not errors:
        try:
            services.weights_save(actor=request.user, unit=view.unit, weights=wanted)
        except ValidationError as error:
            errors = error.messages
    if errors:
        return _ranking_page(request, view, rounds, wanted, True, errors, status=400)
    messages.success(request, _("The emulation weights were saved."))
    return redirect(reverse("dashboard:ranking") + "?" + _with(request))
