from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from mantianxing.carriers.models import Building, Occupancy
from mantianxing.core.admin import ScopedAdmin
from mantianxing.enterprises.origin import recompute_origins


@admin.register(Building)
class BuildingAdmin(ScopedAdmin):
    list_display = ["code", "name", "unit", "status", "carrier_area", "move_in_ready"]
    list_filter = ["status", "move_in_ready"]
    search_fields = ["code", "name", "address", "operator_name"]
    list_select_related = ["unit"]


@admin.register(Occupancy)
class OccupancyAdmin(ScopedAdmin):
    list_display = ["building", "enterprise", "area", "moved_in_on", "moved_out_on", "batch"]
    search_fields = ["building__code", "building__name", "enterprise__uscc", "enterprise__name"]
    list_select_related = ["building", "enterprise", "batch"]
    date_hierarchy = "moved_in_on"
    autocomplete_fields = ["building", "enterprise"]

    # An occupancy decides where a firm first located: its origin follows every change.
    def save_model(self, request: HttpRequest, obj: Occupancy, form: Any, change: bool) -> None:
        previous = Occupancy.objects.filter(pk=obj.pk).values_list("enterprise_id", flat=True).first()
        super().save_model(request, obj, form, change)
        recompute_origins({pk for pk in (obj.enterprise_id, previous) if pk is not None})

    def delete_model(self, request: HttpRequest, obj: Occupancy) -> None:
        super().delete_model(request, obj)
        recompute_origins([obj.enterprise_id])
