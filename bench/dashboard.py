"""`make bench` (after bench/run.py): the dashboards on the national data set.

For each database (the same ones bench/run.py builds once and reuses) it migrates, makes
sure the national data set is there (bench/measure.py's ensure_data: built only when
missing) with the plans and the reporting demo at national scale, then measures the
dashboard pages through Django's test client with DEBUG off and writes a "Dashboard"
section at the end of docs/benchmarks.md (replacing the previous one; bench/run.py
rewrites the file, so `make bench` runs this after it).

Each page is measured three ways:
- warm: the figures cached under the current data versions (what nearly every request
  meets), BENCH_DASHBOARD_REPEAT requests, median and p95;
- after a change: a save in one province (Lào Cai) replaces its data version, so the
  next request recomputes that province's figures (and adds up the country again);
- cold: the cache emptied, every figure computed.
Beside them, the floor: the SQL the cold request issued to compute the numbers
(everything but the cache's own reads and writes), replayed raw on a cursor. The ratio
warm / floor says what the cache saves against computing the same numbers in SQL.

On PostgreSQL the tables are ANALYZEd first: the bench server runs with autovacuum off,
and without statistics the planner takes minutes over what takes seconds with them.

    BENCH_SQLITE, BENCH_PG_URL, BENCH_SKIP_PG   as for bench/run.py (the same databases)
    BENCH_DASHBOARD_REPEAT                      warm requests per page (default 30)

    python bench/dashboard.py            measure every database, write the section
    python bench/dashboard.py --measure  (internal) measure DATABASE_URL, print JSON
"""

import os
import statistics
import sys
import time

import common

HEADING = "## Dashboard"
GOALS = {"cold_ms": 2000, "after_change_ms": 300, "p95_ms": 100}  # every dashboard page
CHANGES = 3


def measure() -> dict:
    import measure as registry_bench  # sets up Django and holds the measuring helpers
    from django.conf import settings
    from django.db import connection
    from django.test import Client

    from htxnu.accounts.models import User
    from htxnu.dashboard import freshness
    from htxnu.dashboard.models import CachedFigures
    from htxnu.geo.models import AdminUnit
    from htxnu.plans import demo as plans_demo
    from htxnu.reporting import demo as reporting_demo
    from htxnu.reporting.models import Report

    repeat = int(os.environ.get("BENCH_DASHBOARD_REPEAT", "30"))
    log = {}
    registry_bench.ensure_data(log)
    plans_demo.build("national")
    reporting_demo.build("national")
    registry_bench.analyze()
    settings.DEBUG = False
    lao_cai = AdminUnit.objects.get(level="province", code="15", valid_to__isnull=True)
    a_commune = AdminUnit.objects.filter(parent=lao_cai, valid_to__isnull=True).order_by("code").first()
    central = Client(HTTP_HOST="127.0.0.1")
    central.force_login(User.objects.get(username="demo_central"))
    province = Client(HTTP_HOST="127.0.0.1")
    province.force_login(User.objects.get(username="demo_province"))
    pages = {
        "national dashboard": (central, "/dashboard/"),
        "national dashboard, approved only": (central, "/dashboard/?mode=approved"),
        "province dashboard (Lào Cai)": (province, "/dashboard/"),
        "drill-down: the 34 provinces": (central, "/dashboard/indicators/coops_consolidated/"),
        "drill-down: Lào Cai's 99 communes": (province, "/dashboard/indicators/coops_consolidated/"),
        "drill-down: Lào Cai's communes, sorted by achievement": (
            province, "/dashboard/indicators/jobs_total_women/?sort=share&order=desc"),
        "map of Lào Cai's communes": (province, "/dashboard/map/?indicator=coops_consolidated"),
        "ranking of Lào Cai's communes": (province, "/dashboard/ranking/"),
        "early warnings, national": (central, "/dashboard/warnings/"),
        "trends, national (each 6-month point since 2023)": (central, "/dashboard/trends/"),
    }

    def get(client, url):
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)

    def timed(client, url) -> float:
        started = time.perf_counter()
        get(client, url)
        return time.perf_counter() - started

    results = {}
    for name, (client, url) in pages.items():
        CachedFigures.objects.all().delete()
        recorder = registry_bench.Recorder()
        with connection.execute_wrapper(recorder):
            cold = timed(client, url)
        computing = [(sql, params) for sql, params in recorder.statements
                     if sql.lstrip().upper().startswith("SELECT") and "dashboard_" not in sql]
        floor = registry_bench.replay(computing)
        warm_queries = registry_bench.Recorder()
        with connection.execute_wrapper(warm_queries):
            get(client, url)
        warm = [timed(client, url) for _ in range(repeat)]
        changed = []
        for _ in range(CHANGES):
            freshness.bump_units([a_commune.pk])  # what saving a record there does
            changed.append(timed(client, url))
        median = statistics.median(warm)
        results[name] = {
            "url": url, "requests": repeat, "median_ms": registry_bench.ms(median),
            "p95_ms": registry_bench.ms(registry_bench.percentile(warm, 95)),
            "after_change_ms": registry_bench.ms(statistics.median(changed)),
            "after_change_max_ms": registry_bench.ms(max(changed)),
            "cold_ms": registry_bench.ms(cold), "floor_ms": registry_bench.ms(floor),
            "floor_queries": len(computing), "queries": len(warm_queries.statements),
            "ratio": round(median / floor, 3) if floor else None,
        }
        print(f"  {name}: {results[name]}", file=sys.stderr, flush=True)
    return {
        "machine": registry_bench.machine(), **log,
        "data": {"collectives": registry_bench.Collective.objects.count(), "reports": Report.objects.count(),
                 "in_lao_cai": registry_bench.Collective.objects.filter(commune__parent=lao_cai).count()},
        "pages": results,
    }


def section(results: dict[str, dict]) -> str:
    labels = list(results)
    first = results[labels[0]]
    machine = first["machine"]
    lines = [
        HEADING, "",
        "`bench/dashboard.py` (run by `make bench` after the registry) on the same national data set: "
        + ", ".join(f"{r['data']['collectives']:,} collectives and {r['data']['reports']:,} reports on {lb}"
                    for lb, r in results.items())
        + f"; {first['data']['in_lao_cai']:,} in Lào Cai. Machine: {machine.get('cpu', '?')}, "
        f"{machine.get('cpus')} CPUs shared with other work, Python {machine['python']}; "
        + ", ".join(r["machine"]["database"] for r in results.values()) + ".",
        "",
        "Pages through Django's test client with DEBUG off. *Warm*: the figures cached under the current data",
        "versions (nearly every request). *After a change*: a record saved in Lào Cai first (its data version",
        "replaced), so Lào Cai's figures are computed again. *Cold*: nothing cached. *Floor*: the SQL the cold",
        "request used to compute the numbers, replayed raw; *ratio* = warm median / floor.",
        "",
    ]
    for label, r in results.items():
        lines += [f"### {label}", "",
                  "| page | warm median | warm p95 | queries | after a change | cold | floor (SQL) | ratio |",
                  "|---|---|---|---|---|---|---|---|"]
        for name, f in r["pages"].items():
            lines.append(f"| {name} | {f['median_ms']} ms | {f['p95_ms']} ms | {f['queries']} | "
                         f"{f['after_change_ms']} ms | {f['cold_ms']} ms | {f['floor_ms']} ms "
                         f"({f['floor_queries']} queries) | ×{f['ratio']} |")
        lines.append("")
    verdicts = []
    for label, r in results.items():
        missed = [f"{n}: {what.replace('_ms', '').replace('_', ' ')} {f[what]} ms" for n, f in r["pages"].items()
                  for what, goal in GOALS.items() if f[what] >= goal]
        verdicts.append(f"- {label}: " + ("every goal met." if not missed else "over the goal: " + "; ".join(missed)
                                           + "."))
    lines += [f"Goals, every dashboard page: cold under {GOALS['cold_ms']} ms, the first request after a save under "
              f"{GOALS['after_change_ms']} ms, warm p95 under {GOALS['p95_ms']} ms; on SQLite and PostgreSQL.", "",
              *verdicts, ""]
    lines += common.notes("DASHBOARD.md")
    return "\n".join(lines)


if __name__ == "__main__":
    common.main(__file__, "dashboard", HEADING, measure, section)
