"""The report's indicator tables as a workbook: the unit's own figures against its
targets, then one sheet per level below it (in today's geography or the one before
1/7/2025) with every indicator for every unit — the consolidated report of
everything below the unit. Built with htxnu.core.exports (streamed, write-only).

Each sheet opens with title rows (the unit, the period, the data cut-off, the date
printed) above a frozen header repeated on every printed page. Figures and targets are
numbers; a percentage (an achievement rate, or a figure of a percentage indicator) is
stored as a fraction (0.385) formatted as % so Excel adds and charts it; a cell with
nothing to say is empty."""

from collections import defaultdict

from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from htxnu.core.exports import DATE, NUMBER, PERCENT, Formatted, Sheet, xlsx_response
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


def _number(value, percent: bool = False):
    """A figure as a number for the sheet: a percentage as a fraction (38.5 -> 0.385)."""
    if value is None:
        return None
    return float(value) / 100 if percent else float(value)


def _value(figure, indicator):
    return _number(figure.value, indicator.is_percent)


def _format(indicator) -> str:
    return PERCENT if indicator.is_percent else NUMBER


def intro(round: Round, unit: AdminUnit) -> list[str]:
    """The title rows: the period, the unit, the data cut-off, the date printed."""
    return [
        round.label,
        _("Unit: %(unit)s") % {"unit": unit.name},
        _("Data from %(start)s to %(end)s (cut-off)") % {"start": round.data_start.strftime("%d/%m/%Y"),
                                                         "end": round.data_end.strftime("%d/%m/%Y")},
        _("Printed on %(day)s") % {"day": timezone.localtime().strftime("%d/%m/%Y %H:%M")},
    ]


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
        target = info.target if info else None
        fmt = _format(indicator)  # a row's indicator decides whether its numbers are percentages
        summary.append([
            indicator.label, indicator.unit_label,
            Formatted(_number(target.value, indicator.is_percent) if target else None, fmt),
            target.display if target else None, target.when if target else None,
            Formatted(_value(figure, indicator), fmt),
            float(info.share) / 100 if info and info.share is not None else None,
            _("Records") if figure.source == RECORDS else _("Reports"),
            (info.target.source_text or None) if info else None,
        ])
    heading = intro(round, unit)
    result = [Sheet(_("Unit summary"), [
        _("Indicator"), _("Unit"), _("Target"), _("Target, as text"), _("Target period"), _("Result"),
        _("Achieved"), _("Source"), _("Target source")], summary, intro=heading,
        widths=[48, 10, 12, 18, 16, 12, 10, 12, 30], formats={6: PERCENT})]
    if not everything:
        return result
    in_era = [u for u in everything if u.is_valid_at(round.reference_date)]
    timeliness = {r.unit.pk: r for r in selectors.completeness(round, in_era, reports=reports).rows}
    by_level = defaultdict(list)
    for child in everything:
        by_level[child.level].append(child)
    headers = [_("Code"), _("Unit"), _("Report status"), _("Submitted on"), _("Submission status")] + [
        f"{i.label} ({i.unit_label})" for i in indicators]
    widths = [10, 32, 16, 12, 16] + [16] * len(indicators)
    formats = {3: DATE} | {5 + n: _format(i) for n, i in enumerate(indicators)}
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
            rows.append([child.code, child.name, child_report.get_state_display() if child_report else None,
                         submitted, str(STATUS[status.status]) if status and status.status in STATUS else None]
                        + [_value(figures[child.pk][i.code], i) for i in indicators])
        result.append(Sheet(str(LEVEL_SHEETS.get((level, geography), level)), headers, rows, intro=heading,
                            widths=widths, formats=formats))
    return result

