"""Writes of the dashboards: the emulation weights of a unit."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from htxnu.core import audit
from htxnu.geo.models import AdminUnit
from htxnu.plans.models import Indicator

from . import permissions
from .models import RankingWeight


@transaction.atomic
def weights_save(*, actor, unit: AdminUnit, weights: dict[str, int]) -> list[RankingWeight]:
    """Set how much each indicator counts in the unit's ranking of the units below
    ({code: 0–100}); each changed weight is audited."""
    if not permissions.can_set_weights(actor, unit):
        raise PermissionDenied(_("Only the officers of this unit may set its emulation weights."))
    indicators = {i.code: i for i in Indicator.objects.filter(code__in=list(weights))}
    unknown = sorted(set(weights) - set(indicators))
    if unknown:
        raise ValidationError(_("Unknown indicator: %(codes)s.") % {"codes": ", ".join(unknown)})
    existing = {w.indicator_id: w for w in RankingWeight.objects.select_for_update().filter(unit=unit)}
    saved = []
    for code, weight in weights.items():
        indicator = indicators[code]
        row = existing.get(indicator.pk)
        if row is None:
            row = RankingWeight(unit=unit, indicator=indicator, weight=weight)
            _check(row, indicator)
            audit.save_audited(row, actor, note=indicator.code, validate=False)
        elif row.weight != weight:
            before = audit.snapshot(row)
            row.weight = weight
            _check(row, indicator)
            audit.save_audited(row, actor, before=before, note=indicator.code, validate=False)
        saved.append(row)
    return saved


def _check(row: RankingWeight, indicator: Indicator) -> None:
    try:
        row.full_clean(exclude=["unit", "indicator"])
    except ValidationError as error:
        raise ValidationError(_("Weight of “%(indicator)s”: %(problem)s")
                              % {"indicator": indicator.label, "problem": " ".join(error.messages)}) from None
