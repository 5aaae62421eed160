"""gunicorn configuration for HTX Nữ: `gunicorn -c deploy/gunicorn.conf.py htxnu.wsgi`.

Every value can be changed with an environment variable (GUNICORN_*), so one file serves
every machine. See README "Running in production".
"""

import multiprocessing
import os


def _int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")  # behind the reverse proxy, never public

# Threads, not one request per process: most of a request is waiting for the database, and
# a slow page (a cold national trends page takes ~30 s) must not take a whole process.
worker_class = "gthread"
workers = _int("GUNICORN_WORKERS", max(2, multiprocessing.cpu_count()))
threads = _int("GUNICORN_THREADS", 4)

# The slowest page (cold national trends, 31 s measured) and the largest synchronous
# export must finish: 120 s, not the 30 s default that killed the trends page twice.
timeout = _int("GUNICORN_TIMEOUT", 120)
graceful_timeout = 30
keepalive = 5

# A worker is replaced after this many requests, so memory taken by one big export or
# import is given back.
max_requests = _int("GUNICORN_MAX_REQUESTS", 2000)
max_requests_jitter = 200

# Only the reverse proxy on this machine may say the request came over HTTPS.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")

accesslog = os.environ.get("GUNICORN_ACCESSLOG", "-")
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOGLEVEL", "info")
