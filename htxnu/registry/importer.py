"""Importing the registry workbook (see workbook.py for the columns).

Rules, in the order they apply:
- The unit the file is imported into must be one the actor may edit; every row's
  commune must lie in that unit. A commune is written by name (with or without its
  kind, "Xã", "Phường", and with or without diacritics) or by its 5-digit code, and is
  resolved among the current communes of the unit; a name that fits several is an
  error that lists them.
- Every row is read and checked before anything is written: cell formats, required
  cells, enumerations, dates not in the future, female counts not above the totals,
  the model's own rules (clean()), registration codes not repeated in the file nor
  belonging to a record of another unit.
- If any row has an error, nothing is written. Otherwise everything is written in one
  transaction: either the whole file goes in or none of it does.
- A row updates the record with its registration code, or else the record with the
  same name (ignoring how diacritics were typed) in the same commune; otherwise it
  creates one. So importing the same file twice changes nothing the second time. An
  empty cell leaves the recorded value as it is.
- The main manager of a row updates the current manager of that name, or is added.
  The workforce figures replace the snapshot of the same date, or add one.
- Writes are in bulk (a fixed number of queries per thousand rows), audited with
  audit.log_many, and the derived columns are refreshed in bulk.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from openpyxl.utils import get_column_letter

from htxnu.accounts import permissions
from htxnu.core import audit
from htxnu.core.bulk import insert_returning, insert_rows, update_rows
from htxnu.core.models import AuditEntry
from htxnu.geo.models import AdminUnit, Level
from htxnu.text import name_key, search_key

from . import workbook
from .models import Collective, Manager, Status, WorkforceSnapshot
from .services import refresh_derived
from .workbook import BY_KEY, COLUMNS, MANAGER_KEYS, WORKFORCE_KEYS, CellError, is_blank, read_cell

CHUNK = 500
CACHED_KINDS = {"enum", "bool", "date", "multi"}
_MISSING = object()
COLLECTIVE_KEYS = [
    "type", "name", "registration_code", "address", "founded_on", "sector", "main_products", "status", "governance",
    "union_supported_founding", "union_support_level", "in_value_chain", "digital_transformation",
    "ecommerce_channels", "social_insurance", "agricultural_insurance",
]
MANAGER_FIELD = {"manager_name": "full_name", "manager_gender": "gender", "manager_birth_year": "birth_year",
                 "manager_position": "position", "manager_phone": "phone"}
FIELD_COLUMN = {**{v: k for k, v in MANAGER_FIELD.items()}, "commune": "commune"}
FK_FIELDS = ["commune", "registered_unit", "following_organisation", "converted_from", "collective", "recorded_by"]
SETTABLE = frozenset(COLLECTIVE_KEYS)


class _UnsetFields(dict):
    """For a model and the fields a row sets, the fields clean_fields can skip: the
    others keep their defaults or the values already recorded, valid already."""

    def __missing__(self, key):
        model, names = key
        self[key] = [f.name for f in model._meta.concrete_fields if f.name not in names]
        return self[key]


UNSET_BY = _UnsetFields()

Progress = Callable[[str, int, int], None]


@dataclass
class Problem:
    sheet: str
    row: int  # 0 for the file as a whole
    column: str  # letter, "" for the file or row as a whole
    header: str
    message: str

    def as_dict(self) -> dict:
        return {"sheet": self.sheet, "row": self.row, "column": self.column, "header": self.header,
                "message": self.message}


@dataclass
class RowPlan:
    number: int
    values: dict
    commune: AdminUnit | None = None
    existing_id: int | None = None
    collective: Collective | None = None
    manager: dict | None = None
    workforce: dict | None = None
    # Filled by the checks: the objects to write and their state before (None: new).
    before: dict | None = None
    manager_obj: Manager | None = None
    manager_before: dict | None = None
    workforce_obj: WorkforceSnapshot | None = None
    workforce_before: dict | None = None


@dataclass
class Result:
    problems: list[Problem] = field(default_factory=list)
    total_rows: int = 0
    created: int = 0
    updated: int = 0
    collective_ids: list[int] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def _chunks(items, size=CHUNK):
    items = list(items)
    for start in range(0, len(items), size):
        yield items[start : start + size]


class CommuneIndex:
    """The current communes of a unit, findable by code, by name with or without its
    kind, with or without diacritics."""

    def __init__(self, unit: AdminUnit):
        self.unit = unit
        communes = AdminUnit.objects.filter(
            scope_links__ancestor=unit, level=Level.COMMUNE, valid_to__isnull=True
        ).only("id", "code", "name", "short_name", "kind", "level", "parent_id")
        self.by_id = {c.pk: c for c in communes}
        self.by_code = {c.code: c for c in self.by_id.values()}
        self.exact: dict[str, list[AdminUnit]] = {}
        self.loose: dict[str, list[AdminUnit]] = {}
        for c in self.by_id.values():
            for text in {c.name, c.short_name}:
                self.exact.setdefault(name_key(text), []).append(c)
                self.loose.setdefault(search_key(text), []).append(c)

    def names(self) -> list[str]:
        return sorted(c.name for c in self.by_id.values())

    def find(self, text: str) -> tuple[AdminUnit | None, str]:
        text = text.strip()
        if text.isdigit():
            found = self.by_code.get(text.zfill(5))
            if found:
                return found, ""
            return None, "code"
        for candidates in (self.exact.get(name_key(text)), self.loose.get(search_key(text))):
            if candidates:
                unique = list({c.pk: c for c in candidates}.values())
                if len(unique) == 1:
                    return unique[0], ""
                return None, "; ".join(sorted(f"{c.name} ({c.code})" for c in unique))
        return None, ""


class Importer:
    def __init__(self, *, actor, unit: AdminUnit, file_name: str = "", progress: Progress | None = None):
        self.actor = actor
        self.unit = unit
        self.file_name = file_name
        self.progress = progress or (lambda phase, done, total: None)
        self.result = Result()
        self.sheet = workbook.DATA_SHEET
        self.letters: dict[str, str] = {}
        self.resolved: dict[str, tuple] = {}
        self.reported: set[tuple[int, str | None]] = set()  # (row, column): one message per cell

    # --- problems ------------------------------------------------------------------

    def problem(self, row: int, key: str | None, message: str) -> None:
        if key is not None and row and (row, key) in self.reported:
            return  # the cell is already marked: a second message about it would repeat the first
        self.reported.add((row, key))
        column = BY_KEY.get(key) if key else None
        self.result.problems.append(Problem(
            self.sheet, row, self.letters.get(key, "") if key else "",
            workbook.header_text(column) if column else "", str(message),
        ))

    # --- entry point ---------------------------------------------------------------

    def run(self, data: bytes) -> Result:
        with translation.override("vi"):
            if self.actor is not None and not permissions.can_edit_records(self.actor, self.unit):
                raise PermissionDenied(_("You may not change the records of this unit."))
            self.progress("reading", 0, 0)
            try:
                sheet = workbook.read_workbook(data)
            except workbook.FileError as error:
                self.result.problems.append(Problem("", 0, "", "", str(error)))
                return self.result
            self.sheet = sheet.sheet
            self.letters = {key: get_column_letter(index + 1) for key, index in sheet.columns.items()}
            self.result.total_rows = len(sheet.rows)
            for column in sheet.missing:
                self.result.problems.append(Problem(sheet.sheet, workbook.HEADER_ROW, "", workbook.header_text(column),
                                                    _("The column “%(header)s” is missing.")
                                                    % {"header": workbook.header_text(column)}))
            if self.result.problems:
                return self.result
            if not sheet.rows:
                self.result.problems.append(Problem(sheet.sheet, 0, "", "", _("The file has no rows to import.")))
                return self.result
            plans = self.read_rows(sheet)
            self.match(plans)
            self.check_models(plans)
            if self.result.problems:
                return self.result
            self.progress("writing", len(plans), len(plans))
            self.write(plans)
            return self.result

    # --- reading -------------------------------------------------------------------

    def read_rows(self, sheet: workbook.SheetData) -> list[RowPlan]:
        communes = CommuneIndex(self.unit)
        self.communes = communes
        today = datetime.date.today()
        # The same labels and dates come back row after row: read each once.
        cache: dict = {}
        plans = []
        total = len(sheet.rows)
        for done, (number, raw_values) in enumerate(sheet.rows, start=1):
            values = {}
            for key, index in sheet.columns.items():
                raw = raw_values[index] if index < len(raw_values) else None
                column = BY_KEY[key]
                if is_blank(raw):
                    if column.required:
                        self.problem(number, key, _("This cell is required."))
                    continue
                cached = cache.get((key, raw), _MISSING) if column.kind in CACHED_KINDS else _MISSING
                if cached is not _MISSING:
                    values[key] = cached
                    continue
                try:
                    values[key] = read_cell(column, raw)
                except CellError as error:
                    self.problem(number, key, str(error))
                else:
                    if column.kind in CACHED_KINDS:
                        cache[(key, raw)] = values[key]
            plan = RowPlan(number, values)
            for key in ("founded_on", "as_of"):
                if key in values and values[key] > today:
                    self.problem(number, key, _("This date is in the future."))
            year = values.get("manager_birth_year")
            if year is not None and not 1900 <= year <= today.year - 14:
                self.problem(number, "manager_birth_year", _("“%(value)s” is not a plausible birth year.")
                             % {"value": year})
            if "commune" in values:
                text = values["commune"]
                if text not in self.resolved:
                    self.resolved[text] = self.communes.find(text)
                plan.commune = self.resolve_commune(number, text, self.resolved[text])
            self.read_manager(plan)
            self.read_workforce(plan)
            plans.append(plan)
            if done % 1000 == 0:
                self.progress("checking", done, total)
        return plans

    def resolve_commune(self, number: int, text: str, found_detail) -> AdminUnit | None:
        found, detail = found_detail
        if found:
            return found
        if detail == "code":
            elsewhere = AdminUnit.objects.filter(code=text.zfill(5), level=Level.COMMUNE, valid_to__isnull=True).first()
            if elsewhere:
                self.problem(number, "commune", _("%(name)s (code %(code)s) is outside %(unit)s, the unit you are "
                                                  "importing into.")
                             % {"name": elsewhere.name, "code": elsewhere.code, "unit": self.unit.name})
            else:
                self.problem(number, "commune", _("No commune has the code %(code)s.") % {"code": text})
        elif detail:
            self.problem(number, "commune", _("“%(value)s” fits several communes: %(list)s. Write the full name "
                                              "with its accents, or the code.") % {"value": text, "list": detail})
        else:
            self.problem(number, "commune", _("No commune of %(unit)s is called “%(value)s”.")
                         % {"unit": self.unit.name, "value": text})
        return None

    def read_manager(self, plan: RowPlan) -> None:
        given = {k: plan.values[k] for k in MANAGER_KEYS if k in plan.values}
        if not given:
            return
        if "manager_name" not in given:
            self.problem(plan.number, "manager_name", _("Give the manager's name, or leave the manager's cells "
                                                        "empty."))
            return
        plan.manager = {MANAGER_FIELD[k]: v for k, v in given.items()}

    def read_workforce(self, plan: RowPlan) -> None:
        keys = ["as_of", *WORKFORCE_KEYS, "avg_monthly_income"]
        given = {k: plan.values[k] for k in keys if k in plan.values}
        if not given:
            return
        missing = [k for k in ["as_of", *WORKFORCE_KEYS] if k not in given and k in self.letters]
        absent = [k for k in ["as_of", *WORKFORCE_KEYS] if k not in self.letters]
        for key in missing:
            self.problem(plan.number, key, _("The workforce figures need this cell too."))
        if absent:
            self.problem(plan.number, "as_of", _("The workforce figures need the columns %(list)s.")
                         % {"list": ", ".join(workbook.header_text(BY_KEY[k]) for k in absent)})
        if missing or absent:
            return
        plan.workforce = given

    # --- matching ------------------------------------------------------------------

    def match(self, plans: list[RowPlan]) -> None:
        allowed = set(self.communes.by_id)
        codes = {p.values["registration_code"] for p in plans if p.values.get("registration_code")}
        by_code = {}
        for chunk in _chunks(codes):
            # The exclude() lets the database use the partial unique index on codes.
            for c in Collective.objects.filter(registration_code__in=chunk).exclude(registration_code="") \
                    .select_related("commune"):
                by_code[c.registration_code] = c
        commune_ids = {p.commune.pk for p in plans if p.commune}
        by_name: dict[tuple[str, int], int] = {}
        for chunk in _chunks(commune_ids):
            for pk, name, commune_id in Collective.objects.filter(commune_id__in=chunk).values_list(
                "pk", "name", "commune_id"
            ):
                by_name.setdefault((name_key(name), commune_id), pk)
        seen_codes: dict[str, int] = {}
        seen_names: dict[tuple[str, int], int] = {}
        seen_ids: dict[int, int] = {}
        for plan in plans:
            code = plan.values.get("registration_code")
            if code:
                if code in seen_codes:
                    self.problem(plan.number, "registration_code",
                                 _("The code %(code)s is already on row %(row)s of this file.")
                                 % {"code": code, "row": seen_codes[code]})
                    continue
                seen_codes[code] = plan.number
                holder = by_code.get(code)
                if holder is not None:
                    if holder.commune_id not in allowed:
                        # Who holds it is not the uploader's to know (a file of codes would
                        # otherwise read the registry of the whole country: issue #14).
                        self.problem(plan.number, "registration_code",
                                     _("The code %(code)s is already registered outside %(unit)s.")
                                     % {"code": code, "unit": self.unit.name})
                        continue
                    plan.existing_id = holder.pk
            if plan.commune is not None and "name" in plan.values:
                key = (name_key(plan.values["name"]), plan.commune.pk)
                if key in seen_names and not code:
                    self.problem(plan.number, "name", _("%(name)s in %(commune)s is already on row %(row)s of this "
                                                        "file.") % {"name": plan.values["name"],
                                                                     "commune": plan.commune.name,
                                                                     "row": seen_names[key]})
                    continue
                seen_names.setdefault(key, plan.number)
                if plan.existing_id is None:
                    plan.existing_id = by_name.get(key)
            if plan.existing_id is not None:
                if plan.existing_id in seen_ids:
                    self.problem(plan.number, "name", _("This row and row %(row)s are the same record.")
                                 % {"row": seen_ids[plan.existing_id]})
                seen_ids.setdefault(plan.existing_id, plan.number)

    # --- model rules ---------------------------------------------------------------

    def report(self, number: int, error: ValidationError, fields_to_columns: dict | None = None) -> None:
        for name, messages in error.message_dict.items():
            key = (fields_to_columns or {}).get(name, name)
            if key == NON_FIELD_ERRORS or key not in BY_KEY:
                key = "name"
            for message in messages:
                self.problem(number, key, message)

    def check_models(self, plans: list[RowPlan]) -> None:
        # Every row is checked whole, even one already wrong, so that one upload lists every
        # problem of every row; problem() keeps one message per cell. A row without a commune
        # skips only the record's own checks (they need the commune).
        existing_ids = [p.existing_id for p in plans if p.existing_id]
        existing: dict[int, Collective] = {}
        for chunk in _chunks(existing_ids):
            existing.update(Collective.objects.in_bulk(chunk))
        self.existing = existing
        self.current_managers: dict[tuple[int, str], Manager] = {}
        self.snapshots: dict[tuple[int, datetime.date], WorkforceSnapshot] = {}
        for chunk in _chunks(existing_ids):
            for m in Manager.objects.filter(collective_id__in=chunk, ended_on__isnull=True):
                self.current_managers.setdefault((m.collective_id, name_key(m.full_name)), m)
        dates = {p.workforce["as_of"] for p in plans if p.workforce and p.existing_id}
        if dates:
            for chunk in _chunks(existing_ids):
                for s in WorkforceSnapshot.objects.filter(collective_id__in=chunk, as_of__in=dates):
                    self.snapshots[(s.collective_id, s.as_of)] = s
        total = len(plans)
        for done, plan in enumerate(plans, start=1):
            if done % 1000 == 0:
                self.progress("checking", done, total)
            if plan.commune is not None:
                self.check_collective(plan, existing)
            if plan.manager:
                self.check_manager(plan)
            if plan.workforce:
                self.check_workforce(plan)

    def check_collective(self, plan: RowPlan, existing: dict[int, Collective]) -> None:
        if plan.existing_id:
            c = existing[plan.existing_id]
            plan.before = audit.snapshot(c)
        else:
            c = Collective(status=Status.ACTIVE)
        c.commune = plan.commune
        for key in COLLECTIVE_KEYS:
            if key in plan.values:
                setattr(c, key, plan.values[key])
        try:
            # The fields this row sets; the others keep values that were valid already.
            c.clean_fields(exclude=UNSET_BY[Collective, frozenset(plan.values) & SETTABLE])
            c.clean()
        except ValidationError as error:
            self.report(plan.number, error)
        plan.collective = c

    def check_manager(self, plan: RowPlan) -> None:
        key = (plan.existing_id, name_key(plan.manager["full_name"])) if plan.existing_id else None
        current = self.current_managers.get(key) if key else None
        if current is None:
            for needed in ("gender", "position"):
                if needed not in plan.manager:
                    self.problem(plan.number, f"manager_{needed}", _("A new manager needs this cell."))
            m = Manager()
        else:
            m = current
        if current:
            plan.manager_before = audit.snapshot(m)
        for name, value in plan.manager.items():
            setattr(m, name, value)
        try:
            m.clean_fields(exclude=UNSET_BY[Manager, frozenset(plan.manager)])
            m.clean()
        except ValidationError as error:
            self.report(plan.number, error, FIELD_COLUMN)
        plan.manager_obj = m

    def check_workforce(self, plan: RowPlan) -> None:
        as_of = plan.workforce["as_of"]
        current = self.snapshots.get((plan.existing_id, as_of)) if plan.existing_id else None
        s = current or WorkforceSnapshot(as_of=as_of)
        if current:
            plan.workforce_before = audit.snapshot(s)
        for name, value in plan.workforce.items():
            setattr(s, name, value)
        try:
            s.clean_fields(exclude=UNSET_BY[WorkforceSnapshot, frozenset(plan.workforce)])
            s.clean()
        except ValidationError as error:
            self.report(plan.number, error)
        plan.workforce_obj = s

    # --- writing -------------------------------------------------------------------

    @transaction.atomic
    def write(self, plans: list[RowPlan]) -> None:
        """One audit entry per row, on its collective: the collective's own changes, and
        those of its main manager and workforce figures under the column headers (so the
        record's history tells the whole row)."""
        now = timezone.now()
        note = _("Import of %(file)s") % {"file": self.file_name} if self.file_name else _("Import")
        creates = [p for p in plans if p.existing_id is None]
        updates = [p for p in plans if p.existing_id is not None]
        for p in plans:
            p.collective.refresh_search_key()
            p.collective.updated_at = now
        insert_returning(Collective, [p.collective for p in creates])
        changes = {}
        for p in creates:
            changes[p.number] = _created_changes(p.collective)
        really_updated = []
        for p in updates:
            diff = audit.diff(p.before, audit.snapshot(p.collective))
            diff.pop("updated_at", None)
            if diff:
                really_updated.append(p.collective)
                changes[p.number] = diff
        changed_fields = {"updated_at", "search_key", "commune"} | {k for p in updates for k in p.values
                                                                   if k in COLLECTIVE_KEYS}
        update_rows(Collective, really_updated, sorted(changed_fields))
        self.write_children(plans, "manager", Manager, MANAGER_FIELD, changes)
        self.write_children(plans, "workforce", WorkforceSnapshot,
                            {k: k for k in ["as_of", *WORKFORCE_KEYS, "avg_monthly_income"]}, changes)
        # Facts and derived columns of every row's collective (its own columns may have
        # changed: commune, status, founding date).
        refresh_derived({p.collective.pk for p in plans})
        by_number = {p.number: p for p in plans}
        audit.log_many(self.actor, AuditEntry.Action.IMPORT,
                       [(by_number[n].collective, c) for n, c in changes.items() if c], note=note)
        self.result.created = len(creates)
        self.result.updated = len({p.number for p in updates} & set(changes))
        self.result.collective_ids = [p.collective.pk for p in plans]

    @staticmethod
    def write_children(plans, kind: str, model, columns: dict[str, str], changes: dict) -> None:
        """The main manager or the workforce figures of each row, inserted or updated in
        bulk; what changed is added to the row's audit entry under the column headers."""
        new, changed = [], []
        headers = {f: workbook.header_text(BY_KEY[key]) for key, f in columns.items()}
        for p in plans:
            if not getattr(p, kind):
                continue
            obj, before = getattr(p, f"{kind}_obj"), getattr(p, f"{kind}_before")
            obj.collective = p.collective
            after = {f: _plain(getattr(obj, f)) for f in headers}
            if before is None:
                after = {f: v for f, v in after.items() if v not in (None, "")}
            diff = {headers[f]: pair for f, pair in audit.diff(before or {}, after).items() if f in headers}
            if before is None:
                new.append(obj)
            elif diff:
                changed.append(obj)
            if diff:
                changes.setdefault(p.number, {}).update(diff)
        insert_rows(model, new)
        update_rows(model, changed, list(headers))


def _plain(value):
    return value.isoformat() if isinstance(value, datetime.date) else str(value) if isinstance(value, Decimal) \
        else value


def _created_changes(collective: Collective) -> dict:
    """What log_create would record for a new collective: its non-empty values."""
    after = {"commune": collective.commune_id, "type": collective.type, "status": collective.status}
    for key in COLLECTIVE_KEYS:
        value = getattr(collective, key)
        if value not in (None, "", [], False):
            after[key] = _plain(value)
    return audit.diff({}, after)


def import_file(*, actor, unit: AdminUnit, data: bytes, file_name: str = "",
                progress: Progress | None = None) -> Result:
    return Importer(actor=actor, unit=unit, file_name=file_name, progress=progress).run(data)


def template_for(unit: AdminUnit) -> bytes:
    return workbook.build_template(CommuneIndex(unit).names())


__all__ = ["COLUMNS", "Importer", "Problem", "Result", "import_file", "template_for"]
