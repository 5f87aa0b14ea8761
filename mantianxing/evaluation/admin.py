"""The back office reads schemes and runs; both change only through the services (the pages, the API
and `mtx evaluate`), so that a scheme version or a run is never edited in place."""

from __future__ import annotations

from django.contrib import admin

from mantianxing.core.admin import ServiceOnlyAdmin
from mantianxing.evaluation.models import Run, Scheme


@admin.register(Scheme)
class SchemeAdmin(ServiceOnlyAdmin):
    list_display = ["name", "version", "assumption", "sha256", "created_at", "created_by"]
    list_filter = ["assumption"]
    search_fields = ["name", "sha256"]


@admin.register(Run)
class RunAdmin(ServiceOnlyAdmin):
    list_display = ["pk", "period", "scheme", "plan", "draws", "published_at", "sha256", "created_at"]
    list_filter = ["period", "plan"]
    list_select_related = ["scheme", "plan"]
    search_fields = ["period", "sha256", "scheme__name"]
