import datetime
import io

from django.apps import apps
from django.test import override_settings
from django.urls import reverse
from openpyxl import load_workbook

from htxnu.core.models import AuditEntry
from htxnu.core.tests.base import HtxTestCase
from htxnu.registry import facts, services
from htxnu.registry.models import Collective, CollectiveType, Gender, Manager, Position, Status

from .helpers import make_coop

HTMX = {"HX-Request": "true"}
# The plans app answers the threshold in force with one query; before it, a setting does.
PLAN_QUERIES = 1 if apps.is_installed("htxnu.plans") else 0


def workforce(actor, coop, workers, female_workers, as_of=datetime.date(2025, 12, 31)):
    services.workforce_record(actor=actor, collective=coop, as_of=as_of, members=workers, female_members=0,
                              workers=workers, female_workers=female_workers, women_stable_jobs=female_workers)


class RegistryData(HtxTestCase):
    """Two records in Cam Đường, one in the sibling ward, one in Lai Châu."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.hoa_mai = make_coop(cls.commune, cls.cam_duong, woman_director=True, main_products="Rau an toàn")
        workforce(cls.commune, cls.hoa_mai, 10, 8)
        cls.tho_cam = make_coop(cls.commune, cls.cam_duong, name="Tổ hợp tác Thổ cẩm", code="",
                                type=CollectiveType.THT, union_supported_founding=True)
        workforce(cls.commune, cls.tho_cam, 10, 6)
        cls.in_lao_cai_ward = make_coop(cls.sibling, cls.phuong_lao_cai, name="Hợp tác xã Phố Mới",
                                        code="5300999999")
        cls.lai_chau_coop = make_coop(cls.other_province, cls.lai_chau_commune(), name="Hợp tác xã Chè Tân Uyên",
                                      code="6200000001")

    @classmethod
    def lai_chau_commune(cls):
        from htxnu.geo.models import AdminUnit

        return AdminUnit.objects.filter(parent=cls.lai_chau, valid_to__isnull=True).order_by("code").first()



class ListTests(RegistryData):
    def names(self, response):
        return [c.name for c in response.context["page"].items]

    def test_a_commune_officer_sees_her_communes_records_only(self):
        self.client.force_login(self.commune)
        response = self.client.get("/registry/")
        self.assertEqual(self.names(response), ["Hợp tác xã Hoa Mai", "Tổ hợp tác Thổ cẩm"])
        self.assertContains(response, "do phụ nữ tham gia quản lý")

    def test_the_province_sees_the_whole_province_and_can_narrow_to_a_commune(self):
        self.client.force_login(self.province)
        self.assertEqual(len(self.names(self.client.get("/registry/"))), 3)
        narrowed = self.client.get("/registry/", {"unit": self.phuong_lao_cai.pk})
        self.assertEqual(self.names(narrowed), ["Hợp tác xã Phố Mới"])

    def test_a_unit_out_of_scope_in_the_query_is_ignored(self):
        self.client.force_login(self.commune)
        response = self.client.get("/registry/", {"unit": self.lai_chau.pk})
        self.assertNotIn("Hợp tác xã Chè Tân Uyên", self.names(response))
        self.assertNotIn("Hợp tác xã Phố Mới", self.names(response))

    def test_search_ignores_diacritics(self):
        self.client.force_login(self.province)
        self.assertEqual(self.names(self.client.get("/registry/", {"q": "hop tac xa hoa mai"})),
                         ["Hợp tác xã Hoa Mai"])
        self.assertEqual(self.names(self.client.get("/registry/", {"q": "rau an toan"})), ["Hợp tác xã Hoa Mai"])

    def test_filters(self):
        self.client.force_login(self.province)
        get = lambda **params: self.names(self.client.get("/registry/", params))  # noqa: E731
        self.assertEqual(get(type="tht"), ["Tổ hợp tác Thổ cẩm"])
        self.assertEqual(get(union_supported="1"), ["Tổ hợp tác Thổ cẩm"])
        self.assertEqual(get(eligibility="women_managed"), ["Hợp tác xã Hoa Mai"])
        self.assertEqual(get(eligibility="women_jobs"), ["Hợp tác xã Hoa Mai", "Tổ hợp tác Thổ cẩm"])
        self.assertEqual(get(eligibility="neither"), ["Hợp tác xã Phố Mới"])
        self.assertEqual(get(status="dissolved"), [])
        services.product_save(actor=self.commune, collective=self.hoa_mai, name="Rau", ocop_group="food",
                              ocop_stars=4, ocop_decision_number="12/QĐ-UBND",
                              ocop_decision_date=datetime.date(2025, 1, 1))
        self.assertEqual(get(ocop="any"), ["Hợp tác xã Hoa Mai"])
        self.assertEqual(get(ocop="3"), [])
        self.assertEqual(get(ocop="none"), ["Hợp tác xã Phố Mới", "Tổ hợp tác Thổ cẩm"])

    @override_settings(DEFAULT_FEMALE_SHARE_THRESHOLD=">70")
    def test_the_jobs_filter_follows_the_threshold_in_force(self):
        facts.rebuild()  # the default threshold is a setting: changing it needs rebuild_facts
        self.client.force_login(self.province)
        response = self.client.get("/registry/", {"eligibility": "women_jobs"})
        self.assertEqual(self.names(response), ["Hợp tác xã Hoa Mai"])  # 80% > 70%; 60% is not
        self.assertContains(response, "&gt; 70%")

    def test_pages_go_forward_and_back_by_key(self):
        for i in range(5):
            Collective.objects.create(type=CollectiveType.THT, name=f"Tổ hợp tác Z{i}", commune=self.cam_duong)
        self.client.force_login(self.commune)
        from htxnu.registry import selectors

        original = selectors.PAGE_SIZE
        selectors.PAGE_SIZE = 3
        try:
            first = self.client.get("/registry/")
            page = first.context["page"]
            self.assertEqual(self.names(first), ["Hợp tác xã Hoa Mai", "Tổ hợp tác Thổ cẩm", "Tổ hợp tác Z0"])
            second = self.client.get("/registry/", {"after": page.next_after})
            self.assertEqual(self.names(second), ["Tổ hợp tác Z1", "Tổ hợp tác Z2", "Tổ hợp tác Z3"])
            back = self.client.get("/registry/", {"before": second.context["page"].prev_before})
            self.assertEqual(self.names(back), self.names(first))
            self.assertTrue(back.context["page"].is_first)
        finally:
            selectors.PAGE_SIZE = original

    def test_the_list_takes_a_fixed_number_of_queries(self):
        for i in range(40):
            coop = Collective.objects.create(type=CollectiveType.THT, name=f"Tổ {i}", commune=self.cam_duong)
            Manager.objects.create(collective=coop, full_name="X", gender=Gender.FEMALE, position=Position.OTHER)
        self.client.force_login(self.province)
        self.client.get("/registry/")
        # session, user, the user's organisation (scope root), the active unit, the units
        # below it (filter choices), the threshold of the plan in force (once the plans
        # app is there), the communes the unit covers, the page of records with their
        # communes, and the right to add (organisation and scope row).
        with self.assertNumQueries(9 + PLAN_QUERIES):
            self.client.get("/registry/", {"q": "to", "eligibility": "either", "ocop": "none"})

    def test_post_is_refused(self):
        self.client.force_login(self.commune)
        self.assertEqual(self.client.post("/registry/").status_code, 405)

    def test_the_union_body_following_a_record_is_offered_from_the_officers_scope(self):
        from htxnu.accounts.models import Organisation

        def offered(user):
            self.client.force_login(user)
            form = self.client.get("/registry/new/").context["form"]
            return set(form.fields["following_organisation"].queryset.values_list("unit__name", flat=True))

        self.assertEqual(offered(self.commune), {"Phường Cam Đường"})  # not the province's ~100
        province = offered(self.province)
        self.assertIn("Phường Lào Cai", province)
        self.assertGreater(len(province), 50)
        self.assertTrue(Organisation.objects.filter(unit=self.phuong_lao_cai, kind="union").exists())

    def test_the_list_offers_only_the_actions_the_account_may_take(self):
        for user, may in ((self.commune, True), (self.partner, False), (self.viewer, False)):
            self.client.force_login(user)
            page = self.client.get("/registry/").content.decode()
            self.assertEqual("/registry/import/" in page, may, user.username)
            self.assertEqual("/registry/new/" in page, may, user.username)
            self.assertIn("/registry/export.xlsx", page)  # reading is theirs


class ExportTests(RegistryData):
    def export_rows(self, fmt, user, **params):
        self.client.force_login(user)
        response = self.client.get(reverse(f"registry:export_{fmt}"), params)
        self.assertEqual(response.status_code, 200)
        content = b"".join(response.streaming_content)
        if fmt == "csv":
            lines = content.decode("utf-8-sig").splitlines()
            return [line.split(",")[1] for line in lines[1:]]
        ws = load_workbook(io.BytesIO(content)).active
        return [r[1] for r in ws.iter_rows(min_row=2, values_only=True)]

    def test_exports_are_scoped_and_filtered(self):
        for fmt in ("csv", "xlsx"):
            self.assertEqual(self.export_rows(fmt, self.commune), ["Hợp tác xã Hoa Mai", "Tổ hợp tác Thổ cẩm"])
            self.assertEqual(self.export_rows(fmt, self.sibling), ["Hợp tác xã Phố Mới"])
            self.assertEqual(self.export_rows(fmt, self.province, type="tht"), ["Tổ hợp tác Thổ cẩm"])
            self.assertEqual(self.export_rows(fmt, self.other_province), ["Hợp tác xã Chè Tân Uyên"])

    def test_the_export_links_of_a_filtered_list_give_exactly_its_rows(self):
        import html
        import re

        self.client.force_login(self.province)
        page = self.client.get("/registry/", {"type": "tht"})
        listed = [c.name for c in page.context["page"].items]
        self.assertEqual(listed, ["Tổ hợp tác Thổ cẩm"])
        for fmt in ("csv", "xlsx"):
            link = html.unescape(re.search(rf'href="(/registry/export\.{fmt}\?[^"]*)"', page.content.decode())[1])
            self.assertNotIn("%7B", link)  # not a Python dict in the address
            response = self.client.get(link)
            content = b"".join(response.streaming_content)
            if fmt == "csv":
                names = [line.split(",")[1] for line in content.decode("utf-8-sig").splitlines()[1:]]
            else:
                names = [r[1] for r in load_workbook(io.BytesIO(content)).active.iter_rows(min_row=2, values_only=True)]
            self.assertEqual(names, listed, fmt)

    def test_the_export_has_vietnamese_headers_and_the_main_manager(self):
        self.client.force_login(self.commune)
        response = self.client.get(reverse("registry:export_xlsx"))
        ws = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
        header = [c.value for c in ws[1]]
        self.assertEqual(header[:2], ["Loại hình", "Tên HTX, tổ hợp tác"])
        first = dict(zip(header, [c.value for c in ws[2]], strict=True))
        self.assertEqual(first["Người quản lý chính: họ tên"], "Lò Thị Mai")
        self.assertEqual(first["Do phụ nữ tham gia quản lý"], "Có")

    def test_the_export_takes_a_fixed_number_of_queries(self):
        for i in range(30):
            coop = Collective.objects.create(type=CollectiveType.THT, name=f"Tổ {i}", commune=self.cam_duong)
            Manager.objects.create(collective=coop, full_name="X", gender=Gender.FEMALE, position=Position.OTHER)
        self.client.force_login(self.commune)
        # session, user, organisation, active unit, the communes it covers; then the
        # records (one chunk) and their current managers.
        with self.assertNumQueries(7):
            response = self.client.get(reverse("registry:export_csv"))
            b"".join(response.streaming_content)


class DetailTests(HtxTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.coop = make_coop(cls.commune, cls.cam_duong, woman_director=True)
        cls.mai = cls.coop.managers.get()
        services.manager_update(actor=cls.commune, manager=cls.mai, ethnicity="Tày",
                                ethnicity_consent_on=datetime.date(2026, 1, 20))
        workforce(cls.commune, cls.coop, 50, 41)

    def test_it_shows_the_record_with_its_eligibility_and_reasons(self):
        self.client.force_login(self.province)
        response = self.client.get(f"/registry/{self.coop.pk}/")
        self.assertContains(response, "<h1>Hợp tác xã Hoa Mai</h1>", html=True)
        self.assertContains(response, "Giám đốc / Tổng giám đốc là nữ")
        self.assertContains(response, "lao động nữ 82% &gt; 50%")
        self.assertContains(response, "Lò Thị Mai")

    def test_out_of_scope_is_404(self):
        for user in (self.sibling, self.other_province):
            self.client.force_login(user)
            self.assertEqual(self.client.get(f"/registry/{self.coop.pk}/").status_code, 404)

    def test_ethnicity_is_shown_to_officers_and_approvers_only(self):
        for user, shown in ((self.commune, True), (self.province, True), (self.central, True),
                            (self.viewer, False), (self.partner, False)):
            self.client.force_login(user)
            response = self.client.get(f"/registry/{self.coop.pk}/")
            self.assertEqual("Tày" in response.content.decode(), shown, user.username)

    def test_ethnicity_is_chosen_from_the_54_groups_of_the_national_list(self):
        from htxnu.registry.forms import ManagerForm

        form = ManagerForm(show_ethnicity=True)
        options = [value for value, _label in form.fields["ethnicity"].widget.choices if value]
        self.assertEqual(len(options), 54)
        self.assertEqual((options[0], options[-1]), ("Kinh", "Rơ-măm"))
        data = {"full_name": "Lò Thị Mai", "gender": "female", "position": "director",
                "ethnicity_consent_on": "20/01/2026"}
        self.assertTrue(ManagerForm({**data, "ethnicity": "Thái"}, show_ethnicity=True).is_valid())
        self.assertFalse(ManagerForm({**data, "ethnicity": "Sao Hỏa"}, show_ethnicity=True).is_valid())

    def test_the_history_never_shows_the_ethnicity(self):
        self.client.force_login(self.province)
        entry = AuditEntry.objects.for_object(self.mai).filter(action="update").get()
        self.assertEqual(entry.changes["ethnicity"], ["•••", "•••"])
        response = self.client.get(f"/registry/{self.coop.pk}/")
        history = response.content.decode().split('<ul class="history">')[1]
        self.assertIn("Người quản lý: Lò Thị Mai", history)  # the manager's changes are on the record's page
        self.assertIn("dân tộc: ••• → •••", history)
        self.assertNotIn("Tày", history)

    def test_the_detail_page_takes_a_fixed_number_of_queries(self):
        for i in range(10):
            services.manager_add(actor=self.commune, collective=self.coop, full_name=f"Người {i}",
                                 gender=Gender.MALE, position=Position.BOARD_MEMBER)
        self.client.force_login(self.commune)
        # session, user, organisation, active unit; the record with its commune, province,
        # old unit, Union body and group; managers, workforce, products, events, the
        # cooperative it became; the right to edit (organisation, scope) and to see
        # ethnicity (scope); the history with its actors and the units it names, and the
        # entries of its managers, figures, products and events.
        with self.assertNumQueries(16 + PLAN_QUERIES):
            self.client.get(f"/registry/{self.coop.pk}/")

    def test_wrong_method(self):
        self.client.force_login(self.commune)
        self.assertEqual(self.client.post(f"/registry/{self.coop.pk}/").status_code, 405)


class FormTests(HtxTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.coop = make_coop(cls.commune, cls.cam_duong)

    def test_a_commune_officer_adds_a_cooperative(self):
        self.client.force_login(self.commune)
        response = self.client.post("/registry/new/", {
            "type": "htx", "name": "Hợp tác xã  Sen Hồng", "commune": self.cam_duong.pk, "sector": "crops",
            "status": "active", "founded_on": "15/03/2024",
        })
        coop = Collective.objects.get(name="Hợp tác xã Sen Hồng")
        self.assertRedirects(response, f"/registry/{coop.pk}/")
        self.assertEqual(coop.founded_on, datetime.date(2024, 3, 15))
        self.assertTrue(AuditEntry.objects.for_object(coop).filter(action="create").exists())

    def test_bad_input_gets_a_vietnamese_message_and_nothing_is_saved(self):
        self.client.force_login(self.commune)
        before = Collective.objects.count()
        response = self.client.post("/registry/new/", {
            "type": "tht", "name": "Tổ hợp tác X", "commune": self.cam_duong.pk, "sector": "crops",
            "status": "active", "governance": "full", "founded_on": "31/12/2099",
        })
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Chỉ hợp tác xã mới có mô hình quản trị.")
        self.assertEqual(Collective.objects.count(), before)

    def test_read_only_accounts_get_403_on_every_write(self):
        urls = [
            "/registry/new/", f"/registry/{self.coop.pk}/edit/", f"/registry/{self.coop.pk}/managers/new/",
            f"/registry/{self.coop.pk}/workforce/new/", f"/registry/{self.coop.pk}/products/new/",
            f"/registry/{self.coop.pk}/events/new/", f"/registry/{self.coop.pk}/convert/", "/registry/import/",
        ]
        for user in (self.viewer, self.partner):
            self.client.force_login(user)
            for url in urls:
                self.assertEqual(self.client.post(url, {"name": "x"}).status_code, 403, (user.username, url))

    def test_a_code_registered_elsewhere_is_refused_in_vietnamese_without_naming_the_holder(self):
        make_coop(self.sibling, self.phuong_lao_cai, name="HTX Phố Mới", code="5300000009")
        self.client.force_login(self.commune)
        response = self.client.post("/registry/new/", {
            "type": "htx", "name": "Hợp tác xã Sen Hồng", "commune": self.cam_duong.pk, "sector": "crops",
            "status": "active", "registration_code": "5300000009",
        })
        self.assertContains(response, "Mã số đăng ký này đã được đăng ký cho một hợp tác xã khác.")
        self.assertNotContains(response, "registry_regcode_unique")
        self.assertNotContains(response, "Phố Mới")
        self.assertFalse(Collective.objects.filter(name="Hợp tác xã Sen Hồng").exists())

    def test_another_unit_cannot_write_and_gets_404(self):
        self.client.force_login(self.sibling)
        self.assertEqual(self.client.post(f"/registry/{self.coop.pk}/edit/", {"name": "x"}).status_code, 404)

    def test_editing_is_audited(self):
        self.client.force_login(self.commune)
        response = self.client.post(f"/registry/{self.coop.pk}/edit/", {
            "type": "htx", "name": "Hợp tác xã Hoa Mai", "commune": self.cam_duong.pk, "sector": "handicraft",
            "status": "active", "registration_code": "5300123456", "founded_on": "01/05/2023",
        })
        self.assertRedirects(response, f"/registry/{self.coop.pk}/")
        entry = AuditEntry.objects.for_object(self.coop).filter(action="update").get()
        self.assertEqual(entry.changes["sector"], ["agriculture", "handicraft"])

    def test_adding_a_woman_director_inline_marks_it_women_managed(self):
        self.client.force_login(self.commune)
        url = f"/registry/{self.coop.pk}/managers/new/"
        form = self.client.get(url, headers=HTMX)
        self.assertContains(form, f'hx-post="{url}"')
        self.assertNotContains(form, "<html")
        response = self.client.post(url, {"full_name": "Hoàng Thị Lan", "gender": "female",
                                          "position": "director"}, headers=HTMX)
        self.assertContains(response, "Hoàng Thị Lan")
        self.assertContains(response, 'hx-swap-oob="true"')
        self.assertContains(response, "Giám đốc / Tổng giám đốc là nữ")
        self.coop.refresh_from_db()
        self.assertTrue(self.coop.is_women_managed)

    def test_an_invalid_inline_form_comes_back_with_its_errors(self):
        self.client.force_login(self.commune)
        url = f"/registry/{self.coop.pk}/workforce/new/"
        response = self.client.post(url, {"as_of": "31/12/2025", "members": 5, "female_members": 3, "workers": 5,
                                          "female_workers": 9, "women_stable_jobs": 1}, headers=HTMX)
        self.assertEqual(response.status_code, 422)
        self.assertContains(response, "Số lao động nữ không thể lớn hơn tổng số lao động.", status_code=422)
        self.assertFalse(self.coop.workforce.exists())

    def test_ethnicity_without_consent_is_refused(self):
        self.client.force_login(self.commune)
        response = self.client.post(f"/registry/{self.coop.pk}/managers/new/", {
            "full_name": "Lò Thị Mai", "gender": "female", "position": "accountant", "ethnicity": "Thái"})
        self.assertContains(response, "chỉ ghi khi người đó đồng ý")
        self.assertFalse(self.coop.managers.exists())

    def test_viewers_never_get_the_ethnicity_field(self):
        from htxnu.registry.forms import ManagerForm

        self.assertNotIn("ethnicity", ManagerForm(show_ethnicity=False).fields)

    def test_products_and_events(self):
        self.client.force_login(self.commune)
        self.client.post(f"/registry/{self.coop.pk}/products/new/", {
            "name": "Chè Shan tuyết", "ocop_group": "drinks", "ocop_stars": 4, "ocop_decision_number": "1/QĐ",
            "ocop_decision_date": "01/02/2025", "ocop_authority": "UBND tỉnh"})
        product = self.coop.products.get()
        self.assertEqual(product.ocop_stars, 4)
        self.client.post(f"/registry/{self.coop.pk}/products/{product.pk}/", {"name": "Chè xanh"})
        product.refresh_from_db()
        self.assertEqual(product.name, "Chè xanh")
        entry = AuditEntry.objects.for_object(product).filter(action="update").get()
        self.assertEqual(entry.changes["name"], ["Chè Shan tuyết", "Chè xanh"])
        self.client.post(f"/registry/{self.coop.pk}/events/new/", {"kind": "suspended", "date": "01/06/2025"})
        self.coop.refresh_from_db()
        self.assertEqual(self.coop.status, Status.SUSPENDED)
        self.client.post(f"/registry/{self.coop.pk}/products/{product.pk}/remove/")
        self.assertFalse(self.coop.products.exists())

    def test_a_group_is_converted_into_a_cooperative(self):
        group = make_coop(self.commune, self.cam_duong, name="Tổ hợp tác Miến dong", code="",
                          type=CollectiveType.THT, woman_director=False)
        services.manager_add(actor=self.commune, collective=group, full_name="Lò Thị Dợ", gender=Gender.FEMALE,
                             position=Position.GROUP_LEADER)
        workforce(self.commune, group, 12, 10)
        self.client.force_login(self.commune)
        response = self.client.post(f"/registry/{group.pk}/convert/", {
            "name": "Hợp tác xã Miến dong", "registration_code": "5300777777", "date": "15/10/2025",
            "governance": "simplified"})
        coop = Collective.objects.get(registration_code="5300777777")
        self.assertRedirects(response, f"/registry/{coop.pk}/")
        group.refresh_from_db()
        self.assertEqual(group.status, Status.CONVERTED)
        self.assertEqual(coop.converted_from, group)
        self.assertEqual(coop.female_workers, 10)
        self.assertTrue(coop.is_women_managed)
        self.assertEqual(self.client.get(f"/registry/{group.pk}/convert/").status_code, 200)
        again = self.client.post(f"/registry/{group.pk}/convert/", {"name": "X", "date": "15/10/2025"})
        self.assertContains(again, "Tổ hợp tác này đã được chuyển đổi.")

    def test_a_cooperative_cannot_be_converted(self):
        self.client.force_login(self.commune)
        response = self.client.post(f"/registry/{self.coop.pk}/convert/", {"name": "X", "date": "15/10/2025"},
                                    follow=True)
        self.assertRedirects(response, f"/registry/{self.coop.pk}/")
        self.assertContains(response, "Chỉ tổ hợp tác mới có thể chuyển thành hợp tác xã.")
        # Opening the page was a 500 (AttributeError on the unbound form).
        self.assertRedirects(self.client.get(f"/registry/{self.coop.pk}/convert/"), f"/registry/{self.coop.pk}/")

    def test_remove_actions_refuse_get(self):
        manager = services.manager_add(actor=self.commune, collective=self.coop, full_name="A",
                                       gender=Gender.MALE, position=Position.OTHER)
        self.client.force_login(self.commune)
        self.assertEqual(self.client.get(f"/registry/{self.coop.pk}/managers/{manager.pk}/remove/").status_code,
                         405)
        response = self.client.post(f"/registry/{self.coop.pk}/managers/{manager.pk}/remove/", headers=HTMX)
        self.assertEqual(response.status_code, 200)
        self.assertFalse(Manager.objects.filter(pk=manager.pk).exists())
