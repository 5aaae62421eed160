import datetime

from django.http import Http404

from htxnu.accounts import permissions
from htxnu.accounts.models import Organisation, User
from htxnu.core.models import AuditEntry
from htxnu.geo.models import AdminUnit, Level
from htxnu.geo.scoping import covers, get_visible_or_404

from .base import HtxTestCase, unit


def old_unit(name: str, level: str = Level.COMMUNE) -> AdminUnit:
    return AdminUnit.objects.get(level=level, name=name, valid_to=datetime.date(2025, 6, 30))


class ScopeMatrixTests(HtxTestCase):
    """Who sees which unit: each named user against units in and out of their scope."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.yen_bai = old_unit("Tỉnh Yên Bái", Level.PROVINCE)
        cls.old_lao_cai_city = old_unit("Thành phố Lào Cai", Level.DISTRICT)
        cls.pom_han = old_unit("Phường Pom Hán")  # became part of Cam Đường
        cls.old_lai_chau_commune = AdminUnit.objects.filter(
            level=Level.COMMUNE, valid_to__isnull=False, current_province=cls.lai_chau
        ).first()

    def sees(self, user, u) -> bool:
        return AdminUnit.objects.visible_to(user).filter(pk=u.pk).exists()

    def test_the_matrix(self):
        units = {
            "country": self.country,
            "lao_cai": self.lao_cai,
            "yen_bai (old)": self.yen_bai,
            "tp lao cai (old district)": self.old_lao_cai_city,
            "cam_duong": self.cam_duong,
            "pom_han (old, now cam_duong)": self.pom_han,
            "phuong_lao_cai": self.phuong_lao_cai,
            "lai_chau": self.lai_chau,
            "lai_chau old commune": self.old_lai_chau_commune,
        }
        expected = {
            "central": set(units),
            "province": {"lao_cai", "yen_bai (old)", "tp lao cai (old district)", "cam_duong",
                         "pom_han (old, now cam_duong)", "phuong_lao_cai"},
            "viewer": {"lao_cai", "yen_bai (old)", "tp lao cai (old district)", "cam_duong",
                       "pom_han (old, now cam_duong)", "phuong_lao_cai"},
            "partner": {"lao_cai", "yen_bai (old)", "tp lao cai (old district)", "cam_duong",
                        "pom_han (old, now cam_duong)", "phuong_lao_cai"},
            "commune": {"cam_duong", "pom_han (old, now cam_duong)"},
            "sibling": {"phuong_lao_cai"},
            "other_province": {"lai_chau", "lai_chau old commune"},
        }
        for username, visible in expected.items():
            user = getattr(self, username)
            seen = {name for name, u in units.items() if self.sees(user, u)}
            self.assertEqual(seen, visible, username)

    def test_a_user_without_organisation_or_inactive_sees_nothing(self):
        loose = User.objects.create_user("loose", password="x" * 12)
        self.assertFalse(AdminUnit.objects.visible_to(loose).exists())
        self.commune.is_active = False
        self.assertFalse(AdminUnit.objects.visible_to(self.commune).exists())

    def test_get_visible_or_404_answers_404_for_missing_and_out_of_scope_alike(self):
        self.assertEqual(get_visible_or_404(AdminUnit, self.commune, pk=self.cam_duong.pk), self.cam_duong)
        for pk in (self.phuong_lao_cai.pk, 10**9, "not-a-number"):
            with self.assertRaises(Http404):
                get_visible_or_404(AdminUnit, self.commune, pk=pk)

    def test_scope_is_one_query(self):
        user = User.objects.select_related("organisation").get(pk=self.commune.pk)
        # 1: the scope root (organisation's unit); 2: the scoped count.
        with self.assertNumQueries(2):
            AdminUnit.objects.visible_to(user).count()
        with self.assertNumQueries(1):
            AdminUnit.objects.visible_to(user).count()

    def test_scoped_records_follow_their_unit(self):
        cam_duong_union = Organisation.objects.get(unit=self.cam_duong, kind=Organisation.Kind.UNION)
        self.assertIn(cam_duong_union, Organisation.objects.visible_to(self.province))
        self.assertNotIn(cam_duong_union, Organisation.objects.visible_to(self.sibling))
        self.assertEqual(set(User.objects.visible_to(self.commune)), {self.commune})
        self.assertNotIn(self.commune, User.objects.visible_to(self.other_province))


class PermissionTests(HtxTestCase):
    def test_who_may_edit_records_of_cam_duong(self):
        allowed = {u.username for u in User.objects.all() if permissions.can_edit_records(u, self.cam_duong)}
        self.assertEqual(allowed, {"central", "province", "commune"})

    def test_who_may_approve_for_cam_duong_and_for_lao_cai(self):
        self.assertEqual(
            {u.username for u in User.objects.all() if permissions.can_approve(u, self.cam_duong)},
            {"province"},  # the level the commune reports to, not the levels further up (issue #14)
        )
        # Nobody approves their own unit's report.
        self.assertEqual(
            {u.username for u in User.objects.all() if permissions.can_approve(u, self.lao_cai)}, {"central"}
        )

    def test_who_may_manage_the_users_of_cam_duong(self):
        org = Organisation.objects.get(unit=self.cam_duong, kind=Organisation.Kind.UNION)
        self.assertEqual(
            {u.username for u in User.objects.all() if permissions.can_manage_users(u, org)}, {"central", "province"}
        )

    def test_covers_needs_an_active_user_with_a_unit(self):
        self.assertTrue(covers(self.commune, self.cam_duong))
        self.assertFalse(covers(self.commune, self.lao_cai))
        self.assertFalse(covers(self.commune, None))


class AuditScopeTests(HtxTestCase):
    def test_audit_entries_are_visible_with_their_unit(self):
        from htxnu.core import audit

        org = Organisation.objects.get(unit=unit("02674"), kind=Organisation.Kind.UNION)
        audit.log(actor=self.province, action=AuditEntry.Action.UPDATE, instance=org, changes={"name": ["a", "b"]})
        self.assertEqual(AuditEntry.objects.visible_to(self.commune).count(), 1)
        self.assertEqual(AuditEntry.objects.visible_to(self.sibling).count(), 0)
        self.assertEqual(AuditEntry.objects.visible_to(self.province).count(), 1)
