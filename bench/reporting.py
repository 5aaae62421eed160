"""`make bench` (after bench/run.py): the reporting pages and documents on the national data set.

For each database it migrates, adds the reporting demo at national scale once (reports of
the demo province's communes and of every province), then measures a province report
(today's Lào Cai: 99 communes below, ~4,800 cooperatives) and its documents, with
bench/measure.py's method (every figure beside the floor of its own SQL replayed raw),
and writes a "Reporting" section at the end of docs/benchmarks.md (replacing the
previous one; bench/run.py rewrites the file, and `make bench` runs this after it).

    BENCH_SQLITE, BENCH_PG_URL, BENCH_SKIP_PG   as for bench/run.py (the same databases)
    BENCH_REPORTING_REPEAT                      requests per measure (default 10)

    python bench/reporting.py            measure every database, write the section
    python bench/reporting.py --measure  (internal) measure DATABASE_URL, print JSON
"""

import json
import os
import sys

import common

HEADING = "## Reporting"
GOAL_MS = 2000


def measure() -> dict:
    os.environ["BENCH_REPEAT"] = os.environ.get("BENCH_REPORTING_REPEAT", "10")
    import measure as registry_bench  # sets up Django and holds the measuring method
    from django.conf import settings
    from django.test import Client

    from htxnu.accounts.models import User
    from htxnu.geo.models import AdminUnit
    from htxnu.reporting import demo
    from htxnu.reporting.models import Report, Round

    log = {}
    registry_bench.ensure_data(log)
    demo.build("national")
    registry_bench.analyze()
    settings.DEBUG = False
    lao_cai = AdminUnit.objects.get(level="province", code="15", valid_to__isnull=True)
    country = AdminUnit.objects.get(level="country")
    annual_2025 = Round.objects.get(kind="annual", year=2025)
    annual_2024 = Round.objects.get(kind="annual", year=2024)
    province = Client(HTTP_HOST="127.0.0.1")
    province.force_login(User.objects.get(username="demo_province"))
    central = Client(HTTP_HOST="127.0.0.1")
    central.force_login(User.objects.get(username="demo_central"))
    page = f"/reports/{annual_2025.pk}/{lao_cai.pk}/"
    measures = {
        "province report page (Lào Cai, 2025 annual, 99 communes below)": (province, page),
        "province report .docx": (province, page + "download.docx"),
        "province report .pdf": (province, page + "download.pdf"),
        "province workbook .xlsx (every commune, every indicator)": (province, page + "download.xlsx"),
        "province report page, 2024 annual (old Lào Cai and Yên Bái below)":
            (province, f"/reports/{annual_2024.pk}/{lao_cai.pk}/"),
        "national report page (34 provinces below)": (central, f"/reports/{annual_2025.pk}/{country.pk}/"),
        "reports list (rounds of the unit)": (province, "/reports/"),
    }
    pages = {}
    for name, (client, url) in measures.items():
        pages[name] = registry_bench.measure_page(client, url)
    return {
        "machine": registry_bench.machine(), **log,
        "data": {"collectives": registry_bench.Collective.objects.count(), "reports": Report.objects.count(),
                 "in_lao_cai": registry_bench.Collective.objects.filter(commune__parent=lao_cai).count()},
        "pages": pages,
    }


def run(label: str, url: str) -> dict:
    return common.measure_in(label, url, __file__, ["--measure"], "reporting")


def section(results: dict[str, dict]) -> str:
    labels = list(results)
    first = results[labels[0]]
    lines = [
        HEADING, "",
        "`bench/reporting.py` (run by `make bench` after the registry) on the same national data set, with the",
        "reporting demo at national scale added once: "
        + ", ".join(f"{r['data']['reports']:,} reports on {lb}" for lb, r in results.items())
        + f"; {first['data']['in_lao_cai']:,} cooperatives and groups in Lào Cai. Pages and downloads through",
        "Django's test client with DEBUG off, each beside the floor of its own SQL replayed raw.", "",
        "| measure | " + " | ".join(f"{lb} median | p95 | floor | queries" for lb in labels) + " |",
        "|---|" + "---|---|---|---|" * len(labels),
    ]
    for name in first["pages"]:
        cells = []
        for lb in labels:
            f = results[lb]["pages"][name]
            cells.append(f"{f['median_ms']} ms | {f['p95_ms']} ms | {f['floor_ms']} ms | {f['queries']}")
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    verdicts = []
    for lb, r in results.items():
        slow = [n for n, f in r["pages"].items() if f["p95_ms"] >= GOAL_MS]
        verdicts.append(f"- {lb}: " + ("every measure under 2 s at p95." if not slow
                                       else "over 2 s at p95: " + "; ".join(slow) + "."))
    lines += ["", f"Goal: a province report and its .docx under {GOAL_MS / 1000:g} s on national data.", "",
              *verdicts, ""]
    lines += common.notes("REPORTING.md")
    return "\n".join(lines)


def main():
    results = {label: run(label, url) for label, url in common.databases().items()}
    text = section(results)
    common.write_section(HEADING, text)
    print(text)


if __name__ == "__main__":
    if "--measure" in sys.argv:
        print(json.dumps(measure(), ensure_ascii=False))
    else:
        main()
