"""Read the administrative units from the two data packages, without typing any by hand.

Which package is the source of what:
- `vietnam-provinces` (data from the National Statistics Office): today's 34 provinces
  and 3,321 communes, with the codes of Decision 19/2025/QĐ-TTg and their names.
- `vietnamadminunits`: the 63 provinces, 696 districts and 10,035 communes in force
  until 30 June 2025 (codes, names, kinds), the old→new conversion table, and the
  coordinates of both generations (used for maps).

The two agree on the 34 provinces and on the 3,321 communes as names, but not always on
codes: `vietnamadminunits` gives a different code for 122 of today's communes (e.g.
Phường Cửa Nam, Hà Nội: 00082 there, 00073 in `vietnam-provinces`) and spells 47 names
differently (tone placement "Thuỷ"/"Thủy", doubled spaces). We take codes and names from
`vietnam-provinces` and match its communes to the conversion table by province and
name_key(), which ignores those spelling differences. `compare_sources()` reports all of
this; `manage.py load_units --compare` prints it.
"""

import dataclasses
import functools
import importlib.metadata
import importlib.util
import json
import sqlite3
from pathlib import Path

from htxnu.text import name_key, nfc


@dataclasses.dataclass
class UnitRow:
    code: str
    name: str
    short_name: str
    kind: str
    level: str
    parent_code: str | None = None
    latitude: float | None = None
    longitude: float | None = None


@dataclasses.dataclass
class Sources:
    new_provinces: list[UnitRow]
    new_communes: list[UnitRow]
    old_provinces: list[UnitRow]
    old_districts: list[UnitRow]
    old_communes: list[UnitRow]
    # old province code -> new province code
    province_successor: dict[str, str]
    # old commune code (or old district code for a district without communes) ->
    # list of (new commune code, is_primary)
    commune_successors: dict[str, list[tuple[str, bool]]]
    fingerprint: str


def _package_dir(name: str) -> Path:
    # find_spec does not import the package: vietnamadminunits' own code needs numpy,
    # shapely and geopy, which we do not install because we only read its data files.
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError(f"The data package {name!r} is not installed (see requirements-data.txt)")
    return Path(spec.submodule_search_locations[0])


def _strip_prefix(name: str, prefixes: tuple[str, ...]) -> str:
    for prefix in prefixes:
        if name.startswith(prefix + " "):
            return name[len(prefix) + 1 :]
    return name


_PROVINCE_KINDS = {"tỉnh": "Tỉnh", "thành phố trung ương": "Thành phố"}
_OLD_PROVINCE_PREFIXES = ("Thành phố", "Tỉnh")


def fingerprint() -> str:
    versions = [importlib.metadata.version(p) for p in ("vietnam-provinces", "vietnamadminunits")]
    return "vp={};vau={};loader=1".format(*versions)


def read_sources() -> Sources:
    vp_dir = _package_dir("vietnam_provinces")
    vau_dir = _package_dir("vietnamadminunits")
    nested = json.loads((vp_dir / "data" / "nested-divisions.json").read_text(encoding="utf-8"))
    converter = json.loads((vau_dir / "data" / "converter_2025.json").read_text(encoding="utf-8"))
    with sqlite3.connect(f"file:{vau_dir / 'data' / 'dataset.db'}?mode=ro", uri=True) as db:
        db.row_factory = sqlite3.Row
        legacy = [dict(r) for r in db.execute("SELECT * FROM admin_units_legacy")]
        today = [dict(r) for r in db.execute("SELECT * FROM admin_units")]

    # Coordinates of today's units come from vietnamadminunits, matched by name.
    new_coords = {
        (int(r["provinceCode"]), name_key(r["ward"])): (r["wardLat"], r["wardLon"]) for r in today
    }
    new_province_coords = {int(r["provinceCode"]): (r["provinceLat"], r["provinceLon"]) for r in today}

    new_provinces, new_communes = [], []
    new_commune_by_name: dict[tuple[int, str], str] = {}
    for p in nested:
        pcode = f"{p['code']:02d}"
        prefix = _PROVINCE_KINDS[p["division_type"]]
        short = _strip_prefix(nfc(p["name"]), _OLD_PROVINCE_PREFIXES)
        lat, lon = new_province_coords.get(p["code"], (None, None))
        kind = "thành phố" if p["division_type"] == "thành phố trung ương" else "tỉnh"
        new_provinces.append(UnitRow(pcode, f"{prefix} {short}", short, kind, "province", None, lat, lon))
        for w in p["wards"]:
            name = nfc(w["name"])
            kind = w["division_type"] or name.split(" ")[0].lower()
            short = _strip_prefix(name, ("Xã", "Phường", "Đặc khu"))
            code = f"{w['code']:05d}"
            lat, lon = new_coords.get((p["code"], name_key(name)), (None, None))
            new_communes.append(UnitRow(code, name, short, kind, "commune", pcode, lat, lon))
            new_commune_by_name[(p["code"], name_key(name))] = code

    old_provinces: dict[str, UnitRow] = {}
    old_districts: dict[str, UnitRow] = {}
    old_communes: list[UnitRow] = []
    province_key_to_code: dict[str, str] = {}
    old_key_to_code: dict[str, str] = {}
    for r in legacy:
        pcode, dcode = r["provinceCode"], r["districtCode"]
        province_key_to_code[r["provinceKey"]] = pcode
        if pcode not in old_provinces:
            pname = nfc(r["province"])
            kind = "thành phố" if pname.startswith("Thành phố") else "tỉnh"
            old_provinces[pcode] = UnitRow(
                pcode, pname, nfc(r["provinceShort"]), kind, "province", None, r["provinceLat"], r["provinceLon"]
            )
        if dcode not in old_districts:
            old_districts[dcode] = UnitRow(
                dcode, nfc(r["district"]), nfc(r["districtShort"]), nfc(r["districtType"]).lower(), "district",
                pcode, r["districtLat"], r["districtLon"],
            )
        key = f"{r['provinceKey']}_{r['districtKey']}_{r['wardKey'] or ''}"
        if r["wardCode"]:
            old_communes.append(
                UnitRow(
                    r["wardCode"], nfc(r["ward"]), nfc(r["wardShort"]), nfc(r["wardType"]).lower(), "commune",
                    dcode, r["wardLat"], r["wardLon"],
                )
            )
            old_key_to_code[key] = r["wardCode"]
        else:
            # An island district without communes (Côn Đảo, Lý Sơn…) became a special zone itself.
            old_key_to_code[key] = dcode

    new_province_code = {}
    for r in today:
        new_province_code[r["provinceKey"]] = r["provinceCode"]
    province_successor = {}
    for new_key, old_keys in converter["DICT_PROVINCE"].items():
        for old_key in old_keys:
            province_successor[province_key_to_code[old_key]] = new_province_code[new_key]

    # vietnamadminunits names today's communes by key; map each to the official code.
    today_key_to_code = {}
    for r in today:
        code = new_commune_by_name.get((int(r["provinceCode"]), name_key(r["ward"])))
        if code is None:
            raise RuntimeError(f"No code in vietnam-provinces for {r['ward']}, {r['province']}")
        today_key_to_code[(r["provinceKey"], r["wardKey"])] = code

    commune_successors: dict[str, list[tuple[str, bool]]] = {}
    for new_pkey, wards in converter["DICT_PROVINCE_WARD_NO_DIVIDED"].items():
        for new_wkey, old_keys in wards.items():
            for old_key in old_keys:
                commune_successors.setdefault(old_key_to_code[old_key], []).append(
                    (today_key_to_code[(new_pkey, new_wkey)], True)
                )
    for new_pkey, olds in converter["DICT_PROVINCE_WARD_DIVIDED"].items():
        for old_key, news in olds.items():
            commune_successors[old_key_to_code[old_key]] = [
                (today_key_to_code[(new_pkey, n["newWardKey"])], bool(n["isDefaultNewWard"])) for n in news
            ]

    return Sources(
        new_provinces=new_provinces,
        new_communes=new_communes,
        old_provinces=list(old_provinces.values()),
        old_districts=list(old_districts.values()),
        old_communes=old_communes,
        province_successor=province_successor,
        commune_successors=commune_successors,
        fingerprint=fingerprint(),
    )


@functools.cache
def old_district_provinces() -> dict[tuple[str, str], frozenset[str]]:
    """The provinces of the districts in force until 30 June 2025, by (kind, name), both
    name_key()'d: ("quận", "hải châu") -> {"Đà Nẵng"}; ("huyện", "châu thành") -> six provinces.
    Empty when the data package is not installed. Read once per process (696 districts)."""
    try:
        vau_dir = _package_dir("vietnamadminunits")
    except RuntimeError:
        return {}
    found: dict[tuple[str, str], set[str]] = {}
    with sqlite3.connect(f"file:{vau_dir / 'data' / 'dataset.db'}?mode=ro", uri=True) as db:
        rows = db.execute("SELECT DISTINCT districtType, districtShort, provinceShort FROM admin_units_legacy")
        for kind, name, province in rows:
            found.setdefault((name_key(kind), name_key(name)), set()).add(nfc(province))
    return {key: frozenset(provinces) for key, provinces in found.items()}


def compare_sources() -> dict:
    """What the two packages say about today's units, side by side."""
    vp_dir = _package_dir("vietnam_provinces")
    vau_dir = _package_dir("vietnamadminunits")
    nested = json.loads((vp_dir / "data" / "nested-divisions.json").read_text(encoding="utf-8"))
    with sqlite3.connect(f"file:{vau_dir / 'data' / 'dataset.db'}?mode=ro", uri=True) as db:
        db.row_factory = sqlite3.Row
        today = [dict(r) for r in db.execute("SELECT * FROM admin_units")]
        legacy_counts = db.execute(
            "SELECT COUNT(DISTINCT provinceCode), COUNT(DISTINCT districtCode), COUNT(DISTINCT wardCode) "
            "FROM admin_units_legacy"
        ).fetchone()
    vp = {(p["code"], name_key(w["name"])): (f"{w['code']:05d}", nfc(w["name"])) for p in nested for w in p["wards"]}
    vau = {(int(r["provinceCode"]), name_key(r["ward"])): (r["wardCode"], nfc(r["ward"])) for r in today}
    code_differences = sorted(
        (vau[k][1], vau[k][0], vp[k][0]) for k in vp.keys() & vau.keys() if vp[k][0] != vau[k][0]
    )
    spelling_differences = sorted(
        (vp[k][1], vau[k][1]) for k in vp.keys() & vau.keys() if vp[k][1] != vau[k][1]
    )
    return {
        "vietnam-provinces": {"provinces": len(nested), "communes": sum(len(p["wards"]) for p in nested)},
        "vietnamadminunits (today)": {
            "provinces": len({r["provinceCode"] for r in today}),
            "communes": len(today),
        },
        "vietnamadminunits (before 1/7/2025)": dict(
            zip(("provinces", "districts", "communes"), legacy_counts, strict=True)
        ),
        "communes only in one package": sorted(
            [v[1] for k, v in vp.items() if k not in vau] + [v[1] for k, v in vau.items() if k not in vp]
        ),
        "code differences (name, vietnamadminunits, vietnam-provinces)": code_differences,
        "spelling differences (vietnam-provinces, vietnamadminunits)": spelling_differences,
    }
