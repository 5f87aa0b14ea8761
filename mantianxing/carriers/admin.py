from __future__ import annotations

from django.contrib import admin

from mantianxing.carriers.models import Building, Occupancy
from mantianxing.core.admin import ScopedAdmin


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
