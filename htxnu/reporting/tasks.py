"""Background work of the reporting app (Django's tasks framework, django_tasks_db)."""

from django.tasks import task

from .reminders import DEFAULT_DAYS, send_reminders


@task()
def send_report_reminders(days: int = DEFAULT_DAYS, base_url: str = "") -> dict:
    """The daily reminders (see reminders.py); safe to run any number of times."""
    return send_reminders(days=days, base_url=base_url)
