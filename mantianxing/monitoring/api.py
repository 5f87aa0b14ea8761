"""Monitoring over the API: the same progress figures as the dashboard and `mtx indicators --json`."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from ninja import Router, Schema
from ninja.errors import HttpError

from mantianxing.core.api_helpers import decimal_for
from mantianxing.geo.models import CITY_CODE, Unit
from mantianxing.monitoring.compute import ensure_fresh
from mantianxing.monitoring.definitions import DEFINITIONS
from mantianxing.monitoring.drilldown import drill
from mantianxing.monitoring.models import Target
from mantianxing.monitoring.progress import cached_progress, progress
from mantianxing.monitoring.queries import (
    QueryError,
    may_see_unit,
    month_asked,
    plan_named,
    unit_named,
    units_for,
)
from mantianxing.monitoring.services import set_targets

router = Router(tags=["成效监测"])


class DefinitionSchema(Schema):
    code: str
    name: str
    unit_label: str
    kind: str
    source: str
    computed: str


class ProgressRow(Schema):
    unit: str
    indicator: str
    actual: float | None
    target: float | None
    completion: float | None
    status: str | None
    projection: float | None
    unit_name: str
    indicator_name: str
    projection_low: float | None
    projection_high: float | None


class ProgressSchema(Schema):
    plan: str
    as_of: str
    time_progress: float
    rows: list[ProgressRow]


class SeriesPoint(Schema):
    month: str
    value: float


class DrillSchema(Schema):
    plan: str
    indicator: str
    unit: str
    as_of: str
    value: float | None
    rows_total: float
    columns: list[str]
    rows: list[list[str]]
    count: int


TargetValue = decimal_for(Target, "value")


class TargetSchema(Schema):
    indicator: str
    unit: str
    value: TargetValue | None  # type: ignore[valid-type]


def _ask(request: HttpRequest, plan: str | None, as_of: str | None, unit: str | None) -> tuple[Any, Any, Any]:
    try:
        found = plan_named(plan)
        return found, month_asked(found, as_of), units_for(request.user, unit)
    except QueryError as error:
        raise HttpError(400, str(error)) from None


@router.get("/definitions", response=list[DefinitionSchema])
def definitions(request: HttpRequest) -> list[dict[str, str]]:
    return [
        {
            "code": d.code.value,
            "name": d.name,
            "unit_label": d.unit_label,
            "kind": d.kind.value,
            "source": d.source,
            "computed": d.computed,
        }
        for d in DEFINITIONS.values()
    ]


@router.get("/progress", response=ProgressSchema)
def progress_of(
    request: HttpRequest, plan: str | None = None, as_of: str | None = None, unit: str | None = None
) -> dict[str, Any]:
    """Each indicator's actual, target, completion, status and projection: the city's, and each
    unit's in the caller's scope (`unit` narrows to one; `500000` to the city)."""
    found, month, units = _ask(request, plan, as_of, unit)
    report = cached_progress(found, month, units, ensure_fresh().refreshed_at)
    result = report.as_dict()
    for row, shaped in zip(report.rows, result["rows"], strict=True):  # type: ignore[call-overload]
        d = row.definition
        shaped["unit_name"] = row.unit.name
        shaped["indicator_name"] = d.name
        shaped["projection_low"] = d.rounded(row.projection.low) if row.projection else None
        shaped["projection_high"] = d.rounded(row.projection.high) if row.projection else None
    return result


@router.get("/series", response=list[SeriesPoint])
def series(
    request: HttpRequest, indicator: str, plan: str | None = None, unit: str = CITY_CODE
) -> list[dict[str, Any]]:
    """One indicator's monthly values over the window (the trend chart's data)."""
    if indicator not in DEFINITIONS:
        raise HttpError(400, f"未知指标“{indicator}”。")
    found, _month, units = _ask(request, plan, None, unit)
    ensure_fresh()
    report = progress(found, found.ends_on.replace(day=1), units, [indicator])
    row = report.rows[-1]
    return [{"month": f"{m:%Y-%m}", "value": value} for m, value in row.series]


@router.get("/rows", response=DrillSchema)
def rows(
    request: HttpRequest,
    indicator: str,
    plan: str | None = None,
    as_of: str | None = None,
    unit: str = CITY_CODE,
    offset: int = 0,
    limit: int = 100,
) -> dict[str, Any]:
    """The ledger rows behind one value, with what they add up to."""
    if indicator not in DEFINITIONS:
        raise HttpError(400, f"未知指标“{indicator}”。")
    found, month, _units = _ask(request, plan, as_of, None)
    try:
        target_unit = Unit.objects.get(code=CITY_CODE) if unit == CITY_CODE else unit_named(unit)
    except QueryError as error:
        raise HttpError(400, str(error)) from None
    if not may_see_unit(request.user, target_unit):
        raise PermissionDenied
    ensure_fresh()
    stored = progress(found, month, [] if target_unit.code == CITY_CODE else [target_unit], [indicator])
    value = next(r.actual for r in stored.rows if r.unit.pk == target_unit.pk)
    result = drill(found, indicator, target_unit, month)
    window = result.listed[offset : offset + min(limit, 1000)]
    return {
        "plan": found.code,
        "indicator": indicator,
        "unit": target_unit.code,
        "as_of": f"{month:%Y-%m}",
        "value": value,
        "rows_total": result.total,
        "columns": result.columns,
        "rows": [[str(text) for text, _link in cells] for cells in window],
        "count": len(result.listed),
    }


@router.get("/targets", response=list[TargetSchema])
def targets(request: HttpRequest, plan: str | None = None) -> list[dict[str, Any]]:
    found, _month, _units = _ask(request, plan, None, None)
    return [
        {"indicator": t.indicator, "unit": t.unit.code, "value": t.value}
        for t in Target.objects.visible_to(request.user).filter(plan=found).select_related("unit")
        | Target.objects.filter(plan=found, unit__code=CITY_CODE).select_related("unit")
    ]


@router.put("/targets", response=list[TargetSchema])
def put_targets(
    request: HttpRequest, payload: list[TargetSchema], plan: str | None = None
) -> list[dict[str, Any]]:
    """Set targets (city office only): a null value removes one."""
    found, _month, _units = _ask(request, plan, None, None)
    values = {}
    for entry in payload:
        try:
            target_unit = (
                Unit.objects.get(code=CITY_CODE) if entry.unit == CITY_CODE else unit_named(entry.unit)
            )
        except QueryError as error:
            raise HttpError(400, str(error)) from None
        values[(entry.indicator, target_unit.pk)] = entry.value
    try:
        set_targets(request.user, found, values)  # type: ignore[arg-type]
    except ValueError as error:
        raise HttpError(400, str(error)) from None
    return targets(request, found.code)
