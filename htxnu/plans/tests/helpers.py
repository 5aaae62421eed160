"""Plans for tests, written the way plans arrive: in the plan-import format."""

import datetime

from htxnu.core.tests.base import unit
from htxnu.geo.models import AdminUnit, Level
from htxnu.plans.services import plan_create_from_extraction


def old_unit(code: str, level: str = Level.COMMUNE) -> AdminUnit:
    """The unit of that code before 1 July 2025."""
    return unit(code, level, at=datetime.date(2024, 1, 1))


def make_plan(actor, plan_unit, *, number="1/KH-TEST", date="2023-03-01", phases=((2023, 2025),), targets=(),
              thresholds=(), baselines=(), reporting=None, **extra):
    data = {
        "document": {"type": "KH", "number": number, "date": date, "issuer": f"UBND {plan_unit.name}"},
        "phases": [list(p) for p in phases],
        "female_share_thresholds": [
            t if isinstance(t, dict) else {"op": t[0], "pct": t[1]} for t in thresholds
        ],
        "baselines": list(baselines),
        "targets": [t if isinstance(t, dict) else target(*t) for t in targets],
        "reporting": reporting or {"periods": ["annual"], "deadline": "11-15"},
        **extra,
    }
    return plan_create_from_extraction(actor=actor, data=data, unit=plan_unit)


def target(indicator, year, op, value, *, cumulative=True, per_subunit=False):
    return {"indicator": indicator, "year": year, "cumulative": cumulative, "op": op, "value": value,
            "per_subunit": per_subunit}
