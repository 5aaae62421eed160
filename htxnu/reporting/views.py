"""Pages under /reports/: the rounds of the working unit, a unit's report for a round
(read, write, submit, review, reopen), deadlines, the "units below first" setting,
ad-hoc requests, notifications and the official documents.

A report page is addressed by (round, unit) whether or not the report exists yet: the
unit is fetched through get_visible_or_404 (404 outside the user's units), and the
report is created by its first save."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from htxnu.core.units import active_unit
from htxnu.geo import selectors as geo

from . import aggregation, permissions, selectors, services
from .forms import DeadlineForm, DraftForm, ReopenForm, RequestForm, ReviewForm, SettingForm
from .models import EDITABLE_STATES, NARRATIVE_FIELDS, Notification, Report, ReportState, ReportValue
from .services import EditConflict, field_name

# Indicator columns shown for the units below on the page (all are in the workbook).
ROW_COLUMNS = 6


def _working_unit(request):
    unit = active_unit(request)
    if unit is None:
        raise Http404
    return unit


def _report_target(request, round_id: int, unit_id: int):
    """(round, unit, report or None), 404 when out of scope or when the round does not
    concern the unit."""
    report_round = selectors.round_for_view(request.user, round_id)
    unit = selectors.unit_for_view(request.user, unit_id)
    if not selectors.round_applies(report_round, unit):
        raise Http404
    report = Report.objects.filter(round=report_round, unit=unit).first()
    return report_round, unit, report


def _geography(request, report_round) -> str:
    wanted = request.GET.get("geography")
    return wanted if wanted in (aggregation.TODAY, aggregation.OLD) else aggregation.geography_of(report_round)


# --- the rounds ----------------------------------------------------------------------


@login_required
@require_http_methods(["GET"])
def index(request: HttpRequest) -> HttpResponse:
    unit = _working_unit(request)
    today = timezone.localdate()
    rounds = selectors.rounds_for(request.user, unit, today)
    reports = {r.round_id: r for r in Report.objects.filter(unit=unit, round__in=rounds)}
    due = selectors.deadlines([(r, unit) for r in rounds if unit.is_valid_at(r.reference_date)])
    rows = []
    for report_round in rounds:
        own = unit.is_valid_at(report_round.reference_date)
        rows.append({"round": report_round, "report": reports.get(report_round.pk), "own": own,
                     "deadline": due.get((report_round.pk, unit.pk))})
    notifications = list(Notification.objects.filter(user=request.user).select_related("round", "unit")[:10])
    return render(request, "reporting/index.html", {
        "unit": unit, "rows": rows, "today": today, "notifications": notifications,
        "can_request": permissions.can_request_report(request.user, unit),
    })


# --- one report ----------------------------------------------------------------------


def _page_context(request, report_round, unit, report, *, form=None, conflict=None) -> dict:
    user = request.user
    data = selectors.report_data(report_round, unit, report, _geography(request, report_round))
    indicators, own, targets, expected = data.indicators, data.figures, data.targets, data.expected
    in_era = unit.is_valid_at(report_round.reference_date)
    due = selectors.deadlines([(report_round, u) for u in ([unit] if in_era else []) + list(expected)])
    complete = selectors.completeness(report_round, expected, reports=data.row_reports if data.same_rows else None,
                                      due=due)
    values = {v.indicator_id: v for v in ReportValue.objects.filter(report=report)} if report else {}
    editable = report is None or report.state in EDITABLE_STATES
    can_edit = in_era and editable and permissions.can_edit_report(user, unit)
    reviewer = bool(report) and permissions.can_review_report(user, unit, report)
    can_review = reviewer and report.state == ReportState.SUBMITTED
    original = None
    projections = selectors.review_projections(report_round, unit, indicators)
    if can_edit:
        # The fields as they stand, shown (unless the user's own answers are) and sent back
        # as loaded, so that a save merges field by field.
        fields = services.current_fields(report, values, indicators)
        initial = DraftForm.initial_from(fields)
        if form is None:
            # Pre-filled, not yet saved: a save keeps them as the user's own entries.
            prefill = {k: v for k, v in selectors.document_defaults(report_round, unit, data.governing).items()
                       if v and (not fields.get(k) or (report is None and k == "signature_authority"))}
            for indicator in indicators:  # a review's proposals start from the trend
                name = field_name("proposal", indicator.code)
                if indicator.code in projections and not fields.get(name):
                    prefill[name] = selectors.proposed_target_text(indicator, projections[indicator.code])
            form = DraftForm(initial={**initial, **prefill}, indicators=indicators,
                             highlight_rows=len(fields["highlights"]) + 2)
        original = DraftForm(initial=initial, indicators=indicators, prefix="orig",
                             highlight_rows=form.highlight_rows)
    table = []
    for indicator in indicators:
        figure = own[indicator.code]
        value = values.get(indicator.pk)
        entry = {"indicator": indicator, "figure": figure, "target": targets.get(indicator.code), "value": value,
                 "records": aggregation.is_records(indicator)}
        if form is not None:
            entry["fields"] = [form[name] for name in form.fields
                               if name.split(":", 1)[-1] == indicator.code and ":" in name
                               and name.split(":")[0] in ("own", "num", "den")]
            entry["comment_field"] = form[field_name("comment", indicator.code)]
            entry["follow_field"] = form[field_name("follow", indicator.code)]
            entry["proposal_field"] = form[field_name("proposal", indicator.code)]
        entry["projection"] = projections.get(indicator.code)
        table.append(entry)
    below_rows = [{"unit": u, "cells": [(i, data.rows[u.pk][i.code]) for i in indicators[:ROW_COLUMNS]],
                   "report": data.row_reports.get(u.pk)} for u in data.below]
    status = {r.unit.pk: r for r in complete.rows}
    for row in below_rows:
        row["completeness"] = status.get(row["unit"].pk)
    conflict_rows = []
    if conflict is not None and form is not None:
        for name, (mine, theirs) in conflict.conflicts.items():
            label = form.fields[name].label if name in form.fields else _("Highlighted models and people")
            conflict_rows.append((label, _shown(mine), _shown(theirs)))
    narratives = [(Report._meta.get_field(name).verbose_name, getattr(report, name) if report else "")
                  for name in NARRATIVE_FIELDS]
    return {
        "conflict_rows": conflict_rows, "narratives": narratives, "narrative_fields": NARRATIVE_FIELDS,
        "document_fields": services.DOCUMENT_FIELDS,
        "round": report_round, "unit": unit, "report": report, "indicators": indicators, "table": table,
        "form": form, "original": original, "conflict": conflict, "plan": data.plan, "governing": data.governing,
        "tally": data.tally, "funding": selectors.report_funding(user, report_round, unit),
        "deadline": due.get((report_round.pk, unit.pk)),
        "in_era": in_era, "can_edit": can_edit, "can_review": can_review,
        "can_reopen": reviewer and report.state == ReportState.APPROVED,
        "can_set_deadlines": bool(expected) and any(permissions.can_set_deadline(user, u) for u in expected[:1]),
        "can_change_setting": permissions.can_change_setting(user, unit),
        "children_first": selectors.children_first(unit),
        "review_form": ReviewForm() if can_review else None, "reopen_form": ReopenForm(),
        "below": below_rows, "row_indicators": indicators[:ROW_COLUMNS], "completeness": complete,
        "expected_shown": data.same_rows,
        "geography": data.geography, "switch": report_round.spans_phase_one,
        "timeline": selectors.report_timeline(report) if report else [],
        "threads": selectors.value_threads(report),
        "projections": projections, "next_phase_end": selectors.next_phase_end(report_round),
        "commendations": selectors.review_commendations(user, report_round, unit),
        "can_comment": bool(report) and (reviewer or permissions.can_edit_report(user, unit)),
        "histories": selectors.value_histories(report, values) if report else {},
        "suggestions": aggregation.phase_suggestions(report_round, unit, indicators) if can_edit else {},
        "breadcrumb": geo.breadcrumb(unit),
    }


def _shown(value) -> str:
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, list):
        return "; ".join(row.get("name", "") for row in value)
    return "" if value is None else str(value)


@login_required
@require_http_methods(["GET", "POST"])
def report(request: HttpRequest, round_id: int, unit_id: int) -> HttpResponse:
    report_round, unit, current = _report_target(request, round_id, unit_id)
    if request.method == "GET":
        return render(request, "reporting/report.html", _page_context(request, report_round, unit, current))
    if not permissions.can_edit_report(request.user, unit):
        raise PermissionDenied
    indicators = aggregation.active_indicators()
    form = DraftForm(request.POST, indicators=indicators)
    original = DraftForm(request.POST, indicators=indicators, prefix="orig")
    try:
        version = int(request.POST.get("version", "0"))
    except ValueError:
        version = -1
    if not (form.is_valid() and original.is_valid()):
        messages.error(request, _("Nothing was saved: correct the fields marked below."))
        context = _page_context(request, report_round, unit, current, form=form)
        return render(request, "reporting/report.html", context, status=422)
    try:
        if request.POST.get("action") == "submit" and current is not None and version != current.version:
            # Someone saved since this page was loaded: the user sees what changed first.
            raise EditConflict(current, {})
        saved = services.report_save(actor=request.user, round=report_round, unit=unit, version=version,
                                     original=original.cleaned_data, changes=form.cleaned_data,
                                     indicators=indicators)
        if request.POST.get("action") == "submit":
            services.report_submit(actor=request.user, report=saved)
            messages.success(request, _("Report submitted to the level above."))
        else:
            messages.success(request, _("Saved."))
    except EditConflict as conflict:
        fresh = Report.objects.get(pk=conflict.report.pk)
        messages.error(request, _(
            "Someone else saved this report while you were editing it. Nothing of yours was saved: your values and "
            "theirs are shown side by side below. Keep what is right and save again."))
        form = DraftForm(request.POST, indicators=indicators)
        form.is_valid()
        context = _page_context(request, report_round, unit, fresh, form=form, conflict=conflict)
        return render(request, "reporting/report.html", context, status=409)
    except ValidationError as error:
        for problem in error.messages:
            messages.error(request, problem)
        saved = Report.objects.filter(round=report_round, unit=unit).first()
        context = _page_context(request, report_round, unit, saved, form=form if saved is None or
                                saved.is_editable else None)
        return render(request, "reporting/report.html", context, status=422)
    return redirect("reporting:report", round_id=report_round.pk, unit_id=unit.pk)


@login_required
@require_http_methods(["POST"])
def comment(request: HttpRequest, round_id: int, unit_id: int, code: str) -> HttpResponse:
    """A message in the thread on one figure (the reviewer's, or the unit's reply)."""
    report_round, unit, current = _report_target(request, round_id, unit_id)
    indicator = next((i for i in aggregation.active_indicators() if i.code == code), None)
    if current is None or indicator is None:
        raise Http404
    try:
        services.value_comment_add(actor=request.user, report=current, indicator=indicator,
                                   text=request.POST.get("text", "")[:2000])
    except ValidationError as error:
        for problem in error.messages:
            messages.error(request, problem)
    return redirect(f"{reverse('reporting:report', args=[report_round.pk, unit.pk])}#value-{indicator.code}")


@login_required
@require_http_methods(["POST"])
def review(request: HttpRequest, round_id: int, unit_id: int) -> HttpResponse:
    report_round, unit, current = _report_target(request, round_id, unit_id)
    if current is None:
        raise Http404
    if not permissions.can_review_report(request.user, unit, current):
        raise PermissionDenied
    form = ReviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose whether to approve or to return the report."))
        return redirect("reporting:report", round_id=report_round.pk, unit_id=unit.pk)
    notes = {}
    for indicator in aggregation.active_indicators():
        key = field_name("note", indicator.code)
        if key in request.POST:
            notes[indicator.pk] = (request.POST.get(key, "")[:2000],
                                   request.POST.get(field_name("flag", indicator.code)) == "on")
    approve = form.cleaned_data["decision"] == "approve"
    try:
        services.report_review(actor=request.user, report=current, approve=approve,
                               comment=form.cleaned_data["comment"], notes=notes)
    except ValidationError as error:
        for problem in error.messages:
            messages.error(request, problem)
    else:
        messages.success(request, _("Report approved.") if approve else _("Report returned to the unit."))
    return redirect("reporting:report", round_id=report_round.pk, unit_id=unit.pk)


@login_required
@require_http_methods(["POST"])
def reopen(request: HttpRequest, round_id: int, unit_id: int) -> HttpResponse:
    report_round, unit, current = _report_target(request, round_id, unit_id)
    if current is None:
        raise Http404
    if not permissions.can_review_report(request.user, unit, current):
        raise PermissionDenied
    form = ReopenForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the reason for reopening the report."))
    else:
        try:
            services.report_reopen(actor=request.user, report=current, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            for problem in error.messages:
                messages.error(request, problem)
        else:
            messages.success(request, _("Report reopened: the unit can change it and submit it again."))
    return redirect("reporting:report", round_id=report_round.pk, unit_id=unit.pk)


@login_required
@require_http_methods(["GET", "POST"])
def deadline(request: HttpRequest, round_id: int, unit_id: int) -> HttpResponse:
    report_round, unit, current = _report_target(request, round_id, unit_id)
    if not permissions.can_set_deadline(request.user, unit):
        raise PermissionDenied
    now = selectors.deadline(report_round, unit)
    form = DeadlineForm(request.POST or None, initial={"deadline": now.date, "reason": now.reason})
    if request.method == "POST" and form.is_valid():
        try:
            services.deadline_set(actor=request.user, round=report_round, unit=unit,
                                  deadline=form.cleaned_data["deadline"], reason=form.cleaned_data["reason"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Deadline saved."))
            parent = unit.parent
            if parent is not None and permissions.can_set_deadline(request.user, unit):
                return redirect("reporting:report", round_id=report_round.pk, unit_id=parent.pk)
            return redirect("reporting:report", round_id=report_round.pk, unit_id=unit.pk)
    return render(request, "reporting/deadline.html", {"round": report_round, "unit": unit, "form": form,
                                                        "current": now, "report": current})


@login_required
@require_http_methods(["POST"])
def setting(request: HttpRequest, unit_id: int) -> HttpResponse:
    unit = selectors.unit_for_view(request.user, unit_id)
    if not permissions.can_change_setting(request.user, unit):
        raise PermissionDenied
    form = SettingForm(request.POST)
    form.is_valid()
    services.setting_set(actor=request.user, unit=unit, children_first=form.cleaned_data.get("children_first", False))
    messages.success(request, _("Saved."))
    back = request.POST.get("next", "")
    safe = url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}, require_https=request.is_secure())
    return redirect(back if safe and back.startswith("/reports/") else "reporting:index")


@login_required
@require_http_methods(["GET", "POST"])
def request_report(request: HttpRequest) -> HttpResponse:
    unit = _working_unit(request)
    if not permissions.can_request_report(request.user, unit):
        raise PermissionDenied
    today = timezone.localdate()
    form = RequestForm(request.POST or None, initial={
        "data_start": datetime.date(today.year - 1, 12, 15), "data_end": today,
        "deadline": today + datetime.timedelta(days=14)})
    if request.method == "POST" and form.is_valid():
        try:
            created = services.round_request(actor=request.user, unit=unit, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Request sent to the units below."))
            return redirect("reporting:report", round_id=created.pk, unit_id=unit.pk)
    return render(request, "reporting/request.html", {"form": form, "unit": unit})


@login_required
@require_http_methods(["GET"])
def notifications(request: HttpRequest) -> HttpResponse:
    found = Notification.objects.filter(user=request.user).select_related("round", "unit")[:200]
    return render(request, "reporting/notifications.html", {"notifications": found})


@login_required
@require_http_methods(["POST"])
def notifications_read(request: HttpRequest) -> HttpResponse:
    services.notifications_read(actor=request.user)
    return redirect("reporting:notifications")


# --- documents -----------------------------------------------------------------------


@login_required
@require_http_methods(["GET"])
def download(request: HttpRequest, round_id: str, unit_id: str, fmt: str) -> HttpResponse:
    from .exports import UNITS_IN_APPENDIX, UNITS_IN_XLSX_ONLY, build_document, docx, pdf, xlsx

    report_round, unit, current = _report_target(request, round_id, unit_id)
    geography = _geography(request, report_round)
    if fmt == "xlsx":
        return xlsx.response(report_round, unit, current, geography)
    # The officer chooses where the units below go: an appendix of the document (default) or the .xlsx only.
    units_below = UNITS_IN_XLSX_ONLY if request.GET.get("units") == UNITS_IN_XLSX_ONLY else UNITS_IN_APPENDIX
    document = build_document(report_round, unit, current, geography, units_below, user=request.user)
    return docx.response(document) if fmt == "docx" else pdf.response(document)
