from django.contrib import admin

from mantianxing.carriers.models import Building
from mantianxing.core.admin import ScopedAdmin


@admin.register(Building)
class BuildingAdmin(ScopedAdmin):
    list_display = ["code", "name", "unit", "status", "carrier_area", "move_in_ready"]
    list_filter = ["status", "move_in_ready"]
    search_fields = ["code", "name", "address", "operator_name"]
    list_select_related = ["unit"]
