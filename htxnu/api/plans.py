"""Plans with their targets (signed-in users, limited to the plans they may see) and the
indicator catalogue (reference data, public like the units). A plan reads like the
plan-import format (shared/plan-gold), so what goes in comes out the same."""

import datetime

from django.db.models import F, Prefetch
from django.utils.translation import gettext_noop as N_
from ninja import Field, Query, Router, Schema
from ninja.security import django_auth

from htxnu.api import MAX_OFFSET
from htxnu.geo.scoping import get_visible_or_404
from htxnu.geo.selectors import resolve_code
from htxnu.plans.indicators import source_of
from htxnu.plans.models import Baseline, Indicator, Plan, Target

router = Router(tags=[N_("Plans and targets")], auth=django_auth)
indicators_router = Router(tags=[N_("Indicator catalogue")])
MAX_LIMIT = 500


class IndicatorOut(Schema):
    code: str
    label_vi: str
    label_en: str
    unit_vi: str
    unit_en: str
    kind: str
    source: str = Field(description=N_("where the actual value comes from today: records or reports"))
    additive: bool
    definition_vi: str
    definition_en: str
    is_active: bool

    @staticmethod
    def resolve_source(obj):
        return source_of(obj)


class UnitRef(Schema):
    code: str
    name: str
    level: str
    valid_from: datetime.date | None
    valid_to: datetime.date | None


class TargetOut(Schema):
    indicator: str
    year: int | None
    cumulative: bool
    op: str = Field(description=N_("=, >=, >, ~ (about) or between"))
    value: float | list[float] = Field(description=N_("a number, or [low, high] for between"))
    per_subunit: bool
    wording: str

    @staticmethod
    def resolve_indicator(obj):
        return obj.indicator.code

    @staticmethod
    def resolve_value(obj):
        return [obj.value, obj.value_max] if obj.op == "between" else obj.value


class ThresholdOut(Schema):
    op: str
    pct: float
    applies_to: str


class BaselineOut(Schema):
    indicator: str
    value: float
    members: int | None
    as_of: datetime.date | None

    @staticmethod
    def resolve_indicator(obj):
        return obj.indicator.code


class ReportingRuleOut(Schema):
    period: str
    deadline: str | None = Field(description=N_("MM-DD"))
    quarter_deadline: dict | None = Field(
        None, description=N_('quarterly, as in the plan-import format: {"month_of_quarter": 1–3, "day": 1–31} '
                             'or {"days_after_end": n}'))

    @staticmethod
    def resolve_deadline(obj):
        return f"{obj.deadline_month:02d}-{obj.deadline_day:02d}" if obj.deadline_month else None

    @staticmethod
    def resolve_quarter_deadline(obj):
        if obj.days_after_quarter_end:
            return {"days_after_end": obj.days_after_quarter_end}
        if obj.quarter_month:
            return {"month_of_quarter": obj.quarter_month, "day": obj.deadline_day}
        return None


class TaskGroupOut(Schema):
    group: int
    title: str
    lead: str
    partners: list[str]
    time_frame: str

    @staticmethod
    def resolve_group(obj):
        return obj.number

    @staticmethod
    def resolve_lead(obj):
        return obj.lead_agency

    @staticmethod
    def resolve_partners(obj):
        return obj.coordinating_agencies


class BasisOut(Schema):
    number: str
    date: datetime.date | None

    @staticmethod
    def resolve_date(obj):
        return obj.issued_on


class PlanSummary(Schema):
    id: int
    type: str
    number: str
    date: datetime.date | None
    issuer: str
    title: str
    unit: UnitRef
    organisation: str
    starts_on: datetime.date | None
    ends_on: datetime.date | None
    phases: list[list[int | None]]

    @staticmethod
    def resolve_type(obj):
        return obj.doc_type

    @staticmethod
    def resolve_date(obj):
        return obj.issued_on

    @staticmethod
    def resolve_organisation(obj):
        return obj.organisation.name

    @staticmethod
    def resolve_phases(obj):
        return [[p.start_year, p.end_year] for p in obj.phases.all()]


class PlanOut(PlanSummary):
    basis: list[BasisOut]
    female_share_thresholds: list[ThresholdOut]
    baselines: list[BaselineOut]
    targets: list[TargetOut]
    reporting: list[ReportingRuleOut]
    task_groups: list[TaskGroupOut]
    has_document: bool

    @staticmethod
    def resolve_female_share_thresholds(obj):
        return obj.thresholds.all()

    @staticmethod
    def resolve_reporting(obj):
        return obj.reporting_rules.all()

    @staticmethod
    def resolve_has_document(obj):
        return bool(obj.document)


class PlanPage(Schema):
    count: int
    items: list[PlanSummary]


class PlanFilters(Schema):
    unit: str | None = Field(None, description=N_("code of a unit: its plans and those below it"))
    at: datetime.date | None = Field(None, description=N_("only the plans in force on this date"))
    limit: int = Field(100, ge=1, le=MAX_LIMIT)
    offset: int = Field(0, ge=0, le=MAX_OFFSET)


@router.get("", response=PlanPage, summary=N_("Plans you may see"))
def list_plans(request, filters: Query[PlanFilters]):
    qs = Plan.objects.visible_to(request.user)
    if filters.unit:
        units = resolve_code(filters.unit, filters.at)
        qs = qs.below(units[-1].pk) if units else qs.none()
    if filters.at:
        qs = qs.in_force_at(filters.at)
    qs = qs.select_related("unit", "organisation").prefetch_related("phases").order_by(
        "unit__level", "unit__code", F("issued_on").desc(nulls_last=True), "pk")
    return {"count": qs.count(), "items": list(qs[filters.offset: filters.offset + filters.limit])}


@router.get("/{plan_id}", response=PlanOut, summary=N_("One plan with its targets"))
def get_plan(request, plan_id: int):
    qs = Plan.objects.select_related("unit", "organisation").prefetch_related(
        "phases", "thresholds", "reporting_rules", "task_groups", "basis",
        Prefetch("baselines", queryset=Baseline.objects.select_related("indicator")),
        Prefetch("targets", queryset=Target.objects.select_related("indicator")),
    )
    return get_visible_or_404(qs, request.user, pk=plan_id)


@indicators_router.get("", response=list[IndicatorOut], summary=N_("The indicator catalogue"))
def list_indicators(request):
    return list(Indicator.objects.all())
