"""Report periods ("rounds"), their data cut-offs and their default deadlines.

Pure date arithmetic, no database: the data migration that creates the regular rounds
and the models both use it.

Data cut-off (the state reporting regime, Decree 09/2019/NĐ-CP, art. 12):
- quarterly: from the 15th of the month before the quarter to the 14th of its last
  month (Q1: 15/12 of the previous year – 14/3);
- 6 months: 15/12 of the previous year – 14/6;
- a year: 15/12 of the previous year – 14/12;
- the mid-term review (sơ kết, 2025) covers phase 1, the final review (tổng kết,
  2030) the whole Đề án: from 15/12/2022 (the cut-off before 2023, the first year of
  Decision 01/QĐ-TTg) to 14/12 of the review year, i.e. the annual periods they sum.

Deadline, when neither an override for the unit nor a plan sets one: the 20th of the
period's last month (DEFAULT_DEADLINE_DAY), a few days after the cut-off on the 14th.
A plan's rule gives a day and a month ("trước ngày 15/11"): the deadline is the first
such date on or after two months before the cut-off end, so "15/11" lands in the
same year as an annual report (cut-off 14/12) and "15/01" in the following one.
A quarterly rule may instead be relative to the quarter: a day of its first, second or
last month, or a number of days after it ends (``quarter_deadline``).
"""

import datetime

FIRST_YEAR, LAST_YEAR = 2023, 2030
MIDTERM_YEAR, FINAL_YEAR = 2025, 2030
PROGRAMME_START = datetime.date(FIRST_YEAR - 1, 12, 15)
DEFAULT_DEADLINE_DAY = 20
# How far before the cut-off end a plan's day/month deadline may fall.
DEADLINE_LEAD = datetime.timedelta(days=61)

QUARTERLY, SEMIANNUAL, ANNUAL, AD_HOC, MIDTERM, FINAL = (
    "quarterly", "semiannual", "annual", "ad_hoc", "midterm", "final",
)
# The plan's ReportingRule.period that sets the deadline of each kind of round. The
# reviews follow the annual rule: they are due when the annual report of their year is.
RULE_PERIOD = {QUARTERLY: "quarterly", SEMIANNUAL: "semiannual", ANNUAL: "annual", MIDTERM: "annual",
               FINAL: "annual", AD_HOC: "ad_hoc"}


def cutoff(kind: str, year: int, number: int = 0) -> tuple[datetime.date, datetime.date]:
    """(first day, last day) of the data a regular round covers."""
    previous = datetime.date(year - 1, 12, 15)
    if kind == QUARTERLY:
        if not 1 <= number <= 4:
            raise ValueError("a quarter is 1 to 4")
        last_month = 3 * number
        start = previous if number == 1 else datetime.date(year, last_month - 3, 15)
        return start, datetime.date(year, last_month, 14)
    if kind == SEMIANNUAL:
        return previous, datetime.date(year, 6, 14)
    if kind == ANNUAL:
        return previous, datetime.date(year, 12, 14)
    if kind in (MIDTERM, FINAL):
        return PROGRAMME_START, datetime.date(year, 12, 14)
    raise ValueError(f"no default cut-off for {kind}")


def default_deadline(data_end: datetime.date) -> datetime.date:
    return data_end.replace(day=DEFAULT_DEADLINE_DAY)


def deadline_from_rule(data_end: datetime.date, month: int, day: int) -> datetime.date:
    earliest = data_end - DEADLINE_LEAD
    for year in (earliest.year, earliest.year + 1):
        candidate = _day(year, month, day)
        if candidate >= earliest:
            return candidate
    return _day(earliest.year + 1, month, day)  # pragma: no cover (the loop always returns)


def quarter_deadline(data_end: datetime.date, *, month_of_quarter: int | None = None, day: int | None = None,
                     days_after_end: int | None = None) -> datetime.date:
    """A quarterly report's deadline from a plan's rule relative to its quarter: ``day`` of the
    quarter's ``month_of_quarter``-th month ("trước ngày 20 của tháng cuối quý": 3, 20), or
    ``days_after_end`` days after the quarter's last day ("05 ngày sau khi kết thúc quý").
    ``data_end`` is the round's cut-off, in the quarter's last month."""
    first_month = data_end.month - 2
    if days_after_end is not None:
        last_day = _day(data_end.year, data_end.month, 31)
        return last_day + datetime.timedelta(days=days_after_end)
    return _day(data_end.year, first_month + month_of_quarter - 1, day)


def _day(year: int, month: int, day: int) -> datetime.date:
    try:
        return datetime.date(year, month, day)
    except ValueError:  # 29/02 in a common year, 31 in a month of 30 days
        return (datetime.date(year, month, 1) + datetime.timedelta(days=31)).replace(day=1) - datetime.timedelta(days=1)


def regular_rounds() -> list[dict]:
    """Every regular round of the Đề án, 2023–2030: quarterly, 6-month, annual, and the
    two reviews. {kind, year, number, data_start, data_end}."""
    rows = []
    for year in range(FIRST_YEAR, LAST_YEAR + 1):
        for quarter in range(1, 5):
            rows.append((QUARTERLY, year, quarter))
        rows.append((SEMIANNUAL, year, 1))
        rows.append((ANNUAL, year, 0))
    rows += [(MIDTERM, MIDTERM_YEAR, 0), (FINAL, FINAL_YEAR, 0)]
    result = []
    for kind, year, number in rows:
        start, end = cutoff(kind, year, number)
        result.append({"kind": kind, "year": year, "number": number, "data_start": start, "data_end": end})
    return result
