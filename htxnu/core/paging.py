from django.core.paginator import Paginator


def page_of(request, qs, per_page: int = 30):
    return Paginator(qs, per_page).get_page(request.GET.get("page"))


def query_without_page(request) -> str:
    """The list's other parameters, for the links of core/partials/pagination.html."""
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()
