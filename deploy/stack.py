"""The production stack on this machine, for `make prod-check` and `make loadtest`:
gunicorn with deploy/gunicorn.conf.py and a `manage.py db_worker`, DEBUG=0, on a
PostgreSQL database, bound to 127.0.0.1 only, reached the way nginx reaches it: plain
HTTP with X-Forwarded-Proto: https and X-Forwarded-For (see deploy/nginx.conf).

No Django here: the stack runs in subprocesses with their own environment.
"""

import http.client
import os
import secrets
import subprocess
import sys
import tempfile
import time
import urllib.parse
from http.cookies import SimpleCookie
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = str(ROOT / ".venv" / "bin" / "python") if (ROOT / ".venv" / "bin" / "python").exists() else sys.executable
GUNICORN = str(Path(PYTHON).parent / "gunicorn")
HOST = "127.0.0.1"  # loopback only


def ensure_pg_database(url: str) -> None:
    import psycopg

    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in {"postgres", "postgresql"}:
        raise SystemExit(f"A PostgreSQL DATABASE_URL is needed, not {parts.scheme}://")
    name = parts.path.lstrip("/")
    admin = urllib.parse.urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("select 1 from pg_database where datname = %s", [name]).fetchone():
            conn.execute(f'create database "{name}"')


def production_env(database_url: str, port: int, **extra: str) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "GUNICORN_"))}
    env.update(
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS=f"{HOST},localhost",
        BEHIND_TLS_PROXY="1",
        DATABASE_URL=database_url,
        DEMO_DATA_ALLOWED="0",
        LOG_LEVEL="WARNING",
        GUNICORN_BIND=f"{HOST}:{port}",
        GUNICORN_ACCESSLOG=os.devnull,
        GUNICORN_LOGLEVEL="warning",
    )
    env.update(extra)
    return env


def manage(env: dict, *args: str, stdin: str | None = None, check: bool = True) -> subprocess.CompletedProcess:
    return subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, input=stdin, text=True,
                          capture_output=True, check=check)


def prepare(env: dict) -> None:
    """Migrations, the administrative units (once per database) and collectstatic."""
    for args in (["migrate", "--noinput"], ["load_units"], ["collectstatic", "--noinput"]):
        print("·", "manage.py", *args, flush=True)
        result = manage(env, *args, check=False)
        if result.returncode:
            raise SystemExit(result.stdout + result.stderr)


class Stack:
    """gunicorn and one worker; a context manager that always stops both."""

    def __init__(self, env: dict, port: int, extra_gunicorn: list[str] | None = None):
        self.env, self.port, self.extra = env, port, extra_gunicorn or []
        self.processes: list[subprocess.Popen] = []
        # Both processes' output, kept for a failure's report; closed (and so deleted) in __exit__.
        self.log = tempfile.TemporaryFile("w+")  # noqa: SIM115

    def __enter__(self) -> "Stack":
        self.processes.append(subprocess.Popen(
            [GUNICORN, "-c", "deploy/gunicorn.conf.py", *self.extra, "htxnu.wsgi"],
            cwd=ROOT, env=self.env, stdout=self.log, stderr=subprocess.STDOUT))
        self.processes.append(subprocess.Popen(
            [PYTHON, "manage.py", "db_worker", "--queue-name", "*"],
            cwd=ROOT, env=self.env, stdout=self.log, stderr=subprocess.STDOUT))
        deadline = time.monotonic() + 60
        while True:
            try:
                status = Client(self.port).get("/healthz", proxied=False).status
                if status == 200:
                    return self
            except OSError:
                pass
            if time.monotonic() > deadline or any(p.poll() is not None for p in self.processes):
                self.__exit__(None, None, None)
                raise SystemExit(f"The stack did not start; its log:\n{self.output()}")
            time.sleep(0.5)

    def alive(self) -> bool:
        return all(p.poll() is None for p in self.processes)

    def output(self) -> str:
        self.log.flush()
        self.log.seek(0)
        return self.log.read()[-5000:]

    def __exit__(self, *exc) -> None:
        for process in self.processes:
            if process.poll() is None:
                process.terminate()
        for process in self.processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        self.processes = []

    def close(self) -> None:
        self.log.close()


class Response:
    def __init__(self, status: int, headers: http.client.HTTPMessage, body: str):
        self.status, self.headers, self.body = status, headers, body


class Client:
    """One browser behind the TLS proxy: plain HTTP to gunicorn with the headers nginx
    adds, cookies kept by hand (a Secure cookie is still sent, as the proxy would)."""

    def __init__(self, port: int, client_address: str = "198.51.100.1", timeout: float = 120):
        self.port, self.client_address, self.timeout = port, client_address, timeout
        self.cookies: dict[str, str] = {}
        self.set_cookie_headers: list[str] = []
        self.connection: http.client.HTTPConnection | None = None

    def request(self, method: str, path: str, body: str | None = None, headers: dict | None = None,
                proxied: bool = True) -> Response:
        all_headers = {"Host": f"{HOST}:{self.port}", "Accept-Language": "vi"}
        if proxied:
            all_headers.update({"X-Forwarded-Proto": "https", "X-Forwarded-For": self.client_address})
        if self.cookies:
            all_headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        all_headers.update(headers or {})
        for attempt in (1, 2):  # a kept-alive connection the server closed is opened again once
            if self.connection is None:
                self.connection = http.client.HTTPConnection(HOST, self.port, timeout=self.timeout)
            try:
                self.connection.request(method, path, body=body, headers=all_headers)
                raw = self.connection.getresponse()
                data = raw.read().decode("utf-8", errors="replace")
                break
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                self.connection.close()
                self.connection = None
                if attempt == 2:
                    raise
        for header in raw.headers.get_all("Set-Cookie") or []:
            self.set_cookie_headers.append(header)
            for name, morsel in SimpleCookie(header).items():
                if morsel.value:
                    self.cookies[name] = morsel.value
                else:
                    self.cookies.pop(name, None)
        return Response(raw.status, raw.headers, data)

    def get(self, path: str, proxied: bool = True) -> Response:
        return self.request("GET", path, proxied=proxied)

    def post(self, path: str, data: dict | list, headers: dict | None = None) -> Response:
        origin = f"https://{HOST}:{self.port}"
        return self.request("POST", path, body=urllib.parse.urlencode(data, doseq=True), headers={
            "Content-Type": "application/x-www-form-urlencoded", "Origin": origin, "Referer": origin + path,
            "X-CSRFToken": self.cookies.get("csrftoken", ""), **(headers or {})})

    def sign_in(self, username: str, password: str) -> Response:
        self.get("/accounts/login/")
        return self.post("/accounts/login/", {"username": username, "password": password,
                                              "csrfmiddlewaretoken": self.cookies.get("csrftoken", "")})

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()
            self.connection = None
