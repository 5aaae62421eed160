"""What the dashboards keep: the data version of each territory, the figures computed
under a version, and the emulation weights a unit chooses.

- FigureVersion: one row per province of today (and one, scope 0, for the whole
  country), holding a random token that changes whenever a record that a figure
  counts is saved in that territory (freshness.py). A cached figure is valid only
  under the tokens it was computed with, so figures are never stale.
- CachedFigures: the figures of one unit for one period and one mode, as computed
  under `version` (figures.py). One row per key, overwritten when recomputed, so the
  table holds at most one row per (unit, period, mode) ever shown. A table of our
  own rather than Django's DatabaseCache, which writes one key at a time (three
  queries each) while a drill-down stores a hundred units at once.
- RankingWeight: how much each indicator counts in a unit's emulation ranking of
  the units below it (Nam Định scores its districts on Đề án 01). Audited.
"""

from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from htxnu.geo.scoping import ScopedQuerySet

NATIONAL = 0  # the scope of changes that concern every territory


class FigureVersion(models.Model):
    # A province of today, or NATIONAL.
    scope = models.BigIntegerField(primary_key=True)
    token = models.CharField(max_length=32)
    changed_at = models.DateTimeField()

    class Meta:
        verbose_name = _("data version")
        verbose_name_plural = _("data versions")

    def __str__(self):
        return f"{self.scope}: {self.token}"


class CachedFigures(models.Model):
    key = models.CharField(max_length=120, primary_key=True)
    version = models.CharField(max_length=80)
    data = models.JSONField()
    computed_at = models.DateTimeField()

    class Meta:
        verbose_name = _("cached figures")
        verbose_name_plural = _("cached figures")

    def __str__(self):
        return self.key


class RankingWeight(models.Model):
    unit = models.ForeignKey("geo.AdminUnit", verbose_name=_("administrative unit"), on_delete=models.CASCADE,
                             related_name="+")
    indicator = models.ForeignKey("plans.Indicator", verbose_name=_("indicator"), on_delete=models.CASCADE,
                                  related_name="+")
    weight = models.PositiveSmallIntegerField(_("weight"), validators=[MaxValueValidator(100)])

    objects = ScopedQuerySet.as_manager()
    scope_path = "unit"

    class Meta:
        verbose_name = _("ranking weight")
        verbose_name_plural = _("ranking weights")
        ordering = ["indicator__position"]
        constraints = [models.UniqueConstraint(fields=["unit", "indicator"], name="dashboard_one_weight")]

    def __str__(self):
        return f"{self.indicator_id}: {self.weight}"
