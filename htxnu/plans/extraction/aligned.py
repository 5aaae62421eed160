"""Tables laid out with spaces: columns recovered from where their cells start and end.

``pdftotext -layout``, and a Word table pasted as text, give a table as lines
whose cells are separated by runs of spaces, each column at the same place on
every line:

    TT  Chỉ tiêu                         ĐVT    2026    2027   Giai đoạn
                                                                2026-2030
    1   Số HTX do phụ nữ quản lý được    HTX       6       7          34
        thành lập mới
    2   Sản phẩm OCOP của HTX do phụ     Sản       -       4           8
        nữ quản lý                       phẩm

Rules:

- A block starts at a line whose cells (text separated by two or more
  spaces) are at least three, two of them years ("2026", "Năm 2026") or a
  phase ("Giai đoạn 2026-2030").  It goes on while each line is indented or
  has a gap of two or more spaces; a blank line ends it unless the line after
  it is a row of the table (three cells or more), and a line of one cell
  running across three columns or more (an indented paragraph) ends it.  A
  line of one cell ending before the first year column, with no figure, is
  in it too (a label wrapped at the margin).
- The header's cells give the columns; each cell of a line belongs to the
  column whose header it overlaps most (numbers stand right-aligned under a
  left-aligned header), else the nearest.
- Lines right after the header with no number but years continue the header
  ("Giai đoạn" / "2026-2030").  A line with nothing in the year columns and
  no row number continues the row above: a wrapped label, or a unit on two
  lines ("Triệu đồng/" / "tháng").
- Years on a second header line ("Chỉ tiêu   ĐVT   Kế hoạch giai đoạn 2026 -
  2030" over "2026  2027 … Cả giai đoạn"): the line above the years, of two
  cells or more and no figure but years, is the header's first line; its
  cells over no year cell (the label, the unit) are columns, the one spanning
  the years is their common heading and no column.
- A row whose figures sit on the second line of its wrapped label: a row with
  no figure yet (opened by a row number, or the first after the header) takes
  the next line without a row number as its continuation, figures included.
  Without row numbers, a label line opening with a capitalised word ("Số THT
  do phụ nữ …") after a row with figures opens a row; one in lower case
  ("lập mới") continues the row above.
- "-" is an empty cell (the table reader skips cells without a figure).

Each recovered row becomes a table row of ``structure`` ("cell | cell | …"),
every character keeping its offset in the source, and the table reader
(``tables``) reads it like any other.
"""
from __future__ import annotations

import re
import unicodedata

from .text import fold

_CELL = re.compile(r"\S+(?: \S+)*")
_GAP = re.compile(r"\S {2,}\S")
_YEARISH = re.compile(r"^(?:nam\s+)?(?:19|20)\d\d$|giai doan|(?:19|20)\d\d\s*[-–]\s*(?:19|20)\d\d")
_NUMBER = re.compile(r"\d")
_YEARS_ONLY = re.compile(r"^[\s\-–]*(?:(?:19|20)\d\d[\s\-–]*)+$")
_ROWNUM_HEADER = re.compile(r"^(?:s?tt|so tt|so thu tu)$")

Row = tuple[str, list[int]]


def _columns(raw: str) -> list[tuple[int, int, int]]:
    """(display start, display end, char start) of each cell; combining marks take no column."""
    width = [0]
    for ch in raw:
        width.append(width[-1] + (0 if unicodedata.combining(ch) else 1))
    return [(width[m.start()], width[m.end()], m.start()) for m in _CELL.finditer(raw)]


def _cells(raw: str) -> list[str]:
    return [m.group() for m in _CELL.finditer(raw)]


def _is_header(raw: str) -> bool:
    if "\t" in raw or "|" in raw:
        return False
    cells = _cells(raw)
    return len(cells) >= 3 and sum(1 for c in cells if _YEARISH.search(fold(c))) >= 2 and bool(_GAP.search(raw))


def _is_header_above(raw: str) -> bool:
    """The first line of a two-line header: two cells or more, no figure but years."""
    if "\t" in raw or "|" in raw or not _GAP.search(raw.strip()):
        return False
    cells = _cells(raw)
    return len(cells) >= 2 and all(_YEARISH.search(fold(c)) or not _NUMBER.search(c) for c in cells)


def _in_block(raw: str) -> bool:
    return bool(raw.strip()) and "\t" not in raw and "|" not in raw and (
        raw.startswith("  ") or bool(_GAP.search(raw.strip())))


def _assign(spans: list[tuple[int, int]], start: int, end: int) -> int:
    def key(i: int) -> tuple[int, int]:
        s, e = spans[i]
        overlap = min(e, end) - max(s, start)
        return (overlap, 0) if overlap > 0 else (0, -max(s - end, start - e))
    return max(range(len(spans)), key=key)


def aligned_tables(raws: list[tuple[str, int]]) -> dict[int, tuple[int, list[Row]]]:
    """Space-aligned tables among the source's lines (text without line end, offset of its first character).

    Returns {index of the block's first line: (index after its last line, rows)}.
    """
    found: dict[int, tuple[int, list[Row]]] = {}
    i = 0
    while i < len(raws):
        if not _is_header(raws[i][0]):
            i += 1
            continue
        # "Chỉ tiêu   ĐVT   Kế hoạch giai đoạn 2026 - 2030" above the years: the header's first line.
        above = i > 0 and (i - 1) not in _taken(found) and _is_header_above(raws[i - 1][0])
        # A label wrapped at the margin, with no gap: one cell ending before the first year column.
        years_at = min(s for (s, _, _), c in zip(_columns(raws[i][0]), _cells(raws[i][0]), strict=True)
                       if _YEARISH.search(fold(c)))
        end = i + 1
        while end < len(raws):
            blank_then_row = not raws[end][0].strip() and end + 1 < len(raws) \
                and len(_cells(raws[end + 1][0])) >= 3 and _in_block(raws[end + 1][0])
            cells = _columns(raws[end][0])
            wrapped = len(cells) == 1 and cells[0][1] < years_at and "\t" not in raws[end][0] \
                and "|" not in raws[end][0] and not _NUMBER.search(raws[end][0])
            if not (_in_block(raws[end][0]) or blank_then_row or wrapped):
                break
            end += 1
        first = i - 1 if above else i
        block = [(k, r) for k, r in enumerate(raws[first:end], start=first) if r[0].strip()]
        rows, used = _rows([r for _, r in block], two_line_header=bool(above))
        if len(rows) >= 2:
            end = block[used - 1][0] + 1 if used < len(block) else end
            found[first] = (end, rows)
            i = end
        else:
            i += 1
    return found


def _taken(found: dict[int, tuple[int, list[Row]]]) -> set[int]:
    return {k for start, (end, _) in found.items() for k in range(start, end)}


def _header_cells(block: list[tuple[str, int]], two_line: bool) -> list[tuple[int, int, int, int]]:
    """(display start, display end, line, char start) of the header's cells: on two lines, the years' line's
    and those of the line above over none of them (the label, the unit), in the order they stand."""
    lower = [(s, e, 1 if two_line else 0, at) for s, e, at in _columns(block[1 if two_line else 0][0])]
    if not two_line:
        return lower
    upper = [(s, e, 0, at) for s, e, at in _columns(block[0][0])
             if not any(min(e, le) > max(s, ls) for ls, le, _, _ in lower)]
    return sorted(upper + lower)


def _rows(block: list[tuple[str, int]], two_line_header: bool = False) -> tuple[list[Row], int]:
    """The rows of a block, and how many of its lines they take: an indented paragraph after the table
    (one cell running across several columns) is no part of it."""
    heads = _header_cells(block, two_line_header)
    spans = [(s, e) for s, e, _, _ in heads]
    head_texts = [_CELL.match(block[k][0], at).group() for _, _, k, at in heads]
    # cells[row][column] = list of (text, [offsets])
    table: list[list[list[tuple[str, list[int]]]]] = [[
        [(text, list(range(block[k][1] + at, block[k][1] + at + len(text))))]
        for text, (_, _, k, at) in zip(head_texts, heads, strict=True)]]
    rownum = bool(_ROWNUM_HEADER.match(fold(head_texts[0]).strip(" .")))
    year_cols = {k for k, c in enumerate(head_texts) if _YEARISH.search(fold(c))}
    first_value = min(year_cols)
    skip = 2 if two_line_header else 1
    for n, (raw, offset) in enumerate(block):
        if n < skip:
            continue
        placed: dict[int, list[tuple[str, list[int]]]] = {}
        widths: dict[tuple[int, str], tuple[int, int]] = {}
        for s, e, at in _columns(raw):
            text = _CELL.match(raw, at).group()
            column = _assign(spans, s, e)
            placed.setdefault(column, []).append((text, list(range(offset + at, offset + at + len(text)))))
            widths[(column, text)] = (s, e)
        cells = _columns(raw)
        if len(cells) == 1 and sum(1 for s, e in spans if min(e, cells[0][1]) > max(s, cells[0][0])) >= 3:
            return [_row_text(row) for row in table], n
        texts = [t for parts in placed.values() for t, _ in parts]
        header_more = len(table) == 1 and all(_YEARS_ONLY.match(t) or not _NUMBER.search(t) for t in texts)
        values = any(k >= first_value for k in placed)
        numbered = rownum and 0 in placed
        # A label waiting for its figures (the row's number, or the first row, on a line of its own).
        waiting = len(table) > 1 and not any(table[-1][k] for k in range(first_value, len(spans)))
        label = texts[0] if texts and not values else ""
        opens = not rownum and len(table) > 1 and not waiting and label[:1].isupper() and not label.split()[0].isupper()
        new_row = not header_more and (numbered or (values and not waiting) or opens or len(table) == 1)
        if new_row:
            table.append([placed.get(k, []) for k in range(len(spans))])
            continue
        for k, parts in placed.items():  # a wrapped label, unit or header cell
            table[-1][k].extend(parts)
            if len(table) == 1:
                # "2026-2030" under "Giai đoạn": the column now spans both lines' text.
                for text, _ in parts:
                    s, e = widths[(k, text)]
                    spans[k] = (min(s, spans[k][0]), max(e, spans[k][1]))
    return [_row_text(row) for row in table], len(block)


def _row_text(row: list[list[tuple[str, list[int]]]]) -> Row:
    text = ""
    pos: list[int] = []
    last = 0
    for k, parts in enumerate(row):
        if k:
            text += " | "
            anchor = parts[0][1][0] if parts and parts[0][1] else last
            pos.extend([anchor] * 3)
        for j, (piece, offsets) in enumerate(parts):
            if j:
                text += " "
                pos.append(offsets[0] - 1 if offsets else last)
            text += piece
            pos.extend(offsets)
            if offsets:
                last = offsets[-1]
    while text.endswith(" | ") or text.endswith(" |"):
        cut = 3 if text.endswith(" | ") else 2
        text, pos = text[:-cut], pos[:-cut]
    return text, pos
