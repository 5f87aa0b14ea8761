"""The honours pages: demonstration buildings, newly 上星 firms, the criteria; each with its download.

Views stay thin: the measuring is `buildings` and `shangxing`, the scope `queries`, the editing
`services`. A role outside honours gets 403; a question that cannot be answered goes back to the
page with a message.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from auditlog.models import LogEntry
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from mantianxing.core.scoping import ScopeKind, scope_of
from mantianxing.geo.models import Unit
from mantianxing.honours import services
from mantianxing.honours.buildings import BuildingAssessment, Criteria, assess_buildings
from mantianxing.honours.exports import buildings_workbook, shangxing_workbook
from mantianxing.honours.forms import CriterionForm
from mantianxing.honours.models import DemonstrationCriterion
from mantianxing.honours.queries import QueryError, day_asked, may_view, period_asked, units_for
from mantianxing.honours.shangxing import NewlyShangxing, compared_years, newly_shangxing
from mantianxing.lib.periods import Period, parse_period

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PAGE_SIZE = 200
FIRST_PLAN_YEAR = 2022


def _xlsx(content: bytes, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _assessed(request: HttpRequest) -> tuple[date, list[Unit] | None, Criteria, list[BuildingAssessment]]:
    """The buildings asked for in the query string, in the user's scope (PermissionDenied beyond it)."""
    units = units_for(request.user, request.GET.get("unit"))
    on = day_asked(request.GET.get("on"))
    criteria = Criteria.load()
    rows = assess_buildings(on, units, criteria)
    return on, units, criteria, rows


@login_required
def building_list(request: HttpRequest) -> HttpResponse:
    try:
        on, units, criteria, rows = _assessed(request)
    except QueryError as error:
        messages.error(request, str(error))
        return redirect("honours:building_list")
    only_passed = request.GET.get("passed") == "1"
    shown = [row for row in rows if row.passed] if only_passed else rows
    page = Paginator(shown, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    scope = scope_of(request.user)
    city = scope is not None and scope.kind is ScopeKind.CITY
    context = {
        "on": on,
        "criteria": criteria.enabled,
        "summary": {
            "buildings": len(rows),
            "passed": sum(row.passed for row in rows),
            "by_criterion": [(c, sum(row.results[c.kind].passed for row in rows)) for c in criteria.enabled],
        },
        "page_obj": page,
        "paginator": page.paginator,
        "is_paginated": page.has_other_pages(),
        "query_string": query.urlencode(),
        "only_passed": only_passed,
        "unit_code": units[0].code if units and city else "",
        "unit_choices": Unit.objects.valid_on(timezone.localdate()).reporting().order_by("code")
        if city
        else [],
        "own_unit": units[0] if units and not city else None,
    }
    return render(request, "honours/building_list.html", context)


@login_required
def building_download(request: HttpRequest) -> HttpResponse:
    try:
        on, _units, criteria, rows = _assessed(request)
    except QueryError as error:
        messages.error(request, str(error))
        return redirect("honours:building_list")
    if request.GET.get("passed") == "1":
        rows = [row for row in rows if row.passed]
    return _xlsx(
        buildings_workbook(on, criteria.enabled, rows), f"demonstration-buildings-{on:%Y-%m-%d}.xlsx"
    )


def _periods(today: date) -> list[Period]:
    """The complete years and halves since the first plan, newest first, for the period selector."""
    found = []
    for year in range(today.year, FIRST_PLAN_YEAR - 1, -1):
        for label in (f"{year}", f"{year}H2", f"{year}H1"):
            period = parse_period(label)
            if period.ends_on < today:
                found.append(period)
    return found


def _newly(request: HttpRequest) -> tuple[Period, list[NewlyShangxing]]:
    units = units_for(request.user, request.GET.get("unit"))
    period = period_asked(request.GET.get("period"))
    return period, newly_shangxing(period, units)


@login_required
def shangxing_list(request: HttpRequest) -> HttpResponse:
    try:
        period, rows = _newly(request)
    except QueryError as error:
        messages.error(request, str(error))
        return redirect("honours:shangxing_list")
    before, after = compared_years(period)
    periods = _periods(timezone.localdate())
    context = {
        "period": period,
        "periods": periods if period in periods else [period, *periods],
        "before": before,
        "after": after,
        "rows": rows,
        "query_string": request.GET.urlencode(),
    }
    return render(request, "honours/shangxing_list.html", context)


@login_required
def shangxing_download(request: HttpRequest) -> HttpResponse:
    try:
        period, rows = _newly(request)
    except QueryError as error:
        messages.error(request, str(error))
        return redirect("honours:shangxing_list")
    return _xlsx(shangxing_workbook(period, rows), f"shangxing-{period.label}.xlsx")


@login_required
def criteria(request: HttpRequest) -> HttpResponse:
    """The criteria: everyone who sees honours reads them, the city office changes them."""
    if not may_view(request.user):
        raise PermissionDenied("您的角色不能查看荣誉认定。")
    editable = services.may_edit_criteria(request.user)
    if request.method == "POST" and not editable:
        raise PermissionDenied("只有市专班可以修改示范楼宇认定条件。")
    rows = list(DemonstrationCriterion.objects.select_related("updated_by").order_by("position", "kind"))
    data = request.POST if request.method == "POST" else None
    forms = [CriterionForm(data, criterion=row) for row in rows]
    errors: list[str] = []
    if data is not None and all(form.is_valid() for form in forms):
        try:
            changed = services.save_criteria(
                request.user,  # type: ignore[arg-type]
                {form.criterion.kind: form.changes() for form in forms},
            )
        except ValidationError as error:
            errors = error.messages
        else:
            messages.success(request, f"已保存，{changed} 项条件有变更。")
            return redirect("honours:criteria")
    history = LogEntry.objects.get_for_objects(DemonstrationCriterion.objects.all()).select_related("actor")
    context: dict[str, Any] = {
        "forms": forms,
        "editable": editable,
        "errors": errors,
        "history": history.order_by("-timestamp")[:30],
    }
    return render(request, "honours/criteria.html", context, status=400 if data is not None else 200)
