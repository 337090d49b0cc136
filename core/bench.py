"""What the benchmarks (`manage.py bench_*`) share: a scratch database standing in for the
configured one, bulk inserts of plain rows into it, and the timing of a page."""

import os
import shutil
import statistics
import tempfile
import time
import uuid
from contextlib import contextmanager

from django.contrib.contenttypes.models import ContentType
from django.core.management.base import CommandError
from django.db import connections
from django.db.utils import load_backend
from django.test.utils import CaptureQueriesContext, override_settings

SCRATCH_OPTIONS = {
    # A scratch file: durability does not matter, speed does.
    "init_command": "PRAGMA synchronous=OFF; PRAGMA journal_mode=MEMORY; "
                    "PRAGMA cache_size=-262144; PRAGMA temp_store=MEMORY",
}


def add_province_arguments(parser):
    """The size of the province the task and scoring benchmarks build (one scratch data set,
    the same options)."""
    parser.add_argument("--units", type=int, default=1000)
    parser.add_argument("--assignments", type=int, default=60,
                        help="Tasks of the campaign; every unit is assigned all of them.")
    parser.add_argument("--reports", type=int, default=12,
                        help="Reports per assignment (monthly periods, at most 12).")


def check_sizes(opts, *names):
    """CommandError unless each option named is at least 1 and --reports, where the command
    has it, is a number of monthly periods."""
    if min(opts[name] for name in names) < 1:
        listed = ", ".join(f"--{name}" for name in names[:-1])
        raise CommandError(f"{listed} and --{names[-1]} must be at least 1.")
    if "reports" in opts and not 0 <= opts["reports"] <= 12:
        raise CommandError("--reports must be between 0 and 12 (monthly periods).")


def scratch_database(original, prefix, *, sqlite_only=False):
    """(connection aliased `default`, where it is, how to remove it): a throw-away database on
    the configured engine — a temporary SQLite file, or a new database on the same PostgreSQL
    server — never the configured database itself."""
    base = {
        **original.settings_dict,
        "ATOMIC_REQUESTS": False, "AUTOCOMMIT": True, "CONN_MAX_AGE": 0,
        "CONN_HEALTH_CHECKS": False, "TIME_ZONE": None,
        "TEST": {"CHARSET": None, "COLLATION": None, "MIGRATE": True, "MIRROR": None,
                 "NAME": None},
    }
    if original.vendor == "postgresql" and not sqlite_only:
        name = f"thidua_bench_{uuid.uuid4().hex[:12]}"
        with original._nodb_cursor() as cursor:
            cursor.execute(f'CREATE DATABASE "{name}"')

        def drop():
            with original._nodb_cursor() as cursor:
                cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')

        settings_dict = {**base, "NAME": name}
        where = f"{name} on {original.settings_dict.get('HOST') or 'localhost'}"
    else:
        tmpdir = tempfile.mkdtemp(prefix=f"{prefix}-")
        path = os.path.join(tmpdir, "bench.sqlite3")

        def drop():
            shutil.rmtree(tmpdir, ignore_errors=True)

        settings_dict = {**base, "ENGINE": "django.db.backends.sqlite3", "NAME": path,
                         "USER": "", "PASSWORD": "", "HOST": "", "PORT": "",
                         "OPTIONS": dict(SCRATCH_OPTIONS)}
        where = path
    backend = load_backend(settings_dict["ENGINE"])
    return backend.DatabaseWrapper(settings_dict, alias="default"), where, drop


@contextmanager
def scratch_default(prefix, *, keep, stdout, sqlite_only=False):
    """Run the body with a scratch database as `default` (fast password hashing, the test
    client's host allowed), then put the configured one back and remove the scratch one."""
    original = connections["default"]
    scratch, where, drop = scratch_database(original, prefix, sqlite_only=sqlite_only)
    stdout.write(f"{prefix}: scratch {scratch.vendor} database {where}")
    connections["default"] = scratch
    ContentType.objects.clear_cache()
    try:
        with override_settings(
            PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
            ALLOWED_HOSTS=["testserver"],
        ):
            yield scratch
    finally:
        scratch.close()
        connections["default"] = original
        ContentType.objects.clear_cache()
        if keep:
            stdout.write(f"kept {where}")
        else:
            drop()


def bulk_insert(cursor, model, names, rows):
    """executemany of plain tuples into a model's table, columns named by field name: the
    benchmarks build hundreds of thousands of rows, which the ORM would take minutes to save."""
    meta = model._meta
    columns = ", ".join(cursor.db.ops.quote_name(meta.get_field(n).column) for n in names)
    marks = ", ".join(["%s"] * len(names))
    table = cursor.db.ops.quote_name(meta.db_table)
    cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", rows)


def time_get(conn, client, url, repeat):
    """(median ms, min ms, queries of the last run) of `repeat` GETs of url; a CommandError
    saying what it answered if that is not 200."""
    times, queries = time_gets(conn, client, url, repeat)
    return statistics.median(times), min(times), queries


def p95(times):
    """The 95th percentile of `times` (the nearest rank: with 20 runs, the second slowest)."""
    ordered = sorted(times)
    return ordered[max(0, -(-len(ordered) * 95 // 100) - 1)]


def time_gets(conn, client, url, repeat):
    """(every run's ms, queries of the last run) of `repeat` GETs of url, as `time_get`."""
    times, queries = [], 0
    for _ in range(repeat):
        with CaptureQueriesContext(conn) as captured:
            started = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - started) * 1000)
        if response.status_code != 200:
            raise CommandError(f"{url} answered {response.status_code}")
        queries = len(captured)
    return times, queries
