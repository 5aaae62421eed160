import datetime

from django.core.management.base import BaseCommand, CommandError

from htxnu.reporting.reminders import DEFAULT_DAYS, send_reminders


class Command(BaseCommand):
    help = ("Remind the officers of units whose report is due within a few days and not submitted (in the app, "
            "and by e-mail where they have an address). Running it again sends nothing twice.")

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=DEFAULT_DAYS, help="remind this many days ahead (default 3)")
        parser.add_argument("--today", help="pretend today is this date (YYYY-MM-DD), for a catch-up run")
        parser.add_argument("--base-url", default="", help="prefix of the links in e-mails, e.g. https://htxnu.vn")
        parser.add_argument("--enqueue", action="store_true", help="hand the work to the task worker instead")

    def handle(self, *args, days, today, base_url, enqueue, **options):
        if days < 0:
            raise CommandError("--days must be 0 or more")
        if enqueue:
            from htxnu.reporting.tasks import send_report_reminders

            result = send_report_reminders.enqueue(days=days, base_url=base_url)
            self.stdout.write(f"Enqueued: {result.id}")
            return
        try:
            day = datetime.date.fromisoformat(today) if today else None
        except ValueError:
            raise CommandError(f"--today must be a date like 2026-11-12, not {today!r}") from None
        counts = send_reminders(day, days, base_url)
        self.stdout.write(f"Reports due within {days} days and not submitted: {counts['due']}; "
                          f"reminders created: {counts['notifications']} (existing ones skipped); "
                          f"e-mails sent: {counts['emailed']}.")
