from __future__ import annotations

from typing import Any

from auditlog.models import LogEntry
from django.contrib.auth.decorators import login_required
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from mantianxing.accounts.models import Organisation, User
from mantianxing.carriers.models import Building, Occupancy
from mantianxing.core.scoping import ScopeKind, scope_of
from mantianxing.enterprises.models import Enterprise
from mantianxing.geo.choices import UnitGroup
from mantianxing.geo.models import ReferenceDataset, Unit
from mantianxing.imports.models import ImportBatch
from mantianxing.monitoring.definitions import DEFINITIONS
from mantianxing.people.models import Person
from mantianxing.plans.models import Plan


@never_cache
@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    """200 when the database answers, 503 otherwise: for the load balancer and the monitoring."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


@login_required
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    scope = scope_of(user)
    today = timezone.localdate()
    current = Unit.objects.valid_on(today).reporting()
    figures: list[dict[str, Any]] = [
        {"label": "现有区县（含功能区）", "value": current.count(), "url": "geo:unit_list"},
        {
            "label": "中心城区区县",
            "value": current.in_group(UnitGroup.CENTRAL, today).count(),
            "url": "geo:unit_list",
        },
    ]
    figures += [
        {
            "label": "楼宇",
            "value": Building.objects.visible_to(user).count(),
            "url": "carriers:building_list",
        },
        {
            "label": "当前入驻记录",
            "value": Occupancy.objects.visible_to(user).on(today).count(),
            "url": "carriers:occupancy_list",
        },
        {
            "label": "企业",
            "value": Enterprise.objects.visible_to(user).count(),
            "url": "enterprises:enterprise_list",
        },
    ]
    if scope is not None and scope.kind in (ScopeKind.CITY, ScopeKind.UNIT, ScopeKind.ENTERPRISE):
        figures.append(
            {
                "label": "从业人员（花名册）",
                "value": Person.objects.visible_to(user).count(),
                "url": "people:person_list",
            }
        )
    figures.append({"label": "机构", "value": Organisation.objects.visible_to(user).count(), "url": None})
    recent = None
    if scope is not None and scope.kind is ScopeKind.CITY:
        figures.append({"label": "用户", "value": User.objects.filter(is_active=True).count(), "url": None})
        recent = LogEntry.objects.select_related("actor", "content_type").order_by("-timestamp")[:10]
    context = {
        "batches": ImportBatch.objects.visible_to(user).select_related("created_by")[:5],
        "scope": scope,
        "figures": figures,
        "recent": recent,
        "divisions": ReferenceDataset.objects.filter(name="divisions").first(),
        "today": today,
    }
    return render(request, "core/home.html", context)


@login_required
def rules(request: HttpRequest) -> HttpResponse:
    """The counting and import rules in force, as the system applies them (DOMAIN §4, our decisions)."""
    return render(
        request, "core/rules.html", {"plans": Plan.objects.all(), "indicators": DEFINITIONS.values()}
    )
