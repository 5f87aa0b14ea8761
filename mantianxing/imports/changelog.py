"""The change log of the imports: what every stored row a batch changed held before, and after.

A form's edit is recorded field by field by django-auditlog; an import writes in bulk, past the
model's save and its signals, so each plan lists the stored rows it changes (`Plan.changes()`) and
the pipeline writes them here, many to a statement, inside the batch's transaction. A row the
batch created is not listed (it points to the batch); a row it changed gets its changed fields
{field: [before, after]}; a row it deleted (a spell a corrected roster removes) all of them.

Personal data: an ID number is never in a ledger row, so never here (a person is named by id).
A salary is recorded as changed, without either value (`NOT_RECORDED`): the change log is shown
to everyone who sees the row, and salaries only to the roles `people/privacy.py` names.

A month's roster extends ~550,000 spells by a month; their entries share a handful of distinct
texts, so each text is serialized once, and the rows go in thousands to a statement.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any, NamedTuple

from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connections, router
from django.db.models import Model

from mantianxing.core.bulk import chunked
from mantianxing.imports.models import NOT_RECORDED, ChangeAction, ImportBatch, ImportChange

# Fields whose values a change log does not keep, only that they changed (see the docstring).
HIDDEN_FIELDS = frozenset({"annual_salary"})
ROWS_PER_STATEMENT = 5_000
CHANGED, DELETED = int(ChangeAction.CHANGED), int(ChangeAction.DELETED)


class Change(NamedTuple):
    """One stored row an import changes: its model, id and {field: (before, after)}.

    A tuple, not a dataclass: a month's roster makes half a million of them. A plan may give many
    rows the same `fields` object (every spell extended from October to November): it is then
    serialized once.
    """

    model: type[Model]
    object_id: int
    fields: dict[str, tuple[Any, Any]]
    deleted: bool = False


def record_changes(batch: ImportBatch, changes: Iterable[Change]) -> int:
    """Write the change log of `batch`; returns how many rows it lists."""
    texts: dict[Any, str] = {}
    by_identity: dict[int, str] = {}
    kept: list[Any] = []  # the `fields` objects remembered by id, kept alive so no id is reused
    by_model: dict[type[Model], list[tuple[int, int, str]]] = {}
    for model, object_id, fields, deleted in changes:
        if not fields:
            continue
        text = by_identity.get(id(fields))
        if text is None:
            items = tuple(
                (name, (NOT_RECORDED, NOT_RECORDED) if name in HIDDEN_FIELDS else pair)
                for name, pair in fields.items()
            )
            text = texts.get(items)
            if text is None:
                text = texts[items] = json.dumps(dict(items), cls=DjangoJSONEncoder, ensure_ascii=False)
            by_identity[id(fields)] = text
            kept.append(fields)
        action = DELETED if deleted else CHANGED
        rows = by_model.get(model)
        if rows is None:
            rows = by_model[model] = []
        rows.append((object_id, action, text))
    for model, rows in by_model.items():
        content_type = ContentType.objects.get_for_model(model, for_concrete_model=False)
        _insert(batch.pk, content_type.pk, rows)
    return sum(len(rows) for rows in by_model.values())


def _insert(batch_id: int, content_type_id: int, rows: list[tuple[int, int, str]]) -> None:
    """INSERT the rows as text already JSON (not `insert_rows`: it would encode the text again)."""
    connection = connections[router.db_for_write(ImportChange)]
    quote = connection.ops.quote_name
    columns = ", ".join(
        quote(name) for name in ("batch_id", "content_type_id", "object_id", "action", "changes")
    )
    head = f"INSERT INTO {quote(ImportChange._meta.db_table)} ({columns})"
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            sql = f"{head} SELECT %s, %s, * FROM UNNEST(%s::bigint[], %s::smallint[], %s::jsonb[])"
            for part in chunked(rows, ROWS_PER_STATEMENT):
                cursor.execute(sql, [batch_id, content_type_id, *map(list, zip(*part, strict=True))])
            return
        per_statement = min(1_000, (connection.features.max_query_params or 999) // 3)
        one = f"({int(batch_id)}, {int(content_type_id)}, %s, %s, %s)"
        for part in chunked(rows, per_statement):
            cursor.execute(f"{head} VALUES {', '.join([one] * len(part))}", [v for row in part for v in row])
