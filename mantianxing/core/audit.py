"""Who the change history names as the actor, for web requests and for services run anywhere."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from auditlog.context import auditlog_value, set_actor
from auditlog.registry import auditlog
from django.db.models import Model


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
