"""Gunicorn settings for production: `gunicorn -c gunicorn.conf.py` (or `make serve-prod`).

Every value can be overridden from the environment; see docs/deployment.md.
"""

import gc
import multiprocessing
import os

from gunicorn.http import wsgi as _gunicorn_wsgi


def _int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


wsgi_app = "app:create_app()"

# Behind a reverse proxy on the same machine: listen on loopback only.
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")

# Sync workers, each its own process with its own database connection pool.
workers = _int("GUNICORN_WORKERS", _int("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
threads = _int("GUNICORN_THREADS", 1)
worker_class = "gthread" if threads > 1 else "sync"

# Each worker imports and builds the app itself: no connections or files opened
# before the fork are shared between workers, and `kill -HUP` reloads code.
preload_app = False

timeout = _int("GUNICORN_TIMEOUT", 60)
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)  # finish requests on SIGTERM/HUP
keepalive = 5
# Recycle workers now and then so a slow leak never grows without bound.
max_requests = _int("GUNICORN_MAX_REQUESTS", 5000)
max_requests_jitter = max_requests // 10

# The Server header names no product or version (gunicorn always sends one).
_gunicorn_wsgi.SERVER = "innbyggerstemmen"

# Only trust X-Forwarded-* from the proxy (the app's ProxyFix does the rest).
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")

accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
errorlog = os.environ.get("GUNICORN_ERROR_LOG", "-")
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
access_log_format = '%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s %(M)sms "%(a)s"'

# Gunicorn >= 24 opens a control socket in ~/.gunicorn; several servers on one
# machine (and the tests) would share it. Signals (HUP, TERM) are enough.
control_socket = os.environ.get("GUNICORN_CONTROL_SOCKET", "")
control_socket_disable = not control_socket
if not control_socket:
    del control_socket


def post_worker_init(worker) -> None:
    """Move everything the worker has built so far (the app, its libraries, compiled
    code) out of the garbage collector's reach: a full collection then scans only what
    requests create, instead of pausing a 160 MiB worker for tens of milliseconds."""
    if os.environ.get("GUNICORN_GC_FREEZE", "1") != "0":
        gc.freeze()
