"""The home page as the officer's to-do list: reports due, returned with the reviewer's
comment, waiting for review; uploads that were not imported; problems in the unit's plans."""

import datetime

from django.test import override_settings
from django.utils import timezone

from htxnu.core.tests.base import HtxTestCase
from htxnu.registry.models import ImportJob
from htxnu.reporting.models import ReportState

from .helpers import make_report, rnd


@override_settings(LANGUAGE_CODE="vi")
class HomeTodoTests(HtxTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.annual = rnd("annual", timezone.localdate().year)

    def home(self, user):
        self.client.force_login(user)
        return self.client.get("/").content.decode()

    def test_a_commune_sees_its_report_due_with_its_deadline(self):
        page = self.home(self.commune)
        self.assertIn('id="todo-reports"', page)
        self.assertIn(str(self.annual), page)
        self.assertRegex(page, r"(hạn|quá hạn)[^<]* \d\d/\d\d/\d{4}")

    def test_a_returned_report_shows_the_reviewers_comment(self):
        report = make_report(self.annual, self.cam_duong, ReportState.RETURNED)
        report.review_comment = "Đề nghị bổ sung số liệu lao động nữ."
        report.save()
        page = self.home(self.commune)
        self.assertIn("Đề nghị bổ sung số liệu lao động nữ.", page)
        self.assertIn("bị trả lại để chỉnh sửa", page)

    def test_the_province_sees_the_reports_waiting_for_its_review_and_the_commune_does_not(self):
        make_report(self.annual, self.cam_duong, ReportState.SUBMITTED)
        page = self.home(self.province)
        self.assertIn("Phường Cam Đường — " + str(self.annual), page)
        self.assertIn("chờ anh/chị xem xét", page)
        self.assertNotIn("chờ anh/chị xem xét", self.home(self.sibling))
        self.assertNotIn("chờ anh/chị xem xét", self.home(self.viewer))  # reads, does not review

    def test_an_upload_that_was_not_imported_is_listed_for_whoever_uploaded_it(self):
        ImportJob.objects.create(unit=self.cam_duong, file_name="danh-sach-htx.xlsx", source=b"",
                                 state=ImportJob.State.REJECTED, created_by=self.commune)
        self.assertIn("danh-sach-htx.xlsx", self.home(self.commune))
        self.assertNotIn("danh-sach-htx.xlsx", self.home(self.province))

    def test_the_home_page_takes_a_fixed_number_of_queries(self):
        for unit in (self.cam_duong, self.phuong_lao_cai):
            make_report(self.annual, unit, ReportState.SUBMITTED, submitted=datetime.date(2026, 12, 1))
        self.client.force_login(self.province)
        self.client.get("/")
        # session, user, scope root, active unit, breadcrumb (2), children (list, count); to-do:
        # the organisation and scope row behind the right to edit, the quarterly rule, the rounds,
        # the unit's reports, deadline overrides, plan rules, the submitted reports below, the
        # scope row behind the right to review; failed imports; the unit's plans; notifications.
        # The same with 2 or 99 reports waiting: nothing is read per row.
        with self.assertNumQueries(20):
            self.client.get("/")
