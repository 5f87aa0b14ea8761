"""The door every user edit of a scoped record goes through: scope check, validation, audit."""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar

from django.db import models, transaction

from mantianxing.core.audit import acting_as
from mantianxing.core.scoping import check_write

if TYPE_CHECKING:
    from mantianxing.accounts.models import User

M = TypeVar("M", bound=models.Model)


def stamp(obj: models.Model, actor: User) -> None:
    """Fill in who created and who last changed the row (fields of TrackedModel)."""
    if hasattr(obj, "updated_by_id"):
        if obj.pk is None:
            setattr(obj, "created_by", actor)  # noqa: B010  (not every model has the field)
        setattr(obj, "updated_by", actor)  # noqa: B010
    if hasattr(obj, "batch_id"):
        # The row is now the user's edit, told by the history, no longer the import's.
        setattr(obj, "batch", None)  # noqa: B010


def save_record(actor: User, obj: M) -> M:
    """Validate and save `obj` for `actor`, or raise PermissionDenied / ValidationError unchanged."""
    check_write(actor, obj)
    obj.full_clean()
    stamp(obj, actor)
    with transaction.atomic(), acting_as(actor):
        obj.save()
    return obj


def delete_record(actor: User, obj: models.Model) -> None:
    check_write(actor, obj)
    with transaction.atomic(), acting_as(actor):
        obj.delete()
