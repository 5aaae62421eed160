"""The plan-import review: what the extractor read, laid out item by item for the user
to confirm or fix, and the user's answer turned back into the plan-import format.

Every extracted item (the document's number, date and issuer; each basis document,
phase, threshold, baseline, target; the reporting rule; the lead agency of each task
group) is shown beside the sentence it came from, with its fields editable and a
"keep" box. Only kept items reach services.plan_create_from_extraction, which
validates them again and saves them in one transaction.
"""

import bisect
import datetime
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from htxnu.geo.models import AdminUnit
from htxnu.text import parse_date

from .models import Indicator, Op, ReportingRule, ReportPeriod, TaskGroupNumber
from .selectors import find_unit
from .target_text import parse_number

OPS = [(">=", "≥"), (">", ">"), ("=", "="), ("~", "≈"), ("between", gettext_lazy("from … to"))]
# Keys of an extracted item that describe the reading, not the plan.
_READING = ("evidence", "optional")
PERIODS = ["semiannual", "annual", "quarterly", "ad_hoc"]


def _iso_to_display(value: str | None) -> str:
    if not value:
        return ""
    try:
        return datetime.date.fromisoformat(value).strftime("%d/%m/%Y")
    except ValueError:
        return value


def _display_to_iso(value: str, where: str, errors: list[str]) -> str | None:
    value = (value or "").strip()
    if not value:
        return None
    date = parse_date(value)
    if date is None:
        errors.append(_("%(where)s: “%(value)s” is not a date (dd/mm/yyyy).") % {"where": where, "value": value})
        return None
    return date.isoformat()


def _number(value, where: str, errors: list[str], *, required: bool = True):
    text = str(value if value is not None else "").strip().replace(" ", "")
    if not text:
        if required:
            errors.append(_("%(where)s: a number is needed.") % {"where": where})
        return None
    try:
        number = parse_number(text)  # Vietnamese: 1.500 is fifteen hundred, 12,5 twelve and a half
    except ValueError:
        errors.append(_("%(where)s: “%(value)s” is not a number.") % {"where": where, "value": value})
        return None
    return int(number) if number == number.to_integral_value() else float(number)


def _item(extracted: dict, n: int, **edited) -> dict:
    """A kept item: what was extracted (fields the form does not show, such as a
    baseline's date or a threshold's scope, included), the user's edits over it, and its
    number on the screen (`n`), which the service's messages quote."""
    kept = {k: v for k, v in (extracted or {}).items() if k not in _READING}
    return {**kept, **edited, "n": n}


def _page(item: dict, page_starts: list[int] | None) -> int | None:
    """The page (1-based) of a scan where the item's sentence starts, when the text came from OCR."""
    evidence = (item or {}).get("evidence") or {}
    if isinstance(evidence, list):
        evidence = evidence[0] if evidence else {}
    start = evidence.get("start") if isinstance(evidence, dict) else None
    if not page_starts or start is None:
        return None
    return bisect.bisect_right(page_starts, start)


def _evidence(item: dict) -> str:
    """The sentence(s) an item was read from (the extractor gives one, or a list)."""
    evidence = (item or {}).get("evidence") or {}
    if isinstance(evidence, list):
        return " … ".join(e.get("text", "") for e in evidence if isinstance(e, dict))
    return evidence.get("text", "")


@dataclass
class Review:
    """What the review page shows; built from PlanImport.extracted."""

    document: dict
    basis: list[dict] = field(default_factory=list)
    phases: list[dict] = field(default_factory=list)
    thresholds: list[dict] = field(default_factory=list)
    baselines: list[dict] = field(default_factory=list)
    targets: list[dict] = field(default_factory=list)
    reporting: dict = field(default_factory=dict)
    task_groups: list[dict] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def detect_unit(extracted: dict) -> AdminUnit | None:
    document = extracted.get("document") or {}
    unit = document.get("unit") or {}
    when = document.get("date") or (document.get("inferred") or {}).get("date")
    try:
        at = datetime.date.fromisoformat(when) if when else None
    except ValueError:
        at = None
    if not unit.get("level") or not unit.get("name"):
        return None
    return find_unit(level=unit["level"], name=unit["name"], province=unit.get("province"), at=at)


def review(extracted: dict, page_starts: list[int] | None = None) -> Review:
    """The review page's items; with ``page_starts`` (a scan read by OCR) each says its page."""
    document = extracted.get("document") or {}
    inferred = document.get("inferred") or {}
    doc_evidence = document.get("evidence") or {}
    result = Review(
        document={
            "type": document.get("type") or "KH",
            "number": document.get("number") or inferred.get("number") or "",
            "date": _iso_to_display(document.get("date") or inferred.get("date")),
            "issuer": document.get("issuer") or "",
            "inferred": bool(inferred and not document.get("number")),
            "unit": document.get("unit") or {},
            # A field the extraction found no sentence for has no evidence (None), not the text "None".
            "evidence": {key: value.get("text", "") if isinstance(value, dict) else str(value or "")
                         for key, value in doc_evidence.items()},
        },
        warnings=list(extracted.get("warnings") or []),
    )
    result.basis = [
        {"number": b.get("number") or "", "date": _iso_to_display(b.get("date")), "evidence": _evidence(b),
         "keep": not b.get("optional")}
        for b in extracted.get("basis") or []
    ]
    result.phases = [
        {"start": p[0] or "", "end": p[1] or "", "keep": True} for p in extracted.get("phases") or [] if len(p) == 2
    ]
    result.thresholds = [
        {"op": t.get("op", ">"), "pct": t.get("pct"), "evidence": _evidence(t), "keep": True,
         "page": _page(t, page_starts)}
        for t in extracted.get("female_share_thresholds") or []
    ]
    result.baselines = [
        {"indicator": b.get("indicator"), "value": b.get("value"), "members": b.get("members") or "",
         "evidence": _evidence(b), "keep": True, "page": _page(b, page_starts)}
        for b in extracted.get("baselines") or []
    ]
    for t in extracted.get("targets") or []:
        value = t.get("value")
        low, high = (value[0], value[1]) if isinstance(value, list) else (value, "")
        result.targets.append({
            "indicator": t.get("indicator"), "year": t.get("year") or "", "cumulative": bool(t.get("cumulative")),
            "op": t.get("op", "="), "value": low, "value_max": high, "per_subunit": bool(t.get("per_subunit")),
            "keep": not t.get("optional"), "evidence": _evidence(t), "page": _page(t, page_starts),
        })
    reporting = extracted.get("reporting") or {}
    result.reporting = {
        "periods": list(reporting.get("periods") or []),
        "deadline": _deadline_shown(reporting),
        "quarter_deadline": _quarter_shown(reporting),
        "evidence": _evidence(reporting),
    }
    result.task_groups = [
        {"group": g.get("group"), "title": g.get("title") or "", "lead": g.get("lead") or "",
         "evidence": _evidence(g)}
        for g in extracted.get("task_groups") or []
    ]
    return result


def data_from_post(post, extracted: dict) -> tuple[dict, list[str]]:
    """The plan-import dict built from the kept items of the review form, and the
    problems found (each says which item, numbered as on the screen)."""
    errors: list[str] = []
    codes = set(Indicator.objects.values_list("code", flat=True))

    def kept(prefix: str) -> bool:
        return post.get(f"{prefix}-keep") == "on"

    extracted_doc = extracted.get("document") or {}
    inferred = extracted_doc.get("inferred") or {}
    number = post.get("doc-number", "").strip() or None
    document = {
        "type": post.get("doc-type", "KH").strip() or "KH",
        "number": number,
        "date": _display_to_iso(post.get("doc-date", ""), _("Document date"), errors),
        "issuer": post.get("doc-issuer", "").strip() or None,
        "title": extracted_doc.get("title") or "",
    }
    if not extracted_doc.get("number") and number and number == inferred.get("number"):
        # The number shown was inferred and left as it was: the plan's note says so.
        document.update(number=None, inferred=inferred)
    data: dict = {"source": extracted.get("source"), "document": document, "basis": [], "phases": [],
                  "female_share_thresholds": [], "baselines": [], "targets": [], "reporting": {}}

    for i, item in enumerate(extracted.get("basis") or []):
        prefix, n = f"basis-{i}", i + 1
        if kept(prefix) and post.get(f"{prefix}-number", "").strip():
            where = _("Basis document %(n)s") % {"n": n}
            data["basis"].append(_item(item, n, number=post[f"{prefix}-number"].strip(),
                                       date=_display_to_iso(post.get(f"{prefix}-date", ""), where, errors)))
    for i in range(len(extracted.get("phases") or [])):
        prefix = f"phase-{i}"
        if kept(prefix):
            where = _("Phase %(n)s") % {"n": i + 1}
            start = _number(post.get(f"{prefix}-start", ""), where, errors, required=False)
            end = _number(post.get(f"{prefix}-end", ""), where, errors)
            data["phases"].append([start, end])
    for i, item in enumerate(extracted.get("female_share_thresholds") or []):
        prefix, n = f"threshold-{i}", i + 1
        if kept(prefix):
            where = _("Female-labour threshold %(n)s") % {"n": n}
            data["female_share_thresholds"].append(_item(
                item, n, op=post.get(f"{prefix}-op", ">"), pct=_number(post.get(f"{prefix}-pct", ""), where, errors)))
    for i, item in enumerate(extracted.get("baselines") or []):
        prefix, n = f"baseline-{i}", i + 1
        if kept(prefix):
            where = _("Baseline %(n)s") % {"n": n}
            data["baselines"].append(_item(
                item, n, indicator=post.get(f"{prefix}-indicator"),
                value=_number(post.get(f"{prefix}-value", ""), where, errors),
                members=_number(post.get(f"{prefix}-members", ""), where, errors, required=False)))
    for i, item in enumerate(extracted.get("targets") or []):
        prefix, n = f"target-{i}", i + 1
        if not kept(prefix):
            continue
        where = _("Target %(n)s") % {"n": n}
        code = post.get(f"{prefix}-indicator", "")
        if code not in codes:
            errors.append(_("%(where)s: choose an indicator.") % {"where": where})
            continue
        op = post.get(f"{prefix}-op", "=")
        value = _number(post.get(f"{prefix}-value", ""), where, errors)
        if op == Op.BETWEEN:
            value = [value, _number(post.get(f"{prefix}-value_max", ""), where, errors)]
        year = _number(post.get(f"{prefix}-year", ""), where, errors, required=False)
        data["targets"].append(_item(
            item, n, indicator=code, year=year, cumulative=post.get(f"{prefix}-cumulative") == "on" and bool(year),
            op=op, value=value, per_subunit=post.get(f"{prefix}-per_subunit") == "on",
            wording=(item.get("wording") or _evidence(item))[:500]))

    reporting = extracted.get("reporting") or {}
    data["reporting"] = {"periods": [p for p in PERIODS if post.get(f"reporting-{p}") == "on"], "deadline": None}
    deadline = post.get("reporting-deadline", "").strip()
    if deadline and deadline == _deadline_shown(reporting):
        # Left as read: keep the deadline of each kind of report the plan sets, if any.
        data["reporting"].update(deadline=reporting.get("deadline"), deadlines=reporting.get("deadlines") or {})
    elif deadline:
        try:
            day, month = (int(x) for x in deadline.replace("-", "/").split("/")[:2])
            datetime.date(2024, month, day)
            data["reporting"]["deadline"] = f"{month:02d}-{day:02d}"
        except ValueError:
            errors.append(_("Reporting deadline: “%(value)s” is not a day (dd/mm).") % {"value": deadline})
    if "quarterly" in data["reporting"]["periods"] and reporting.get("quarter_deadline"):
        data["reporting"]["quarter_deadline"] = reporting["quarter_deadline"]  # shown as read, kept as read
    leads = []
    for i, g in enumerate(extracted.get("task_groups") or []):
        lead = post.get(f"group-{i}-lead", "").strip()
        if g.get("group") in TaskGroupNumber.values:
            leads.append({**{k: v for k, v in g.items() if k not in _READING}, "lead": lead or None})
    data["task_groups"] = leads
    return data, errors


def _quarter_shown(reporting: dict) -> str:
    """The quarterly report's deadline as the plan words it ("trước ngày 20 của tháng cuối quý")."""
    quarter = reporting.get("quarter_deadline") or {}
    rule = ReportingRule(period=ReportPeriod.QUARTERLY, quarter_month=quarter.get("month_of_quarter"),
                         deadline_day=quarter.get("day"), days_after_quarter_end=quarter.get("days_after_end"))
    return rule.deadline_phrase


def _deadline_shown(reporting: dict) -> str:
    deadline = reporting.get("deadline") or ""
    return f"{deadline[3:5]}/{deadline[0:2]}" if len(deadline) == 5 else ""


def indicator_choices():
    return list(Indicator.objects.order_by("position").values_list("code", "label_vi", "label_en"))


def period_labels() -> dict:
    return dict(ReportPeriod.choices)


def apply_post(result: Review, post) -> Review:
    """Show the user's own answers again after a problem, instead of the extraction."""
    doc = result.document
    for key in ("type", "number", "date", "issuer"):
        doc[key] = post.get(f"doc-{key}", doc[key])
    for name, items, fields in (
        ("basis", result.basis, ["number", "date"]),
        ("phase", result.phases, ["start", "end"]),
        ("threshold", result.thresholds, ["op", "pct"]),
        ("baseline", result.baselines, ["indicator", "value", "members"]),
        ("target", result.targets, ["indicator", "year", "op", "value", "value_max"]),
    ):
        for i, item in enumerate(items):
            prefix = f"{name}-{i}"
            item["keep"] = post.get(f"{prefix}-keep") == "on"
            for f in fields:
                item[f] = post.get(f"{prefix}-{f}", item.get(f))
            if name == "target":
                item["cumulative"] = post.get(f"{prefix}-cumulative") == "on"
                item["per_subunit"] = post.get(f"{prefix}-per_subunit") == "on"
    result.reporting["periods"] = [p for p in PERIODS if post.get(f"reporting-{p}") == "on"]
    result.reporting["deadline"] = post.get("reporting-deadline", result.reporting.get("deadline"))
    for i, group in enumerate(result.task_groups):
        group["lead"] = post.get(f"group-{i}-lead", group["lead"])
    return result
