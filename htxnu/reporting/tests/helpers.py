"""Records for reporting tests, on the real units.

    rnd("annual", 2024)                    a regular round (the data migration made them)
    make_report(rnd, unit, "approved", frozen={"women_trained": 5}, own={"women_trained": 2})
    reports_indicator("women_trained")     an indicator taken from reports (none of the catalogue's is)
    consolidated_coop(commune, registered=old_commune, jobs=8, on=date(2024, 6, 1))
"""

import datetime
from decimal import Decimal

from django.utils import timezone

from htxnu.core.tests.base import unit
from htxnu.geo.models import AdminUnit, Level
from htxnu.plans.models import Indicator
from htxnu.registry import facts
from htxnu.registry.models import Collective, CollectiveType, Gender, LifeEvent, Manager, Position, WorkforceSnapshot
from htxnu.reporting.models import Report, ReportState, ReportValue, Round

D = datetime.date
OLD = D(2024, 1, 1)
MID_2024 = D(2024, 6, 1)


def rnd(kind: str, year: int, number: int | None = None) -> Round:
    if number is None:
        number = 1 if kind in ("semiannual",) else 0
    return Round.objects.get(kind=kind, year=year, number=number, requested_by__isnull=True)


def old_unit(code: str, level: str = Level.COMMUNE) -> AdminUnit:
    return unit(code, level, at=OLD)


def reports_indicator(code: str, *, percent: bool = False, additive: bool = True) -> Indicator:
    return Indicator.objects.create(code=code, label_vi=f"Chỉ tiêu {code}", label_en=code, unit_vi="người",
                                    unit_en="persons", kind="percent" if percent else "count", source="reports",
                                    additive=additive, position=500)


def moment(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(10)))


def make_report(report_round: Round, report_unit: AdminUnit, state: str = ReportState.APPROVED, *,
                frozen: dict | None = None, own: dict | None = None, submitted: datetime.date | None = None
                ) -> Report:
    """A report as the workflow would leave it. `frozen` {code: value or (num, den)} are the
    figures written at submission, `own` {code: value or (num, den)} the unit's own entries."""
    report = Report.objects.create(round=report_round, unit=report_unit, state=state)
    if state != ReportState.DRAFT:
        day = submitted or report_round.data_end
        report.first_submitted_at = report.submitted_at = moment(day)
        report.save()
    codes = set(frozen or {}) | set(own or {})
    indicators = {i.code: i for i in Indicator.objects.filter(code__in=codes)}
    for code in codes:
        value = ReportValue(report=report, indicator=indicators[code], source=indicators[code].source)
        for prefix, data in (("", frozen or {}), ("own_", own or {})):
            if code in data:
                number = data[code]
                if isinstance(number, tuple):
                    num, den = (Decimal(x) for x in number)
                    setattr(value, f"{prefix}numerator", num)
                    setattr(value, f"{prefix}denominator", den)
                    setattr(value, f"{prefix}value", (100 * num / den).quantize(Decimal("0.1")) if den else None)
                else:
                    setattr(value, f"{prefix}value", Decimal(number))
        value.save()
    return report


def consolidated_coop(commune: AdminUnit, *, registered: AdminUnit | None = None, jobs: int = 8,
                      on: datetime.date = MID_2024, kind: str = CollectiveType.HTX, name: str = "") -> Collective:
    """A Union-supported, woman-led cooperative consolidated on `on`, with `jobs` stable jobs for women."""
    coop = Collective.objects.create(type=kind, name=name or f"HTX {commune.code} {jobs}", commune=commune,
                                     registered_unit=registered, founded_on=D(2022, 1, 1),
                                     union_supported_founding=True)
    Manager.objects.create(collective=coop, full_name="Lò Thị Mai", gender=Gender.FEMALE,
                           position=Position.DIRECTOR if kind == CollectiveType.HTX else Position.GROUP_LEADER)
    WorkforceSnapshot.objects.create(collective=coop, as_of=on, members=jobs + 2, female_members=jobs,
                                     workers=jobs + 2, female_workers=jobs, women_stable_jobs=jobs)
    LifeEvent.objects.create(collective=coop, kind=LifeEvent.Kind.CONSOLIDATED, date=on)
    facts.refresh([coop.pk])  # written around the services, which would have refreshed them
    return coop
