"""Warming the dashboards, so no officer meets a cold page.

The figures are cached in the database (CachedFigures, shared by every process of an
installation) under the data version of their territory; the first reader after a
change computes them. The national and province dashboards are the costly ones, so
this task computes them ahead: the default round (as recorded and approved only) for
the country and every province of today, and the country's trends. It is enqueued
after `migrate` (when there are records to count) and after every bulk write (the
registry's Excel import, demo data: core.audit.bulk_logged), and runs on the database
queue (`manage.py db_worker`); `manage.py warm_dashboards` runs or enqueues it by hand.
Running it twice costs little: the second run reads what the first stored.
"""

import logging

from django.db import transaction
from django.tasks import task
from django.utils import timezone

from htxnu.core import audit
from htxnu.geo.models import AdminUnit, Level

from . import selectors

logger = logging.getLogger(__name__)


def warm() -> int:
    """Compute (or find cached) the dashboards of the country and today's provinces;
    returns how many dashboards were read."""
    today = timezone.localdate()
    chosen = selectors.default_round(selectors.rounds_offered(today))
    country = AdminUnit.objects.filter(level=Level.COUNTRY).first()
    if chosen is None or country is None:
        return 0
    provinces = list(AdminUnit.objects.filter(level=Level.PROVINCE, valid_to__isnull=True).order_by("code"))
    count = 0
    for approved in (False, True):
        for unit in (country, *provinces):
            selectors.dashboard(selectors.make_view(unit, chosen, approved=approved, today=today))
            count += 1
    selectors.trends(selectors.make_view(country, chosen, approved=False, today=today))
    return count + 1


@task()
def warm_dashboards() -> int:
    count = warm()
    logger.info("warmed %s dashboards", count)
    return count


def connect() -> None:
    audit.bulk_logged.connect(_after_bulk_write, dispatch_uid="dashboard-warm-after-bulk")


def _after_bulk_write(sender, entries, **kwargs) -> None:
    # An import of thousands of rows leaves its province's figures to compute: do it now.
    if entries:
        enqueue_after_commit()


def enqueue_after_commit() -> None:
    """Enqueue the warming once the caller's transaction commits (at once outside one)."""
    transaction.on_commit(warm_dashboards.enqueue)
