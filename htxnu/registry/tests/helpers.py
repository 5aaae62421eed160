import datetime
import io

from openpyxl import Workbook, load_workbook

from htxnu.registry import services, workbook
from htxnu.registry.models import CollectiveType, Gender, Position


def xlsx(rows: list[dict], *, columns=None, sheet=workbook.DATA_SHEET) -> bytes:
    """A workbook as an officer would fill it: the template's headers, then one row per
    dict (keys are column keys; values what she typed)."""
    columns = columns or [c.key for c in workbook.COLUMNS]
    wb = Workbook()
    ws = wb.active
    ws.title = sheet
    ws.append([workbook.header_text(workbook.BY_KEY[k]) for k in columns])
    for row in rows:
        ws.append([row.get(k) for k in columns])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def row(**values) -> dict:
    base = {"type": "HTX", "name": "Hợp tác xã Hoa Mai", "commune": "Cam Đường", "sector": "Trồng trọt"}
    base.update(values)
    return base


def cells(data: bytes, sheet=workbook.DATA_SHEET) -> dict:
    ws = load_workbook(io.BytesIO(data))[sheet]
    return {c.coordinate: c for r in ws.iter_rows() for c in r}


def make_coop(actor, commune, name="Hợp tác xã Hoa Mai", code="5300123456", woman_director=False, **fields):
    coop = services.collective_create(actor=actor, type=fields.pop("type", CollectiveType.HTX), name=name,
                                      commune=commune, registration_code=code,
                                      founded_on=datetime.date(2023, 5, 1), **fields)
    if woman_director:
        services.manager_add(actor=actor, collective=coop, full_name="Lò Thị Mai", gender=Gender.FEMALE,
                             position=Position.DIRECTOR)
        coop.refresh_from_db()
    return coop
