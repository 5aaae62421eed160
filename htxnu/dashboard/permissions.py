"""Rights to act on the dashboards, built on htxnu.accounts.permissions. Viewing needs
only the unit in scope (htxnu.geo.scoping)."""


def can_set_weights(user, unit) -> bool:
    """The emulation weights are a unit's own rules: its Union officers and unit
    administrators set them (an operator too); the levels above and below only read."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    organisation = user.organisation
    return bool(organisation is not None and organisation.is_union and organisation.unit_id == unit.pk
                and (user.is_officer or user.is_unit_admin))
