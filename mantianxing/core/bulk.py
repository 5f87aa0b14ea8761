"""Bulk writes in plain SQL for the imports that write hundreds of thousands of rows at once.

`QuerySet.update()` over an `IN` list and `bulk_create()` cost, per row, more than the database
spends on it (see each function); these two keep Django's field adaptation and quoting and drop the
rest. What they skip: signals, defaults and `auto_now` (pass such values explicitly), the history.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from functools import partial
from itertools import islice
from typing import Any, TypeVar

from django.db import connections, router
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import CharField, Field, ForeignKey, IntegerField, Model
from django.dispatch import Signal

# Ids per statement: well under SQLite's 32,766 variables, and short enough for PostgreSQL.
ID_CHUNK = 10_000
# Rows per INSERT on PostgreSQL (one array per column).
CREATE_BATCH = 5_000

T = TypeVar("T")

# Sent after every bulk write, since these writes send no model signals: sender is the model, and
# `keys(attname)` answers which values of that column ("enterprise_id") the written rows hold,
# or None when it cannot tell. Derived facts use it to know what went stale (`core.derived`).
rows_written = Signal()


def chunked(items: Iterable[T], size: int) -> Iterator[list[T]]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def update_rows(model: type[Model], ids: list[int], **values: Any) -> None:
    """`UPDATE … SET <values> WHERE id IN (<ids>)`, per chunk of ids; values are field names.

    The statement `QuerySet.filter(pk__in=ids).update()` would send, without its cost: the ORM
    prepares each id of an `IN` list separately, ~5 µs an id, seconds for a month of the city.
    PostgreSQL gets the ids as one array (`= ANY(%s)`): psycopg parses a statement's placeholders
    in Python, and 10,000 of them cost it more than the server spends on the update.
    """
    connection = connections[router.db_for_write(model)]
    fields = _fields(model, list(values))
    table, pk, *columns = _quoted(connection, model, ["pk", *values])
    assignments = ", ".join(f"{column} = %s" for column in columns)
    params = [
        field.get_db_prep_save(value, connection)
        for field, value in zip(fields, values.values(), strict=True)
    ]
    sql = f"UPDATE {table} SET {assignments} WHERE {pk}"
    with connection.cursor() as cursor:
        for chunk in chunked(ids, ID_CHUNK):
            if connection.vendor == "postgresql":
                cursor.execute(f"{sql} = ANY(%s)", [*params, chunk])
            else:
                cursor.execute(f"{sql} IN ({', '.join(['%s'] * len(chunk))})", [*params, *chunk])
    rows_written.send(model, keys=partial(_column_of_ids, model, ids, values))


def update_objects(model: type[Model], objects: list[Model], fields: list[str]) -> None:
    """Django's `bulk_update()` of `objects` (their `fields`), by chunks, and `rows_written` after it.

    Kept beside the plain-SQL writers so that every bulk write of the project tells the derived
    facts what it wrote (`bulk_update()` sends no signal of its own).
    """
    for part in chunked(objects, 2000):
        model._base_manager.bulk_update(part, fields)
    if objects:
        rows_written.send(model, keys=partial(_column_of_objects, model, objects))


def _column_of_objects(model: type[Model], objects: list[Model], attname: str) -> set[int]:
    values = {getattr(obj, attname, None) for obj in objects}
    if None in values:  # not loaded on the objects: read back from the rows
        return _column_of_ids(model, [obj.pk for obj in objects], {}, attname)
    return values  # type: ignore[return-value]


def insert_rows(model: type[Model], names: list[str], rows: list[tuple], **same: Any) -> None:
    """INSERT `rows` (values of the fields `names`, in order; then `same` in every row).

    Not `bulk_create()`: a model instance and its per-field preparation cost ~100 µs a row, so a
    month's 50,000 new roster filings alone would take seconds. Values are adapted as the field
    would adapt them, once per distinct value; what `bulk_create()` would add (defaults,
    `auto_now`, signals) is given in `same` or not used by these models. Rows go in many to a
    statement: on PostgreSQL as one array per column (`UNNEST`, as Django's own `bulk_create()`
    does there), elsewhere as `VALUES` lists within SQLite's 999 parameters.
    """
    if not rows:
        return
    connection = connections[router.db_for_write(model)]
    fields = _fields(model, [*names, *same])
    given = fields[: len(names)]
    constant = [
        field.get_db_prep_save(value, connection)
        for field, value in zip(fields[len(names) :], same.values(), strict=True)
    ]
    # Keys, integers and text go to the driver as they are; dates and decimals through the field.
    adapters = [
        (i, _cached(partial(field.get_db_prep_save, connection=connection)))
        for i, field in enumerate(given)
        if not isinstance(field, ForeignKey | CharField | IntegerField)
    ]

    def adapted(batch: list[tuple]) -> Iterator[list[Any]]:
        for row in batch:
            values = list(row)
            for i, adapt in adapters:
                values[i] = adapt(values[i])
            yield values

    table, *columns = _quoted(connection, model, [*names, *same])
    head = f"INSERT INTO {table} ({', '.join(columns)})"
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            arrays = ", ".join(f"%s::{_cast_type(field, connection)}[]" for field in given)
            constants = "".join(f", %s::{_cast_type(field, connection)}" for field in fields[len(names) :])
            sql = f"{head} SELECT *{constants} FROM UNNEST({arrays})"
            for batch in chunked(rows, CREATE_BATCH):
                cursor.execute(sql, [*constant, *map(list, zip(*adapted(batch), strict=True))])
            rows_written.send(model, keys=partial(_column_of_rows, fields, rows, same))
            return
        one = f"({', '.join(['%s'] * len(fields))})"
        per_statement = max(1, min(1_000, (connection.features.max_query_params or 999) // len(fields)))
        for batch in chunked(rows, per_statement):
            params: list[Any] = []
            for values in adapted(batch):
                params += values
                params += constant
            cursor.execute(f"{head} VALUES {', '.join([one] * len(batch))}", params)
    rows_written.send(model, keys=partial(_column_of_rows, fields, rows, same))


def _column_of_rows(
    fields: list[Field[Any, Any]], rows: list[tuple], same: dict[str, Any], attname: str
) -> set[int] | None:
    """The values of column `attname` in rows just inserted (given per row or the same for all)."""
    for i, field in enumerate(fields):
        if field.attname == attname:
            if i >= len(fields) - len(same):
                return {list(same.values())[i - len(fields) + len(same)]}
            return {row[i] for row in rows}
    return None


def _column_of_ids(model: type[Model], ids: list[int], values: dict[str, Any], attname: str) -> set[int]:
    """The values of column `attname` in the rows just updated: set by the update, or read back."""
    for field, value in zip(_fields(model, list(values)), values.values(), strict=True):
        if field.attname == attname:
            return {value}
    found: set[int] = set()
    for chunk in chunked(ids, ID_CHUNK):
        found.update(model._default_manager.filter(pk__in=chunk).values_list(attname, flat=True))
    return found


def _cast_type(field: Field[Any, Any], connection: BaseDatabaseWrapper) -> str:
    """The type an array is cast to: text as plain varchar, since PostgreSQL's cast to varchar(40)
    silently cuts a longer value; the column itself then refuses it (the imports refuse it first)."""
    return "varchar" if isinstance(field, CharField) else str(field.db_type(connection))


def _fields(model: type[Model], names: list[str]) -> list[Field[Any, Any]]:
    fields = [model._meta.pk if name == "pk" else model._meta.get_field(name) for name in names]
    assert all(isinstance(field, Field) for field in fields)
    return fields  # type: ignore[return-value]


def _quoted(connection: BaseDatabaseWrapper, model: type[Model], names: list[str]) -> list[str]:
    """The model's table, then the columns of the fields `names`, quoted for `connection`."""
    quote = connection.ops.quote_name
    return [quote(model._meta.db_table), *(quote(str(field.column)) for field in _fields(model, names))]


def _cached(function: Callable[[Any], Any]) -> Callable[[Any], Any]:
    cache: dict[Any, Any] = {}

    def cached(value: Any) -> Any:
        try:
            return cache[value]
        except KeyError:
            result = cache[value] = function(value)
            return result

    return cached
