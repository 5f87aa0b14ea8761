"""The back office reads schemes and runs; both change only through the services (the pages, the API
and `mtx evaluate`), so that a scheme version or a run is never edited in place."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from mantianxing.core.admin import ScopedAdmin
from mantianxing.evaluation.models import Run, Scheme


class ReadOnlyAdmin(ScopedAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Scheme)
class SchemeAdmin(ReadOnlyAdmin):
    list_display = ["name", "version", "assumption", "sha256", "created_at", "created_by"]
    list_filter = ["assumption"]
    search_fields = ["name", "sha256"]


@admin.register(Run)
class RunAdmin(ReadOnlyAdmin):
    list_display = ["pk", "period", "scheme", "plan", "draws", "published_at", "sha256", "created_at"]
    list_filter = ["period", "plan"]
    list_select_related = ["scheme", "plan"]
    search_fields = ["period", "sha256", "scheme__name"]
