"""Rights to act on reports, built on htxnu.accounts.permissions.

- The officers of a unit write and submit its report. An officer of a unit of the same
  level that took the territory over in 2025 (today's commune for the old communes it
  came from) may too, so a late phase-1 report can still be sent. Officers of the
  levels above do not. The approvers of the unit it reports to review (approve,
  return, reopen): its parent in its own time, or for a unit closed on 30/6/2025 the
  parent it had or that parent's successor (accounts.can_approve) — never an account
  of the unit itself or of the unit that took it over, never the one who submitted it.
- Deadlines of a unit are set by those who receive its report (can_approve).
- An ad-hoc report is requested by the officers of the requesting unit itself (not a
  commune: it has no units below).
"""

from htxnu.accounts import permissions
from htxnu.geo.models import Level
from htxnu.geo.scoping import covers


def _own_unit(user):
    return user.organisation.unit if user.organisation_id else None


def can_edit_report(user, unit) -> bool:
    if not permissions.can_edit_records(user, unit):
        return False
    if user.is_superuser:
        return True
    own = _own_unit(user)
    return own is not None and (own.pk == unit.pk or own.level == unit.level)


def can_review_report(user, unit, report=None) -> bool:
    """Approve, return or reopen: an approver of a unit the unit reports to
    (accounts.can_approve), never the account that submitted the report."""
    if report is not None and report.submitted_by_id is not None and report.submitted_by_id == user.pk:
        return False
    return permissions.can_approve(user, unit)


def can_set_deadline(user, unit) -> bool:
    """Those who receive the unit's report."""
    return permissions.can_approve(user, unit)


def can_change_setting(user, unit) -> bool:
    """The "units below first" rule of a unit: its own approvers, or those above."""
    if not (user is not None and user.is_authenticated and user.is_active):
        return False
    if user.is_superuser:
        return True
    organisation = user.organisation
    return bool(user.is_approver and organisation is not None and organisation.is_union and covers(user, unit))


def can_request_report(user, unit) -> bool:
    """A commune has no units below to ask."""
    if unit.level == Level.COMMUNE or not permissions.can_edit_records(user, unit):
        return False
    own = _own_unit(user)
    return user.is_superuser or (own is not None and own.pk == unit.pk)
