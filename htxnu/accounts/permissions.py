"""Rights to act, as plain predicates. Services call them before writing, so the web
pages, the API and the management commands all obey the same rules. Seeing a record
is decided by htxnu.geo.scoping; these decide what a user may do with what they see."""

from htxnu.geo.scoping import covers
from htxnu.geo.selectors import receiving_units


def _active(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def _union_member(user) -> bool:
    return user.organisation is not None and user.organisation.is_union


def can_view_unit(user, unit) -> bool:
    return _active(user) and covers(user, unit)


def can_edit_records(user, unit) -> bool:
    """Enter or change records (cooperatives, events, report values) of a unit."""
    if not _active(user):
        return False
    if user.is_superuser:
        return True
    return user.is_officer and _union_member(user) and covers(user, unit)


def can_approve(user, unit) -> bool:
    """Review (approve or return) what a unit submitted: an approver of the Union of a
    unit it reports to (geo.selectors.receiving_units: its parent in its own time, or
    that parent's successor). Not the levels further up, not the unit itself, and not
    the units that took the unit over (they are the unit, in its new form): covers()
    would include them, and so let an account approve what it submitted (issue #14)."""
    if not _active(user):
        return False
    if user.is_superuser:
        return True
    if not (user.is_approver and _union_member(user)):
        return False
    return user.organisation.unit_id in {u.pk for u in receiving_units(unit)}


def can_manage_users(user, organisation) -> bool:
    """Create, change and deactivate the accounts of an organisation."""
    if not _active(user):
        return False
    if user.is_superuser:
        return True
    return user.is_unit_admin and _union_member(user) and covers(user, organisation.unit)


def can_manage_organisations(user, unit) -> bool:
    """Register partner agencies working in a unit."""
    if not _active(user):
        return False
    return user.is_superuser or (user.is_unit_admin and _union_member(user) and covers(user, unit))


def can_record_activity(user, unit, organisation=None) -> bool:
    """Record events, support and spending in a unit. Union officers may for any unit
    in scope; a partner agency's officer may for what their own agency organises or
    gives (the seeds make partners lead or coordinate many activities)."""
    if can_edit_records(user, unit):
        return True
    if not _active(user) or not user.is_officer or user.organisation is None or user.organisation.is_union:
        return False
    return organisation is not None and organisation.pk == user.organisation_id and covers(user, unit)
