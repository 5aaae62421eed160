"""Readable audit history of one record, for its detail page.

The record itself was fetched through get_visible_or_404, which is the access check:
whoever may see the record may see all of its history.

An entry stores raw values ({field: [old, new]}, see core.audit); they are shown as an
officer reads them: the field's label (for a foreign key without its own label, the
related model's name), a related record by its name (one query per related model,
whatever the number of entries), a choice by its label, a list item by its choice label
(a model may name the choices of its list fields in `audit_choices`), a date as
dd/mm/yyyy and a moment in local time, years and codes without thousand separators,
other numbers grouped (1.234.000), booleans as Có / Không."""

import datetime
import decimal
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db import models
from django.utils import formats, timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _

from .models import AuditEntry

EMPTY = "—"


@dataclass
class HistoryRow:
    entry: AuditEntry
    changes: list[tuple[str, str, str]] = field(default_factory=list)


def _field(model, name):
    try:
        return model._meta.get_field(name)
    except Exception:
        return None


def field_label(model, name: str) -> str:
    f = _field(model, name)
    if f is None:
        return name
    label = str(getattr(f, "verbose_name", name))
    if isinstance(f, models.ForeignKey) and label == f.name.replace("_", " "):
        # No label of its own ("collective"): the related model's, which is translated.
        label = str(f.related_model._meta.verbose_name)
    return label


def _plain_number(name: str) -> bool:
    return name.endswith("year") or name.endswith("code") or name.startswith("year")


def shown(model, name: str, value, related_names: dict | None = None) -> str:
    """One stored value as an officer reads it."""
    if value is None or value == "" or value == []:
        return EMPTY
    f = _field(model, name)
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if f is not None and f.choices:
        return str(dict(f.flatchoices).get(value, value))
    if isinstance(f, models.ForeignKey):
        return (related_names or {}).get((f.related_model, value), str(value))
    if isinstance(value, list):
        labels = dict(getattr(model, "audit_choices", {}).get(name, ()))
        return ", ".join(str(item.get("name", item)) if isinstance(item, dict) else str(labels.get(item, item))
                         for item in value)
    if isinstance(f, models.DateTimeField) and isinstance(value, str):
        moment = parse_datetime(value)
        if moment is not None:
            if timezone.is_aware(moment):
                moment = timezone.localtime(moment)
            return moment.strftime("%d/%m/%Y %H:%M")
    if isinstance(f, models.DateField) and isinstance(value, str):
        day = parse_date(value[:10])
        if day is not None:
            return day.strftime("%d/%m/%Y")
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.strftime("%d/%m/%Y")
    if isinstance(f, (models.IntegerField, models.DecimalField, models.FloatField)) and not isinstance(value, bool):
        try:
            number = decimal.Decimal(str(value))
        except decimal.InvalidOperation:
            return str(value)
        if _plain_number(name):
            return str(value)
        return formats.number_format(number.normalize() if number == number.to_integral() else number,
                                     force_grouping=True)
    return str(value)


def rows_for(entries: Iterable[AuditEntry], model_of: Callable[[AuditEntry], type],
             known: Iterable[models.Model] = ()) -> list[HistoryRow]:
    """Readable rows for audit entries of one or several models; model_of gives an entry's
    model, `known` records already in hand (not read again when an entry names them)."""
    entries = list(entries)
    # Resolve foreign keys in one query per related model, not one per value.
    wanted: dict[type, set] = {}
    for entry in entries:
        model = model_of(entry)
        for name, pair in entry.changes.items():
            f = _field(model, name)
            if isinstance(f, models.ForeignKey):
                wanted.setdefault(f.related_model, set()).update(v for v in pair if v not in (None, ""))
    related_names = {(type(record), record.pk): str(record) for record in known}
    for related_model, ids in wanted.items():
        ids = {pk for pk in ids if (related_model, pk) not in related_names}
        if not ids:
            continue
        for related in related_model._default_manager.filter(pk__in=ids):
            related_names[(related_model, related.pk)] = str(related)
    rows = []
    for entry in entries:
        model = model_of(entry)
        row = HistoryRow(entry)
        for name, (old, new) in sorted(entry.changes.items()):
            f = _field(model, name)
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                continue  # the entry's own time says it
            row.changes.append((field_label(model, name), shown(model, name, old, related_names),
                                shown(model, name, new, related_names)))
        rows.append(row)
    return rows


def history_for(obj, limit: int = 100) -> list[HistoryRow]:
    model = type(obj)
    entries = AuditEntry.objects.for_object(obj).select_related("actor")[:limit]
    return rows_for(entries, lambda entry: model)
