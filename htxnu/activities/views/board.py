"""The activity board (plan activities by task group), support actions, cadres and
commendations."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from htxnu.accounts import permissions
from htxnu.core.exports import xlsx_response
from htxnu.core.history import history_for
from htxnu.core.idempotency import create_once, sent_twice
from htxnu.core.paging import page_of, query_without_page
from htxnu.geo.models import AdminUnit
from htxnu.geo.scoping import get_visible_or_404
from htxnu.plans.models import Plan, TaskGroupNumber
from htxnu.registry.models import Collective
from htxnu.text import parse_date

from .. import indicators, selectors, services
from ..forms import ActivityForm, CadreCountForm, CadreForm, NominationForm, SupportForm
from ..models import Activity, ActivityStatus, Cadre, CadreCount, Nomination, SupportAction, SupportKind
from .common import parse_year, working_unit
from .events import _attach


def _board_activities(request):
    """The board's filters (status, year, plan), read once for the page and its export."""
    unit = working_unit(request)
    status = request.GET.get("status", "") if request.GET.get("status") in ActivityStatus.values else ""
    year = parse_year(request.GET.get("year"), 0) or None
    plan = None
    if request.GET.get("plan"):
        plan = get_visible_or_404(Plan.objects.select_related("unit"), request.user, pk=request.GET["plan"])
        activities = selectors.activities(request.user, plan.unit, status=status, year=year, plan=plan)
    else:
        activities = selectors.activities(request.user, unit, status=status, year=year)
    return unit, status, year, plan, activities


@login_required
@require_http_methods(["GET"])
def board(request: HttpRequest) -> HttpResponse:
    unit, status, year, plan, activities = _board_activities(request)
    activities = list(activities)
    groups = [(value, label, [a for a in activities if a.task_group == value])
              for value, label in TaskGroupNumber.choices]
    task_groups = {g.number: g for g in plan.task_groups.all()} if plan else {}
    groups = [(value, label, items, task_groups.get(value)) for value, label, items in groups]
    return render(request, "activities/board.html", {
        "unit": unit, "plan": plan, "groups": groups, "statuses": ActivityStatus.choices, "status": status,
        "year": year, "query": query_without_page(request),
        "can_add": permissions.can_record_activity(request.user, unit, request.user.organisation),
    })


@login_required
@require_http_methods(["GET"])
def board_export(request: HttpRequest) -> HttpResponse:
    unit, _status, _year, plan, activities = _board_activities(request)
    rows = (
        [a.get_task_group_display(), a.title, a.unit.name, a.lead.name if a.lead else a.lead_name,
         a.coordinating_names, a.starts_on, a.ends_on, a.get_status_display(), a.outputs]
        for a in activities
    )
    headers = [_("Task group"), _("What"), _("Unit"), _("Lead agency"), _("Coordinating agencies"), _("From"),
               _("To"), _("Status"), _("Outputs")]
    return xlsx_response(f"hoat-dong-{(plan.unit if plan else unit).code}", [(_("Activities"), headers, rows)])


def _activity_form(request, activity=None):
    unit = working_unit(request)
    form = ActivityForm(request.POST or None, instance=activity, user=request.user, unit=unit)
    if request.method == "POST" and form.is_valid():
        try:
            if activity is None:
                saved, first = create_once(
                    request, lambda: services.activity_save(actor=request.user, **form.cleaned_data),
                    lambda a: reverse("activities:edit", args=[a.pk]))
            else:
                saved, first = services.activity_save(actor=request.user, activity=activity,
                                                      **form.cleaned_data), None
        except ValidationError as error:
            _attach(form, error)
        else:
            if first is not None:
                return sent_twice(request, first)
            messages.success(request, _("Activity saved."))
            return redirect("activities:edit", pk=saved.pk)
    context = {"form": form, "activity": activity, "history": history_for(activity) if activity else None}
    return render(request, "activities/activity_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def activity_create(request: HttpRequest) -> HttpResponse:
    if not permissions.can_record_activity(request.user, working_unit(request), request.user.organisation):
        raise PermissionDenied
    return _activity_form(request)


@login_required
@require_http_methods(["GET", "POST"])
def activity_edit(request: HttpRequest, pk: int) -> HttpResponse:
    activity = get_visible_or_404(Activity.objects.select_related("unit", "lead"), request.user, pk=pk)
    if request.method == "POST" and not permissions.can_record_activity(request.user, activity.unit, activity.lead):
        raise PermissionDenied
    return _activity_form(request, activity)


@login_required
@require_http_methods(["GET"])
def support_list(request: HttpRequest) -> HttpResponse:
    unit = working_unit(request)
    kind = request.GET.get("kind", "") if request.GET.get("kind") in SupportKind.values else ""
    year = parse_year(request.GET.get("year"), 0) or None
    actions = selectors.support_actions(request.user, unit, kind=kind, year=year)
    if request.GET.get("format") == "xlsx":
        headers = [_("Date"), _("Cooperative or group"), _("Kind of support"), _("Given by"), _("Lender"),
                   _("Amount (VND)"), _("Note")]
        rows = ([s.date, s.collective.name, s.get_kind_display(), s.provider.name, s.get_lender_display(), s.amount,
                 s.note] for s in actions.iterator(chunk_size=2000))
        return xlsx_response(f"ho-tro-{unit.code}", [(_("Support"), headers, rows)])
    return render(request, "activities/support_list.html", {
        "unit": unit, "page": page_of(request, actions), "kinds": SupportKind.choices, "kind": kind, "year": year,
        "query": query_without_page(request),
    })


@login_required
@require_http_methods(["GET", "POST"])
def support_create(request: HttpRequest, collective_pk: int) -> HttpResponse:
    collective = get_visible_or_404(Collective.objects.select_related("commune"), request.user, pk=collective_pk)
    if not permissions.can_record_activity(request.user, collective.commune, request.user.organisation):
        raise PermissionDenied
    form = SupportForm(request.POST or None, user=request.user, unit=working_unit(request),
                       initial={"date": datetime.date.today()})
    if request.method == "POST" and form.is_valid():
        try:
            _support, first = create_once(
                request, lambda: services.support_create(actor=request.user, collective=collective,
                                                         **form.cleaned_data),
                lambda s: reverse("activities:support"))
        except ValidationError as error:
            _attach(form, error)
        else:
            if first is not None:
                return sent_twice(request, first)
            messages.success(request, _("Support recorded: it counts as a consolidation of %(name)s.")
                             % {"name": collective.name})
            return redirect("activities:support")
    return render(request, "activities/support_form.html", {"form": form, "collective": collective})


@login_required
@require_http_methods(["POST"])
def support_delete(request: HttpRequest, pk: int) -> HttpResponse:
    support = get_visible_or_404(SupportAction.objects.select_related("collective__commune", "provider",
                                                                      "life_event"), request.user, pk=pk)
    if not permissions.can_record_activity(request.user, support.collective.commune, support.provider):
        raise PermissionDenied
    services.support_delete(actor=request.user, support=support)
    messages.success(request, _("Support deleted."))
    return redirect("activities:support")


@login_required
@require_http_methods(["GET", "POST"])
def cadre_list(request: HttpRequest) -> HttpResponse:
    unit = working_unit(request)
    year = parse_year(request.GET.get("year") or request.POST.get("year"), datetime.date.today().year)
    can_edit = permissions.can_edit_records(request.user, unit)
    count = CadreCount.objects.filter(unit=unit, year=year).first()
    count_form = CadreCountForm(request.POST or None, instance=count)
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        if count_form.is_valid():
            try:
                services.cadre_count_save(actor=request.user, unit=unit, year=year, **count_form.cleaned_data)
            except ValidationError as error:
                _attach(count_form, error)
            else:
                messages.success(request, _("Cadre counts saved."))
                return redirect(f"{request.path}?year={year}")
    cadres = selectors.cadres(request.user, unit)
    if request.GET.get("format") == "xlsx":
        headers = [_("Full name"), _("Unit"), _("Position"), _("Assigned to collective-economy work"), _("In post")]
        rows = ([c.full_name, c.unit.name, c.position, c.works_on_cooperatives, c.active] for c in cadres)
        return xlsx_response(f"can-bo-{unit.code}", [(_("Cadres"), headers, rows)])
    return render(request, "activities/cadre_list.html", {
        "unit": unit, "page": page_of(request, cadres, 50), "count_form": count_form, "year": year,
        "counts": selectors.cadre_counts(request.user, unit, year), "can_edit": can_edit,
    })


@login_required
@require_http_methods(["GET", "POST"])
def cadre_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    unit = working_unit(request)
    cadre = get_visible_or_404(Cadre, request.user, pk=pk) if pk else None
    if not permissions.can_edit_records(request.user, cadre.unit if cadre else unit):
        raise PermissionDenied
    form = CadreForm(request.POST or None, instance=cadre, user=request.user, unit=unit)
    if request.method == "POST" and form.is_valid():
        try:
            if cadre is None:
                _cadre, first = create_once(request, lambda: services.cadre_save(actor=request.user,
                                                                                 **form.cleaned_data),
                                            lambda c: reverse("activities:cadres"))
                if first is not None:
                    return sent_twice(request, first)
            else:
                services.cadre_save(actor=request.user, cadre=cadre, **form.cleaned_data)
        except ValidationError as error:
            _attach(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("activities:cadres")
    return render(request, "activities/simple_form.html", {
        "form": form, "title": _("Union cadre"), "back": "activities:cadres",
        "history": history_for(cadre) if cadre else None,
    })


@login_required
@require_http_methods(["GET"])
def nomination_list(request: HttpRequest) -> HttpResponse:
    unit = working_unit(request)
    nominations = selectors.nominations(request.user, unit, request.GET.get("cycle", ""))
    return render(request, "activities/nomination_list.html", {
        "unit": unit, "page": page_of(request, nominations), "can_edit": permissions.can_edit_records(request.user,
                                                                                                      unit),
    })


@login_required
@require_http_methods(["GET", "POST"])
def nomination_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    unit = working_unit(request)
    nomination = get_visible_or_404(Nomination, request.user, pk=pk) if pk else None
    if not permissions.can_edit_records(request.user, nomination.unit if nomination else unit):
        raise PermissionDenied
    form = NominationForm(request.POST or None, instance=nomination, user=request.user, unit=unit)
    if request.method == "POST" and form.is_valid():
        try:
            if nomination is None:
                _saved, first = create_once(
                    request, lambda: services.nomination_save(actor=request.user, **form.cleaned_data),
                    lambda n: reverse("activities:nominations"))
            else:
                _saved, first = services.nomination_save(actor=request.user, nomination=nomination,
                                                         **form.cleaned_data), None
        except ValidationError as error:
            _attach(form, error)
        else:
            if first is not None:
                return sent_twice(request, first)
            messages.success(request, _("Saved."))
            return redirect("activities:nominations")
    return render(request, "activities/simple_form.html", {
        "form": form, "title": _("Nomination for commendation"), "back": "activities:nominations",
        "history": history_for(nomination) if nomination else None,
    })


@login_required
@require_http_methods(["GET"])
def indicator_records(request: HttpRequest, code: str) -> HttpResponse:
    """The records behind an activity indicator for the working unit and a period:
    numerator and denominator, one click from the number."""
    if code not in indicators.COMPUTATIONS:
        raise Http404
    # ?unit= comes from links on reports and dashboards; it must be in the user's scope.
    unit = (get_visible_or_404(AdminUnit, request.user, pk=request.GET["unit"]) if request.GET.get("unit")
            else working_unit(request))
    today = datetime.date.today()
    start = parse_date(request.GET.get("start")) or datetime.date(today.year, 1, 1)
    end = parse_date(request.GET.get("end")) or today
    value = indicators.COMPUTATIONS[code]([unit], start, end)[unit.pk]
    records = indicators.records(code, request.user, unit, start, end)
    return render(request, "activities/indicator_records.html", {
        "code": code, "unit": unit, "start": start, "end": end, "value": value, "records": records,
    })
