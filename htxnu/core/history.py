"""Readable audit history of one record, for its detail page.

The record itself was fetched through get_visible_or_404, which is the access check:
whoever may see the record may see all of its history."""

from dataclasses import dataclass, field

from django.db import models

from .models import AuditEntry


@dataclass
class HistoryRow:
    entry: AuditEntry
    changes: list[tuple[str, object, object]] = field(default_factory=list)


def _label(model, name):
    try:
        f = model._meta.get_field(name)
    except Exception:
        return name, None
    return str(getattr(f, "verbose_name", name)), f


def _display(f, value, related_names):
    if value is None or value == "":
        return "—"
    if f is not None and f.choices:
        return dict(f.flatchoices).get(value, value)
    if isinstance(f, models.ForeignKey):
        return related_names.get((f.related_model, value), value)
    if isinstance(value, bool):
        return "✓" if value else "✗"
    return value


def history_for(obj, limit: int = 100) -> list[HistoryRow]:
    model = type(obj)
    entries = list(AuditEntry.objects.for_object(obj).select_related("actor")[:limit])
    # Resolve foreign keys in one query per related model, not one per value.
    wanted: dict[type, set] = {}
    for entry in entries:
        for name, pair in entry.changes.items():
            _, f = _label(model, name)
            if isinstance(f, models.ForeignKey):
                wanted.setdefault(f.related_model, set()).update(v for v in pair if v not in (None, ""))
    related_names = {}
    for related_model, ids in wanted.items():
        for related in related_model._default_manager.filter(pk__in=ids):
            related_names[(related_model, related.pk)] = str(related)
    rows = []
    for entry in entries:
        row = HistoryRow(entry)
        for name, (old, new) in sorted(entry.changes.items()):
            label, f = _label(model, name)
            row.changes.append((label, _display(f, old, related_names), _display(f, new, related_names)))
        rows.append(row)
    return rows
