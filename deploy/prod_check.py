"""`make prod-check`: start the production stack on this machine and check it as a
deployment would see it, then stop it.

    1. a PostgreSQL database (DATABASE_URL, else postgres://postgres@127.0.0.1:5432/htxnu_prodcheck,
       created when missing): migrate, load_units, collectstatic, all with DEBUG=0;
    2. `manage.py check --deploy --fail-level WARNING` is clean;
    3. gunicorn (deploy/gunicorn.conf.py) and a db_worker start, /healthz answers 200 over
       plain HTTP (load balancers probe it so);
    4. without the proxy's header a page redirects to HTTPS; with it (as nginx sends it),
       the sign-in page has HSTS and the CSP, its cookies are Secure, a user signs in
       over HTTP and sees home; wrong passwords lock out the client's address (from
       X-Forwarded-For), not everyone behind the proxy; static files are served;
    5. everything stops, whatever happened.

PRODCHECK_PORT (default 8765) is the port on 127.0.0.1. Redis is not started: without
CACHE_URL the stack uses the database cache (created by migrate).
"""

import os
import secrets
import sys

from stack import HOST, Client, Stack, ensure_pg_database, manage, prepare, production_env

USER_SCRIPT = """
from htxnu.accounts.models import Organisation, User
from htxnu.geo.models import AdminUnit, Level
country = AdminUnit.objects.get(level=Level.COUNTRY)
org = Organisation.objects.get(kind=Organisation.Kind.UNION, unit=country)
user, _ = User.objects.get_or_create(username="prodcheck", defaults={"organisation": org})
user.full_name = "Kiểm tra triển khai"
user.set_password(PASSWORD)
user.save()
"""


def main() -> int:
    url = os.environ.get("DATABASE_URL") or "postgres://postgres@127.0.0.1:5432/htxnu_prodcheck"
    port = int(os.environ.get("PRODCHECK_PORT", "8765"))
    ensure_pg_database(url)
    env = production_env(url, port)
    prepare(env)

    failures = []

    def check(ok: bool, what: str) -> None:
        print(("ok  " if ok else "FAIL") + " " + what, flush=True)
        if not ok:
            failures.append(what)

    deploy = manage(env, "check", "--deploy", "--fail-level", "WARNING", check=False)
    check(deploy.returncode == 0, "manage.py check --deploy is clean" + ("" if deploy.returncode == 0
                                                                          else ":\n" + deploy.stderr))
    password = secrets.token_urlsafe(16)
    manage(env, "shell", "-c", USER_SCRIPT.replace("PASSWORD", repr(password)))

    stack = Stack(env, port)
    with stack:
        client = Client(port)
        check(client.get("/healthz", proxied=False).status == 200, "/healthz answers 200 over plain HTTP")
        plain = client.get("/accounts/login/", proxied=False)
        check(plain.status == 301 and plain.headers["Location"].startswith("https://"),
              "without the proxy's header, a page redirects to HTTPS")
        page = client.get("/accounts/login/")
        check(page.status == 200, "with X-Forwarded-Proto: https, the sign-in page answers 200")
        check("max-age=" in (page.headers["Strict-Transport-Security"] or ""), "HSTS is sent")
        check("script-src 'self'" in (page.headers["Content-Security-Policy"] or ""), "the CSP is sent")
        signed = client.sign_in("prodcheck", password)
        check(signed.status == 302 and signed.headers["Location"] == "/", "sign-in over HTTP behind the proxy")
        session_cookie = [h for h in client.set_cookie_headers if h.startswith("sessionid=")]
        check(bool(session_cookie) and "Secure" in session_cookie[0] and "HttpOnly" in session_cookie[0],
              "the session cookie is Secure and HttpOnly")
        check(all("Secure" in h for h in client.set_cookie_headers if h.startswith("csrftoken=")),
              "the CSRF cookie is Secure")
        # Behind the proxy every request comes from 127.0.0.1: the lock must be on the client's address.
        attacker = Client(port, client_address="203.0.113.9")
        for _ in range(5):
            attacker.sign_in("prodcheck", "wrong password")
        check(attacker.sign_in("prodcheck", password).status == 429,
              "5 wrong passwords from one client address lock that address out")
        colleague = Client(port, client_address="198.51.100.77")
        check(colleague.sign_in("prodcheck", password).status == 302,
              "the owner signs in from another address through the same proxy")
        home = client.get("/")
        check(home.status == 200 and "Kiểm tra triển khai" in home.body, "home shows the signed-in user")
        static = client.get("/static/css/app.css")
        check(static.status == 200 and "max-age" in (static.headers["Cache-Control"] or ""),
              "static files are served (collectstatic, WhiteNoise)")
        check(stack.alive(), "gunicorn and the worker are still running")
        if failures:
            print(stack.output(), file=sys.stderr)
    stack.close()
    print(f"prod-check on {HOST}:{port}: " + ("all good" if not failures else f"{len(failures)} failed"))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
