#!/usr/bin/env bash
# The whole suite twice: on SQLite (the embedded default) and on a real PostgreSQL.
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== Tests on SQLite =="
DATABASE_URL="sqlite:///:memory:" .venv/bin/pytest "$@"

echo "== Tests on PostgreSQL =="
bash scripts/with-postgres.sh .venv/bin/pytest "$@"
