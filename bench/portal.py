"""The public portal's pages, each beside the SQL it issued replayed raw (the floor).

    python bench/portal.py                 a province-sized set, built here once
    DATABASE_URL=... python bench/portal.py --here   the database DATABASE_URL names

By default the data is today's Lào Cai only (its units and their predecessors, about
1,500 cooperatives and groups from registry.demo.build_generated, 10% published by
portal.demo.publish_share with photos for 60), in bench/out/portal-province.sqlite3,
built on the first run and reused. With --here it measures the database DATABASE_URL
names (the national bench database of bench/run.py, for one), publishing 10% there
first if nothing is published. It never builds the national data set.

Each page is measured three ways, median and p95 of BENCH_PORTAL_REPEAT requests:
- miss: the page cache emptied before each request (what a visitor meets after a
  change; the database's own caches are warm);
- hit: served from the page cache (what nearly every visitor meets);
- cold: the very first request after the process started.
The floor is the SQL of one miss replayed on a cursor. Prints a Markdown table.
"""

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PROVINCE_DB = ROOT / "bench" / "out" / "portal-province.sqlite3"
REPEAT = int(os.environ.get("BENCH_PORTAL_REPEAT", "30"))


def ensure_province_data() -> None:
    from django.core.management import call_command

    from htxnu.core.tests.base import load_real_units
    from htxnu.geo.models import AdminUnit
    from htxnu.registry import demo as registry_demo
    from htxnu.registry.models import Collective

    call_command("migrate", verbosity=0)
    if not AdminUnit.objects.filter(level="province", code="15", valid_to__isnull=True).exists():
        load_real_units({"15"})
    if Collective.objects.count() < 1000:
        registry_demo.build_generated({"15"}, 500, 1000, "registry-province-15", serial_base=50_000_000)


def measure() -> None:
    sys.path.insert(0, str(ROOT / "bench"))
    from django.conf import settings
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.urls import reverse
    from measure import Recorder, percentile, replay  # sets up Django

    from htxnu.portal import demo, selectors
    from htxnu.portal.models import Publication
    from htxnu.text import search_key

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]  # Django's test client
    if "--here" not in sys.argv:
        ensure_province_data()
    if not Publication.objects.filter(is_published=True).exists():
        demo.publish_share("national")
    published = selectors.public_publications().count()
    one = selectors.public_publications().order_by("pk").first()
    word = one.collective.name.split()[-1]
    pages = [
        ("home", "/"),
        ("list", reverse("portal:cooperatives")),
        ("list, search", reverse("portal:cooperatives") + f"?q={search_key(word)}"),
        ("list, province", reverse("portal:cooperatives") + "?province=15"),
        ("list, stars", reverse("portal:cooperatives") + "?stars=3"),
        ("cooperative", reverse("portal:cooperative", args=[one.slug])),
        ("products", reverse("portal:products")),
        ("province", reverse("portal:province", args=["lao-cai"])),
        ("sitemap", reverse("portal:sitemap")),
        ("open data (csv)", reverse("portal:open_data_file", args=["hop-tac-xa", "csv"])),
    ]
    client = Client()
    rows = []
    for label, url in pages:
        cache.clear()
        started = time.perf_counter()
        assert client.get(url).status_code == 200, url
        cold = time.perf_counter() - started
        recorder = Recorder()
        cache.clear()
        with connection.execute_wrapper(recorder):
            client.get(url)
        statements = recorder.statements
        misses, hits, floors = [], [], []
        for _ in range(REPEAT):
            cache.clear()
            started = time.perf_counter()
            client.get(url)
            misses.append(time.perf_counter() - started)
            started = time.perf_counter()
            client.get(url)
            hits.append(time.perf_counter() - started)
            floors.append(replay(statements))
        rows.append((label, len(statements), cold, statistics.median(misses), percentile(misses, 95),
                     statistics.median(hits), percentile(hits, 95), statistics.median(floors)))
    vendor = connection.vendor
    print(f"Portal on {vendor}, {published:,} published cooperatives, {REPEAT} requests per page (ms)\n")
    print("| page | queries | cold | miss median | miss p95 | hit median | hit p95 | SQL floor |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for label, queries, cold, miss, miss95, hit, hit95, floor in rows:
        print(f"| {label} | {queries} | {cold * 1000:.1f} | {miss * 1000:.1f} | {miss95 * 1000:.1f} | "
              f"{hit * 1000:.1f} | {hit95 * 1000:.1f} | {floor * 1000:.1f} |")


if __name__ == "__main__":
    if "--here" in sys.argv or os.environ.get("_PORTAL_BENCH_CHILD"):
        measure()
    else:
        PROVINCE_DB.parent.mkdir(parents=True, exist_ok=True)
        # DEBUG on as in the other benches' runs: static files without a collected manifest.
        env = {**os.environ, "DATABASE_URL": f"sqlite:///{PROVINCE_DB}", "DEBUG": "1", "LOG_LEVEL": "WARNING",
               "_PORTAL_BENCH_CHILD": "1"}
        sys.exit(subprocess.call([sys.executable, __file__], env=env))
