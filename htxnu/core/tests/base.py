"""Named users on the real geography, shared by every app's tests.

    central      — central Union officer, approver and admin: sees everything
    province     — today's Lào Cai province Union officer, approver and admin
    viewer       — a read-only account of today's Lào Cai province Union
    commune      — Phường Cam Đường (Lào Cai) Union officer
    sibling      — Phường Lào Cai Union officer: should have no access to Cam Đường
    other_province — Lai Châu province Union officer: should have no access to Lào Cai
    partner      — Sở Nông nghiệp và Môi trường Lào Cai, a partner agency (read-only)
"""

import datetime

from django.test import TestCase

from htxnu.accounts.models import Organisation, User
from htxnu.accounts.services import ensure_union_organisations
from htxnu.geo import loader, sources
from htxnu.geo.models import AdminUnit, Level

_CACHE: dict = {}


def real_sources(province_codes: set[str] | None = None) -> sources.Sources:
    """The real data; optionally only some of today's provinces and their predecessors."""
    if "all" not in _CACHE:
        _CACHE["all"] = sources.read_sources()
    src = _CACHE["all"]
    if not province_codes:
        return src
    old_codes = {old for old, new in src.province_successor.items() if new in province_codes}
    districts = [d for d in src.old_districts if d.parent_code in old_codes]
    district_codes = {d.code for d in districts}
    communes = [c for c in src.old_communes if c.parent_code in district_codes]
    commune_codes = {c.code for c in communes} | district_codes
    return sources.Sources(
        new_provinces=[p for p in src.new_provinces if p.code in province_codes],
        new_communes=[c for c in src.new_communes if c.parent_code in province_codes],
        old_provinces=[p for p in src.old_provinces if p.code in old_codes],
        old_districts=districts,
        old_communes=communes,
        province_successor={o: n for o, n in src.province_successor.items() if o in old_codes},
        commune_successors={o: s for o, s in src.commune_successors.items() if o in commune_codes},
        fingerprint=f"{src.fingerprint};subset={','.join(sorted(province_codes))}",
    )


def load_real_units(province_codes: set[str] | None = None) -> None:
    loader.load(real_sources(province_codes))
    ensure_union_organisations()


def unit(code: str, level: str = Level.COMMUNE, at: datetime.date | None = None) -> AdminUnit:
    qs = AdminUnit.objects.filter(level=level, code=code)
    return (qs.valid_at(at) if at else qs.current()).get()


def make_user(username: str, organisation: Organisation, **roles) -> User:
    user = User(username=username, full_name=username.title(), organisation=organisation, **roles)
    user.set_password("correct horse battery")
    user.save()
    return user


class NamedUsersMixin:
    """Builds the named users (see module docstring) for a TestCase."""

    @classmethod
    def build_named_users(cls):
        cls.country = AdminUnit.objects.get(level=Level.COUNTRY)
        cls.lao_cai = unit("15", Level.PROVINCE)
        cls.lai_chau = unit("12", Level.PROVINCE)
        cls.cam_duong = unit("02674")
        cls.phuong_lao_cai = unit("02647")

        def union(u):
            return Organisation.objects.get(kind=Organisation.Kind.UNION, unit=u)

        cls.partner_org = Organisation.objects.create(
            name="Sở Nông nghiệp và Môi trường tỉnh Lào Cai",
            kind=Organisation.Kind.PARTNER,
            category=Organisation.Category.DEPARTMENT,
            unit=cls.lao_cai,
        )
        full = dict(is_officer=True, is_approver=True, is_unit_admin=True)
        cls.central = make_user("central", union(cls.country), **full)
        cls.province = make_user("province", union(cls.lao_cai), **full)
        cls.viewer = make_user("viewer", union(cls.lao_cai))
        cls.commune = make_user("commune", union(cls.cam_duong), is_officer=True)
        cls.sibling = make_user("sibling", union(cls.phuong_lao_cai), is_officer=True)
        cls.other_province = make_user("other_province", union(cls.lai_chau), **full)
        cls.partner = make_user("partner", cls.partner_org)


class HtxTestCase(NamedUsersMixin, TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.build_named_users()
