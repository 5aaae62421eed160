import datetime
import io

from django.core import mail
from django.core.management import call_command
from django.test import override_settings

from htxnu.reporting.models import Notification, ReportState
from htxnu.reporting.reminders import send_reminders
from htxnu.reporting.tasks import send_report_reminders

from .helpers import make_report
from .test_views import ViewBase

D = datetime.date


class ReminderTests(ViewBase):
    def test_reminders_are_sent_once(self):
        self.commune.email = "lan@example.vn"
        self.commune.save()
        make_report(self.round, self.phuong_lao_cai, ReportState.SUBMITTED)
        out = io.StringIO()
        call_command("send_report_reminders", "--today", "2026-12-18", stdout=out)
        # The officers of Cam Đường, Lào Cai and Lai Châu; Phường Lào Cai has submitted, the country reports
        # to nobody.
        self.assertIn("reminders created: 3", out.getvalue())
        self.assertEqual(set(Notification.objects.values_list("user__username", flat=True)),
                         {"commune", "province", "other_province"})
        reminder = Notification.objects.get(user=self.commune, kind="reminder")
        self.assertIn("20/12/2026", reminder.text)
        self.assertFalse(Notification.objects.filter(user=self.sibling, kind="reminder").exists())  # submitted
        self.assertEqual(len(mail.outbox), 1)
        self.assertEqual(mail.outbox[0].to, ["lan@example.vn"])
        call_command("send_report_reminders", "--today", "2026-12-18", stdout=io.StringIO())
        call_command("send_report_reminders", "--today", "2026-12-19", stdout=io.StringIO())
        self.assertEqual(Notification.objects.filter(kind="reminder").count(), 3)
        self.assertEqual(len(mail.outbox), 1)

    def test_a_request_of_the_central_level_reminds_the_provinces_it_asked_not_their_communes(self):
        from htxnu.reporting import services

        services.round_request(actor=self.central, unit=self.country, title="Báo cáo nhanh", description="",
                               data_start=D(2026, 9, 1), data_end=D(2026, 9, 30), deadline=D(2026, 10, 10))
        asked = set(Notification.objects.filter(kind="requested").values_list("user__username", flat=True))
        send_reminders(D(2026, 10, 8))
        reminded = set(Notification.objects.filter(kind="reminder", round__kind="ad_hoc")
                       .values_list("user__username", flat=True))
        self.assertEqual(reminded, asked)
        self.assertEqual(reminded, {"province", "other_province"})

    def test_nothing_is_due_far_from_a_deadline(self):
        self.assertEqual(send_reminders(D(2026, 10, 1))["notifications"], 0)

    def test_it_runs_as_a_task(self):
        with override_settings(TASKS={"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}):
            result = send_report_reminders.enqueue(days=3)
        self.assertEqual(result.status, "SUCCESSFUL")
