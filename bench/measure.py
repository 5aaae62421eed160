"""Measure the registry on the national data set, on the database DATABASE_URL names.

Run by bench/run.py (`make bench`), once per database; prints one JSON document.
Each figure comes with a floor measured in the same run on the same data:

- import: the 10,000-row workbook through the importer (read, check every row,
  write, audit) against the same rows written with bare bulk inserts;
- pages (list for a province and for the country, detail, export): the page through
  Django's test client against the very SQL statements the page issued, replayed
  raw on a cursor.

Writes made by the import are rolled back, so the data set stays as it was built.
"""

import datetime
import io
import json
import os
import platform
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "htxnu.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from openpyxl import Workbook  # noqa: E402

from htxnu.accounts.models import User  # noqa: E402
from htxnu.core import bulk  # noqa: E402
from htxnu.core.db import update_statistics  # noqa: E402
from htxnu.geo.models import AdminUnit  # noqa: E402
from htxnu.registry import importer, workbook  # noqa: E402
from htxnu.registry.models import Collective, Manager, WorkforceSnapshot  # noqa: E402

REPEAT = int(os.environ.get("BENCH_REPEAT", "30"))
IMPORT_ROWS = 10_000
NATIONAL_MIN = 150_000


class Rollback(Exception):
    pass


def percentile(values, p):
    ordered = sorted(values)
    k = (len(ordered) - 1) * p / 100
    low, high = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (k - low)


def ms(seconds):
    return round(seconds * 1000, 1)


def analyze():
    """Planner statistics before measuring (htxnu.core.db.update_statistics, which
    demo_data also runs): a data set built by an earlier version, or the reporting demo
    added on top, would otherwise be measured with none (the bench's PostgreSQL runs
    without autovacuum)."""
    update_statistics()


def ensure_data(log):
    call_command("migrate", verbosity=0)
    call_command("load_units", verbosity=0)
    count = Collective.objects.count()
    if count >= NATIONAL_MIN:
        log["national_build"] = f"reused ({count:,} records)"
    else:
        started = time.perf_counter()
        call_command("demo_data", scale="national", stdout=io.StringIO())
        log["national_build"] = f"built in {time.perf_counter() - started:.0f} s"
    analyze()


class Recorder:
    """Records the (sql, params) of every statement, to replay them raw as the floor."""

    def __init__(self):
        self.statements = []

    def __call__(self, execute, sql, params, many, context):
        self.statements.append((sql, params))
        return execute(sql, params, many, context)


def replay(statements) -> float:
    started = time.perf_counter()
    with connection.cursor() as cursor:
        for sql, params in statements:
            cursor.execute(sql, params)
            if cursor.description:
                cursor.fetchall()
    return time.perf_counter() - started


def measure_page(client, url, *, stream=False):
    def get():
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        if stream:
            for _chunk in response.streaming_content:
                pass
        return response

    for _ in range(3):
        get()
    recorder = Recorder()
    with connection.execute_wrapper(recorder):
        get()
    statements = recorder.statements
    repeat = max(5, REPEAT // 5) if stream else REPEAT
    times, floors = [], []
    for _ in range(repeat):
        started = time.perf_counter()
        get()
        times.append(time.perf_counter() - started)
        floors.append(replay(statements))
    median, floor = statistics.median(times), statistics.median(floors)
    return {
        "url": url, "requests": repeat, "queries": len(statements), "median_ms": ms(median),
        "p95_ms": ms(percentile(times, 95)), "floor_ms": ms(floor), "ratio": round(median / floor, 1),
    }


def import_rows(province):
    communes = list(AdminUnit.objects.filter(parent=province, valid_to__isnull=True).order_by("code"))
    rows = []
    for i in range(IMPORT_ROWS):
        commune = communes[i % len(communes)]
        women = 5 + i % 20
        rows.append({
            "type": "HTX" if i % 3 == 0 else "THT", "name": f"Hợp tác xã Đo Hiệu Năng {i}",
            "registration_code": f"1580{i:06d}" if i % 3 == 0 else None,
            "commune": commune.name if i % 2 else commune.code, "address": f"Thôn {i % 17}",
            "founded_on": f"{1 + i % 28:02d}/{1 + i % 12:02d}/20{10 + i % 15}", "sector": "Trồng trọt",
            "main_products": "Chè, rau", "status": "Đang hoạt động",
            "union_supported_founding": "Có" if i % 2 else "Không",
            "union_support_level": "Hội LHPN xã" if i % 2 else None,
            "manager_name": f"Lò Thị Mai {i}", "manager_gender": "Nữ", "manager_birth_year": 1970 + i % 30,
            "manager_position": "Giám đốc" if i % 3 == 0 else "Tổ trưởng", "as_of": "31/12/2025",
            "members": 30, "female_members": women, "workers": 40, "female_workers": women + 5,
            "women_stable_jobs": women,
        })
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(workbook.DATA_SHEET)
    keys = [c.key for c in workbook.COLUMNS]
    ws.append([workbook.header_text(c) for c in workbook.COLUMNS])
    for row in rows:
        ws.append([row.get(k) for k in keys])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue(), communes


def measure_import(province, actor):
    data, communes = import_rows(province)
    runs = []
    for _ in range(3):
        try:
            with transaction.atomic():
                started = time.perf_counter()
                result = importer.import_file(actor=actor, unit=province, data=data, file_name="bench.xlsx")
                runs.append(time.perf_counter() - started)
                assert result.ok and result.created == IMPORT_ROWS, result.problems[:5]
                raise Rollback
        except Rollback:
            pass
    floors = []
    for _ in range(3):
        collectives = [Collective(type="htx", name=f"Sàn {i}", commune=communes[i % len(communes)])
                       for i in range(IMPORT_ROWS)]
        try:
            with transaction.atomic():
                started = time.perf_counter()
                # The import's own write path (htxnu/core/bulk.py), without reading, checking or auditing.
                bulk.insert_returning(Collective, collectives)
                bulk.insert_rows(Manager, [Manager(collective=c, full_name="X", gender="female",
                                                   position="director") for c in collectives])
                bulk.insert_rows(WorkforceSnapshot, [
                    WorkforceSnapshot(collective=c, as_of=datetime.date(2025, 12, 31), members=30, female_members=20,
                                      workers=40, female_workers=25, women_stable_jobs=20) for c in collectives
                ])
                floors.append(time.perf_counter() - started)
                raise Rollback
        except Rollback:
            pass
    seconds, floor = statistics.median(runs), statistics.median(floors)
    return {"rows": IMPORT_ROWS, "file_kb": len(data) // 1024, "seconds": round(seconds, 2),
            "rows_per_s": round(IMPORT_ROWS / seconds), "floor_seconds": round(floor, 2),
            "floor_rows_per_s": round(IMPORT_ROWS / floor), "ratio": round(seconds / floor, 1)}


def machine():
    info = {"python": platform.python_version(), "cpus": os.cpu_count()}
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                info["cpu"] = line.split(":", 1)[1].strip()
                break
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                info["memory_gb"] = round(int(line.split()[1]) / 1024 / 1024)
    except OSError:
        pass
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("select sqlite_version()")
        else:
            cursor.execute("show server_version")
        info["database"] = f"{connection.vendor} {cursor.fetchone()[0]}"
    return info


def main():
    log = {}
    ensure_data(log)
    settings.DEBUG = False  # as in production: no query log, no template debug
    lao_cai = AdminUnit.objects.get(level="province", code="15", valid_to__isnull=True)
    province_user = User.objects.get(username="demo_province")
    central = User.objects.get(username="demo_central")
    counts = {
        "collectives": Collective.objects.count(),
        "htx": Collective.objects.filter(type="htx").count(),
        "tht": Collective.objects.filter(type="tht").count(),
        "managers": Manager.objects.count(),
        "workforce_snapshots": WorkforceSnapshot.objects.count(),
        "in_lao_cai": Collective.objects.filter(commune__parent=lao_cai).count(),
    }
    results = {"machine": machine(), "data": counts, **log}
    province = Client(HTTP_HOST="127.0.0.1")
    province.force_login(province_user)
    country = Client(HTTP_HOST="127.0.0.1")
    country.force_login(central)
    tenth = Collective.objects.filter(commune__parent=lao_cai).order_by("name", "pk").values_list("pk", flat=True)
    deep = tenth[2000] if counts["in_lao_cai"] > 2000 else tenth[0]
    detail = (Collective.objects.filter(commune__parent=lao_cai, type="htx", workers__isnull=False)
              .order_by("pk").values_list("pk", flat=True).first())
    pages = {
        "list, province (Lào Cai), first page": (province, "/registry/"),
        "list, province, HTX women-managed": (province, "/registry/?type=htx&eligibility=women_managed"),
        "list, province, search “che”": (province, "/registry/?q=che"),
        "list, province, page after 2,000 rows": (province, f"/registry/?after={deep}"),
        "list, country, first page": (country, "/registry/"),
        "list, country, women jobs + OCOP": (country, "/registry/?eligibility=women_jobs&ocop=any"),
        "list, country, search “du lich cong dong”": (country, "/registry/?q=du+lich+cong+dong"),
        "list, country, search matching nothing": (country, "/registry/?q=khong+co+ten+nay"),
        "detail page": (province, f"/registry/{detail}/"),
        "API list, country": (country, "/api/v1/collectives"),
    }
    results["pages"] = {name: measure_page(client, url) for name, (client, url) in pages.items()}
    exports = {"export .csv, province": "/registry/export.csv", "export .xlsx, province": "/registry/export.xlsx"}
    results["exports"] = {}
    for name, url in exports.items():
        figure = measure_page(province, url, stream=True)
        figure["rows"] = counts["in_lao_cai"]
        figure["rows_per_s"] = round(counts["in_lao_cai"] / (figure["median_ms"] / 1000))
        results["exports"][name] = figure
    results["import"] = measure_import(lao_cai, province_user)
    print(json.dumps(results, ensure_ascii=False))


if __name__ == "__main__":
    main()
