import tempfile

from django.core.files.base import ContentFile
from django.test import override_settings
from django.urls import reverse

from htxnu.core.tests.base import HtxTestCase
from htxnu.geo.models import Level
from htxnu.plans import services
from htxnu.plans.models import Indicator, Plan, Target
from htxnu.plans.selectors import Column, cell_name

from .helpers import make_plan, old_unit, target


def cell(indicator_code, year, cumulative=True, per_subunit=False):
    return cell_name(Indicator.objects.get(code=indicator_code).pk, Column(year, cumulative), per_subunit)


class PlanViewTests(HtxTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.old_lao_cai = old_unit("10", Level.PROVINCE)
        cls.plan_294 = make_plan(
            cls.central, cls.old_lao_cai, number="294/KH-UBND", phases=[(2023, 2025), (2026, 2030)],
            thresholds=[(">", 70), (">", 80)], baselines=[{"indicator": "coops_supported", "value": 13}],
            targets=[target("coops_consolidated", 2025, ">=", 13), target("coops_new", 2025, "=", 4)],
            basis=[{"number": "01/QĐ-TTg", "date": "2023-01-03"}],
        )
        cls.national = make_plan(cls.central, cls.country, number="01/QĐ-TTg", phases=[(2023, 2025), (2026, 2030)])
        cls.commune_plan = make_plan(cls.central, cls.cam_duong, number="7/KH-UBND", phases=[(2026, 2030)])

    def login(self, user):
        self.client.force_login(user)

    def url(self, name, plan=None):
        return reverse(f"plans:{name}", args=[plan.pk] if plan else [])

    # list, detail, problems, catalogue

    def test_a_commune_sees_its_plans_and_the_plans_above_that_apply(self):
        self.login(self.commune)
        # session, user, scope root, active unit; plans in force; page count and rows; plans
        # above; the right to create (organisation, coverage)
        with self.assertNumQueries(10):
            response = self.client.get(self.url("list"))
        self.assertContains(response, "7/KH-UBND")
        self.assertContains(response, "294/KH-UBND")
        self.assertContains(response, "01/QĐ-TTg")
        self.assertContains(response, reverse("plans:create"))  # of her own commune
        self.assertEqual(response.context["above"], [self.national, self.plan_294])

    def test_the_plan_page_shows_the_plan_its_checks_progress_and_linked_basis(self):
        self.login(self.province)
        response = self.client.get(self.url("detail", self.plan_294) + "?year=2024")
        self.assertContains(response, "294/KH-UBND")
        self.assertContains(response, "&gt; 70%")
        self.assertContains(response, "Áp dụng cho các chỉ tiêu")
        self.assertContains(response, f'href="{self.url("detail", self.national)}">01/QĐ-TTg</a>')
        self.assertContains(response, "9 trong số 9 đơn vị cấp dưới chưa có kế hoạch")
        self.assertContains(response, "Kết quả thực hiện năm 2024")
        self.assertEqual([r.target.indicator.code for r in response.context["progress"]],
                         ["coops_consolidated", "coops_new"])
        self.assertEqual(response.context["progress"][0].actual.value, 0)

    def test_the_plan_page_shows_the_quarterly_deadline_as_the_plan_words_it(self):
        plan = make_plan(self.central, self.cam_duong, number="8/KH-UBND", phases=[(2026, 2030)], reporting={
            "periods": ["quarterly", "annual"], "deadline": "12-05", "quarter_deadline": {"days_after_end": 5}})
        self.login(self.commune)
        response = self.client.get(self.url("detail", plan))
        self.assertContains(response, "Hằng quý (chậm nhất 5 ngày sau khi kết thúc quý)")
        self.assertContains(response, "(trước ngày 05/12)")

    def test_the_plan_page_in_a_fixed_number_of_queries(self):
        self.login(self.province)
        self.client.get(self.url("detail", self.plan_294))  # warm the content types
        # session, user, scope root; the plan and its parts (8); checks: national phases, units
        # below, their plans; grid indicators; basis links; progress: thresholds in force and the
        # old units' figures and the communes they cover; right to edit (2); breadcrumb; history:
        # entries, indicator names, organisations, units; active unit; the plans it adopts
        with self.assertNumQueries(27):
            self.client.get(self.url("detail", self.plan_294) + "?year=2025")

    def test_out_of_scope_is_404_and_wrong_method_405(self):
        self.login(self.other_province)
        self.assertEqual(self.client.get(self.url("detail", self.plan_294)).status_code, 404)
        self.assertEqual(self.client.get(self.url("targets", self.commune_plan)).status_code, 404)
        self.login(self.sibling)
        self.assertEqual(self.client.get(self.url("detail", self.commune_plan)).status_code, 404)
        self.assertEqual(self.client.get(self.url("detail", self.plan_294)).status_code, 200)
        self.assertEqual(self.client.put(self.url("detail", self.plan_294)).status_code, 405)
        self.assertEqual(self.client.get(self.url("delete", self.commune_plan)).status_code, 405)

    def test_open_problems_of_the_unit(self):
        self.login(self.province)
        response = self.client.get(self.url("problems"))
        groups = response.context["groups"]
        self.assertEqual([plan.number for plan, _problems in groups], ["294/KH-UBND"])
        self.assertContains(response, "chưa có kế hoạch")

    def test_the_catalogue_says_how_each_value_is_obtained(self):
        self.login(self.partner)
        response = self.client.get(self.url("indicators"))
        self.assertContains(response, "coops_groups_consolidated_pct")
        sources = {i.code: i.effective_source for i in response.context["indicators"]}
        self.assertEqual(sources["coops_new"], "records")
        self.assertEqual(sources["cadres_skilled_pct"], "records")  # by the activities app

    # the grid

    def test_the_grid_in_a_fixed_number_of_queries(self):
        self.login(self.province)
        self.client.get(self.url("targets", self.plan_294))
        # session, user, scope root; the plan and its parts (8); checks: national phases, units
        # below, their plans; grid indicators; right to edit (2); active unit; indicators to add;
        # the plans it adopts
        with self.assertNumQueries(20):
            response = self.client.get(self.url("targets", self.plan_294))
        self.assertContains(response, f'name="{cell("coops_consolidated", 2025)}" value="≥ 13"')

    def test_typing_in_a_cell_saves_it_and_brings_back_the_cell_and_the_checks(self):
        self.login(self.province)
        name = cell("coops_consolidated", 2025)
        response = self.client.post(self.url("targets", self.plan_294), {name: "≥ 10"}, headers={
            "HX-Request": "true", "HX-Trigger-Name": name})
        self.assertEqual(response.status_code, 200)
        self.assertEqual(self.plan_294.targets.get(indicator__code="coops_consolidated").display, "≥ 10")
        html = response.content.decode()
        self.assertIn(f'name="{name}" value="≥ 10"', html)
        self.assertIn('id="plan-checks" aria-live="polite" hx-swap-oob="true"', html)
        self.assertIn("thấp hơn số liệu nền: 13", html)
        self.assertIn("cell problem", html)

    def test_an_unreadable_cell_comes_back_with_what_was_typed_and_why(self):
        self.login(self.province)
        name = cell("coops_new", 2025)
        response = self.client.post(self.url("targets", self.plan_294), {name: "nhiều"}, headers={
            "HX-Request": "true", "HX-Trigger-Name": name})
        self.assertContains(response, 'value="nhiều"')
        self.assertContains(response, "Không đọc được “nhiều”")
        self.assertEqual(self.plan_294.targets.get(indicator__code="coops_new").display, "4")

    def test_without_javascript_the_whole_grid_is_saved(self):
        self.login(self.province)
        response = self.client.post(self.url("targets", self.plan_294), {
            cell("coops_consolidated", 2025): "≥ 13",  # unchanged
            cell("coops_new", 2025): "",  # removed
            cell("coops_new", 2024, cumulative=False): "2",  # added
            cell("coops_new", 2025, per_subunit=True): "ít nhất 1",
            "csrfmiddlewaretoken": "x",
        })
        self.assertRedirects(response, self.url("targets", self.plan_294))
        shown = sorted((t.indicator.code, t.year, t.cumulative, t.per_subunit, t.display)
                       for t in self.plan_294.targets.select_related("indicator"))
        self.assertEqual(shown, [("coops_consolidated", 2025, True, False, "≥ 13"),
                                 ("coops_new", 2024, False, False, "2"), ("coops_new", 2025, True, True, "≥ 1")])

    def test_a_bad_cell_in_the_whole_grid_is_shown_with_the_others_saved(self):
        self.login(self.province)
        response = self.client.post(self.url("targets", self.plan_294), {
            cell("coops_new", 2025): "7-3", cell("groups_new", 2025): "5"})
        self.assertEqual(response.status_code, 422)
        self.assertContains(response, "giá trị trên nhỏ hơn giá trị dưới", status_code=422)
        self.assertTrue(self.plan_294.targets.filter(indicator__code="groups_new").exists())

    def test_the_grid_is_read_only_for_viewers_and_the_communes_below(self):
        name = cell("coops_new", 2025)
        for user in (self.viewer, self.commune, self.partner):
            self.login(user)
            with self.subTest(user=user.username):
                page = self.client.get(self.url("targets", self.plan_294))
                self.assertEqual(page.status_code, 200)
                self.assertNotContains(page, f'name="{name}"')
                self.assertEqual(self.client.post(self.url("targets", self.plan_294), {name: "9"}).status_code, 403)
        self.assertEqual(self.plan_294.targets.get(indicator__code="coops_new").display, "4")

    def test_extra_cumulative_columns_and_per_subunit_rows_on_request(self):
        self.login(self.province)
        response = self.client.get(self.url("targets", self.plan_294) + "?cum=2028&sub=groups_new")
        self.assertContains(response, f'name="{cell("coops_new", 2028)}"')
        self.assertContains(response, f'name="{cell("groups_new", 2025, per_subunit=True)}"')

    # creating, editing, deleting

    def test_a_commune_officer_creates_a_plan_of_her_commune(self):
        self.login(self.commune)
        page = self.client.get(self.url("create"))
        self.assertContains(page, "Phường Cam Đường")
        data = {
            "doc_type": "KH", "number": "12/KH-HPN", "issued_on": "15/01/2026", "issuer": "Hội LHPN phường",
            "title": "", "organisation": page.context["form"].initial["organisation"], "note": "",
            **management("phases", 1), "phases-0-start_year": "2026", "phases-0-end_year": "2030",
            # An empty row posts what its lists show.
            **management("thresholds", 1), "thresholds-0-op": ">", "thresholds-0-applies_to": "targets",
            **management("baselines", 1), **management("reporting_rules", 1),
            "reporting_rules-0-period": "annual", "reporting_rules-0-deadline_day": "30",
            "reporting_rules-0-deadline_month": "11", **management("basis", 1),
            "basis-0-number": "50/KH-UBND",
        }
        response = self.client.post(self.url("create"), data)
        plan = Plan.objects.get(number="12/KH-HPN")
        self.assertRedirects(response, self.url("targets", plan))
        self.assertEqual(plan.unit, self.cam_duong)
        self.assertEqual(str(plan.phases.get()), "2026–2030")
        self.assertEqual(plan.reporting_rules.get().deadline_display, "30/11")
        self.assertEqual(plan.task_groups.count(), 6)
        self.assertEqual(plan.basis.get().number, "50/KH-UBND")

    def test_creating_the_same_document_again_links_to_the_one_there(self):
        self.login(self.commune)
        page = self.client.get(self.url("create"))
        data = {
            "doc_type": "KH", "number": "12/KH-HPN", "issued_on": "15/01/2026", "issuer": "Hội LHPN phường",
            "title": "", "organisation": page.context["form"].initial["organisation"], "note": "",
            **management("phases", 1), "phases-0-start_year": "2026", "phases-0-end_year": "2030",
            **management("thresholds", 0), **management("baselines", 0), **management("reporting_rules", 0),
            **management("basis", 0),
        }
        self.client.post(self.url("create"), data)
        first = Plan.objects.get(number="12/KH-HPN")
        response = self.client.post(self.url("create"), {**data, "number": "12/kh-hpn ", "issuer": "HỘI LHPN PHƯỜNG"})
        self.assertContains(response, "đã có trong hệ thống", status_code=200)
        self.assertContains(response, f'href="{self.url("detail", first)}"')
        self.assertEqual(Plan.objects.filter(number_key=first.number_key).count(), 1)

    def test_a_read_only_user_cannot_create_or_edit(self):
        self.login(self.viewer)
        self.assertEqual(self.client.get(self.url("create")).status_code, 403)
        self.assertEqual(self.client.get(self.url("edit", self.plan_294)).status_code, 403)
        self.login(self.commune)
        self.assertEqual(self.client.get(self.url("edit", self.plan_294)).status_code, 403)
        self.assertEqual(self.client.post(self.url("delete", self.plan_294)).status_code, 403)

    def test_editing_the_plan_and_its_parts(self):
        self.login(self.province)
        page = self.client.get(self.url("edit", self.plan_294))
        data = form_data(page)
        data["title"] = "Thực hiện Đề án 01"
        data["phases-1-end_year"] = "2029"
        data["thresholds-1-DELETE"] = "on"
        response = self.client.post(self.url("edit", self.plan_294), data)
        self.assertRedirects(response, self.url("detail", self.plan_294))
        self.plan_294.refresh_from_db()
        self.assertEqual(self.plan_294.title, "Thực hiện Đề án 01")
        self.assertEqual(self.plan_294.ends_on.year, 2029)
        self.assertEqual([str(t) for t in self.plan_294.thresholds.all()], ["> 70%"])

    def test_a_bad_row_is_shown_on_its_row(self):
        self.login(self.province)
        data = form_data(self.client.get(self.url("edit", self.plan_294)))
        data["phases-1-start_year"] = "2031"
        response = self.client.post(self.url("edit", self.plan_294), data)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "errorlist")
        self.assertEqual(self.plan_294.phases.order_by("end_year").last().start_year, 2026)

    def test_deleting_a_plan(self):
        self.login(self.commune)
        response = self.client.post(self.url("delete", self.commune_plan))
        self.assertRedirects(response, self.url("list"))
        self.assertFalse(Plan.objects.filter(pk=self.commune_plan.pk).exists())

    @override_settings(MEDIA_ROOT=tempfile.mkdtemp(prefix="plans-test-"))
    def test_the_original_document_only_for_those_who_see_the_plan(self):
        services.plan_update(actor=self.central, plan=self.commune_plan,
                             document=ContentFile(b"KE HOACH", name="ke-hoach-7.txt"))
        self.login(self.commune)
        response = self.client.get(self.url("document", self.commune_plan))
        self.assertEqual(b"".join(response.streaming_content), b"KE HOACH")
        self.assertIn("ke-hoach-7", response["Content-Disposition"])
        self.login(self.sibling)
        self.assertEqual(self.client.get(self.url("document", self.commune_plan)).status_code, 404)
        self.login(self.province)
        self.assertEqual(self.client.get(self.url("document", self.plan_294)).status_code, 404)


def management(prefix, total, initial=0):
    return {f"{prefix}-TOTAL_FORMS": str(total), f"{prefix}-INITIAL_FORMS": str(initial),
            f"{prefix}-MIN_NUM_FORMS": "0", f"{prefix}-MAX_NUM_FORMS": "1000"}


def form_data(page) -> dict:
    """What the edit page would post back unchanged."""
    data = {}
    form = page.context["form"]
    for name in form.fields:
        if name == "document":
            continue
        value = form[name].value()
        data[name] = "" if value is None else (value.strftime("%d/%m/%Y") if hasattr(value, "strftime") else value)
    for prefix, _title, formset in page.context["formsets"]:
        data.update(management(prefix, len(formset.forms), formset.initial_form_count()))
        for i, f in enumerate(formset.forms):
            for name in f.fields:
                value = f[name].value()
                if name == "DELETE" or value is None:
                    continue
                if hasattr(value, "strftime"):
                    value = value.strftime("%d/%m/%Y")
                data[f"{prefix}-{i}-{name}"] = value.pk if hasattr(value, "pk") else value
    return data


class TargetCellNamesTests(HtxTestCase):
    def test_a_cell_name_reads_back(self):
        from htxnu.plans.selectors import parse_cell_name

        self.assertEqual(parse_cell_name("cell-7-2025-c-u"), (7, 2025, True, False))
        self.assertEqual(parse_cell_name("cell-7-x-y-s"), (7, None, False, True))
        self.assertIsNone(parse_cell_name("cell-7-2025-z-u"))
        self.assertIsNone(parse_cell_name("csrfmiddlewaretoken"))
        self.assertEqual(Target.objects.count(), 0)
