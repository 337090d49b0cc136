#!/usr/bin/env bash
# `make run`: the development web server with the background worker beside it.
# The worker builds the long documents (awards/jobs.py); it stops when the server stops,
# however the server stops (Ctrl+C, an error, a closed terminal).
# Usage: scripts/run.sh [ADDRESS:PORT]   (PY may name the Python to use)
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
address=${1:-127.0.0.1:8000}

# In its own session, so that stopping it reaches the process it forks to reload on code changes.
setsid "$PY" manage.py db_worker &
worker=$!
stop_worker() {
  kill -TERM -- "-$worker" 2>/dev/null || true
  wait "$worker" 2>/dev/null || true
}
trap stop_worker EXIT

"$PY" manage.py runserver "$address"
