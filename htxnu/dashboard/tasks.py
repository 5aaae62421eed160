"""Warming the dashboards, so no officer meets a cold page.

The figures are cached in the database (CachedFigures, shared by every process of an
installation) under the data version of their territory; the first reader after a
change computes them. The national and province dashboards are the costly ones, so
this task computes them ahead: the default round (as recorded and approved only) for
the country and every province of today, and the country's trends. It is enqueued
after `migrate` (when there are records to count: a deployment), and after every bulk
write (the registry's Excel import, demo data: core.audit.bulk_logged) for the
provinces of today the write touched and the country, once per transaction. It runs on
the database queue (`manage.py db_worker`); `manage.py warm_dashboards` runs or
enqueues it by hand. Running it twice costs little: the second run reads what the
first stored.
"""

import logging

from django.db import connection, transaction
from django.db.models import Q
from django.tasks import task
from django.utils import timezone

from htxnu.core import audit, db
from htxnu.geo.models import AdminUnit, Level

from . import selectors

logger = logging.getLogger(__name__)
# A bulk write touching more units than this (national demo data) warms every province,
# rather than carrying thousands of unit ids in the task.
MANY_UNITS = 500


def warm(unit_ids: list[int] | None = None) -> int:
    """Compute (or find cached) the dashboards of the country and today's provinces (only
    the provinces of `unit_ids`, when given), and the country's trends; returns how many
    pages were read."""
    today = timezone.localdate()
    chosen = selectors.default_round(selectors.rounds_offered(today))
    country = AdminUnit.objects.filter(level=Level.COUNTRY).first()
    if chosen is None or country is None:
        return 0
    provinces = AdminUnit.objects.filter(level=Level.PROVINCE, valid_to__isnull=True)
    if unit_ids is not None:
        touched = AdminUnit.objects.filter(pk__in=unit_ids).values("current_province_id")
        provinces = provinces.filter(Q(pk__in=unit_ids) | Q(pk__in=touched))
    count = 0
    for approved in (False, True):
        for unit in (country, *provinces.order_by("code")):
            selectors.dashboard(selectors.make_view(unit, chosen, approved=approved, today=today))
            count += 1
    selectors.trends(selectors.make_view(country, chosen, approved=False, today=today))
    return count + 1


@task()
def warm_dashboards(unit_ids: list[int] | None = None) -> int:
    count = warm(unit_ids)
    logger.info("warmed %s dashboards", count)
    return count


def connect() -> None:
    audit.bulk_logged.connect(_after_bulk_write, dispatch_uid="dashboard-warm-after-bulk")


def _after_bulk_write(sender, entries, **kwargs) -> None:
    # An import of thousands of rows leaves its province's figures, and the country's, to
    # compute: do it as soon as the import commits.
    if entries:
        enqueue_after_commit({entry.unit_id for entry in entries if entry.unit_id is not None})


def enqueue_after_commit(unit_ids=None) -> None:
    """Enqueue the warming once the caller's transaction commits (at once outside one):
    of every province (unit_ids None) or of the provinces of these units. Several bulk
    writes in one transaction (an import writes its records, managers and figures in
    turn) enqueue one task: the units are gathered in the callback waiting for the
    commit, which a rollback drops with them."""
    waiting = getattr(connection, "_dashboard_warm", None)
    if not connection.in_atomic_block or waiting is None or not db.still_pending(waiting):
        waiting = connection._dashboard_warm = _Warming()
        waiting.add(unit_ids)
        transaction.on_commit(waiting)
    else:
        waiting.add(unit_ids)


class _Warming:
    def __init__(self):
        self.everywhere, self.units = False, set()

    def add(self, unit_ids) -> None:
        if unit_ids is None:
            self.everywhere = True
        else:
            self.units.update(unit_ids)

    def __call__(self) -> None:
        everywhere = self.everywhere or len(self.units) > MANY_UNITS
        warm_dashboards.enqueue(None if everywhere else sorted(self.units))
