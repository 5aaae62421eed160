from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from htxnu.accounts import permissions
from htxnu.core.exports import xlsx_response
from htxnu.core.idempotency import create_once, sent_twice
from htxnu.core.paging import page_of
from htxnu.geo.scoping import get_visible_or_404

from .. import selectors, services
from ..forms import BudgetLineForm
from ..models import BudgetLine
from .common import parse_year, working_unit
from .events import _attach


@login_required
@require_http_methods(["GET"])
def funding(request: HttpRequest) -> HttpResponse:
    unit = working_unit(request)
    year = parse_year(request.GET.get("year"), selectors.default_year())
    own = selectors.funding_summary(request.user, unit, year, include_below=False)
    everything = selectors.funding_summary(request.user, unit, year)
    lines = (
        BudgetLine.objects.visible_to(request.user).filter(unit__scope_links__ancestor=unit, year=year)
        .select_related("unit", "event", "activity").order_by("kind", "source", "-date", "-pk")
    )
    if request.GET.get("format") == "xlsx":
        return _export(unit, year, everything, lines)
    return render(request, "activities/funding.html", {
        "unit": unit, "year": year, "own": own, "everything": everything, "page": page_of(request, lines, 50),
        "years": range(2023, 2031), "can_edit": permissions.can_record_activity(request.user, unit,
                                                                                request.user.organisation),
    })


def _export(unit, year, summary, lines):
    summary_rows = [[r.label, r.estimate, r.allocated, r.spent, r.remaining, _("overspent") if r.overspent else ""]
                    for r in summary.rows]
    line_rows = ([line.get_kind_display(), line.unit.name, line.year, line.get_source_display(), line.amount,
                  line.date, line.reference, line.event.title if line.event else "",
                  line.activity.title if line.activity else "", line.note] for line in lines.iterator())
    return xlsx_response(f"kinh-phi-{unit.code}-{year}", [
        (_("By source"), [_("Source"), _("Estimate"), _("Allocated"), _("Spent"), _("Remaining"), _("Warning")],
         summary_rows),
        (_("Lines"), [_("Kind"), _("Unit"), _("Year"), _("Source"), _("Amount (VND)"), _("Date"),
                      _("Decision or voucher"), _("Event"), _("Activity"), _("Note")], line_rows),
        (_("Loans"), [_("Lender"), _("Amount (VND)")], [[r["lender"], r["amount"]] for r in summary.loans]),
    ])


@login_required
@require_http_methods(["GET", "POST"])
def line_create(request: HttpRequest) -> HttpResponse:
    unit = working_unit(request)
    if not permissions.can_record_activity(request.user, unit, request.user.organisation):
        raise PermissionDenied
    form = BudgetLineForm(request.POST or None, user=request.user, unit=unit,
                          initial={"year": parse_year(request.GET.get("year"), selectors.default_year()),
                                   "kind": request.GET.get("kind", BudgetLine.Kind.SPENDING)})
    if request.method == "POST" and form.is_valid():
        try:
            line, first = create_once(request, lambda: services.budget_line_save(actor=request.user,
                                                                                 **form.cleaned_data),
                                      lambda b: f"{reverse('funding:page')}?year={b.year}")
        except ValidationError as error:
            _attach(form, error)
        else:
            if first is not None:
                return sent_twice(request, first)
            over = selectors.overspending_after(line)
            if over:
                messages.warning(request, _(
                    "Spending from %(source)s in %(year)s is now %(spent)s đ, above the %(allocated)s đ allocated."
                ) % {"source": over.label, "year": line.year, "spent": number_format(over.spent, force_grouping=True),
                     "allocated": number_format(over.allocated, force_grouping=True)})
            else:
                messages.success(request, _("Saved."))
            return redirect(f"{redirect('funding:page').url}?year={line.year}")
    return render(request, "activities/simple_form.html", {"form": form, "title": _("Budget line"),
                                                           "back": "funding:page"})


@login_required
@require_http_methods(["POST"])
def line_delete(request: HttpRequest, pk: int) -> HttpResponse:
    line = get_visible_or_404(BudgetLine.objects.select_related("unit", "event__organiser"), request.user, pk=pk)
    if not permissions.can_record_activity(request.user, line.unit, line.event.organiser if line.event_id else None):
        raise PermissionDenied
    services.budget_line_delete(actor=request.user, line=line)
    messages.success(request, _("Deleted."))
    return redirect(f"{redirect('funding:page').url}?year={line.year}")
