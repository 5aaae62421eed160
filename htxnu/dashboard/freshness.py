"""Why a dashboard figure is never stale.

Every figure the dashboards cache (figures.py) is stored with the data version of
its territory, read *before* it was computed, and read back only while that version
is still current:

- The territory of a unit is its province of today (AdminUnit.current_province: old
  Lào Cai, Yên Bái and every old and new commune in them belong to today's Lào Cai).
  FigureVersion holds one random token per such province, plus one for the whole
  country (NATIONAL). A unit's figures are valid under "national token . province
  token"; the country's under the national token and every province's token.
- A change to a record that any figure counts replaces the token of the record's
  province, in the same transaction as the change (so a reader that sees the new
  data also sees the new token, and the other way round):
    * post_save / post_delete of the registry's collectives, managers, workforce
      figures and life events; the activities' events, attendance, support, cadres
      and cadre counts; the reports and their values; plans, their phases and
      female-labour thresholds (they decide eligibility) — whoever saves them:
      services, the admin, the shell;
    * bulk writes that send no post_save (the registry's Excel import, demo data)
      through core.audit.bulk_logged, sent by audit.log_many, which every bulk
      writer calls in its transaction;
    * a record moved to another unit also changes the old unit's province (read
      from the audit entry's old value);
    * changes that concern everything replace the national token: the indicator
      catalogue, a plan of the country, units reloaded (geo.DataVersion) and demo
      data markers.
- Tokens are random, never counters, so a version rolled back, or a test database
  emptied and refilled, can never meet the entries of an earlier life.

Plan targets are not cached (they are read with every page), so editing a target
changes no token.
"""

import hashlib
import uuid

from django.apps import apps
from django.core.exceptions import ObjectDoesNotExist
from django.db import connection, transaction
from django.db.models.signals import post_delete, post_save
from django.utils import timezone

from htxnu.core import audit, db
from htxnu.geo.models import AdminUnit, Level

from .models import NATIONAL, FigureVersion

# (app label, model name) whose records the figures count; their unit's province
# changes version when one is saved or deleted.
TERRITORIAL = [
    ("registry", "Collective"), ("registry", "Manager"), ("registry", "WorkforceSnapshot"),
    ("registry", "LifeEvent"),
    ("activities", "Event"), ("activities", "Attendance"), ("activities", "SupportAction"),
    ("activities", "Cadre"), ("activities", "CadreCount"),
    ("reporting", "Report"), ("reporting", "ReportValue"),
    ("plans", "Plan"), ("plans", "Phase"), ("plans", "FemaleShareThreshold"),
]
# Changes that concern every territory.
NATIONWIDE = [("plans", "Indicator"), ("geo", "DataVersion")]
# Fields that move a record to another unit: the old unit's province changes too.
UNIT_FIELDS = ("commune", "registered_unit", "unit")

_UPSERT = (
    "INSERT INTO dashboard_figureversion (scope, token, changed_at) {rows} "
    "ON CONFLICT (scope) DO UPDATE SET token = excluded.token, changed_at = excluded.changed_at"
)


def _models(pairs):
    found = []
    for app_label, name in pairs:
        try:
            found.append(apps.get_model(app_label, name))
        except LookupError:  # an app not installed (a slimmed-down deployment)
            continue
    return found


def connect() -> None:
    for model in _models(TERRITORIAL):
        post_save.connect(_record_changed, sender=model, dispatch_uid=f"dashboard-{model._meta.label}-save")
        post_delete.connect(_record_changed, sender=model, dispatch_uid=f"dashboard-{model._meta.label}-delete")
    for model in _models(NATIONWIDE):
        post_save.connect(_nationwide, sender=model, dispatch_uid=f"dashboard-{model._meta.label}-save")
        post_delete.connect(_nationwide, sender=model, dispatch_uid=f"dashboard-{model._meta.label}-delete")
    post_save.connect(_moved, sender=audit.AuditEntry, dispatch_uid="dashboard-audit-moved")
    audit.bulk_logged.connect(_bulk_logged, dispatch_uid="dashboard-audit-bulk")


# --- writing ------------------------------------------------------------------------


def _token() -> str:
    return uuid.uuid4().hex[:16]


def _not_yet_bumped(unit_ids) -> list[int]:
    """The units whose province has not had a new version in this transaction since the
    versions were last read in it. Deleting an event with its attendances, or saving a
    report value by value, then writes one version, not one per row. Kept per savepoint
    (savepoint ids are never reused), so a savepoint rolled back takes its memory with
    it, and per transaction (a marker waiting for its commit: every outermost
    transaction has the same empty savepoint ids, and a later request on the same
    connection must bump again); reading the versions forgets, so a change after a read
    in the same transaction bumps again."""
    ids = {int(pk) for pk in unit_ids if pk is not None}
    if not connection.in_atomic_block:
        return sorted(ids)
    block = tuple(connection.savepoint_ids)
    memo = getattr(connection, "_dashboard_bumped", None)
    if memo is None or memo[0] != block or not db.still_pending(memo[2]):
        marker = _TransactionMarker()
        transaction.on_commit(marker)
        memo = connection._dashboard_bumped = (block, set(), marker)
    fresh = ids - memo[1]
    memo[1].update(fresh)
    return sorted(fresh)


class _TransactionMarker:
    def __call__(self) -> None:  # run at commit: nothing to do, it only marks the transaction
        pass


def _forget_bumps() -> None:
    connection._dashboard_bumped = None


def bump_units(unit_ids) -> None:
    """A new version for the provinces of these units (the country and units without a
    province: the national version). One statement."""
    ids = _not_yet_bumped(unit_ids)
    if not ids:
        return
    marks = ", ".join(["%s"] * len(ids))
    rows = ("SELECT DISTINCT COALESCE(current_province_id, 0), %s, %s FROM geo_adminunit "
            f"WHERE id IN ({marks})")
    with connection.cursor() as cursor:
        cursor.execute(_UPSERT.format(rows=rows), [_token(), timezone.now(), *ids])


def bump_national() -> None:
    with connection.cursor() as cursor:
        cursor.execute(_UPSERT.format(rows="VALUES (%s, %s, %s)"), [NATIONAL, _token(), timezone.now()])


def _unit_of(instance) -> int | None:
    try:
        return audit.unit_id_of(instance)
    except ObjectDoesNotExist:  # deleted along with its parent: the whole country, to be safe
        return None


def _record_changed(sender, instance, raw=False, **kwargs):
    if raw:  # fixtures
        return
    unit_id = _unit_of(instance)
    if unit_id is None:
        bump_national()
    else:
        bump_units([unit_id])


def _nationwide(sender, raw=False, **kwargs):
    if not raw:
        bump_national()


def _territorial_model(content_type) -> bool:
    model = content_type.model_class()
    return model is not None and (model._meta.app_label, model.__name__) in TERRITORIAL


def _old_units(entry) -> list[int]:
    found = []
    for name in UNIT_FIELDS:
        pair = (entry.changes or {}).get(name)
        if isinstance(pair, list) and len(pair) == 2 and isinstance(pair[0], int) and pair[0] != pair[1]:
            found.append(pair[0])
    return found


def _moved(sender, instance, created=False, raw=False, **kwargs):
    """A record moved to another unit: its old unit's province changes too (the new
    one was bumped by the record's own post_save)."""
    if raw or not created or not instance.changes or not _territorial_model(instance.content_type):
        return
    old = _old_units(instance)
    if old:
        bump_units(old)


def _bulk_logged(sender, entries, **kwargs):
    wanted, national = set(), False
    for entry in entries:
        if not _territorial_model(entry.content_type):
            continue
        if entry.unit_id is None:
            national = True
        else:
            wanted.add(entry.unit_id)
        wanted.update(_old_units(entry))
    if national:
        bump_national()
    if wanted:
        bump_units(wanted)


# --- reading ------------------------------------------------------------------------


class Versions:
    """The tokens as they stand, read once per request (one query)."""

    def __init__(self, rows: dict[int, tuple[str, object]]):
        self.rows = rows
        self.national = rows[NATIONAL][0]
        self._provinces = None

    def provinces(self) -> list:
        """Today's provinces, whose figures add up to the country's (read once)."""
        if self._provinces is None:
            self._provinces = list(AdminUnit.objects.current().filter(level=Level.PROVINCE).order_by("code"))
        return self._provinces

    @classmethod
    def read(cls) -> "Versions":
        _forget_bumps()
        rows = {scope: (token, at) for scope, token, at in FigureVersion.objects.values_list(
            "scope", "token", "changed_at")}
        if NATIONAL not in rows:
            # A new (or emptied) database: a fresh national token, so nothing cached in
            # an earlier life of the database can match.
            bump_national()
            row = FigureVersion.objects.get(scope=NATIONAL)
            rows[NATIONAL] = (row.token, row.changed_at)
        return cls(rows)

    def scope_of(self, unit) -> int:
        return unit.current_province_id or NATIONAL

    def of(self, unit) -> str:
        """The version a unit's figures are valid under."""
        scope = self.scope_of(unit)
        if scope == NATIONAL:
            return f"{self.national}.{self.everything()}"
        return f"{self.national}.{self.rows.get(scope, ('0',))[0]}"

    def everything(self) -> str:
        joined = ",".join(f"{scope}:{token}" for scope, (token, _at) in sorted(self.rows.items()))
        return hashlib.sha1(joined.encode()).hexdigest()[:16]

    def changed_at(self, unit):
        """When the last change that concerns the unit's figures was saved (None: never
        since the versions were first read)."""
        scope = self.scope_of(unit)
        if scope == NATIONAL:
            return max((at for _token, at in self.rows.values()), default=None)
        own = self.rows.get(scope)
        national = self.rows[NATIONAL][1]
        return max(own[1], national) if own else national
