"""What the three bench scripts share (no Django here: each measuring run is a
subprocess with its own DATABASE_URL).

    databases()                  the databases to measure: {label: url}
    measure_in(label, url, ...)  run a script's measuring part there, keep its JSON
    notes(name)                  the hand-written notes bench/<name> for a section
    write_section(heading, text) put a section into docs/benchmarks.md in place of its old one

    BENCH_SQLITE, BENCH_PG_URL, BENCH_SKIP_PG   see bench/run.py
"""

import json
import os
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
DOC = ROOT / "docs" / "benchmarks.md"


def ensure_pg_database(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("select 1 from pg_database where datname = %s", [name]).fetchone():
            conn.execute(f'create database "{name}"')


def databases() -> dict[str, str]:
    """SQLite, then PostgreSQL (created when missing) unless BENCH_SKIP_PG=1: the same
    databases for every script, so the national data set is built once."""
    OUT.mkdir(parents=True, exist_ok=True)
    sqlite_path = Path(os.environ.get("BENCH_SQLITE", OUT / "national.sqlite3")).resolve()
    found = {"SQLite": f"sqlite:///{sqlite_path}"}
    if os.environ.get("BENCH_SKIP_PG") != "1":
        pg = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/htxnu_bench")
        ensure_pg_database(pg)
        found["PostgreSQL"] = pg
    return found


def measure_in(label: str, url: str, script: str, args: list[str], name: str) -> dict:
    """Runs `script args` against the database at `url`; its last line of output is the
    JSON of its figures, kept in bench/out/<name>-<label>.json."""
    print(f"== {name} on {label}: {url}", flush=True)
    env = {**os.environ, "DATABASE_URL": url, "DEBUG": "1", "DEMO_DATA_ALLOWED": "1", "LOG_LEVEL": "WARNING"}
    done = subprocess.run([sys.executable, script, *args], env=env, capture_output=True, text=True, check=False)
    if done.returncode:
        print(done.stdout[-3000:], done.stderr[-5000:], sep="\n")
        raise SystemExit(f"{name} bench on {label} failed")
    result = json.loads(done.stdout.strip().splitlines()[-1])
    (OUT / f"{name}-{label.lower()}.json").write_text(json.dumps(result, ensure_ascii=False, indent=1))
    return result


def notes(name: str) -> list[str]:
    path = ROOT / "bench" / name
    return [path.read_text().strip(), ""] if path.exists() else []


def write_section(heading: str, text: str) -> None:
    """The section runs from its heading to the next heading of the same level, or to the end."""
    current = DOC.read_text() if DOC.exists() else "# Benchmarks\n"
    if heading in current:
        before, _, rest = current.partition(heading)
        following = rest.find("\n## ")
        current = before.rstrip() + "\n" + (rest[following:] if following >= 0 else "")
    DOC.write_text(current.rstrip() + "\n\n" + text)


def main(script: str, name: str, heading: str, measure, section) -> None:
    """A bench script's entry point: with --measure (in the subprocess measure_in starts on
    one database), print the JSON of `measure()`; else measure on every database, write
    `section(results)` into docs/benchmarks.md under `heading` and print it."""
    if "--measure" in sys.argv:
        print(json.dumps(measure(), ensure_ascii=False))
        return
    results = {label: measure_in(label, url, script, ["--measure"], name) for label, url in databases().items()}
    text = section(results)
    write_section(heading, text)
    print(text)


class Forms(HTMLParser):
    """The fields of every <form> of a page, as a browser would submit them."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.forms: dict[str, dict] = {}
        self.current = None
        self.textarea = None
        self.select = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.current = {"action": a.get("action") or "", "fields": [], "names": {}}
            self.forms[a.get("id") or f"form{len(self.forms)}"] = self.current
        elif tag == "option":
            if self.select is not None and (self.select[1] is None or "selected" in a):
                self.select[1] = a.get("value", "")
        elif self.current is None or not a.get("name"):
            return
        elif tag == "input":
            kind = (a.get("type") or "text").lower()
            if kind in {"submit", "button", "file", "image"}:
                return
            if kind in {"checkbox", "radio"} and "checked" not in a:
                return
            self.current["fields"].append([a["name"], a.get("value", "on" if kind == "checkbox" else "")])
            self.current["names"][a["name"]] = a
        elif tag == "textarea":
            self.textarea = [a["name"], ""]
            self.current["fields"].append(self.textarea)
        elif tag == "select":
            self.select = [a["name"], None]
            self.current["fields"].append(self.select)

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "textarea":
            self.textarea = None
        elif tag == "select":
            self.select = None
        elif tag == "form":
            self.current = None
