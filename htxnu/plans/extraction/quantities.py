"""Find the quantities of a clause: qualifier, number or range, unit noun.

Rules, in the order they apply:

- A quantity is an optional qualifier, a number (or a range) and an optional
  "%": "ít nhất 13", "từ 03 đến 04", "5-7", "từ 2 - 3", "khoảng 07",
  "không dưới 70%", "trên 60%", "từ 50% trở lên", "≥ 2".
- Qualifiers give the op: "ít nhất", "tối thiểu", "không dưới", "từ … (trở
  lên)" → ">="; "trên", "hơn" → ">"; "khoảng", "gần" → "~"; a range → "between"
  with [lo, hi]; nothing or "đạt" → "=".
- The noun right after the number (after "%": skipping "các", "số") gives the
  unit (see ``vocab.UNITS``); "02 HTX/năm" is a yearly target.  A percentage with no noun after it takes the
  noun after "tỷ lệ" earlier in its clause: "Tỷ lệ nữ quản lý HTX được đào
  tạo … đạt 100%".  "N LĐ/hợp tác xã" or "02 năm/lần" is a rate and
  is dropped; "01 HTX/xã" is a per-sub-unit target.
- In an enumeration — quantities separated only by commas, "và" or spaces, as
  in "ít nhất 13 hợp tác xã, 12 tổ hợp tác" — a later item without a
  qualifier takes the qualifier of the one before it.
- Numbers that touch "/" (document numbers, dates), numbers glued to letters
  (footnote marks) and four-digit years are not quantities; a fraction after a
  qualifier or "chiếm" is a share: "trên 2/3 tổng số lao động" is > 66.67%.
- Numbers in words right before a counted noun are numbers: "ba hợp tác
  xã", "mười hai lao động", "hai mươi lăm THT" ("năm" only where it cannot be
  "year": not after "trong", "mỗi", "hằng"…); "01 (một) tổ hợp tác" is 1;
  "30 nghìn", "1,2 triệu" multiply.
- The classes a share of people attends ("100% nữ quản lý … tham gia ít nhất
  01 lớp bồi dưỡng") are no quantity of their own.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from .text import NUM, blank_parentheses, is_year, parse_number
from .vocab import (
    AND_COOPS,
    AND_GROUPS,
    MORE_PEOPLE,
    PCT_FILLER,
    PER_UNIT_AFTER,
    PER_YEAR_AFTER,
    QUALIFIER_OPS,
    QUALIFIER_RE,
    RATE_AFTER,
    UNITS,
)

_END = r"(?![\w/]|[.,]\d)"
QUANT_RE = re.compile(
    rf"(?<![\w/.,\-–])"
    rf"(?:(?P<qual>{QUALIFIER_RE})\s*)?"
    rf"(?P<lo>{NUM}){_END}\s*(?P<pct1>%|phan tram)?"
    rf"(?:\s*(?:-|–|—|den|toi)\s*(?P<hi>{NUM}){_END}\s*(?P<pct2>%|phan tram)?)?"
    rf"(?P<post>\s+tro len)?"
)
_DIGIT_WORDS = {"mot": 1, "hai": 2, "ba": 3, "bon": 4, "tu": 4, "nam": 5, "lam": 5, "sau": 6, "bay": 7, "tam": 8,
                "chin": 9}
_UNIT_WORD = r"(?:mot|hai|ba|bon|nam|sau|bay|tam|chin)"
# "ba", "mười hai", "hai mươi", "hai mươi lăm", "một trăm": a number in words, only right before a counted noun
# ("năm" is also "year": "trong năm HTX …" is not five).
_WORD_QUANT = re.compile(
    rf"(?<![\w])(?:(?P<qual>{QUALIFIER_RE})\s+)?"
    rf"(?P<word>(?:{_UNIT_WORD}\s+tram(?:\s+(?:linh|le)\s+{_UNIT_WORD})?"
    rf"|muoi(?:\s+(?:mot|hai|ba|bon|lam|nam|sau|bay|tam|chin))?"
    rf"|(?:hai|ba|bon|nam|sau|bay|tam|chin)\s+muoi(?:\s+(?:mot|hai|ba|bon|tu|lam|nam|sau|bay|tam|chin))?"
    rf"|{_UNIT_WORD}))\s+"
    r"(?=hop tac xa|htx|to hop tac|tht|lop|lao dong|nguoi|thanh vien|hoi vien|nu quan ly|can bo|chi em)"
)
_NOT_FIVE = re.compile(r"(?:trong|moi|hang|cuoi|dau|cac|nhieu|tung|nay|sang|qua|ca)\s+$")
# "01 (một) tổ hợp tác": the number spelled out again in brackets.
_SPELLED_AGAIN = re.compile(r"\s*\(\s*(?:[a-z]+\s*){1,4}\)")
# "30 nghìn lao động", "1,2 triệu người": thousands and millions of a count.
_MULTIPLIER = re.compile(r"\s*(nghin|ngan|trieu)\b")
_MULTIPLIERS = {"nghin": 1000, "ngan": 1000, "trieu": 1_000_000}
# "trên 2/3 tổng số lao động", "chiếm 1/2": a share as a fraction, after a qualifier or "chiếm".
_FRACTION = re.compile(
    rf"(?<![\w/.,])(?:(?P<qual>{QUALIFIER_RE})\s*)(?P<n>[1-9])\s*/\s*(?P<d>[2-9]|10)(?![\w/.]|,\d)"
)
_FRACTION_CUE = re.compile(r"(?:chiem|dat|la|co)\s*$")


def _words_value(words: str) -> int:
    """"mười hai" 12, "hai mươi" 20, "hai mươi lăm" 25, "một trăm linh năm" 105, "ba" 3."""
    parts = words.split()
    if "tram" in parts:
        i = parts.index("tram")
        rest = [p for p in parts[i + 1:] if p not in ("linh", "le")]
        return _DIGIT_WORDS[parts[0]] * 100 + (_words_value(" ".join(rest)) if rest else 0)
    if parts[0] == "muoi":
        return 10 + (_DIGIT_WORDS[parts[1]] if len(parts) > 1 else 0)
    if len(parts) >= 2 and parts[1] == "muoi":
        return _DIGIT_WORDS[parts[0]] * 10 + (_DIGIT_WORDS[parts[2]] if len(parts) > 2 else 0)
    return _DIGIT_WORDS[parts[0]]


_RATIO = re.compile(r"\bt[yi] le\s+(?:phan tram\s+)?")
_SEPARATORS = re.compile(r"^[\s,]*(?:va|cung)?[\s,]*$")


@dataclass
class Quantity:
    start: int
    end: int
    value: float | int | list
    op: str
    explicit: bool
    pct: bool
    unit: str | None = None
    unit_end: int = 0
    units: set[str] = field(default_factory=set)
    rate: bool = False
    per_unit: bool = False
    per_year: bool = False
    tail_end: int = 0

    @property
    def people(self) -> bool:
        return bool(self.units & {"worker", "manager", "cadre"})


def _op(qual: str | None, post: str | None, is_range: bool) -> tuple[str, bool]:
    if is_range:
        return "between", True
    if post:
        return ">=", True
    if qual:
        op = QUALIFIER_OPS.get(qual.strip(), "=")
        return op, op != "="
    return "=", False


def _scaled(value: float | int, scale: int) -> float | int:
    value = round(value * scale, 6)
    return int(value) if float(value).is_integer() else value


def _unit_at(folded: str, at: int, pct: bool) -> tuple[str | None, int]:
    again = _SPELLED_AGAIN.match(folded, at) if not pct else None
    if again:
        at = again.end()
    rest = folded[at:]
    lead = PCT_FILLER.match(rest) if pct else re.match(r"\s*\(?\s*", rest)
    offset = lead.end() if lead else 0
    for name, pattern in UNITS:
        m = pattern.match(rest, offset)
        if m:
            return name, at + m.end()
    return None, at


def find_quantities(folded: str, start: int, end: int) -> list[Quantity]:
    """Quantities in folded[start:end] (offsets are line offsets)."""
    found: list[Quantity] = []
    for m in QUANT_RE.finditer(folded, start, end):
        lo = parse_number(m.group("lo"))
        hi = parse_number(m.group("hi")) if m.group("hi") else None
        pct = bool(m.group("pct1") or m.group("pct2"))
        if hi is not None and not (hi > lo):
            hi = None
        if not pct and re.fullmatch(r"\d{4}", m.group("lo")) and is_year(lo):
            continue
        op, explicit = _op(m.group("qual"), m.group("post"), hi is not None)
        q_end = m.end()
        times = _MULTIPLIER.match(folded, q_end) if not pct else None
        if times and q_end <= end:
            scale = _MULTIPLIERS[times.group(1)]
            lo, hi = _scaled(lo, scale), _scaled(hi, scale) if hi is not None else None
            q_end = times.end()
        value: float | int | list = [lo, hi] if hi is not None else lo
        found.append(Quantity(m.start(), q_end, value, op, explicit, pct))
    for m in _FRACTION.finditer(folded, start, end):
        n, d = int(m.group("n")), int(m.group("d"))
        if n >= d or not (m.group("qual") or _FRACTION_CUE.search(folded, max(0, m.start() - 12), m.start())):
            continue
        if any(q.start <= m.start() < q.end for q in found):
            continue
        op, explicit = _op(m.group("qual"), None, False)
        found.append(Quantity(m.start(), m.end(), round(100 * n / d, 2), op, explicit, True))
    for m in _WORD_QUANT.finditer(folded, start, end):
        if any(q.start <= m.start() < q.end for q in found):
            continue
        word = m.group("word")
        if word == "nam" and _NOT_FIVE.search(folded, max(0, m.start() - 12), m.start()):
            continue
        op, explicit = _op(m.group("qual"), None, False)
        found.append(Quantity(m.start(), m.end() - 1, _words_value(word), op, explicit, False))
    found.sort(key=lambda q: q.start)

    for q in found:
        q.unit, q.unit_end = _unit_at(folded, q.end, q.pct)
        head_end = q.unit_end
        if q.unit is None and q.pct:
            ratios = list(_RATIO.finditer(folded, start, q.start))
            if ratios:
                q.unit, head_end = _unit_at(folded, ratios[-1].end(), True)
        if q.unit is None:
            q.unit_end = q.end
            continue
        after = folded[head_end:end]
        if head_end == q.unit_end:
            # Only a noun right after the number can be followed by a rate or per-unit mark.
            q.rate = bool(RATE_AFTER.match(after))
            q.per_unit = bool(PER_UNIT_AFTER.match(after))
            q.per_year = bool(PER_YEAR_AFTER.match(after))
        q.units = {q.unit}
        if q.unit == "coop" and AND_GROUPS.match(after):
            q.units.add("group")
        elif q.unit == "group" and AND_COOPS.match(after):
            q.units.add("coop")

    # "100% nữ quản lý HTX được tham gia ít nhất 01 lớp bồi dưỡng": the classes each person attends say what
    # the share is of; they are no target of their own.
    found = [q for i, q in enumerate(found) if not (
        i and q.unit == "class" and found[i - 1].pct and found[i - 1].unit in ("manager", "cadre", "worker")
        and not re.search(r"[;,]|\bva\b", folded[found[i - 1].unit_end:q.start]))]
    for i, q in enumerate(found):
        q.tail_end = found[i + 1].start if i + 1 < len(found) else end
        if q.pct and q.people:
            tail = blank_parentheses(folded[q.unit_end:q.tail_end])
            for m in MORE_PEOPLE.finditer(tail):
                unit, _ = _unit_at(m.group(1), 0, True)
                if unit:
                    q.units.add(unit)

    # Enumerations share the qualifier of their first item.
    for prev, q in zip(found, found[1:], strict=False):
        if q.explicit or not prev.explicit or prev.op == "between" or q.pct != prev.pct:
            continue
        if prev.unit and q.unit and _SEPARATORS.match(folded[prev.unit_end:q.start]):
            q.op, q.explicit = prev.op, True
    return found
