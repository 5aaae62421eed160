"""Writes to the registry. Each service checks the actor's right on the collective's
commune, validates, writes, refreshes the derived columns and audits, in one
transaction."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from htxnu.accounts import permissions
from htxnu.core import audit
from htxnu.core.db import retry_on_conflict
from htxnu.text import nfc

from . import facts
from .models import (
    Collective,
    CollectiveType,
    LifeEvent,
    Manager,
    Product,
    Status,
    WorkforceSnapshot,
)

COLLECTIVE_FIELDS = {
    "type", "name", "registration_code", "commune", "registered_unit", "address", "founded_on", "sector",
    "main_products", "in_value_chain", "digital_transformation", "ecommerce_channels", "social_insurance",
    "agricultural_insurance", "governance", "status", "union_supported_founding", "union_support_level",
    "following_organisation", "converted_from",
}
MANAGER_FIELDS = {
    "full_name", "gender", "birth_year", "position", "started_on", "ended_on", "phone", "ethnicity",
    "ethnicity_consent_on",
}
WORKFORCE_FIELDS = {f.name for f in WorkforceSnapshot._meta.concrete_fields} - {"id", "collective"}
PRODUCT_FIELDS = {f.name for f in Product._meta.concrete_fields} - {"id", "collective"}


def _require_edit(actor, unit) -> None:
    if not permissions.can_edit_records(actor, unit):
        raise PermissionDenied(_("You may not change the records of this unit."))


def _assign(instance, fields: dict, allowed: set[str]) -> None:
    unknown = set(fields) - allowed
    if unknown:
        raise TypeError(f"unexpected fields: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(instance, name, nfc(value) if isinstance(value, str) else value)


def _check_not_future(value: datetime.date | None, field: str) -> None:
    if value and value > datetime.date.today():
        raise ValidationError({field: _("This date is in the future.")})


# --- derived columns -------------------------------------------------------------


def refresh_derived(collective_ids) -> None:
    """Recompute the facts of these collectives (htxnu.registry.facts, which also sets their
    derived columns), in the caller's transaction."""
    facts.refresh(collective_ids)


# --- collectives -------------------------------------------------------------------


@transaction.atomic
def collective_create(*, actor, **fields) -> Collective:
    collective = Collective()
    _assign(collective, fields, COLLECTIVE_FIELDS)
    _require_edit(actor, collective.commune)
    _check_not_future(collective.founded_on, "founded_on")
    audit.save_audited(collective, actor)
    refresh_derived([collective.pk])
    return collective


@retry_on_conflict
@transaction.atomic
def collective_update(*, actor, collective: Collective, **fields) -> Collective:
    collective = Collective.objects.select_for_update(of=("self",)).get(pk=collective.pk)
    _require_edit(actor, collective.commune)
    before = audit.snapshot(collective)
    _assign(collective, fields, COLLECTIVE_FIELDS)
    _require_edit(actor, collective.commune)  # and on the commune it moves to
    _check_not_future(collective.founded_on, "founded_on")
    audit.save_audited(collective, actor, before=before)
    refresh_derived([collective.pk])
    return collective


@transaction.atomic
def collective_delete(*, actor, collective: Collective) -> None:
    """For records entered by mistake; a cooperative that stopped is dissolved, not deleted."""
    _require_edit(actor, collective.commune)
    if hasattr(collective, "converted_into"):
        raise ValidationError(_("This group was converted into a cooperative; it cannot be deleted."))
    audit.log_delete(actor, collective)
    group_id = collective.converted_from_id
    collective.delete()
    if group_id:  # the group lives on without the cooperative it became
        refresh_derived([group_id])


@retry_on_conflict
@transaction.atomic
def group_convert(*, actor, group: Collective, name: str, registration_code: str, date: datetime.date,
                  governance: str = "") -> Collective:
    """A group (THT) becomes a cooperative (HTX). The cooperative is a new record linked
    to the group, so it keeps the group's history; the group is marked converted."""
    group = Collective.objects.select_for_update(of=("self",)).get(pk=group.pk)
    _require_edit(actor, group.commune)
    if group.type != CollectiveType.THT:
        raise ValidationError(_("Only a cooperative group (THT) can be converted into a cooperative."))
    if group.status == Status.CONVERTED:
        raise ValidationError(_("This group was already converted."))
    _check_not_future(date, "date")
    own = {"type", "name", "registration_code", "governance", "status", "founded_on", "converted_from"}
    keep = {f: getattr(group, f) for f in COLLECTIVE_FIELDS - own}
    coop = collective_create(
        actor=actor, type=CollectiveType.HTX, name=name, registration_code=registration_code, founded_on=date,
        governance=governance, status=Status.ACTIVE, converted_from=group, **keep,
    )
    before = audit.snapshot(group)
    group.status = Status.CONVERTED
    audit.save_audited(group, actor, before=before, validate=False, update_fields=["status", "updated_at"])
    event_record(actor=actor, collective=coop, kind=LifeEvent.Kind.CONVERTED, date=date,
                 note=_("from group %(name)s") % {"name": group.name})
    # Managers and workforce continue: copy the current managers and the latest figures.
    for m in group.managers.filter(ended_on__isnull=True):
        manager_add(actor=actor, collective=coop, **{f: getattr(m, f) for f in MANAGER_FIELDS})
    latest = group.workforce.order_by("-as_of").first()
    if latest is not None:
        workforce_record(actor=actor, collective=coop, **{f: getattr(latest, f) for f in WORKFORCE_FIELDS})
    refresh_derived([coop.pk, group.pk])
    return coop


# --- managers ----------------------------------------------------------------------


@transaction.atomic
def manager_add(*, actor, collective: Collective, **fields) -> Manager:
    _require_edit(actor, collective.commune)
    manager = Manager(collective=collective)
    _assign(manager, fields, MANAGER_FIELDS)
    audit.save_audited(manager, actor)
    refresh_derived([collective.pk])
    return manager


@retry_on_conflict
@transaction.atomic
def manager_update(*, actor, manager: Manager, **fields) -> Manager:
    manager = Manager.objects.select_for_update(of=("self",)).select_related("collective__commune").get(pk=manager.pk)
    _require_edit(actor, manager.collective.commune)
    before = audit.snapshot(manager)
    _assign(manager, fields, MANAGER_FIELDS)
    audit.save_audited(manager, actor, before=before)
    refresh_derived([manager.collective_id])
    return manager


@transaction.atomic
def manager_remove(*, actor, manager: Manager) -> None:
    _require_edit(actor, manager.collective.commune)
    collective_id = manager.collective_id
    audit.log_delete(actor, manager)
    manager.delete()
    refresh_derived([collective_id])


# --- workforce ---------------------------------------------------------------------


@retry_on_conflict
@transaction.atomic
def workforce_record(*, actor, collective: Collective, as_of: datetime.date, **fields) -> WorkforceSnapshot:
    """Record the workforce on a date; a second record for the same date replaces the first."""
    _require_edit(actor, collective.commune)
    _check_not_future(as_of, "as_of")
    snapshot = (WorkforceSnapshot.objects.select_for_update(of=("self",))
                .filter(collective=collective, as_of=as_of).first())
    created = snapshot is None
    snapshot = snapshot or WorkforceSnapshot(collective=collective, as_of=as_of)
    before = None if created else audit.snapshot(snapshot)
    _assign(snapshot, fields, WORKFORCE_FIELDS - {"as_of"})
    audit.save_audited(snapshot, actor, before=before)
    refresh_derived([collective.pk])
    return snapshot


@transaction.atomic
def workforce_remove(*, actor, snapshot: WorkforceSnapshot) -> None:
    _require_edit(actor, snapshot.collective.commune)
    collective_id = snapshot.collective_id
    audit.log_delete(actor, snapshot)
    snapshot.delete()
    refresh_derived([collective_id])


# --- products ----------------------------------------------------------------------


@transaction.atomic
def product_save(*, actor, collective: Collective, product: Product | None = None, **fields) -> Product:
    _require_edit(actor, collective.commune)
    _check_not_future(fields.get("ocop_decision_date"), "ocop_decision_date")
    created = product is None
    product = product or Product(collective=collective)
    before = None if created else audit.snapshot(product)
    _assign(product, fields, PRODUCT_FIELDS)
    audit.save_audited(product, actor, before=before)
    return product


@transaction.atomic
def product_remove(*, actor, product: Product) -> None:
    _require_edit(actor, product.collective.commune)
    audit.log_delete(actor, product)
    product.delete()


# --- life events -------------------------------------------------------------------

_STATUS_AFTER = {
    LifeEvent.Kind.SUSPENDED: Status.SUSPENDED,
    LifeEvent.Kind.REACTIVATED: Status.ACTIVE,
    LifeEvent.Kind.DISSOLVED: Status.DISSOLVED,
}


@transaction.atomic
def event_record(*, actor, collective: Collective, kind: str, date: datetime.date, union_supported: bool = False,
                 union_level: str = "", note: str = "") -> LifeEvent:
    _require_edit(actor, collective.commune)
    _check_not_future(date, "date")
    if collective.founded_on and date < collective.founded_on:
        raise ValidationError({"date": _("This date is before the founding date.")})
    event = LifeEvent(
        collective=collective, kind=kind, date=date, union_supported=union_supported, union_level=union_level,
        note=nfc(note), recorded_by=actor if actor and actor.pk else None,
    )
    audit.save_audited(event, actor)
    new_status = _STATUS_AFTER.get(kind)
    if new_status and collective.status != new_status:
        collective_update(actor=actor, collective=collective, status=new_status)
    else:
        refresh_derived([collective.pk])
    return event


# --- imports -------------------------------------------------------------------------


def import_job_create(*, actor, unit, file_name: str, data: bytes):
    """Store an uploaded workbook and queue it; the task (tasks.run_import) checks and
    writes it. The request returns at once, whatever the file's size."""
    from .models import ImportJob
    from .tasks import run_import

    _require_edit(actor, unit)
    job = ImportJob.objects.create(created_by=actor, unit=unit, file_name=nfc(file_name)[:200], source=data)
    run_import.enqueue(job.pk)
    return job


# A job whose worker has not beaten for this long lost its worker (it beats every
# tasks.HEARTBEAT_SECONDS; a database pause of minutes is not a dead worker).
IMPORT_STALE_AFTER = datetime.timedelta(minutes=5)


def import_job_fail_if_stale(job) -> bool:
    """End a queued-and-started job whose worker died (its heartbeat stopped): failed,
    saying that nothing was saved — the import writes in one transaction, which the
    database rolled back with the worker. Returns whether it was ended."""
    from .models import ImportJob

    if job.state != ImportJob.State.RUNNING:
        return False
    last = job.heartbeat_at or job.created_at
    if timezone.now() - last < IMPORT_STALE_AFTER:
        return False
    with translation.override("vi"):
        message = _("The import stopped before it finished (its worker ended); nothing was saved. Upload the file "
                    "again.")
    ended = ImportJob.objects.filter(pk=job.pk, state=ImportJob.State.RUNNING, heartbeat_at=job.heartbeat_at).update(
        state=ImportJob.State.FAILED, phase="", finished_at=timezone.now(),
        errors=[{"sheet": "", "row": 0, "column": "", "header": "", "message": message}])
    if ended:
        job.refresh_from_db(fields=["state", "phase", "finished_at", "errors"])
    return bool(ended)
