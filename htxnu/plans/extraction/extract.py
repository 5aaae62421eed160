"""Assemble the plan-import dict from the rules of the other modules.

Output: the plan-gold format (see shared/plan-gold) plus

- ``evidence`` {"text", "start", "end"} on every basis entry, threshold,
  baseline, target and task group: the sentence (or table row) the item came
  from, whitespace-collapsed and without markup, and its character offsets
  in the NFC-normalised input (``read_document`` already returns NFC text);
  table targets add the ``column`` header;
- ``document.evidence`` for number, date and issuer, ``phases_evidence``
  (one per phase) and ``reporting.evidence``; ``reporting.deadlines`` when
  the plan sets different deadlines for different reports;
- ``document.inferred`` when a plan without a number cites itself;
- ``task_groups`` [{group, title, lead, partners, time_frame, evidence}];
- ``warnings``: Vietnamese sentences telling the officer what to check.

A text is refused with ``NotAPlan`` when it is empty, when its title says it
is another kind of document (invitation, notice, report, …) and no plan is
attached (a resolution or a directive only when it sets no target of the
catalogue: a party committee's Nghị quyết often sets the Đề án's targets
itself), when it never speaks of cooperatives and women, or when nothing
plan-like (targets, phases, baselines) can be taken from it.
"""
from __future__ import annotations

import re

from .errors import NotAPlan
from .metadata import basis, document_date, document_number, document_type, issuer_and_unit, self_citation
from .schedule import grouped_phases, phases, reporting
from .structure import Document
from .tables import extract_table_targets
from .targets import Plan, extract_sentence_targets, settle_thresholds, target_key
from .tasks import task_groups
from .text import fold, nfc

_NOT_PLAN_TYPES = {
    "GM": "giấy mời", "TB": "thông báo", "BC": "báo cáo", "CV": "công văn", "TTr": "tờ trình",
    "NQ": "nghị quyết", "CT": "chỉ thị", "CĐ": "công điện", "HD": "hướng dẫn",
}
# A party resolution (Nghị quyết), a directive (Chỉ thị) or an action programme may set the Đề án's targets
# itself; it is read like a plan when it does, and refused as what it is when it sets none.
_MAY_SET_TARGETS = {"NQ", "CT"}
_ADDITIVE = {"coops_new", "groups_new", "jobs_new_women", "training_classes",
             "jobs_coop_women", "jobs_group_women", "jobs_total_women"}


def _horizon(phase_list: list[list[int | None]]) -> tuple[int | None, bool]:
    ends = [p[1] for p in phase_list if p[1] is not None]
    if not ends:
        return None, False
    annual = len(phase_list) == 1 and phase_list[0][0] == phase_list[0][1]
    return max(ends), annual


def _refuse_type(doc_type: str) -> NotAPlan:
    return NotAPlan(
        f"Văn bản này là {_NOT_PLAN_TYPES[doc_type]}, không phải kế hoạch thực hiện Đề án 01. "
        "Hãy tải lên văn bản Kế hoạch (có mục tiêu, chỉ tiêu)."
    )


def _check_genre(folded: str, doc_type: str | None, lines) -> None:
    if doc_type in _NOT_PLAN_TYPES and doc_type not in _MAY_SET_TARGETS:
        attached = any(line.kind == "body" and line.folded_content.strip(" .:") == "ke hoach" for line in lines[5:])
        if not attached:
            raise _refuse_type(doc_type)
    has_coops = re.search(r"hop tac xa|\bhtx\b|to hop tac", folded)
    has_women = re.search(r"phu nu|lao dong nu|\bhlhpn\b|\blhpn\b", folded)
    if not (has_coops and has_women):
        raise NotAPlan(
            "Văn bản không nói về Đề án 01 (hỗ trợ hợp tác xã do phụ nữ tham gia quản lý, tạo việc làm "
            "cho lao động nữ), nên không trích xuất được kế hoạch."
        )


def _sum_warnings(targets: list[dict], phase_list: list[list[int | None]]) -> list[str]:
    warnings = []
    for start, end in phase_list:
        if end is None:
            continue
        for indicator in sorted({t["indicator"] for t in targets} & _ADDITIVE):
            total = [t for t in targets if t["indicator"] == indicator and t.get("year") == end
                     and t.get("cumulative") and not t.get("per_subunit")]
            yearly = [t for t in targets if t["indicator"] == indicator and not t.get("cumulative")
                      and not t.get("per_subunit") and t.get("year") is not None
                      and (start is None or t["year"] >= start) and t["year"] <= end]
            if not total or len({t["year"] for t in yearly}) < 2:
                continue
            low = sum(t["value"][0] if isinstance(t["value"], list) else t["value"] for t in yearly)
            goal = total[0]["value"]
            lo, hi = (goal if isinstance(goal, list) else (goal, goal))
            if total[0]["op"] in (">=", ">"):
                hi = float("inf")
            if not lo <= low <= hi:
                shown = f"{goal[0]}–{goal[1]}" if isinstance(goal, list) else goal
                warnings.append(
                    f"Tổng chỉ tiêu từng năm của “{indicator}” ({low:g}) không khớp chỉ tiêu đến năm {end} ({shown})."
                )
    return warnings


def extract_plan(text: str, source: str | None = None) -> dict:
    """Extract a Đề án 01 plan from its text; see the module docstring for the output."""
    if text is None or not text.strip():
        raise NotAPlan("Văn bản trống: không có nội dung để trích xuất.")
    source_text = nfc(text)
    doc = Document.parse(source_text)
    lines = doc.lines
    doc_type, _ = document_type(lines)
    number, number_ev = document_number(lines)
    if number and "/" in number:
        # The number's code names the type, or refines the type line's ("CHƯƠNG TRÌNH PHỐI HỢP", 03/CTrPH-…).
        code = number.split("/")[-1].split("-")[0]
        if doc_type is None or (code.startswith(doc_type) and code[len(doc_type):].isupper()):
            doc_type = code or doc_type
    _check_genre(fold(source_text), doc_type, lines)

    date, place, date_ev = document_date(lines)
    unit, issuer, issuer_ev = issuer_and_unit(lines, number, place)
    phase_list, phase_ev = phases(lines)
    # Targets without a year of their own take the end of the phases the plan states.
    horizon, annual = _horizon(phase_list)
    plan = Plan(horizon=horizon, annual=annual)

    found = extract_sentence_targets(lines, plan)
    table_targets, table_thresholds, table_warnings = extract_table_targets(lines, plan)
    thresholds = settle_thresholds(found.thresholds + table_thresholds)
    targets = list(found.targets)
    seen = {target_key(t) for t in targets}
    for t in table_targets:
        if target_key(t) not in seen:
            seen.add(target_key(t))
            targets.append(t)
    if not targets and doc_type in _MAY_SET_TARGETS:
        raise _refuse_type(doc_type)
    phase_list, phase_ev = grouped_phases(lines, phase_list, phase_ev, targets)
    if not targets and not phase_list and not found.baselines:
        raise NotAPlan(
            "Không tìm thấy mục tiêu, chỉ tiêu hay giai đoạn thực hiện nào trong văn bản, "
            "nên không nhận diện được đây là kế hoạch thực hiện Đề án 01."
        )

    inferred = self_citation(lines, issuer) if number is None else None
    own = {fold(n) for n in (number, inferred and inferred["number"]) if n}
    warnings: list[str] = []
    if number is None:
        if inferred:
            y, mo, d = (inferred.get("date") or "--").split("-")
            when = f" ngày {d}/{mo}/{y}" if inferred.get("date") else ""
            warnings.append(f"Văn bản không ghi số hiệu ở phần đầu; theo nội dung, có thể là Kế hoạch số "
                            f"{inferred['number']}{when}. Cần kiểm tra lại.")
        else:
            warnings.append("Không tìm thấy số hiệu văn bản (dòng “Số: …”).")
    if date is None:
        warnings.append("Không tìm thấy ngày ban hành (dòng “…, ngày … tháng … năm …”).")
    if issuer is None:
        warnings.append("Không xác định được cơ quan ban hành kế hoạch.")
    if unit.get("name") is None:
        warnings.append("Không xác định được địa bàn (đơn vị hành chính) của kế hoạch.")
    if not phase_list:
        warnings.append("Không xác định được giai đoạn thực hiện; các chỉ tiêu không ghi năm sẽ không có năm.")
    report = reporting(lines)
    if not report["periods"]:
        warnings.append("Không tìm thấy quy định về kỳ báo cáo (6 tháng, năm, …).")
    if report["deadline"] is None:
        warnings.append("Không tìm thấy hạn gửi báo cáo.")
    if "deadlines" in report:
        shown = ", ".join(f"{d[3:]}/{d[:2]}" for d in sorted(set(report["deadlines"].values())))
        warnings.append(f"Kế hoạch nêu nhiều hạn báo cáo ({shown}); đã lấy hạn của báo cáo năm. Cần kiểm tra.")
    if len(thresholds) > 1:
        shown = ", ".join(f"{t['op']}{t['pct']:g}%" for t in thresholds)
        warnings.append(f"Kế hoạch nêu nhiều ngưỡng tỷ lệ lao động nữ ({shown}); cần chọn ngưỡng áp dụng.")
    if not targets:
        warnings.append("Không tìm thấy chỉ tiêu định lượng nào.")
    warnings.extend(found.warnings)
    warnings.extend(table_warnings)
    warnings.extend(_sum_warnings(targets, phase_list))

    document = {
        "type": doc_type or "KH",
        "number": number,
        "date": date,
        "issuer": issuer,
        "unit": unit,
    }
    if inferred:
        document["inferred"] = inferred
    document["evidence"] = {"number": number_ev, "date": date_ev, "issuer": issuer_ev}
    return {
        "source": source,
        "document": document,
        "basis": basis(lines, own),
        "phases": phase_list,
        "female_share_thresholds": thresholds,
        "baselines": found.baselines,
        "targets": targets,
        "task_groups": task_groups(lines),
        "reporting": report,
        "warnings": warnings,
        "phases_evidence": phase_ev,
    }
