"""What every scoped API router does the same way."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any, TypeVar

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field
from ninja.errors import HttpError

from mantianxing.core.scoping import can_create
from mantianxing.geo.lookup import unit_on
from mantianxing.geo.models import Unit

M = TypeVar("M", bound=models.Model)


def visible_or_404(request: HttpRequest, model: type[M], **lookup: Any) -> M:
    """The row, if the caller may see it; otherwise 404, so that existence does not leak either."""
    return get_object_or_404(model.objects.visible_to(request.user), **lookup)  # type: ignore[attr-defined]


def decimal_for(model: type[models.Model], name: str) -> Any:
    """The schema type of a number that `model.name`'s column can hold: finite, within its digits.

    For inputs that reach the database without `full_clean` (which checks the digits itself): a
    larger number made Django's quantize fail on saving, a 500 instead of a 422.
    """
    column = model._meta.get_field(name)
    assert isinstance(column, models.DecimalField), name
    return Annotated[
        Decimal,
        Field(allow_inf_nan=False, max_digits=column.max_digits, decimal_places=column.decimal_places),
    ]


def require_create(request: HttpRequest, model: type[models.Model]) -> None:
    if not can_create(request.user, model):
        raise HttpError(403, "您无权新建此类记录。")


def resolve_unit(value: str) -> Unit:
    """A unit given by code or name, as it stands today."""
    unit = unit_on(value, timezone.localdate())
    if unit is None or unit.is_city:
        raise HttpError(400, f"所在区县“{value}”不是现有的区县代码或名称。")
    return unit


def refuse_null(obj: models.Model, field: str) -> None:
    """A 400 naming the field when the model's column cannot be null."""
    try:
        column = obj._meta.get_field(field)
    except FieldDoesNotExist:
        return  # not a column: the caller's own attribute
    if not column.null:
        raise HttpError(400, f"{getattr(column, 'verbose_name', field)}不能为空。")


def assign(obj: models.Model, data: dict[str, Any]) -> None:
    """Copy the given fields onto the object; a `unit` is resolved from its code or name.

    A PATCH's schema lets every field be null (null there means "not given" to the schema), so a
    null for a field the model requires is refused here, for every endpoint, before it can reach
    model code that expects a value.
    """
    for field, value in data.items():
        if value is None:
            refuse_null(obj, field)
        if field == "unit":
            obj.unit = resolve_unit(value)  # type: ignore[attr-defined]
        else:
            setattr(obj, field, value)
