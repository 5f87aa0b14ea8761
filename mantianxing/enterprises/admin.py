from django.contrib import admin

from mantianxing.core.admin import ScopedAdmin
from mantianxing.enterprises.models import Enterprise


@admin.register(Enterprise)
class EnterpriseAdmin(ScopedAdmin):
    list_display = ["uscc", "name", "unit", "established_on"]
    search_fields = ["uscc", "name"]
    list_select_related = ["unit"]
