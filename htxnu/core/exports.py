"""Spreadsheet downloads shared by every list: one .xlsx built in write-only mode (rows
streamed into the file, not held as cell objects), Vietnamese headers in bold and
frozen, repeated on every printed page (landscape, fitted to the width), numbers and
dates as real numbers and dates (dd/mm/yyyy) so Excel sorts and adds them, nothing
typed in an empty cell.

Formula injection: a value typed by a user that starts with = + - @ (or a tab or a
carriage return) is what a spreadsheet runs as a formula — a cooperative named
`=HYPERLINK("http://x","y")` became a live link in every export (issue #14). Every
export writes such text through `xlsx_cell` (a text cell, never a formula) and
`csv_value` (prefixed with ', as OWASP advises), so the file shows what was typed."""

import datetime
import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.http import HttpResponse
from django.utils.text import slugify

from htxnu.text import strip_diacritics

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


PERCENT = "0.0%"  # a share stored as a fraction (0.385), shown as 38,5% in a Vietnamese Excel
NUMBER = "#,##0.##"  # thousands grouped, up to two decimals, in the reader's own separators
WHOLE = "#,##0"
DATE = "dd/mm/yyyy"


@dataclass
class Sheet:
    """A sheet with more than a header and rows: title lines above the header (unit,
    period, cut-off, date printed), column widths in characters and number formats by
    column index. Every sheet gets a frozen header, the header row repeated on each
    printed page, landscape fitted to the page width."""

    title: str
    headers: list[str]
    rows: Iterable[Iterable]
    intro: list[str] = field(default_factory=list)
    widths: list[float] = field(default_factory=list)
    formats: dict[int, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Formatted:
    """A value with its own number format, where a column mixes them (a summary row whose
    indicator is a percentage)."""

    value: object
    number_format: str


def file_name(*parts) -> str:
    """A download's name in Vietnamese without diacritics: file_name("báo cáo năm", 2026,
    "Lào Cai") → "bao-cao-nam-2026-lao-cai" (đ as d: slugify alone would drop it)."""
    return slugify(strip_diacritics(" ".join(str(p) for p in parts if p not in (None, ""))))


def xlsx_response(filename: str, sheets: Iterable[Sheet | tuple[str, list[str], Iterable[Iterable]]]) -> HttpResponse:
    """`sheets`: Sheet objects, or (title, headers, rows) for a plain one."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=True)
    bold = Font(bold=True)
    for entry in sheets:
        spec = entry if isinstance(entry, Sheet) else Sheet(*entry)
        sheet = workbook.create_sheet(title=spec.title[:31])
        for index, header in enumerate(spec.headers):
            width = spec.widths[index] if index < len(spec.widths) else min(max(len(str(header)) + 2, 12), 40)
            sheet.column_dimensions[get_column_letter(index + 1)].width = width
        header_row = len(spec.intro) + (1 if spec.intro else 0) + 1
        # Before the first row: a write-only sheet writes its view and page setup with it.
        sheet.freeze_panes = f"A{header_row + 1}"
        sheet.print_title_rows = f"{header_row}:{header_row}"
        sheet.page_setup.orientation = "landscape"
        sheet.page_setup.paperSize = "9"  # A4
        sheet.page_setup.fitToWidth = 1
        sheet.page_setup.fitToHeight = 0
        sheet.sheet_properties.pageSetUpPr.fitToPage = True
        for number, line in enumerate(spec.intro):
            cell = WriteOnlyCell(sheet, value=line)
            cell.font = Font(bold=True, size=13) if number == 0 else Font(italic=True)
            sheet.append([cell])
        if spec.intro:
            sheet.append([])
        header_cells = []
        for header in spec.headers:
            cell = WriteOnlyCell(sheet, value=str(header))
            cell.font = bold
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            header_cells.append(cell)
        sheet.append(header_cells)
        for row in spec.rows:
            sheet.append([_cell(sheet, v, spec.formats.get(i)) for i, v in enumerate(row)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    safe = file_name(filename) or "export"
    response["Content-Disposition"] = f'attachment; filename="{safe}.xlsx"'
    return response


def _cell(sheet, value, number_format: str | None):
    if isinstance(value, Formatted):
        value, number_format = value.value, value.number_format
    return xlsx_cell(sheet, _cell_value(value), number_format or _default_format(value))


def _default_format(value) -> str:
    if isinstance(value, datetime.datetime):
        return DATE + " hh:mm"
    return DATE if isinstance(value, datetime.date) else ""


def _cell_value(value):
    if value is None or value == "":
        return None  # an empty cell, not an empty string
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, (int, float, str)) or hasattr(value, "isoformat"):
        return value
    return str(value)


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def is_formula_like(value) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def xlsx_cell(sheet, value, number_format: str = ""):
    """A value for a write-only sheet's row: formula-like text as a text cell."""
    from openpyxl.cell import WriteOnlyCell

    if value is None or not (is_formula_like(value) or number_format):
        return value
    cell = WriteOnlyCell(sheet, value=value)
    if is_formula_like(value):
        cell.data_type = "s"  # openpyxl would store "=…" as a formula
    if number_format:
        cell.number_format = number_format
    return cell


def csv_value(value):
    """A value for a .csv row: formula-like text prefixed with ' so no spreadsheet runs it."""
    return f"'{value}" if is_formula_like(value) else value
