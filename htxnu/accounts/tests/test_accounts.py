import datetime
from unittest import mock

from django.contrib.auth.hashers import Argon2PasswordHasher
from django.core.exceptions import PermissionDenied
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from htxnu.accounts import services
from htxnu.accounts.models import Organisation, User
from htxnu.core.models import AuditEntry
from htxnu.core.tests.base import HtxTestCase


class UserServiceTests(HtxTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.cam_duong_union = Organisation.objects.get(unit=cls.cam_duong, kind=Organisation.Kind.UNION)

    def test_it_creates_a_user_and_audits_it_without_the_password(self):
        user = services.user_create(
            actor=self.province, username="can_bo_moi", password="mat-khau-dai-hon", organisation=self.cam_duong_union,
            full_name="Lù Thị Sính", is_officer=True,
        )
        entry = AuditEntry.objects.for_object(user).get()
        self.assertEqual(entry.action, AuditEntry.Action.CREATE)
        self.assertEqual(entry.actor, self.province)
        self.assertEqual(entry.unit, self.cam_duong)
        self.assertEqual(entry.changes["full_name"], [None, "Lù Thị Sính"])
        self.assertNotIn("password", entry.changes)
        self.assertTrue(user.check_password("mat-khau-dai-hon"))

    def test_an_update_records_what_changed(self):
        before = self.commune.is_approver
        services.user_update(actor=self.province, user=self.commune, is_approver=True, phone="0912 345 678")
        entry = AuditEntry.objects.for_object(self.commune).get()
        self.assertEqual(entry.changes, {"is_approver": [before, True], "phone": ["", "0912 345 678"]})

    def test_an_update_that_changes_nothing_leaves_no_entry(self):
        services.user_update(actor=self.province, user=self.commune, is_officer=True)
        self.assertFalse(AuditEntry.objects.for_object(self.commune).exists())

    def test_a_sibling_or_a_commune_officer_may_not_manage_users(self):
        for actor in (self.sibling, self.commune, self.other_province, self.partner, self.viewer):
            with self.assertRaises(PermissionDenied):
                services.user_create(
                    actor=actor, username=f"x_{actor.username}", password="mat-khau-dai-hon",
                    organisation=self.cam_duong_union,
                )
        self.assertFalse(User.objects.filter(username__startswith="x_").exists())

    def test_an_admin_cannot_deactivate_themselves(self):
        with self.assertRaises(PermissionDenied):
            services.user_update(actor=self.province, user=self.province, is_active=False)
        self.province.refresh_from_db()
        self.assertTrue(self.province.is_active)


class UserViewTests(HtxTestCase):
    def test_the_user_list_shows_only_users_in_scope(self):
        self.client.force_login(self.province)
        response = self.client.get(reverse("accounts:users"))
        self.assertContains(response, "commune")
        self.assertContains(response, "sibling")
        self.assertNotContains(response, "other_province")
        self.assertNotContains(response, ">central<")

    def test_a_read_only_role_gets_403(self):
        for user in (self.viewer, self.commune, self.partner):
            self.client.force_login(user)
            self.assertEqual(self.client.get(reverse("accounts:users")).status_code, 403)
            self.assertEqual(self.client.get(reverse("accounts:user", args=[self.commune.pk])).status_code, 403)

    def test_out_of_scope_user_page_is_404(self):
        self.client.force_login(self.other_province)
        self.assertEqual(self.client.get(reverse("accounts:user", args=[self.commune.pk])).status_code, 404)

    def test_wrong_method_is_405(self):
        self.client.force_login(self.province)
        self.assertEqual(self.client.delete(reverse("accounts:users")).status_code, 405)

    def test_an_admin_adds_a_user_to_a_commune_below_and_sees_the_history(self):
        self.client.force_login(self.province)
        org = Organisation.objects.get(unit=self.cam_duong, kind=Organisation.Kind.UNION)
        response = self.client.post(
            reverse("accounts:user_create"),
            {
                "username": "lan.hoang", "organisation": org.pk, "full_name": "Hoàng Thị Lan", "email": "",
                "phone": "", "is_officer": "on", "password1": "Mua-xuan-2026!", "password2": "Mua-xuan-2026!",
            },
        )
        created = User.objects.get(username="lan.hoang")
        self.assertRedirects(response, reverse("accounts:user", args=[created.pk]))
        self.assertTrue(created.is_officer)
        page = self.client.get(reverse("accounts:user", args=[created.pk]))
        self.assertContains(page, "Hoàng Thị Lan")
        self.assertContains(page, "Tạo mới")  # the history: created…
        self.assertContains(page, self.province.full_name)  # …by whom

    def test_creating_a_user_with_mismatched_passwords_says_so(self):
        self.client.force_login(self.province)
        org = Organisation.objects.get(unit=self.cam_duong, kind=Organisation.Kind.UNION)
        response = self.client.post(
            reverse("accounts:user_create"),
            {"username": "x", "organisation": org.pk, "password1": "Mua-xuan-2026!", "password2": "khac-nhau-2026"},
        )
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Hai mật khẩu không khớp")
        self.assertFalse(User.objects.filter(username="x").exists())

    def test_an_organisation_outside_the_admins_scope_is_refused(self):
        self.client.force_login(self.province)
        lai_chau_org = Organisation.objects.get(unit=self.lai_chau, kind=Organisation.Kind.UNION)
        response = self.client.post(
            reverse("accounts:user_create"),
            {"username": "y", "organisation": lai_chau_org.pk, "password1": "Mua-xuan-2026!",
             "password2": "Mua-xuan-2026!"},
        )
        self.assertEqual(response.status_code, 200)
        self.assertFalse(User.objects.filter(username="y").exists())


class PasswordChangeTests(HtxTestCase):
    def test_changing_ones_password_is_audited_without_the_password(self):
        self.client.force_login(self.commune)
        response = self.client.post(
            reverse("accounts:password"),
            {
                "old_password": "correct horse battery",
                "new_password1": "Hoa-ban-no-2026",
                "new_password2": "Hoa-ban-no-2026",
            },
        )
        self.assertRedirects(response, reverse("accounts:password_done"))
        self.commune.refresh_from_db()
        self.assertTrue(self.commune.check_password("Hoa-ban-no-2026"))
        entry = AuditEntry.objects.for_object(self.commune).get()
        self.assertEqual(entry.note, "Đã đổi mật khẩu")
        self.assertEqual(entry.changes, {})


class PasswordResetByAdminTests(HtxTestCase):
    def url(self, user):
        return reverse("accounts:user_password", args=[user.pk])

    def test_an_admin_sets_a_new_password_and_it_is_audited(self):
        self.client.force_login(self.province)
        response = self.client.post(
            self.url(self.commune), {"new_password1": "Suoi-Hoa-2026", "new_password2": "Suoi-Hoa-2026"}
        )
        self.assertRedirects(response, reverse("accounts:user", args=[self.commune.pk]))
        self.commune.refresh_from_db()
        self.assertTrue(self.commune.check_password("Suoi-Hoa-2026"))
        self.assertEqual(AuditEntry.objects.for_object(self.commune).get().actor, self.province)

    def test_out_of_scope_and_non_admins_cannot(self):
        self.client.force_login(self.other_province)
        self.assertEqual(self.client.post(self.url(self.commune), {}).status_code, 404)
        self.client.force_login(self.sibling)
        self.assertEqual(self.client.post(self.url(self.commune), {}).status_code, 403)
        self.commune.refresh_from_db()
        self.assertTrue(self.commune.check_password("correct horse battery"))

    def test_a_weak_password_is_refused_with_a_reason(self):
        self.client.force_login(self.province)
        response = self.client.post(self.url(self.commune), {"new_password1": "123", "new_password2": "123"})
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "errorlist")
        self.commune.refresh_from_db()
        self.assertTrue(self.commune.check_password("correct horse battery"))


@override_settings(AXES_FAILURE_LIMIT=3)
class SignInTests(HtxTestCase):
    def test_signing_in_with_the_right_password_lands_on_home(self):
        response = self.client.post(
            reverse("accounts:login"), {"username": "commune", "password": "correct horse battery"}, follow=True
        )
        self.assertContains(response, "Phường Cam Đường")

    def test_a_wrong_password_gets_a_vietnamese_message(self):
        response = self.client.post(reverse("accounts:login"), {"username": "commune", "password": "sai"})
        self.assertContains(response, "mật khẩu chính xác")

    def test_repeated_failures_lock_the_account_from_that_address(self):
        for _ in range(3):
            self.client.post(reverse("accounts:login"), {"username": "commune", "password": "sai"})
        response = self.client.post(
            reverse("accounts:login"), {"username": "commune", "password": "correct horse battery"}
        )
        self.assertEqual(response.status_code, 429)
        self.assertContains(response, "Đăng nhập sai quá nhiều lần", status_code=429)
        self.assertNotIn("_auth_user_id", self.client.session)

    def test_sign_in_is_protected_against_csrf(self):
        from django.test import Client

        client = Client(enforce_csrf_checks=True)
        response = client.post(reverse("accounts:login"), {"username": "commune", "password": "correct horse battery"})
        self.assertEqual(response.status_code, 403)

    def test_passwords_are_hashed_with_argon2id_and_owasp_parameters(self):
        self.assertTrue(User.objects.get(username="commune").password.startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$"))

    def test_a_hash_with_djangos_parameters_is_rehashed_at_sign_in(self):
        old = Argon2PasswordHasher().encode("correct horse battery", Argon2PasswordHasher().salt())
        self.assertIn("$m=102400,t=2,p=8$", old)
        User.objects.filter(username="commune").update(password=old)
        response = self.client.post(
            reverse("accounts:login"), {"username": "commune", "password": "correct horse battery"}
        )
        self.assertRedirects(response, reverse("home"), fetch_redirect_response=False)
        self.assertIn("$m=19456,t=2,p=1$", User.objects.get(username="commune").password)

    def fail(self, username="commune", address="10.0.0.1", **headers):
        return self.client.post(reverse("accounts:login"), {"username": username, "password": "sai"},
                                REMOTE_ADDR=address, headers=headers)

    def sign_in(self, address="10.0.0.1", **headers):
        return self.client.post(reverse("accounts:login"), {"username": "commune", "password": "correct horse battery"},
                                REMOTE_ADDR=address, headers=headers)

    @override_settings(BEHIND_TLS_PROXY=True)
    def test_behind_the_proxy_the_lock_is_on_the_clients_address_not_the_proxys(self):
        for _ in range(3):  # an attacker at 203.0.113.9, through the proxy at 127.0.0.1
            self.fail(address="127.0.0.1", x_forwarded_for="203.0.113.9")
        self.assertEqual(self.fail(address="127.0.0.1", x_forwarded_for="203.0.113.9").status_code, 429)
        # The owner, through the same proxy from another address, still signs in.
        response = self.sign_in(address="127.0.0.1", x_forwarded_for="198.51.100.7")
        self.assertEqual(response.status_code, 302)

    @override_settings(BEHIND_TLS_PROXY=True)
    def test_an_address_the_client_adds_to_x_forwarded_for_is_not_trusted(self):
        for fake in ["1.1.1.1", "2.2.2.2", "3.3.3.3"]:  # the proxy appends the real one last
            self.fail(address="127.0.0.1", x_forwarded_for=f"{fake}, 203.0.113.9")
        self.assertEqual(self.fail(address="127.0.0.1", x_forwarded_for="4.4.4.4, 203.0.113.9").status_code, 429)

    @override_settings(BEHIND_TLS_PROXY=False)
    def test_without_the_proxy_setting_the_header_is_ignored(self):
        for n in range(3):
            self.fail(address="127.0.0.1", x_forwarded_for=f"203.0.113.{n}")
        self.assertEqual(self.sign_in(address="127.0.0.1", x_forwarded_for="198.51.100.7").status_code, 429)

    @override_settings(AXES_ACCOUNT_FAILURE_LIMIT=6)
    def test_failures_from_many_addresses_lock_the_account_briefly_and_say_so(self):
        for n in range(6):  # two per address: no address reaches its own limit of 3
            self.fail(address=f"203.0.113.{n // 2}")
        response = self.sign_in(address="198.51.100.7")  # the owner, with the right password
        self.assertEqual(response.status_code, 429)
        self.assertContains(response, "từ nhiều thiết bị", status_code=429)
        self.assertContains(response, "khóa trong 5 phút", status_code=429)
        self.assertContains(response, "báo quản trị đơn vị", status_code=429)
        self.assertNotIn("_auth_user_id", self.client.session)
        with mock.patch("django.utils.timezone.now", return_value=timezone.now() + datetime.timedelta(minutes=6)):
            self.assertEqual(self.sign_in(address="198.51.100.7").status_code, 302)
