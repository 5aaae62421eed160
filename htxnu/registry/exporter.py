"""Export of a filtered list to .xlsx and .csv, in the columns of the import workbook
(so an exported file can be corrected and imported again) followed by read-only
columns (commune code, province, eligibility). Rows are read in chunks and written as
they come: memory stays flat at province and national scale."""

import csv
import datetime
import tempfile
from collections.abc import Iterator

from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from htxnu.core.exports import csv_value, xlsx_cell

from . import workbook
from .models import Position
from .selectors import export_rows
from .workbook import COLUMNS

# Which current manager is "the main manager" of a row, most senior first.
MAIN_POSITIONS = [Position.DIRECTOR, Position.BOARD_CHAIR, Position.GROUP_LEADER, Position.BOARD_MEMBER,
                  Position.DEPUTY_LEADER, Position.SUPERVISOR, Position.ACCOUNTANT, Position.OTHER]


def extra_headers() -> list[str]:
    return [_("Commune code"), _("Province"), _("Women-managed"), _("Female share of workers (%)"),
            _("Best OCOP rating"), _("Record id")]


def headers() -> list[str]:
    return [workbook.header_text(c) for c in COLUMNS] + extra_headers()


def _main_manager(managers):
    if not managers:
        return None
    return min(managers, key=lambda m: (MAIN_POSITIONS.index(m.position) if m.position in MAIN_POSITIONS else 99,
                                         m.pk))


def _labels(column) -> dict:
    return dict(column.choices.choices) if column.choices else {}


def rows(qs) -> Iterator[list]:
    """Plain values in the order of headers(): dates as dates, numbers as numbers."""
    with translation.override("vi"):
        yes, no = _("Yes"), _("No")
        labels = {c.key: {k: str(v) for k, v in _labels(c).items()} for c in COLUMNS}
        for c in export_rows(qs):
            m = _main_manager(c.current_managers)
            values = {
                "type": c.type, "name": c.name, "registration_code": c.registration_code, "commune": c.commune.name,
                "address": c.address, "founded_on": c.founded_on, "sector": c.sector,
                "main_products": c.main_products, "status": c.status, "governance": c.governance,
                "union_supported_founding": c.union_supported_founding,
                "union_support_level": c.union_support_level, "in_value_chain": c.in_value_chain,
                "digital_transformation": c.digital_transformation,
                "ecommerce_channels": c.ecommerce_channels, "social_insurance": c.social_insurance,
                "agricultural_insurance": c.agricultural_insurance,
                "as_of": c.workforce_as_of, "members": c.members, "female_members": c.female_members,
                "workers": c.workers, "female_workers": c.female_workers, "women_stable_jobs": c.women_stable_jobs,
                "avg_monthly_income": None,
            }
            if m is not None:
                values.update(manager_name=m.full_name, manager_gender=m.gender, manager_birth_year=m.birth_year,
                              manager_position=m.position, manager_phone=m.phone)
            out = []
            for column in COLUMNS:
                value = values.get(column.key)
                if column.kind == "enum":
                    value = labels[column.key].get(value, "") if value else ""
                elif column.kind == "multi":
                    value = ", ".join(labels[column.key].get(v, v) for v in value or [])
                elif column.kind == "bool":
                    value = yes if value else no
                out.append("" if value is None else value)
            out += [c.commune.code, c.commune.parent.name if c.commune.parent_id else "",
                    yes if c.is_women_managed else no,
                    float(c.female_worker_share) if c.female_worker_share is not None else "",
                    c.best_ocop_stars or "", c.pk]
            yield out


class _Echo:
    def write(self, value):
        return value


def csv_chunks(qs) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield "\ufeff"  # so Excel opens the UTF-8 file with its accents
    yield writer.writerow(headers())
    for row in rows(qs):
        yield writer.writerow([v.strftime("%d/%m/%Y") if isinstance(v, datetime.date) else csv_value(v) for v in row])


def xlsx_file(qs):
    """A temporary file holding the workbook; openpyxl's write-only mode keeps rows on disk."""
    with translation.override("vi"):
        wb = Workbook(write_only=True)
        ws = wb.create_sheet(workbook.DATA_SHEET)
        for index, column in enumerate(COLUMNS + [None] * len(extra_headers())):
            ws.column_dimensions[get_column_letter(index + 1)].width = column.width if column else 14
        ws.freeze_panes = "C2"
        header = []
        for text in headers():
            cell = WriteOnlyCell(ws, value=text)
            cell.font = Font(bold=True)
            header.append(cell)
        ws.append(header)
        date_columns = {i for i, c in enumerate(COLUMNS) if c.kind == "date"}
        for row in rows(qs):
            ws.append([xlsx_cell(ws, value, "DD/MM/YYYY" if i in date_columns and value else "")
                       for i, value in enumerate(row)])
        out = tempfile.TemporaryFile()  # noqa: SIM115 (handed to FileResponse, which closes it)
        wb.save(out)
        out.seek(0)
        return out
