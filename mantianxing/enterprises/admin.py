from __future__ import annotations

from django.contrib import admin
from django.db import models
from django.http import HttpRequest

from mantianxing.core.admin import ReadOnlyAdmin, ScopedAdmin
from mantianxing.enterprises.models import Enterprise, EnterpriseOrigin, FocusDomain, Honour, IndustryClass


@admin.register(Enterprise)
class EnterpriseAdmin(ScopedAdmin):
    list_display = ["uscc", "name", "unit", "established_on", "industry", "claimed_origin"]
    list_filter = ["claimed_origin", "focus_domains"]
    search_fields = ["uscc", "name"]
    list_select_related = ["unit", "industry"]
    filter_horizontal = ["focus_domains"]


@admin.register(Honour)
class HonourAdmin(ScopedAdmin):
    list_display = ["enterprise", "kind", "awarded_on", "source"]
    list_filter = ["kind"]
    search_fields = ["enterprise__uscc", "enterprise__name", "source"]
    list_select_related = ["enterprise"]
    autocomplete_fields = ["enterprise"]


@admin.register(EnterpriseOrigin)
class EnterpriseOriginAdmin(ScopedAdmin):
    """Derived data, recomputed by the system (see `origin.py`): read-only for everyone, scoped."""

    list_display = ["enterprise", "plan", "origin", "arrived_on", "credited_unit", "reason"]
    list_filter = ["plan", "origin"]
    search_fields = ["enterprise__uscc", "enterprise__name"]
    list_select_related = ["enterprise", "plan", "credited_unit"]
    show_auditlog_history_link = False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        return False


@admin.register(IndustryClass)
class IndustryClassAdmin(ReadOnlyAdmin):
    list_display = ["edition", "code", "name", "division", "division_name"]
    list_filter = ["edition", "division"]
    search_fields = ["code", "name"]


@admin.register(FocusDomain)
class FocusDomainAdmin(ReadOnlyAdmin):
    """Reference data of both plans; what districts write for a domain besides its name is a synonym."""

    list_display = ["position", "code", "name", "plan_codes"]
    list_filter = ["plans"]
    search_fields = ["code", "name"]

    @admin.display(description="出自行动计划")
    def plan_codes(self, obj: FocusDomain) -> str:
        return "、".join(plan.code for plan in obj.plans.all())

    def get_queryset(self, request: HttpRequest) -> models.QuerySet[FocusDomain]:
        return super().get_queryset(request).prefetch_related("plans")
