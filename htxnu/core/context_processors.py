from .units import active_unit as _active_unit


def active_unit(request):
    """The unit the signed-in user is looking at (chosen with the unit picker)."""
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {}
    return {"active_unit": _active_unit(request)}
