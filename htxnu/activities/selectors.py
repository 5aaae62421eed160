"""Reads for activities, events, support, cadres, commendations and money. Each starts
from visible_to(user); the unit filter narrows to a unit and everything it covers."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q, Sum

from htxnu.geo.scoping import within
from htxnu.text import search_key

from .models import (
    Activity,
    BudgetLine,
    Cadre,
    CadreCount,
    Event,
    FundingSource,
    Lender,
    Nomination,
    SupportAction,
    SupportKind,
)


def under(qs, unit, path: str):
    """Records of `unit` and of every unit it covers."""
    return within(qs, path, [unit])


def events(user, unit, *, kind: str = "", topic: str = "", q: str = "", start=None, end=None):
    qs = under(Event.objects.visible_to(user), unit, "unit").select_related("unit", "organiser")
    if kind:
        qs = qs.filter(kind=kind)
    if topic:
        qs = qs.filter(**{f"topic_{topic}": True})
    if q:
        qs = qs.filter(search_key__contains=search_key(q))
    if start:
        qs = qs.filter(date__gte=start)
    if end:
        qs = qs.filter(date__lte=end)
    return qs.order_by("-date", "-pk")


def activities(user, unit, *, status: str = "", year: int | None = None, plan=None):
    qs = under(Activity.objects.visible_to(user), unit, "unit").select_related("lead", "unit", "plan")
    if plan is not None:
        qs = qs.filter(plan=plan)
    if status:
        qs = qs.filter(status=status)
    if year:
        qs = qs.filter(Q(starts_on__isnull=True) | Q(starts_on__year__lte=year)).filter(
            Q(ends_on__isnull=True) | Q(ends_on__year__gte=year)
        )
    return qs.prefetch_related("coordinating").order_by("task_group", "starts_on", "pk")


def support_actions(user, unit, *, kind: str = "", year: int | None = None):
    qs = under(SupportAction.objects.visible_to(user), unit, "collective__commune").select_related(
        "collective", "provider"
    )
    if kind:
        qs = qs.filter(kind=kind)
    if year:
        qs = qs.filter(date__year=year)
    return qs.order_by("-date", "-pk")


def cadres(user, unit):
    qs = under(Cadre.objects.visible_to(user), unit, "unit").select_related("unit")
    return qs.order_by("unit__code", "full_name")


def cadre_counts(user, unit, year: int):
    return under(CadreCount.objects.visible_to(user), unit, "unit").filter(year=year).select_related("unit")


def nominations(user, unit, cycle: str = ""):
    qs = under(Nomination.objects.visible_to(user), unit, "unit").select_related("collective", "decision", "unit")
    if cycle:
        qs = qs.filter(cycle=cycle)
    return qs.order_by("-cycle", "unit__code", "pk")


@dataclass
class SourceRow:
    source: str
    label: str
    estimate: Decimal = Decimal(0)
    allocated: Decimal = Decimal(0)
    spent: Decimal = Decimal(0)

    @property
    def overspent(self) -> bool:
        return self.spent > self.allocated

    @property
    def remaining(self) -> Decimal:
        return self.allocated - self.spent


@dataclass
class FundingSummary:
    year: int
    rows: list[SourceRow]
    loans: list[dict] = field(default_factory=list)

    @property
    def total(self) -> SourceRow:
        total = SourceRow("total", "")
        for row in self.rows:
            total.estimate += row.estimate
            total.allocated += row.allocated
            total.spent += row.spent
        return total

    @property
    def warnings(self) -> list[SourceRow]:
        return [row for row in self.rows if row.overspent]


def funding_summary(user, unit, year: int, *, include_below: bool = True) -> FundingSummary:
    """Estimate, allocation and spending by source for a unit and a year (two queries),
    with the loans that reached cooperatives in that year by lender."""
    lines = BudgetLine.objects.visible_to(user).filter(year=year)
    lines = under(lines, unit, "unit") if include_below else lines.filter(unit=unit)
    totals = {
        (row["source"], row["kind"]): row["amount"] or Decimal(0)
        for row in lines.values("source", "kind").annotate(amount=Sum("amount"))
    }
    rows = []
    for source, label in FundingSource.choices:
        row = SourceRow(
            source, label,
            estimate=totals.get((source, BudgetLine.Kind.ESTIMATE), Decimal(0)),
            allocated=totals.get((source, BudgetLine.Kind.ALLOCATION), Decimal(0)),
            spent=totals.get((source, BudgetLine.Kind.SPENDING), Decimal(0)),
        )
        if row.estimate or row.allocated or row.spent:
            rows.append(row)
    loans = support_actions(user, unit, kind=SupportKind.CREDIT, year=year) if include_below else []
    lender_labels = dict(Lender.choices)
    by_lender = (
        loans.values("lender").annotate(amount=Sum("amount")).order_by("lender") if include_below else []
    )
    loan_rows = [{"lender": lender_labels.get(r["lender"], r["lender"]), "amount": r["amount"]} for r in by_lender]
    return FundingSummary(year, rows, loan_rows)


def overspending_after(line: BudgetLine) -> SourceRow | None:
    """After saving spending: the unit's source row for that year if spending now exceeds the allocation."""
    if line.kind != BudgetLine.Kind.SPENDING:
        return None
    totals = BudgetLine.objects.filter(unit=line.unit, year=line.year, source=line.source).values("kind").annotate(
        amount=Sum("amount")
    )
    amounts = {row["kind"]: row["amount"] or Decimal(0) for row in totals}
    row = SourceRow(
        line.source, line.get_source_display(),
        allocated=amounts.get(BudgetLine.Kind.ALLOCATION, Decimal(0)),
        spent=amounts.get(BudgetLine.Kind.SPENDING, Decimal(0)),
    )
    return row if row.overspent else None


def default_year() -> int:
    return datetime.date.today().year
