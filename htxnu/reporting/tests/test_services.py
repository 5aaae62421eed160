import datetime
from unittest import mock

from django.core.exceptions import PermissionDenied, ValidationError

from htxnu.core.models import AuditEntry
from htxnu.core.tests.base import HtxTestCase
from htxnu.geo.models import AdminUnit
from htxnu.reporting import aggregation, services
from htxnu.reporting.models import DeadlineOverride, Notification, Report, ReportState, ReportValue, Round
from htxnu.reporting.services import EditConflict

from .helpers import consolidated_coop, make_report, old_unit, reports_indicator, rnd

D = datetime.date


class ServiceBase(HtxTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.round = rnd("annual", 2026)
        cls.trained = reports_indicator("women_trained")
        consolidated_coop(cls.cam_duong, jobs=6, on=D(2026, 4, 1))

    def loaded(self, unit=None):
        """(version, fields) as a page would have loaded them."""
        unit = unit or self.cam_duong
        report = Report.objects.filter(round=self.round, unit=unit).first()
        values = {v.indicator_id: v for v in ReportValue.objects.filter(report=report)} if report else {}
        return (report.version if report else 0), services.current_fields(
            report, values, aggregation.active_indicators())

    def save(self, user, changes: dict, loaded=None, unit=None):
        version, original = loaded or self.loaded(unit)
        return services.report_save(actor=user, round=self.round, unit=unit or self.cam_duong, version=version,
                                    original=original, changes={**original, **changes})


class WorkflowTests(ServiceBase):
    def test_submit_return_resubmit_approve(self):
        report = self.save(self.commune, {"results": "Đã củng cố 1 HTX.", "own:women_trained": 5,
                                          "document_number": "12", "signer_name": "Nguyễn Thị Mai"})
        self.assertEqual((report.state, report.version), (ReportState.DRAFT, 2))

        report = services.report_submit(actor=self.commune, report=report)
        self.assertEqual(report.state, ReportState.SUBMITTED)
        frozen = {v.indicator.code: v.value for v in report.values.select_related("indicator")}
        self.assertEqual((frozen["women_trained"], frozen["jobs_coop_women"]), (5, 6))
        first = report.first_submitted_at
        self.assertEqual(Notification.objects.filter(user=self.province, kind="submitted").count(), 1)

        with self.assertRaises(PermissionDenied):
            services.report_review(actor=self.commune, report=report, approve=True)
        with self.assertRaises(PermissionDenied):
            services.report_review(actor=self.sibling, report=report, approve=True)
        with self.assertRaises(ValidationError):
            services.report_review(actor=self.province, report=report, approve=False, comment="  ")
        report = services.report_review(actor=self.province, report=report, approve=False,
                                        comment="Bổ sung số liệu việc làm.",
                                        notes={self.trained.pk: ("Kiểm tra lại số lớp", True)})
        self.assertEqual((report.state, report.review_comment), (ReportState.RETURNED, "Bổ sung số liệu việc làm."))
        value = ReportValue.objects.get(report=report, indicator=self.trained)
        self.assertEqual((value.comment, value.follow_up), ("", True))  # the unit's own note is the unit's
        self.assertEqual([c.text for c in report.value_comments.all()], ["Kiểm tra lại số lớp"])
        self.assertTrue(Notification.objects.filter(user=self.commune, kind="returned").exists())

        self.save(self.commune, {"own:women_trained": 7})
        report = services.report_submit(actor=self.commune, report=Report.objects.get(pk=report.pk))
        self.assertEqual((report.resubmissions, report.first_submitted_at), (1, first))
        report = services.report_review(actor=self.province, report=report, approve=True)
        self.assertEqual(report.state, ReportState.APPROVED)
        self.assertEqual(ReportValue.objects.get(report=report, indicator=self.trained).value, 7)
        actions = list(AuditEntry.objects.for_object(report).order_by("at", "pk").values_list("action", flat=True))
        self.assertEqual(actions, ["create", "update", "submit", "return", "submit", "approve"])

    def test_an_approved_report_is_locked_and_only_an_approver_reopens_it_with_a_reason(self):
        report = make_report(self.round, self.cam_duong, ReportState.APPROVED)
        with self.assertRaises(ValidationError):
            self.save(self.commune, {"results": "sửa"})
        with self.assertRaises(ValidationError):
            services.report_submit(actor=self.commune, report=report)
        with self.assertRaises(PermissionDenied):
            services.report_reopen(actor=self.commune, report=report, reason="Sai số liệu")
        with self.assertRaises(ValidationError):
            services.report_reopen(actor=self.province, report=report, reason="")
        report = services.report_reopen(actor=self.province, report=report, reason="Sai số liệu việc làm")
        self.assertEqual(report.state, ReportState.RETURNED)
        entry = AuditEntry.objects.for_object(report).get(action="reopen")
        self.assertEqual((entry.note, entry.actor), ("Sai số liệu việc làm", self.province))
        self.save(self.commune, {"results": "Đã sửa"})  # editable again

    def test_only_the_units_own_officers_write_its_report(self):
        for user in (self.province, self.viewer, self.sibling, self.partner, self.other_province):
            with self.assertRaises(PermissionDenied, msg=user.username):
                self.save(user, {"results": "x"})
        # Today's Cam Đường may still send the phase-1 report of old Phường Pom Hán it came from.
        pom_han = old_unit("02653")
        report = services.report_save(actor=self.commune, round=rnd("annual", 2024), unit=pom_han, version=0,
                                      original={}, changes={"results": "Báo cáo muộn"})
        self.assertEqual(report.unit, pom_han)

    def test_a_unit_of_another_time_writes_no_report_of_that_round(self):
        with self.assertRaises(ValidationError) as caught:
            services.report_save(actor=self.province, round=rnd("annual", 2024), unit=self.lao_cai, version=0,
                                 original={}, changes={"results": "x"})
        self.assertIn("14/12/2024", caught.exception.messages[0])

    def test_units_below_first(self):
        services.setting_set(actor=self.province, unit=self.lao_cai, children_first=True)
        report = make_report(self.round, self.lao_cai, ReportState.DRAFT)
        Report.objects.filter(pk=report.pk).update(results="Kết quả", document_number="5", signer_name="Lê Thị Hoa")
        with self.assertRaises(ValidationError) as caught:
            services.report_submit(actor=self.province, report=report)
        self.assertIn("(99)", caught.exception.messages[0])
        for commune in AdminUnit.objects.filter(parent=self.lao_cai):
            make_report(self.round, commune, ReportState.APPROVED)
        self.assertEqual(services.report_submit(actor=self.province, report=report).state, ReportState.SUBMITTED)
        with self.assertRaises(PermissionDenied):
            services.setting_set(actor=self.commune, unit=self.lao_cai, children_first=False)

    def test_each_value_keeps_its_history(self):
        self.save(self.commune, {"own:women_trained": 5, "comment:women_trained": "theo sổ theo dõi"})
        self.save(self.commune, {"own:women_trained": 7})
        value = ReportValue.objects.get(indicator=self.trained)
        changes = [e.changes.get("own_value") for e in AuditEntry.objects.for_object(value).order_by("at", "pk")]
        self.assertEqual(changes, [[None, "5.00"], ["5.00", "7.00"]])

    def test_bad_figures_are_refused_with_the_indicator_named(self):
        share = reports_indicator("share_trained", percent=True)
        with self.assertRaises(ValidationError) as caught:
            self.save(self.commune, {"num:share_trained": 5, "den:share_trained": 2})
        self.assertIn(share.label_vi, caught.exception.messages[0])
        self.assertFalse(Report.objects.filter(unit=self.cam_duong).exists())  # nothing half-written


class ConcurrentEditTests(ServiceBase):
    def test_two_people_changing_different_fields_keep_both(self):
        alice = self.loaded()
        bob = self.loaded()
        self.save(self.commune, {"results": "Alice's results"}, alice)
        report = self.save(self.commune, {"lessons": "Bob's lessons"}, bob)
        report.refresh_from_db()
        self.assertEqual((report.results, report.lessons), ("Alice's results", "Bob's lessons"))

    def test_two_people_changing_the_same_field_get_a_conflict_with_both_values(self):
        self.save(self.commune, {"own:women_trained": 5})
        alice, bob = self.loaded(), self.loaded()
        self.save(self.commune, {"own:women_trained": 8, "results": "A"}, alice)
        with self.assertRaises(EditConflict) as caught:
            self.save(self.commune, {"own:women_trained": 9, "lessons": "B"}, bob)
        self.assertEqual(caught.exception.conflicts, {"own:women_trained": (9, 8)})
        report = Report.objects.get(unit=self.cam_duong)
        self.assertEqual((report.lessons, report.version), ("", 3))  # nothing of Bob's was saved
        self.assertEqual(ReportValue.objects.get(indicator=self.trained).own_value, 8)

    def test_the_same_value_typed_by_both_is_no_conflict(self):
        alice, bob = self.loaded(), self.loaded()
        self.save(self.commune, {"own:women_trained": 4}, alice)
        self.save(self.commune, {"own:women_trained": 4}, bob)
        self.assertEqual(ReportValue.objects.get(indicator=self.trained).own_value, 4)

    def test_a_save_landing_between_reading_and_writing_is_caught_by_the_version(self):
        report = self.save(self.commune, {"results": "v1"})
        version, original = self.loaded()
        real_snapshot = services.audit.snapshot

        def someone_saves_meanwhile(instance):
            Report.objects.filter(pk=report.pk).update(version=version + 1, results="someone else")
            return real_snapshot(instance)

        with (mock.patch.object(services.audit, "snapshot", side_effect=someone_saves_meanwhile),
              self.assertRaises(EditConflict)):
            services.report_save(actor=self.commune, round=self.round, unit=self.cam_duong, version=version,
                                 original=original, changes={**original, "results": "mine"})
        report.refresh_from_db()
        self.assertEqual(report.results, "v1")  # mine was not written (and the whole save rolled back)

    def test_an_empty_report_is_not_sent_and_the_message_says_what_is_missing(self):
        report = self.save(self.commune, {"lessons": "Bài học"})
        with self.assertRaises(ValidationError) as caught:
            services.report_submit(actor=self.commune, report=report)
        self.assertEqual(caught.exception.messages, [
            "Chưa gửi được báo cáo: còn thiếu kết quả đạt được (phần I), số văn bản, họ tên người ký. Bản nháp "
            "vẫn được giữ; hãy điền đủ rồi gửi lại."])
        report.refresh_from_db()
        self.assertEqual((report.state, report.lessons), (ReportState.DRAFT, "Bài học"))
        self.assertFalse(report.values.exists())  # nothing frozen
        report = self.save(self.commune, {"results": "Củng cố 1 HTX", "signer_name": "Nguyễn Thị Mai"})
        with self.assertRaises(ValidationError) as caught:
            services.report_submit(actor=self.commune, report=report)
        self.assertIn("còn thiếu số văn bản.", caught.exception.messages[0])
        report = self.save(self.commune, {"document_number": "15"})
        self.assertEqual(services.report_submit(actor=self.commune, report=report).state, ReportState.SUBMITTED)

    def test_a_stale_page_cannot_submit(self):
        report = self.save(self.commune, {"results": "v1"})
        with self.assertRaises(EditConflict):
            services.report_submit(actor=self.commune, report=report, version=report.version - 1)


class DeadlineAndRequestTests(ServiceBase):
    def test_the_level_above_sets_a_units_deadline_and_it_is_audited(self):
        with self.assertRaises(PermissionDenied):
            services.deadline_set(actor=self.commune, round=self.round, unit=self.cam_duong, deadline=D(2026, 12, 1))
        override = services.deadline_set(actor=self.province, round=self.round, unit=self.cam_duong,
                                         deadline=D(2026, 12, 1), reason="Lũ lụt")
        self.assertEqual(AuditEntry.objects.for_object(override).get().action, "create")
        services.deadline_set(actor=self.province, round=self.round, unit=self.cam_duong, deadline=None)
        self.assertFalse(DeadlineOverride.objects.exists())

    def test_an_ad_hoc_request_reaches_the_units_below(self):
        with self.assertRaises(PermissionDenied):
            services.round_request(actor=self.commune, unit=self.lao_cai, title="x", description="",
                                   data_start=D(2026, 1, 1), data_end=D(2026, 10, 31), deadline=D(2026, 11, 20))
        created = services.round_request(
            actor=self.province, unit=self.lao_cai, title="Báo cáo nhanh về HTX bị thiệt hại do bão",
            description="Số HTX, THT bị thiệt hại", data_start=D(2026, 9, 1), data_end=D(2026, 10, 31),
            deadline=D(2026, 11, 20))
        self.assertEqual(created.kind, "ad_hoc")
        notified = set(Notification.objects.filter(round=created).values_list("user__username", flat=True))
        self.assertEqual(notified, {"commune", "sibling"})
        self.assertTrue(Round.objects.visible_to(self.commune).filter(pk=created.pk).exists())
        self.assertFalse(Round.objects.visible_to(self.other_province).filter(pk=created.pk).exists())
        with self.assertRaises(ValidationError):
            services.round_request(actor=self.province, unit=self.lao_cai, title="", description="",
                                   data_start=D(2026, 9, 1), data_end=D(2026, 10, 31), deadline=D(2026, 11, 20))
