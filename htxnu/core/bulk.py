"""Writing many rows at once (the registry import, the audit entries of bulk writes).

Django's bulk_create prepares every value through several layers of SQL compilation,
and bulk_update builds one CASE branch per row and field; for a 10,000-row import
that was most of the time. These helpers write the same rows with plain
parameterised statements, in the caller's transaction:

- insert_returning: on SQLite, multi-row INSERT … RETURNING id, 500 rows a statement,
  setting each object's id as bulk_create does; on PostgreSQL, the ids are drawn from
  the table's sequence in one query and the rows sent with COPY;
- insert_rows: the same without the ids (a collective's managers and figures, audit
  entries): multi-row INSERTs on SQLite, COPY on PostgreSQL (bulk_create's UNNEST
  arrays are quoted into the SQL text in Python by Django's client-side cursor, which
  cost more than the database's work);
- update_rows: one UPDATE prepared once and run for every row by the driver in a
  single executemany call (SQLite loops in C; psycopg pipelines the rows).

Values go through each field's get_db_prep_save, except for the plain types
(text, integers, booleans, foreign keys) whose Python value is already what the
driver takes; auto_now fields get their pre_save.
"""

from contextlib import contextmanager

from django.db import connections, router

PLAIN = {"CharField", "TextField", "IntegerField", "PositiveIntegerField", "PositiveSmallIntegerField",
         "SmallIntegerField", "BigIntegerField", "BooleanField", "ForeignKey", "OneToOneField"}
ROWS_PER_INSERT = 500


def _getter(field, connection, add: bool):
    attname = field.attname
    if getattr(field, "auto_now", False) or (add and getattr(field, "auto_now_add", False)):
        return lambda obj: field.get_db_prep_save(field.pre_save(obj, add), connection=connection)
    if field.get_internal_type() in PLAIN:
        return lambda obj: getattr(obj, attname)
    return lambda obj: field.get_db_prep_save(getattr(obj, attname), connection=connection)


@contextmanager
def _cursor(connection):
    """On PostgreSQL a psycopg cursor of its own on the same connection (and so the same
    transaction): it binds values on the server and can COPY, where Django's client-side
    cursor quotes every value into the SQL text in Python (update_rows' executemany of
    10,000 rows cost more than the update itself)."""
    if connection.vendor == "postgresql":
        import psycopg

        connection.ensure_connection()
        with psycopg.Cursor(connection.connection) as cursor:
            yield cursor
    else:
        with connection.cursor() as cursor:
            yield cursor


def _columns(model):
    return [f for f in model._meta.concrete_fields if not f.primary_key]


def _insert_sql(model, connection, rows: int, returning: bool) -> str:
    qn = connection.ops.quote_name
    columns = _columns(model)
    one = "(" + ", ".join(["%s"] * len(columns)) + ")"
    sql = (f"INSERT INTO {qn(model._meta.db_table)} (" + ", ".join(qn(c.column) for c in columns) + ") VALUES "
           + ", ".join([one] * rows))
    return sql + (f" RETURNING {qn(model._meta.pk.column)}" if returning else "")


def insert_returning(model, objects) -> None:
    """Inserts the objects and sets their ids, as bulk_create does."""
    _insert(model, objects, returning=True)


def insert_rows(model, objects) -> None:
    """Inserts the objects; their ids stay unset."""
    _insert(model, objects, returning=False)


def _insert(model, objects, *, returning: bool) -> None:
    if not objects:
        return
    alias = router.db_for_write(model)
    connection = connections[alias]
    if connection.vendor == "postgresql":
        if returning:
            _copy_with_ids(model, connection, alias, objects)
        else:
            _copy(model, connection, _columns(model), objects)
        return
    getters = [_getter(f, connection, add=True) for f in _columns(model)]
    with _cursor(connection) as cursor:
        for start in range(0, len(objects), ROWS_PER_INSERT):
            chunk = objects[start : start + ROWS_PER_INSERT]
            cursor.execute(_insert_sql(model, connection, len(chunk), returning),
                           [get(obj) for obj in chunk for get in getters])
            if returning:
                for obj, (pk,) in zip(chunk, cursor.fetchall(), strict=True):
                    _saved(obj, pk, alias)


def _saved(obj, pk, alias) -> None:
    obj.pk = pk
    obj._state.adding = False
    obj._state.db = alias


def _copy(model, connection, columns, objects) -> None:
    """COPY … FROM STDIN of these columns of the objects, in the caller's transaction;
    psycopg adapts each value (dates, decimals, JSON) itself."""
    qn = connection.ops.quote_name
    getters = [_getter(f, connection, add=True) for f in columns]
    sql = f"COPY {qn(model._meta.db_table)} (" + ", ".join(qn(c.column) for c in columns) + ") FROM STDIN"
    with _cursor(connection) as cursor, cursor.copy(sql) as copy:
        for obj in objects:
            copy.write_row([get(obj) for get in getters])


def _copy_with_ids(model, connection, alias, objects) -> None:
    """insert_returning on PostgreSQL: ids drawn from the table's own sequence (so later
    inserts never collide with them), then COPY with the id column."""
    meta = model._meta
    with _cursor(connection) as cursor:
        cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                       [meta.db_table, meta.pk.column, len(objects)])
        ids = [row[0] for row in cursor.fetchall()]
    for obj, pk in zip(objects, ids, strict=True):
        _saved(obj, pk, alias)
    _copy(model, connection, [meta.pk, *_columns(model)], objects)


def update_rows(model, objects, fields: list[str]) -> None:
    if not objects:
        return
    connection = connections[router.db_for_write(model)]
    qn = connection.ops.quote_name
    meta = model._meta
    columns = [meta.get_field(name) for name in fields]
    getters = [_getter(c, connection, add=False) for c in columns]
    sql = (
        f"UPDATE {qn(meta.db_table)} SET "
        + ", ".join(f"{qn(c.column)} = %s" for c in columns)
        + f" WHERE {qn(meta.pk.column)} = %s"
    )
    with _cursor(connection) as cursor:
        cursor.executemany(sql, [[get(obj) for get in getters] + [obj.pk] for obj in objects])
