"""Expressions and helpers the task data is read with, shared by every app that counts reports.

`LocalDate` gives a timestamp's calendar date in the portal's time zone cheaply on SQLite;
`end_of` turns "on or before day D" into one indexable comparison; `driver_rows` reads ten
thousand tally rows without converting each.
"""

import datetime
import zoneinfo
from functools import lru_cache

from django.db import connection
from django.db.models.functions import TruncDate
from django.utils import timezone


def driver_rows(queryset) -> list[tuple]:
    """A values_list queryset's rows as the database driver returns them: Django's per-row
    converters (SQLite's dates arrive as text) cost the dashboards as much as their counting.
    Dates come back as text on SQLite and as dates on PostgreSQL: see `as_date`."""
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


@lru_cache(maxsize=1024)
def as_date(value) -> datetime.date:
    """A date from `driver_rows` (text on SQLite); cached, as a few dates repeat in every row."""
    return value if isinstance(value, datetime.date) else datetime.date.fromisoformat(value)


def end_of(day: datetime.date) -> datetime.datetime:
    """The first instant after `day` in the current time zone: `at < end_of(day)` is
    `at__date <= day` without casting every row (an SQLite function call per row)."""
    return datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time(),
                                     tzinfo=timezone.get_current_timezone())


@lru_cache(maxsize=8)
def _fixed_offset(tzname: str) -> int | None:
    """The zone's UTC offset in seconds if it kept one offset from 1990 to 2100, else None."""
    try:
        zone = zoneinfo.ZoneInfo(tzname)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return None
    offsets = {datetime.datetime(year, month, 1, tzinfo=zone).utcoffset()
               for year in range(1990, 2101) for month in (1, 4, 7, 10)}
    return int(offsets.pop().total_seconds()) if len(offsets) == 1 else None


class LocalDate(TruncDate):
    """`TruncDate` — a timestamp's calendar date in the current time zone — which SQLite computes
    itself when that zone keeps one UTC offset (Asia/Ho_Chi_Minh has no daylight saving).
    Django's SQLite version parses every value in Python: at province scale (720,000 reports)
    that was most of a recompute. PostgreSQL and other zones get Django's own SQL."""

    def as_sqlite(self, compiler, connection, **extra_context):
        offset = _fixed_offset(self.get_tzname())
        if offset is None or connection.timezone_name != "UTC":
            return self.as_sql(compiler, connection, **extra_context)
        sql, params = compiler.compile(self.lhs)
        return f"date({sql}, %s)", (*params, f"{offset:+d} seconds")
