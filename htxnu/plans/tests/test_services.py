import datetime
import importlib
import json
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError

from htxnu.core.models import AuditEntry
from htxnu.core.tests.base import HtxTestCase
from htxnu.plans import services
from htxnu.plans.models import (
    FemaleShareThreshold,
    Indicator,
    Plan,
    PlanImport,
    ReportingRule,
    ReportPeriod,
    Target,
)

from .helpers import make_plan, old_unit, target

SHARED = Path(settings.BASE_DIR).parent / "shared"


def gold(name: str) -> dict:
    return json.loads((SHARED / "plan-gold" / name).read_text(encoding="utf-8"))


class LoadingFromThePlanImportFormatTests(HtxTestCase):
    def test_lao_cai_294_loads_with_everything_the_annotation_holds(self):
        plan = services.plan_create_from_extraction(
            actor=self.central, data=gold("000_4cb31c63fd5f9db4.json"), unit=old_unit("10", "province"))
        self.assertEqual((plan.number, plan.doc_type, plan.issued_on, plan.issuer),
                         ("294/KH-UBND", "KH", datetime.date(2023, 7, 6), "UBND tỉnh Lào Cai"))
        self.assertEqual(plan.organisation.name, "Hội LHPN tỉnh Lào Cai")
        self.assertEqual([str(p) for p in plan.phases.all()], ["2023–2025", "2026–2030"])
        self.assertEqual((plan.starts_on, plan.ends_on), (datetime.date(2023, 1, 1), datetime.date(2030, 12, 31)))
        self.assertEqual([b.number for b in plan.basis.order_by("issued_on")],
                         ["373/KH-UBND", "01/QĐ-TTg", "235/KH-ĐCT"])
        # > 70% where it counts towards the targets, > 80% describing the target group.
        self.assertEqual([(t.op, int(t.pct), t.applies_to) for t in plan.thresholds.all()],
                         [(">", 70, "targets"), (">", 80, "target_group")])
        self.assertEqual(plan.targets.count(), 20)
        self.assertEqual([(r.period, r.deadline_display) for r in plan.reporting_rules.all()], [("annual", "15/11")])
        self.assertEqual(plan.task_groups.count(), 6)

    def test_quang_ngai_keeps_its_task_groups_with_their_lead_agencies(self):
        plan = services.plan_create_from_extraction(
            actor=self.central, data=gold("003_3b08b6edcdef416f.json"), unit=old_unit("51", "province"))
        leads = dict(plan.task_groups.values_list("number", "lead_agency"))
        self.assertEqual(leads[4], "Liên minh Hợp tác xã tỉnh")
        self.assertEqual(leads[6], "Sở Công Thương")
        self.assertEqual(sorted(plan.reporting_rules.values_list("period", flat=True)), ["annual", "semiannual"])

    def test_nam_dinh_without_a_number_uses_the_inferred_one_and_says_so(self):
        plan = services.plan_create_from_extraction(
            actor=self.central, data=gold("004_6823781930e572c0.json"), unit=old_unit("36", "province"))
        self.assertEqual((plan.number, plan.issued_on), ("81/KH-BTV", datetime.date(2023, 7, 25)))
        self.assertIn("suy ra", plan.note)
        # The four targets the annotator marked optional are not loaded.
        self.assertEqual(plan.targets.count(), 24)
        self.assertFalse(plan.targets.filter(indicator__code="coops_consolidated", year=2024).exists())

    def test_the_extractor_s_output_with_partners_evidence_and_separate_deadlines(self):
        data = {
            "document": {"type": "KH", "number": "45/KH-BTV", "date": "2023-04-05", "issuer": "Hội LHPN"},
            "phases": [[2023, 2025]],
            "targets": [{"indicator": "groups_new", "year": 2025, "cumulative": True, "op": "=", "value": 6,
                         "evidence": {"text": "thành lập mới 06 THT", "start": 10, "end": 30}}],
            "task_groups": [{"group": 1, "title": "Tuyên truyền", "lead": "Ban Tuyên giáo",
                             "partners": ["Đài PTTH", "Báo"], "time_frame": "Hằng năm"}],
            "reporting": {"periods": ["semiannual", "annual", "ad_hoc"], "deadline": "12-10",
                          "deadlines": {"semiannual": "06-10", "annual": "12-10"}},
        }
        plan = services.plan_create_from_extraction(actor=self.central, data=data, unit=self.lao_cai)
        self.assertEqual(plan.targets.get().wording, "thành lập mới 06 THT")
        group = plan.task_groups.get(number=1)
        self.assertEqual((group.lead_agency, group.coordinating_agencies, group.time_frame),
                         ("Ban Tuyên giáo", ["Đài PTTH", "Báo"], "Hằng năm"))
        rules = {r.period: r.deadline_display for r in plan.reporting_rules.all()}
        self.assertEqual(rules, {"semiannual": "10/06", "annual": "10/12", "ad_hoc": ""})

    def test_the_quarter_rule_is_kept_and_shown_as_the_plan_words_it(self):
        base = {"document": {"type": "KH", "number": "19/KH-UBND", "date": "2026-02-12"}, "phases": [[2026, 2030]]}
        plan = services.plan_create_from_extraction(actor=self.central, unit=self.lao_cai, data={**base, "reporting": {
            "periods": ["quarterly", "annual"], "deadline": "12-05",
            "quarter_deadline": {"month_of_quarter": 3, "day": 20}}})
        quarterly = plan.reporting_rules.get(period="quarterly")
        self.assertEqual((quarterly.quarter_month, quarterly.deadline_day, quarterly.deadline_month), (3, 20, None))
        self.assertEqual(quarterly.deadline_phrase, "trước ngày 20 của tháng cuối quý")
        self.assertEqual(plan.reporting_rules.get(period="annual").deadline_phrase, "trước ngày 05/12")
        plan = services.plan_create_from_extraction(actor=self.central, unit=self.lao_cai, data={
            **base, "document": {**base["document"], "number": "20/KH-UBND"},
            "reporting": {"periods": ["quarterly"], "quarter_deadline": {"days_after_end": 5}}})
        quarterly = plan.reporting_rules.get()
        self.assertEqual(quarterly.days_after_quarter_end, 5)
        self.assertEqual(quarterly.deadline_phrase, "chậm nhất 5 ngày sau khi kết thúc quý")

    def test_a_quarter_rule_that_is_not_one_is_refused_with_where(self):
        data = {"document": {"type": "KH", "number": "21/KH-UBND", "date": "2026-02-12"},
                "reporting": {"periods": ["quarterly"], "quarter_deadline": {"month_of_quarter": 4, "day": 20}}}
        with self.assertRaises(ValidationError) as caught:
            services.plan_create_from_extraction(actor=self.central, unit=self.lao_cai, data=data)
        self.assertIn("hạn báo cáo quý", " ".join(caught.exception.messages))
        self.assertFalse(Plan.objects.filter(number="21/KH-UBND").exists())

    def test_a_quarter_rule_only_on_a_quarterly_report(self):
        rule = ReportingRule(period="annual", quarter_month=3, deadline_day=20)
        with self.assertRaises(ValidationError):
            rule.clean()
        rule = ReportingRule(period="quarterly", quarter_month=3, deadline_day=20, deadline_month=3)
        with self.assertRaises(ValidationError):
            rule.clean()
        ReportingRule(period="quarterly", quarter_month=3, deadline_day=20).clean()

    def test_bad_items_are_listed_each_with_where_and_why_and_nothing_is_saved(self):
        data = {
            "document": {"number": "9/KH", "date": "2023-02-30"},
            "phases": [[2023]],
            "female_share_thresholds": [{"op": "<", "pct": 50}],
            "targets": [
                {"indicator": "coops_magic", "year": 2025, "op": "=", "value": 1},
                {"indicator": "coops_new", "year": 2025, "op": "at most", "value": 1},
                {"indicator": "coops_new", "year": 2025, "op": "between", "value": 3},
                {"indicator": "groups_new", "year": 2025, "op": "=", "value": 1},
                {"indicator": "groups_new", "year": 2025, "op": ">=", "value": 2},
            ],
            "reporting": {"periods": ["weekly"]},
            "task_groups": [{"group": 9}],
        }
        with self.assertRaises(ValidationError) as caught:
            services.plan_create_from_extraction(actor=self.central, data=data, unit=self.lao_cai)
        messages = caught.exception.messages
        self.assertEqual(len(messages), 9, messages)
        self.assertIn("Chỉ tiêu 1 (coops_magic): không có chỉ số “coops_magic” trong danh mục.", messages)
        self.assertIn("Chỉ tiêu 5 (groups_new): trùng với chỉ tiêu 4.", messages)
        self.assertFalse(Plan.objects.filter(number="9/KH").exists())

    def test_only_officers_covering_the_unit_may_create_a_plan(self):
        for user in (self.viewer, self.partner, self.sibling, self.other_province):
            with self.subTest(user=user.username), self.assertRaises(PermissionDenied):
                make_plan(user, self.cam_duong)
        self.assertEqual(make_plan(self.commune, self.cam_duong).unit, self.cam_duong)
        self.assertEqual(make_plan(self.province, self.cam_duong, number="2/KH").unit, self.cam_duong)


class EditingTests(HtxTestCase):
    def setUp(self):
        self.plan = make_plan(self.province, self.lao_cai, number="5/KH-UBND", phases=[(2026, 2030)],
                              targets=[target("coops_new", 2030, "=", 10)])
        self.coops_new = Indicator.objects.get(code="coops_new")

    def entries(self, model):
        return AuditEntry.objects.filter(content_type__model=model._meta.model_name).order_by("pk")

    def test_setting_a_cell_creates_changes_and_removes_a_target_each_audited(self):
        before = self.entries(Target).count()
        t = services.target_set(actor=self.province, plan=self.plan, indicator=self.coops_new, year=2026,
                                cumulative=False, per_subunit=False, text="ít nhất 2")
        self.assertEqual(t.display, "≥ 2")
        t = services.target_set(actor=self.province, plan=self.plan, indicator=self.coops_new, year=2026,
                                cumulative=False, per_subunit=False, text="3-4")
        self.assertEqual((t.op, t.value, t.value_max), ("between", 3, 4))
        services.target_set(actor=self.province, plan=self.plan, indicator=self.coops_new, year=2026,
                            cumulative=False, per_subunit=False, text="")
        self.assertFalse(self.plan.targets.filter(year=2026).exists())
        entries = list(self.entries(Target)[before:])
        self.assertEqual([e.action for e in entries], ["create", "update", "delete"])
        self.assertEqual(entries[1].changes["op"], [">=", "between"])
        self.assertEqual({e.note for e in entries}, {"5/KH-UBND"})
        self.assertEqual({e.unit_id for e in entries}, {self.lao_cai.pk})

    def test_a_read_only_user_or_a_commune_cannot_set_a_provincial_target(self):
        for user in (self.viewer, self.commune, self.partner):
            with self.subTest(user=user.username), self.assertRaises(PermissionDenied):
                services.target_set(actor=user, plan=self.plan, indicator=self.coops_new, year=2026,
                                    cumulative=False, per_subunit=False, text="1")

    def test_an_unreadable_cell_changes_nothing(self):
        with self.assertRaises(ValidationError):
            services.target_set(actor=self.province, plan=self.plan, indicator=self.coops_new, year=2030,
                                cumulative=True, per_subunit=False, text="nhiều")
        self.assertEqual(self.plan.targets.get().display, "10")

    def test_updating_the_parts_replaces_them_and_moves_the_period_in_force(self):
        phase = self.plan.phases.get()
        services.plan_update(
            actor=self.province, plan=self.plan, title="Kế hoạch giai đoạn 2",
            phases=[{"id": phase.pk, "start_year": 2026, "end_year": 2028}],
            thresholds=[{"op": ">=", "pct": 60, "applies_to": FemaleShareThreshold.AppliesTo.TARGETS}],
            reporting_rules=[{"period": ReportPeriod.SEMIANNUAL, "deadline_month": 6, "deadline_day": 10}],
        )
        self.plan.refresh_from_db()
        self.assertEqual(self.plan.ends_on, datetime.date(2028, 12, 31))
        self.assertEqual(str(self.plan.thresholds.get()), "≥ 60%")
        self.assertEqual(list(self.plan.reporting_rules.values_list("period", flat=True)), ["semiannual"])
        actions = {(e.content_type.model, e.action) for e in AuditEntry.objects.filter(note="5/KH-UBND")}
        self.assertIn(("phase", "update"), actions)
        self.assertIn(("reportingrule", "delete"), actions)
        self.assertIn(("femalesharethreshold", "create"), actions)
        plan_entry = AuditEntry.objects.filter(content_type__model="plan", action="update").latest("pk")
        self.assertEqual(plan_entry.changes["title"], ["", "Kế hoạch giai đoạn 2"])

    def test_a_row_of_another_plan_cannot_be_changed_through_this_one(self):
        other = make_plan(self.province, self.lao_cai, number="6/KH")
        with self.assertRaises(ValidationError):
            services.plan_update(actor=self.province, plan=self.plan,
                                 phases=[{"id": other.phases.get().pk, "end_year": 2027}])

    def test_deleting_a_plan_audits_it_and_its_rows(self):
        services.plan_delete(actor=self.province, plan=self.plan)
        self.assertFalse(Plan.objects.filter(number="5/KH-UBND").exists())
        deleted = AuditEntry.objects.filter(action="delete")
        self.assertTrue(deleted.filter(content_type__model="plan").exists())
        self.assertTrue(deleted.filter(content_type__model="target", note="5/KH-UBND").exists())


class QuarterRulesSavedBeforeMigration0007Tests(HtxTestCase):
    """``plans/0008_fill_quarter_rules``: a quarterly rule saved before 0007 kept the annual deadline; the
    plan's imported text gives back the rule it set relative to the quarter."""

    def old_rule(self, number: str, text: str | None) -> ReportingRule:
        plan = make_plan(self.central, self.lao_cai, number=number, reporting={"periods": ["quarterly", "annual"],
                                                                               "deadline": "11-25"})
        # What the service saved before 0007: the annual deadline on the quarterly rule too.
        ReportingRule.objects.filter(plan=plan, period="quarterly").update(
            deadline_day=25, deadline_month=11, quarter_month=None, days_after_quarter_end=None)
        if text is not None:
            PlanImport.objects.create(unit=self.lao_cai, filename="kh.txt", text=text, status="saved", plan=plan)
        return ReportingRule.objects.get(plan=plan, period="quarterly")

    def fill(self) -> None:
        from django.apps import apps

        importlib.import_module("htxnu.plans.migrations.0008_fill_quarter_rules").fill(apps, None)

    def test_it_fills_the_quarter_rule_from_the_imported_text(self):
        day = self.old_rule("31/KH-UBND", "IV. TỔ CHỨC THỰC HIỆN\nCác xã báo cáo kết quả hằng quý trước ngày 18 "
                                          "của tháng cuối quý; báo cáo năm trước ngày 25/11.")
        after = self.old_rule("32/KH-UBND", "IV. TỔ CHỨC THỰC HIỆN\nCác xã gửi báo cáo quý chậm nhất 07 ngày "
                                            "sau khi kết thúc quý.")
        untold = self.old_rule("33/KH-UBND", "IV. TỔ CHỨC THỰC HIỆN\nCác xã báo cáo hằng quý và hằng năm.")
        unread = self.old_rule("34/KH-UBND", None)
        self.assertEqual(day.deadline_phrase, "trước ngày 25/11")
        self.fill()
        for rule in (day, after, untold, unread):
            rule.refresh_from_db()
            rule.full_clean()
        self.assertEqual((day.quarter_month, day.deadline_day, day.deadline_month), (3, 18, None))
        self.assertEqual(day.deadline_phrase, "trước ngày 18 của tháng cuối quý")
        self.assertEqual((after.days_after_quarter_end, after.deadline_day, after.deadline_month), (7, None, None))
        for rule in (untold, unread):
            self.assertEqual((rule.quarter_month, rule.days_after_quarter_end, rule.deadline_display),
                             (None, None, "25/11"))
        # Run again, nothing changes.
        self.fill()
        day.refresh_from_db()
        self.assertEqual((day.quarter_month, day.deadline_day), (3, 18))
