"""The unit a signed-in user is working on: their own unit unless they picked another
one within their scope with the unit picker (kept in the session)."""

from htxnu.geo.models import AdminUnit

SESSION_KEY = "active_unit_id"


def own_unit(user) -> AdminUnit | None:
    from htxnu.geo.scoping import scope_root_id

    root = scope_root_id(user)
    return AdminUnit.objects.filter(pk=root).first() if root else None


def active_unit(request) -> AdminUnit | None:
    if hasattr(request, "_active_unit"):
        return request._active_unit
    unit = None
    picked = request.session.get(SESSION_KEY)
    if picked:
        unit = AdminUnit.objects.visible_to(request.user).filter(pk=picked).first()
    request._active_unit = unit or own_unit(request.user)
    return request._active_unit


def set_active_unit(request, unit: AdminUnit) -> None:
    request.session[SESSION_KEY] = unit.pk
    request._active_unit = unit
