"""Administrative units before and after the 1 July 2025 reorganisation.

A unit is one version of a territory: its code, name, level and parent are fixed for
as long as it is valid (valid_from..valid_to, both inclusive, None meaning open). When
any of them changed on 1 July 2025 (a merge, the end of districts, a new code), the old
version was closed on 30 June 2025 and a new one opened; nothing is deleted or
rewritten, so records keep pointing at the unit they were made under. A unit that did
not change at all (Lai Châu province) stays one row, valid throughout.

Succession links say what each closed unit became. UnitScope, derived from the
hierarchy and the succession, says which units each unit covers, so a scope check is
one indexed join (see htxnu/geo/scoping.py).
"""

import datetime

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from htxnu.text import search_key

from .scoping import filter_visible

REORGANISATION_DATE = datetime.date(2025, 7, 1)
LAST_DAY_BEFORE_REORGANISATION = datetime.date(2025, 6, 30)


class Level(models.TextChoices):
    COUNTRY = "country", _("Country")
    PROVINCE = "province", _("Province")
    DISTRICT = "district", _("District")
    COMMUNE = "commune", _("Commune")


class AdminUnitQuerySet(models.QuerySet):
    def valid_at(self, date: datetime.date):
        return self.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=date)).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=date)
        )

    def current(self):
        return self.filter(valid_to__isnull=True)

    def search(self, text: str):
        key = search_key(text)
        return self.filter(search_key__contains=key) if key else self

    def visible_to(self, user):
        return filter_visible(self, user, "")  # a unit's own territory: scope_path ""


class AdminUnit(models.Model):
    code = models.CharField(_("code"), max_length=8)
    name = models.CharField(_("name"), max_length=150)
    short_name = models.CharField(_("short name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=40, help_text=_("tỉnh, thành phố, huyện, xã, phường, đặc khu…"))
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    parent = models.ForeignKey(
        "self", verbose_name=_("parent"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    # The province of today whose territory holds this unit (itself for a current
    # province). Provinces merged whole in 2025, so every unit has exactly one.
    current_province = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("current province")
    )
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    search_key = models.CharField(max_length=300, editable=False)

    objects = AdminUnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("administrative unit")
        verbose_name_plural = _("administrative units")
        ordering = ["level", "code"]
        constraints = [
            # A code names at most one current unit of a level, and at most one unit of
            # the era before 2025; a code taken over on 1 July 2025 appears once in each.
            models.UniqueConstraint(
                fields=["level", "code"], condition=Q(valid_to__isnull=True), name="geo_unit_code_current_unique"
            ),
            models.UniqueConstraint(
                fields=["level", "code"], condition=Q(valid_from__isnull=True), name="geo_unit_code_initial_unique"
            ),
            models.CheckConstraint(
                condition=(
                    Q(valid_from__isnull=True) | Q(valid_to__isnull=True) | Q(valid_from__lte=models.F("valid_to"))
                ),
                name="geo_unit_validity_ordered",
            ),
        ]
        indexes = [
            models.Index(fields=["code"]),
            models.Index(fields=["parent", "level"]),
            models.Index(fields=["level", "valid_to"]),
            models.Index(fields=["current_province", "level"]),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.search_key = search_key(self.name, self.code)
        super().save(*args, **kwargs)

    @property
    def is_current(self) -> bool:
        return self.valid_to is None

    def is_valid_at(self, date: datetime.date) -> bool:
        return (self.valid_from is None or self.valid_from <= date) and (self.valid_to is None or date <= self.valid_to)


class Succession(models.Model):
    """One link of the family tree: (part of) `predecessor` became (part of) `successor`."""

    class Kind(models.TextChoices):
        # Same territory under a new version: new name, code or parent (a commune that
        # kept its area but now sits directly under the province is a rename too).
        RENAME = "rename", _("Renamed / reassigned")
        # The whole predecessor went into a successor that also took other units.
        MERGE = "merge", _("Merged into")
        # The predecessor was divided; this successor took a part (share, where known).
        SPLIT = "split", _("Split, part to")
        # Part of the predecessor's territory moved to a successor; the rest stayed.
        BOUNDARY = "boundary", _("Boundary change, part to")

    predecessor = models.ForeignKey(AdminUnit, on_delete=models.CASCADE, related_name="successor_links")
    successor = models.ForeignKey(AdminUnit, on_delete=models.CASCADE, related_name="predecessor_links")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    effective = models.DateField()
    # Share of the predecessor that went to this successor (0..1), where known.
    share = models.DecimalField(max_digits=5, decimal_places=4, null=True, blank=True)
    # For a split unit, the successor its records roll up to when one must be chosen
    # (the seat of the old unit, per the source data).
    is_primary = models.BooleanField(default=True)
    basis = models.CharField(max_length=200, blank=True)

    class Meta:
        verbose_name = _("succession link")
        verbose_name_plural = _("succession links")
        constraints = [
            models.UniqueConstraint(fields=["predecessor", "successor"], name="geo_succession_unique"),
        ]

    def __str__(self):
        return f"{self.predecessor} → {self.successor} ({self.kind})"


class UnitScope(models.Model):
    """`ancestor` covers `unit`: the unit lies below it in the hierarchy of its time, or
    is a predecessor of (something below) it. Derived data, rebuilt by load_units."""

    ancestor = models.ForeignKey(AdminUnit, on_delete=models.CASCADE, related_name="covered_links")
    unit = models.ForeignKey(AdminUnit, on_delete=models.CASCADE, related_name="scope_links")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["ancestor", "unit"], name="geo_unitscope_unique")]
        indexes = [models.Index(fields=["unit", "ancestor"])]

    def __str__(self):
        return f"{self.ancestor_id} covers {self.unit_id}"


class DataVersion(models.Model):
    """What load_units last loaded, so running it again changes nothing."""

    name = models.CharField(max_length=50, unique=True)
    fingerprint = models.CharField(max_length=100)
    loaded_at = models.DateTimeField(auto_now=True)
    summary = models.JSONField(default=dict)

    def __str__(self):
        return f"{self.name} {self.fingerprint}"
