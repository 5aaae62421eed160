from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from htxnu.accounts import permissions
from htxnu.core.exports import xlsx_response
from htxnu.core.history import history_for
from htxnu.core.idempotency import create_once, sent_twice
from htxnu.core.paging import page_of, query_without_page
from htxnu.geo.scoping import get_visible_or_404
from htxnu.registry.models import MANAGEMENT_POSITIONS, Gender, Manager
from htxnu.text import parse_date, search_key

from .. import selectors, services
from ..forms import COUNT_FIELDS, PRIORITY_FIELDS, TOPIC_FIELDS, EventForm
from ..models import TOPICS, Attendance, Cadre, Event, EventKind
from .common import working_unit


def _filters(request):
    return {
        "kind": request.GET.get("kind", ""),
        "topic": request.GET.get("topic", "") if request.GET.get("topic") in dict(TOPICS) else "",
        "q": request.GET.get("q", "").strip(),
        "start": parse_date(request.GET.get("start")),
        "end": parse_date(request.GET.get("end")),
    }


@login_required
@require_http_methods(["GET"])
def event_list(request: HttpRequest) -> HttpResponse:
    unit = working_unit(request)
    filters = _filters(request)
    events = selectors.events(request.user, unit, **filters)
    return render(request, "activities/event_list.html", {
        "unit": unit, "page": page_of(request, events), "filters": filters, "kinds": EventKind.choices,
        "topics": TOPICS, "query": query_without_page(request),
        "can_add": permissions.can_record_activity(request.user, unit, request.user.organisation),
    })


@login_required
@require_http_methods(["GET"])
def event_export(request: HttpRequest) -> HttpResponse:
    unit = working_unit(request)
    events = selectors.events(request.user, unit, **_filters(request))
    headers = [
        _("Date"), _("Kind"), _("Title"), _("Place"), _("Unit"), _("Organiser"), _("Topics"),
        *[str(Event._meta.get_field(f).verbose_name) for f in COUNT_FIELDS + PRIORITY_FIELDS],
        _("Total participants"), _("Cost (VND)"), _("Funding source"), _("Channel"), _("Link"),
    ]
    rows = (
        [e.date, e.get_kind_display(), e.title, e.place, e.unit.name, e.organiser.name, ", ".join(e.topics),
         *[getattr(e, f) for f in COUNT_FIELDS + PRIORITY_FIELDS], e.participants_total, e.cost,
         e.get_funding_source_display(), e.get_channel_display(), e.link]
        for e in events.iterator(chunk_size=2000)
    )
    return xlsx_response(f"su-kien-{unit.code}", [(_("Events"), headers, rows)])


def _ids(request, name: str) -> list[int]:
    return [int(v) for v in request.POST.getlist(name) if v.isdigit()]


@login_required
@require_http_methods(["GET", "POST"])
def event_create(request: HttpRequest) -> HttpResponse:
    unit = working_unit(request)
    if not permissions.can_record_activity(request.user, unit, request.user.organisation):
        raise PermissionDenied
    form = EventForm(request.POST or None, user=request.user, unit=unit,
                     initial={"kind": request.GET.get("kind") or EventKind.TRAINING})
    picked = Manager.objects.visible_to(request.user).filter(pk__in=_ids(request, "manager_ids"))
    picked_cadres = Cadre.objects.visible_to(request.user).filter(pk__in=_ids(request, "cadre_ids"))
    if request.method == "POST" and form.is_valid():
        try:
            event, first = create_once(request, lambda: services.event_create(
                actor=request.user, manager_ids=_ids(request, "manager_ids"), cadre_ids=_ids(request, "cadre_ids"),
                certified_manager_ids=_ids(request, "certified_ids"), **form.cleaned_data,
            ), lambda e: reverse("events:detail", args=[e.pk]))
        except ValidationError as error:
            _attach(form, error)
        else:
            if first is not None:
                return sent_twice(request, first)
            messages.success(request, _("Event saved: %(title)s.") % {"title": event.title})
            return redirect("events:detail", pk=event.pk)
    return render(request, "activities/event_form.html", {
        "form": form, "unit": unit, "picked": picked, "picked_cadres": picked_cadres, "creating": True,
        "topic_fields": TOPIC_FIELDS, "count_fields": COUNT_FIELDS, "priority_fields": PRIORITY_FIELDS,
    })


def _attach(form, error: ValidationError) -> None:
    """Put a service's validation errors on the form fields they name (or on the form)."""
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


@login_required
@require_http_methods(["GET"])
def event_detail(request: HttpRequest, pk: int) -> HttpResponse:
    event = get_visible_or_404(Event.objects.select_related("unit", "organiser", "activity"), request.user, pk=pk)
    attendance = event.attendance.select_related("manager__collective", "cadre__unit").order_by("pk")
    return render(request, "activities/event_detail.html", {
        "event": event, "attendance": attendance, "history": history_for(event),
        "can_edit": permissions.can_record_activity(request.user, event.unit, event.organiser),
        "support": event.support_actions.select_related("collective"),
    })


@login_required
@require_http_methods(["GET", "POST"])
def event_edit(request: HttpRequest, pk: int) -> HttpResponse:
    event = get_visible_or_404(Event.objects.select_related("unit", "organiser"), request.user, pk=pk)
    if not permissions.can_record_activity(request.user, event.unit, event.organiser):
        raise PermissionDenied
    form = EventForm(request.POST or None, instance=event, user=request.user, unit=event.unit.parent
                     if event.unit.parent and permissions.can_view_unit(request.user, event.unit.parent)
                     else event.unit)
    if request.method == "POST" and form.is_valid():
        try:
            services.event_update(actor=request.user, event=event, **form.cleaned_data)
        except ValidationError as error:
            _attach(form, error)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("events:detail", pk=event.pk)
    return render(request, "activities/event_form.html", {
        "form": form, "event": event, "topic_fields": TOPIC_FIELDS, "count_fields": COUNT_FIELDS,
        "priority_fields": PRIORITY_FIELDS,
    })


@login_required
@require_http_methods(["POST"])
def event_delete(request: HttpRequest, pk: int) -> HttpResponse:
    event = get_visible_or_404(Event.objects.select_related("unit", "organiser"), request.user, pk=pk)
    if not permissions.can_record_activity(request.user, event.unit, event.organiser):
        raise PermissionDenied
    services.event_delete(actor=request.user, event=event)
    messages.success(request, _("Event deleted."))
    return redirect("events:list")


@login_required
@require_http_methods(["GET"])
def attendee_search(request: HttpRequest) -> HttpResponse:
    """HTMX: women managers and Union cadres in the active unit matching ?q=."""
    unit = working_unit(request)
    key = search_key(request.GET.get("q", ""))
    managers, cadres = [], []
    if len(key) >= 2:
        managers = (
            Manager.objects.visible_to(request.user)
            .filter(collective__commune__scope_links__ancestor=unit, ended_on__isnull=True,
                    gender=Gender.FEMALE, position__in=MANAGEMENT_POSITIONS)
            .filter(Q(collective__search_key__contains=key) | Q(full_name__icontains=request.GET["q"].strip()))
            .select_related("collective")
            .order_by("full_name")[:15]
        )
        cadres = (
            Cadre.objects.visible_to(request.user)
            .filter(unit__scope_links__ancestor=unit, active=True, search_key__contains=key)
            .select_related("unit")[:10]
        )
    return render(request, "activities/partials/attendee_results.html", {"managers": managers, "cadres": cadres})


@login_required
@require_http_methods(["POST"])
def attendance_add(request: HttpRequest, pk: int) -> HttpResponse:
    event = get_visible_or_404(Event.objects.select_related("unit", "organiser"), request.user, pk=pk)
    if not permissions.can_record_activity(request.user, event.unit, event.organiser):
        raise PermissionDenied
    try:
        services.attendance_add(
            actor=request.user, event=event,
            manager_id=int(request.POST["manager"]) if request.POST.get("manager", "").isdigit() else None,
            cadre_id=int(request.POST["cadre"]) if request.POST.get("cadre", "").isdigit() else None,
            certificate_issued=request.POST.get("certificate_issued") == "on",
            certificate_number=request.POST.get("certificate_number", ""),
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("events:detail", pk=event.pk)


@login_required
@require_http_methods(["POST"])
def attendance_remove(request: HttpRequest, pk: int, attendance_pk: int) -> HttpResponse:
    attendance = get_visible_or_404(
        Attendance.objects.select_related("event__unit", "event__organiser"), request.user, pk=attendance_pk,
        event_id=pk,
    )
    if not permissions.can_record_activity(request.user, attendance.event.unit, attendance.event.organiser):
        raise PermissionDenied
    services.attendance_remove(actor=request.user, attendance=attendance)
    return redirect("events:detail", pk=pk)
