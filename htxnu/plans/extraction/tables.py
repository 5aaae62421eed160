"""Targets laid out in a table: indicators down, years across.

Real plans often tabulate targets, e.g.

    TT | Chỉ tiêu                                   | ĐVT | Năm 2026 | Năm 2027 | Giai đoạn 2026-2030
    1  | Số HTX do phụ nữ quản lý được củng cố       | HTX | 2        | 3        | 10
    2  | Tỷ lệ nữ quản lý HTX được đào tạo, bồi dưỡng | %   | 100      | 100      | 100

Rules:

- A table is a run of consecutive table rows.  Its header is the first of its
  first three rows with a year cell (rows above it, such as a merged "Kế
  hoạch" cell, are skipped): "Năm 2026" / "2026" → that year only;
  "Đến năm 2030", "Giai đoạn 2026-2030", "Lũy kế", "Tổng", "Cả giai đoạn" →
  cumulative to the phase's end.  Columns headed "Kết quả", "Thực hiện",
  "Ước", "Hiện có" hold past results and are skipped.
- The label of a row is its text cells before the first year column, minus
  the row number.  The unit comes from the "ĐVT" column, else from the label
  ("Tỷ lệ …" → %, "Số HTX …" → cooperatives).
- The indicator is chosen by the same vocabulary as sentences (``targets.
  classify``): the row is read as the sentence "<label> <value> <unit>".
- A cell may carry its own qualifier or range: "≥ 2", "ít nhất 2", "2-3",
  "khoảng 5", "> 50%".  Empty cells and "-" are skipped.
- A table with indicator-like rows but no year column (a breakdown by
  sub-unit) is not imported; a warning says so.
"""
from __future__ import annotations

import re

from .quantities import find_quantities
from .structure import Line
from .targets import Plan, classify
from .text import blank_matches, fold
from .vocab import DESCRIPTORS, PER_SUBUNIT

_YEAR_CELL = re.compile(r"(?<!\d)(19|20)\d\d(?!\d)")
_CUMULATIVE_CELL = re.compile(r"giai doan|luy ke|tong|ca giai doan|den (?:het )?nam|toi nam|den \d{4}")
_PAST_CELL = re.compile(r"ket qua|thuc hien|uoc|hien co|hien trang|thuc trang|nam truoc")
_UNIT_HEADER = re.compile(r"^(?:dvt|don vi tinh|don vi)$")
_ROWNUM = re.compile(r"^(?:[ivxlc]+|\d+(?:\.\d+)*|[a-z])[.)]?$")
_LABEL_UNITS = [
    ("%", re.compile(r"^ty le|%")),
    ("HTX", re.compile(r"^(?:so\s+)?(?:luong\s+)?(?:hop tac xa|htx)\b")),
    ("THT", re.compile(r"^(?:so\s+)?(?:luong\s+)?(?:to hop tac|tht)\b")),
    ("lớp", re.compile(r"^(?:so\s+)?lop\b")),
    ("người", re.compile(r"^(?:so\s+)?(?:lao dong|thanh vien|nguoi|viec lam)")),
]


def _cells(line: Line) -> list[str]:
    return [cell.strip() for cell in line.text.split(" | ")]


def _column_year(header: str, horizon: int | None) -> tuple[int | None, bool] | None:
    folded = fold(header)
    if _PAST_CELL.search(folded):
        return None
    years = [int(m.group()) for m in _YEAR_CELL.finditer(folded)]
    if _CUMULATIVE_CELL.search(folded):
        return (max(years) if years else horizon), True
    if len(years) == 1:
        return years[0], False
    return None


def _tables(lines: list[Line]) -> list[list[Line]]:
    groups: list[list[Line]] = []
    for line in lines:
        if line.kind != "table":
            continue
        if groups and groups[-1][-1].index == line.index - 1:
            groups[-1].append(line)
        else:
            groups.append([line])
    return groups


def extract_table_targets(lines: list[Line], plan: Plan) -> tuple[list[dict], list[str]]:
    targets: list[dict] = []
    warnings: list[str] = []
    for rows in _tables(lines):
        cells = [_cells(r) for r in rows]
        header_idx = next((i for i, row in enumerate(cells[:3])
                           if any(_column_year(c, plan.horizon) for c in row)), None)
        if header_idx is None:
            speaks_of_coops = any(re.search(r"hop tac xa|htx|tht|to hop tac", r.folded) for r in rows)
            if speaks_of_coops and len(rows) > 2 and any(re.search(r"\d", r.folded) for r in rows[1:]):
                warnings.append(
                    "Có bảng số liệu không có cột năm (có thể là bảng phân bổ chỉ tiêu cho đơn vị cấp dưới); "
                    "bảng này chưa được nhập, cần kiểm tra."
                )
            continue
        header = cells[header_idx]
        columns: dict[int, tuple[int | None, bool]] = {}
        for i, text in enumerate(header):
            col = _column_year(text, plan.horizon)
            if col:
                columns[i] = col
        unit_col = next((i for i, c in enumerate(header) if _UNIT_HEADER.match(fold(c).strip(" .()"))), None)
        first_year = min(columns)
        for row_line, row in zip(rows[header_idx + 1:], cells[header_idx + 1:], strict=True):
            label_cells = [c for i, c in enumerate(row[:first_year]) if i != unit_col and not _ROWNUM.match(fold(c))]
            label = " ".join(label_cells).strip()
            if not label:
                continue
            unit = row[unit_col] if unit_col is not None and unit_col < len(row) else ""
            if not unit:
                unit = next((u for u, p in _LABEL_UNITS if p.search(fold(label))), "")
            for i, (year, cumulative) in columns.items():
                if i >= len(row) or not re.search(r"\d", row[i]):
                    continue
                for t in _cell_target(label, unit, row[i], year, cumulative):
                    t["evidence"] = row_line.evidence()
                    t["evidence"]["column"] = header[i]
                    targets.append(t)
    return targets, warnings


def _cell_target(label: str, unit: str, cell: str, year: int | None, cumulative: bool) -> list[dict]:
    """Read the row as the sentence "<label> : <cell> <noun> <label>" and classify it.

    The label before the value carries the action ("được củng cố", "thành lập
    mới", "có việc làm ổn định"); repeated after the noun it carries the
    location ("trong HTX"), exactly as in a sentence.
    """
    unit_f = fold(unit).strip(" .()")
    is_pct = unit_f in ("%", "ty le", "ti le") or "%" in cell
    if is_pct:
        noun = re.sub(r"^\s*(?:tỷ lệ|tỉ lệ|ty le|ti le)\s*(?:\(%\))?\s*(?:số\s+)?", "", label, flags=re.I)
        value = cell.replace("%", "").strip() + "%"
    else:
        noun = _COUNT_NOUNS.get(unit_f, "lao động")
        value = cell.strip()
    prefix = f"{label} : "
    sentence = f"{prefix}{value} {noun} {label}"
    folded = blank_matches(fold(sentence), DESCRIPTORS)
    quantities = find_quantities(folded, len(prefix), len(folded))
    if not quantities or quantities[0].start > len(prefix) + 2 or quantities[0].unit is None:
        return []
    q = quantities[0]
    q.tail_end = len(folded)
    indicators = classify(folded, (0, len(folded)), q, [q])
    per_subunit = bool(PER_SUBUNIT.search(folded, 0, len(prefix)))
    out = []
    for indicator in indicators:
        t = {"indicator": indicator, "year": year, "cumulative": cumulative, "op": q.op, "value": q.value}
        if per_subunit:
            t["per_subunit"] = True
        out.append(t)
    return out


_COUNT_NOUNS = {"htx": "HTX", "hop tac xa": "HTX", "tht": "THT", "to hop tac": "THT", "to": "THT",
                "lop": "lớp", "lop tap huan": "lớp", "khoa": "lớp"}
