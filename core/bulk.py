"""Writing many rows in a fixed number of statements, whatever their number.

Django's bulk_create and bulk_update send one statement per batch, and on SQLite a batch is
small (999 parameters: about 70 people), so an import of 20,000 people took hundreds of
queries. Here each table gets one statement: on PostgreSQL the rows travel as one array per
column (`unnest`), on other backends as one `executemany` (one prepared statement run for
every row, in-process for SQLite).

The primary keys are reserved first (`reserve_ids`), so the caller knows every new row's id
without reading the rows back. Like bulk_create these skip save() and signals; defaults and
auto_now_add are applied (Field.pre_save), so a model whose save() computes a field must have
it set before (StaffMemberQuerySet.bulk_create does the same for the search key).
"""

from django.db import connections, router


def _postgres(connection) -> bool:
    return connection.vendor == "postgresql"


def reserve_ids(model, count: int, *, using=None) -> list[int]:
    """`count` new primary keys for `model`, in one query. On PostgreSQL they come from the
    table's sequence (safe beside other writers); elsewhere they follow the largest id, which
    inside the caller's transaction is safe for SQLite (one writer at a time: a concurrent
    insert of the same id fails the whole transaction rather than mixing rows)."""
    if not count:
        return []
    using = using or router.db_for_write(model)
    connection = connections[using]
    table, pk = model._meta.db_table, model._meta.pk.column
    with connection.cursor() as cursor:
        if _postgres(connection):
            cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, %s)) "
                           "FROM generate_series(1, %s)", [table, pk, count])
            return [row[0] for row in cursor.fetchall()]
        cursor.execute(f"SELECT MAX({connection.ops.quote_name(pk)}) "  # noqa: S608 (names from _meta)
                       f"FROM {connection.ops.quote_name(table)}")
        start = (cursor.fetchone()[0] or 0) + 1
    return list(range(start, start + count))


def _columns(model, fields, objs, connection, *, add):
    """The fields' columns and, per field, the prepared values of every object."""
    values = [[field.get_db_prep_save(field.pre_save(obj, add), connection=connection)
               for obj in objs] for field in fields]
    return [field.column for field in fields], values


def insert(model, objs, *, using=None) -> None:
    """Insert `objs` (instances of `model`) in two queries whatever their number, ids included:
    each object gets its reserved primary key first."""
    objs = list(objs)
    if not objs:
        return
    using = using or router.db_for_write(model)
    connection = connections[using]
    for obj, pk in zip(objs, reserve_ids(model, len(objs), using=using), strict=True):
        obj.pk = pk
        obj._state.adding, obj._state.db = False, using
    fields = [field for field in model._meta.concrete_fields]
    columns, values = _columns(model, fields, objs, connection, add=True)
    quote = connection.ops.quote_name
    names = ", ".join(quote(column) for column in columns)
    with connection.cursor() as cursor:
        if _postgres(connection):
            arrays = ", ".join(f"%s::{_array_type(field, connection)}" for field in fields)
            cursor.execute(f"INSERT INTO {quote(model._meta.db_table)} ({names}) "  # noqa: S608
                           f"SELECT * FROM unnest({arrays})", values)
        else:
            marks = ", ".join(["%s"] * len(columns))
            cursor.executemany(f"INSERT INTO {quote(model._meta.db_table)} ({names}) "  # noqa: S608
                               f"VALUES ({marks})", list(zip(*values, strict=True)))


def update(model, objs, field_names, *, using=None) -> None:
    """Write `field_names` of `objs` (saved instances of `model`) in one query whatever their
    number."""
    objs = list(objs)
    if not objs:
        return
    using = using or router.db_for_write(model)
    connection = connections[using]
    meta = model._meta
    fields = [meta.get_field(name) for name in field_names]
    columns, values = _columns(model, fields, objs, connection, add=False)
    ids = [meta.pk.get_db_prep_save(obj.pk, connection=connection) for obj in objs]
    quote = connection.ops.quote_name
    table, pk = quote(meta.db_table), quote(meta.pk.column)
    with connection.cursor() as cursor:
        if _postgres(connection):
            arrays = ", ".join(f"%s::{_array_type(field, connection)}"
                               for field in [meta.pk, *fields])
            names = ", ".join(quote(column) for column in [meta.pk.column, *columns])
            sets = ", ".join(f"{quote(column)} = v.{quote(column)}" for column in columns)
            cursor.execute(f"UPDATE {table} SET {sets} FROM unnest({arrays}) "  # noqa: S608
                           f"AS v({names}) WHERE {table}.{pk} = v.{pk}", [ids, *values])
        else:
            sets = ", ".join(f"{quote(column)} = %s" for column in columns)
            cursor.executemany(f"UPDATE {table} SET {sets} WHERE {pk} = %s",  # noqa: S608
                               list(zip(*values, ids, strict=True)))


def _array_type(field, connection) -> str:
    """The column's type as a PostgreSQL array ("varchar(120)[]"; a foreign key: its target's)."""
    return f"{field.db_type(connection)}[]"
