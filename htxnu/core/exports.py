"""Spreadsheet downloads shared by every list: one .xlsx built in write-only mode (rows
streamed into the file, not held as cell objects), Vietnamese headers in bold, dates
as real dates so Excel sorts and filters them.

Formula injection: a value typed by a user that starts with = + - @ (or a tab or a
carriage return) is what a spreadsheet runs as a formula — a cooperative named
`=HYPERLINK("http://x","y")` became a live link in every export (issue #14). Every
export writes such text through `xlsx_cell` (a text cell, never a formula) and
`csv_value` (prefixed with ', as OWASP advises), so the file shows what was typed."""

import io
from collections.abc import Iterable

from django.http import HttpResponse
from django.utils.text import slugify

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_response(filename: str, sheets: Iterable[tuple[str, list[str], Iterable[Iterable]]]) -> HttpResponse:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    bold = Font(bold=True)
    for title, headers, rows in sheets:
        sheet = workbook.create_sheet(title=title[:31])
        header_cells = []
        for header in headers:
            cell = WriteOnlyCell(sheet, value=str(header))
            cell.font = bold
            header_cells.append(cell)
        sheet.append(header_cells)
        for row in rows:
            sheet.append([xlsx_cell(sheet, _cell_value(v)) for v in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    safe = slugify(filename) or "export"
    response["Content-Disposition"] = f'attachment; filename="{safe}.xlsx"'
    return response


def _cell_value(value):
    if value is None:
        return ""
    if isinstance(value, (int, float, str)) or hasattr(value, "isoformat"):
        return value
    return str(value)


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def is_formula_like(value) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def xlsx_cell(sheet, value, number_format: str = ""):
    """A value for a write-only sheet's row: formula-like text as a text cell."""
    from openpyxl.cell import WriteOnlyCell

    if not (is_formula_like(value) or number_format):
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
