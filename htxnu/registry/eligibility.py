"""Eligibility of a cooperative or group, with its reasons in words, e.g. "Giám đốc là
nữ", "lao động nữ 82% > 70%". The rules themselves (women-managed, many jobs for women
with the threshold of the plan in force) are htxnu.registry.facts'; this module reads the
collective's facts at a date and puts them into words.
"""

import datetime
from dataclasses import dataclass, field

from django.template.defaultfilters import floatformat
from django.utils.translation import gettext as _

from . import facts
from .facts import Threshold, default_threshold
from .models import Collective


def female_share_threshold(unit, date: datetime.date | None = None) -> Threshold:
    """The threshold in force for a unit's territory on the date (from the plans app,
    through facts' threshold source), else the default."""
    if unit is None:
        return _labelled(default_threshold())
    date = date or datetime.date.today()
    territory = facts.territory_of(unit)
    timeline = facts.threshold_timelines({territory}).get(territory, [])
    return _labelled(facts.threshold_at(timeline, date, default_threshold()))


def _labelled(threshold: Threshold) -> Threshold:
    return threshold if threshold.source else Threshold(threshold.op, threshold.pct, _("default"))


@dataclass
class Eligibility:
    women_managed: bool
    women_managed_reason: str
    women_jobs: bool | None  # None: no workforce figures yet
    women_jobs_reason: str
    threshold: Threshold
    women_positions: list[str] = field(default_factory=list)


def women_managed(managers, date: datetime.date | None = None) -> tuple[bool, list[str]]:
    """Whether a woman holds a management position on the date (facts' rule), and which."""
    date = date or datetime.date.today()
    positions = []
    for m in managers:
        if facts.holds_management_at(m, date):
            label = m.get_position_display()
            if label not in positions:
                positions.append(label)
    return bool(positions), positions


def evaluate(collective: Collective, *, managers=None, date: datetime.date | None = None) -> Eligibility:
    """The collective's eligibility on the date (today by default), from its facts."""
    date = date or datetime.date.today()
    managers = list(collective.managers.all()) if managers is None else managers
    fact = facts.fact_of(collective, date)
    is_managed, positions = women_managed(managers, date)
    if is_managed:
        managed_reason = _("%(positions)s: a woman") % {"positions": ", ".join(positions)}
    else:
        managed_reason = _("no woman in a management position")
    if fact is None:
        threshold, jobs, share = default_threshold(), None, None
    else:
        threshold = facts.threshold_of(fact)
        jobs, share = fact.women_jobs, fact.female_share
    if jobs is None:
        jobs_reason = _("no workforce figures yet")
    else:
        sign = str(threshold).split(" ")[0] if jobs else ("≤" if threshold.op == ">" else "<")
        jobs_reason = _("female workers %(share)s%% %(sign)s %(pct)s%%") % {
            "share": floatformat(share, -1), "sign": sign, "pct": floatformat(threshold.pct, -1)
        }
    return Eligibility(is_managed, managed_reason, jobs, jobs_reason, _labelled(threshold), positions)
