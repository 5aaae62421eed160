"""The registry workbook: the columns officers fill, how a cell is read, the template
they download, and their own file given back with the bad cells marked.

One column list serves the template, the import and the export, so a file exported
from the registry can be edited and imported again. Headers and enumeration labels
are Vietnamese whatever the interface language (the file is a form to exchange);
reading tolerates the habits of Excel users: labels with or without diacritics, the
short forms ("HTX", "Có"), dates typed as text in dd/mm/yyyy, numbers with thousands
separators, tax codes that Excel turned into numbers.
"""

import datetime
import io
import re
from dataclasses import dataclass, field

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook, load_workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from htxnu.text import nfc, search_key

from . import xlsx
from .models import CollectiveType, Gender, Governance, Position, SalesChannel, Sector, Status, UnionLevel

DATA_SHEET = "HTX_THT"
LISTS_SHEET = "DanhMuc"
HELP_SHEET = "HuongDan"
HEADER_ROW = 1
MAX_ROWS = 50_000
# Columns read from an upload: the template's and room for the user's own; cells
# further right are ignored, so no row is built wider than this (issue #14).
MAX_COLUMNS = 200


@dataclass(frozen=True)
class Column:
    key: str
    header: str  # lazily translated; always rendered in Vietnamese
    kind: str  # text, date, int, bool, enum, multi, commune, code
    required: bool = False
    choices: type | None = None
    width: int = 18
    max_length: int | None = None
    aliases: dict = field(default_factory=dict)


TYPE_ALIASES = {"htx": CollectiveType.HTX, "tht": CollectiveType.THT, "nhom": CollectiveType.GROUP}
POSITION_ALIASES = {
    "chu tich": Position.BOARD_CHAIR, "giam doc": Position.DIRECTOR, "tong giam doc": Position.DIRECTOR,
    "kiem soat vien": Position.SUPERVISOR, "truong ban kiem soat": Position.SUPERVISOR,
    "to truong": Position.GROUP_LEADER, "truong nhom": Position.GROUP_LEADER, "ke toan truong": Position.ACCOUNTANT,
}
STATUS_ALIASES = {"hoat dong": Status.ACTIVE, "dang hoat dong": Status.ACTIVE, "tam ngung": Status.SUSPENDED,
                  "giai the": Status.DISSOLVED}
LEVEL_ALIASES = {"trung uong": UnionLevel.CENTRAL, "tinh": UnionLevel.PROVINCE, "huyen": UnionLevel.DISTRICT,
                 "xa": UnionLevel.COMMUNE, "phuong": UnionLevel.COMMUNE}
GOVERNANCE_ALIASES = {"day du": Governance.FULL, "rut gon": Governance.SIMPLIFIED}

COLUMNS = [
    Column("type", gettext_lazy("Type"), "enum", True, CollectiveType, 20, aliases=TYPE_ALIASES),
    Column("name", gettext_lazy("Name of the cooperative or group"), "text", True, width=36, max_length=250),
    Column("registration_code", gettext_lazy("Registration / tax code"), "code", width=16, max_length=20),
    Column("commune", gettext_lazy("Commune / ward / special zone"), "commune", True, width=26),
    Column("address", gettext_lazy("Address"), "text", width=28, max_length=300),
    Column("founded_on", gettext_lazy("Founded on (dd/mm/yyyy)"), "date", width=14),
    Column("sector", gettext_lazy("Sector"), "enum", False, Sector, 22),
    Column("main_products", gettext_lazy("Main products"), "text", width=28, max_length=300),
    Column("status", gettext_lazy("Status"), "enum", False, Status, 20, aliases=STATUS_ALIASES),
    Column("governance", gettext_lazy("Governance model (HTX only)"), "enum", False, Governance, 22,
           aliases=GOVERNANCE_ALIASES),
    Column("union_supported_founding", gettext_lazy("Founding supported by the Union"), "bool", width=12),
    Column("union_support_level", gettext_lazy("Union level that supported it"), "enum", False, UnionLevel, 16,
           aliases=LEVEL_ALIASES),
    Column("in_value_chain", gettext_lazy("In a value chain"), "bool", width=12),
    Column("digital_transformation", gettext_lazy("Digital transformation"), "bool", width=12),
    Column("ecommerce_channels", gettext_lazy("E-commerce channels (comma-separated)"), "multi", False,
           SalesChannel, 22),
    Column("social_insurance", gettext_lazy("Social insurance for members"), "bool", width=12),
    Column("agricultural_insurance", gettext_lazy("Agricultural insurance"), "bool", width=12),
    Column("manager_name", gettext_lazy("Main manager: full name"), "text", width=24, max_length=150),
    Column("manager_gender", gettext_lazy("Main manager: gender"), "enum", False, Gender, 10),
    Column("manager_birth_year", gettext_lazy("Main manager: birth year"), "int", width=10),
    Column("manager_position", gettext_lazy("Main manager: position"), "enum", False, Position, 24,
           aliases=POSITION_ALIASES),
    Column("manager_phone", gettext_lazy("Main manager: phone"), "text", width=14, max_length=20),
    Column("as_of", gettext_lazy("Workforce as of (dd/mm/yyyy)"), "date", width=14),
    Column("members", gettext_lazy("Members"), "int", width=10),
    Column("female_members", gettext_lazy("Female members"), "int", width=10),
    Column("workers", gettext_lazy("Workers"), "int", width=10),
    Column("female_workers", gettext_lazy("Female workers"), "int", width=10),
    Column("women_stable_jobs", gettext_lazy("Stable jobs for women"), "int", width=10),
    Column("avg_monthly_income", gettext_lazy("Average monthly income (VND)"), "int", width=14),
]
BY_KEY = {c.key: c for c in COLUMNS}
MANAGER_KEYS = ["manager_name", "manager_gender", "manager_birth_year", "manager_position", "manager_phone"]
WORKFORCE_KEYS = ["members", "female_members", "workers", "female_workers", "women_stable_jobs"]
YES = {"co", "x", "1", "yes", "true", "dung", "c"}
NO = {"khong", "0", "no", "false", "k", "sai"}
_DATE_TEXT = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})$")
_CODE = re.compile(r"^[0-9A-Za-z][0-9A-Za-z\-]*$")


class CellError(ValueError):
    """A cell that cannot be read; the message is Vietnamese and says why."""


def vi(text) -> str:
    with translation.override("vi"):
        return str(text)


def header_text(column: Column) -> str:
    return vi(column.header)


def choice_labels(choices) -> list[str]:
    with translation.override("vi"):
        return [str(label) for _value, label in choices.choices]


class EnumReader:
    """Reads a label, a code or an alias of an enumeration, diacritics optional."""

    def __init__(self, choices, aliases: dict):
        self.lookup: dict[str, str] = {}
        with translation.override("vi"):
            pairs = [(value, str(label)) for value, label in choices.choices]
        for value, label in pairs:
            for variant in (label, value, label.split("(")[0], *label.split("/"), *re.findall(r"\((.*?)\)", label)):
                key = search_key(variant)
                if key:
                    self.lookup.setdefault(key, value)
        for alias, value in aliases.items():
            self.lookup.setdefault(search_key(alias), value)
        self.labels = [label for _v, label in pairs]

    def read(self, raw) -> str:
        key = search_key(str(raw))
        if key in self.lookup:
            return self.lookup[key]
        raise CellError(_("“%(value)s” is not in the list (%(choices)s).")
                        % {"value": raw, "choices": "; ".join(self.labels)})


_ENUM_READERS: dict[str, EnumReader] = {}


def enum_reader(column: Column) -> EnumReader:
    if column.key not in _ENUM_READERS:
        _ENUM_READERS[column.key] = EnumReader(column.choices, column.aliases)
    return _ENUM_READERS[column.key]


def read_date(raw) -> datetime.date:
    if isinstance(raw, datetime.datetime):
        return raw.date()
    if isinstance(raw, datetime.date):
        return raw
    if isinstance(raw, (int, float)) and 1 < raw < 80000:
        # A date Excel stored as a serial number in a cell not formatted as a date.
        return datetime.date(1899, 12, 30) + datetime.timedelta(days=int(raw))
    match = _DATE_TEXT.match(str(raw).strip())
    if match:
        day, month, year = (int(g) for g in match.groups())
        try:
            return datetime.date(year, month, day)
        except ValueError:
            pass
    raise CellError(_("“%(value)s” is not a date in the form dd/mm/yyyy.") % {"value": raw})


def read_int(raw) -> int:
    if isinstance(raw, bool):
        raise CellError(_("“%(value)s” is not a whole number.") % {"value": raw})
    if isinstance(raw, int):
        value = raw
    elif isinstance(raw, float):
        if not raw.is_integer():
            raise CellError(_("“%(value)s” is not a whole number.") % {"value": raw})
        value = int(raw)
    else:
        text = str(raw).strip().replace(" ", "").replace("\u00a0", "")
        # 1.234 or 1,234 written with a thousands separator
        if re.fullmatch(r"-?\d{1,3}([.,]\d{3})+", text):
            text = text.replace(".", "").replace(",", "")
        if not re.fullmatch(r"-?\d+", text):
            raise CellError(_("“%(value)s” is not a whole number.") % {"value": raw})
        value = int(text)
    if value < 0:
        raise CellError(_("The number cannot be negative."))
    if value > 2_000_000_000:
        raise CellError(_("The number is too large."))
    return value


def read_bool(raw) -> bool:
    if isinstance(raw, bool):
        return raw
    key = search_key(str(raw))
    if key in YES:
        return True
    if key in NO:
        return False
    raise CellError(_("Write “Có” or “Không”, not “%(value)s”.") % {"value": raw})


def read_code(raw) -> str:
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    if isinstance(raw, int):
        # Excel dropped the leading zero of a tax code typed as a number (01…, 02…).
        text = str(raw)
        return text.zfill(10) if len(text) < 10 else text
    text = nfc(str(raw)).replace(" ", "")
    if not _CODE.match(text):
        raise CellError(_("“%(value)s” is not a registration or tax code (digits and dashes).") % {"value": raw})
    return text


def read_cell(column: Column, raw):
    """The value of a non-empty cell for this column, or CellError."""
    if column.kind == "text":
        text = nfc(str(raw) if not isinstance(raw, float) or not raw.is_integer() else str(int(raw)))
        if column.max_length and len(text) > column.max_length:
            raise CellError(_("Too long: at most %(n)s characters.") % {"n": column.max_length})
        return text
    if column.kind == "code":
        return read_code(raw)
    if column.kind == "date":
        return read_date(raw)
    if column.kind == "int":
        return read_int(raw)
    if column.kind == "bool":
        return read_bool(raw)
    if column.kind == "enum":
        return enum_reader(column).read(raw)
    if column.kind == "multi":
        reader = enum_reader(column)
        return sorted({reader.read(part) for part in re.split(r"[,;]", str(raw)) if part.strip()})
    return nfc(str(raw))  # commune: resolved by the importer


def is_blank(raw) -> bool:
    return raw is None or (isinstance(raw, str) and not raw.strip())


# --- reading a file -------------------------------------------------------------------


@dataclass
class SheetData:
    sheet: str
    columns: dict[str, int]  # column key -> 0-based index
    rows: list[tuple[int, tuple]]  # (Excel row number, values)
    missing: list[Column]


def header_lookup() -> dict[str, str]:
    lookup = {}
    for c in COLUMNS:
        text = header_text(c)
        lookup[search_key(text)] = c.key
        lookup.setdefault(search_key(text.split("(")[0]), c.key)
        with translation.override("en"):
            lookup.setdefault(search_key(str(c.header)), c.key)
    return lookup


class FileError(ValueError):
    pass


def _pick_sheet(names: list[str]) -> str:
    if DATA_SHEET in names:
        return DATA_SHEET
    return next((n for n in names if n not in {HELP_SHEET, LISTS_SHEET}), names[0])


def _rows_with_openpyxl(data: bytes) -> tuple[str, list[tuple[int, tuple]]]:
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:
        raise FileError(_("This is not an Excel workbook (.xlsx). Download the template and fill it in.")) from None
    try:
        name = _pick_sheet(wb.sheetnames)
        rows = []
        for number, values in enumerate(wb[name].iter_rows(values_only=True, max_col=MAX_COLUMNS), start=1):
            if any(v is not None for v in values):
                if len(rows) > MAX_ROWS:
                    raise xlsx.TooManyRows
                rows.append((number, values))
        return name, rows
    except FileError:
        raise
    except ValueError:  # openpyxl on a reference beyond XFD
        raise FileError(_("This file is damaged: it has cells beyond the last column of Excel (XFD). Open it in "
                          "Excel, save it again and upload it again.")) from None
    finally:
        wb.close()


def read_workbook(data: bytes) -> SheetData:
    too_many = FileError(_("The file has more than %(n)s rows; split it.") % {"n": f"{MAX_ROWS:,}"})
    try:
        name = _pick_sheet(xlsx.sheet_names(io.BytesIO(data)))
        # The header row and at most MAX_ROWS rows: reading stops at the first row past them.
        rows = xlsx.read_rows(io.BytesIO(data), name, max_columns=MAX_COLUMNS, max_rows=MAX_ROWS + 1)
    except xlsx.TooManyRows:
        raise too_many from None
    except xlsx.CellOutOfRange as error:
        raise FileError(_("This file is damaged: cell %(ref)s lies beyond the last column of Excel (XFD). Open it "
                          "in Excel, save it again and upload it again.") % {"ref": error.ref}) from None
    except Exception:
        # Not a file the lean reader knows: openpyxl reads it, or says it is no workbook.
        try:
            name, rows = _rows_with_openpyxl(data)
        except xlsx.TooManyRows:
            raise too_many from None
    rows = [(number, values) for number, values in rows if values and any(not is_blank(v) for v in values)]
    header = rows[0][1] if rows else ()
    lookup = header_lookup()
    columns: dict[str, int] = {}
    for index, text in enumerate(header):
        key = lookup.get(search_key(str(text))) if text is not None else None
        if key is None and text is not None:
            key = lookup.get(search_key(str(text).split("(")[0]))
        if key and key not in columns:
            columns[key] = index
    data_rows = rows[1:]
    if len(data_rows) > MAX_ROWS:
        raise too_many
    missing = [c for c in COLUMNS if c.required and c.key not in columns]
    return SheetData(name, columns, data_rows, missing)


# --- writing files --------------------------------------------------------------------

HEADER_FILL = PatternFill("solid", fgColor="F9D5E0")
ERROR_FILL = PatternFill("solid", fgColor="FFC7CE")


def _lists_sheet(wb, communes: list[str]) -> dict[str, str]:
    """A sheet of the enumerations, for the dropdowns (a list written inline in a
    validation is limited to 255 characters). Returns column key -> range."""
    ws = wb.create_sheet(LISTS_SHEET)
    ranges = {}
    lists = [(c.key, choice_labels(c.choices)) for c in COLUMNS if c.kind == "enum"]
    lists.append(("bool", [vi(gettext_lazy("Yes")), vi(gettext_lazy("No"))]))
    lists.append(("commune", communes))
    for index, (key, labels) in enumerate(lists, start=1):
        letter = get_column_letter(index)
        ws.cell(row=1, column=index, value=key)
        for row, label in enumerate(labels, start=2):
            ws.cell(row=row, column=index, value=label)
        ranges[key] = f"{LISTS_SHEET}!${letter}$2:${letter}${max(2, len(labels) + 1)}"
    ws.sheet_state = "hidden"
    return ranges


HELP_LINES = [
    gettext_lazy("How to fill in this file"),
    gettext_lazy("One row per cooperative (HTX), cooperative group (THT) or interest group, on the sheet HTX_THT."),
    gettext_lazy("Required columns: type, name, commune. Leave a cell empty when you do not know the value."),
    gettext_lazy("Commune: write the name as it is today (with or without “Xã”, “Phường”, with or without "
                 "accents) or its 5-digit code."),
    gettext_lazy("Dates: dd/mm/yyyy, for example 15/03/2024. Dates cannot be in the future."),
    gettext_lazy("Columns with a dropdown accept only the values in the list; Yes/No columns accept “Có” or "
                 "“Không”."),
    gettext_lazy("The main manager is the director, the chair or the group leader; the other managers are entered "
                 "on the cooperative's page."),
    gettext_lazy("Workforce: the date of the figures and the numbers of members, female members, workers, female "
                 "workers and stable jobs for women. Female workers cannot exceed workers."),
    gettext_lazy("An empty cell leaves the value already recorded as it is."),
    gettext_lazy("Importing the same file again updates the records: a row is matched on its registration code, or "
                 "else on its name and commune. Nothing is duplicated."),
    gettext_lazy("Every row is checked before anything is saved. If one row has an error, nothing is imported: "
                 "download your file with the errors marked in red, correct it and upload it again."),
]


def build_template(communes: list[str]) -> bytes:
    with translation.override("vi"):
        wb = Workbook()
        help_ws = wb.active
        help_ws.title = HELP_SHEET
        for row, line in enumerate(HELP_LINES, start=1):
            cell = help_ws.cell(row=row, column=1, value=str(line))
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            if row == 1:
                cell.font = Font(bold=True, size=14)
        help_ws.column_dimensions["A"].width = 110
        ws = wb.create_sheet(DATA_SHEET, 0)
        write_header(ws)
        ranges = _lists_sheet(wb, communes)
        last = 5000
        for index, column in enumerate(COLUMNS, start=1):
            letter = get_column_letter(index)
            source = ranges.get(column.key) or ranges.get(column.kind)
            if column.kind in {"enum", "bool"} or (column.kind == "commune" and communes):
                dv = DataValidation(type="list", formula1=f"={source}", allow_blank=not column.required)
                dv.error = _("Choose a value from the list.")
                dv.errorTitle = header_text(column)
                # A commune may also be typed by name or code: warn, do not block.
                dv.errorStyle = "warning" if column.kind == "commune" else "stop"
                ws.add_data_validation(dv)
                dv.add(f"{letter}2:{letter}{last}")
            if column.kind in {"code", "text"}:
                for row in range(2, 3):
                    ws.cell(row=row, column=index).number_format = "@"
            if column.kind == "date":
                for row in range(2, 3):
                    ws.cell(row=row, column=index).number_format = "DD/MM/YYYY"
        wb.active = 0
        out = io.BytesIO()
        wb.save(out)
        return out.getvalue()


def write_header(ws) -> None:
    for index, column in enumerate(COLUMNS, start=1):
        cell = ws.cell(row=HEADER_ROW, column=index, value=header_text(column) + (" *" if column.required else ""))
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        ws.column_dimensions[get_column_letter(index)].width = column.width
    ws.freeze_panes = "C2"
    ws.row_dimensions[HEADER_ROW].height = 45


def annotate(data: bytes, errors: list[dict]) -> bytes:
    """The user's own file with each bad cell filled red and a comment saying what is wrong."""
    wb = load_workbook(io.BytesIO(data))
    by_cell: dict[tuple[str, str], list[str]] = {}
    for e in errors:
        if e.get("row"):
            by_cell.setdefault((e["sheet"], f"{e['column'] or 'A'}{e['row']}"), []).append(e["message"])
    for (sheet, ref), messages in by_cell.items():
        if sheet not in wb.sheetnames:
            continue
        cell = wb[sheet][ref]
        cell.fill = ERROR_FILL
        comment = Comment("\n".join(messages), "HTX Nữ")
        comment.width, comment.height = 300, 40 + 30 * len(messages)
        cell.comment = comment
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
