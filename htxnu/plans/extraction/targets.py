"""Targets, baselines and female-share thresholds written in sentences.

Where targets are read.  In the objectives section ("MỤC TIÊU", "CHỈ TIÊU")
and under a year heading anywhere ("1. Năm 2023:"), every quantity with a
known unit and action is a target.  In the other working sections (tasks,
organisation, text before the first heading) a quantity is a target only when
it is qualified ("ít nhất 50%", "trên 50%", "khoảng 05", a range) or set per
sub-unit: plans restate routine duties there ("hướng dẫn … 100% hợp tác xã")
that are not targets.  Purpose, target groups, time frame, funding and the
list of recipients never hold targets.

Years.  A target takes, in this order: the last year phrase before it in its
sentence ("Đến năm 2030, …" → 2030 cumulative; "Năm 2026 …" → 2026 for that
year only), a year phrase right after it ("05 HTX vào năm 2025"), the year
heading above it, or else the plan's horizon (the end of its last phase),
cumulative unless the plan covers a single year.  "Hằng năm"/"mỗi năm"
before a target (nearer it than any year phrase: "Giai đoạn 2026 - 2030, mỗi
năm thành lập 02 HTX"), right after it ("02 HTX mỗi năm") or "02 HTX/năm"
makes it a yearly target with no year, which does not add up.

Per sub-unit.  "Mỗi huyện, thị xã, thành phố … ít nhất 01 HTX", "bình quân
mỗi xã …" or "01 HTX/xã" mark a target that every sub-unit must reach.

Sentences with two numbers are split by their nouns: "ít nhất 13 hợp tác xã,
12 tổ hợp tác" gives two targets sharing the action before them and the
qualifier of the first; "200 thành viên, lao động nữ trong hợp tác xã, 250 lao
động nữ trong tổ hợp tác" gives jobs in cooperatives and jobs in groups.

Distractors dropped: decree and plan numbers and dates (they touch "/"),
rates ("15 LĐ/hợp tác xã", "02 năm/lần"), years, counts of other things
("6 tháng", "03 sản phẩm OCOP"), results already reached ("đã hỗ trợ thành
lập 27 HTX"), breakdowns of the number before ("03 HTX (trong đó có 01 HTX
…)"; but a breakdown that names another indicator of the catalogue sets it,
in either word order: "95 lao động nữ; trong đó khoảng 15 lao động nữ có việc
làm mới" → new jobs, the sentence's year), base years ("so với năm 2023"), and the female-share threshold ("trên
70% lao động hợp tác xã là nữ", "có tối thiểu 50% lao động nữ", "lao động nữ
≥ 70%", also inside a definition in brackets or a table row's name), which
is returned as a threshold.  Its ``applies_to`` is "target_group" when it is
written where the plan says whom it serves (target groups, "Phạm vi, đối
tượng", purpose) and "targets" otherwise; only the first "targets" one keeps
it (the registry's eligibility uses one).  A plan whose only threshold
describes whom it serves keeps that one for the targets: it is the plan's
rule for "creates many jobs for women" (Quảng Ngãi's "Đối tượng" section, as
the seeds' gold is read).  A count
whose unit is known but whose action is not ("cho lãnh đạo của 30 HTX") is
not guessed: it becomes a warning.

Baselines.  In footnotes, and in sentences that describe the present ("Hiện
nay", "Đến thời điểm 30/12/2022", "toàn tỉnh có") before any action, counts of
cooperatives and groups are baselines (``coops_supported``,
``groups_supported``), with "với 135 thành viên" as members and the date as
``as_of``; so are the counts in a bracket that describes the present ("…
cho 100% HTX, THT … (hiện có 05 HTX, 14 THT)", "(năm 2022 có …)", "(tính
đến 31/12/2022 có …)").  The description runs from its cue, over ";", to the first action:
in "củng cố 20 HTX … hiện có; thành lập mới 05 HTX; 100% nữ quản lý HTX được
đào tạo" every clause after the cue is a target of its own.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from .quantities import Quantity, find_quantities
from .structure import EVERY_YEAR, Line, inline_years
from .text import (
    DATE_RE,
    SHORT_DATE_RE,
    blank_matches,
    clause_spans,
    iso_date,
    parse_number,
    sentence_spans,
    without_titles,
)
from .vocab import (
    ACTIONS,
    BASELINE_CUE,
    BASELINE_INDICATORS,
    BASELINE_MEMBERS,
    CERTIFY,
    DESCRIPTORS,
    DIGITAL,
    ECOMMERCE,
    GOVERNANCE,
    JOBS,
    JOBS_NEW,
    JOBS_STABLE,
    PER_SUBUNIT,
    SKILL,
    STRONG_OPS,
    THRESHOLD_AFTER,
    THRESHOLD_BEFORE,
    THRESHOLD_HAVE,
    THRESHOLD_HAVE_AFTER,
    TRAIN,
    VOCATIONAL,
)

FULL_ZONES = {"objectives", "appendix"}
# Only "đến/vào/trong năm …" after a number gives it a year ("05 HTX vào năm 2025").
_AFTER_YEAR = re.compile(r"(?:den|toi|vao|trong|giai doan)\b")
_EVERY_YEAR_AFTER = re.compile(r"[^,;.()\d]{0,40}?\b(?:hang|moi) nam\b")
# A threshold written where the plan describes whom it serves describes the target group.
_GROUP_ZONES = {"subjects", "purpose"}
NO_TARGET_ZONES = {"purpose", "situation", "subjects", "time", "funding", "recipients"}
# "đã hỗ trợ thành lập 27 HTX": a result already reached, not a target.
_PAST = re.compile(
    r"\bda\s+(?:duoc\s+)?(?:ho tro|thanh lap|cung co|tao|giai quyet|to chuc|dao tao|tap huan|van dong|xay dung)"
)
# "(trong đó có 01 HTX …)", ", trong đó có ít nhất 06 HTX …", "; trong số đó …" break down the number before
# them: a quantity there is a target only when the breakdown itself names another indicator of the catalogue
# ("95 lao động nữ; trong đó khoảng 15 lao động nữ có việc làm mới").
_BREAKDOWN = re.compile(r"\(\s*(?:trong (?:so )?do|gom|bao gom)\b[^()]*$|(?:[,;]|^)\s*trong (?:so )?do\b[^()]*$")
_HAVE_JOBS = re.compile(r"[^,;.()\d]{0,12}?\b(?:co|duoc tao|duoc giai quyet)\s+viec lam\b([^,;.()\d]{0,20})")
_COOP_LOC = re.compile(r"(?<!to )\b(?:hop tac xa|htx)\b")
_GROUP_LOC = re.compile(r"\b(?:to hop tac|tht|to lien ket)\b")


@dataclass
class Plan:
    """What the rest of the plan tells target extraction."""

    horizon: int | None
    annual: bool


@dataclass
class SentenceResult:
    targets: list[dict] = field(default_factory=list)
    baselines: list[dict] = field(default_factory=list)
    thresholds: list[dict] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def _threshold_spans(line: Line, folded: str, result: SentenceResult) -> list[tuple[int, int]]:
    spans = []
    for q in find_quantities(folded, 0, len(folded)):
        if not q.pct or q.op == "between":
            continue
        after, before = folded[q.end:q.end + 80], folded[max(0, q.start - 40):q.start]
        if THRESHOLD_AFTER.match(after) or THRESHOLD_BEFORE.search(before) or (
                THRESHOLD_HAVE.search(before) and THRESHOLD_HAVE_AFTER.match(after)):
            spans.append((q.start, q.end))
            result.thresholds.append({
                "op": q.op if q.explicit else ">=",
                "pct": q.value,
                "applies_to": "target_group" if line.zone in _GROUP_ZONES else "targets",
                "evidence": line.evidence(*_sentence_of(line, q.start)),
            })
    return spans


def _sentence_of(line: Line, at: int) -> tuple[int, int]:
    for a, b in sentence_spans(line.text):
        if a <= at < b:
            return a, b
    return 0, len(line.text)


def _nearest_action(acts: str, start: int, q: Quantity) -> str | None:
    """The action before the quantity in its clause, else the first one after it
    before the next quantity ("20 HTX … được củng cố")."""
    best: tuple[int, str] | None = None
    for name, pattern in ACTIONS.items():
        for m in pattern.finditer(acts, start, q.start):
            if best is None or m.start() > best[0]:
                best = (m.start(), name)
    if best:
        return best[1]
    following = [(m.start(), name) for name, p in ACTIONS.items() for m in p.finditer(acts, q.unit_end, q.tail_end)]
    return min(following)[1] if following else None


def _jobs_kind(acts: str, clause: tuple[int, int], q: Quantity, quantities: list[Quantity],
               sentence_start: int | None = None) -> str | None:
    keywords = list(JOBS.finditer(acts, clause[0], q.start))
    # "15 lao động nữ có việc làm mới": the jobs named right after the people.
    after = _HAVE_JOBS.match(acts, q.unit_end, q.tail_end)
    if not keywords and after:
        return "new" if JOBS_NEW.search(after.group(1)) else "stable"
    for kw in reversed(keywords):
        between = [o for o in quantities if kw.end() <= o.start < q.start]
        if all(o.unit == "worker" and not o.pct for o in between):
            first = min([o.start for o in quantities if o.start >= kw.end()], default=q.start)
            around = acts[max(clause[0], kw.start() - 12):min(first, kw.end() + 40)]
            if JOBS_STABLE.search(around):
                return "stable"
            scope = clause[0] if sentence_start is None else sentence_start
            if JOBS_NEW.search(around) or ACTIONS["found"].search(acts, scope, kw.start()):
                return "new"
            return "stable"
    return None


def classify(acts: str, clause: tuple[int, int], q: Quantity, quantities: list[Quantity],
             sentence_start: int | None = None) -> list[str]:
    """Indicator codes for quantity ``q`` of a clause (empty when none fits)."""
    idx = quantities.index(q)
    win_start = quantities[idx - 1].unit_end if idx else clause[0]
    window = acts[win_start:q.tail_end]
    units = q.units
    if q.pct:
        found = []
        if units & {"coop", "group"} and ACTIONS["consolidate"].search(window):
            found.append("coops_groups_consolidated_pct")
        if "manager" in units:
            if CERTIFY.search(window):
                found.append("managers_certified_pct")
            elif DIGITAL.search(window) and not GOVERNANCE.search(window):
                found.append("managers_digital_trained_pct")
            elif TRAIN.search(window):
                found.append("managers_trained_pct")
        if "cadre" in units:
            if SKILL.search(window):
                found.append("cadres_skilled_pct")
            elif TRAIN.search(window):
                found.append("cadres_trained_pct")
        if "worker" in units:
            if VOCATIONAL.search(window):
                found.append("members_vocational_pct")
            if ECOMMERCE.search(window):
                found.append("members_ecommerce_pct")
        return found
    if units == {"coop", "group"}:
        return []
    if q.unit in ("coop", "group"):
        action = _nearest_action(acts, clause[0], q)
        kind = {"consolidate": "consolidated", "found": "new"}.get(action or "")
        return [f"{'coops' if q.unit == 'coop' else 'groups'}_{kind}"] if kind else []
    if q.unit == "class":
        return ["training_classes"]
    if q.unit == "worker":
        kind = _jobs_kind(acts, clause, q, quantities, sentence_start)
        if kind == "new":
            return ["jobs_new_women"]
        if kind == "stable":
            tail = acts[q.unit_end:q.tail_end]
            coop, group = bool(_COOP_LOC.search(tail)), bool(_GROUP_LOC.search(tail))
            if coop and not group:
                return ["jobs_coop_women"]
            if group and not coop:
                return ["jobs_group_women"]
            return ["jobs_total_women"]
    return []


def _year_for(folded: str, sentence: tuple[int, int], clause: tuple[int, int], q: Quantity,
              line: Line, plan: Plan) -> tuple[int | None, bool]:
    before = inline_years(folded, sentence[0], q.start)
    # "hằng năm"/"mỗi năm" nearer the target than any year phrase ("Giai đoạn 2026 - 2030, mỗi năm
    # thành lập 02 HTX"), right after it ("02 HTX mỗi năm") or "02 HTX/năm": each year, not to a year.
    every = [m.start() for m in EVERY_YEAR.finditer(folded, clause[0], q.start)]
    if q.per_year or (every and (not before or every[-1] > before[-1][0])) \
            or _EVERY_YEAR_AFTER.match(folded, q.unit_end, q.tail_end):
        return None, False
    if before:
        return before[-1][2], before[-1][3]
    after = [y for y in inline_years(folded, q.unit_end, q.tail_end)
             if y[0] - q.unit_end < 30 and _AFTER_YEAR.match(folded, y[0])]
    if after:
        return after[0][2], after[0][3]
    if line.year_ctx is not None:
        return line.year_ctx
    return plan.horizon, not plan.annual


def _baseline(line: Line, acts: str, folded: str, sentence: tuple[int, int], q: Quantity) -> dict | None:
    indicator = BASELINE_INDICATORS.get(q.unit or "")
    if indicator is None or q.pct or q.op == "between" or len(q.units) > 1:
        return None
    item: dict = {"indicator": indicator, "value": q.value}
    members = BASELINE_MEMBERS.match(acts[q.unit_end:])
    if members:
        item["members"] = parse_number(members.group(1))
    text = folded[sentence[0]:sentence[1]]
    date = DATE_RE.search(text) or SHORT_DATE_RE.search(text)
    if date:
        as_of = iso_date(*date.groups())
        if as_of:
            item["as_of"] = as_of
    item["evidence"] = line.evidence(*sentence)
    return item


# "(hiện có 05 HTX, 14 THT)", "(năm 2022 có …)", "(tính đến 31/12/2022 có …)": a bracket describing the present.
_PRESENT_BRACKET = re.compile(
    r"\(\s*(?:" + BASELINE_CUE.pattern + r"|(?:tinh den\s+|den\s+)?(?:het\s+)?nam\s+\d{4}[^()]{0,30}?\bco\b)"
)


def _in_present_bracket(folded: str, start: int, at: int) -> bool:
    """Whether position ``at`` lies in a bracket, opened after ``start``, that describes the present."""
    depth, opening = 0, None
    for i in range(at - 1, start - 1, -1):
        if folded[i] == ")":
            depth += 1
        elif folded[i] == "(":
            if depth == 0:
                opening = i
                break
            depth -= 1
    return opening is not None and bool(_PRESENT_BRACKET.match(folded, opening))


def _mode(line: Line) -> str | None:
    if line.zone in NO_TARGET_ZONES:
        return None
    if line.zone in FULL_ZONES or line.in_year_block:
        return "full"
    return "strict"


def extract_from_line(line: Line, plan: Plan) -> SentenceResult:
    result = SentenceResult()
    if line.zone == "recipients" and line.kind != "footnote":
        return result
    folded = without_titles(line.folded)
    if line.kind == "table":
        # A row's name may carry the share ("Số HTX có trên 50% lao động nữ …"); its targets are ``tables``'.
        _threshold_spans(line, folded, result)
        return result
    acts = blank_matches(folded, DESCRIPTORS)
    thresholds = _threshold_spans(line, folded, result)
    mode = None if line.kind == "footnote" else _mode(line)
    for sentence in sentence_spans(line.text):
        cue = BASELINE_CUE.search(acts, sentence[0], sentence[1])
        named: set[str] = set()  # the indicators this sentence has set, which a breakdown does not set again
        for clause in clause_spans(line.text, *sentence):
            quantities = [q for q in find_quantities(folded, *clause)
                          if not any(a <= q.start < b for a, b in thresholds)]
            for q in quantities:
                if q.unit is None or q.rate:
                    continue
                # A description of the present runs from its cue to the first action: "Hiện nay có
                # 14 HTX; 22 THT" are baselines, but in "củng cố 20 HTX hiện có; thành lập 05 HTX; 100%
                # nữ quản lý …" the clauses after an action are targets, each of its own.
                # A bracket describing the present ("… 100% HTX (hiện có 05 HTX, 14 THT)") is one too.
                is_baseline = line.kind == "footnote" or (
                    cue is not None and cue.start() < q.start
                    and not any(p.search(acts, min(clause[0], cue.end()), q.start) for p in (*ACTIONS.values(), JOBS))
                ) or _in_present_bracket(folded, sentence[0], q.start)
                if is_baseline:
                    item = _baseline(line, acts, folded, sentence, q)
                    if item:
                        result.baselines.append(item)
                    continue
                if mode is None:
                    continue
                per_subunit = q.per_unit or bool(PER_SUBUNIT.search(acts, clause[0], q.start))
                if mode == "strict" and q.op not in STRONG_OPS and not per_subunit:
                    continue
                if _PAST.search(folded, sentence[0], q.start):
                    continue
                breakdown = _BREAKDOWN.search(folded, clause[0], q.start)
                if breakdown:
                    part = (breakdown.start(), clause[1])
                    indicators = [i for i in classify(acts, part, q, quantities, part[0]) if i not in named]
                else:
                    indicators = classify(acts, clause, q, quantities, sentence[0])
                named.update(indicators)
                if not indicators:
                    if q.unit in ("coop", "group") or (q.pct and q.people):
                        shown = line.text[q.start:q.unit_end].strip()
                        context = _short(line.text[sentence[0]:sentence[1]])
                        result.warnings.append(f"Chưa xác định được chỉ tiêu cho “{shown}” trong câu: “{context}”.")
                    continue
                year, cumulative = _year_for(folded, sentence, clause, q, line, plan)
                for indicator in indicators:
                    target = {"indicator": indicator, "year": year, "cumulative": cumulative,
                              "op": q.op, "value": q.value}
                    if per_subunit:
                        target["per_subunit"] = True
                    target["evidence"] = line.evidence(*sentence)
                    result.targets.append(target)
    return result


def _short(text: str, limit: int = 160) -> str:
    text = text.strip()
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


def target_key(t: dict) -> tuple:
    value = tuple(t["value"]) if isinstance(t["value"], list) else t["value"]
    return (t["indicator"], t.get("year"), bool(t.get("cumulative")), t["op"], value, bool(t.get("per_subunit")))


def extract_sentence_targets(lines: list[Line], plan: Plan) -> SentenceResult:
    total = SentenceResult()
    seen_targets: set[tuple] = set()
    seen_thresholds: set[tuple] = set()
    seen_baselines: set[tuple] = set()
    for line in lines:
        part = extract_from_line(line, plan)
        for t in part.targets:
            if target_key(t) not in seen_targets:
                seen_targets.add(target_key(t))
                total.targets.append(t)
        for t in part.thresholds:
            key = (t["op"], float(t["pct"]))
            if key not in seen_thresholds:
                seen_thresholds.add(key)
                total.thresholds.append(t)
        for b in part.baselines:
            key = (b["indicator"], b["value"])
            if key not in seen_baselines:
                seen_baselines.add(key)
                total.baselines.append(b)
        total.warnings.extend(w for w in part.warnings if w not in total.warnings)
    return total


def settle_thresholds(thresholds: list[dict]) -> list[dict]:
    """The plan's thresholds, sentences' and tables' alike, in the order written, once each; at most one
    counts against the targets: the first written outside the target group, else the first."""
    out: list[dict] = []
    for t in sorted(thresholds, key=lambda t: t["evidence"]["start"]):
        if (t["op"], float(t["pct"])) not in {(x["op"], float(x["pct"])) for x in out}:
            out.append(t)
    counting = next((t for t in out if t["applies_to"] == "targets"), None) or next(iter(out), None)
    for t in out:
        t["applies_to"] = "targets" if t is counting else "target_group"
    return out
