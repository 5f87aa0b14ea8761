"""The change history: who it names as the actor, and the history a row's page shows.

A row changes by hand (a form, the API, the admin: recorded field by field by django-auditlog)
or by an import (recorded per batch in the imports' change log, `imports.ImportChange`, since
imports write in bulk past the model's signals). `change_history` puts both in one list, newest
first, each import change linked to its batch.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from auditlog.context import auditlog_value, set_actor
from auditlog.models import LogEntry
from auditlog.registry import auditlog
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Field, ForeignObjectRel, ManyToManyField, Model


@contextmanager
def acting_as(actor: Any) -> Iterator[None]:
    """Record `actor` on the history rows written inside the block.

    django-auditlog keeps one context per task and does not restore an outer one when an inner
    one ends, so a service called inside a web request (whose middleware already set the actor)
    would leave the rest of the request unattributed. Reuse the outer context when it names the
    same actor; otherwise put the outer one back afterwards.
    """
    outer = auditlog_value.get(None)
    if outer is not None and outer.get("actor") == actor:
        yield
        return
    try:
        with set_actor(actor):
            yield
    finally:
        if outer is not None:
            auditlog_value.set(outer)


# Bookkeeping columns of TrackedModel: the history entry itself says who and when.
TRACKING_FIELDS = ["created_at", "updated_at", "created_by", "updated_by"]


def register_history(model: type[Model], *, exclude: tuple[str, ...] = ()) -> None:
    """Record every create, change and delete of `model` with django-auditlog.

    Only the model's own columns count: reverse relations (a building's users) and the
    bookkeeping columns would otherwise show up as noise in every entry.
    """
    noise = [
        field.name
        for field in model._meta.get_fields()
        if field.auto_created or not getattr(field, "concrete", False)
    ]
    auditlog.register(model, exclude_fields=[*TRACKING_FIELDS, *noise, *exclude])


ACTION_LABELS = {0: "新建", 1: "修改", 2: "删除", 3: "访问"}


# What a change log keeps instead of a value not everyone who sees the row may see (a salary).
NOT_RECORDED = "*"
IMPORT_ACTION_LABELS = {1: "导入修改", 2: "导入删除"}
HISTORY_LIMIT = 50


@dataclass(frozen=True)
class FieldChange:
    label: str
    before: Any
    after: Any


@dataclass(frozen=True)
class HistoryEntry:
    """One change of a row, by hand or by an import batch (then `batch` is set)."""

    timestamp: datetime
    actor: Any
    action: str
    fields: list[FieldChange]
    batch: Any = None
    subject: str = ""  # which row, when a history covers several (a person's spells)


def change_history(obj: Model, limit: int = HISTORY_LIMIT) -> list[HistoryEntry]:
    """The edits by hand and the import changes of `obj`, newest first."""
    return history_of(type(obj), [obj.pk], limit)


def history_of(
    model: type[Model], ids: Iterable[int], limit: int = HISTORY_LIMIT, subjects: dict[int, str] | None = None
) -> list[HistoryEntry]:
    """The edits by hand and the import changes of these rows of `model`, newest first.

    `subjects` names each row (by pk) in its entries, for a history of several rows.
    """
    ids = [int(pk) for pk in ids]
    subjects = subjects or {}
    content_type = ContentType.objects.get_for_model(model)
    logged = (
        LogEntry.objects.filter(content_type=content_type, object_pk__in=[str(pk) for pk in ids])
        .select_related("actor")
        .order_by("-timestamp")[:limit]
    )
    entries = [
        HistoryEntry(
            entry.timestamp,
            entry.actor,
            ACTION_LABELS.get(entry.action, str(entry.action)),
            [
                FieldChange(name, _shown(before), _shown(after))
                for name, (before, after) in entry.changes_display_dict.items()
            ],
            subject=subjects.get(int(entry.object_pk), ""),
        )
        for entry in logged
    ]
    imported = (
        apps.get_model("imports", "ImportChange")
        .objects.filter(content_type=content_type, object_id__in=ids)
        .select_related("batch__created_by")
        .order_by("-batch__created_at", "-pk")[:limit]
    )
    describe = ValueDescriber()
    entries += [
        HistoryEntry(
            change.batch.created_at,
            change.batch.created_by,
            IMPORT_ACTION_LABELS.get(change.action, str(change.action)),
            describe.fields(model, change.changes),
            change.batch,
            subjects.get(change.object_id, ""),
        )
        for change in imported
    ]
    entries.sort(key=lambda entry: entry.timestamp, reverse=True)
    return entries[:limit]


class ValueDescriber:
    """Readable values of a change log's {field: [before, after]}: labels, names, 是/否.

    Values are as JSON gave them: foreign keys as ids (named here, one query per model and id,
    remembered), choices as their stored value, dates as ISO text.
    """

    def __init__(self) -> None:
        self.names: dict[tuple[type[Model], Any], str] = {}

    def fields(self, model: type[Model], changes: dict[str, Any]) -> list[FieldChange]:
        result = []
        for name, (before, after) in changes.items():
            field = _field(model, name)
            label = str(field.verbose_name) if field is not None else name
            result.append(FieldChange(label, self.value(field, before), self.value(field, after)))
        return result

    def value(self, field: Field[Any, Any] | None, value: Any) -> Any:
        if value is None or value == "":
            return "—"
        if value == NOT_RECORDED:
            return "（已变更，数值不记录）"
        if field is None:
            return value
        if field.is_relation and field.related_model is not None:
            related: type[Model] = field.related_model  # type: ignore[assignment]
            if isinstance(value, list):
                return "、".join(self.name(related, pk) for pk in value) or "—"
            return self.name(related, value)
        if field.choices:
            return dict(field.flatchoices).get(value, value)
        if isinstance(value, bool):
            return "是" if value else "否"
        return value

    def name(self, model: type[Model], pk: Any) -> str:
        key = (model, pk)
        if key not in self.names:
            obj = model._base_manager.filter(pk=pk).first()
            self.names[key] = str(obj) if obj is not None else f"#{pk}"
        return self.names[key]


def _field(model: type[Model], name: str) -> Field[Any, Any] | None:
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    if isinstance(field, ForeignObjectRel):
        return None
    return field if isinstance(field, Field | ManyToManyField) else None


def _shown(value: Any) -> Any:
    """django-auditlog writes a missing value as the string "None"."""
    return "—" if value in (None, "", "None") else value
