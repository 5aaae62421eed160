"""Periodic reports, for a signed-in session, limited to the reports of the user's units
(the unit and everything it covers). A report of a unit outside them answers 404.

The values of a report are those its page shows: frozen when it was submitted, as they
stand while it is a draft (htxnu.reporting.aggregation), each with its source."""

import datetime
from decimal import Decimal

from django.utils.translation import gettext_noop as N_
from ninja import Field, Query, Router, Schema
from ninja.security import django_auth

from htxnu.api import MAX_ID, MAX_OFFSET
from htxnu.geo.scoping import get_visible_or_404, within
from htxnu.geo.selectors import resolve_code
from htxnu.reporting import aggregation, selectors
from htxnu.reporting.models import Report, ReportState, ReportValue, RoundKind

router = Router(tags=[N_("Reports and figures")], auth=django_auth)
MAX_LIMIT = 500


class RoundOut(Schema):
    id: int
    kind: str
    year: int
    number: int
    label: str
    data_start: datetime.date
    data_end: datetime.date
    deadline: datetime.date | None = Field(description=N_("an ad-hoc round's own deadline"))


class UnitRef(Schema):
    code: str
    name: str
    level: str
    valid_from: datetime.date | None
    valid_to: datetime.date | None


class ReportSummary(Schema):
    id: int
    round: RoundOut
    unit: UnitRef
    state: str
    version: int
    first_submitted_at: datetime.datetime | None
    submitted_at: datetime.datetime | None
    reviewed_at: datetime.datetime | None
    resubmissions: int


class ValueOut(Schema):
    indicator: str
    source: str = Field(description=N_("records (computed from the registry and activities) or reports (typed)"))
    value: Decimal | None
    numerator: Decimal | None
    denominator: Decimal | None
    own: Decimal | None = Field(description=N_("the unit's own figure, for indicators taken from reports"))
    below_reports: int = Field(description=N_("approved reports of the units below added into the value"))
    frozen: bool = Field(description=N_("as it stood when the report was submitted"))
    records_url: str | None
    comment: str
    follow_up: bool
    target: str = Field(description=N_("the target compared with, as shown (e.g. \"≥ 20\"); empty when none"))
    target_source: str = Field(description=N_("the number(s) of the plan(s) the target comes from (e.g. "
                                              "\"294/KH-UBND\"); several for a provisional target added up"))
    target_provisional: bool = Field(description=N_("taken from the plans of the units this unit was formed from, "
                                                    "until a plan of its own"))


class HighlightOut(Schema):
    name: str = ""
    kind: str = ""
    place: str = ""
    achievement: str = ""


class ReportOut(ReportSummary):
    results: str
    shortcomings: str
    lessons: str
    next_tasks: str
    proposals: str
    highlights: list[HighlightOut]
    review_comment: str
    values: list[ValueOut]


class ReportPage(Schema):
    count: int
    items: list[ReportSummary]


class ReportFilters(Schema):
    unit: str | None = Field(None, description=N_("code of a unit: its reports and those of the units it covers"))
    round: int | None = Field(None, ge=1, le=MAX_ID, description=N_("id of a round"))
    kind: RoundKind | None = None
    year: int | None = Field(None, ge=2000, le=2100)
    state: ReportState | None = None
    limit: int = Field(100, ge=1, le=MAX_LIMIT)
    offset: int = Field(0, ge=0, le=MAX_OFFSET)


@router.get("", response=ReportPage, summary=N_("Reports of your units"))
def list_reports(request, filters: Query[ReportFilters]):
    qs = Report.objects.visible_to(request.user)
    if filters.unit:
        units = resolve_code(filters.unit)
        qs = within(qs, "unit", units)  # a code may name an old and a new unit: each report once
    if filters.round:
        qs = qs.filter(round_id=filters.round)
    if filters.kind:
        qs = qs.filter(round__kind=filters.kind)
    if filters.year:
        qs = qs.filter(round__year=filters.year)
    if filters.state:
        qs = qs.filter(state=filters.state)
    qs = qs.select_related("round", "unit").order_by("-round__data_end", "round_id", "unit__level", "unit__code")
    return {"count": qs.count(), "items": list(qs[filters.offset: filters.offset + filters.limit])}


@router.get("/{report_id}", response=ReportOut, summary=N_("One report with its values"))
def get_report(request, report_id: int):
    report = get_visible_or_404(Report.objects.select_related("round", "unit"), request.user, pk=report_id)
    indicators = aggregation.active_indicators()
    figures = aggregation.report_figures(report.round, report.unit, report, indicators=indicators)
    notes = {v.indicator_id: v for v in ReportValue.objects.filter(report=report)}
    _governed, targets = selectors.report_targets(report.round, report.unit, figures, indicators)
    values = []
    for indicator in indicators:
        figure, note = figures[indicator.code], notes.get(indicator.pk)
        target = targets[indicator.code].target if indicator.code in targets else None
        values.append({
            "target": target.display if target else "", "target_source": target.source_numbers if target else "",
            "target_provisional": bool(target and target.provisional),
            "indicator": indicator.code, "source": figure.source, "value": figure.value,
            "numerator": figure.numerator, "denominator": figure.denominator, "own": figure.own,
            "below_reports": figure.below_reports, "frozen": figure.frozen, "records_url": figure.records_url,
            "comment": note.comment if note else "", "follow_up": note.follow_up if note else False,
        })
    return {**{name: getattr(report, name) for name in ReportSummary.model_fields}, "values": values,
            **{name: getattr(report, name) for name in ("results", "shortcomings", "lessons", "next_tasks",
                                                        "proposals", "highlights", "review_comment")}}
