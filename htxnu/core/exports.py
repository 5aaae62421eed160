"""Spreadsheet downloads shared by every list: one .xlsx built in write-only mode (rows
streamed into the file, not held as cell objects), Vietnamese headers in bold, dates
as real dates so Excel sorts and filters them."""

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
            sheet.append([_cell_value(v) for v in row])
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
