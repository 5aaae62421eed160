from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from htxnu.geo.models import AdminUnit, Level
from htxnu.geo.scoping import ScopedQuerySet
from htxnu.text import search_key

_MISSING = object()


class OrganisationQuerySet(ScopedQuerySet):
    def unions(self):
        return self.filter(kind=Organisation.Kind.UNION)

    def partners(self):
        return self.filter(kind=Organisation.Kind.PARTNER)


class Organisation(models.Model):
    """The Women's Union body of a unit, or a partner agency working in that unit."""

    class Kind(models.TextChoices):
        UNION = "union", _("Women's Union")
        PARTNER = "partner", _("Partner agency")

    class Category(models.TextChoices):
        UNION = "union", _("Women's Union")
        PEOPLES_COMMITTEE = "committee", _("People's Committee")
        DEPARTMENT = "department", _("Department / office (Sở, Phòng)")
        COOPERATIVE_ALLIANCE = "alliance", _("Cooperative Alliance")
        BANK = "bank", _("Bank or fund")
        MASS_ORGANISATION = "mass", _("Fatherland Front or mass organisation")
        OTHER = "other", _("Other")

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.UNION)
    category = models.CharField(_("category"), max_length=12, choices=Category.choices, default=Category.UNION)
    unit = models.ForeignKey(
        "geo.AdminUnit", verbose_name=_("administrative unit"), on_delete=models.PROTECT, related_name="organisations"
    )
    is_active = models.BooleanField(_("active"), default=True)
    search_key = models.CharField(max_length=300, editable=False, default="")

    objects = OrganisationQuerySet.as_manager()
    scope_path = "unit"

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["unit"], condition=Q(kind="union"), name="accounts_one_union_per_unit"),
        ]
        indexes = [models.Index(fields=["kind", "unit"])]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.search_key = search_key(self.name)
        super().save(*args, **kwargs)

    @property
    def is_union(self) -> bool:
        return self.kind == self.Kind.UNION


class UserQuerySet(ScopedQuerySet):
    pass


class HtxUserManager(UserManager.from_queryset(UserQuerySet)):
    pass


class User(AbstractUser):
    """An officer of an organisation. Roles add up: everyone with an organisation can
    view its scope; an officer also enters data; an approver reviews the reports of the
    units below; a unit administrator manages the organisation's users."""

    full_name = models.CharField(_("full name"), max_length=150, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="users",
    )
    is_officer = models.BooleanField(_("officer (enters data)"), default=False)
    is_approver = models.BooleanField(_("approver (reviews reports of the units below)"), default=False)
    is_unit_admin = models.BooleanField(_("unit administrator (manages users)"), default=False)

    objects = HtxUserManager()
    scope_path = "organisation__unit"

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["username"]

    def __str__(self):
        return self.full_name or self.username

    def scope_root_id(self) -> int | None:
        """The unit whose territory this user sees (htxnu.geo.scoping reads it): the
        organisation's unit, the country for an operator (superuser), else none.
        Cached on the instance; tests reset `_scope_root_id` after moving a user."""
        cached = getattr(self, "_scope_root_id", _MISSING)
        if cached is not _MISSING:
            return cached
        if self.is_superuser:
            root = AdminUnit.objects.filter(level=Level.COUNTRY).values_list("pk", flat=True).first()
        elif self.organisation_id:
            root = Organisation.objects.filter(pk=self.organisation_id).values_list("unit_id", flat=True).first()
        else:
            root = None
        self._scope_root_id = root
        return root

    @property
    def role_labels(self) -> list[str]:
        labels = []
        if self.is_officer:
            labels.append(_("Officer"))
        if self.is_approver:
            labels.append(_("Approver"))
        if self.is_unit_admin:
            labels.append(_("Unit administrator"))
        return labels or [_("Viewer")]
