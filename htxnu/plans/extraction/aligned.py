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
  running across three columns or more (an indented paragraph) ends it.
- The header's cells give the columns; each cell of a line belongs to the
  column whose header it overlaps most (numbers stand right-aligned under a
  left-aligned header), else the nearest.
- Lines right after the header with no number but years continue the header
  ("Giai đoạn" / "2026-2030").  A line with nothing in the year columns and
  no row number continues the row above: a wrapped label, or a unit on two
  lines ("Triệu đồng/" / "tháng").
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
        end = i + 1
        while end < len(raws):
            blank_then_row = not raws[end][0].strip() and end + 1 < len(raws) \
                and len(_cells(raws[end + 1][0])) >= 3 and _in_block(raws[end + 1][0])
            if not (_in_block(raws[end][0]) or blank_then_row):
                break
            end += 1
        block = [(k, r) for k, r in enumerate(raws[i:end], start=i) if r[0].strip()]
        rows, used = _rows([r for _, r in block])
        if len(rows) >= 2:
            end = block[used - 1][0] + 1 if used < len(block) else end
            found[i] = (end, rows)
            i = end
        else:
            i += 1
    return found


def _rows(block: list[tuple[str, int]]) -> tuple[list[Row], int]:
    """The rows of a block, and how many of its lines they take: an indented paragraph after the table
    (one cell running across several columns) is no part of it."""
    header_raw, _ = block[0]
    spans = [(s, e) for s, e, _ in _columns(header_raw)]
    # cells[row][column] = list of (text, [offsets])
    table: list[list[list[tuple[str, list[int]]]]] = []
    rownum = bool(_ROWNUM_HEADER.match(fold(_cells(header_raw)[0]).strip(" .")))
    year_cols = {k for k, c in enumerate(_cells(header_raw)) if _YEARISH.search(fold(c))}
    first_value = min(year_cols)
    for n, (raw, offset) in enumerate(block):
        placed: dict[int, list[tuple[str, list[int]]]] = {}
        widths: dict[tuple[int, str], tuple[int, int]] = {}
        for s, e, at in _columns(raw):
            text = _CELL.match(raw, at).group()
            column = _assign(spans, s, e)
            placed.setdefault(column, []).append((text, list(range(offset + at, offset + at + len(text)))))
            widths[(column, text)] = (s, e)
        if n == 0:
            table.append([placed.get(k, []) for k in range(len(spans))])
            continue
        cells = _columns(raw)
        if len(cells) == 1 and sum(1 for s, e in spans if min(e, cells[0][1]) > max(s, cells[0][0])) >= 3:
            return [_row_text(row) for row in table], n
        texts = [t for parts in placed.values() for t, _ in parts]
        header_more = len(table) == 1 and all(_YEARS_ONLY.match(t) or not _NUMBER.search(t) for t in texts)
        values = any(k >= first_value for k in placed)
        new_row = not header_more and ((rownum and 0 in placed) or values)
        if new_row or not table:
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
