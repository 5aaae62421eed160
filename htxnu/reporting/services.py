"""Writes of the reporting app. Each checks the actor's right first, validates, writes
and audits in one transaction, and locks the report row (select_for_update) when it
changes the report's state.

The workflow
------------
    draft ──submit──▶ submitted ──approve──▶ approved ──reopen (approver, reason)──▶ returned
      ▲                   │                                                          │
      └───────────────────┴──return (comment)──▶ returned ──submit (resubmitted)─────┘

- Officers of the unit write and submit (permissions.can_edit_report); approvers of a
  unit above approve or return (accounts.permissions.can_approve). An approved report
  is locked; only an approver reopens it, with a reason, which is audited.
- Submitting freezes every figure in the report's values (aggregation.freeze_rows).
- A unit set to "units below first" (UnitSetting) is submitted and approved only once
  every unit directly below it is approved (DHIS2's rule).

Two people editing one draft (optimistic concurrency)
-----------------------------------------------------
A report carries `version`. A page sends back the version it was loaded at and the
value of every field as loaded. Saving compares and swaps: the version is raised with
an UPDATE … WHERE version = <the version read>. When someone saved in between, each
field is merged: a field only I changed takes my value, a field only they changed keeps
theirs, and a field we both changed to different values is a conflict: nothing is
saved and EditConflict carries both values, so the page shows the other person's value
beside mine. Nothing is ever overwritten silently.
"""

import datetime
import json
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from htxnu.accounts.models import User
from htxnu.core import audit
from htxnu.core.db import retry_on_conflict
from htxnu.core.models import AuditEntry
from htxnu.geo.models import AdminUnit
from htxnu.plans.models import Indicator
from htxnu.text import nfc_text

from . import aggregation, permissions, selectors
from .models import (
    EDITABLE_STATES,
    NARRATIVE_FIELDS,
    DeadlineOverride,
    Notification,
    Report,
    ReportState,
    ReportValue,
    Round,
    RoundKind,
    UnitSetting,
    ValueComment,
)

DOCUMENT_FIELDS = ("document_number", "drafting_unit", "recipients", "signature_authority", "signer_title",
                   "signer_name")
REPORT_FIELDS = NARRATIVE_FIELDS + DOCUMENT_FIELDS + ("highlights",)
CENTS = Decimal("0.01")
VALUE_FIELDS = {"own": "own_value", "num": "own_numerator", "den": "own_denominator", "comment": "comment",
                "follow": "follow_up", "proposal": "proposed_target"}


class EditConflict(Exception):
    """Someone else saved the same fields in between. `conflicts` is {field: (mine,
    theirs)}; `report` is the report as it now stands."""

    def __init__(self, report: Report, conflicts: dict):
        super().__init__(_("Someone else saved this report while you were editing it."))
        self.report = report
        self.conflicts = conflicts


# --- fields of a draft ---------------------------------------------------------------


def field_name(prefix: str, code: str) -> str:
    return f"{prefix}:{code}"


def current_fields(report: Report | None, values: dict[int, ReportValue], indicators: list[Indicator]) -> dict:
    """Every editable field of a report as it now stands ({} parts for a new report)."""
    fields = {}
    for name in REPORT_FIELDS:
        default = [] if name == "highlights" else ""
        if name == "signature_authority":
            default = "TM"
        fields[name] = getattr(report, name) if report is not None else default
    for indicator in indicators:
        value = values.get(indicator.pk)
        for prefix, attr in VALUE_FIELDS.items():
            default = False if prefix == "follow" else (None if prefix in ("own", "num", "den") else "")
            fields[field_name(prefix, indicator.code)] = getattr(value, attr) if value is not None else default
    return fields


def _same(a, b) -> bool:
    if isinstance(a, list) or isinstance(b, list):
        return json.dumps(a or [], sort_keys=True, ensure_ascii=False) == json.dumps(
            b or [], sort_keys=True, ensure_ascii=False)
    if isinstance(a, Decimal) or isinstance(b, Decimal):
        return (a is None and b is None) or (a is not None and b is not None and Decimal(a) == Decimal(b))
    return (a or "") == (b or "") if isinstance(a, str) or isinstance(b, str) else a == b


def _clean(value):
    # Line by line: the recipients are one per line, the narrative one paragraph per line.
    return nfc_text(value) if isinstance(value, str) else value


# --- saving a draft ------------------------------------------------------------------


def _require_edit(actor, unit) -> None:
    if not permissions.can_edit_report(actor, unit):
        raise PermissionDenied(_("Only the officers of this unit may write its report."))


def _check_round(round: Round, unit: AdminUnit) -> None:
    if not unit.is_valid_at(round.reference_date):
        raise ValidationError(_("%(unit)s did not exist on %(date)s: the report of this round is written by the "
                                "units of that time.") % {"unit": unit, "date": f"{round.reference_date:%d/%m/%Y}"})
    if not selectors.round_applies(round, unit):
        raise ValidationError(_("This request does not concern %(unit)s.") % {"unit": unit})


def _get_or_create(actor, round: Round, unit: AdminUnit) -> Report:
    report = Report.objects.filter(round=round, unit=unit).first()
    if report is not None:
        return report
    _check_round(round, unit)
    try:
        with transaction.atomic():
            # No default signer's title: it would be stored in the language of the page;
            # the document supplies "CHỦ TỊCH" when none is typed (exports._document).
            report = Report.objects.create(round=round, unit=unit, created_by=actor)
    except IntegrityError:  # created by someone else a moment ago
        return Report.objects.get(round=round, unit=unit)
    audit.log_create(actor, report)
    return report


@retry_on_conflict
@transaction.atomic
def report_save(*, actor, round: Round, unit: AdminUnit, version: int, original: dict, changes: dict,
                indicators: list[Indicator] | None = None) -> Report:
    """Save a draft (see the module docstring). `version` is the one the page was loaded
    at (0 when there was no report yet), `original` the fields as loaded, `changes` the
    fields as sent. Raises EditConflict, ValidationError, PermissionDenied."""
    _require_edit(actor, unit)
    indicators = indicators if indicators is not None else aggregation.active_indicators()
    report = _get_or_create(actor, round, unit)
    if report.state not in EDITABLE_STATES:
        raise ValidationError(_("This report was submitted on %(when)s and can no longer be changed.")
                              % {"when": f"{timezone.localtime(report.submitted_at):%d/%m/%Y %H:%M}"})
    values = {v.indicator_id: v for v in ReportValue.objects.filter(report=report)}
    current = current_fields(report, values, indicators)
    original = {k: _clean(v) for k, v in original.items()}
    mine = {k: _clean(v) for k, v in changes.items() if k in current and not _same(_clean(v), original.get(k))}
    if report.version != version:
        conflicts = {k: (v, current[k]) for k, v in mine.items()
                     if not _same(current[k], original.get(k)) and not _same(current[k], v)}
        if conflicts:
            raise EditConflict(report, conflicts)
    if not mine:
        return report
    before = audit.snapshot(report)
    for name in REPORT_FIELDS:
        if name in mine:
            setattr(report, name, mine[name])
    report.full_clean(exclude=["round", "unit", "created_by", "submitted_by", "reviewed_by"])
    read_version = report.version
    updated = Report.objects.filter(pk=report.pk, version=read_version).update(
        version=F("version") + 1, updated_at=timezone.now(), **{n: getattr(report, n) for n in REPORT_FIELDS})
    if not updated:
        raise EditConflict(Report.objects.get(pk=report.pk), {})
    report.version = read_version + 1
    if any(name in mine for name in REPORT_FIELDS):
        audit.log_update(actor, report, before)
    by_code = {i.code: i for i in indicators}
    for indicator in indicators:
        touched = {prefix: mine[field_name(prefix, indicator.code)] for prefix in VALUE_FIELDS
                   if field_name(prefix, indicator.code) in mine}
        if touched:
            _save_value(actor, report, by_code[indicator.code], values.get(indicator.pk), touched)
    return report


def _save_value(actor, report: Report, indicator: Indicator, value: ReportValue | None, touched: dict) -> None:
    created = value is None
    value = value or ReportValue(report=report, indicator=indicator)
    before = audit.snapshot(value)
    for prefix, new in touched.items():
        if prefix in ("own", "num", "den") and new is not None:
            new = Decimal(new).quantize(CENTS)  # as the column stores it, so the history compares like with like
        setattr(value, VALUE_FIELDS[prefix], new if prefix not in ("comment", "proposal") else (new or ""))
    try:
        value.full_clean(exclude=["report", "indicator"])
    except ValidationError as error:
        raise ValidationError(_("Indicator “%(indicator)s”: %(problem)s")
                              % {"indicator": indicator.label, "problem": " ".join(error.messages)}) from None
    audit.save_audited(value, actor, before=None if created else before, note=str(report), validate=False)


# --- the workflow --------------------------------------------------------------------


def _locked(report: Report) -> Report:
    return Report.objects.select_for_update(of=("self",)).select_related("round", "unit").get(pk=report.pk)


def _children_first(report: Report) -> None:
    if not selectors.children_first(report.unit):
        return
    missing = selectors.not_approved_below(report.round, report.unit)
    if missing:
        names = ", ".join(u.name for u in missing[:10]) + ("…" if len(missing) > 10 else "")
        raise ValidationError(_("%(unit)s reports only after every unit below it is approved. Not approved yet "
                                "(%(n)s): %(names)s.") % {"unit": report.unit, "n": len(missing), "names": names})


def _report_url(report: Report) -> str:
    return reverse("reporting:report", args=[report.round_id, report.unit_id])


def _notify(users, kind: str, report_round: Round, unit: AdminUnit, text: str, url: str) -> int:
    rows = [Notification(user=u, kind=kind, round=report_round, unit=unit, text=text[:400], url=url)
            for u in {u.pk: u for u in users}.values()]
    Notification.objects.bulk_create(rows)
    return len(rows)


def _officers(unit: AdminUnit, also=None):
    users = list(User.objects.filter(organisation__unit=unit, organisation__kind="union", is_officer=True,
                                      is_active=True))
    if also is not None and also.is_active:
        users.append(also)
    return users


@retry_on_conflict
@transaction.atomic
def report_submit(*, actor, report: Report, version: int | None = None) -> Report:
    report = _locked(report)
    _require_edit(actor, report.unit)
    if report.state not in EDITABLE_STATES:
        raise ValidationError(_("This report has already been submitted."))
    if version is not None and version != report.version:
        raise EditConflict(report, {})
    _children_first(report)
    missing = report.missing_to_submit()
    if missing:
        raise ValidationError(_("The report was not sent: it still needs %(missing)s. The draft is kept; fill them "
                                "in and send it again.") % {"missing": ", ".join(missing)})
    indicators = aggregation.active_indicators()
    rows = aggregation.freeze_rows(report.round, report.unit, report, indicators)
    ReportValue.objects.bulk_create([r for r in rows if r.pk is None])
    ReportValue.objects.bulk_update([r for r in rows if r.pk is not None],
                                    ["value", "numerator", "denominator", "source", "below_reports"])
    was = report.state
    now = timezone.now()
    report.state = ReportState.SUBMITTED
    report.submitted_at, report.submitted_by = now, actor
    report.first_submitted_at = report.first_submitted_at or now
    if was == ReportState.RETURNED:
        report.resubmissions += 1
    report.version += 1
    report.save()
    frozen = {r.indicator.code: [None, None if r.value is None else str(r.value)] for r in rows}
    audit.log(actor=actor, action=AuditEntry.Action.SUBMIT, instance=report,
              changes={"state": [was, report.state], **frozen},
              note=_("Resubmitted") if was == ReportState.RETURNED else "")
    parent = report.unit.parent
    if parent is not None:
        approvers = User.objects.filter(organisation__unit=parent, organisation__kind="union", is_approver=True,
                                        is_active=True)
        _notify(approvers, Notification.Kind.SUBMITTED, report.round, report.unit,
                _("%(unit)s submitted: %(round)s") % {"unit": report.unit, "round": report.round.label},
                _report_url(report))
    return report


@retry_on_conflict
@transaction.atomic
def report_review(*, actor, report: Report, approve: bool, comment: str = "",
                  notes: dict[int, tuple[str, bool]] | None = None) -> Report:
    """Approve or return a submitted report. Returning needs a comment; `notes` puts a
    comment and a follow-up flag on values ({indicator id: (comment, follow_up)})."""
    report = _locked(report)
    if not permissions.can_review_report(actor, report.unit, report):
        raise PermissionDenied(_("Only an approver of the unit this report goes to may review it, and not the one "
                                 "who submitted it."))
    if report.state != ReportState.SUBMITTED:
        raise ValidationError(_("Only a submitted report can be approved or returned."))
    comment = _clean(comment or "")
    if not approve and not comment:
        raise ValidationError({"comment": _("Say what needs to change before you return the report.")})
    if approve:
        _children_first(report)
    if notes:
        # The reviewer's note goes into the figure's thread; the unit's own note stays the unit's.
        indicators = {i.pk: i for i in Indicator.objects.filter(pk__in=notes)}
        values = {v.indicator_id: v for v in ReportValue.objects.filter(report=report, indicator_id__in=notes)}
        for indicator_id, (note, follow_up) in notes.items():
            if indicator_id not in indicators:
                continue
            value = values.get(indicator_id)
            if (value.follow_up if value else False) != follow_up:
                _save_value(actor, report, indicators[indicator_id], value, {"follow": follow_up})
            if _clean(note or ""):
                _add_comment(actor, report, indicators[indicator_id], note, from_reviewer=True)
    was = report.state
    report.state = ReportState.APPROVED if approve else ReportState.RETURNED
    report.reviewed_at, report.reviewed_by, report.review_comment = timezone.now(), actor, comment
    report.version += 1
    report.save()
    audit.log(actor=actor, action=AuditEntry.Action.APPROVE if approve else AuditEntry.Action.RETURN,
              instance=report, changes={"state": [was, report.state]}, note=comment)
    kind = Notification.Kind.APPROVED if approve else Notification.Kind.RETURNED
    text = (_("Approved: %(round)s, %(unit)s") if approve else _("Returned for changes: %(round)s, %(unit)s — "
                                                                  "%(comment)s")) % {
        "round": report.round.label, "unit": report.unit, "comment": comment}
    _notify(_officers(report.unit, report.submitted_by), kind, report.round, report.unit, text, _report_url(report))
    return report


def _add_comment(actor, report: Report, indicator: Indicator, text: str, *, from_reviewer: bool) -> ValueComment:
    comment = ValueComment(report=report, indicator=indicator, author=actor, from_reviewer=from_reviewer,
                           text=_clean(text or ""))
    audit.save_audited(comment, actor, note=f"{indicator.label}: {comment.text}")
    return comment


@transaction.atomic
def value_comment_add(*, actor, report: Report, indicator: Indicator, text: str) -> ValueComment:
    """A message in the thread on one figure: from an approver above (the reviewer) or
    from the unit's officers (a reply), in any state of the report; audited."""
    reviewer = permissions.can_review_report(actor, report.unit)
    if not reviewer and not permissions.can_edit_report(actor, report.unit):
        raise PermissionDenied(_("Only the unit's officers and the approvers above comment on its figures."))
    if not _clean(text or ""):
        raise ValidationError({"text": _("Write the comment first.")})
    return _add_comment(actor, report, indicator, text, from_reviewer=reviewer)


@retry_on_conflict
@transaction.atomic
def report_reopen(*, actor, report: Report, reason: str) -> Report:
    report = _locked(report)
    if not permissions.can_review_report(actor, report.unit, report):
        raise PermissionDenied(_("Only an approver of the unit this report goes to may reopen it, and not the one "
                                 "who submitted it."))
    if report.state != ReportState.APPROVED:
        raise ValidationError(_("Only an approved report can be reopened."))
    reason = _clean(reason or "")
    if not reason:
        raise ValidationError({"reason": _("Give the reason for reopening the report.")})
    report.state = ReportState.RETURNED
    report.reviewed_at, report.reviewed_by, report.review_comment = timezone.now(), actor, reason
    report.version += 1
    report.save()
    audit.log(actor=actor, action=AuditEntry.Action.REOPEN, instance=report,
              changes={"state": [ReportState.APPROVED, ReportState.RETURNED]}, note=reason)
    _notify(_officers(report.unit, report.submitted_by), Notification.Kind.REOPENED, report.round, report.unit,
            _("Reopened: %(round)s, %(unit)s — %(reason)s") % {"round": report.round.label, "unit": report.unit,
                                                               "reason": reason}, _report_url(report))
    return report


# --- deadlines, settings, requests ---------------------------------------------------


@retry_on_conflict
@transaction.atomic
def deadline_set(*, actor, round: Round, unit: AdminUnit, deadline: datetime.date | None, reason: str = ""
                 ) -> DeadlineOverride | None:
    """Set (or, with deadline None, remove) the deadline of one unit for one round."""
    if not permissions.can_set_deadline(actor, unit):
        raise PermissionDenied(_("Only an approver of the unit this unit reports to may change its deadline."))
    override = DeadlineOverride.objects.select_for_update(of=("self",)).filter(round=round, unit=unit).first()
    if deadline is None:
        if override is not None:
            audit.log_delete(actor, override)
            override.delete()
        return None
    if deadline < round.data_start:
        raise ValidationError({"deadline": _("The deadline is before the period starts.")})
    if override is None:
        override = DeadlineOverride(round=round, unit=unit, deadline=deadline, reason=_clean(reason))
        audit.save_audited(override, actor)
        return override
    before = audit.snapshot(override)
    override.deadline, override.reason = deadline, _clean(reason)
    audit.save_audited(override, actor, before=before)
    return override


@retry_on_conflict
@transaction.atomic
def setting_set(*, actor, unit: AdminUnit, children_first: bool) -> UnitSetting:
    if not permissions.can_change_setting(actor, unit):
        raise PermissionDenied(_("Only an approver may change how this unit reports."))
    setting, created = UnitSetting.objects.select_for_update(of=("self",)).get_or_create(unit=unit)
    before = audit.snapshot(setting)
    setting.children_first = children_first
    audit.save_audited(setting, actor, before=None if created else before, validate=False)
    return setting


@transaction.atomic
def round_request(*, actor, unit: AdminUnit, title: str, description: str, data_start: datetime.date,
                  data_end: datetime.date, deadline: datetime.date) -> Round:
    """An ad-hoc report asked of the units below `unit`; they are notified."""
    if not permissions.can_request_report(actor, unit):
        raise PermissionDenied(_("Only the officers of this unit may request a report from the units below."))
    round = Round(kind=RoundKind.AD_HOC, year=data_end.year if data_end else 0, title=_clean(title),
                  description=_clean(description), data_start=data_start, data_end=data_end, deadline=deadline,
                  requested_by=unit, created_by=actor)
    round.full_clean()
    if deadline < data_start:
        raise ValidationError({"deadline": _("The deadline is before the period starts.")})
    round.save()
    audit.log(actor=actor, action=AuditEntry.Action.CREATE, instance=round, note=str(unit))
    below = selectors.requested_of(round)
    officers = User.objects.filter(organisation__unit__in=below, organisation__kind="union", is_officer=True,
                                   is_active=True).select_related("organisation")
    text = _("%(unit)s requests a report: %(title)s, by %(deadline)s") % {
        "unit": unit, "title": round.title, "deadline": f"{deadline:%d/%m/%Y}"}
    Notification.objects.bulk_create([
        Notification(user=officer, kind=Notification.Kind.REQUESTED, round=round,
                     unit_id=officer.organisation.unit_id, text=text[:400],
                     url=reverse("reporting:report", args=[round.pk, officer.organisation.unit_id]))
        for officer in officers
    ])
    return round


def notifications_read(*, actor) -> int:
    return Notification.objects.filter(user=actor, read_at__isnull=True).update(read_at=timezone.now())
