"""Writes for organisations and users. Each checks the actor's rights, validates,
writes and audits in one transaction."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext as _

from htxnu.core import audit
from htxnu.geo.models import AdminUnit, Level
from htxnu.text import nfc, search_key

from . import permissions
from .models import Organisation, User

# How the Union body of a unit is named, by level and kind of unit.
_CENTRAL_UNION_NAME = "Trung ương Hội LHPN Việt Nam"


def union_name(unit: AdminUnit) -> str:
    if unit.level == Level.COUNTRY:
        return _CENTRAL_UNION_NAME
    return f"Hội LHPN {unit.kind} {unit.short_name}"


@transaction.atomic
def ensure_union_organisations() -> int:
    """Give every unit its Women's Union body (bulk, idempotent). Returns how many were created."""
    # One query whether or not any is missing (load_units runs this every time).
    has_union = Organisation.objects.filter(kind=Organisation.Kind.UNION, unit=OuterRef("pk"))
    missing = AdminUnit.objects.filter(~Exists(has_union)).only("pk", "level", "kind", "short_name", "valid_to")
    created = []
    for unit in missing:
        name = union_name(unit)
        created.append(
            Organisation(
                name=name,
                kind=Organisation.Kind.UNION,
                category=Organisation.Category.UNION,
                unit=unit,
                search_key=search_key(name),
                # The Union bodies of units closed in 2025 no longer take new work.
                is_active=unit.valid_to is None,
            )
        )
    Organisation.objects.bulk_create(created, batch_size=2000)
    return len(created)


def union_organisations_after_load(sender, **kwargs) -> int:
    """`load_units` loaded the units (geo.loader.units_loaded): every unit gets its Union body."""
    return ensure_union_organisations()


@transaction.atomic
def organisation_create(*, actor, name: str, unit: AdminUnit, category: str) -> Organisation:
    if not permissions.can_manage_organisations(actor, unit):
        raise PermissionDenied(_("You may not register organisations in this unit."))
    organisation = Organisation(name=nfc(name), kind=Organisation.Kind.PARTNER, category=category, unit=unit)
    audit.save_audited(organisation, actor)
    return organisation


USER_FIELDS = ("full_name", "email", "phone", "organisation", "is_officer", "is_approver", "is_unit_admin", "is_active")


@transaction.atomic
def user_create(*, actor, username: str, password: str, organisation: Organisation, **fields) -> User:
    if not permissions.can_manage_users(actor, organisation):
        raise PermissionDenied(_("You may not manage the users of this organisation."))
    user = User(username=nfc(username), organisation=organisation)
    for name, value in fields.items():
        if name not in USER_FIELDS:
            raise TypeError(f"unexpected field {name}")
        setattr(user, name, nfc(value) if isinstance(value, str) else value)
    user.set_password(password)
    audit.save_audited(user, actor)
    return user


@transaction.atomic
def user_update(*, actor, user: User, **fields) -> User:
    user = User.objects.select_for_update().get(pk=user.pk)
    if not permissions.can_manage_users(actor, user.organisation):
        raise PermissionDenied(_("You may not manage the users of this organisation."))
    new_org = fields.get("organisation")
    if new_org is not None and not permissions.can_manage_users(actor, new_org):
        raise PermissionDenied(_("You may not move users into this organisation."))
    if user.pk == actor.pk and fields.get("is_active") is False:
        raise PermissionDenied(_("You cannot deactivate your own account."))
    before = audit.snapshot(user)
    for name, value in fields.items():
        if name not in USER_FIELDS:
            raise TypeError(f"unexpected field {name}")
        setattr(user, name, nfc(value) if isinstance(value, str) else value)
    audit.save_audited(user, actor, before=before)
    return user


@transaction.atomic
def user_set_password(*, actor, user: User, password: str) -> None:
    if actor.pk != user.pk and not permissions.can_manage_users(actor, user.organisation):
        raise PermissionDenied(_("You may not manage the users of this organisation."))
    user.set_password(password)
    user.save(update_fields=["password"])
    audit.log(actor=actor, action=audit.AuditEntry.Action.UPDATE, instance=user, note=_("Password changed"))
