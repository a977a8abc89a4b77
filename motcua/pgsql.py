"""Writing several related rows in one PostgreSQL statement (data-modifying CTEs).

For the busiest write path only (receiving a dossier). The rows are ordinary, unsaved Django
model instances; each table's rows travel as ONE JSON parameter that PostgreSQL turns back
into typed rows with ``jsonb_populate_recordset(NULL::table, …)``. So the statement's text
does not depend on the data (it is built once and kept), it has a handful of parameters, and
the write costs one round trip without any ORM query compilation. Values are prepared by each
field as the ORM prepares them for an INSERT (``pre_save``, then ``get_db_prep_save``).
"""

from __future__ import annotations

import datetime
import decimal
import json
import uuid
from collections.abc import Sequence
from functools import cache

import psycopg
from django.db import connection
from django.db.models import JSONField, Model


def _json_default(value):
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()  # every microsecond: event hashes cover them
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    raise TypeError(f"{type(value).__name__} không chuyển được sang JSON")


@cache
def _fields(model: type[Model], with_pk: bool):
    """The columns an INSERT writes: not the ones the database computes (generated)."""
    return [
        f for f in model._meta.concrete_fields if (with_pk or not f.primary_key) and not f.generated
    ]


def rows_json(rows: Sequence[Model], *, with_pk: bool = False) -> str:
    """The rows as a JSON array of {column: value}, for ``insert_sql``'s parameter."""
    if not rows:
        return "[]"
    out = []
    for row in rows:
        record = {}
        for f in _fields(type(row), with_pk):
            value = f.pre_save(row, True)
            record[f.column] = (
                value if isinstance(f, JSONField) else f.get_db_prep_save(value, connection)
            )
        out.append(record)
    return json.dumps(out, default=_json_default, ensure_ascii=False)


def insert_sql(
    name: str,
    model: type[Model],
    *,
    with_pk: bool = False,
    exprs: dict[str, str] | None = None,
    after: Sequence[str] = (),
    where: str = "true",
    suffix: str = "",
) -> str:
    """``name AS (INSERT INTO table (…) SELECT … FROM jsonb_populate_recordset(…) r, after
    WHERE where suffix)``. Its parameters are named: ``%(name)s`` is the rows' JSON
    (``rows_json``); ``exprs`` (SQL replacing a column's value, which may read the parts
    named in ``after``) and ``where`` may use their own."""
    exprs = exprs or {}
    q = connection.ops.quote_name
    table = q(model._meta.db_table)
    fields = _fields(model, with_pk)
    columns = ", ".join(q(f.column) for f in fields)
    select = ", ".join(exprs.get(f.attname, f"r.{q(f.column)}") for f in fields)
    rows = f"jsonb_populate_recordset(NULL::{table}, %({name})s::jsonb) AS r"
    sources = ", ".join([rows, *after])
    return (
        f"{name} AS (INSERT INTO {table} ({columns}) SELECT {select} FROM {sources} "
        f"WHERE {where} {suffix})"
    )


#: Only the statements asked for are prepared (``execute_prepared``), never by count.
_PREPARE_ONLY_WHEN_ASKED = 2**31


def execute_prepared(sql: str, params: Sequence | dict) -> list[tuple]:
    """Run one of the few statements that run all the time with the same text, as a
    prepared statement of this connection on PostgreSQL (parsed and planned once per
    connection: for the public look-up this takes the server's share from ~0.36 to ~0.08 ms,
    ``bench/``); elsewhere as usual. Returns the rows (none for a statement without any).

    Django's own cursors bind client-side and never prepare; this one binds server-side.
    Behind a connection pooler in transaction mode, use one that keeps prepared statements
    (PgBouncer >= 1.21 with ``max_prepared_statements``)."""
    if connection.vendor != "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall() if cursor.description else []
    connection.ensure_connection()
    raw = connection.connection
    if raw.prepare_threshold is None:  # Django turns preparing off; ours asks explicitly
        raw.prepare_threshold = _PREPARE_ONLY_WHEN_ASKED
    # Errors as Django's (IntegrityError…), as from its own cursors.
    with connection.wrap_database_errors, psycopg.Cursor(raw) as cursor:  # server-side binding
        cursor.execute(sql, params, prepare=True)
        return cursor.fetchall() if cursor.description else []
