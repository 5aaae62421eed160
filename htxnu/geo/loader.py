"""Write the units, their succession and their scope into the database.

Rules:
- A province that kept its code and its whole territory (11 of them, e.g. Lai Châu) is
  one unit valid throughout. Every other unit before the reorganisation is closed on
  30/6/2025; every unit after it opens on 1/7/2025. Districts all close on 30/6/2025.
- Loading is an upsert on (level, code, valid_from, valid_to): units are never deleted,
  because records point at them. Succession links and scope rows are derived and are
  rebuilt whole.
- Link kinds come from the shape of the change: a predecessor with several successors
  was split (share unknown in the sources); one whose successor has other
  predecessors of its level was merged; otherwise it was renamed or reassigned.
- Scope (UnitScope) is what each unit covers: cover(U) = the ancestors of U in its
  own hierarchy, plus cover(S) for every successor S of U, keeping only covering units
  whose level is at or above U's. So today's Lào Cai covers old Yên Bái, its districts
  and communes; a commune of today covers the old communes it came from, never an old
  district that only gave it part of its territory.
"""

import collections
import datetime

from django.db import transaction
from django.dispatch import Signal

from htxnu.text import search_key

from .models import (
    LAST_DAY_BEFORE_REORGANISATION,
    REORGANISATION_DATE,
    AdminUnit,
    DataVersion,
    Level,
    Succession,
    UnitScope,
)
from .sources import Sources, UnitRow

# Sent by `manage.py load_units` after the units are loaded (or found loaded). The apps
# above geo hang their own per-unit rows on it (accounts: each unit's Women's Union
# body), so geo names none of them. A receiver returns how many rows it created.
units_loaded = Signal()

COUNTRY_CODE = "VN"
LEVEL_RANK = {Level.COUNTRY: 0, Level.PROVINCE: 1, Level.DISTRICT: 2, Level.COMMUNE: 3}
PROVINCE_BASIS = "Nghị quyết 202/2025/QH15"
DISTRICT_BASIS = "Luật Tổ chức chính quyền địa phương 2025 (kết thúc cấp huyện)"
COMMUNE_BASIS = "Nghị quyết của UBTVQH về sắp xếp đơn vị hành chính cấp xã năm 2025"

Key = tuple[str, str, datetime.date | None, datetime.date | None]


def _key(unit) -> Key:
    return (unit.level, unit.code, unit.valid_from, unit.valid_to)


def loaded(fingerprint: str) -> dict | None:
    """What is loaded (its summary) when it is this data version, else None: one query,
    so `load_units` skips before reading the packages (about a second) when nothing changed."""
    version = DataVersion.objects.filter(name="units", fingerprint=fingerprint).first()
    return version.summary if version else None


@transaction.atomic
def load(sources: Sources, *, force: bool = False) -> dict:
    summary = None if force else loaded(sources.fingerprint)
    if summary is not None:
        return {"skipped": True, **summary}

    old, new = LAST_DAY_BEFORE_REORGANISATION, REORGANISATION_DATE
    unchanged = {
        old_code
        for old_code, new_code in sources.province_successor.items()
        if old_code == new_code and list(sources.province_successor.values()).count(new_code) == 1
    }

    existing: dict[Key, AdminUnit] = {_key(u): u for u in AdminUnit.objects.all()}
    by_era: dict[tuple[str, str, str], AdminUnit] = {}
    stats = collections.Counter()

    def upsert(rows: list[UnitRow], level: str, era: str, parent_of, valid_from, valid_to) -> None:
        to_create, to_update = [], []
        for row in rows:
            key = (level, row.code, valid_from, valid_to)
            parent = parent_of(row)
            fields = {
                "name": row.name,
                "short_name": row.short_name,
                "kind": row.kind,
                "parent_id": parent.pk if parent else None,
                "latitude": row.latitude,
                "longitude": row.longitude,
                "search_key": search_key(row.name, row.code),
            }
            unit = existing.get(key)
            if unit is None:
                unit = AdminUnit(level=level, code=row.code, valid_from=valid_from, valid_to=valid_to, **fields)
                to_create.append(unit)
            elif any(getattr(unit, f) != v for f, v in fields.items()):
                for f, v in fields.items():
                    setattr(unit, f, v)
                to_update.append(unit)
            by_era[(era, level, row.code)] = unit
        AdminUnit.objects.bulk_create(to_create, batch_size=2000)
        if to_update:
            AdminUnit.objects.bulk_update(to_update, list(fields), batch_size=2000)
        for unit in to_create:
            existing[_key(unit)] = unit
        stats["created"] += len(to_create)
        stats["updated"] += len(to_update)

    country_row = UnitRow(COUNTRY_CODE, "Việt Nam", "Việt Nam", "quốc gia", Level.COUNTRY)
    upsert([country_row], Level.COUNTRY, "both", lambda r: None, None, None)
    country = by_era[("both", Level.COUNTRY, COUNTRY_CODE)]

    new_by_code = {r.code: r for r in sources.new_provinces}
    upsert([new_by_code[c] for c in sorted(unchanged)], Level.PROVINCE, "both", lambda r: country, None, None)
    upsert(
        [r for r in sources.old_provinces if r.code not in unchanged],
        Level.PROVINCE, "old", lambda r: country, None, old,
    )
    upsert(
        [r for r in sources.new_provinces if r.code not in unchanged],
        Level.PROVINCE, "new", lambda r: country, new, None,
    )

    def province(era_code: str, era: str) -> AdminUnit:
        return by_era.get((era, Level.PROVINCE, era_code)) or by_era[("both", Level.PROVINCE, era_code)]

    upsert(sources.old_districts, Level.DISTRICT, "old", lambda r: province(r.parent_code, "old"), None, old)
    upsert(
        sources.old_communes, Level.COMMUNE, "old",
        lambda r: by_era[("old", Level.DISTRICT, r.parent_code)], None, old,
    )
    upsert(sources.new_communes, Level.COMMUNE, "new", lambda r: province(r.parent_code, "new"), new, None)

    links = _succession_links(sources, by_era, unchanged)
    Succession.objects.all().delete()
    Succession.objects.bulk_create(links, batch_size=5000)

    _set_current_provinces(by_era, sources)
    scope_rows = rebuild_scope()

    summary = {
        "provinces_today": AdminUnit.objects.filter(level=Level.PROVINCE, valid_to__isnull=True).count(),
        "provinces_before": AdminUnit.objects.filter(level=Level.PROVINCE, valid_from__isnull=True).count(),
        "districts_before": AdminUnit.objects.filter(level=Level.DISTRICT).count(),
        "communes_today": AdminUnit.objects.filter(level=Level.COMMUNE, valid_to__isnull=True).count(),
        "communes_before": AdminUnit.objects.filter(level=Level.COMMUNE, valid_from__isnull=True).count(),
        "succession_links": len(links),
        "scope_rows": scope_rows,
    }
    DataVersion.objects.update_or_create(
        name="units", defaults={"fingerprint": sources.fingerprint, "summary": summary}
    )
    return {"skipped": False, "created": stats["created"], "updated": stats["updated"], **summary}


def _succession_links(sources: Sources, by_era, unchanged: set[str]) -> list[Succession]:
    # (predecessor, successor, is_primary), kinds decided once all links are known.
    raw: list[tuple[AdminUnit, AdminUnit, bool]] = []
    for old_code, new_code in sources.province_successor.items():
        if old_code in unchanged:
            continue
        raw.append((by_era[("old", Level.PROVINCE, old_code)], by_era[("new", Level.PROVINCE, new_code)], True))

    district_targets: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    commune_parent = {r.code: r.parent_code for r in sources.old_communes}
    for old_code, successors in sources.commune_successors.items():
        if old_code in commune_parent:
            predecessor = by_era[("old", Level.COMMUNE, old_code)]
            district_code = commune_parent[old_code]
        else:  # an island district without communes
            predecessor = by_era[("old", Level.DISTRICT, old_code)]
            district_code = None
        for new_code, is_primary in successors:
            successor = by_era[("new", Level.COMMUNE, new_code)]
            if district_code is None or predecessor.level == Level.COMMUNE:
                raw.append((predecessor, successor, is_primary))
            if district_code:
                district_targets[district_code][new_code] += 1
    for district_code, targets in district_targets.items():
        # The successor that took most of the district's communes counts as its primary one.
        primary = targets.most_common(1)[0][0]
        district = by_era[("old", Level.DISTRICT, district_code)]
        for new_code in targets:
            raw.append((district, by_era[("new", Level.COMMUNE, new_code)], new_code == primary))

    successors_of = collections.Counter(p.pk for p, _, _ in raw)
    predecessors_of = collections.Counter((s.pk, p.level) for p, s, _ in raw)
    links = []
    for predecessor, successor, is_primary in raw:
        if successors_of[predecessor.pk] > 1:
            kind = Succession.Kind.SPLIT
        elif predecessors_of[(successor.pk, predecessor.level)] > 1:
            kind = Succession.Kind.MERGE
        else:
            kind = Succession.Kind.RENAME
        basis = {Level.PROVINCE: PROVINCE_BASIS, Level.DISTRICT: DISTRICT_BASIS}.get(predecessor.level, COMMUNE_BASIS)
        links.append(
            Succession(
                predecessor=predecessor,
                successor=successor,
                kind=kind,
                effective=REORGANISATION_DATE,
                share=1 if kind != Succession.Kind.SPLIT else None,
                is_primary=is_primary,
                basis=basis,
            )
        )
    return links


def _set_current_provinces(by_era, sources: Sources) -> None:
    by_pk = {unit.pk: unit for unit in by_era.values()}
    updates = []
    for (era, level, code), unit in by_era.items():
        if level == Level.COUNTRY:
            continue
        if level == Level.PROVINCE:
            target_code = code if era in ("both", "new") else sources.province_successor[code]
        elif era == "new":
            target_code = by_pk[unit.parent_id].code
        else:
            parent = by_pk[unit.parent_id]
            old_province = parent if level == Level.DISTRICT else by_pk[parent.parent_id]
            target_code = sources.province_successor[old_province.code]
        target = by_era.get(("new", Level.PROVINCE, target_code)) or by_era[("both", Level.PROVINCE, target_code)]
        if unit.current_province_id != target.pk:
            unit.current_province_id = target.pk
            updates.append(unit)
    AdminUnit.objects.bulk_update(updates, ["current_province"], batch_size=2000)


def rebuild_scope() -> int:
    """Recompute UnitScope from the hierarchy and the succession links (see module docstring)."""
    units = {u["pk"]: u for u in AdminUnit.objects.values("pk", "parent_id", "level")}
    successors = collections.defaultdict(list)
    for pred, succ in Succession.objects.values_list("predecessor_id", "successor_id"):
        successors[pred].append(succ)

    ancestors_memo: dict[int, list[int]] = {}

    def ancestors(pk: int) -> list[int]:
        if pk not in ancestors_memo:
            parent = units[pk]["parent_id"]
            ancestors_memo[pk] = [pk] + (ancestors(parent) if parent else [])
        return ancestors_memo[pk]

    cover_memo: dict[int, set[int]] = {}

    def cover(pk: int, seen: frozenset = frozenset()) -> set[int]:
        if pk in cover_memo:
            return cover_memo[pk]
        rank = LEVEL_RANK[units[pk]["level"]]
        result = set(ancestors(pk))
        for succ in successors.get(pk, ()):
            if succ in seen:  # a cycle in the data must not hang the loader
                continue
            result |= {a for a in cover(succ, seen | {pk}) if LEVEL_RANK[units[a]["level"]] <= rank}
        cover_memo[pk] = result
        return result

    UnitScope.objects.all().delete()
    rows = [UnitScope(ancestor_id=a, unit_id=pk) for pk in units for a in cover(pk)]
    UnitScope.objects.bulk_create(rows, batch_size=5000)
    return len(rows)
