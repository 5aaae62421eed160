"""Writes for events, attendance, support, cadres, commendations and money. Each checks
the actor's right, validates, writes and audits in one transaction."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from htxnu.accounts import permissions
from htxnu.core import audit
from htxnu.core.db import retry_on_conflict
from htxnu.registry import facts
from htxnu.registry.models import LifeEvent, Manager
from htxnu.text import nfc

from .models import (
    Activity,
    Attendance,
    BudgetLine,
    Cadre,
    CadreCount,
    CommendationDecision,
    Event,
    EventKind,
    Nomination,
    SupportAction,
)


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied(_("You may not record this for this unit."))


def _assign(instance, fields: dict) -> None:
    allowed = {f.name for f in instance._meta.concrete_fields} - {"id", "search_key", "created_at"}
    allowed |= {f.attname for f in instance._meta.concrete_fields}
    unknown = set(fields) - allowed
    if unknown:
        raise TypeError(f"unexpected fields: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(instance, name, nfc(value) if isinstance(value, str) else value)


# --- events ------------------------------------------------------------------------


def _check_event_dates(event: Event) -> None:
    activity = event.activity
    if activity is None:
        return
    plan = activity.plan
    if plan is not None and ((plan.starts_on and event.date < plan.starts_on)
                             or (plan.ends_on and event.date > plan.ends_on)):
        raise ValidationError({"date": _("The date is outside the period of the plan %(plan)s.") % {"plan": plan}})
    if (activity.starts_on and event.date < activity.starts_on) or (activity.ends_on and event.date > activity.ends_on):
        raise ValidationError(
            {
                "date": _("The date is outside the activity's period (%(start)s–%(end)s).")
                % {
                    "start": activity.starts_on.strftime("%d/%m/%Y") if activity.starts_on else "…",
                    "end": activity.ends_on.strftime("%d/%m/%Y") if activity.ends_on else "…",
                }
            }
        )


def _resolve_attendees(actor, manager_ids, cadre_ids):
    """Named attendees must exist and be visible to the actor; unknown ones are refused by id."""
    manager_ids, cadre_ids = set(manager_ids or ()), set(cadre_ids or ())
    managers = {m.pk: m for m in Manager.objects.visible_to(actor).filter(pk__in=manager_ids)}
    cadres = {c.pk: c for c in Cadre.objects.visible_to(actor).filter(pk__in=cadre_ids)}
    unknown = sorted(manager_ids - managers.keys()) + sorted(cadre_ids - cadres.keys())
    if unknown:
        raise ValidationError(
            {"attendees": _("Unknown attendee (not in the registry of your units): %(ids)s")
             % {"ids": ", ".join(str(i) for i in unknown)}}
        )
    return managers, cadres


def _fit_counts(event: Event, named_managers: int, named_cadres: int) -> None:
    """Counts default to the named attendees; a count below them is a contradiction."""
    errors = {}
    for field, named, label in (
        ("participants_managers", named_managers, _("women managers")),
        ("participants_cadres", named_cadres, _("Union cadres")),
    ):
        given = getattr(event, field) or 0
        if given == 0:
            setattr(event, field, named)
        elif given < named:
            errors[field] = _("%(named)s %(label)s are named but only %(given)s counted.") % {
                "named": named, "label": label, "given": given
            }
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def event_create(*, actor, manager_ids=(), cadre_ids=(), certified_manager_ids=(), **fields) -> Event:
    event = Event(created_by=actor)
    _assign(event, fields)
    _require(permissions.can_record_activity(actor, event.unit, event.organiser))
    managers, cadres = _resolve_attendees(actor, manager_ids, cadre_ids)
    if (managers or cadres) and event.kind != EventKind.TRAINING:
        raise ValidationError({"attendees": _("Named attendance is kept for training classes.")})
    _fit_counts(event, len(managers), len(cadres))
    _check_event_dates(event)
    audit.save_audited(event, actor)
    certified = set(certified_manager_ids or ())
    Attendance.objects.bulk_create(
        [Attendance(event=event, manager=m, certificate_issued=m.pk in certified) for m in managers.values()]
        + [Attendance(event=event, cadre=c) for c in cadres.values()]
    )
    return event


@retry_on_conflict
@transaction.atomic
def event_update(*, actor, event: Event, **fields) -> Event:
    event = Event.objects.select_for_update(of=("self",)).get(pk=event.pk)
    _require(permissions.can_record_activity(actor, event.unit, event.organiser))
    before = audit.snapshot(event)
    _assign(event, fields)
    _require(permissions.can_record_activity(actor, event.unit, event.organiser))
    named_managers = event.attendance.filter(manager__isnull=False).count()
    named_cadres = event.attendance.filter(cadre__isnull=False).count()
    _fit_counts(event, named_managers, named_cadres)
    _check_event_dates(event)
    audit.save_audited(event, actor, before=before)
    return event


@transaction.atomic
def event_delete(*, actor, event: Event) -> None:
    _require(permissions.can_record_activity(actor, event.unit, event.organiser))
    audit.log_delete(actor, event)
    event.delete()


@transaction.atomic
def attendance_add(*, actor, event: Event, manager_id=None, cadre_id=None, certificate_issued=False,
                   certificate_number="") -> Attendance:
    _require(permissions.can_record_activity(actor, event.unit, event.organiser))
    if event.kind != EventKind.TRAINING:
        raise ValidationError({"attendees": _("Named attendance is kept for training classes.")})
    managers, cadres = _resolve_attendees(actor, [manager_id] if manager_id else [], [cadre_id] if cadre_id else [])
    if Attendance.objects.filter(event=event, manager_id=manager_id, cadre_id=cadre_id).exists():
        raise ValidationError({"attendees": _("This person is already on the list.")})
    attendance = Attendance(
        event=event, manager=managers.get(manager_id), cadre=cadres.get(cadre_id),
        certificate_issued=certificate_issued, certificate_number=nfc(certificate_number),
    )
    audit.save_audited(attendance, actor)
    named = event.attendance.filter(manager__isnull=False).count(), event.attendance.filter(cadre__isnull=False).count()
    before = audit.snapshot(event)
    event.participants_managers = max(event.participants_managers, named[0])
    event.participants_cadres = max(event.participants_cadres, named[1])
    audit.save_audited(event, actor, before=before, validate=False,
                       update_fields=["participants_managers", "participants_cadres"])
    return attendance


@transaction.atomic
def attendance_remove(*, actor, attendance: Attendance) -> None:
    event = attendance.event
    _require(permissions.can_record_activity(actor, event.unit, event.organiser))
    audit.log_delete(actor, attendance)
    attendance.delete()


# --- support to cooperatives -----------------------------------------------------


@transaction.atomic
def support_create(*, actor, collective, **fields) -> SupportAction:
    support = SupportAction(collective=collective)
    _assign(support, fields)
    _require(permissions.can_record_activity(actor, collective.commune, support.provider))
    if support.date and support.date > datetime.date.today():
        raise ValidationError({"date": _("This date is in the future.")})
    support.full_clean(exclude=["life_event"])
    # Each support is a consolidation of the cooperative: the registry event is what
    # the indicators count, recorded with the level of the Union body that gave it.
    union = support.provider.is_union
    life_event = LifeEvent(
        collective=collective, kind=LifeEvent.Kind.CONSOLIDATED, date=support.date, union_supported=union,
        union_level=_union_level(support.provider) if union else "", note=str(support.get_kind_display())[:300],
        recorded_by=actor,
    )
    if collective.founded_on and support.date < collective.founded_on:
        raise ValidationError({"date": _("This date is before the founding date.")})
    audit.save_audited(life_event, actor)
    support.life_event = life_event
    audit.save_audited(support, actor)
    facts.refresh([collective.pk])
    return support


def _union_level(organisation) -> str:
    return {"country": "central"}.get(organisation.unit.level, organisation.unit.level)


@transaction.atomic
def support_delete(*, actor, support: SupportAction) -> None:
    _require(permissions.can_record_activity(actor, support.collective.commune, support.provider))
    life_event = support.life_event
    audit.log_delete(actor, support)
    support.delete()
    if life_event is not None:
        audit.log_delete(actor, life_event)
        life_event.delete()
        facts.refresh([support.collective_id])


# --- cadres ------------------------------------------------------------------------


@transaction.atomic
def cadre_save(*, actor, cadre: Cadre | None = None, **fields) -> Cadre:
    created = cadre is None
    cadre = cadre or Cadre()
    before = None if created else audit.snapshot(cadre)
    _assign(cadre, fields)
    _require(permissions.can_edit_records(actor, cadre.unit))
    audit.save_audited(cadre, actor, before=before)
    return cadre


@retry_on_conflict
@transaction.atomic
def cadre_count_save(*, actor, unit, year: int, **fields) -> CadreCount:
    _require(permissions.can_edit_records(actor, unit))
    count = CadreCount.objects.select_for_update(of=("self",)).filter(unit=unit, year=year).first()
    created = count is None
    count = count or CadreCount(unit=unit, year=year)
    before = None if created else audit.snapshot(count)
    _assign(count, fields)
    audit.save_audited(count, actor, before=before)
    return count


# --- plan activities ---------------------------------------------------------------


@transaction.atomic
def activity_save(*, actor, activity: Activity | None = None, coordinating=None, **fields) -> Activity:
    created = activity is None
    activity = activity or Activity()
    before = None if created else audit.snapshot(activity)
    _assign(activity, fields)
    _require(permissions.can_record_activity(actor, activity.unit, activity.lead))
    audit.save_audited(activity, actor, before=before)
    if coordinating is not None:
        activity.coordinating.set(coordinating)
    return activity


# --- money -------------------------------------------------------------------------


@transaction.atomic
def budget_line_save(*, actor, line: BudgetLine | None = None, **fields) -> BudgetLine:
    created = line is None
    line = line or BudgetLine()
    before = None if created else audit.snapshot(line)
    _assign(line, fields)
    organiser = line.event.organiser if line.event_id else None
    _require(permissions.can_record_activity(actor, line.unit, organiser))
    audit.save_audited(line, actor, before=before)
    return line


@transaction.atomic
def budget_line_delete(*, actor, line: BudgetLine) -> None:
    # Whoever may record the line may remove it: a partner its own event's spending.
    _require(permissions.can_record_activity(actor, line.unit, line.event.organiser if line.event_id else None))
    audit.log_delete(actor, line)
    line.delete()


# --- commendations -----------------------------------------------------------------


@transaction.atomic
def nomination_save(*, actor, nomination: Nomination | None = None, **fields) -> Nomination:
    created = nomination is None
    nomination = nomination or Nomination()
    before = None if created else audit.snapshot(nomination)
    _assign(nomination, fields)
    _require(permissions.can_edit_records(actor, nomination.unit))
    audit.save_audited(nomination, actor, before=before)
    return nomination


@transaction.atomic
def decision_record(*, actor, nominations, **fields) -> CommendationDecision:
    """Record a commendation decision and mark the nominations it commends."""
    decision = CommendationDecision()
    _assign(decision, fields)
    _require(permissions.can_edit_records(actor, decision.unit))
    audit.save_audited(decision, actor)
    for nomination in nominations:
        nomination_save(actor=actor, nomination=nomination, decision=decision, status=Nomination.Status.COMMENDED)
    return decision
