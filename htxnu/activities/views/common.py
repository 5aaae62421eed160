from django.http import Http404

from htxnu.core.units import active_unit


def working_unit(request):
    unit = active_unit(request)
    if unit is None:
        raise Http404
    return unit


def parse_year(value: str | None, default: int) -> int:
    try:
        year = int(value or default)
    except ValueError:
        return default
    return year if 2000 <= year <= 2100 else default
