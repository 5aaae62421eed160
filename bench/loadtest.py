"""`make loadtest`: a deadline day against the production stack on PostgreSQL.

LOADTEST_USERS commune officers (default 200), each in a commune of their own, sign in,
open their report for the round under way, save a draft twice and submit it, thinking
5–20 s between steps; 20 province approvers open their communes' reports and approve
what was submitted. The run stops after LOADTEST_SECONDS (default 600) at the latest.
Then the database is checked: every answer that said "saved", "submitted" or "approved"
left its report stored with exactly the text, figures and comments of its last success,
in the right state;
no report or value is there twice; nothing exists that no success made.

    DATABASE_URL       PostgreSQL to use (default postgres://postgres@127.0.0.1:5432/htxnu_loadtest,
                       created when missing and given the units, the demo data and the accounts)
    LOADTEST_USERS     commune officers (default 200)
    LOADTEST_APPROVERS province approvers (default 20)
    LOADTEST_SECONDS   the longest the load runs (default 600)
    LOADTEST_PORT      the port on 127.0.0.1 (default 8766)
    LOADTEST_THINK     think time range in seconds (default 5-20)

The last line is `users=… requests=… p50=…ms p95=…ms errors=… lost=…`; before it, the
times per endpoint. Only 127.0.0.1 is ever targeted.
"""

import json
import os
import random
import re
import statistics
import sys
import threading
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "deploy"))

from common import Forms
from stack import Client, Stack, ensure_pg_database, manage, prepare, production_env

SETUP = r"""
import datetime, json, os
from django.contrib.auth.hashers import make_password
from django.utils import timezone
from axes.models import AccessAttempt
from htxnu.accounts.models import Organisation, User
from htxnu.geo.models import AdminUnit, Level
from htxnu.reporting.models import Report, Round, RoundKind

params = json.loads(os.environ["LOADTEST_PARAMS"])
today = timezone.localdate()
rounds = Round.objects.filter(requested_by__isnull=True, kind__in=[RoundKind.SEMIANNUAL, RoundKind.ANNUAL],
                              data_start__lte=today)
report_round = (rounds.filter(data_end__gte=today).order_by("data_end").first()
                or rounds.order_by("-data_end").first())
provinces = list(AdminUnit.objects.filter(level=Level.PROVINCE, valid_to__isnull=True).order_by("code")
                 [:params["approvers"]])
communes_of = {p.pk: list(AdminUnit.objects.filter(parent=p, level=Level.COMMUNE, valid_to__isnull=True)
                          .order_by("code")[:params["users"]]) for p in provinces}
communes = []
for i in range(params["users"]):
    province = provinces[i % len(provinces)]
    communes.append(communes_of[province.pk][i // len(provinces)])
orgs = {o.unit_id: o for o in Organisation.objects.filter(kind=Organisation.Kind.UNION,
                                                          unit__in=[*provinces, *communes])}
password = make_password(params["password"])
officers, approvers = [], []
for i, unit in enumerate(communes):
    name = f"lt_officer_{i:03d}"
    User.objects.update_or_create(username=name, defaults=dict(
        organisation=orgs[unit.pk], is_officer=True, is_approver=False, is_active=True, password=password,
        full_name=f"Cán bộ thử tải {i}"))
    officers.append({"username": name, "unit": unit.pk, "province": unit.parent_id})
for j, province in enumerate(provinces):
    name = f"lt_approver_{j:02d}"
    User.objects.update_or_create(username=name, defaults=dict(
        organisation=orgs[province.pk], is_officer=False, is_approver=True, is_active=True, password=password,
        full_name=f"Người duyệt thử tải {j}"))
    approvers.append({"username": name, "units": [o["unit"] for o in officers if o["province"] == province.pk]})
AccessAttempt.objects.filter(username__startswith="lt_").delete()
# A fresh start: the reports of the round for these communes are made by the run.
deleted = Report.objects.filter(round=report_round, unit__in=communes).delete()
print(json.dumps({"round": report_round.pk, "round_name": str(report_round), "officers": officers,
                  "approvers": approvers, "deleted": deleted[0]}))
"""

VERIFY = r"""
import json, os
from decimal import Decimal
from django.db.models import Count
from htxnu.reporting.models import Report, ReportValue

expected = json.loads(os.environ["LOADTEST_EXPECTED"])
reports = {r.unit_id: r for r in Report.objects.filter(round_id=expected["round"], unit_id__in=expected["units"])}
values = {(v.report_id, v.indicator.code): v for v in ReportValue.objects.filter(report__in=reports.values())
          .select_related("indicator")}
lost, unexpected = [], []
for unit, want in expected["last"].items():
    report = reports.get(int(unit))
    if want is None:
        if report is not None:
            unexpected.append(f"unit {unit}: a report no success made")
        continue
    if report is None:
        lost.append(f"unit {unit}: no report")
        continue
    problems = []
    if report.state != want["state"]:
        problems.append(f"state {report.state} instead of {want['state']}")
    if report.results != want["results"]:
        problems.append("results text differs")
    for name, typed in want["figures"].items():
        kind, code = name.split(":", 1)
        value = values.get((report.pk, code))
        stored = getattr(value, "own_value" if kind == "own" else "comment", None)
        if stored is None or (Decimal(typed) if kind == "own" else typed) != stored:
            problems.append(f"{name} = {stored!r} instead of {typed!r}")
    if problems:
        lost.append(f"unit {unit}: " + "; ".join(problems))
twice = (Report.objects.filter(round_id=expected["round"]).values("unit").annotate(n=Count("id")).filter(n__gt=1)
         .count()
         + ReportValue.objects.filter(report__in=reports.values()).values("report", "indicator")
         .annotate(n=Count("id")).filter(n__gt=1).count())
print(json.dumps({"lost": lost, "unexpected": unexpected, "duplicated": twice}))
"""


class Recorder:
    def __init__(self):
        self.lock = threading.Lock()
        self.times: dict[str, list[float]] = defaultdict(list)
        self.errors: dict[str, int] = defaultdict(int)
        self.samples: list[str] = []

    def call(self, name: str, function, *args, ok=(200, 302)):
        start = time.perf_counter()
        try:
            response = function(*args)
            status = response.status
        except Exception as error:  # a timeout, a reset connection: an error of this request
            response, status = None, f"{type(error).__name__}: {error}"
        elapsed = (time.perf_counter() - start) * 1000
        with self.lock:
            self.times[name].append(elapsed)
            if status not in ok:
                self.errors[name] += 1
                if len(self.samples) < 10:
                    body = response.body if response is not None else ""
                    problems = re.findall(r'<ul class="errorlist">(.*?)</ul>|<li class="error">(.*?)</li>', body, re.S)
                    hint = ("deadlock" if "deadlock" in body.lower()
                            else " ".join("".join(p) for p in problems)[:300] or body[:300].replace("\n", " "))
                    self.samples.append(f"{name}: {status} {hint}")
        return response if status in ok else None


def think(deadline: float, low: float, high: float) -> bool:
    """Sleep like a person reading; False once the run's time is up."""
    pause = random.uniform(low, high)
    if time.monotonic() + pause > deadline:
        return False
    time.sleep(pause)
    return True


def succeeded(client: Client, rec: Recorder, name: str, response) -> bool:
    """A write succeeded when it redirected back and the page says so."""
    if response is None or response.status != 302:
        return False
    page = rec.call(name + " (redirected page)", client.get, response.headers["Location"])
    return page is not None and '<li class="success">' in page.body


def officer(port, plan, index, user, password, deadline, rec, last, think_range):
    client = Client(port, client_address=f"10.{index // 250}.{index % 250}.{1 + index % 200}")
    url = f"/reports/{plan['round']}/{user['unit']}/"
    try:
        time.sleep(random.uniform(0, think_range[1]))  # people do not all start at the same second
        signed = rec.call("sign in", client.sign_in, user["username"], password)
        if signed is None or signed.headers["Location"] != "/":
            return
        for step, action in enumerate(["save", "save", "submit"], start=1):
            page = rec.call("open report", client.get, url)
            if page is None or not think(deadline, *think_range):
                return
            form = Forms(page.body).forms.get("report-form")
            if form is None:
                return
            results = f"Báo cáo thử tải {user['username']}, lần {step}"
            figures = {}
            data = []
            typed = 0
            for name, value in form["fields"]:
                if name == "results":
                    value = results
                elif name.startswith(("own:", "comment:")) and typed < 3:
                    # A commune's figures are mostly computed from its records: what it types is
                    # its own figures, where there are any, and a comment on each indicator.
                    value = str(index * 10 + step) if name.startswith("own:") else f"{results}, {name}"
                    figures[name] = value
                    typed += 1
                data.append((name, value))
            data.append(("action", action))
            response = rec.call(f"{action} report", client.post, url, data)
            if succeeded(client, rec, f"{action} report", response):
                with rec.lock:
                    last[user["unit"]] = {"state": "submitted" if action == "submit" else "draft",
                                          "results": results, "figures": figures}
    finally:
        client.close()


def approver(port, plan, index, user, password, deadline, rec, last, think_range, officers_done):
    client = Client(port, client_address=f"10.250.{index}.1")
    try:
        time.sleep(random.uniform(0, think_range[1]))
        if rec.call("sign in", client.sign_in, user["username"], password) is None:
            return
        approved = set()
        while time.monotonic() < deadline:
            pending = [u for u in user["units"] if u not in approved]
            if not pending or (officers_done.is_set() and not any(
                    last.get(u, {}) and last[u]["state"] == "submitted" for u in pending)):
                return
            for unit in pending:
                url = f"/reports/{plan['round']}/{unit}/"
                page = rec.call("open report to review", client.get, url)
                if page is None or "review-form" not in page.body:
                    continue
                form = Forms(page.body).forms["review-form"]
                if not think(deadline, *think_range):
                    return
                data = [*map(tuple, form["fields"]), ("decision", "approve")]
                response = rec.call("approve report", client.post, url + "review/", data)
                if succeeded(client, rec, "approve report", response):
                    approved.add(unit)
                    with rec.lock:
                        if last.get(unit):
                            last[unit]["state"] = "approved"
            if not think(deadline, *think_range):
                return
    finally:
        client.close()


def percentile(values: list[float], share: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def main() -> int:
    users = int(os.environ.get("LOADTEST_USERS", "200"))
    approvers = int(os.environ.get("LOADTEST_APPROVERS", "20"))
    seconds = int(os.environ.get("LOADTEST_SECONDS", "600"))
    port = int(os.environ.get("LOADTEST_PORT", "8766"))
    low, high = (float(x) for x in os.environ.get("LOADTEST_THINK", "5-20").split("-"))
    url = os.environ.get("DATABASE_URL") or "postgres://postgres@127.0.0.1:5432/htxnu_loadtest"
    password = "loadtest-" + "".join(random.choices("abcdefghijkmnpqrstuvwxyz23456789", k=12))

    ensure_pg_database(url)
    env = production_env(url, port)
    prepare(env)
    setup_env = {**env, "DEBUG": "1", "DEMO_DATA_ALLOWED": "1", "SECRET_KEY": "loadtest-setup"}
    print("· manage.py demo_data --scale demo", flush=True)
    manage(setup_env, "demo_data", "--scale", "demo")
    params = json.dumps({"users": users, "approvers": approvers, "password": password})
    plan = json.loads(manage({**setup_env, "LOADTEST_PARAMS": params}, "shell", "-c", SETUP).stdout.strip()
                      .splitlines()[-1])
    print(f"· {len(plan['officers'])} officers and {len(plan['approvers'])} approvers on {plan['round_name']}"
          f" (round {plan['round']})", flush=True)

    rec = Recorder()
    last: dict[int, dict | None] = {o["unit"]: None for o in plan["officers"]}
    stack = Stack(env, port)
    with stack:
        started = time.monotonic()
        deadline = started + seconds
        officers_done = threading.Event()
        threads = [threading.Thread(target=officer, args=(port, plan, i, user, password, deadline, rec, last,
                                                          (low, high)), daemon=True)
                   for i, user in enumerate(plan["officers"])]
        reviewers = [threading.Thread(target=approver, args=(port, plan, j, user, password, deadline, rec, last,
                                                             (low, high), officers_done), daemon=True)
                     for j, user in enumerate(plan["approvers"])]
        for thread in threads + reviewers:
            thread.start()
        for thread in threads:
            thread.join(timeout=max(0.0, deadline + 150 - time.monotonic()))
        officers_done.set()
        for thread in reviewers:
            thread.join(timeout=max(0.0, deadline + 150 - time.monotonic()))
        elapsed = time.monotonic() - started
        alive = stack.alive()
        log = stack.output()
    stack.close()

    expected = json.dumps({"round": plan["round"], "units": list(last), "last": {str(k): v for k, v in last.items()}})
    checked = json.loads(manage({**env, "LOADTEST_EXPECTED": expected}, "shell", "-c", VERIFY).stdout
                         .strip().splitlines()[-1])

    all_times = [t for times in rec.times.values() for t in times]
    errors = sum(rec.errors.values()) + len(checked["unexpected"]) + checked["duplicated"]
    lost = len(checked["lost"])
    print(f"\n{'endpoint':34} {'requests':>8} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'errors':>6}")
    for name in sorted(rec.times):
        times = rec.times[name]
        print(f"{name:34} {len(times):8} {statistics.median(times):8.0f} {percentile(times, 0.95):8.0f} "
              f"{max(times):8.0f} {rec.errors[name]:6}")
    states = defaultdict(int)
    for value in last.values():
        states[value["state"] if value else "none"] += 1
    print(f"\nran {elapsed:.0f} s; reports by state after the run: {dict(states)}; "
          f"stack still up at the end: {alive}")
    for sample in rec.samples:
        print("  error:", sample)
    for problem in (checked["lost"] + checked["unexpected"])[:10]:
        print("  check:", problem)
    if "Traceback" in log:
        print("  server log (end):", log[-1500:])
    print(f"users={users} requests={len(all_times)} p50={statistics.median(all_times or [0]):.0f}ms "
          f"p95={percentile(all_times, 0.95):.0f}ms errors={errors} lost={lost}")
    return 0 if errors == 0 and lost == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
