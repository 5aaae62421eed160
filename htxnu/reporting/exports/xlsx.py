"""The report's indicator tables as a workbook: the unit's own figures against its
targets, then one sheet per level below it (in today's geography or the one before
1/7/2025) with every indicator for every unit — the consolidated report of
everything below the unit. Built with htxnu.core.exports (streamed, write-only)."""

from collections import defaultdict

from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from htxnu.core.exports import xlsx_response
from htxnu.geo.models import AdminUnit, Level
from htxnu.plans.indicators import RECORDS

from .. import aggregation, selectors
from ..models import Report, Round
from . import file_stem

LEVEL_SHEETS = {
    (Level.PROVINCE, aggregation.TODAY): gettext_lazy("Provinces"),
    (Level.COMMUNE, aggregation.TODAY): gettext_lazy("Communes"),
    (Level.PROVINCE, aggregation.OLD): gettext_lazy("Provinces before 1-7-2025"),
    (Level.DISTRICT, aggregation.OLD): gettext_lazy("Districts before 1-7-2025"),
    (Level.COMMUNE, aggregation.OLD): gettext_lazy("Communes before 1-7-2025"),
}
STATUS = {selectors.ON_TIME: gettext_lazy("On time"), selectors.LATE: gettext_lazy("Late"),
          selectors.OVERDUE: gettext_lazy("Overdue"), selectors.NOT_DUE: gettext_lazy("Not yet due")}


def _value(figure):
    return None if figure.value is None else float(figure.value)


def response(round: Round, unit: AdminUnit, report: Report | None, geography: str):
    with translation.override("vi"):
        stem = file_stem(round, unit) + ("-don-vi-truoc-1-7-2025" if geography == "old" else "")
        return xlsx_response(stem,
                             sheets(round, unit, report, geography))


def sheets(round: Round, unit: AdminUnit, report: Report | None, geography: str) -> list:
    indicators = aggregation.active_indicators()
    everything = aggregation.territory_units(unit, geography)
    expected = aggregation.contributors(round, [unit])[unit.pk]
    own, figures, reports, _also = aggregation.report_and_rows(round, unit, report, everything, indicators=indicators,
                                                               children=expected)
    _plan, targets = selectors.targets_for(round, unit, own, indicators)
    summary = []
    for indicator in indicators:
        figure = own[indicator.code]
        info = targets.get(indicator.code)
        summary.append([
            indicator.label, indicator.unit_label, info.target.display if info else "",
            info.target.when if info else "", _value(figure),
            float(info.share) if info and info.share is not None else None,
            _("Records") if figure.source == RECORDS else _("Reports"),
            info.target.source_text if info else "",
        ])
    result = [(_("Unit summary"), [_("Indicator"), _("Unit"), _("Target"), _("Target period"), _("Result"),
                              _("Achieved (%)"), _("Source"), _("Target source")], summary)]
    if not everything:
        return result
    in_era = [u for u in everything if u.is_valid_at(round.reference_date)]
    timeliness = {r.unit.pk: r for r in selectors.completeness(round, in_era, reports=reports).rows}
    by_level = defaultdict(list)
    for child in everything:
        by_level[child.level].append(child)
    headers = [_("Code"), _("Unit"), _("Report"), _("Submitted on"), _("Timeliness")] + [
        f"{i.label} ({i.unit_label})" for i in indicators]
    for level in (Level.PROVINCE, Level.DISTRICT, Level.COMMUNE):
        units = by_level.get(level)
        if not units:
            continue
        rows = []
        for child in units:
            child_report = reports.get(child.pk)
            status = timeliness.get(child.pk)
            submitted = (timezone.localdate(child_report.first_submitted_at)
                         if child_report and child_report.first_submitted_at else None)
            rows.append([child.code, child.name, child_report.get_state_display() if child_report else "",
                         submitted, str(STATUS.get(status.status, "")) if status else ""]
                        + [_value(figures[child.pk][i.code]) for i in indicators])
        result.append((str(LEVEL_SHEETS.get((level, geography), level)), headers, rows))
    return result
