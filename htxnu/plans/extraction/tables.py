"""Targets laid out in a table, either way round.

Indicators down, years across:

    TT | Chỉ tiêu                                   | ĐVT | Năm 2026 | Năm 2027 | Giai đoạn 2026-2030
    1  | Số HTX do phụ nữ quản lý được củng cố       | HTX | 2        | 3        | 10
    2  | Tỷ lệ nữ quản lý HTX được đào tạo, bồi dưỡng | %   | 100      | 100      | 100

Years down, indicators across (each column an indicator, its unit in its
header, in brackets, or in a row of units under it; often a last row of
totals):

    Năm       | Số HTX thành lập mới (HTX) | Lao động nữ có việc làm mới (người)
    2026      | 1                          | 15
    Tổng cộng | 4                          | 100

Rules:

- A table is a run of consecutive table rows.  A run with no header of its
  own, or one repeating the header, that follows a table after at most two
  short lines ("- 7 -", "Bảng 1 (tiếp theo)") continues that table: a table
  split across pages.
- Years across: the header is the row of the first four with the most year
  cells (rows above it, such as a merged "Kế hoạch các năm" cell, are
  skipped; a repeated header row further down is skipped too): "Năm 2026" /
  "2026" → that year only; "Đến năm 2030", "Giai đoạn 2026-2030", "Lũy kế",
  "Tổng", "Cả giai đoạn" → cumulative to the phase's end.  Columns headed
  "Kết quả", "Thực hiện", "Ước", "Hiện có" hold past results and are skipped.
- Years down: the first cell of at least two rows is a year; the rows above
  the first such row are the header (names, then units).  A row headed
  "Tổng", "Cộng", "Lũy kế", "Cả giai đoạn" holds the cumulative targets of the
  phase (to its year, or to the last year above it).
- Whether a year's figure is new that year or cumulative to it is said by
  the sentence before the table, or by the column or row name: "lũy kế",
  "cộng dồn" (but not "không cộng dồn", nor "lũy kế cả giai đoạn", which
  names the totals) make the years cumulative.
- The label of an indicator is its text cells minus the row number.  The
  unit comes from the "ĐVT" column or row, else from a bracket at the end of
  the label ("Số HTX … (HTX)", "(đơn vị: HTX)"), else from the label ("Tỷ lệ …" → %, "Số HTX
  …" → cooperatives).  A female-labour share inside the label ("Số HTX có
  trên 50% lao động nữ thành lập mới") is a threshold (``targets``), not the
  row's unit or value.
- The indicator is chosen by the same vocabulary as sentences (``targets.
  classify``): the row is read as the sentence "<label> <value> <unit>".
- A row (years across) or a column (years down) about the female-labour
  share ("Tỷ lệ lao động nữ trong HTX thành lập mới") whose year cells all
  hold the same lower bound ("≥ 50%", "trên 50%", "từ 50% trở lên") is the
  plan's threshold, not a target: it says which cooperatives count, year
  after year.  A share that changes from year to year is neither.
- A cell may carry its own qualifier or range: "≥ 2", "ít nhất 2", "2-3",
  "khoảng 5", "> 50%".  Empty cells and "-" are skipped.
- A table revising an earlier plan ("Theo Kế hoạch số …" / "Chỉ tiêu cũ" beside
  "Điều chỉnh, bổ sung" / "Chỉ tiêu sau điều chỉnh") counts its revised
  column only, for the year its header names ("Chỉ tiêu đến năm 2025"), else
  the year heading above it or the plan's horizon.
- A row whose label says "(lũy kế)" holds cumulative figures.
- A table with indicator-like rows but no year column or row (a breakdown by
  sub-unit) is not imported; a warning says so.
"""
from __future__ import annotations

import re

from .quantities import find_quantities
from .structure import Line, year_phrase
from .targets import Plan, classify
from .text import blank_matches, fold
from .vocab import DESCRIPTORS, PER_SUBUNIT

_YEAR_CELL = re.compile(r"(?<!\d)(19|20)\d\d(?!\d)")
_CUMULATIVE_CELL = re.compile(r"giai doan|luy ke|tong|ca giai doan|den (?:het )?nam|toi nam|den \d{4}")
_PAST_CELL = re.compile(r"ket qua|thuc hien|\buoc\b|hien co|hien trang|thuc trang|nam truoc")
_UNIT_HEADER = re.compile(r"^(?:dvt|don vi tinh|don vi)$")
_ROWNUM = re.compile(r"^(?:[ivxlc]+|\d+(?:\.\d+)*|[a-z])[.)]?$")
_LABEL_UNITS = [
    ("%", re.compile(r"^ty le|%")),
    ("HTX", re.compile(r"^(?:so\s+)?(?:luong\s+)?(?:hop tac xa|htx)\b")),
    ("THT", re.compile(r"^(?:so\s+)?(?:luong\s+)?(?:to hop tac|tht)\b")),
    ("lớp", re.compile(r"^(?:so\s+)?lop\b")),
    ("người", re.compile(r"^(?:so\s+)?(?:lao dong|thanh vien|nguoi|viec lam)")),
]


_TOTAL_CELL = re.compile(r"^(?:tong|cong|luy ke|ca giai doan|giai doan|toan giai doan|ca ky)\b")
_YEAR_ONLY = re.compile(r"^(?:nam\s+)?((?:19|20)\d\d)$")
_CUMULATIVE_NOTE = re.compile(r"(?<!khong )(?:luy ke|cong don)(?!\s*(?:ca |toan )?giai doan)")
_ROW_NOTE = re.compile(r"\s*\((?:lũy kế|luỹ kế|cộng dồn)\)", re.I)
# "Điều chỉnh", "Chỉ tiêu điều chỉnh", "Sau điều chỉnh": the revised figures; "Theo Kế hoạch số …",
# "Chỉ tiêu cũ", "Đã giao", "Trước điều chỉnh": the earlier ones.
_REVISED_CELL = re.compile(r"^(?:chi tieu\s+)?(?:sau\s+)?dieu chinh|^chi tieu moi\b|^muc moi\b")
_EARLIER_CELL = re.compile(r"^theo\b|ke hoach so|\bcu\b|da giao|truoc dieu chinh|^hien hanh|^ban dau")
_NEW_NOTE = re.compile(r"khong (?:cong don|luy ke)|moi (?:tang )?trong nam|thuc hien trong nam|rieng tung nam")
_BRACKET_UNIT = re.compile(r"\(\s*([^()]{1,20})\s*\)\s*$")
_UNIT_PREFIX = re.compile(r"^(?:đơn vị tính|đơn vị|đvt|don vi tinh|don vi|dvt)\s*:\s*", re.I)
_BRIDGE = re.compile(r"tiep|trang|bang\b")
# "có trên 50% lao động nữ", "có tỷ lệ lao động nữ từ 60% trở lên" inside an indicator's name.
_SHARE_IN_LABEL = re.compile(
    r"\s*\bco\s+(?:ty le\s+|ti le\s+|so\s+)?(?:(?:lao dong|thanh vien) nu\s+(?:chiem\s+)?)?"
    r"(?:tu|tren|toi thieu|khong duoi|it nhat|>=|≥|>)?\s*\d+(?:,\d+)?\s*%"
    r"(?:\s*(?:so\s+)?(?:lao dong|thanh vien)(?:\s+la)?\s+nu)?(?:\s+tro len)?"
)


# "Tỷ lệ lao động nữ …", "Lao động nữ chiếm …", "Tỷ lệ thành viên là nữ …": the female-labour share.
_SHARE_LABEL = re.compile(
    r"\bty le\s+(?:so\s+)?(?:lao dong|thanh vien)\s+(?:la\s+)?nu\b|(?:lao dong|thanh vien) nu chiem"
)


def _threshold(label: str, values: list[str], line: Line) -> dict | None:
    """The threshold a female-labour share row or column sets: one lower bound in every year, else None."""
    if not _SHARE_LABEL.search(fold(label)):
        return None
    bounds = set()
    for value in values:
        folded = fold(value)
        found = find_quantities(folded, 0, len(folded))
        if len(found) != 1 or not found[0].pct or found[0].op not in (">=", ">"):
            return None
        bounds.add((found[0].op, found[0].value))
    if len(bounds) != 1:
        return None
    op, pct = bounds.pop()
    return {"op": op, "pct": pct, "applies_to": "target_group" if line.zone in ("subjects", "purpose") else "targets",
            "evidence": line.evidence()}


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


def _is_header_like(row: list[str], horizon: int | None) -> bool:
    year_cells = [c for c in row if _column_year(c, horizon)]
    return len(year_cells) >= 2 and not any(_YEAR_ONLY.match(fold(row[0]).strip(" .")) for _ in (0,))


def _tables(lines: list[Line], horizon: int | None) -> list[list[Line]]:
    """Runs of table rows; a run split from the one before by a page break joins it."""
    groups: list[list[Line]] = []
    for line in lines:
        if line.kind != "table":
            continue
        if groups and groups[-1][-1].index == line.index - 1:
            groups[-1].append(line)
            continue
        if groups and line.index - groups[-1][-1].index <= 3 and _continues(lines, groups[-1], line, horizon):
            groups[-1].append(line)
            continue
        groups.append([line])
    return groups


def _continues(lines: list[Line], group: list[Line], line: Line, horizon: int | None) -> bool:
    between = lines[group[-1].index + 1:line.index]
    if any(b.kind == "table" or len(b.text) > 60 or not _BRIDGE.search(b.folded) for b in between):
        return False
    first = _cells(line)
    if first == _cells(group[0]) or (len(group) > 1 and first == _cells(group[1])):
        return True  # the header repeated on the new page
    if len(first) != len(_cells(group[-1])):
        return False
    return not _is_header_like(first, horizon)


def _note(lines: list[Line], rows: list[Line]) -> bool | None:
    """What the sentence before a table says of its yearly figures: cumulative (True), new (False), or None."""
    start = rows[0].index
    for line in reversed(lines[max(0, start - 3):start]):
        if line.kind != "body":
            continue
        if _NEW_NOTE.search(line.folded):
            return False
        if _CUMULATIVE_NOTE.search(line.folded):
            return True
    return None


def _label_and_unit(label: str, unit: str) -> tuple[str, str]:
    """Drop a female-labour share from the label; take a bracketed unit at its end when there is none."""
    m = _SHARE_IN_LABEL.search(fold(label))
    if m:
        label = (label[:m.start()] + label[m.end():]).strip()
    if not unit:
        bracket = _BRACKET_UNIT.search(label)
        if bracket:
            unit = _UNIT_PREFIX.sub("", bracket.group(1))
            label = label[:bracket.start()].strip()
    if not unit:
        unit = next((u for u, p in _LABEL_UNITS if p.search(fold(label))), "")
    return label, unit


def _years_down(rows: list[Line], cells: list[list[str]], lines: list[Line], plan: Plan,
                thresholds: list[dict]) -> list[dict] | None:
    """Targets of a table whose first column holds the years, or None when it is not one; a share column
    that is a threshold goes to ``thresholds``."""
    def year_of(row: list[str]) -> int | None:
        m = _YEAR_ONLY.match(fold(row[0]).strip(" ."))
        return int(m.group(1)) if m else None

    data = [i for i, row in enumerate(cells) if row and year_of(row)]
    if len(data) < 2:
        return None
    top = data[0]
    if top == 0:
        return None
    names, units = cells[0], None
    for row in cells[1:top]:
        if not any(re.search(r"\d", c) for c in row[1:]):
            units = row
    note = _note(lines, rows)
    targets: list[dict] = []
    share_columns = set()
    for i in range(1, len(names)):
        threshold = _threshold(names[i], [row[i] for row in cells[top:] if year_of(row) and i < len(row)], rows[0])
        if threshold:
            threshold["evidence"]["column"] = names[i]
            thresholds.append(threshold)
            share_columns.add(i)
    last_year: int | None = None
    for row_line, row in zip(rows[top:], cells[top:], strict=True):
        head = fold(row[0]).strip(" .")
        year = year_of(row)
        if year is not None:
            last_year, cumulative = year, bool(note) or bool(_CUMULATIVE_NOTE.search(fold(" ".join(names))))
        elif _TOTAL_CELL.match(head) and not _PAST_CELL.search(head):
            years = [int(m.group()) for m in _YEAR_CELL.finditer(head)]
            year, cumulative = (max(years) if years else last_year or plan.horizon), True
        else:
            continue
        for i in range(1, min(len(row), len(names))):
            if not re.search(r"\d", row[i]) or _PAST_CELL.search(fold(names[i])) or i in share_columns:
                continue
            unit = units[i].strip(" ()") if units and i < len(units) else ""
            label, unit = _label_and_unit(names[i], unit)
            for t in _cell_target(label, unit, row[i], year, cumulative):
                t["evidence"] = row_line.evidence()
                t["evidence"]["column"] = names[i]
                targets.append(t)
    return targets


def extract_table_targets(lines: list[Line], plan: Plan) -> tuple[list[dict], list[dict], list[str]]:
    """The targets of the plan's tables, the female-share thresholds they set, and warnings."""
    targets: list[dict] = []
    thresholds: list[dict] = []
    warnings: list[str] = []
    for rows in _tables(lines, plan.horizon):
        cells = [_cells(r) for r in rows]
        down = _years_down(rows, cells, lines, plan, thresholds)
        if down is not None:
            targets.extend(down)
            continue
        counts = [sum(1 for c in row if _column_year(c, plan.horizon)) for row in cells[:4]]
        header_idx = max(range(len(counts)), key=lambda i: (counts[i], -i)) if any(counts) else None
        revised = _revised(cells, rows, plan)
        if revised:
            targets.extend(revised)
            continue
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
        note = _note(lines, rows)
        if note:
            columns = {i: (year, True) for i, (year, _) in columns.items()}
        unit_col = next((i for i, c in enumerate(header) if _UNIT_HEADER.match(fold(c).strip(" .()"))), None)
        first_year = min(columns)
        for row_line, row in zip(rows[header_idx + 1:], cells[header_idx + 1:], strict=True):
            if row == header or _is_header_like(row, plan.horizon):
                continue
            label_cells = [c for i, c in enumerate(row[:first_year]) if i != unit_col and not _ROWNUM.match(fold(c))]
            label = " ".join(label_cells).strip()
            if not label:
                continue
            unit = row[unit_col] if unit_col is not None and unit_col < len(row) else ""
            threshold = _threshold(label, [row[i] for i in columns if i < len(row) and row[i].strip(" -")], row_line)
            if threshold:
                thresholds.append(threshold)
                continue
            # "Số HTX … được củng cố (lũy kế)": this row's yearly figures are cumulative.
            row_cumulative = bool(_CUMULATIVE_NOTE.search(fold(label)))
            label = _ROW_NOTE.sub("", label).strip()
            label, unit = _label_and_unit(label, unit)
            for i, (year, cumulative) in columns.items():
                if i >= len(row) or not re.search(r"\d", row[i]):
                    continue
                for t in _cell_target(label, unit, row[i], year, cumulative or row_cumulative):
                    t["evidence"] = row_line.evidence()
                    t["evidence"]["column"] = header[i]
                    targets.append(t)
    return targets, thresholds, warnings


def _revised(cells: list[list[str]], rows: list[Line], plan: Plan) -> list[dict] | None:
    """The targets of a table revising an earlier plan's: only its revised column counts.

    "| TT | Chỉ tiêu đến năm 2025 | Theo Kế hoạch số 152/KH-UBND | Điều chỉnh, bổ sung | Ghi chú |": the
    year is the one the header names ("đến năm 2025", cumulative), else the year heading the table stands
    under, else the plan's horizon.  Columns before the revised one that hold the earlier figures are no
    part of the label.
    """
    header = cells[0]
    new = next((i for i, c in enumerate(header) if _REVISED_CELL.search(fold(c))), None)
    if new is None or new == 0:
        return None
    year, cumulative = None, True
    for c in header:
        phrase = year_phrase(fold(c))
        if phrase and phrase[0]:
            year, cumulative = phrase[0], phrase[1]
            break
    if year is None:
        year, cumulative = rows[0].year_ctx if rows[0].year_ctx and rows[0].year_ctx[0] else (plan.horizon, True)
    labels = [i for i in range(new) if not _EARLIER_CELL.search(fold(header[i]))]
    unit_col = next((i for i, c in enumerate(header) if _UNIT_HEADER.match(fold(c).strip(" .()"))), None)
    targets: list[dict] = []
    for row_line, row in zip(rows[1:], cells[1:], strict=True):
        if new >= len(row) or not re.search(r"\d", row[new]):
            continue
        label = " ".join(row[i] for i in labels if i < len(row) and i != unit_col
                         and not _ROWNUM.match(fold(row[i]))).strip()
        unit = row[unit_col] if unit_col is not None and unit_col < len(row) else ""
        label, unit = _label_and_unit(label, unit)
        for t in _cell_target(label, unit, row[new], year, cumulative):
            t["evidence"] = row_line.evidence()
            t["evidence"]["column"] = header[new]
            targets.append(t)
    return targets


def _cell_target(label: str, unit: str, cell: str, year: int | None, cumulative: bool) -> list[dict]:
    """Read the row as the sentence "<label> : <cell> <noun> <label>" and classify it.

    The label before the value carries the action ("được củng cố", "thành lập
    mới", "có việc làm ổn định"); repeated after the noun it carries the
    location ("trong HTX"), exactly as in a sentence.
    """
    unit_f = fold(unit).strip(" .()")
    is_pct = unit_f in ("ty le", "ti le") or "%" in unit_f or "%" in cell
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
