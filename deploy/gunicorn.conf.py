"""gunicorn settings for the portal: `gunicorn -c deploy/gunicorn.conf.py config.wsgi`.

Every value can be changed per host through the environment (deploy/env.production.example);
see docs/deployment.md for one host and for several hosts behind nginx.
"""

import multiprocessing
import os


def _int(name, default):
    return int(os.environ.get(name, default))


# On one host nginx reaches gunicorn over loopback; behind a proxy on another machine set
# GUNICORN_BIND=0.0.0.0:8001 (or the host's private address) and firewall the port to the proxy.
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8001")

# Sync workers: every request is short except the dashboard PDF, and long documents go to the
# background worker. The usual 2 × cores + 1, capped: each worker holds its own database
# connection (CONN_MAX_AGE), and PostgreSQL's max_connections is shared by every host.
workers = _int("GUNICORN_WORKERS", min(2 * multiprocessing.cpu_count() + 1, 9))
worker_class = "sync"

# A request taking longer is stuck: the worker is killed and replaced. The director's dashboard
# PDF (WeasyPrint, in the request) is the slowest page; nginx waits a little longer than this.
timeout = _int("GUNICORN_TIMEOUT", 60)
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
# nginx keeps connections to the upstream open (keepalive in deploy/nginx/thidua.conf).
keepalive = _int("GUNICORN_KEEPALIVE", 5)

# Recycle each worker after about a thousand requests, at different moments (the jitter) so the
# workers never restart together: caps any slow growth of memory (Pango, openpyxl).
max_requests = _int("GUNICORN_MAX_REQUESTS", 1000)
max_requests_jitter = _int("GUNICORN_MAX_REQUESTS_JITTER", 100)

# preload_app stays off: the application is then loaded by each worker, so `systemctl reload
# thidua-web` (HUP) starts workers on the new release's code without dropping a request. With it
# on, workers would share memory but a release would need a full restart. Django opens no
# database connection at import, so either choice is safe for connections.
preload_app = os.environ.get("GUNICORN_PRELOAD", "false").lower() == "true"

# Heartbeat files in memory, not on a disk that may stall.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None

# Logs to stdout/stderr: journald keeps them (systemd/thidua-web.service).
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# The client's address as nginx saw it, the request, status, size, time taken (ms), referrer and
# browser. No query strings beyond the request line, no cookies, no bodies.
access_log_format = (
    '%({x-forwarded-for}i)s "%(r)s" %(s)s %(b)s %(M)sms "%(f)s" "%(a)s"'
)

# Addresses allowed to set X-Forwarded-* for gunicorn itself: the proxy. Django decides HTTPS
# from SECURE_PROXY_SSL_HEADER; this keeps gunicorn's own view (wsgi.url_scheme) in step.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")

proc_name = "thidua-web"
