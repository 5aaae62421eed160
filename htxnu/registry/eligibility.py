"""Eligibility of a cooperative or group, computed from its records, never typed.

- Women-managed ("do phụ nữ tham gia quản lý"): a woman currently holds one of the
  management positions (MANAGEMENT_POSITIONS: chair or member of the Board, director,
  supervisory board member or controller, accountant; a group's leader).
- Creates many jobs for women ("tạo nhiều việc làm cho lao động nữ"): in the latest
  workforce snapshot, the female share of workers is above the threshold of the plan
  in force for the collective's commune on that date (Lai Châu city and Quảng Ngãi:
  > 50%; Lào Cai: > 70% or > 80%). Until a plan sets one, the default
  DEFAULT_FEMALE_SHARE_THRESHOLD (">50") applies.

Each result carries its reason in words, e.g. "Giám đốc là nữ", "lao động nữ 82% > 70%".
"""

import datetime
import operator
from dataclasses import dataclass, field
from decimal import Decimal

from django.apps import apps
from django.conf import settings
from django.template.defaultfilters import floatformat
from django.utils.translation import gettext as _

from .models import MANAGEMENT_POSITIONS, Collective, Gender

OPS = {">": operator.gt, ">=": operator.ge}


@dataclass(frozen=True)
class Threshold:
    op: str
    pct: Decimal
    source: str  # e.g. "294/KH-UBND" or "mặc định"

    def __str__(self):
        return f"{self.op.replace('>=', '≥')} {floatformat(self.pct, -1)}%"

    def passes(self, share: Decimal) -> bool:
        return OPS[self.op](share, self.pct)


def default_threshold() -> Threshold:
    raw = getattr(settings, "DEFAULT_FEMALE_SHARE_THRESHOLD", ">50").strip()
    op = ">=" if raw.startswith(">=") else ">"
    return Threshold(op, Decimal(raw.lstrip(">=").strip()), _("default"))


def female_share_threshold(unit, date: datetime.date | None = None) -> Threshold:
    """The threshold of the plan in force for the unit on the date (plans app), else the default."""
    # Until the plans app is installed (its code may be on disk before it is), the default.
    if not apps.is_installed("htxnu.plans"):
        return default_threshold()
    try:
        from htxnu.plans.selectors import female_share_threshold as plan_threshold
    except ImportError:
        return default_threshold()
    found = plan_threshold(unit, date or datetime.date.today())
    return found or default_threshold()


@dataclass
class Eligibility:
    women_managed: bool
    women_managed_reason: str
    women_jobs: bool | None  # None: no workforce figures yet
    women_jobs_reason: str
    threshold: Threshold
    women_positions: list[str] = field(default_factory=list)


def is_women_managed(managers) -> bool:
    """women_managed() without the labels: what bulk writers store (no translation per row)."""
    return any(m.ended_on is None and m.gender == Gender.FEMALE and m.position in MANAGEMENT_POSITIONS
               for m in managers)


def women_managed(managers) -> tuple[bool, list[str]]:
    positions = []
    for m in managers:
        if m.ended_on is None and m.gender == Gender.FEMALE and m.position in MANAGEMENT_POSITIONS:
            label = m.get_position_display()
            if label not in positions:
                positions.append(label)
    return bool(positions), positions


def evaluate(collective: Collective, *, managers=None, threshold: Threshold | None = None) -> Eligibility:
    managers = list(collective.managers.all()) if managers is None else managers
    is_managed, positions = women_managed(managers)
    if is_managed:
        managed_reason = _("%(positions)s: a woman") % {"positions": ", ".join(positions)}
    else:
        managed_reason = _("no woman in a management position")
    threshold = threshold or female_share_threshold(collective.commune, collective.workforce_as_of)
    share = collective.female_worker_share
    if share is None:
        jobs, jobs_reason = None, _("no workforce figures yet")
    else:
        jobs = threshold.passes(share)
        sign = str(threshold).split(" ")[0] if jobs else ("≤" if threshold.op == ">" else "<")
        jobs_reason = _("female workers %(share)s%% %(sign)s %(pct)s%%") % {
            "share": floatformat(share, -1), "sign": sign, "pct": floatformat(threshold.pct, -1)
        }
    return Eligibility(is_managed, managed_reason, jobs, jobs_reason, threshold, positions)
