"""The back office: rules are data the city office tunes; reports are read here, changed only
through the services (the pages and the API), so that no edit escapes the locking and the history."""

from __future__ import annotations

from django.contrib import admin

from mantianxing.core.admin import ScopedAdmin, ServiceOnlyAdmin
from mantianxing.reporting.models import MonthlyReport, ValidationRule


@admin.register(ValidationRule)
class ValidationRuleAdmin(ScopedAdmin):
    list_display = ["code", "name", "severity", "kind", "field", "active", "position"]
    list_filter = ["severity", "kind", "active"]
    list_editable = ["active", "position"]
    search_fields = ["code", "name", "field"]


@admin.register(MonthlyReport)
class MonthlyReportAdmin(ServiceOnlyAdmin):
    list_display = ["unit", "month", "revision", "status", "deadline", "first_submitted_at", "reviewed_at"]
    list_filter = ["status", "revision"]
    list_select_related = ["unit"]
    search_fields = ["unit__code", "unit__name"]
    date_hierarchy = "month"
