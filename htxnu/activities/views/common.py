import datetime

from django.http import Http404

from htxnu.core.paging import page_of, query_without_page  # noqa: F401 (the views import them from here)
from htxnu.core.units import active_unit


def working_unit(request):
    unit = active_unit(request)
    if unit is None:
        raise Http404
    return unit


def parse_date(value: str | None) -> datetime.date | None:
    for fmt in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return datetime.datetime.strptime((value or "").strip(), fmt).date()
        except ValueError:
            continue
    return None


def parse_year(value: str | None, default: int) -> int:
    try:
        year = int(value or default)
    except ValueError:
        return default
    return year if 2000 <= year <= 2100 else default
