from django.contrib import admin
from unfold.admin import TabularInline

from mantianxing.core.admin import ReadOnlyAdmin
from mantianxing.geo.models import Place, PlaceHolding, ReferenceDataset, Succession, Unit, UnitMembership


class SuccessionInline(TabularInline):
    model = Succession
    fk_name = "predecessor"
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(Unit)
class UnitAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "kind", "valid_from", "abolished_on", "date_precision"]
    list_filter = ["kind"]
    search_fields = ["code", "name"]
    inlines = [SuccessionInline]


@admin.register(UnitMembership)
class UnitMembershipAdmin(ReadOnlyAdmin):
    list_display = ["unit", "group", "valid_from", "until"]
    list_filter = ["group"]


@admin.register(Place)
class PlaceAdmin(ReadOnlyAdmin):
    list_display = ["name", "kind"]


@admin.register(PlaceHolding)
class PlaceHoldingAdmin(ReadOnlyAdmin):
    list_display = ["place", "unit", "valid_from", "until"]


@admin.register(ReferenceDataset)
class ReferenceDatasetAdmin(ReadOnlyAdmin):
    list_display = ["name", "as_of", "sha256", "loaded_at"]
