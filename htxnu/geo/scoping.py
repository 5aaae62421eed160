"""The one place that decides what a user may see.

A user sees the records of their organisation's unit and of every unit it covers
(geo.UnitScope): the units below it in the hierarchy of their time and the units
those replaced in the 2025 reorganisation. So today's Lào Cai province officer sees
the phase-1 records of old Lào Cai and Yên Bái, a commune officer sees their commune
and the old communes it came from, and nobody sees a sibling's or a parent's records.
Time is carried by the units themselves: a unit's parent never changes while it is
valid, so "below, as of the record's date" is "below the unit the record was made
under". A superuser (operator) sees everything; a user without an organisation
sees nothing.

Every model that holds user-visible data declares `scope_path`, the lookup from the
model to its AdminUnit ("unit", "cooperative__commune"; "" for AdminUnit itself), and
uses ScopedQuerySet. Views, API endpoints and exports fetch one object only through
get_visible_or_404, which answers 404 for missing and out-of-scope alike.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.http import Http404


def scope_root_id(user) -> int | None:
    """The AdminUnit id whose coverage the user sees, or None for nothing.

    Which unit that is belongs to the accounts app (an organisation's unit; the country
    for an operator): the user model answers it with `scope_root_id()`, so this module,
    below accounts, never imports it (docs/architecture.md, "Layers")."""
    if user is None or not user.is_authenticated or not user.is_active:
        return None
    return user.scope_root_id()


def filter_visible(queryset: models.QuerySet, user, path: str) -> models.QuerySet:
    root = scope_root_id(user)
    if root is None:
        return queryset.none()
    return within(queryset, path, [root])


def within(queryset: models.QuerySet, path: str, ancestors) -> models.QuerySet:
    """The records whose unit (reached by `path`, "" for units themselves) lies in the
    territory of any of `ancestors` (units or ids): the unit itself, the units below it
    and those it replaced.

    A semi-join (unit IN (units covered)) rather than a join through the scope rows: each
    record comes once however many of the ancestors cover it, and the database need not
    read and sort the whole scope before taking one page, which matters for a national
    list (measured in docs/benchmarks.md)."""
    from htxnu.geo.models import UnitScope

    ids = [a if isinstance(a, int) else a.pk for a in ancestors]
    covered = UnitScope.objects.filter(ancestor_id__in=ids).values("unit_id")
    return queryset.filter(**{f"{path}__in" if path else "pk__in": covered})


class ScopedQuerySet(models.QuerySet):
    def visible_to(self, user):
        return filter_visible(self, user, self.model.scope_path)


def visible(queryset: models.QuerySet, user) -> models.QuerySet:
    if hasattr(queryset, "visible_to"):
        return queryset.visible_to(user)
    return filter_visible(queryset, user, queryset.model.scope_path)


def get_visible_or_404(queryset, user, **lookup):
    """Fetch one object the user may see; missing and out of scope both raise Http404."""
    if isinstance(queryset, type) and issubclass(queryset, models.Model):
        queryset = queryset._default_manager.all()
    try:
        return visible(queryset, user).get(**lookup)
    except (queryset.model.DoesNotExist, ValueError, OverflowError, ValidationError):  # an id past any column
        raise Http404 from None


def covers(user, unit) -> bool:
    """Whether the user's scope includes this unit (one indexed lookup)."""
    from htxnu.geo.models import UnitScope

    root = scope_root_id(user)
    if root is None or unit is None:
        return False
    unit_id = unit if isinstance(unit, int) else unit.pk
    return UnitScope.objects.filter(ancestor_id=root, unit_id=unit_id).exists()
