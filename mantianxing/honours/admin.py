"""The criteria in the back office: the city office tunes the seeded rows; none is added or removed."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from mantianxing.core.admin import ScopedAdmin
from mantianxing.honours.models import DemonstrationCriterion


@admin.register(DemonstrationCriterion)
class DemonstrationCriterionAdmin(ScopedAdmin):
    list_display = ["kind", "threshold", "parameter", "enabled", "position", "updated_at"]
    list_editable = ["threshold", "enabled", "position"]
    fields = ["kind", "threshold", "parameter", "enabled", "position", "note"]
    readonly_fields = ["kind"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
