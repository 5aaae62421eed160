"""Writes to plans and targets. Each service checks the actor's right on the plan's unit
(accounts.permissions.can_edit_records: officers of the unit, or of a unit above that
covers it), validates, writes and audits every row it creates, changes or deletes, in
one transaction.

The parts of a plan (phases, thresholds, baselines, reporting rules, task groups,
basis documents) are saved as whole lists: a row with an "id" updates that row, a row
without creates one, and the rows left out are deleted. That suits both the edit page
and an import (plan_create_from_extraction, used by the plan-import screen and by the
demo data).
"""

import datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from htxnu.accounts import permissions
from htxnu.accounts.models import Organisation
from htxnu.core import audit
from htxnu.core.db import retry_on_conflict
from htxnu.registry import facts
from htxnu.text import name_key, nfc, strip_diacritics

from .models import (
    NATIONAL_PHASES,
    Baseline,
    BasisDocument,
    DocumentType,
    FemaleShareThreshold,
    Indicator,
    Op,
    Phase,
    Plan,
    ReportingRule,
    ReportPeriod,
    Target,
    TaskGroup,
    TaskGroupNumber,
    number_key,
)
from .target_text import parse_target

PLAN_FIELDS = {"doc_type", "number", "issued_on", "issuer", "title", "note", "document", "organisation",
               "reports_to_party_committee"}
PARTS = {
    "phases": (Phase, {"start_year", "end_year"}),
    "thresholds": (FemaleShareThreshold, {"op", "pct", "applies_to"}),
    "baselines": (Baseline, {"indicator", "value", "members", "as_of", "note"}),
    "reporting_rules": (ReportingRule, {"period", "deadline_month", "deadline_day", "quarter_month",
                                        "days_after_quarter_end"}),
    "task_groups": (TaskGroup, {"number", "title", "lead_agency", "lead_organisation", "coordinating_agencies",
                                "time_frame"}),
    "basis": (BasisDocument, {"number", "issued_on", "title"}),
}
TARGET_FIELDS = {"indicator", "year", "cumulative", "op", "value", "value_max", "per_subunit", "wording"}


def _require_edit(actor, unit) -> None:
    if not permissions.can_edit_records(actor, unit):
        raise PermissionDenied(_("You may not change the plans of this unit."))


def _clean_value(value):
    return nfc(value) if isinstance(value, str) else value


def _assign(instance, fields: dict, allowed: set[str]) -> None:
    unknown = set(fields) - allowed
    if unknown:
        raise TypeError(f"unexpected fields: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(instance, name, _clean_value(value))


def _refresh_period(plan: Plan) -> None:
    """starts_on / ends_on from the phases: 1 January of the first year (the year of issue
    when the plan says only "until …") to 31 December of the last."""
    phases = list(plan.phases.all())
    if not phases:
        plan.starts_on, plan.ends_on = plan.issued_on, None
        return
    last = max(p.end_year for p in phases)
    starts = [p.start_year or min(plan.issued_on.year if plan.issued_on else p.end_year, p.end_year) for p in phases]
    plan.starts_on, plan.ends_on = datetime.date(min(starts), 1, 1), datetime.date(last, 12, 31)


def _save_part(actor, plan: Plan, name: str, rows: list[dict]) -> None:
    model, allowed = PARTS[name]
    existing = {row.pk: row for row in model.objects.filter(plan=plan)}
    keep = {row["id"] for row in rows if row.get("id")}
    unknown = keep - set(existing)
    if unknown:
        raise ValidationError(_("These rows do not belong to this plan: %(ids)s") % {"ids": sorted(unknown)})
    note = str(plan)
    for pk in sorted(set(existing) - keep):
        audit.log_delete(actor, existing[pk], note=note)
        existing[pk].delete()
    for row in rows:
        fields = {k: v for k, v in row.items() if k != "id"}
        if row.get("id"):
            instance = existing[row["id"]]
            before = audit.snapshot(instance)
            _assign(instance, fields, allowed)
            audit.save_audited(instance, actor, before=before, note=note)
        else:
            instance = model(plan=plan)
            _assign(instance, fields, allowed)
            audit.save_audited(instance, actor, note=note)


def _save_targets(actor, plan: Plan, rows: list[dict]) -> None:
    for row in rows:
        target = Target(plan=plan)
        _assign(target, row, TARGET_FIELDS)
        audit.save_audited(target, actor, note=str(plan))


def _default_task_groups(given: list[dict] | None) -> list[dict]:
    """The six task groups every plan of Đề án 01 has, completed with what was given."""
    by_number = {row["number"]: row for row in given or []}
    return [by_number.get(number, {"number": number}) for number in TaskGroupNumber.values]


def _sets_threshold(plan: Plan) -> bool:
    return plan.thresholds.filter(applies_to=FemaleShareThreshold.AppliesTo.TARGETS).exists()


def _timelines_before(unit, *, threshold: bool) -> dict | None:
    """A plan's target threshold and dates decide "many jobs for women" in its territory
    (registry facts) when it sets or set one, or when it is a plan of a unit of the day,
    which replaces its predecessors' thresholds at its level (threshold_timelines) even
    when it sets none: then the territory's threshold timelines before the change, for
    _refresh_facts to compare; else None (nothing to refresh)."""
    if threshold or unit.valid_to is None:
        return facts.threshold_snapshot([unit.pk])
    return None


def _refresh_facts(plan: Plan, before: dict | None) -> None:
    """Refresh the facts of the collectives whose territory's threshold timeline the
    change moved (none when only the plan's text or targets changed)."""
    if before is not None:
        facts.refresh_under([plan.unit_id], before=before)


class DuplicatePlan(ValidationError):
    """A plan with the same number, date and issuer is already in the system: the page
    links to it (`existing`) instead of creating a second one."""

    def __init__(self, existing: Plan):
        self.existing = existing
        super().__init__(
            _("Plan %(number)s of %(date)s issued by %(issuer)s is already in the system; open it instead of "
              "creating it again.") % {"number": existing.number, "issuer": existing.issuer or "—",
                                       "date": existing.issued_on.strftime("%d/%m/%Y") if existing.issued_on else "—"},
            code="duplicate")


def duplicate_of(*, number: str, issued_on: datetime.date | None, issuer: str) -> Plan | None:
    """The plan already saved with the same number, date and issuer (numbers compared as
    models.number_key, issuers whatever the case, spacing or typing of their accents), if any.
    A plan without a number is never taken for a duplicate."""
    key = number_key(number)
    if not key:
        return None
    wanted = name_key(issuer or "")
    for plan in Plan.objects.filter(number_key=key, issued_on=issued_on).order_by("pk"):
        if name_key(plan.issuer) == wanted:
            return plan
    return None


@transaction.atomic
def plan_create(*, actor, unit, organisation: Organisation | None = None, targets: list[dict] = (),
                **fields) -> Plan:
    """Create a plan with its parts and targets; DuplicatePlan when the same document
    (number, date, issuer) is already there."""
    _require_edit(actor, unit)
    existing = duplicate_of(number=fields.get("number") or "", issued_on=fields.get("issued_on"),
                            issuer=fields.get("issuer") or "")
    if existing is not None:
        raise DuplicatePlan(existing)
    parts = {name: fields.pop(name) for name in list(fields) if name in PARTS}
    parts["task_groups"] = _default_task_groups(parts.get("task_groups"))
    if organisation is None:
        organisation = Organisation.objects.filter(kind=Organisation.Kind.UNION, unit=unit).first()
    before = _timelines_before(unit, threshold=bool(parts.get("thresholds")))
    plan = Plan(unit=unit, organisation=organisation)
    _assign(plan, fields, PLAN_FIELDS - {"organisation"})
    plan.full_clean()
    plan.save()
    for name, rows in parts.items():
        _save_part(actor, plan, name, rows)
    _refresh_period(plan)
    audit.save_audited(plan, actor, validate=False, update_fields=["starts_on", "ends_on"])
    _save_targets(actor, plan, list(targets))
    _refresh_facts(plan, before)
    return plan


@retry_on_conflict
@transaction.atomic
def plan_adopt(*, actor, unit, plans: list[Plan] | None = None, start_year: int = NATIONAL_PHASES[1][0],
               number: str = "", issued_on: datetime.date | None = None, issuer: str = "") -> Plan:
    """"Áp dụng kế hoạch": a unit without a plan of its own adopts the plan of a unit it
    was formed from, or several of them added up (plans.governing), as its own plan from
    1 January of `start_year`, in one step: their targets of that year on (added up, or
    the stricter percentage), the stricter female-labour threshold, the reporting rules of
    the first, linked to the originals (Plan.adopted_from). From then on its targets are
    its own, no longer provisional. `plans` None: every plan that governs it then."""
    _require_edit(actor, unit)
    from .governing import combined_targets, governing, provisional_text

    start = datetime.date(start_year, 1, 1)
    governed = governing(unit, start)
    if governed.own is not None:
        raise ValidationError(_("%(unit)s already has its own plan %(plan)s in force on %(date)s.")
                              % {"unit": unit, "plan": governed.own, "date": start.strftime("%d/%m/%Y")})
    available = {s.plan.pk: s for s in governed.sources}
    if not available:
        raise ValidationError(_("No plan of the units %(unit)s was formed from is in force on %(date)s: there is "
                                "nothing to adopt.") % {"unit": unit, "date": start.strftime("%d/%m/%Y")})
    wanted = [p.pk for p in plans] if plans is not None else list(available)
    if not wanted or any(pk not in available for pk in wanted):
        raise ValidationError(_("Choose among the plans that govern %(unit)s on %(date)s: %(plans)s.")
                              % {"unit": unit, "date": start.strftime("%d/%m/%Y"),
                                 "plans": ", ".join(str(s.plan) for s in available.values())})
    sources = [available[pk] for pk in wanted]
    originals = list(Plan.objects.filter(pk__in=wanted).prefetch_related("phases", "thresholds", "reporting_rules"))
    end_year = max((ph.end_year for p in originals for ph in p.phases.all()), default=NATIONAL_PHASES[1][1])
    thresholds = [t for p in originals for t in p.thresholds.all()
                  if t.applies_to == FemaleShareThreshold.AppliesTo.TARGETS]
    first = next(p for p in originals if p.pk == wanted[0])
    text = provisional_text(sources)
    targets = [{"indicator": t.indicator, "year": t.year, "cumulative": t.cumulative, "op": t.op, "value": t.value,
                "value_max": t.value_max, "per_subunit": t.per_subunit, "wording": t.source_text[:400]}
               for per_subunit in (False, True) for t in combined_targets(sources, per_subunit=per_subunit)
               if t.year is None or t.year >= start_year]
    plan = plan_create(
        actor=actor, unit=unit, doc_type=DocumentType.PLAN, number=number, issued_on=issued_on, issuer=issuer,
        reports_to_party_committee=any(p.reports_to_party_committee for p in originals),
        title=_("Adopting plan %(plans)s as the plan of %(unit)s, %(start)s–%(end)s")
        % {"plans": ", ".join(str(s.plan) for s in sources), "unit": unit, "start": start_year, "end": end_year},
        note=text[:1].upper() + text[1:] + ".",
        phases=[{"start_year": start_year, "end_year": max(end_year, start_year)}],
        thresholds=[{"op": t.op, "pct": t.pct, "applies_to": t.applies_to}
                    for t in sorted(thresholds, key=lambda t: (t.pct, t.op == ">"))[-1:]],
        reporting_rules=[{"period": r.period, "deadline_month": r.deadline_month, "deadline_day": r.deadline_day,
                          "quarter_month": r.quarter_month, "days_after_quarter_end": r.days_after_quarter_end}
                         for r in first.reporting_rules.all()],
        targets=targets,
    )
    plan.adopted_from.set(originals)
    audit.log(actor=actor, action=audit.AuditEntry.Action.UPDATE, instance=plan,
              changes={"adopted_from": [[], [str(s.plan) for s in sources]]}, note=text)
    return plan


@transaction.atomic
def plan_update(*, actor, plan: Plan, **fields) -> Plan:
    plan = Plan.objects.select_for_update(of=("self",)).select_related("unit").get(pk=plan.pk)
    _require_edit(actor, plan.unit)
    snapshot = audit.snapshot(plan)
    parts = {name: fields.pop(name) for name in list(fields) if name in PARTS}
    before = _timelines_before(plan.unit, threshold=_sets_threshold(plan) or bool(parts.get("thresholds")))
    _assign(plan, fields, PLAN_FIELDS)
    plan.full_clean()
    for name, rows in parts.items():
        _save_part(actor, plan, name, rows)
    _refresh_period(plan)
    audit.save_audited(plan, actor, before=snapshot, validate=False)
    _refresh_facts(plan, before)
    return plan


@transaction.atomic
def plan_delete(*, actor, plan: Plan) -> None:
    """For plans entered by mistake; a plan that ended simply stops being in force."""
    _require_edit(actor, plan.unit)
    for name in [*PARTS, "targets"]:
        for row in getattr(plan, name).all():
            audit.log_delete(actor, row, note=str(plan))
    audit.log_delete(actor, plan)
    document = plan.document
    before = _timelines_before(plan.unit, threshold=_sets_threshold(plan))
    plan.delete()
    _refresh_facts(plan, before)
    if document:
        transaction.on_commit(lambda: document.storage.delete(document.name))


@retry_on_conflict
@transaction.atomic
def target_set(*, actor, plan: Plan, indicator: Indicator, year: int | None, cumulative: bool,
               per_subunit: bool, text: str) -> Target | None:
    """Set one cell of the target grid from what the officer typed ("≥ 13", "3-4",
    "khoảng 7"…); an empty cell removes the target."""
    _require_edit(actor, plan.unit)
    parsed = parse_target(text)
    cumulative = bool(cumulative and year)
    target = (
        Target.objects.select_for_update(of=("self",))
        .filter(plan=plan, indicator=indicator, year=year, cumulative=cumulative, per_subunit=per_subunit)
        .first()
    )
    if parsed is None:
        if target is not None:
            audit.log_delete(actor, target, note=str(plan))
            target.delete()
        return None
    fields = {"op": parsed.op, "value": parsed.value, "value_max": parsed.value_max}
    if target is None:
        target = Target(plan=plan, indicator=indicator, year=year, cumulative=cumulative, per_subunit=per_subunit,
                        **fields)
        audit.save_audited(target, actor, note=str(plan))
        return target
    before = audit.snapshot(target)
    _assign(target, fields, TARGET_FIELDS)
    audit.save_audited(target, actor, before=before, note=str(plan))
    return target


# --- import from the plan-gold format ------------------------------------------------

_OPS = {"=": Op.EQ, ">=": Op.GE, "≥": Op.GE, ">": Op.GT, "~": Op.APPROX, "≈": Op.APPROX, "between": Op.BETWEEN}
_DOC_TYPES = {strip_diacritics(t.value).upper(): t.value for t in DocumentType if t != DocumentType.OTHER}


def _date(value, where: str, errors: list) -> datetime.date | None:
    if not value:
        return None
    try:
        return datetime.date.fromisoformat(str(value))
    except ValueError:
        errors.append(_("%(where)s: “%(value)s” is not a date (YYYY-MM-DD).") % {"where": where, "value": value})
        return None


def _decimal(value, where: str, errors: list) -> Decimal | None:
    try:
        return Decimal(str(value))
    except (InvalidOperation, TypeError, ValueError):
        errors.append(_("%(where)s: “%(value)s” is not a number.") % {"where": where, "value": value})
        return None


def _month_day(value, where: str, errors: list) -> tuple[int | None, int | None]:
    if not value:
        return None, None
    try:
        month, day = (int(x) for x in str(value).split("-"))
        datetime.date(2024, month, day)
        return month, day
    except ValueError:
        errors.append(_("%(where)s: “%(value)s” is not a day of the year (MM-DD).") % {"where": where,
                                                                                        "value": value})
        return None, None


def _quarter_rule(reporting: dict, errors: list) -> dict:
    """The quarterly rule of a plan-gold "reporting": "quarter_deadline" {"month_of_quarter", "day"}
    or {"days_after_end"}, else a quarterly day and month of its own; never the annual deadline."""
    rule = {"period": ReportPeriod.QUARTERLY, "deadline_month": None, "deadline_day": None,
            "quarter_month": None, "days_after_quarter_end": None}
    quarter = reporting.get("quarter_deadline") or {}
    try:
        if quarter.get("days_after_end") is not None:
            days = int(quarter["days_after_end"])
            if not 1 <= days <= 60:
                raise ValueError
            rule["days_after_quarter_end"] = days
        elif quarter.get("month_of_quarter") is not None:
            month, day = int(quarter["month_of_quarter"]), int(quarter.get("day"))
            if not (1 <= month <= 3 and 1 <= day <= 31):
                raise ValueError
            rule["quarter_month"], rule["deadline_day"] = month, day
        else:
            rule["deadline_month"], rule["deadline_day"] = _month_day(
                (reporting.get("deadlines") or {}).get("quarterly"), _("Reporting"), errors)
    except (TypeError, ValueError):
        errors.append(_("Reporting: the quarterly deadline “%(value)s” is neither a day of a month of the quarter "
                        "nor a number of days (1–60) after the quarter ends.") % {"value": quarter})
    return rule


def plan_fields_from_extraction(data: dict, *, skip_optional: bool = True) -> dict:
    """The keyword arguments of plan_create for a plan in the plan-gold format
    (shared/plan-gold; what htxnu.plans.extraction produces). Raises one ValidationError
    listing every item it cannot take, each saying which item and why.

    - document.number/date missing but "inferred" given: the inferred ones are used and
      the note says so;
    - the first female-share threshold applies to the targets (Lào Cai: > 70%), the
      others to the target-group section (> 80%), unless an item says "applies_to";
    - items marked "optional" (readings the annotator was unsure of) are skipped when
      skip_optional (the default): the import screen sends only what the user confirmed;
    - a target's "wording", or else the text of its "evidence", is kept as written;
    - an item's "n", where given, is its number in messages (the import screen numbers
      every item it shows, kept or not).
    """
    errors: list[str] = []
    document = data.get("document") or {}
    number, issued, note = document.get("number"), document.get("date"), ""
    inferred = document.get("inferred") or {}
    if not number and inferred.get("number"):
        number, issued = inferred["number"], issued or inferred.get("date")
        note = _("Number and date inferred from the text of the document: check them against the original.")
    doc_type = _DOC_TYPES.get(strip_diacritics(str(document.get("type") or "KH")).upper(), DocumentType.OTHER)
    fields = {
        "doc_type": doc_type, "number": number or "", "issuer": document.get("issuer") or "",
        "issued_on": _date(issued, _("Document date"), errors), "note": note,
    }
    if document.get("title"):
        fields["title"] = document["title"]

    fields["basis"] = [
        {"number": b["number"], "issued_on": _date(b.get("date"), _("Basis %(n)s") % {"n": b.get("n", i)}, errors),
         "title": b.get("title") or ""}
        for i, b in enumerate(data.get("basis") or [], start=1) if b.get("number")
    ]
    fields["phases"] = []
    for i, phase in enumerate(data.get("phases") or [], start=1):
        try:
            start, end = phase
            fields["phases"].append({"start_year": int(start) if start else None, "end_year": int(end)})
        except (TypeError, ValueError):
            errors.append(_("Phase %(n)s: “%(value)s” is not [from year, to year].") % {"n": i, "value": phase})

    fields["thresholds"] = []
    for i, t in enumerate(data.get("female_share_thresholds") or [], start=1):
        where = _("Female-labour threshold %(n)s") % {"n": t.get("n", i)}
        if t.get("op") not in (">", ">=", "≥"):
            errors.append(_("%(where)s: the comparison must be > or ≥.") % {"where": where})
            continue
        default = FemaleShareThreshold.AppliesTo.TARGETS if i == 1 else FemaleShareThreshold.AppliesTo.TARGET_GROUP
        fields["thresholds"].append({
            "op": ">" if t["op"] == ">" else ">=", "pct": _decimal(t.get("pct"), where, errors),
            "applies_to": t.get("applies_to") or default,
        })

    catalogue = {i.code: i for i in Indicator.objects.all()}

    def indicator(code, where):
        if code not in catalogue:
            errors.append(_("%(where)s: there is no indicator “%(code)s” in the catalogue.") % {"where": where,
                                                                                               "code": code})
        return catalogue.get(code)

    fields["baselines"] = []
    for i, b in enumerate(data.get("baselines") or [], start=1):
        where = _("Baseline %(n)s") % {"n": b.get("n", i)}
        fields["baselines"].append({
            "indicator": indicator(b.get("indicator"), where), "value": _decimal(b.get("value"), where, errors),
            "members": b.get("members"), "as_of": _date(b.get("as_of"), where, errors),
        })

    targets, seen = [], {}
    for i, t in enumerate(data.get("targets") or [], start=1):
        if skip_optional and t.get("optional"):
            continue
        n = t.get("n", i)  # the number the user saw, where the import screen gives it
        where = _("Target %(n)s (%(code)s)") % {"n": n, "code": t.get("indicator")}
        op = _OPS.get(t.get("op"))
        if op is None:
            errors.append(_("%(where)s: unknown comparison “%(op)s”.") % {"where": where, "op": t.get("op")})
            continue
        raw = t.get("value")
        if op == Op.BETWEEN:
            if not isinstance(raw, list) or len(raw) != 2:
                errors.append(_("%(where)s: a range needs two values.") % {"where": where})
                continue
            value, value_max = _decimal(raw[0], where, errors), _decimal(raw[1], where, errors)
        else:
            value, value_max = _decimal(raw, where, errors), None
        year = t.get("year")
        row = {
            "indicator": indicator(t.get("indicator"), where), "year": int(year) if year else None,
            "cumulative": bool(t.get("cumulative")) and bool(year), "op": op, "value": value,
            "value_max": value_max, "per_subunit": bool(t.get("per_subunit")),
            "wording": (t.get("wording") or (t.get("evidence") or {}).get("text") or "")[:400],
        }
        key = (t.get("indicator"), row["year"], row["cumulative"], row["per_subunit"])
        if key in seen:
            errors.append(_("%(where)s: the same target as target %(other)s.") % {"where": where, "other": seen[key]})
            continue
        seen[key] = n
        targets.append(row)
    fields["targets"] = targets

    reporting = data.get("reporting") or {}
    deadlines = reporting.get("deadlines") or {}
    fields["reporting_rules"] = []
    for period in reporting.get("periods") or []:
        if period not in ReportPeriod.values:
            errors.append(_("Reporting: unknown report period “%(p)s”.") % {"p": period})
            continue
        if period == ReportPeriod.QUARTERLY:
            fields["reporting_rules"].append(_quarter_rule(reporting, errors))
            continue
        deadline = None if period == ReportPeriod.AD_HOC else deadlines.get(period, reporting.get("deadline"))
        month, day = _month_day(deadline, _("Reporting"), errors)
        fields["reporting_rules"].append({"period": period, "deadline_month": month, "deadline_day": day})

    fields["task_groups"] = []
    for g in data.get("task_groups") or []:
        if g.get("group") not in TaskGroupNumber.values:
            errors.append(_("Task group “%(g)s” is not one of the six.") % {"g": g.get("group")})
            continue
        fields["task_groups"].append({
            "number": g["group"], "title": (g.get("title") or "")[:400], "lead_agency": g.get("lead") or "",
            "coordinating_agencies": [p for p in g.get("partners") or [] if p],
            "time_frame": (g.get("time_frame") or "")[:200],
        })
    if errors:
        raise ValidationError(errors)
    return fields


def plan_create_from_extraction(*, actor, data: dict, unit, organisation: Organisation | None = None,
                                document=None, skip_optional: bool = True) -> Plan:
    """Save a plan given in the plan-gold format, after the user confirmed its items
    (the plan-import screen) or from the annotations (the demo data)."""
    fields = plan_fields_from_extraction(data, skip_optional=skip_optional)
    if document is not None:
        fields["document"] = document
    return plan_create(actor=actor, unit=unit, organisation=organisation, **fields)


# --- plan import ---------------------------------------------------------------------------


def plan_import_start(*, actor, unit, filename: str, content: bytes | None = None,
                      text: str | None = None):
    """Keep an uploaded plan (or pasted text) and queue its reading (tasks.read_plan_import),
    so a long PDF never holds the request open; the import is "reading" until then.
    Raises extraction.ExtractionError with a Vietnamese message for a pasted text longer
    than any plan; nothing is kept then."""
    from django.core.files.base import ContentFile

    from .extraction import check_length
    from .models import PlanImport
    from .tasks import read_plan_import

    _require_edit(actor, unit)
    if text is not None:
        check_length(text, filename)
    plan_import = PlanImport(unit=unit, created_by=actor, filename=filename[:200], text=nfc(text or ""),
                             status=PlanImport.Status.READING)
    if content:
        plan_import.document.save(filename, ContentFile(content), save=False)
    with transaction.atomic():
        plan_import.save()
        audit.log(actor=actor, action=audit.AuditEntry.Action.IMPORT, instance=plan_import,
                  note=_("%(file)s queued for reading") % {"file": filename})
        transaction.on_commit(lambda: read_plan_import.enqueue(plan_import.pk))
    return plan_import


def plan_import_read(*, plan_import_id: int, progress=None) -> str:
    """Read and extract a queued import (the work of tasks.read_plan_import); returns its
    new status. A document that cannot be read, or is not a plan, leaves the import
    "failed" with the Vietnamese reason; otherwise it becomes a draft to review,
    attached to the unit the document names (as of its date) when the uploader may edit it."""
    from django.core.files.base import ContentFile

    from .extraction import ExtractionError, Reading, extract_plan, read_file
    from .imports import detect_unit
    from .models import PlanImport

    plan_import = PlanImport.objects.select_related("unit", "created_by").filter(
        pk=plan_import_id, status=PlanImport.Status.READING).first()
    if plan_import is None:
        return "skipped"
    # Reading and extracting (seconds for a long PDF) hold no transaction open; the writes do.
    try:
        if plan_import.document:
            with plan_import.document.open("rb") as stored:
                data = stored.read()
            reading = read_file(data, plan_import.filename, progress=progress)
        else:
            reading = Reading(plan_import.text)
        read = reading.text
        extracted = extract_plan(read, source=plan_import.filename)
    except ExtractionError as error:
        return plan_import_fail(plan_import_id=plan_import_id, message=error.message)
    storage = plan_import.document.storage
    for number, image in enumerate(reading.page_images, start=1):
        # The review shows each page of a scan beside the sentences read from it.
        storage.delete(plan_import.page_image_name(number))
        storage.save(plan_import.page_image_name(number), ContentFile(image))
    actor = plan_import.created_by
    detected = detect_unit(extracted)
    unit = detected if detected is not None and actor and permissions.can_edit_records(actor, detected) else None
    with transaction.atomic():
        plan_import = PlanImport.objects.select_for_update(of=("self",)).get(pk=plan_import_id)
        if plan_import.status != PlanImport.Status.READING:
            return "skipped"
        before = audit.snapshot(plan_import)
        plan_import.status, plan_import.text, plan_import.extracted = PlanImport.Status.DRAFT, read, extracted
        plan_import.ocr, plan_import.page_starts = reading.ocr, reading.page_starts
        plan_import.unit = unit or plan_import.unit
        plan_import.full_clean()
        plan_import.save()
        changes = audit.diff(before, audit.snapshot(plan_import))
        for kept_in_the_import in ("text", "extracted"):
            changes.pop(kept_in_the_import, None)
        audit.log(actor=actor, action=audit.AuditEntry.Action.IMPORT, instance=plan_import, changes=changes,
                  note=_("%(n)s targets read from %(file)s") % {"n": len(extracted.get("targets") or []),
                                                                 "file": plan_import.filename})
    return plan_import.status


@transaction.atomic
def plan_import_fail(*, plan_import_id: int, message: str) -> str:
    """Mark a queued import as unreadable, with the reason shown to the uploader."""
    from .models import PlanImport

    plan_import = PlanImport.objects.select_for_update(of=("self",)).filter(pk=plan_import_id).first()
    if plan_import is None or plan_import.status != PlanImport.Status.READING:
        return "skipped"
    before = audit.snapshot(plan_import)
    plan_import.status, plan_import.error = PlanImport.Status.FAILED, message
    if plan_import.document:
        # Nothing of an unreadable file is kept.
        stored = plan_import.document
        transaction.on_commit(lambda: stored.storage.delete(stored.name))
        plan_import.document = ""
    audit.save_audited(plan_import, plan_import.created_by, before=before, validate=False,
                       update_fields=["status", "error", "document"])
    return plan_import.status


@transaction.atomic
def plan_import_confirm(*, actor, plan_import, data: dict, unit) -> Plan:
    """Save the items the user kept as a plan of `unit`, with the original document."""
    from django.core.files import File

    from .models import PlanImport

    plan_import = PlanImport.objects.select_for_update(of=("self",)).get(pk=plan_import.pk)
    if plan_import.status != PlanImport.Status.DRAFT:
        raise ValidationError(_("This import was already saved or discarded."))
    _require_edit(actor, unit)
    document = None
    if plan_import.document:
        plan_import.document.open("rb")
        document = File(plan_import.document, name=plan_import.filename)
    try:
        plan = plan_create_from_extraction(actor=actor, data=data, unit=unit, document=document)
    finally:
        if document is not None:
            plan_import.document.close()
    before = audit.snapshot(plan_import)
    plan_import.status, plan_import.plan = PlanImport.Status.SAVED, plan
    audit.save_audited(plan_import, actor, before=before, validate=False, update_fields=["status", "plan"])
    return plan


@transaction.atomic
def plan_import_discard(*, actor, plan_import) -> None:
    """Drop an import not saved yet; a saved one stays with its plan."""
    from .models import PlanImport

    _require_edit(actor, plan_import.unit)
    plan_import = PlanImport.objects.select_for_update(of=("self",)).get(pk=plan_import.pk)
    if plan_import.status != PlanImport.Status.DRAFT:
        raise ValidationError(_("This import was already saved or discarded."))
    before = audit.snapshot(plan_import)
    plan_import.status = plan_import.Status.DISCARDED
    audit.save_audited(plan_import, actor, before=before, validate=False, update_fields=["status"])
