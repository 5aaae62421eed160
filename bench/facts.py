"""`make bench` (after bench/run.py): the cost of keeping the registry's facts
(htxnu.registry.facts, table registry_collectivefact) on the national data set.

For each database (the same ones as bench/run.py), three measures, each inside a
transaction rolled back afterwards so the data set stays as it was built:

- single save: facts.refresh() of one collective (what every registry save adds to its
  request), median and p95 of BENCH_FACTS_REPEAT collectives taken across the country,
  with its query count;
- plan save, province: what saving a plan of today's Lào Cai that changes its target
  threshold costs for the facts (facts.refresh_under over its territory, both eras),
  and what a plan save that changes no threshold costs (the territories' timelines are
  compared and nothing is rewritten);
- rebuild_facts for the country (facts.rebuild(): every collective).

    BENCH_SQLITE, BENCH_PG_URL, BENCH_SKIP_PG   as for bench/run.py
    BENCH_FACTS_REPEAT                          single saves measured (default 50)

    python bench/facts.py            measure every database, write the section
    python bench/facts.py --measure  (internal) measure DATABASE_URL, print JSON
"""

import datetime
import os
import statistics
import time

import common

HEADING = "## Registry facts"
SINGLE_GOAL_MS = 50
REBUILD_GOAL_S = 120


class Rollback(Exception):
    pass


def measure() -> dict:
    import measure as registry_bench  # sets up Django and holds the measuring method
    from django.conf import settings
    from django.db import connection, transaction

    from htxnu.accounts.models import Organisation
    from htxnu.geo.models import AdminUnit
    from htxnu.plans.models import FemaleShareThreshold, Plan
    from htxnu.registry import facts
    from htxnu.registry.models import Collective, CollectiveFact

    log = {}
    registry_bench.ensure_data(log)
    repeat = int(os.environ.get("BENCH_FACTS_REPEAT", "50"))
    ids = list(Collective.objects.order_by("pk").values_list("pk", flat=True))
    sample = ids[:: max(1, len(ids) // repeat)][:repeat]
    lao_cai = AdminUnit.objects.get(level="province", code="15", valid_to__isnull=True)
    union = Organisation.objects.get(unit=lao_cai, kind=Organisation.Kind.UNION)

    settings.DEBUG = False  # as in production: no query log

    def timed(work) -> tuple[float, int]:
        """Seconds and queries of work(), rolled back (queries counted, not logged)."""
        queries = []

        def count(execute, sql, params, many, context):
            queries.append(1)
            return execute(sql, params, many, context)

        try:
            with transaction.atomic(), connection.execute_wrapper(count):
                started = time.perf_counter()
                work()
                elapsed = time.perf_counter() - started
                raise Rollback
        except Rollback:
            pass
        return elapsed, len(queries)

    singles, single_queries = [], 0
    for pk in sample:
        elapsed, single_queries = timed(lambda pk=pk: facts.refresh([pk]))
        singles.append(elapsed)

    in_territory = len(facts.collectives_under([lao_cai.pk]))

    def threshold_change():
        plan = Plan.objects.create(unit=lao_cai, organisation=union, number="999/KH-BENCH", title="bench",
                                   starts_on=datetime.date(2026, 1, 1), ends_on=datetime.date(2030, 12, 31))
        before = facts.threshold_snapshot([lao_cai.pk])
        FemaleShareThreshold.objects.create(plan=plan, op=">", pct=65,
                                            applies_to=FemaleShareThreshold.AppliesTo.TARGETS)
        return facts.refresh_under([lao_cai.pk], before=before)

    def no_threshold_change():
        before = facts.threshold_snapshot([lao_cai.pk])
        return facts.refresh_under([lao_cai.pk], before=before)

    territory = [timed(threshold_change) for _ in range(3)]
    unchanged = [timed(no_threshold_change) for _ in range(3)]
    rebuild_s, rebuild_queries = timed(facts.rebuild)
    return {
        "machine": registry_bench.machine(), **log,
        "data": {"collectives": len(ids), "facts": CollectiveFact.objects.count(), "in_lao_cai": in_territory},
        "single": {"median_ms": round(statistics.median(singles) * 1000, 1),
                   "p95_ms": round(registry_bench.percentile(singles, 95) * 1000, 1), "queries": single_queries,
                   "n": len(singles)},
        "territory": {"median_ms": round(statistics.median(t for t, _q in territory) * 1000),
                      "queries": territory[0][1]},
        "unchanged": {"median_ms": round(statistics.median(t for t, _q in unchanged) * 1000, 1),
                      "queries": unchanged[0][1]},
        "rebuild": {"s": round(rebuild_s, 1), "queries": rebuild_queries},
    }


def section(results: dict[str, dict]) -> str:
    labels = list(results)
    first = results[labels[0]]
    lines = [
        HEADING, "",
        "`bench/facts.py` (run by `make bench`) on the same national data set: "
        + f"{first['data']['collectives']:,} cooperatives and groups, {first['data']['facts']:,} rows of facts; "
        + f"{first['data']['in_lao_cai']:,} collectives in today's Lào Cai's territory (both eras). Each measure in "
        "a transaction rolled back.", "",
        "| measure | " + " | ".join(f"{lb} | queries" for lb in labels) + " |",
        "|---|" + "---|---|" * len(labels),
    ]
    rows = [
        (f"refresh after a single save (median / p95 of {first['single']['n']})",
         lambda r: (f"{r['single']['median_ms']} / {r['single']['p95_ms']} ms", r["single"]["queries"])),
        ("plan of Lào Cai sets a threshold: its territory refreshed",
         lambda r: (f"{r['territory']['median_ms']} ms", r["territory"]["queries"])),
        ("plan of Lào Cai saved, no threshold changed (timelines compared, nothing rewritten)",
         lambda r: (f"{r['unchanged']['median_ms']} ms", r["unchanged"]["queries"])),
        ("`rebuild_facts`, the whole country", lambda r: (f"{r['rebuild']['s']} s", r["rebuild"]["queries"])),
    ]
    for name, cell in rows:
        lines.append(f"| {name} | " + " | ".join("{} | {}".format(*cell(results[lb])) for lb in labels) + " |")
    verdicts = []
    for lb, r in results.items():
        ok_single = r["single"]["p95_ms"] < SINGLE_GOAL_MS
        ok_rebuild = r["rebuild"]["s"] < REBUILD_GOAL_S
        verdicts.append(f"- {lb}: single save {'under' if ok_single else 'OVER'} {SINGLE_GOAL_MS} ms at p95; "
                        f"rebuild {'under' if ok_rebuild else 'OVER'} {REBUILD_GOAL_S // 60} min.")
    lines += ["", f"Goals (issue 12): refreshing the facts after a single save < {SINGLE_GOAL_MS} ms; "
              f"`rebuild_facts` for the country < {REBUILD_GOAL_S // 60} min.", "", *verdicts, ""]
    lines += common.notes("FACTS.md")
    return "\n".join(lines)


if __name__ == "__main__":
    common.main(__file__, "facts", HEADING, measure, section)
