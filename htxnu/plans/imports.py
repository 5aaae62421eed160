"""The plan-import review: what the extractor read, laid out item by item for the user
to confirm or fix, and the user's answer turned back into the plan-import format.

Every extracted item (the document's number, date and issuer; each basis document,
phase, threshold, baseline, target; the reporting rule; the lead agency of each task
group) is shown beside the sentence it came from, with its fields editable and a
"keep" box. Only kept items reach services.plan_create_from_extraction, which
validates them again and saves them in one transaction.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from htxnu.geo.models import AdminUnit

from .models import Indicator, Op, ReportPeriod, TaskGroupNumber
from .selectors import find_unit

OPS = [(">=", "≥"), (">", ">"), ("=", "="), ("~", "≈"), ("between", _("from … to"))]
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
    for fmt in ("%d/%m/%Y", "%d-%m-%Y", "%Y-%m-%d"):
        try:
            return datetime.datetime.strptime(value, fmt).date().isoformat()
        except ValueError:
            continue
    errors.append(_("%(where)s: “%(value)s” is not a date (dd/mm/yyyy).") % {"where": where, "value": value})
    return None


def _number(value: str, where: str, errors: list[str], *, required: bool = True):
    text = (value or "").strip().replace(" ", "")
    if not text:
        if required:
            errors.append(_("%(where)s: a number is needed.") % {"where": where})
        return None
    # Vietnamese numbers: 1.500 is fifteen hundred, 12,5 is twelve and a half.
    if "," in text:
        text = text.replace(".", "").replace(",", ".")
    elif text.count(".") == 1 and len(text.split(".")[1]) == 3:
        text = text.replace(".", "")
    try:
        number = Decimal(text)
    except InvalidOperation:
        errors.append(_("%(where)s: “%(value)s” is not a number.") % {"where": where, "value": value})
        return None
    return int(number) if number == number.to_integral_value() else float(number)


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
    detected_unit: AdminUnit | None
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


def review(extracted: dict) -> Review:
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
            "evidence": {key: (value or {}).get("text", "") if isinstance(value, dict) else str(value)
                         for key, value in doc_evidence.items()},
        },
        detected_unit=detect_unit(extracted),
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
        {"op": t.get("op", ">"), "pct": t.get("pct"), "evidence": _evidence(t), "keep": True}
        for t in extracted.get("female_share_thresholds") or []
    ]
    result.baselines = [
        {"indicator": b.get("indicator"), "value": b.get("value"), "members": b.get("members") or "",
         "evidence": _evidence(b), "keep": True}
        for b in extracted.get("baselines") or []
    ]
    for t in extracted.get("targets") or []:
        value = t.get("value")
        low, high = (value[0], value[1]) if isinstance(value, list) else (value, "")
        result.targets.append({
            "indicator": t.get("indicator"), "year": t.get("year") or "", "cumulative": bool(t.get("cumulative")),
            "op": t.get("op", "="), "value": low, "value_max": high, "per_subunit": bool(t.get("per_subunit")),
            "keep": not t.get("optional"), "evidence": _evidence(t),
        })
    reporting = extracted.get("reporting") or {}
    deadline = reporting.get("deadline") or ""
    result.reporting = {
        "periods": list(reporting.get("periods") or []),
        "deadline": f"{deadline[3:5]}/{deadline[0:2]}" if len(deadline) == 5 else "",
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
    problems found (each says which item)."""
    errors: list[str] = []
    codes = set(Indicator.objects.values_list("code", flat=True))

    def kept(prefix: str) -> bool:
        return post.get(f"{prefix}-keep") == "on"

    document = {
        "type": post.get("doc-type", "KH").strip() or "KH",
        "number": post.get("doc-number", "").strip() or None,
        "date": _display_to_iso(post.get("doc-date", ""), _("Document date"), errors),
        "issuer": post.get("doc-issuer", "").strip() or None,
        "title": (extracted.get("document") or {}).get("title") or "",
    }
    data: dict = {"source": extracted.get("source"), "document": document, "basis": [], "phases": [],
                  "female_share_thresholds": [], "baselines": [], "targets": [], "reporting": {}}

    for i in range(len(extracted.get("basis") or [])):
        prefix = f"basis-{i}"
        if kept(prefix) and post.get(f"{prefix}-number", "").strip():
            where = _("Basis document %(n)s") % {"n": i + 1}
            data["basis"].append({"number": post[f"{prefix}-number"].strip(),
                                  "date": _display_to_iso(post.get(f"{prefix}-date", ""), where, errors)})
    for i in range(len(extracted.get("phases") or [])):
        prefix = f"phase-{i}"
        if kept(prefix):
            where = _("Phase %(n)s") % {"n": i + 1}
            start = _number(post.get(f"{prefix}-start", ""), where, errors, required=False)
            end = _number(post.get(f"{prefix}-end", ""), where, errors)
            data["phases"].append([start, end])
    for i in range(len(extracted.get("female_share_thresholds") or [])):
        prefix = f"threshold-{i}"
        if kept(prefix):
            where = _("Female-labour threshold %(n)s") % {"n": i + 1}
            data["female_share_thresholds"].append({
                "op": post.get(f"{prefix}-op", ">"), "pct": _number(post.get(f"{prefix}-pct", ""), where, errors),
            })
    for i in range(len(extracted.get("baselines") or [])):
        prefix = f"baseline-{i}"
        if kept(prefix):
            where = _("Baseline %(n)s") % {"n": i + 1}
            data["baselines"].append({
                "indicator": post.get(f"{prefix}-indicator"),
                "value": _number(post.get(f"{prefix}-value", ""), where, errors),
                "members": _number(post.get(f"{prefix}-members", ""), where, errors, required=False),
            })
    for i in range(len(extracted.get("targets") or [])):
        prefix = f"target-{i}"
        if not kept(prefix):
            continue
        where = _("Target %(n)s") % {"n": i + 1}
        code = post.get(f"{prefix}-indicator", "")
        if code not in codes:
            errors.append(_("%(where)s: choose an indicator.") % {"where": where})
            continue
        op = post.get(f"{prefix}-op", "=")
        low = _number(post.get(f"{prefix}-value", ""), where, errors)
        value = low
        if op == Op.BETWEEN or op == "between":
            value = [low, _number(post.get(f"{prefix}-value_max", ""), where, errors)]
        year = _number(post.get(f"{prefix}-year", ""), where, errors, required=False)
        data["targets"].append({
            "indicator": code, "year": year, "cumulative": post.get(f"{prefix}-cumulative") == "on" and bool(year),
            "op": op, "value": value, "per_subunit": post.get(f"{prefix}-per_subunit") == "on",
            "wording": _evidence((extracted.get("targets") or [])[i])[:500],
        })
    periods = [p for p in PERIODS if post.get(f"reporting-{p}") == "on"]
    deadline = post.get("reporting-deadline", "").strip()
    if deadline:
        try:
            day, month = (int(x) for x in deadline.replace("-", "/").split("/")[:2])
            datetime.date(2024, month, day)
            deadline = f"{month:02d}-{day:02d}"
        except ValueError:
            errors.append(_("Reporting deadline: “%(value)s” is not a day (dd/mm).") % {"value": deadline})
            deadline = ""
    data["reporting"] = {"periods": periods, "deadline": deadline or None}
    leads = []
    for i, g in enumerate(extracted.get("task_groups") or []):
        lead = post.get(f"group-{i}-lead", "").strip()
        if g.get("group") in TaskGroupNumber.values:
            leads.append({**{k: v for k, v in g.items() if k != "evidence"}, "lead": lead or None})
    data["task_groups"] = leads
    return data, errors


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
