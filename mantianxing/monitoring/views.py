"""The monitoring dashboard, the rows behind a value, the progress table download and targets."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from mantianxing.enterprises.models import Enterprise
from mantianxing.enterprises.origin import disputed_enterprises
from mantianxing.geo.models import CITY_CODE, Unit
from mantianxing.lib.periods import months
from mantianxing.monitoring.compute import ensure_fresh
from mantianxing.monitoring.definitions import DEFINITIONS
from mantianxing.monitoring.drilldown import drill
from mantianxing.monitoring.exports import progress_workbook
from mantianxing.monitoring.models import Target
from mantianxing.monitoring.progress import Progress, cached_progress, progress, time_progress
from mantianxing.monitoring.queries import (
    QueryError,
    may_see_unit,
    month_asked,
    plan_named,
    unit_named,
    units_for,
)
from mantianxing.monitoring.services import may_set_targets, set_targets
from mantianxing.plans.models import Plan
from mantianxing.reporting.quality import reporting_quality
from mantianxing.reporting.quality import units_for as report_units

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _asked(request: HttpRequest) -> tuple[Plan, Any, list[Unit] | None]:
    plan = plan_named(request.GET.get("plan"))
    return plan, month_asked(plan, request.GET.get("as_of")), units_for(request.user, request.GET.get("unit"))


def _charts(report: Progress, indicator: str) -> dict[str, Any]:
    """The data of the dashboard's two charts for one indicator (drawn by mtx/charts.js)."""
    definition = DEFINITIONS[indicator]
    scale = 100 if definition.percent else 1
    focus = next(row for row in report.rows if row.definition.code == indicator)
    if report.unit_rows and len({row.unit.pk for row in report.unit_rows}) == 1:
        focus = next(row for row in report.unit_rows if row.definition.code == indicator)
    plan = report.plan
    labels = [f"{month:%Y-%m}" for month, _value in focus.series]
    trend: dict[str, Any] = {
        "title": f"{focus.unit.name} · {definition.name}（{definition.unit_label}）",
        "labels": labels,
        "series": [{"label": "实际", "data": [round(value * scale, 2) for _month, value in focus.series]}],
    }
    if focus.target:
        trend["series"].append(
            {
                "label": "序时目标（目标 × 序时进度）",
                "data": [
                    round(focus.target * time_progress(plan, month) * scale, 2) for month, _v in focus.series
                ],
            }
        )
    bars = [row for row in report.unit_rows if row.definition.code == indicator]
    # With targets the bars compare completion with time progress; without, the values themselves.
    targeted = any(row.target for row in bars)
    label = "完成率（%）" if targeted else f"实际（{definition.unit_label}）"
    by_unit = {
        "title": f"分区县 · {definition.name} · {label}",
        "labels": [row.unit.name for row in bars],
        "series": [
            {
                "label": label,
                "data": [
                    round((row.completion or 0) * 100, 1) if targeted else round((row.actual or 0) * scale, 2)
                    for row in bars
                ],
            }
        ],
        "line": round(report.time_progress * 100, 1) if targeted else None,
    }
    return {"trend": trend, "by_unit": by_unit}


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    try:
        plan, as_of, units = _asked(request)
    except QueryError as error:
        messages.error(request, str(error))
        return redirect("monitoring:dashboard")
    indicator = request.GET.get("indicator") or next(iter(DEFINITIONS))
    if indicator not in DEFINITIONS:
        raise Http404
    state = ensure_fresh()
    report = cached_progress(plan, as_of, units, state.refreshed_at)
    # Data quality: how completely and on time the units reported, and the origins in dispute.
    reporting_units = report_units(request.user, timezone.localdate())
    quality = reporting_quality(plan.starts_on.replace(day=1), as_of, units=reporting_units)
    disputes = disputed_enterprises(Enterprise.objects.visible_to(request.user)).count()
    today = timezone.localdate()
    window_months = list(months(plan.starts_on, min(plan.ends_on, today)))
    context = {
        "plans": Plan.objects.all(),
        "plan": plan,
        "as_of": as_of,
        "months": reversed(window_months),
        "report": report,
        "indicator": DEFINITIONS[indicator],
        "definitions": DEFINITIONS.values(),
        "compared": [row for row in report.unit_rows if row.definition.code == indicator],
        "charts": _charts(report, indicator),
        "state": state,
        "quality": quality,
        "disputes": disputes,
        # A district (or a unit asked for) gets its own table beside the city's.
        "focus_unit": units[0] if units and len(units) == 1 else None,
        "unit_code": request.GET.get("unit", ""),
        "can_set_targets": may_set_targets(request.user),  # type: ignore[arg-type]
        "city_scope": may_see_unit(request.user, report.city_rows[0].unit),  # drill into the whole city
        "query": request.GET.urlencode(),
    }
    return render(request, "monitoring/dashboard.html", context)


@login_required
def value_rows(request: HttpRequest) -> HttpResponse:
    """The rows behind one value: the same rule as the stored value, applied to ledger rows."""
    try:
        plan = plan_named(request.GET.get("plan"))
        as_of = month_asked(plan, request.GET.get("as_of"))
        code = request.GET.get("unit") or CITY_CODE
        unit = Unit.objects.get(code=CITY_CODE) if code == CITY_CODE else unit_named(code)
    except QueryError as error:
        messages.error(request, str(error))
        return redirect("monitoring:dashboard")
    indicator = request.GET.get("indicator", "")
    if indicator not in DEFINITIONS:
        raise Http404
    if not may_see_unit(request.user, unit):
        raise PermissionDenied
    ensure_fresh()
    stored = progress(plan, as_of, [] if unit.code == CITY_CODE else [unit], [indicator])
    row = next(r for r in stored.rows if r.unit.pk == unit.pk)
    result = drill(plan, indicator, unit, as_of)
    page = Paginator(result.listed, 100).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "plan": plan,
        "as_of": as_of,
        "unit": unit,
        "definition": DEFINITIONS[indicator],
        "row": row,
        "drill": result,
        "page_obj": page,
        "paginator": page.paginator,
        "is_paginated": page.has_other_pages(),
        "query_string": query.urlencode(),
        "matches": abs(result.total - (row.actual or 0)) < 0.01 + 1e-6 * abs(row.actual or 0),
    }
    return render(request, "monitoring/rows.html", context)


@login_required
def download(request: HttpRequest) -> HttpResponse:
    try:
        plan, as_of, units = _asked(request)
    except QueryError as error:
        messages.error(request, str(error))
        return redirect("monitoring:dashboard")
    ensure_fresh()
    content = progress_workbook(progress(plan, as_of, units))
    response = HttpResponse(content, content_type=XLSX)
    name = f"progress-{plan.code}-{as_of:%Y-%m}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def targets(request: HttpRequest) -> HttpResponse:
    """The targets of a plan, unit by unit: everyone in scope reads them, the city office sets them."""
    try:
        plan = plan_named(request.GET.get("plan") or request.POST.get("plan"))
        units_for(request.user, None)
    except QueryError as error:
        messages.error(request, str(error))
        return redirect("monitoring:dashboard")
    editable = may_set_targets(request.user)  # type: ignore[arg-type]
    today = timezone.localdate()
    units = list(Unit.objects.valid_on(today).order_by("code"))
    visible = [unit for unit in units if may_see_unit(request.user, unit) or unit.code == CITY_CODE]
    stored = {(t.indicator, t.unit_id): t.value for t in Target.objects.filter(plan=plan)}
    errors: list[str] = []
    if request.method == "POST":
        if not editable:
            raise PermissionDenied
        values: dict[tuple[str, int], Decimal | None] = {}
        for unit in units:
            for code in DEFINITIONS:
                text = request.POST.get(f"t-{code}-{unit.pk}", "").strip().replace(",", "")
                try:
                    values[(code, unit.pk)] = Decimal(text) if text else None
                except InvalidOperation:
                    errors.append(f"{unit.name} · {DEFINITIONS[code].name}：“{text}”不是数字。")
        if not errors:
            try:
                changed = set_targets(request.user, plan, values)  # type: ignore[arg-type]
            except ValueError as error:
                errors.append(str(error))
            else:
                messages.success(request, f"已保存，{changed} 项目标有变更。")
                return redirect(reverse("monitoring:targets") + f"?plan={plan.code}")
    grid = [(unit, [(code, stored.get((code, unit.pk))) for code in DEFINITIONS]) for unit in visible]
    context = {
        "plans": Plan.objects.all(),
        "plan": plan,
        "grid": grid,
        "definitions": DEFINITIONS.values(),
        "editable": editable,
        "errors": errors,
    }
    return render(request, "monitoring/targets.html", context)
