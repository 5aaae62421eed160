"""Audit trail helpers. Every service that writes a record calls one of these inside its
transaction, so the change and its audit entry land together or not at all.

What is stored: the acting user (and their name, kept if the account goes), the time,
the action, the record (type, id, text) and the unit it belongs to, and the changed
fields as {field: [old, new]} in JSON-safe form. Fields a model lists in
`audit_redact` (sensitive personal data such as ethnicity, Law 91/2025/QH15) are
recorded as changed without their values; passwords are never recorded.
"""

import datetime
import decimal
import uuid

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models.fields.files import FieldFile
from django.dispatch import Signal

from .bulk import insert_rows
from .models import AuditEntry

REDACTED = "•••"
# Sent by log_many with the entries written: bulk writers (imports, demo data) send no
# post_save for their records, so listeners that keep derived data fresh (the
# dashboards' cache) learn from the audit what changed, in the same transaction.
bulk_logged = Signal()
_NEVER = {"password", "last_login", "search_key"}


def _json_value(value):
    if isinstance(value, (datetime.date, datetime.datetime, datetime.time)):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, FieldFile):
        return value.name or None
    if isinstance(value, (list, tuple, set)):
        return [_json_value(v) for v in value]
    return value


def _fields(instance) -> list[models.Field]:
    return [
        f
        for f in instance._meta.concrete_fields
        if not f.primary_key and f.name not in _NEVER and not f.name.endswith("_ptr")
    ]


def snapshot(instance) -> dict:
    """The field values of a record, keyed by field name, in JSON-safe form."""
    return {f.name: _json_value(f.value_from_object(instance)) for f in _fields(instance)}


def diff(before: dict, after: dict, redact: set[str] | frozenset = frozenset()) -> dict:
    changes = {}
    for name in after.keys() | before.keys():
        old, new = before.get(name), after.get(name)
        if old != new:
            changes[name] = [REDACTED, REDACTED] if name in redact else [old, new]
    return changes


def unit_id_of(instance) -> int | None:
    path = getattr(instance, "scope_path", None)
    if path is None:
        return None
    if path == "":
        return instance.pk
    *hops, last = path.split("__")
    obj = instance
    for hop in hops:
        obj = getattr(obj, hop, None)
        if obj is None:
            return None
    return getattr(obj, f"{last}_id", None)


def _entry(actor, action, instance, changes, note) -> AuditEntry:
    return AuditEntry(
        actor=actor if actor is not None and actor.pk else None,
        actor_name=(actor.get_username() if actor is not None and actor.pk else "system"),
        action=action,
        content_type=ContentType.objects.get_for_model(instance, for_concrete_model=False),
        object_id=str(instance.pk),
        object_repr=str(instance)[:250],
        unit_id=unit_id_of(instance),
        changes=changes or {},
        note=note,
    )


def _redact(instance) -> frozenset:
    return frozenset(getattr(instance, "audit_redact", ()))


def log(*, actor, action: str, instance, changes: dict | None = None, note: str = "") -> AuditEntry:
    entry = _entry(actor, action, instance, changes, note)
    entry.save()
    return entry


def log_create(actor, instance, note: str = "") -> AuditEntry:
    changes = diff({}, {k: v for k, v in snapshot(instance).items() if v not in (None, "")}, _redact(instance))
    return log(actor=actor, action=AuditEntry.Action.CREATE, instance=instance, changes=changes, note=note)


def log_update(actor, instance, before: dict, note: str = "") -> AuditEntry | None:
    """Record what changed since `before` (a snapshot() taken before the change); nothing if nothing did."""
    changes = diff(before, snapshot(instance), _redact(instance))
    if not changes and not note:
        return None
    return log(actor=actor, action=AuditEntry.Action.UPDATE, instance=instance, changes=changes, note=note)


def save_audited(instance, actor, *, before: dict | None = None, note: str = "", validate: bool = True,
                 update_fields: list[str] | None = None) -> AuditEntry | None:
    """The one audited save every service uses: validate (`full_clean()`, unless the caller
    has validated already or changes only state fields), save, and record who changed what
    and when, in the caller's transaction. A creation when `before` is None, else an update
    recording what changed since `before` (a snapshot() taken before the change); an update
    that changed nothing and has no note writes no entry."""
    if validate:
        instance.full_clean()
    instance.save(update_fields=update_fields)
    if before is None:
        return log_create(actor, instance, note=note)
    return log_update(actor, instance, before, note=note)


def log_delete(actor, instance, note: str = "") -> AuditEntry:
    changes = diff({k: v for k, v in snapshot(instance).items() if v not in (None, "")}, {}, _redact(instance))
    return log(actor=actor, action=AuditEntry.Action.DELETE, instance=instance, changes=changes, note=note)


def log_many(actor, action: str, items: list[tuple[object, dict]], note: str = "") -> int:
    """Bulk variant for imports: one entry per (instance, changes) pair, written in batches."""
    entries = [_entry(actor, action, instance, changes, note) for instance, changes in items]
    insert_rows(AuditEntry, entries)  # plain multi-row INSERTs; the entries get no id
    bulk_logged.send(sender=AuditEntry, entries=entries)
    return len(entries)
