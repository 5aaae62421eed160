"""Reads for the reporting pages: the rounds a unit sees, deadlines, completeness and
timeliness, the targets beside a report's figures, and histories.

Deadlines
---------
The deadline of a unit for a round is, first found:
1. the deadline set by hand for that unit and round (DeadlineOverride, audited);
2. the round's own deadline (an ad-hoc request);
3. the rule of the nearest plan in force for the unit on the round's cut-off end that
   sets a deadline for that kind of report (ReportingRule: 15/11 in Lào Cai's plan,
   10/11 in Vĩnh Thuận's, 30/11 in Nam Định's), nearest level first, then the most
   recently issued. A unit's own plan sets the deadlines of the units below it, not
   its own, so it is skipped: old Lào Cai's districts and communes report by 15/11,
   old Lào Cai itself by the national plan's rule. Reviews follow the annual rule.
4. otherwise periods.default_deadline (the 20th of the period's last month).
All of it in two queries for any number of units and rounds.

Completeness and timeliness (as DHIS2's reporting rates)
---------------------------------------------------------
For a unit and a round: the units whose reports add up into it (aggregation.
contributors). A unit counts as having submitted from its first submission (a report
returned and sent again was still received when first sent); on time when that was on
or before its deadline, late after it; not submitted is "overdue" once the deadline has
passed and "not yet due" before. Rates are over the units expected: submitted, on time,
approved.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, F, Q
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext as _

from htxnu.core.models import AuditEntry
from htxnu.geo.models import AdminUnit, UnitScope
from htxnu.geo.scoping import get_visible_or_404
from htxnu.plans.governing import Governing, governing
from htxnu.plans.indicators import Period, compute_batch, compute_many
from htxnu.plans.models import Op, Plan, Target
from htxnu.plans.progress import AT_RISK, BEHIND, NO_STATUS, ON_TRACK, expected_on, path_knots, project, status
from htxnu.plans.target_text import format_target

from . import aggregation, periods
from . import permissions as report_permissions
from .models import DeadlineOverride, Report, ReportState, Round, RoundKind, UnitSetting

LEVEL_RANK = {"country": 0, "province": 1, "district": 2, "commune": 3}


# --- rounds --------------------------------------------------------------------------


def round_for_view(user, pk: int) -> Round:
    return get_visible_or_404(Round.objects.select_related("requested_by"), user, pk=pk)


def unit_for_view(user, pk: int) -> AdminUnit:
    return get_visible_or_404(AdminUnit.objects.select_related("parent"), user, pk=pk)


def round_applies(round: Round, unit: AdminUnit) -> bool:
    """An ad-hoc round concerns the requesting unit and the units below it."""
    if round.requested_by_id is None:
        return True
    return UnitScope.objects.filter(ancestor_id=round.requested_by_id, unit_id=unit.pk).exists()


def requested_of(round: Round) -> list[AdminUnit]:
    """The units an ad-hoc round was asked of: those directly below the requesting unit
    in the round's era. They are notified, reminded and counted in its completeness."""
    return aggregation.contributors(round, [round.requested_by])[round.requested_by_id]


def rounds_for(user, unit: AdminUnit, today: datetime.date | None = None) -> list[Round]:
    """The rounds a unit has to answer, newest first: the regular ones that have started
    (quarterly ones only where a plan over its territory asks for them) and the ad-hoc
    requests of the unit or of the units above it."""
    today = today or timezone.localdate()
    quarterly = Plan.objects.overlapping(unit.pk).filter(reporting_rules__period="quarterly").exists()
    above = UnitScope.objects.filter(unit_id=unit.pk).values("ancestor_id")
    qs = Round.objects.visible_to(user).filter(data_start__lte=today).filter(
        Q(requested_by__isnull=True) | Q(requested_by_id__in=above))
    if not quarterly:
        qs = qs.exclude(kind=RoundKind.QUARTERLY)
    return list(qs.select_related("requested_by"))


# --- deadlines -----------------------------------------------------------------------


@dataclass(frozen=True)
class Deadline:
    date: datetime.date
    source: str  # "override", "request", "plan" or "default"
    plan: str = ""  # the plan's number when it comes from a plan
    reason: str = ""


def deadlines(pairs: list[tuple[Round, AdminUnit]]) -> dict[tuple[int, int], Deadline]:
    """{(round id, unit id): Deadline} for any number of (round, unit) pairs, in two
    queries (see the module docstring)."""
    if not pairs:
        return {}
    unit_ids = {u.pk for _r, u in pairs}
    round_ids = {r.pk for r, _u in pairs}
    overrides = {(o.round_id, o.unit_id): o for o in DeadlineOverride.objects.filter(
        round_id__in=round_ids, unit_id__in=unit_ids)}
    wanted_periods = {r.rule_period for r, _u in pairs if r.kind != RoundKind.AD_HOC}
    rules = defaultdict(list)
    if wanted_periods:
        rows = (
            UnitScope.objects.filter(unit_id__in=unit_ids)
            .exclude(ancestor_id=F("unit_id"))
            .filter(Q(ancestor__plans__reporting_rules__deadline_month__isnull=False)
                    | Q(ancestor__plans__reporting_rules__quarter_month__isnull=False)
                    | Q(ancestor__plans__reporting_rules__days_after_quarter_end__isnull=False),
                    ancestor__plans__reporting_rules__period__in=wanted_periods)
            .values("unit_id", "ancestor__level", "ancestor__valid_from", "ancestor__valid_to",
                    "ancestor__plans__id", "ancestor__plans__number", "ancestor__plans__issued_on",
                    "ancestor__plans__starts_on", "ancestor__plans__ends_on",
                    "ancestor__plans__reporting_rules__period", "ancestor__plans__reporting_rules__deadline_month",
                    "ancestor__plans__reporting_rules__deadline_day",
                    "ancestor__plans__reporting_rules__quarter_month",
                    "ancestor__plans__reporting_rules__days_after_quarter_end")
        )
        for row in rows:
            rules[row["unit_id"]].append(row)
    result = {}
    for round, unit in pairs:
        key = (round.pk, unit.pk)
        override = overrides.get(key)
        if override is not None:
            result[key] = Deadline(override.deadline, "override", reason=override.reason)
        elif round.deadline:
            result[key] = Deadline(round.deadline, "request")
        else:
            result[key] = _from_plans(round, rules.get(unit.pk, []))
    return result


def _from_plans(round: Round, rows: list[dict]) -> Deadline:
    ref = round.reference_date

    def in_force(row) -> bool:
        return ((row["ancestor__valid_from"] is None or row["ancestor__valid_from"] <= ref)
                and (row["ancestor__valid_to"] is None or ref <= row["ancestor__valid_to"])
                and (row["ancestor__plans__starts_on"] is None or row["ancestor__plans__starts_on"] <= ref)
                and (row["ancestor__plans__ends_on"] is None or ref <= row["ancestor__plans__ends_on"]))

    candidates = [r for r in rows if r["ancestor__plans__reporting_rules__period"] == round.rule_period
                  and in_force(r)]
    if not candidates:
        return Deadline(periods.default_deadline(round.data_end), "default")
    best = max(candidates, key=lambda r: (LEVEL_RANK.get(r["ancestor__level"], 0),
                                          r["ancestor__plans__issued_on"] or datetime.date.min,
                                          r["ancestor__plans__id"]))
    rule = {k.removeprefix("ancestor__plans__reporting_rules__"): v for k, v in best.items()}
    if rule["days_after_quarter_end"] is not None:
        date = periods.quarter_deadline(round.data_end, days_after_end=rule["days_after_quarter_end"])
    elif rule["quarter_month"] is not None:
        date = periods.quarter_deadline(round.data_end, month_of_quarter=rule["quarter_month"],
                                        day=rule["deadline_day"])
    else:
        date = periods.deadline_from_rule(round.data_end, rule["deadline_month"], rule["deadline_day"])
    return Deadline(date, "plan", plan=best["ancestor__plans__number"] or "")


def deadline(round: Round, unit: AdminUnit) -> Deadline:
    return deadlines([(round, unit)])[(round.pk, unit.pk)]


# --- completeness --------------------------------------------------------------------

ON_TIME, LATE, OVERDUE, NOT_DUE = "on_time", "late", "overdue", "not_due"


@dataclass
class CompletenessRow:
    unit: AdminUnit
    report: Report | None
    deadline: Deadline
    status: str

    @property
    def submitted_on(self) -> datetime.date | None:
        if self.report is None or self.report.first_submitted_at is None:
            return None
        return timezone.localdate(self.report.first_submitted_at)


@dataclass
class Completeness:
    rows: list[CompletenessRow] = field(default_factory=list)

    def _count(self, status) -> int:
        return sum(1 for r in self.rows if r.status == status)

    @property
    def expected(self) -> int:
        return len(self.rows)

    @property
    def on_time(self) -> int:
        return self._count(ON_TIME)

    @property
    def late(self) -> int:
        return self._count(LATE)

    @property
    def overdue(self) -> int:
        return self._count(OVERDUE)

    @property
    def not_due(self) -> int:
        return self._count(NOT_DUE)

    @property
    def submitted(self) -> int:
        return self.on_time + self.late

    @property
    def approved(self) -> int:
        return sum(1 for r in self.rows if r.report is not None and r.report.state == "approved")

    def _rate(self, n):
        return round(100 * n / self.expected, 1) if self.expected else None

    @property
    def rate(self):
        return self._rate(self.submitted)

    @property
    def on_time_rate(self):
        return self._rate(self.on_time)

    @property
    def approved_rate(self):
        return self._rate(self.approved)


def completeness(round: Round, units: list[AdminUnit], today: datetime.date | None = None,
                 reports: dict[int, Report] | None = None, due: dict | None = None) -> Completeness:
    """Who of `units` submitted, on time or late, or not (three queries; none for the
    reports, or the deadlines, when they are passed in)."""
    today = today or timezone.localdate()
    if reports is None:
        reports = {r.unit_id: r for r in Report.objects.filter(round=round, unit__in=units)}
    if due is None:
        due = deadlines([(round, u) for u in units])
    result = Completeness()
    for unit in units:
        report = reports.get(unit.pk)
        limit = due[(round.pk, unit.pk)]
        if report is not None and report.first_submitted_at is not None:
            status = ON_TIME if timezone.localdate(report.first_submitted_at) <= limit.date else LATE
        else:
            status = OVERDUE if today > limit.date else NOT_DUE
        result.rows.append(CompletenessRow(unit, report, limit, status))
    return result


def children_first(unit: AdminUnit) -> bool:
    return UnitSetting.objects.filter(unit=unit, children_first=True).exists()


def not_approved_below(round: Round, unit: AdminUnit) -> list[AdminUnit]:
    """The units directly below whose report for the round is not approved."""
    below = aggregation.contributors(round, [unit])[unit.pk]
    approved = set(Report.objects.filter(round=round, unit__in=below, state="approved")
                   .values_list("unit_id", flat=True))
    return [u for u in below if u.pk not in approved]


# --- targets beside the figures ------------------------------------------------------


@dataclass
class TargetInfo:
    target: Target
    plan: Plan
    measured: object = None  # the value the target is compared with
    cumulative: bool = False  # measured from the plan's start, not over the round
    share: object = None
    met: bool | None = None
    for_each_below: bool = False  # a target "for each unit below" of a plan above the unit
    status: str = NO_STATUS  # plans.progress: on track / at risk / behind, against the target's path


@dataclass
class Tally:
    """How many of the report's targets are reached, on track, at risk or behind, from
    the table (so the narrative cannot claim more than the figures show)."""

    reached: int = 0
    on_track: int = 0  # not reached yet, at least where the target's path expects
    at_risk: int = 0
    behind: int = 0
    unmeasured: int = 0

    @property
    def total(self) -> int:
        return self.reached + self.on_track + self.at_risk + self.behind + self.unmeasured

    @property
    def text(self) -> str:
        if not self.total:
            return ""
        return _("Of the %(total)s targets in the table: %(reached)s reached, %(on_track)s on track, %(at_risk)s "
                 "at risk, %(behind)s behind%(unmeasured)s.") % {
            "total": self.total, "reached": self.reached, "on_track": self.on_track, "at_risk": self.at_risk,
            "behind": self.behind,
            "unmeasured": (_(", %(n)s without a figure") % {"n": self.unmeasured}) if self.unmeasured else ""}


def tally(targets: dict) -> Tally:
    """The Tally of {code: TargetInfo}."""
    result = Tally()
    for info in targets.values():
        if info.met:
            result.reached += 1
        elif info.status == ON_TRACK:
            result.on_track += 1
        elif info.status == AT_RISK:
            result.at_risk += 1
        elif info.status == BEHIND:
            result.behind += 1
        else:
            result.unmeasured += 1
    return result


def governing_for(round: Round, unit: AdminUnit) -> Governing:
    """The plans that set the unit's targets for the round: its own plan in force on the
    round's cut-off end, else its predecessors' (plans.governing: today's Lào Cai reports
    against old Lào Cai's 294/KH-UBND, added up with Yên Bái's, until its own plan)."""
    return governing(unit, round.reference_date)


def pick_target(targets: list[Target], round: Round) -> Target | None:
    """Of a unit's targets for one indicator, the one a round is compared with (the
    dashboard uses it too)."""
    year = round.year if round.kind != RoundKind.AD_HOC else round.data_end.year
    if round.is_review:
        exact = [t for t in targets if t.year == year and t.cumulative]
    else:
        exact = [t for t in targets if t.year == year and not t.cumulative]
    later = sorted((t for t in targets if t.cumulative and t.year and t.year >= year), key=lambda t: t.year)
    open_ended = [t for t in targets if t.year is None]
    for group in (exact, later, open_ended):
        if group:
            return group[0]
    return None


def targets_for(round: Round, unit: AdminUnit, figures: dict, indicators) -> tuple[Plan | None, dict]:
    """(plan, {code: TargetInfo}) for the figures of a report (see report_targets)."""
    governed, found = report_targets(round, unit, figures, indicators)
    return governed.plan, found


def report_targets(round: Round, unit: AdminUnit, figures: dict, indicators, *, governed: Governing | None = None,
                   cumulative: dict | None = None) -> tuple[Governing, dict]:
    """(Governing, {code: TargetInfo}) for the figures of a report: the whole-unit targets
    of the plans governing the unit, else a target "for each unit below" of the plans
    above it (as the dashboard chooses, dashboard.progress.choose). A cumulative target
    that is not the round's own measure is compared with the records from its plan's
    start (the earliest of the plans a provisional target comes from) to the round's
    cut-off end (cumulative_periods; computed here unless `cumulative`, {Period: computed},
    is passed); report-based figures are compared only with targets of the round's own
    period."""
    governed = governed or governing_for(round, unit)
    found, by_indicator, each_below = _chosen_targets(round, governed, indicators)
    periods = cumulative_periods(round, found, indicators)
    if cumulative is None:
        computed = compute_batch([(wanted, [unit], period) for period, wanted in periods.items()])
        cumulative = dict(zip(periods, computed, strict=True))
    for indicator in indicators:
        info = found.get(indicator.code)
        if info is None:
            continue
        if not info.cumulative:
            info.measured = figures[indicator.code].value
        elif aggregation.is_records(indicator):
            period = next(p for p, wanted in periods.items() if indicator in wanted)
            info.measured = cumulative[period][indicator.code][unit.pk].value
    when = min(round.data_end, timezone.localdate())  # while the round runs, the path so far
    for info in found.values():
        info.share = info.target.share_achieved(info.measured)
        siblings = (each_below if info.for_each_below else by_indicator)[info.target.indicator_id]
        expected = expected_on(path_knots(info.target, info.target.plan, siblings), info.target, when)
        info.status = status(info.target, info.measured, expected)
        info.met = info.target.met_by(info.measured)
    return governed, found


def _chosen_targets(round: Round, governed: Governing, indicators) -> tuple[dict, dict, dict]:
    """({code: TargetInfo} not yet measured, the unit's targets by indicator, the targets
    for each unit below by indicator)."""
    by_indicator, each_below = defaultdict(list), defaultdict(list)
    for t in governed.targets:
        by_indicator[t.indicator_id].append(t)
    for t in governed.subunit_targets:
        each_below[t.indicator_id].append(t)
    found = {}
    for indicator in indicators:
        target = pick_target(by_indicator.get(indicator.pk, []), round)
        each = target is None
        if each:
            target = pick_target(each_below.get(indicator.pk, []), round)
        if target is None:
            continue
        info = TargetInfo(target, target.plan, for_each_below=each)
        info.cumulative = not (target.year is None or (target.cumulative == round.is_review and target.year in (
            round.year, round.data_end.year)))
        found[indicator.code] = info
    return found, by_indicator, each_below


def cumulative_periods(round: Round, found: dict, indicators) -> dict[Period, list]:
    """{Period: [indicator]}: the records-based indicators whose targets are compared from
    their plan's start to the round's cut-off end, by that period."""
    periods = defaultdict(list)
    for indicator in indicators:
        info = found.get(indicator.code)
        if info is not None and info.cumulative and aggregation.is_records(indicator):
            starts = [p.source.plan.starts_on for p in info.target.parts] or [info.target.plan.starts_on]
            starts = [d for d in starts if d]
            periods[Period(min(starts) if starts else round.data_start, round.data_end)].append(indicator)
    return periods


# --- the document's number, recipients and signer --------------------------------------


def document_defaults(round: Round, unit: AdminUnit, governed: Governing | None = None) -> dict:
    """What the page pre-fills in an empty number, recipients and signer (two or three
    queries): the unit's previous sent report's recipients and signer, and the number
    after its number; without one, the recipients the plans ask for: the Union of the
    level above (to report), the People's Committee of the province and, where a plan
    governing the unit says so, the provincial Party committee."""
    previous = (Report.objects.filter(unit=unit, submitted_at__isnull=False).exclude(round=round)
                .order_by("-submitted_at").first())
    if previous is not None:
        found = {name: getattr(previous, name) for name in ("recipients", "signature_authority", "signer_title",
                                                            "signer_name")}
        number = previous.document_number.strip()
        found["document_number"] = str(int(number) + 1) if number.isdigit() else ""
        return found
    from htxnu.accounts.models import Organisation

    lines = []
    above = Organisation.objects.filter(kind=Organisation.Kind.UNION, unit_id=unit.parent_id).first() \
        if unit.parent_id else None
    if above is not None:
        lines.append(_("%(body)s (to report)") % {"body": above.name})
    province = unit if unit.level == "province" else unit.current_province
    if province is not None and province.level == "province":
        name = province.name[:1].lower() + province.name[1:]
        lines.append(_("People's Committee of %(province)s") % {"province": name})
        governed = governed or governing_for(round, unit)
        plans = governed.plans + (governing_for(round, province).plans if province.pk != unit.pk else [])
        if any(p.reports_to_party_committee for p in plans):
            city = not province.kind.lower().startswith("tỉnh")
            lines.append((_("Standing committee of the city Party committee of %(name)s") if city else
                          _("Standing committee of the provincial Party committee of %(name)s"))
                         % {"name": province.short_name})
    return {"recipients": "\n".join(lines)}


# --- the mid-term and final reviews ----------------------------------------------------


def next_phase_end(round: Round) -> datetime.date:
    """The end of the phase a review proposes targets for: 2030 after the mid-term review,
    five years on after the final one."""
    return datetime.date(round.year + 5, 12, 31)


def review_projections(round: Round, unit: AdminUnit, indicators) -> dict:
    """{code: projected value} for a review: each records-based figure of the unit counted
    from the review's start to the last three 6-month cut-offs (the review's end last),
    carried along the trend to the end of the next phase (plans.progress.project, the
    dashboard's projection). Three compute_many; {} for other rounds."""
    if not round.is_review:
        return {}
    wanted = [i for i in indicators if aggregation.is_records(i)]
    cutoffs = [round.data_end]
    for _n in range(2):
        last = cutoffs[0]
        cutoffs.insert(0, datetime.date(last.year, 6, 14) if last.month == 12 else datetime.date(last.year - 1, 12, 14))
    points = defaultdict(list)
    for cutoff in cutoffs:
        computed = compute_many(wanted, [unit], Period(round.data_start, cutoff))
        for indicator in wanted:
            points[indicator.code].append((cutoff, computed[indicator.code][unit.pk].value))
    end = next_phase_end(round)
    found = {}
    for indicator in wanted:
        projected = project(points[indicator.code], end, percent=indicator.is_percent,
                            start=(round.data_start, Decimal(0)))
        if projected is not None:
            found[indicator.code] = projected
    return found


def proposed_target_text(indicator, projected) -> str:
    """What the proposal field is pre-filled with: "≥" the projection, rounded (whole
    numbers for counts)."""
    if projected is None:
        return ""
    value = projected.quantize(Decimal("1")) if not indicator.is_percent else min(projected, Decimal(100))
    return format_target(Op.GE, value, percent=indicator.is_percent)


def review_commendations(user, round: Round, unit: AdminUnit) -> list:
    """The collectives and people proposed for commendation or commended in the unit and
    below (activities.selectors.nominations, the recorded commendations), for a review."""
    if not round.is_review:
        return []
    from htxnu.activities.selectors import nominations

    return list(nominations(user, unit)[:200])


# --- funding (annual reports) --------------------------------------------------------


def report_funding(user, round: Round, unit: AdminUnit):
    """The funding section of an annual report (seed 001 asks for the funds each year):
    the estimate, allocation and spending by source and the loans by lender recorded for
    the unit and the units below in the round's year (activities.selectors.funding_summary,
    the activities app's rule), or None for other rounds."""
    if round.kind != RoundKind.ANNUAL:
        return None
    from htxnu.activities.selectors import funding_summary

    return funding_summary(user, unit, round.year)


# --- histories -----------------------------------------------------------------------


def report_timeline(report: Report) -> list[AuditEntry]:
    """Every state change and save of the report and every comment on its figures (their
    entries name the figure), newest first (one query)."""
    from .models import ValueComment

    comments = ValueComment.objects.filter(report=report).annotate(key=Cast("pk", CharField())).values("key")
    kind = ContentType.objects.get_for_model(ValueComment)
    on_figures = AuditEntry.objects.filter(content_type=kind, object_id__in=comments)
    return list((AuditEntry.objects.for_object(report) | on_figures).select_related("actor").order_by("-at", "-pk")
                [:100])


def value_threads(report: Report | None) -> dict[int, list]:
    """{indicator id: [ValueComment]}, oldest first: the reviewer's comments and the
    unit's replies on each figure (one query)."""
    from .models import ValueComment

    found = defaultdict(list)
    if report is not None:
        for comment in ValueComment.objects.filter(report=report).select_related("author"):
            found[comment.indicator_id].append(comment)
    return found


def value_histories(report: Report, values: dict | None = None) -> dict[int, list[AuditEntry]]:
    """{indicator id: audit entries of its value}, newest first (two queries; one when the
    report's values, {indicator id: ReportValue}, are passed in)."""
    from .models import ReportValue

    if values is None:
        values = {v.indicator_id: v for v in ReportValue.objects.filter(report=report)}
    ids = {v.pk: indicator_id for indicator_id, v in values.items()}
    if not ids:
        return {}
    kind = ContentType.objects.get_for_model(ReportValue)
    found = defaultdict(list)
    for entry in AuditEntry.objects.filter(content_type=kind, object_id__in=[str(pk) for pk in ids]).select_related(
            "actor"):
        found[ids[int(entry.object_id)]].append(entry)
    return found


# --- everything a report shows -------------------------------------------------------


@dataclass
class ReportData:
    """What a report page and the documents show, computed once."""

    indicators: list
    figures: dict  # {code: aggregation.Figure} of the unit
    plan: Plan | None
    targets: dict  # {code: TargetInfo}
    expected: list  # the units whose reports add up into this one (completeness)
    below: list  # the units below shown, in the chosen geography
    rows: dict  # {unit id: {code: Figure}} of the units below shown
    row_reports: dict  # {unit id: Report}
    same_rows: bool  # below is expected (the round's own geography)
    geography: str
    governing: Governing | None = None  # the plans the targets come from (own or provisional)
    tally: Tally | None = None  # targets reached / on track / at risk / behind


def report_data(round: Round, unit: AdminUnit, report: Report | None, geography: str) -> ReportData:
    indicators = aggregation.active_indicators()
    expected = aggregation.contributors(round, [unit])[unit.pk]
    # In the round's own geography the units below are those whose reports add up; in
    # the other one, the same territory cut the other way (aggregation.units_below).
    same_rows = geography == aggregation.geography_of(round)
    below = expected if same_rows else aggregation.units_below(unit, geography)
    # The cumulative figures the targets are compared with, read with the round's figures
    # (the same cut-off end: one pass over the records).
    governed = governing_for(round, unit)
    periods = cumulative_periods(round, _chosen_targets(round, governed, indicators)[0], indicators)
    figures, rows, row_reports, cumulative = aggregation.report_and_rows(
        round, unit, report, below, indicators=indicators, children=expected,
        also=[(wanted, period) for period, wanted in periods.items()])
    governed, targets = report_targets(round, unit, figures, indicators, governed=governed,
                                       cumulative=dict(zip(periods, cumulative, strict=True)))
    return ReportData(indicators, figures, governed.plan, targets, expected, below, rows, row_reports, same_rows,
                      geography, governed, tally(targets))


# --- the officer's to-do list (home page) ------------------------------------------------

TODO_LOOKAHEAD = datetime.timedelta(days=90)  # reports due within this show before they are late
TODO_LOOKBACK = datetime.timedelta(days=366)  # late reports older than this are history, not to-do


@dataclass
class DueReport:
    round: Round
    deadline: Deadline | None
    report: Report | None

    @property
    def late(self) -> bool:
        return self.deadline is not None and self.deadline.date < timezone.localdate()


@dataclass
class Todo:
    due: list[DueReport] = field(default_factory=list)
    returned: list[Report] = field(default_factory=list)  # with the reviewer's comment
    to_review: list[Report] = field(default_factory=list)  # submitted by the units directly below


def todo(user, unit: AdminUnit, today: datetime.date | None = None, limit: int = 10) -> Todo:
    """What a unit's officer has to do about reports: the unit's reports not yet sent whose
    deadline is near or recently passed, the unit's reports returned for changes, and (for
    an approver) the reports of the units directly below waiting for review."""
    today = today or timezone.localdate()
    result = Todo()
    if report_permissions.can_edit_report(user, unit):
        rounds = [r for r in rounds_for(user, unit, today) if unit.is_valid_at(r.reference_date)]
        reports = {r.round_id: r for r in Report.objects.filter(unit=unit, round__in=rounds)}
        due = deadlines([(r, unit) for r in rounds])
        for report_round in rounds:
            report = reports.get(report_round.pk)
            if report is not None and report.state not in (ReportState.DRAFT, ReportState.RETURNED):
                continue
            deadline = due.get((report_round.pk, unit.pk))
            if deadline is None or today - TODO_LOOKBACK <= deadline.date <= today + TODO_LOOKAHEAD:
                if report is not None and report.state == ReportState.RETURNED:
                    result.returned.append(report)
                else:
                    result.due.append(DueReport(report_round, deadline, report))
        result.due.sort(key=lambda d: (d.deadline is None, d.deadline.date if d.deadline else today))
        result.due = result.due[:limit]
    submitted = list(Report.objects.visible_to(user).filter(state=ReportState.SUBMITTED, unit__parent=unit)
                     .select_related("round", "unit").order_by("submitted_at")[:limit])
    if submitted and report_permissions.can_review_report(user, submitted[0].unit):  # one rule for all the units below
        result.to_review = submitted
    return result
