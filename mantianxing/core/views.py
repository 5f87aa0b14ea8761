from __future__ import annotations

from typing import Any

from auditlog.models import LogEntry
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from mantianxing.accounts.models import Organisation, User
from mantianxing.carriers.models import Building, Occupancy
from mantianxing.core import derived
from mantianxing.core.models import DerivedState, Verification
from mantianxing.core.scoping import ScopeKind, is_city_office, scope_of
from mantianxing.core.services import verify_derived
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


@login_required
@require_http_methods(["GET", "POST"])
def verification(request: HttpRequest) -> HttpResponse:
    """数据核验: the last verifications of the derived data, and a button to start one (city office)."""
    if scope_of(request.user) is None or scope_of(request.user).kind is not ScopeKind.CITY:  # type: ignore[union-attr]
        raise PermissionDenied
    if request.method == "POST":
        run, _differences = verify_derived(request.user, f"web:{request.user}")  # type: ignore[arg-type]
        messages.success(
            request,
            "数据核验完成：一致。" if run.ok else f"数据核验完成：发现 {run.differences_total} 处差异。",
        )
        return redirect("verification")
    runs = Verification.objects.select_related("user")[:20]
    return render(
        request,
        "core/verification.html",
        {
            "runs": runs,
            "latest": runs[0] if runs else None,
            "facts": [
                (fact, DerivedState.objects.filter(name=fact.name).first()) for fact in derived.facts()
            ],
            "can_start": is_city_office(request.user),
        },
    )
