"""A lean reader of the cell values of one sheet of an .xlsx file.

openpyxl builds a cell object with its style for every cell it reads, which made
reading a 10,000-row upload the slowest step of an import. We need only values, so
this reads the sheet's XML with the standard library's streaming parser: shared
strings, inline strings, numbers, booleans, and numbers formatted as dates (from the
workbook's styles) returned as dates. Anything it cannot read raises ValueError and
the caller falls back to openpyxl.

A hostile file must not exhaust the worker (issue #14): a cell reference beyond Excel's
last column (XFD) is refused (CellOutOfRange), cells beyond `max_columns` are skipped,
so no row is ever built wider than that, and reading stops as soon as the sheet has
more than `max_rows` rows with values (TooManyRows), not after reading them all."""

import datetime
import posixpath
import re
import zipfile
from xml.etree.ElementTree import iterparse

NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
REL_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
# Built-in number formats that are dates (ECMA-376, 18.8.30).
DATE_FORMAT_IDS = {14, 15, 16, 17, 18, 19, 20, 21, 22, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 45, 46, 47, 50, 51,
                   52, 53, 54, 55, 56, 57, 58}
_REF = re.compile(r"([A-Z]+)(\d+)")
_QUOTED = re.compile(r'"[^"]*"|\[[^\]]*\]|\\.')
EPOCH = datetime.datetime(1899, 12, 30)
LAST_COLUMN = 16_383  # XFD, Excel's last column (0-based)


class CellOutOfRange(Exception):
    """A cell reference no spreadsheet program writes (beyond XFD)."""

    def __init__(self, ref: str):
        super().__init__(ref)
        self.ref = ref


class TooManyRows(Exception):
    pass


def _column_index(letters: str) -> int:
    if len(letters) > 3:
        raise CellOutOfRange(letters)
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    if n - 1 > LAST_COLUMN:
        raise CellOutOfRange(letters)
    return n - 1


def _is_date_format(code: str) -> bool:
    code = _QUOTED.sub("", code).lower()
    return any(ch in code for ch in "dmy") and "general" not in code


def _sheet_paths(z: zipfile.ZipFile) -> dict[str, str]:
    rels = {}
    with z.open("xl/_rels/workbook.xml.rels") as f:
        for _event, el in iterparse(f):
            if el.tag == f"{PKG_REL}Relationship":
                target = el.get("Target")
                rels[el.get("Id")] = target.lstrip("/") if target.startswith("/") else posixpath.join("xl", target)
    sheets = {}
    with z.open("xl/workbook.xml") as f:
        for _event, el in iterparse(f):
            if el.tag == f"{NS}sheet":
                sheets[el.get("name")] = rels[el.get(f"{REL_NS}id")]
    return sheets


def _shared_strings(z: zipfile.ZipFile) -> list[str]:
    if "xl/sharedStrings.xml" not in z.namelist():
        return []
    strings = []
    with z.open("xl/sharedStrings.xml") as f:
        for _event, el in iterparse(f):
            if el.tag == f"{NS}si":
                strings.append("".join(t.text or "" for t in el.iter(f"{NS}t")))
                el.clear()
    return strings


def _date_styles(z: zipfile.ZipFile) -> set[int]:
    if "xl/styles.xml" not in z.namelist():
        return set()
    custom, xfs, in_cell_xfs = {}, [], False
    with z.open("xl/styles.xml") as f:
        for event, el in iterparse(f, events=("start", "end")):
            if el.tag == f"{NS}cellXfs":
                in_cell_xfs = event == "start"
            elif event == "end" and el.tag == f"{NS}numFmt":
                custom[int(el.get("numFmtId"))] = el.get("formatCode") or ""
            elif event == "end" and el.tag == f"{NS}xf" and in_cell_xfs:
                xfs.append(int(el.get("numFmtId") or 0))
    return {i for i, fmt in enumerate(xfs) if fmt in DATE_FORMAT_IDS or (fmt in custom and
                                                                         _is_date_format(custom[fmt]))}


def sheet_names(data) -> list[str]:
    with zipfile.ZipFile(data) as z:
        return list(_sheet_paths(z))


def read_rows(data, sheet: str, *, max_columns: int = LAST_COLUMN + 1, max_rows: int | None = None):
    """(row number, tuple of values) for every row of the sheet that has a cell, the
    tuple at most `max_columns` wide. TooManyRows past `max_rows` rows with a value."""
    with zipfile.ZipFile(data) as z:
        path = _sheet_paths(z)[sheet]
        strings = _shared_strings(z)
        dates = _date_styles(z)
        rows = []
        with z.open(path) as f:
            values: dict[int, object] = {}
            number = 0
            for _event, el in iterparse(f):
                tag = el.tag
                if tag == f"{NS}c":
                    ref = el.get("r")
                    match = _REF.match(ref) if ref else None
                    if match is None:
                        raise ValueError("cell without a reference")
                    kind = el.get("t")
                    if kind == "inlineStr":
                        value = "".join(t.text or "" for t in el.iter(f"{NS}t"))
                    else:
                        v = el.find(f"{NS}v")
                        text = v.text if v is not None else None
                        if text is None:
                            value = None
                        elif kind == "s":
                            value = strings[int(text)]
                        elif kind in ("str", "e"):
                            value = text
                        elif kind == "b":
                            value = text == "1"
                        else:
                            number_value = float(text)
                            if int(el.get("s") or 0) in dates:
                                value = EPOCH + datetime.timedelta(days=number_value)
                            elif number_value.is_integer() and "." not in text and "E" not in text.upper():
                                value = int(text)
                            else:
                                value = number_value
                    try:
                        column = _column_index(match.group(1))
                    except CellOutOfRange:
                        raise CellOutOfRange(ref) from None
                    if value is not None and column < max_columns:
                        values[column] = value
                    el.clear()
                elif tag == f"{NS}row":
                    number = int(el.get("r") or number + 1)
                    if values:
                        if max_rows is not None and len(rows) >= max_rows:
                            raise TooManyRows
                        width = max(values) + 1
                        rows.append((number, tuple(values.get(i) for i in range(width))))
                    values = {}
                    el.clear()
        return rows
