"""Honours over JSON: the same measuring, scope and services as the pages and `mtx honours`.

A role outside honours, or a unit outside the caller's scope, answers 403; a question that cannot
be read (a bad date, period or unit code) 400; criteria that do not validate 422.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from ninja import Router, Schema
from ninja.errors import HttpError

from mantianxing.honours import services
from mantianxing.honours.buildings import Criteria, assess_buildings
from mantianxing.honours.exports import buildings_data, criteria_data, shangxing_data
from mantianxing.honours.models import DemonstrationCriterion
from mantianxing.honours.queries import QueryError, day_asked, may_view, period_asked, units_for
from mantianxing.honours.shangxing import newly_shangxing

router = Router(tags=["荣誉认定"])

Number = float | int | str | None


class CriterionSchema(Schema):
    kind: str
    name: str
    threshold: float | None
    unit_label: str
    parameter: dict[str, Any]


class CriterionRowSchema(CriterionSchema):
    enabled: bool
    position: int
    note: str


class ResultSchema(Schema):
    value: Number
    shown: str
    threshold: float | None
    passed: bool


class BuildingRow(Schema):
    building: str
    name: str
    unit: str
    unit_name: str
    criteria: dict[str, ResultSchema]
    passed: bool


class BuildingsSchema(Schema):
    on: str
    criteria: list[CriterionSchema]
    rows: list[BuildingRow]


class ShangxingRow(Schema):
    uscc: str
    name: str
    unit: str
    unit_name: str
    revenue: float | None
    revenue_figure: str | None  # 营业收入, or the lower bound used when it is missing
    headcount: int | None
    headcount_source: str | None


class ShangxingSchema(Schema):
    period: str
    year: int
    compared_with: int
    rows: list[ShangxingRow]


class CriterionIn(Schema):
    kind: str
    threshold: Decimal | None = None
    enabled: bool | None = None
    parameter: dict[str, Any] | None = None
    note: str | None = None
    position: int | None = None


@router.get("/buildings", response=BuildingsSchema)
def buildings(
    request: HttpRequest, on: str | None = None, unit: str | None = None, passed: bool | None = None
) -> dict[str, Any]:
    """Every ledger building in the caller's scope measured against the enabled criteria on `on`
    (default today); `unit` narrows to one unit, `passed` to the buildings that do (or do not) pass."""
    try:
        units = units_for(request.user, unit)
        day = day_asked(on)
    except QueryError as error:
        raise HttpError(400, str(error)) from None
    criteria = Criteria.load()
    rows = assess_buildings(day, units, criteria)
    if passed is not None:
        rows = [row for row in rows if row.passed is passed]
    return buildings_data(day, criteria.enabled, rows)


@router.get("/criteria", response=list[CriterionRowSchema])
def criteria(request: HttpRequest) -> list[dict[str, Any]]:
    if not may_view(request.user):
        raise PermissionDenied("您的角色不能查看荣誉认定。")
    return criteria_data(list(DemonstrationCriterion.objects.order_by("position", "kind")))


@router.put("/criteria", response=list[CriterionRowSchema])
def put_criteria(request: HttpRequest, payload: list[CriterionIn]) -> list[dict[str, Any]]:
    """Change criteria (city office only): each entry names a kind and the fields to change."""
    changes = {entry.kind: entry.model_dump(exclude={"kind"}, exclude_unset=True) for entry in payload}
    try:
        services.save_criteria(request.user, changes)  # type: ignore[arg-type]
    except ValidationError as error:
        raise HttpError(422, "；".join(error.messages)) from None
    return criteria(request)


@router.get("/shangxing", response=ShangxingSchema)
def shangxing(request: HttpRequest, period: str | None = None, unit: str | None = None) -> dict[str, Any]:
    """Firms that newly reached 上星 in `period` (default the last complete year), by the
    monitoring indicator's rule."""
    try:
        units = units_for(request.user, unit)
        asked = period_asked(period)
    except QueryError as error:
        raise HttpError(400, str(error)) from None
    return shangxing_data(asked, newly_shangxing(asked, units))
