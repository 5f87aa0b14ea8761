"""The door every user edit of a scoped record goes through (scope check, validation, audit), and\nthe verification of derived data."""

from __future__ import annotations

import json
import time
from typing import TYPE_CHECKING, Any, TypeVar

from django.core.exceptions import PermissionDenied
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.utils import timezone

from mantianxing.core import derived
from mantianxing.core.audit import acting_as
from mantianxing.core.models import Verification
from mantianxing.core.scoping import check_write, is_city_office

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


def verify_derived(actor: User | None, source: str) -> tuple[Verification, list[dict[str, Any]]]:
    """Recompute every derived fact from the ledgers, compare with what is stored, and keep the result.

    The one door of `mtx verify` and the 数据核验 page. Only the city office starts one (an actor of
    None is the command line, which acts for the city office). Returns the stored run (which keeps
    the first `Verification.KEPT` differences) and every difference found.
    """
    if actor is not None and not is_city_office(actor):
        raise PermissionDenied("只有市专班可以发起数据核验。")
    started_at, started = timezone.now(), time.perf_counter()
    result = derived.verify_all()
    differences = json.loads(
        json.dumps([difference.as_dict() for difference in result.differences], cls=DjangoJSONEncoder)
    )
    run = Verification.objects.create(
        started_at=started_at,
        seconds=time.perf_counter() - started,
        user=actor,
        source=source,
        ok=result.ok,
        checked=result.checked,
        differences_total=len(differences),
        differences=differences[: Verification.KEPT],
        by_fact=result.by_fact,
    )
    return run, differences
