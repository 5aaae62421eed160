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

import os
import statistics
import time

import common

HEADING = "## Reporting"
GOALS_P95_MS = {"national report page": 1000, "province report page (Lào Cai, 2025": 500,
                "commune report page": 100, "province report .docx": 1000, "province report .pdf": 2000}
FLOW_GOAL_MS = 300


def page_fields(response) -> dict:
    """What the browser sends back from a report page: the fields of form#report-form."""
    return dict(common.Forms(response.content.decode()).forms["report-form"]["fields"])


def deadline_flow(client, url, repeat: int) -> dict:
    """One commune officer's deadline: open the report page, save a draft twice (a figure
    typed, then the results), submit. Server time of the four requests, each run in a
    transaction rolled back so the data set stays as it was (the report of the round,
    if any, removed first inside it)."""
    from django.db import transaction

    from htxnu.reporting.models import Report

    class Rollback(Exception):
        pass

    totals, steps = [], []
    for n in range(repeat + 1):
        times = []
        try:
            with transaction.atomic():
                round_id, unit_id = [int(x) for x in url.strip("/").split("/")[-2:]]
                Report.objects.filter(round_id=round_id, unit_id=unit_id).delete()

                def timed(method, *args, times=times):
                    started = time.perf_counter()
                    response = method(*args)
                    times.append(time.perf_counter() - started)
                    assert response.status_code in (200, 302), (args[0], response.status_code)
                    return response

                data = page_fields(timed(client.get, url))
                own = next((k for k in data if k.startswith("own:")), None)
                if own:
                    data[own] = "3"
                timed(client.post, url, {**data, "action": "save"})
                data = page_fields(client.get(url))  # the page after the redirect, not timed twice
                data["results"] = "Củng cố 2 HTX"
                timed(client.post, url, {**data, "action": "save"})
                data = page_fields(client.get(url))
                data.update({"action": "submit", "document_number": "7", "signer_name": "Hoàng Thị Lan"})
                timed(client.post, url, data)
                assert Report.objects.get(round_id=round_id, unit_id=unit_id).state == "submitted"
                raise Rollback
        except Rollback:
            pass
        if n:  # the first run warms up
            totals.append(sum(times))
            steps.append(times)
    ms = lambda s: round(s * 1000, 1)  # noqa: E731
    return {"median_ms": ms(statistics.median(totals)), "max_ms": ms(max(totals)), "runs": repeat,
            "steps_median_ms": [ms(statistics.median(s[i] for s in steps)) for i in range(4)]}


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
    commune_officer = User.objects.get(username="demo_commune")
    commune_client = Client(HTTP_HOST="127.0.0.1")
    commune_client.force_login(commune_officer)
    commune_page = f"/reports/{annual_2025.pk}/{commune_officer.organisation.unit_id}/"
    measures = {
        "province report page (Lào Cai, 2025 annual, 99 communes below)": (province, page),
        "province report .docx": (province, page + "download.docx"),
        "province report .pdf": (province, page + "download.pdf"),
        "province workbook .xlsx (every commune, every indicator)": (province, page + "download.xlsx"),
        "province report page, 2024 annual (old Lào Cai and Yên Bái below)":
            (province, f"/reports/{annual_2024.pk}/{lao_cai.pk}/"),
        "national report page (34 provinces below)": (central, f"/reports/{annual_2025.pk}/{country.pk}/"),
        "commune report page (a commune of Lào Cai, its officer)": (commune_client, commune_page),
        "reports list (rounds of the unit)": (province, "/reports/"),
    }
    pages = {}
    for name, (client, url) in measures.items():
        pages[name] = registry_bench.measure_page(client, url)
    flow = deadline_flow(commune_client, commune_page, int(os.environ["BENCH_REPEAT"]))
    return {
        "machine": registry_bench.machine(), **log, "flow": flow,
        "data": {"collectives": registry_bench.Collective.objects.count(), "reports": Report.objects.count(),
                 "in_lao_cai": registry_bench.Collective.objects.filter(commune__parent=lao_cai).count()},
        "pages": pages,
    }


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
    lines += ["", "One commune officer's deadline (open the report, save a draft twice, submit; each run rolled",
              "back):", "",
              "| | total median | max | open / save / save / submit (medians) |", "|---|---|---|---|"]
    for lb, r in results.items():
        f = r["flow"]
        lines.append(f"| {lb} | {f['median_ms']} ms | {f['max_ms']} ms | "
                     + " / ".join(f"{x} ms" for x in f["steps_median_ms"]) + " |")
    verdicts = []
    for lb, r in results.items():
        missed = [f"{n} ({f['p95_ms']} ms, goal {goal} ms)" for n, f in r["pages"].items()
                  for prefix, goal in GOALS_P95_MS.items() if n.startswith(prefix) and f["p95_ms"] >= goal]
        if r["flow"]["median_ms"] >= FLOW_GOAL_MS:
            missed.append(f"the deadline flow ({r['flow']['median_ms']} ms, goal {FLOW_GOAL_MS} ms)")
        verdicts.append(f"- {lb}: " + ("every goal met." if not missed else "over the goal: " + "; ".join(missed)
                                        + "."))
    lines += ["", "Goals (p95): national report page < 1 s, province report page < 500 ms, commune report page",
              "< 100 ms, province .docx < 1 s and .pdf < 2 s; the deadline flow < 300 ms of server time in all.", "",
              *verdicts, ""]
    lines += common.notes("REPORTING.md")
    return "\n".join(lines)


if __name__ == "__main__":
    common.main(__file__, "reporting", HEADING, measure, section)
