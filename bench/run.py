"""`make bench`: the registry on the national data set, on SQLite and on PostgreSQL.

For each database it builds the national data set once (load_units, then
`demo_data --scale national`: ~40,000 HTX and ~120,000 THT with their managers and
workforce since 2023) and reuses it on later runs, then runs bench/measure.py there and
writes every figure, with its floor and the machine, into docs/benchmarks.md.

    BENCH_SQLITE   SQLite file (default bench/out/national.sqlite3)
    BENCH_PG_URL   PostgreSQL database (default postgres://postgres@127.0.0.1:5432/htxnu_bench;
                   created when missing); BENCH_SKIP_PG=1 measures SQLite only
    BENCH_REPEAT   requests per page (default 30)
"""

import datetime

import common
from common import DOC, ROOT

GOALS = {"import_rows_per_s": 2000, "list_p95_ms": 150}


def run(label: str, url: str) -> dict:
    return common.measure_in(label, url, str(ROOT / "bench" / "measure.py"), [], "results")


def table(results: dict[str, dict]) -> list[str]:
    labels = list(results)
    lines = ["| measure | " + " | ".join(f"{lb} median | p95 | floor | ratio | queries" for lb in labels) + " |",
             "|---|" + "---|---|---|---|---|" * len(labels)]
    first = results[labels[0]]
    for name in list(first["pages"]) + list(first["exports"]):
        cells = []
        for lb in labels:
            f = results[lb]["pages"].get(name) or results[lb]["exports"].get(name)
            cells.append(f"{f['median_ms']} ms | {f['p95_ms']} ms | {f['floor_ms']} ms | ×{f['ratio']} | "
                         f"{f['queries']}")
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    return lines


def document(results: dict[str, dict]) -> str:
    some = next(iter(results.values()))
    m = some["machine"]
    lines = [
        "# Benchmarks",
        "",
        "`make bench` (bench/run.py, bench/measure.py) builds the national data set once per database and",
        "reuses it, then measures the registry on it. Every figure stands beside a floor measured in the same run",
        "on the same data: for a page, the very SQL statements the page issued, replayed raw on a cursor; for the",
        "import, the same rows written by the import's own bulk writer (htxnu/core/bulk.py), nothing read, checked",
        "or audited. The ratio is figure / floor: what Django, the templates and our code add on top of the",
        "database's own work. Pages are requested through Django's test client (no network, no web server), with",
        "DEBUG off.",
        "",
        f"Last run: {datetime.date.today():%d/%m/%Y}. Machine: {m.get('cpu', '?')}, {m.get('cpus')} CPUs "
        f"(shared with other work while measuring), {m.get('memory_gb', '?')} GB RAM, Python {m['python']}; "
        + ", ".join(r["machine"]["database"] for r in results.values()) + ".",
        "",
        "## Data set",
        "",
        "| | " + " | ".join(results) + " |",
        "|---|" + "---|" * len(results),
    ]
    for key in ("collectives", "htx", "tht", "managers", "workforce_snapshots", "in_lao_cai"):
        lines.append(f"| {key.replace('_', ' ')} | " + " | ".join(f"{r['data'][key]:,}" for r in results.values())
                     + " |")
    lines.append("| national build | " + " | ".join(r.get("national_build", "") for r in results.values()) + " |")
    lines += ["", "## Import of a 10,000-row workbook (Lào Cai, every column filled, full validation)", "",
              "| | rows/s | seconds | floor (bare writes) | ratio |", "|---|---|---|---|---|"]
    for label, r in results.items():
        i = r["import"]
        lines.append(f"| {label} | {i['rows_per_s']:,} | {i['seconds']} s | {i['floor_seconds']} s "
                     f"({i['floor_rows_per_s']:,} rows/s) | ×{i['ratio']} |")
    lines += ["", f"Goal: at least {GOALS['import_rows_per_s']:,} rows/s with full validation.", "",
              "## Pages", ""]
    lines += table(results)
    lines += ["", f"Goal: list pages under {GOALS['list_p95_ms']} ms p95 on national data; a fixed, small number",
              "of queries whatever the number of rows (pinned by assertNumQueries in htxnu/registry/tests).", ""]
    verdicts = []
    for label, r in results.items():
        slow = [n for n, f in r["pages"].items() if n.startswith("list") and f["p95_ms"] >= GOALS["list_p95_ms"]]
        rate = r["import"]["rows_per_s"]
        meets = "meets" if rate >= GOALS["import_rows_per_s"] else "misses"
        pages = "all under the p95 goal." if not slow else "over the p95 goal: " + "; ".join(slow) + "."
        verdicts.append(f"- {label}: import {rate:,} rows/s ({meets} the goal); list pages {pages}")
    lines += ["## Against the goals", "", *verdicts, ""]
    lines += common.notes("NOTES.md")
    return "\n".join(lines)


def main():
    results = {label: run(label, url) for label, url in common.databases().items()}
    DOC.write_text(document(results))
    print(DOC.read_text())


if __name__ == "__main__":
    main()
