"""Demo plans: the national plan (Decision 01/QĐ-TTg) as the root, and the five seed
plans attached to their units of the time (old Lào Cai province, Thành phố Lai Châu,
Huyện Vĩnh Thuận of Kiên Giang, old Quảng Ngãi, Nam Định), read at build time from
the annotations shipped in demo_data/gold (copies of ../shared/plan-gold, so a clone
without ../shared beside it builds the same plans) through the same loader the plan
import uses, with the seed's text (demo_data/seeds) attached as the original document. Running it again changes
nothing. A seed whose unit is not loaded (browser tests load one province) is skipped.
"""

import datetime
import json
from pathlib import Path

from django.core.files import File

from htxnu.accounts.models import User
from htxnu.geo.models import AdminUnit, Level

from .models import Plan, number_key
from .selectors import find_unit
from .services import plan_create_from_extraction

DATA = Path(__file__).resolve().parent / "demo_data"
NATIONAL_PLAN = {
    "document": {
        "type": "QĐ", "number": "01/QĐ-TTg", "date": "2023-01-03", "issuer": "Thủ tướng Chính phủ",
        "title": "Phê duyệt Đề án “Hỗ trợ hợp tác xã do phụ nữ tham gia quản lý, tạo việc làm cho lao động nữ "
                 "đến năm 2030”",
    },
    "basis": [],
    "phases": [[2023, 2025], [2026, 2030]],
    "female_share_thresholds": [],
    "baselines": [],
    "targets": [
        {"indicator": "coops_consolidated", "year": 2025, "cumulative": True, "op": ">=", "value": 750},
        {"indicator": "groups_consolidated", "year": 2025, "cumulative": True, "op": ">=", "value": 5000},
        {"indicator": "jobs_coop_women", "year": 2025, "cumulative": True, "op": "=", "value": 15000},
        {"indicator": "jobs_group_women", "year": 2025, "cumulative": True, "op": "=", "value": 40000},
        {"indicator": "managers_trained_pct", "year": 2025, "cumulative": True, "op": "=", "value": 100},
        {"indicator": "coops_consolidated", "year": 2030, "cumulative": True, "op": ">=", "value": 1500},
        {"indicator": "groups_consolidated", "year": 2030, "cumulative": True, "op": ">=", "value": 10000},
        {"indicator": "jobs_coop_women", "year": 2030, "cumulative": True, "op": "=", "value": 30000},
        {"indicator": "jobs_group_women", "year": 2030, "cumulative": True, "op": "=", "value": 100000},
        {"indicator": "coops_new", "year": 2030, "cumulative": True, "op": "=", "value": 750},
        {"indicator": "cadres_trained_pct", "year": 2030, "cumulative": True, "op": "=", "value": 100},
        {"indicator": "cadres_skilled_pct", "year": 2030, "cumulative": True, "op": ">=", "value": 90},
    ],
    "reporting": {"periods": ["semiannual", "annual"], "deadline": None},
}


def seed_plans() -> list[tuple[dict, Path | None]]:
    """The annotated seeds, each with its text when present, in file order."""
    found = []
    for path in sorted((DATA / "gold").glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        text = DATA / "seeds" / data.get("source", "")
        found.append((data, text if text.is_file() else None))
    return found


def seed_unit(data: dict) -> AdminUnit | None:
    document = data["document"]
    unit = document.get("unit") or {}
    when = document.get("date") or (document.get("inferred") or {}).get("date")
    if when is None and data.get("phases"):
        when = f"{min(p[0] or p[1] for p in data['phases'])}-01-01"
    at = datetime.date.fromisoformat(when) if when else None
    return find_unit(level=unit.get("level"), name=unit.get("name", ""), province=unit.get("province"), at=at)


def _exists(unit: AdminUnit, data: dict) -> bool:
    document = data["document"]
    number = document.get("number") or (document.get("inferred") or {}).get("number") or ""
    return Plan.objects.filter(unit=unit, number_key=number_key(number)).exists()


def build(scale: str = "demo", stdout=None) -> None:
    actor = User.objects.get(username="demo_central")
    country = AdminUnit.objects.get(level=Level.COUNTRY)
    created = 0
    if not _exists(country, NATIONAL_PLAN):
        plan_create_from_extraction(actor=actor, data=NATIONAL_PLAN, unit=country)
        created += 1
    for data, text in seed_plans():
        unit = seed_unit(data)
        if unit is None:
            if stdout:
                stdout.write(f"plans: skipped {data.get('source')} (its unit is not loaded)")
            continue
        if _exists(unit, data):
            continue
        document = None
        if text is not None:
            document = File(text.open("rb"), name=text.name)
        try:
            plan_create_from_extraction(actor=actor, data=data, unit=unit, document=document)
        finally:
            if document is not None:
                document.close()
        created += 1
    if stdout and created:
        stdout.write(f"plans: {created} demo plans (the national plan and the seeds)")
