"""Who reviews a report (issue #14): an approver of the unit it reports to — its parent
in its own time, or for a unit closed on 30/6/2025 the parent it had or that parent's
successor — never an account of the unit itself or of the unit that took it over,
never the account that submitted it. Deadlines are set by the same reviewers."""

import datetime

from django.core.exceptions import PermissionDenied

from htxnu.accounts.models import Organisation
from htxnu.core.tests.base import HtxTestCase, make_user
from htxnu.geo import selectors as geo
from htxnu.geo.models import Level
from htxnu.reporting import permissions, services
from htxnu.reporting.models import Report, ReportState

from .helpers import make_report, old_unit, rnd

D = datetime.date



def complete_draft(report_round, unit) -> Report:
    """A draft with what submission asks for (the results, the number, the signer)."""
    report = make_report(report_round, unit, ReportState.DRAFT)
    Report.objects.filter(pk=report.pk).update(results="Đã củng cố 1 HTX.", document_number="12",
                                               signer_name="Nguyễn Thị Mai")
    report.refresh_from_db()
    return report

class ReviewerTests(HtxTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.semiannual_2025 = rnd("semiannual", 2025)
        cls.old_lao_cai = old_unit("10", Level.PROVINCE)
        cls.old_city = old_unit("080", Level.DISTRICT)
        cls.old_cam_duong = old_unit("02674")
        # Officer and approver of today's Phường Cam Đường, which took old Xã Cam Đường over.
        cls.cam_duong_boss = make_user("cam_duong_boss", Organisation.objects.get(kind="union", unit=cls.cam_duong),
                                       is_officer=True, is_approver=True)

    def test_the_units_a_report_goes_to(self):
        self.assertEqual(geo.receiving_units(self.cam_duong), [self.lao_cai])
        self.assertEqual(geo.receiving_units(self.lao_cai), [self.country])
        # Old Lào Cai went to the country; today's Lào Cai took it over and is not above it.
        self.assertEqual(geo.receiving_units(self.old_lao_cai), [self.country])
        # Old Xã Cam Đường: its district, closed; the district's territory went to communes,
        # so the climb goes on to old Lào Cai and the province that took it over.
        self.assertEqual(geo.receiving_units(self.old_cam_duong), [self.old_city, self.old_lao_cai, self.lao_cai])

    def test_an_account_cannot_approve_the_report_of_the_unit_its_unit_replaced(self):
        report = complete_draft(self.semiannual_2025, self.old_cam_duong)
        services.report_submit(actor=self.cam_duong_boss, report=report)  # a late report: its successor may send it
        with self.assertRaises(PermissionDenied):
            services.report_review(actor=self.cam_duong_boss, report=report, approve=True)
        self.assertFalse(permissions.can_set_deadline(self.cam_duong_boss, self.old_cam_duong))
        approved = services.report_review(actor=self.province, report=report, approve=True)
        self.assertEqual(approved.state, ReportState.APPROVED)

    def test_the_province_cannot_reopen_or_reschedule_the_old_province_the_country_reviews(self):
        report = make_report(self.semiannual_2025, self.old_lao_cai, ReportState.APPROVED)
        with self.assertRaises(PermissionDenied):
            services.report_reopen(actor=self.province, report=report, reason="Sửa số liệu")
        with self.assertRaises(PermissionDenied):
            services.deadline_set(actor=self.province, round=self.semiannual_2025, unit=self.old_lao_cai,
                                  deadline=D(2025, 7, 20))
        self.assertEqual(services.report_reopen(actor=self.central, report=report, reason="Sửa số liệu").state,
                         ReportState.RETURNED)
        services.deadline_set(actor=self.central, round=self.semiannual_2025, unit=self.old_lao_cai,
                              deadline=D(2025, 7, 20))

    def test_the_levels_further_up_do_not_review_a_commune(self):
        report = make_report(rnd("annual", 2026), self.cam_duong, ReportState.SUBMITTED)
        self.assertFalse(permissions.can_review_report(self.central, self.cam_duong, report))
        self.assertTrue(permissions.can_review_report(self.province, self.cam_duong, report))

    def test_nobody_approves_what_they_submitted_not_even_a_superuser(self):
        admin = make_user("admin", Organisation.objects.get(kind="union", unit=self.country), is_superuser=True)
        report = complete_draft(rnd("annual", 2026), self.cam_duong)
        services.report_submit(actor=admin, report=report)
        with self.assertRaises(PermissionDenied):
            services.report_review(actor=admin, report=report, approve=True)
        self.assertEqual(services.report_review(actor=self.province, report=report, approve=True).state,
                         ReportState.APPROVED)
