"""Build the Word copies of the corpus plans (python-docx), as an officer's Word file would hold them.

    python -m htxnu.plans.tests.corpus.build OUT_DIR   # writes <plan>.docx beside nothing else

Each ``cNN_*.txt`` is the plan as typed; ``to_docx`` lays it out in Word:

- lines starting with "|" are table rows; consecutive rows make one table;
- in a header row (before the first row whose first cell is a number or a
  year), equal neighbouring cells are one merged cell, and a cell equal to
  the one above it in the header is merged vertically, the way officers draw
  "Kế hoạch các năm" over the year columns and "TT" over two header rows;
- a page-number line ("- 7 -") between rows ends the table and starts a new
  page: Word users split a long table there, and the rows after it form a new
  table, with or without the header repeated;
- every other line is a paragraph.

Reading the .docx back gives the same text as the .txt (merged cells repeat
their text in every column they span), which is what the corpus test checks.
"""
from __future__ import annotations

import io
import re
import sys
from pathlib import Path

CORPUS = Path(__file__).resolve().parent
_PAGE_NUMBER = re.compile(r"^\s*-\s*\d{1,3}\s*-\s*$")
_DATA_CELL = re.compile(r"^(?:\d{1,2}|(?:19|20)\d\d|tổng.*)$", re.I)


def plans() -> list[Path]:
    return sorted(CORPUS.glob("c[0-9][0-9]_*.txt"))


def _cells(line: str) -> list[str]:
    return [c.strip() for c in line.strip().strip("|").split("|")]


def _add_table(word, rows: list[list[str]]) -> None:
    width = max(len(r) for r in rows)
    rows = [r + [""] * (width - len(r)) for r in rows]
    header = 0
    while header < len(rows) and not _DATA_CELL.match(rows[header][0]):
        header += 1
    table = word.add_table(rows=len(rows), cols=width)
    table.style = "Table Grid"
    for i, row in enumerate(rows):
        for j, text in enumerate(row):
            if i < header and j and text and row[j - 1] == text:
                continue
            if i < header and i and text and rows[i - 1][j] == text:
                continue
            table.cell(i, j).text = text
    for i in range(header):
        for j in range(width):
            text = rows[i][j]
            if not text:
                continue
            end = j
            while end + 1 < width and rows[i][end + 1] == text and (not i or rows[i - 1][end + 1] != text):
                end += 1
            if end > j and (not j or rows[i][j - 1] != text):
                table.cell(i, j).merge(table.cell(i, end))
            if i + 1 < header and rows[i + 1][j] == text and (not i or rows[i - 1][j] != text) \
                    and (not j or rows[i][j - 1] != text):
                table.cell(i, j).merge(table.cell(i + 1, j))


def to_docx(text: str) -> bytes:
    from docx import Document
    from docx.enum.text import WD_BREAK

    word = Document()
    rows: list[list[str]] = []

    def flush() -> None:
        if rows:
            _add_table(word, rows)
            rows.clear()

    for line in text.splitlines():
        if line.startswith("|"):
            rows.append(_cells(line))
            continue
        if _PAGE_NUMBER.match(line):
            flush()
            word.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
            continue
        flush()
        if line.strip():
            word.add_paragraph(line)
    flush()
    buffer = io.BytesIO()
    word.save(buffer)
    return buffer.getvalue()


def main(out: str) -> None:
    target = Path(out)
    target.mkdir(parents=True, exist_ok=True)
    for path in plans():
        (target / f"{path.stem}.docx").write_bytes(to_docx(path.read_text(encoding="utf-8")))


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else ".")
