"""When the plan runs and how it is reported on: phases, report periods, deadline.

Phases, first rule that gives any:

1. listed phases, as items ("- Giai đoạn 1: Từ 2023 đến năm 2025", "Giai đoạn
   1: Đến hết năm 2025" → [null, 2025]) or inside the time-frame section
   ("… giai đoạn 1 từ năm 2023 đến hết năm 2025; giai đoạn 2 …");
2. the title's scope: "giai đoạn (2023- 2025)" → one phase, "năm 2025" → the
   single year [2025, 2025]; else the opening sentence's ("… ban hành Kế
   hoạch thực hiện Đề án giai đoạn 2024 - 2025 như sau:"); else the span of
   the scheme a decision approves, named in quotes in its title ("Phê duyệt
   Đề án “… giai đoạn 2023 - 2030”"), whatever the document type;
3. "từ năm A đến năm B" in the time-frame section;
4. the objectives' headings: "Đến năm 2025" then "Giai đoạn 2026 - 2030" →
   [[null, 2025], [2026, 2030]].

The phases are then refined by the spans the targets are grouped under ("Giai
đoạn A - B" heading a list or leading a sentence that sets a target): groups
that tile a phase replace it (2023–2030 set as
"Giai đoạn 2023 - 2025, …" and "Giai đoạn 2026 - 2030, …"), and a group
outside every phase is added ("giai đoạn 2023 - 2025 và định hướng đến năm
2030" with targets under "Định hướng giai đoạn 2026 - 2030:").  A span named
with no target under it (a phase II left for later) adds nothing.

Reporting.  Only sentences about reports count, read with parenthesised
asides set apart.  "6 tháng" → semiannual; "hằng năm", "01 năm", "6 tháng,
năm", "báo cáo năm" → annual; "hằng quý" → quarterly ("quy" of "quy định" is
not a quarter).  An ad-hoc report counts when the plan asks for one ("báo cáo
đột xuất khi có yêu cầu"), not in the stock duty "chế độ thông tin, báo cáo
định kỳ, đột xuất".  The deadline is "trước ngày 15/11", "trước 25 tháng 11",
"chậm nhất ngày 05/12" or, with a year, "trước ngày 25/11/2025" (kept as the
day and month: plans write this year's date for a yearly duty).  Each
deadline belongs to the report named right after it ("(báo cáo năm)", "đối
với báo cáo 6 tháng"), else to the period word nearest before it; a sentence listing its periods
and then as many deadlines ("6 tháng, năm … trước ngày 10 tháng 6 và trước
ngày 10 tháng 11") pairs them in order.  With several, the annual report's
is ``deadline`` and all are listed in ``deadlines``.  A quarterly deadline
relative to the quarter ("trước ngày 20 của tháng cuối quý", "vào ngày 18
tháng cuối quý") is ``quarter_deadline`` {"month_of_quarter": 3, "day": 20};
one counted from the quarter's end ("chậm nhất 05 ngày sau khi kết thúc quý")
is {"days_after_end": 5}.  A deadline followed by the report it is for
("trước ngày 10 tháng 6 đối với báo cáo 6 tháng") takes that report first.
"""
from __future__ import annotations

import re

from .metadata import issuing_sentence, title_line
from .structure import Document, Line
from .text import blank_parentheses, nfc, sentence_spans, without_titles
from .vocab import AD_HOC, DEADLINE, PERIODS, QUARTER_AFTER_END, QUARTER_DEADLINE, QUARTER_MONTHS, REPORT

# --- phases --------------------------------------------------------------------------

_PHASE_ITEM = re.compile(r"^giai doan\s*(?:1|2|3|i{1,3}|mot|hai|ba)\b\s*[:(,-]?\s*(.*)$")
_PHASE_INLINE = re.compile(r"\bgiai doan\s*(?:1|2|3|i{1,3}|mot|hai|ba)\b\s*[:(,-]?\s*([^;.]*)")
_FROM_TO = re.compile(
    r"(?:tu\s+)?(?:nam\s+)?(\d{4})\s*(?:[-–]\s*(?:den\s+)?|den\s+|toi\s+)(?:het\s+)?(?:nam\s+)?(\d{4})"
)
_UNTIL = re.compile(r"(?:den|toi)\s+(?:het\s+)?(?:nam\s+)?(\d{4})")


def _parse_phase(text: str) -> list[int | None] | None:
    m = _FROM_TO.search(text)
    if m and int(m.group(1)) <= int(m.group(2)):
        return [int(m.group(1)), int(m.group(2))]
    m = _UNTIL.search(text)
    if m:
        return [None, int(m.group(1))]
    return None


def phases(lines: list[Line]) -> tuple[list[list[int | None]], list[dict]]:
    listed: list[list[int | None]] = []
    evidence: list[dict] = []
    for line in lines:
        if line.kind != "body" or line.zone in ("recipients", "funding"):
            continue
        # Phase items open a line, or are listed inside the time-frame section.
        if _PHASE_ITEM.match(line.folded_content):
            # "Giai đoạn 1: … ; giai đoạn 2: …" may share the line.
            found = list(_PHASE_INLINE.finditer(line.folded, line.body_start))
        elif line.zone == "time":
            found = list(_PHASE_INLINE.finditer(line.folded))
        else:
            continue
        for m in found:
            phase = _parse_phase(m.group(1)) if m else None
            if phase and phase not in listed:
                listed.append(phase)
                evidence.append(line.evidence(m.start(), m.end()))
    if listed:
        return listed, evidence
    title = title_line(lines)
    if title is not None:
        scoped = without_titles(title.folded)
        m = _TITLE_SPAN.search(scoped) or re.search(r"(?<!\d)(\d{4})\s*[-–]\s*(\d{4})(?!\d)", scoped)
        if m:
            return [[int(m.group(1)), int(m.group(2))]], [title.evidence(m.start(), m.end())]
        m = re.search(r"(?<!den )(?<!toi )\bnam\s+(\d{4})\b", scoped)
        if m:
            year = int(m.group(1))
            return [[year, year]], [title.evidence(m.start(), m.end())]
    # "UBND thị xã … ban hành Kế hoạch thực hiện Đề án giai đoạn 2024 - 2025 như sau:"
    issuing = issuing_sentence(lines)
    if issuing:
        line, _, verb = issuing
        scoped = without_titles(line.folded)
        m = _TITLE_SPAN.search(scoped, verb, _sentence_end(line, verb))
        if m:
            return [[int(m.group(1)), int(m.group(2))]], [line.evidence(m.start(), m.end())]
    # A decision approving a scheme names the scheme's span in its quoted name:
    # Phê duyệt Đề án "Hỗ trợ hợp tác xã … trên địa bàn tỉnh X giai đoạn 2023 - 2030".
    if title is not None:
        m = _TITLE_SPAN.search(title.folded)
        if m:
            return [[int(m.group(1)), int(m.group(2))]], [title.evidence(m.start(), m.end())]
    for line in lines:
        if line.zone == "time" and line.kind == "body":
            m = _FROM_TO.search(line.folded)
            if m and int(m.group(1)) < int(m.group(2)):
                return [[int(m.group(1)), int(m.group(2))]], [line.evidence(m.start(), m.end())]
    return _phases_from_headings(lines)


_TITLE_SPAN = re.compile(r"giai doan\s*(?:i{1,3}|[12])?\s*\(?\s*(?:tu\s+)?(?:nam\s+)?(\d{4})\s*[-–]\s*(\d{4})")


def _sentence_end(line: Line, at: int) -> int:
    return next((b for a, b in sentence_spans(line.text) if a <= at < b), len(line.text))


def _phases_from_headings(lines: list[Line]) -> tuple[list[list[int | None]], list[dict]]:
    """Phases implied by the objectives' headings: "Đến năm 2025" then "Giai đoạn 2026 - 2030".

    "Đến năm Y" runs from the end of the phase before it (or from the scheme's
    start, null); a "giai đoạn A - B" heading is its own phase.  Year-only
    headings ("Năm 2024", "Năm 2025") make one phase from the first to the last.
    """
    spans: list[list[int | None]] = []
    evidence: list[dict] = []
    single: list[int] = []
    for line in lines:
        if not (line.heading and line.year_ctx and line.zone == "objectives"):
            continue
        year, cumulative = line.year_ctx
        content = line.folded_content
        m = _FROM_TO.search(content)
        if m and int(m.group(1)) < int(m.group(2)):
            phase = [int(m.group(1)), int(m.group(2))]
        elif cumulative and year is not None:
            phase = [spans[-1][1] + 1 if spans and spans[-1][1] else None, year]
        else:
            if year is not None:
                single.append(year)
            continue
        if phase not in spans:
            spans.append(phase)
            evidence.append(line.evidence(line.body_start))
    if not spans and single:
        return [[min(single), max(single)]], []
    return spans, evidence


# "Giai đoạn 2023 - 2025, củng cố …", "Mục tiêu cụ thể: Trong giai đoạn 2026 - 2030, …": a span leading a sentence.
_LEADING_SPAN = re.compile(
    r"(?:[^:.;]{0,40}:\s*)?(?:\*\s*)?(?P<span>(?:trong\s+)?(?:dinh huong\s+)?giai doan\s*(?:tu\s+)?(?:nam\s+)?"
    r"(\d{4})\s*(?:-|–|den)\s*(?:nam\s+)?(\d{4}))"
)


def _target_groups(lines: list[Line], targets: list[dict]) -> list[tuple[list[int], dict]]:
    """The spans the targets are grouped under: "Giai đoạn A - B" heading a list, or leading a sentence,
    with at least one target read under it."""
    starts = [t["evidence"]["start"] for t in targets if t.get("evidence")]
    groups: list[tuple[list[int], dict]] = []
    for i, line in enumerate(lines):
        if line.kind != "body" or not line.pos:
            continue
        if line.heading and line.year_ctx:
            m = _LEADING_SPAN.match(line.folded_content)
            if m and int(m.group(2)) < int(m.group(3)):
                # Its scope: the lines that took their year from it (assign_sections shares the tuple).
                scope = [line]
                for x in lines[i + 1:]:
                    if x.year_ctx is not line.year_ctx:
                        break
                    scope.append(x)
                last = next((x.pos[-1] for x in reversed(scope) if x.pos), line.pos[-1])
                if any(line.pos[0] <= s <= last for s in starts):
                    groups.append(([int(m.group(2)), int(m.group(3))], line.evidence(line.body_start)))
            continue
        for a, b in sentence_spans(line.text):
            a = max(a, line.body_start)
            while a < b and line.text[a] == " ":
                a += 1
            m = _LEADING_SPAN.match(line.folded, a, b)
            if m and int(m.group(2)) < int(m.group(3)) and any(line.pos[a] <= s <= line.pos[b - 1] for s in starts):
                groups.append(([int(m.group(2)), int(m.group(3))], line.evidence(m.start("span"), m.end())))
    return groups


def _overlap(x: list[int | None], y: list[int | None]) -> bool:
    return (x[0] or 0) <= y[1] and (y[0] or 0) <= x[1]


def grouped_phases(lines: list[Line], phase_list: list[list[int | None]], evidence: list[dict],
                   targets: list[dict]) -> tuple[list[list[int | None]], list[dict]]:
    """The phases, with the spans the targets are grouped under.

    A plan's title may give the whole span ("giai đoạn 2023 - 2030") and its
    targets be set per phase ("Giai đoạn 2023 - 2025, …; Giai đoạn 2026 - 2030,
    …"): the groups that tile a phase replace it.  A group outside every phase
    ("giai đoạn 2023 - 2025 và định hướng đến năm 2030" with targets under
    "Định hướng giai đoạn 2026 - 2030:") is a phase of its own.  A span named
    without a target under it (a phase II the plan leaves for later) is not.
    """
    groups: list[tuple[list[int], dict]] = []
    for span, ev in _target_groups(lines, targets):
        if span not in [g for g, _ in groups]:
            groups.append((span, ev))
    if not groups:
        return phase_list, evidence
    out: list[tuple[list[int | None], dict]] = []
    for phase, ev in zip(phase_list, evidence or [{}] * len(phase_list), strict=False):
        inner = sorted(g for g in groups if g[0] != phase and phase[0] is not None
                       and phase[0] <= g[0][0] and g[0][1] <= phase[1])
        tiled = inner and inner[0][0][0] == phase[0] and inner[-1][0][1] == phase[1] and all(
            x[0][1] + 1 == y[0][0] for x, y in zip(inner, inner[1:], strict=False))
        out.extend(inner if tiled else [(phase, ev)])
    for span, ev in groups:
        if not any(_overlap(span, p) for p, _ in out):
            out.append((span, ev))
    out.sort(key=lambda x: x[0][1])
    return [p for p, _ in out], [ev for _, ev in out]


# --- reporting -----------------------------------------------------------------------


_PERIOD_WORDS = [
    ("quarterly", re.compile(r"\bquy\b(?!\s*(?:dinh|che|trinh|mo|hoach))")),
    ("semiannual", re.compile(r"\b(?:6|06|sau) thang\b|nua nam|ban nien")),
    ("annual", re.compile(r"\bnam\b(?!\s*\d)")),
]


def _period_before(text: str) -> str | None:
    """The report a deadline belongs to: the period word nearest before it."""
    best = None
    for name, pattern in _PERIOD_WORDS:
        for m in pattern.finditer(text):
            if best is None or m.end() > best[0]:
                best = (m.end(), name)
    return best[1] if best else None


_BRACKETS_AFTER = re.compile(r"\s*\(([^()]{0,30})\)")


def _period_in_brackets(text: str) -> str | None:
    """"… trước ngày 25/11/2025 (báo cáo năm)": the period named in brackets right after a deadline."""
    m = _BRACKETS_AFTER.match(text)
    return _period_before(m.group(1)) if m else None


_FOR_PERIOD = re.compile(r"\s*,?\s*(?:doi voi|ap dung (?:doi )?voi|cho)\s+(?:cac\s+)?(?:bao cao\s+)?(.{0,30})")


def _period_named_after(text: str) -> str | None:
    """"… trước ngày 10 tháng 6 đối với báo cáo 6 tháng": the period a deadline is said to be for."""
    m = _FOR_PERIOD.match(text)
    return _first_period(m.group(1)) if m else None


def _first_period(text: str) -> str | None:
    found = _periods_in_order(text)
    return found[0] if found else None


def _periods_in_order(text: str) -> list[str]:
    """The periods a sentence lists, in the order written ("6 tháng, năm" → semiannual, annual)."""
    firsts = []
    for name, pattern in _PERIOD_WORDS:
        m = pattern.search(text)
        if m:
            firsts.append((m.start(), name))
    return [name for _, name in sorted(firsts)]


# "… chậm nhất ngày 20/6 (báo cáo 6 tháng) và ngày 20/11 (báo cáo năm)": a second date joined
# to a deadline by "và"/"hoặc" is a deadline too, with or without its own "trước".  Without its
# own "ngày" ("trước ngày 15/6 và 15/11", "trước ngày 15/6, 15/11") only a date written with "/"
# or "tháng" is one: "… và 2-3 mô hình" is not.
_AND_DEADLINE = re.compile(
    r"\s*(?:\([^()]{0,30}\)\s*)?(?:,\s*(?:(?:va|hoac)\s+)?|(?:va|hoac)\s+)(?:truoc\s+|cham nhat\s+)?(?:vao\s+)?"
    r"(?:ngay\s*|(?=\d{1,2}\s*(?:/|thang)))(\d{1,2})\s*(?:/|-|\.|thang)\s*(\d{1,2})(?!\d)"
    r"(?:\s*(?:/|-|\.)\s*\d{4}|\s+nam\s+\d{4})?"
)


def _deadlines_in(text: str) -> list[re.Match]:
    """The deadlines of a sentence in order: each "trước/chậm nhất ngày …" and the dates
    joined to it by "và"/"hoặc"."""
    found: list[re.Match] = []
    covered = 0
    for m in DEADLINE.finditer(text):
        if m.start() < covered:
            continue
        found.append(m)
        covered = m.end()
        while joined := _AND_DEADLINE.match(text, covered):
            found.append(joined)
            covered = joined.end()
    return found


def _quarter_rule_in(folded: str) -> dict | None:
    quarter = QUARTER_DEADLINE.search(folded)
    if quarter and 1 <= int(quarter.group(1)) <= 31:
        return {"month_of_quarter": QUARTER_MONTHS[re.sub(r"\s+", " ", quarter.group(2))], "day": int(quarter.group(1))}
    after_end = QUARTER_AFTER_END.search(folded)
    if after_end and 1 <= int(after_end.group(1)) <= 60:
        return {"days_after_end": int(after_end.group(1))}
    return None


def quarter_rule(text: str) -> dict | None:
    """The quarterly report's deadline relative to its quarter, as ``reporting`` reads it, from
    any text of a plan: {"month_of_quarter": 3, "day": 20} for "trước ngày 20 của tháng cuối
    quý", {"days_after_end": 5} for "chậm nhất 05 ngày sau khi kết thúc quý", else None.
    Only sentences about reports count; of several, the last."""
    return reporting(Document.parse(nfc(text)).lines).get("quarter_deadline")


def reporting(lines: list[Line]) -> dict:
    periods: set[str] = set()
    deadlines: list[tuple[str | None, str, dict]] = []
    quarter: dict | None = None
    evidence: list[dict] = []
    for line in lines:
        if line.kind != "body" or line.zone == "recipients":
            continue
        for a, b in sentence_spans(line.text):
            text = line.folded[a:b]
            if not REPORT.search(text):
                continue
            used = False
            # "6 tháng (trước 10/6) và năm (trước 10/12)": periods read around the brackets.
            plain = re.sub(r"\s+", " ", blank_parentheses(text))
            # "… trước ngày 25/11/2025 (báo cáo năm)": the period only in brackets still counts.
            found_here = {name for name, p in PERIODS if p.search(plain)} or \
                {name for name, p in PERIODS if p.search(text)}
            if found_here and "bao cao" in text:
                periods |= found_here
                used = True
            if AD_HOC.search(text):
                periods.add("ad_hoc")
                used = True
            rule = _quarter_rule_in(text)
            if rule:
                periods.add("quarterly")
                quarter = rule
                used = True
            found = [m for m in _deadlines_in(text) if 1 <= int(m.group(1)) <= 31 and 1 <= int(m.group(2)) <= 12]
            kinds, last = [], 0
            for m in found:
                # The report named right after a deadline is its own ("… đối với báo cáo 6 tháng",
                # "ngày 20/6 (báo cáo 6 tháng) và ngày 20/11 (báo cáo năm)"), before the nearest one
                # written before it; the words after then belong to this deadline, not the next.
                named_after = _period_named_after(text[m.end():])
                in_brackets = None if named_after else _period_in_brackets(text[m.end():])
                kinds.append(named_after or in_brackets or _period_before(text[last:m.start()]))
                last = m.end()
                if named_after:
                    last = m.end() + _FOR_PERIOD.match(text[m.end():]).end()
                elif in_brackets:
                    last = m.end() + _BRACKETS_AFTER.match(text[m.end():]).end()
            # "báo cáo 6 tháng, năm … trước ngày 10 tháng 6 và trước ngày 10 tháng 11": in the order listed.
            listed = _periods_in_order(text[:found[0].start()]) if found else []
            if len(found) >= 2 and len(listed) == len(found) and not any(kinds[1:]):
                kinds = listed
            for m, kind in zip(found, kinds, strict=True):
                deadlines.append((kind, f"{int(m.group(2)):02d}-{int(m.group(1)):02d}", line.evidence(a, b)))
                if kind:  # a deadline for the annual report says the plan asks for one
                    periods.add(kind)
                used = True
            if used:
                evidence.append(line.evidence(a, b))
    deadline = None
    if deadlines:
        annual = [d for d in deadlines if d[0] == "annual"]
        deadline = (annual or deadlines)[0][1]
    order = ["quarterly", "semiannual", "annual", "monthly", "ad_hoc"]
    out: dict = {"periods": [p for p in order if p in periods], "deadline": deadline}
    distinct = {(k, d) for k, d, _ in deadlines}
    if len({d for _, d in distinct}) > 1:
        out["deadlines"] = {k or "other": d for k, d in sorted(distinct, key=lambda x: x[1])}
    if quarter:
        out["quarter_deadline"] = quarter
    out["evidence"] = evidence
    return out
