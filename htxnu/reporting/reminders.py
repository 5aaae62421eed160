"""Reminders a few days before a report is due, to the officers of the units that have
not submitted it: a notification in the app, and an e-mail where the officer has an
address (through Django's e-mail settings: the console in development, SMTP in
production).

Run daily by `manage.py send_report_reminders` (cron, or `--enqueue` to hand it to the
task worker). It is idempotent: one reminder per officer, round and unit (a unique
constraint), and an e-mail only for a reminder not yet e-mailed, so running it twice
the same day, or every hour, sends nothing twice.

Which units: for each round whose cut-off end lies within a year of today, the units
that write its reports (valid on its cut-off end; the country reports to nobody; an
ad-hoc round's units below the requester; quarterly rounds only where a plan asks),
that have not submitted, and whose deadline (selectors.deadlines) falls between today
and `days` days from now.
"""

import datetime
import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from htxnu.accounts.models import User
from htxnu.geo.models import AdminUnit, Level, UnitScope
from htxnu.plans.models import Plan

from . import selectors
from .models import Notification, Report, Round, RoundKind

logger = logging.getLogger(__name__)
DEFAULT_DAYS = 3


def _reporting_units(round: Round) -> list[AdminUnit]:
    units = AdminUnit.objects.valid_at(round.reference_date).exclude(level=Level.COUNTRY)
    if round.requested_by_id:
        units = units.filter(pk__in=[u.pk for u in selectors.requested_of(round)])
    elif round.kind == RoundKind.QUARTERLY:
        asking = Plan.objects.filter(reporting_rules__period="quarterly").values("unit_id")
        units = units.filter(pk__in=UnitScope.objects.filter(ancestor_id__in=asking).values("unit_id"))
    submitted = Report.objects.filter(round=round, first_submitted_at__isnull=False).values("unit_id")
    return list(units.exclude(pk__in=submitted))


def due_soon(today: datetime.date, days: int) -> list[tuple[Round, AdminUnit, selectors.Deadline]]:
    window = datetime.timedelta(days=366)
    rounds = Round.objects.filter(data_end__gte=today - window, data_end__lte=today + window).filter(
        Q(deadline__isnull=True) | Q(deadline__gte=today))
    found = []
    for report_round in rounds:
        units = _reporting_units(report_round)
        limits = selectors.deadlines([(report_round, u) for u in units])
        for unit in units:
            limit = limits[(report_round.pk, unit.pk)]
            if today <= limit.date <= today + datetime.timedelta(days=days):
                found.append((report_round, unit, limit))
    return found


def send_reminders(today: datetime.date | None = None, days: int = DEFAULT_DAYS, base_url: str = "") -> dict:
    """Create the missing reminders and e-mail those not yet e-mailed. Returns counts."""
    today = today or timezone.localdate()
    due = due_soon(today, days)
    by_unit = {}
    for report_round, unit, limit in due:
        by_unit.setdefault(unit.pk, []).append((report_round, unit, limit))
    officers = User.objects.filter(organisation__unit_id__in=list(by_unit), organisation__kind="union",
                                   is_officer=True, is_active=True).select_related("organisation")
    rows = []
    with translation.override("vi"):
        for officer in officers:
            for report_round, unit, limit in by_unit[officer.organisation.unit_id]:
                rows.append(Notification(
                    user=officer, kind=Notification.Kind.REMINDER, round=report_round, unit=unit,
                    text=(_("Reminder: %(round)s of %(unit)s is due on %(date)s and has not been submitted.")
                          % {"round": report_round.label, "unit": unit, "date": f"{limit.date:%d/%m/%Y}"})[:400],
                    url=reverse("reporting:report", args=[report_round.pk, unit.pk]),
                ))
        before = Notification.objects.filter(kind=Notification.Kind.REMINDER).count()
        Notification.objects.bulk_create(rows, ignore_conflicts=True)
        created = Notification.objects.filter(kind=Notification.Kind.REMINDER).count() - before
        emailed = _email(base_url)
    return {"due": len(due), "notifications": created, "emailed": emailed}


def _email(base_url: str) -> int:
    pending = (Notification.objects.filter(kind=Notification.Kind.REMINDER, emailed_at__isnull=True,
                                           read_at__isnull=True)
               .exclude(user__email="").select_related("user"))
    sent = 0
    for notification in pending:
        try:
            send_mail(_("HTX Nữ: a report is due"), f"{notification.text}\n\n{base_url}{notification.url}\n",
                      settings.DEFAULT_FROM_EMAIL, [notification.user.email])
        except OSError:
            logger.exception("reminder e-mail to %s failed; it will be tried again", notification.user.email)
            continue
        Notification.objects.filter(pk=notification.pk).update(emailed_at=timezone.now())
        sent += 1
    return sent
