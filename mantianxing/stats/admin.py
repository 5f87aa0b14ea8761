from django.contrib import admin

from mantianxing.core.admin import ScopedAdmin
from mantianxing.stats.models import MonthlyStatistics


@admin.register(MonthlyStatistics)
class MonthlyStatisticsAdmin(ScopedAdmin):
    list_display = [
        "enterprise",
        "month",
        "operating_revenue",
        "main_business_revenue",
        "software_revenue",
        "product_revenue",
        "headcount",
        "batch",
    ]
    search_fields = ["enterprise__uscc", "enterprise__name"]
    list_select_related = ["enterprise", "batch"]
    date_hierarchy = "month"
    autocomplete_fields = ["enterprise"]
