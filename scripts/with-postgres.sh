#!/usr/bin/env bash
# Runs a command against a throwaway PostgreSQL cluster, started here and stopped on exit.
# The cluster uses ICU's vi-VN collation so names sort in Vietnamese order ("Ánh" before "Bình").
# Usage: scripts/with-postgres.sh COMMAND [ARGS...]   (DATABASE_URL is set for COMMAND)
set -euo pipefail

pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
if [ -z "$pgbin" ]; then
  echo "PostgreSQL is not installed: run 'make system-deps' (or apt-get install postgresql)." >&2
  exit 1
fi

# initdb and postgres refuse to run as root: run them as the postgres system user then.
as_pg=()
if [ "$(id -u)" -eq 0 ]; then
  id postgres >/dev/null 2>&1 || useradd --system --home-dir /var/lib/postgresql postgres
  as_pg=(runuser -u postgres --)
fi

# Not under /tmp/pytest-of-*: those directories are private to their owner.
workdir=$(mktemp -d /tmp/thidua-pg.XXXXXX)
chmod 755 "$workdir"
[ "$(id -u)" -eq 0 ] && chown postgres "$workdir"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')

stop() {
  (cd / && "${as_pg[@]}" "$pgbin/pg_ctl" -D "$workdir/data" -m immediate stop >/dev/null 2>&1) || true
  rm -rf "$workdir"
}
trap stop EXIT

(cd / && "${as_pg[@]}" "$pgbin/initdb" -D "$workdir/data" -U postgres --auth=trust \
  --encoding=UTF8 --locale=C.UTF-8 --locale-provider=icu --icu-locale=vi-VN >/dev/null)
(cd / && "${as_pg[@]}" "$pgbin/pg_ctl" -D "$workdir/data" -l "$workdir/server.log" -w \
  -o "-p $port -k $workdir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
  start >/dev/null)

echo "PostgreSQL $("$pgbin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port (ICU vi-VN)"
export DATABASE_URL="postgres://postgres@127.0.0.1:$port/postgres"
"$@"
